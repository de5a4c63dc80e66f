//! Replacing a store file so that a crash, a power cut or a full disk leaves the old version or
//! the new one, never a mix: temp file → fsync → rename → fsync(dir), by atomic-write-file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use atomic_write_file::AtomicWriteFile;

use super::test_hooks;

/// Writes `bytes` as the new content of `path`, keeping the previous content as `path.bak`.
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    test_hooks::mark_writing(true);
    test_hooks::crash_point("before-write", path);
    if path.exists() {
        keep_backup(path)?;
    }
    test_hooks::crash_point("after-backup", path);
    let mut file = AtomicWriteFile::options().open(path)?;
    let (head, tail) = bytes.split_at(bytes.len() / 2);
    file.write_all(head)?;
    test_hooks::pause_mid_write();
    test_hooks::crash_point("mid-write", path);
    file.write_all(tail)?;
    test_hooks::crash_point("before-commit", path);
    file.commit()?;
    test_hooks::crash_point("after-commit", path);
    test_hooks::mark_writing(false);
    Ok(())
}

pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// The backup is swapped in by rename too, so it is always a whole earlier version. A hard link
/// costs nothing; where the file system has none, a copy does the same job.
fn keep_backup(path: &Path) -> std::io::Result<()> {
    let backup = backup_path(path);
    let mut staging = backup.clone().into_os_string();
    staging.push(".tmp");
    let staging = PathBuf::from(staging);
    let _ = fs::remove_file(&staging);
    if fs::hard_link(path, &staging).is_err() {
        fs::copy(path, &staging)?;
    }
    fs::rename(&staging, &backup)
}
