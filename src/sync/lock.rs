//! `sync.lock`: one sync at a time per data directory (cron's and one typed by hand), held for
//! the whole sync, network included. The store's own writer lock is taken only while files are
//! read or written, so `add`, `done` and `nag` are never kept waiting on the network.
//!
//! While a sync runs the lock file says so; a sync that finds it saying so was killed, and
//! clears what git may have left behind (its own lock files), which nothing else could.

use std::fs::{File, TryLockError};
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::store::{LockFileError, open_lock_file};

/// How long a sync waits for another one to finish before it gives up.
const WAIT: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct SyncLock {
    file: File,
    /// Whether the sync before this one was killed half-way.
    pub interrupted: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncLockError {
    #[error(
        "another promise sync has been running for {0} s (lock {path}); nothing was changed, try again later",
        path = .1.display()
    )]
    Busy(u64, PathBuf),
    #[error("could not lock {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl SyncLock {
    pub fn acquire(data_dir: &Path) -> Result<SyncLock, SyncLockError> {
        let path = data_dir.join("sync.lock");
        let io = |source| SyncLockError::Io {
            path: path.clone(),
            source,
        };
        let mut file = open_lock_file(&path).map_err(|e| match e {
            LockFileError::NotRegular => io(std::io::Error::other("not a regular file")),
            LockFileError::Io(source) => io(source),
        })?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if started.elapsed() < WAIT => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(SyncLockError::Busy(WAIT.as_secs(), path));
                }
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        let mut note = String::new();
        let _ = file.read_to_string(&mut note);
        let lock = SyncLock {
            interrupted: !note.trim().is_empty(),
            file,
        };
        let _ = lock.file.set_len(0);
        let _ = lock.file.write_all_at(
            format!("sync running, pid {}\n", std::process::id()).as_bytes(),
            0,
        );
        let _ = lock.file.sync_all();
        Ok(lock)
    }
}

impl Drop for SyncLock {
    /// A sync that ends, well or with an error, clears the note; only a killed one leaves it.
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}
