//! The store's writer lock: an exclusive flock on a sidecar file that is never deleted or
//! renamed, so every writer contends on the same inode (locking the data file itself lost
//! writes once it was replaced by rename; see shared/RELIABILITY.md).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use super::{StoreError, test_hooks};

const WAIT_NOTICE: Duration = Duration::from_secs(1);
const TIMEOUT: Duration = Duration::from_secs(10);

/// Held while a writer reads, changes and replaces store files; released on drop.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    pub fn acquire(path: &Path) -> Result<Lock, StoreError> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|source| StoreError::Io {
                action: "open the lock file",
                path: path.to_path_buf(),
                source,
            })?;
        let started = Instant::now();
        let timeout = test_hooks::lock_timeout().unwrap_or(TIMEOUT);
        let mut pause = Duration::from_millis(2);
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Lock { _file: file }),
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
