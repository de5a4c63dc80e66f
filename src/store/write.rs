//! Replacing a store file so that a crash, a power cut or a full disk leaves the old version or
//! the new one, never a mix: temp file → fsync → rename → fsync(dir), by atomic-write-file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use atomic_write_file::AtomicWriteFile;

/// Writes `bytes` as the new content of `path`, keeping the previous content as `path.bak`.
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if path.exists() {
        keep_backup(path)?;
    }
    let mut file = AtomicWriteFile::options().open(path)?;
    let (head, tail) = bytes.split_at(bytes.len() / 2);
    file.write_all(head)?;
    test_hooks::pause_mid_write();
    file.write_all(tail)?;
    file.commit()
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

/// Debug builds only: lets the torture tests slow a write down so that a kill lands mid-write.
mod test_hooks {
    pub fn pause_mid_write() {
        #[cfg(debug_assertions)]
        if let Some(ms) = std::env::var("PROMISE_TEST_WRITE_DELAY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    }
}
