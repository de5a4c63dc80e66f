//! The store's writer lock: an exclusive flock on a sidecar file that is never deleted or
//! renamed, so every writer contends on the same inode (locking the data file itself lost
//! writes once it was replaced by rename; see shared/RELIABILITY.md).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Read;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{StoreError, test_hooks};

const WAIT_NOTICE: Duration = Duration::from_secs(1);
const TIMEOUT: Duration = Duration::from_secs(10);

/// Held while a writer reads, changes and replaces store files; released on drop.
///
/// While a writer writes in directories other than the data directory (the archive's), it
/// notes them in the lock file, and clears the note when done: a note found by the next writer
/// says where a killed one may have left temporary files. The lock file holds nothing else.
#[derive(Debug)]
pub struct Lock {
    file: File,
}

impl Lock {
    pub fn acquire(path: &Path) -> Result<Lock, StoreError> {
        let file = open_lock_file(path).map_err(|e| match e {
            LockFileError::NotRegular => StoreError::NotRegular {
                path: path.to_path_buf(),
            },
            LockFileError::Io(source) => StoreError::Io {
                action: "open the lock file",
                path: path.to_path_buf(),
                source,
            },
        })?;
        let started = Instant::now();
        let timeout = test_hooks::lock_timeout().unwrap_or(TIMEOUT);
        let mut pause = Duration::from_millis(2);
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Lock { file }),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(source)) => {
                    return Err(StoreError::Io {
                        action: "lock",
                        path: path.to_path_buf(),
                        source,
                    });
                }
            }
            let waited = started.elapsed();
            if waited >= timeout {
                return Err(StoreError::LockTimeout {
                    path: path.to_path_buf(),
                    seconds: timeout.as_secs_f64(),
                });
            }
            if waited >= WAIT_NOTICE && !told {
                eprintln!(
                    "promise: waiting for another promise command to finish (lock {})",
                    path.display()
                );
                told = true;
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }
}

/// Why a lock file could not be opened.
#[derive(Debug)]
pub enum LockFileError {
    /// Something other than a regular file is in its place (a directory, a FIFO).
    NotRegular,
    Io(std::io::Error),
}

/// Opens a lock file, made (mode 0600) if missing, never deleted: the writers' `promise.lock`
/// and `sync.lock`. O_NONBLOCK, so that a FIFO put in its place fails rather than waits.
pub fn open_lock_file(path: &Path) -> Result<File, LockFileError> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(LockFileError::NotRegular);
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|source| match source.raw_os_error() {
            Some(libc::ENXIO | libc::EISDIR) => LockFileError::NotRegular,
            _ => LockFileError::Io(source),
        })?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(LockFileError::NotRegular);
    }
    Ok(file)
}

impl Lock {
    /// Directories a killed writer noted it was writing in.
    pub fn noted_dirs(&self) -> Vec<PathBuf> {
        let mut text = String::new();
        let _ = (&self.file).read_to_string(&mut text);
        text.lines().map(PathBuf::from).collect()
    }

    /// Notes the directories about to be written in (replacing any earlier note).
    pub fn note_dirs(&self, dirs: &[&Path]) {
        let text: String = dirs.iter().map(|d| format!("{}\n", d.display())).collect();
        let _ = self.file.set_len(0);
        let _ = self.file.write_all_at(text.as_bytes(), 0);
    }

    pub fn clear_note(&self) {
        let _ = self.file.set_len(0);
    }
}
