//! Replacing a store file so that a crash, a power cut or a full disk leaves the old version or
//! the new one, never a mix (shared/RELIABILITY.md, "The write recipe"):
//!
//! 1. write a temporary file beside the target, `.promise-tmp.<name>.<random>`, created with the
//!    target's permissions (0600 for a new file: store files name customers);
//! 2. fsync it;
//! 3. hard-link the old version aside (it becomes `.bak` only once the new one is in place);
//! 4. rename the temporary file over the target;
//! 5. fsync the directory, so the rename itself survives a power cut;
//! 6. rename the old version to `<name>.bak`.
//!
//! A symbolic link is followed: the file it points to is replaced, in its own directory, and the
//! link stays a link. A failed write (a full disk) removes its temporary files and leaves both
//! the file and its `.bak` as they were. Temporary files of a killed writer all start with
//! [`TEMP_PREFIX`]; the next writer removes them under the lock ([`remove_leftovers`]).
//!
//! Written out here rather than with a crate: the recipe has to follow symlinks, keep the old
//! version as `.bak` only after success and name its temporary files so that they can be found
//! again; a system-call trace in the tests holds it to this order.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::test_hooks;

/// Every temporary file a writer makes starts with this.
pub const TEMP_PREFIX: &str = ".promise-tmp.";

/// Mode of a store file promise creates: only its owner may read it.
const NEW_FILE_MODE: u32 = 0o600;

/// Writes `bytes` as the new content of `path` (or of the file it links to), keeping the
/// previous content as `.bak` when `backup` is set.
pub fn replace(path: &Path, bytes: &[u8], backup: bool) -> io::Result<()> {
    let real = resolve(path)?;
    let dir = parent(&real);
    let name = file_name(&real)?;
    let existing = match fs::metadata(&real) {
        Ok(meta) if meta.is_file() => Some(meta),
        Ok(_) => {
            return Err(io::Error::other(format!(
                "{} is not a regular file",
                real.display()
            )));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    test_hooks::mark_writing(true);
    test_hooks::crash_point("before-write", path);

    let temp = dir.join(format!("{TEMP_PREFIX}{name}.{}", random_suffix()?));
    let staging = dir.join(format!("{TEMP_PREFIX}{name}.bak"));
    let result = write_and_rename(&real, &temp, &staging, bytes, existing.as_ref(), backup);
    if result.is_err() {
        let _ = fs::remove_file(&temp);
        let _ = fs::remove_file(&staging);
        test_hooks::mark_writing(false);
        return result;
    }
    test_hooks::crash_point("after-commit", path);
    if backup && existing.is_some() {
        // The new version is in place; only now does the old one become the backup.
        let _ = fs::rename(&staging, backup_path(&real));
    }
    test_hooks::crash_point("after-backup", path);
    test_hooks::mark_writing(false);
    Ok(())
}

fn write_and_rename(
    real: &Path,
    temp: &Path,
    staging: &Path,
    bytes: &[u8],
    existing: Option<&fs::Metadata>,
    backup: bool,
) -> io::Result<()> {
    let mode = existing.map_or(NEW_FILE_MODE, |m| m.permissions().mode() & 0o7777);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(temp)?;
    // The umask may have narrowed the mode given at creation; the target's mode is what counts.
    file.set_permissions(fs::Permissions::from_mode(mode))?;
    if let Some(meta) = existing
        && (meta.uid(), meta.gid()) != (file.metadata()?.uid(), file.metadata()?.gid())
    {
        // Only root may give a file away; anyone else writes it as their own.
        let _ = std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
    }
    let (head, tail) = bytes.split_at(bytes.len() / 2);
    file.write_all(head)?;
    test_hooks::pause_mid_write();
    test_hooks::crash_point("mid-write", real);
    test_hooks::fail_point("write", real)?;
    file.write_all(tail)?;
    file.sync_all()?;
    drop(file);
    test_hooks::crash_point("before-commit", real);
    if backup && existing.is_some() {
        let _ = fs::remove_file(staging);
        // A hard link costs nothing; where the file system has none, a copy does the same job.
        if fs::hard_link(real, staging).is_err() {
            fs::copy(real, staging)?;
        }
    }
    test_hooks::fail_point("rename", real)?;
    fs::rename(temp, real)?;
    test_hooks::crash_point("after-rename", real);
    sync_dir(parent(real))
}

/// Writes files that do not exist yet, as [`replace`] would but together: each temporary file
/// written and fsynced, then all renamed into place, then each directory fsynced once. For
/// moving many promises at once (the migration of a yearly archive into months).
pub fn create_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), (PathBuf, io::Error)> {
    let mut temps = Vec::with_capacity(files.len());
    let result = (|| {
        for (path, bytes) in files {
            let dir = parent(path);
            let name = file_name(path).map_err(|e| (path.clone(), e))?;
            let temp = dir.join(format!(
                "{TEMP_PREFIX}{name}.{}",
                random_suffix().map_err(|e| (path.clone(), e))?
            ));
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(NEW_FILE_MODE)
                .open(&temp)
                .map_err(|e| (path.clone(), e))?;
            temps.push(temp.clone());
            file.write_all(bytes).map_err(|e| (path.clone(), e))?;
            file.sync_all().map_err(|e| (path.clone(), e))?;
        }
        let mut dirs: Vec<&Path> = Vec::new();
        for ((path, _), temp) in files.iter().zip(&temps) {
            fs::rename(temp, path).map_err(|e| (path.clone(), e))?;
            if !dirs.contains(&parent(path)) {
                dirs.push(parent(path));
            }
        }
        temps.clear();
        for dir in dirs {
            sync_dir(dir).map_err(|e| (dir.to_path_buf(), e))?;
        }
        Ok(())
    })();
    for temp in temps {
        let _ = fs::remove_file(temp);
    }
    result
}

/// Makes renames and removals in `dir` durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Removes `path` (or the file it links to) durably.
pub fn remove(path: &Path) -> io::Result<()> {
    let real = resolve(path)?;
    match fs::remove_file(&real) {
        Ok(()) => sync_dir(parent(&real)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// The file `path` names once symbolic links are followed (a dangling link names the file it
/// would create). Relative links are relative to the link's own directory.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = parent(&current).join(target);
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// Removes the temporary files of writers that were killed, from `dir`. Only ever called under
/// the writer lock, when no other writer can be half-way through. Returns how many it removed.
pub fn remove_leftovers(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let is_regular = entry.file_type().is_ok_and(|t| t.is_file());
        if is_regular && (name.starts_with(TEMP_PREFIX) || is_old_temp_name(name)) {
            removed += usize::from(fs::remove_file(entry.path()).is_ok());
        }
    }
    removed
}

/// Temporary files of versions before 0.2 (the atomic-write-file crate): `.<name>.toml.XXXXXX`.
fn is_old_temp_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    let Some((stem, random)) = rest.rsplit_once('.') else {
        return false;
    };
    stem.ends_with(".toml")
        && random.len() == 6
        && random.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> io::Result<&str> {
    path.file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::other(format!("{} has no usable file name", path.display())))
}

fn random_suffix() -> io::Result<String> {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(io::Error::other)?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[(b & 31) as usize] as char)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_temp_names_are_recognised_and_nothing_else() {
        assert!(is_old_temp_name(".open.toml.dXLsJ2"));
        assert!(is_old_temp_name(".2026.toml.puinfj"));
        assert!(!is_old_temp_name("open.toml"));
        assert!(!is_old_temp_name(".open.toml.bak"));
        assert!(!is_old_temp_name(".notes.txt.abcdef"));
        assert!(!is_old_temp_name(".open.toml.abc-ef"));
    }

    #[test]
    fn a_new_file_is_private_and_an_old_one_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("open.toml");
        replace(&path, b"version = 1\n", true).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        replace(&path, b"version = 1\n\n", true).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o640);
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"version = 1\n");
    }

    #[test]
    fn a_symlink_is_followed_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real").join("open.toml");
        fs::write(&target, "version = 1\n").unwrap();
        let link = dir.path().join("open.toml");
        std::os::unix::fs::symlink("real/open.toml", &link).unwrap();
        replace(&link, b"version = 1\n# new\n", true).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "version = 1\n# new\n");
        assert_eq!(
            fs::read_to_string(dir.path().join("real").join("open.toml.bak")).unwrap(),
            "version = 1\n"
        );
    }

    #[test]
    fn leftovers_are_removed_and_other_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            ".promise-tmp.open.toml.abcdefgh",
            ".promise-tmp.open.toml.bak",
            ".open.toml.dXLsJ2",
            "open.toml",
            "notes.txt",
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        assert_eq!(remove_leftovers(dir.path()), 3);
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["notes.txt", "open.toml"]);
    }
}
