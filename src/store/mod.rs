//! The store (SPEC section 3): `open.toml` for open promises, `archive/YYYY.toml` for closed
//! ones by the year they closed. Hot paths read and write only `open.toml`.
//!
//! Writers go through a [`Transaction`]: lock, read under the lock, change in memory, write the
//! archive first and `open.toml` last. Readers take no lock: files are only ever replaced by
//! rename, so a reader sees an old or a new file, whole.

mod file;
mod lock;
mod test_hooks;
mod verified;
mod write;

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::Datelike;

pub use file::{StoreFile, VERSION};
pub use write::backup_path;

use crate::model::Promise;
use lock::Lock;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}:{line}:{column}: {message}", path.display())]
    Corrupt {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{} has version {found}, newer than this promise understands ({VERSION}); \
         upgrade promise before changing it",
        path.display()
    )]
    TooNew { path: PathBuf, found: i64 },
    #[error(
        "another promise command has held the lock on {} for {seconds:.0} s; nothing was changed, try again",
        path.display()
    )]
    LockTimeout { path: PathBuf, seconds: f64 },
}

/// Where the promises live.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(dir: PathBuf) -> Store {
        Store { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn open_path(&self) -> PathBuf {
        self.dir.join("open.toml")
    }

    pub fn archive_dir(&self) -> PathBuf {
        self.dir.join("archive")
    }

    pub fn archive_path(&self, year: i32) -> PathBuf {
        self.archive_dir().join(format!("{year}.toml"))
    }

    fn lock_path(&self) -> PathBuf {
        self.dir.join("promise.lock")
    }

    /// The open promises, without a lock. Missing means none yet.
    pub fn read_open(&self) -> Result<StoreFile, StoreError> {
        read_file(&self.open_path())
    }

    /// Every closed promise in the archive, oldest year first. Years are parsed in parallel:
    /// parsing TOML is most of what `report` costs on a long history.
    pub fn read_archive(&self) -> Result<Vec<Promise>, StoreError> {
        let files: Vec<PathBuf> = self.archive_files()?.into_values().collect();
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, files.len().max(1));
        let per_worker = files.len().div_ceil(workers).max(1);
        let parts: Vec<Result<Vec<Promise>, StoreError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = files
                .chunks(per_worker)
                .map(|chunk| {
                    scope.spawn(move || {
                        let mut promises = Vec::new();
                        for path in chunk {
                            promises.extend(read_file(path)?.promises);
                        }
                        Ok(promises)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a parser thread panicked"))
                .collect()
        });
        let mut promises = Vec::new();
        for part in parts {
            promises.extend(part?);
        }
        Ok(promises)
    }

    /// Open and closed promises together. A promise in both (a crash between writing the
    /// archive and rewriting `open.toml`) is the archive's: the archive is written first.
    pub fn read_all(&self) -> Result<Vec<Promise>, StoreError> {
        let archived = self.read_archive()?;
        let closed: HashSet<&str> = archived.iter().map(|p| p.id.as_str()).collect();
        let mut all: Vec<Promise> = self
            .read_open()?
            .promises
            .into_iter()
            .filter(|p| !closed.contains(p.id.as_str()))
            .collect();
        all.extend(archived);
        Ok(all)
    }

    fn archive_files(&self) -> Result<BTreeMap<i32, PathBuf>, StoreError> {
        let dir = self.archive_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(source) => {
                return Err(StoreError::Io {
                    action: "read",
                    path: dir,
                    source,
                });
            }
        };
        let mut files = BTreeMap::new();
        for entry in entries {
            let entry = entry.map_err(|source| StoreError::Io {
                action: "read",
                path: dir.clone(),
                source,
            })?;
            let name = entry.file_name();
            let year = name
                .to_str()
                .and_then(|n| n.strip_suffix(".toml"))
                .and_then(|y| y.parse::<i32>().ok());
            if let Some(year) = year {
                files.insert(year, entry.path());
            }
        }
        Ok(files)
    }

    /// Starts a change: takes the writer lock and reads `open.toml` under it.
    pub fn transaction(&self) -> Result<Transaction<'_>, StoreError> {
        fs::create_dir_all(&self.dir).map_err(|source| StoreError::Io {
            action: "create",
            path: self.dir.clone(),
            source,
        })?;
        let lock = Lock::acquire(&self.lock_path())?;
        test_hooks::crash_point("after-lock", &self.lock_path());
        let open = read_file(&self.open_path())?;
        Ok(Transaction {
            store: self,
            _lock: lock,
            open,
            closing: Vec::new(),
            archive_edits: BTreeMap::new(),
        })
    }
}

/// A change to the store under the writer lock. Nothing touches the disk until [`commit`].
///
/// [`commit`]: Transaction::commit
pub struct Transaction<'a> {
    store: &'a Store,
    _lock: Lock,
    /// `open.toml` as read under the lock.
    pub open: StoreFile,
    closing: Vec<Promise>,
    archive_edits: BTreeMap<i32, StoreFile>,
}

impl Transaction<'_> {
    /// Moves an open promise, already marked kept or cancelled, to the archive of its closing year.
    pub fn close(&mut self, index: usize) {
        let promise = self.open.promises.remove(index);
        self.closing.push(promise);
    }

    /// An archive year to edit in place (`edit` of a closed promise).
    pub fn archive_year(&mut self, year: i32) -> Result<&mut StoreFile, StoreError> {
        if !self.archive_edits.contains_key(&year) {
            let file = read_file(&self.store.archive_path(year))?;
            self.archive_edits.insert(year, file);
        }
        Ok(self.archive_edits.get_mut(&year).expect("inserted above"))
    }

    /// Writes the archive first, then `open.toml`. Every file is read and checked before the
    /// first one is written, so a bad archive file stops the change with nothing written.
    pub fn commit(mut self) -> Result<(), StoreError> {
        let open_path = self.store.open_path();
        self.open.check_writable(&open_path)?;

        let mut closing: BTreeMap<i32, Vec<Promise>> = BTreeMap::new();
        for promise in std::mem::take(&mut self.closing) {
            closing
                .entry(promise.closed.unwrap_or(promise.due).year())
                .or_default()
                .push(promise);
        }
        let mut writes: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        for (year, promises) in closing {
            let path = self.store.archive_path(year);
            match (
                self.archive_edits.contains_key(&year),
                appended(&path, &promises)?,
            ) {
                (false, Some(bytes)) => writes.push((path, bytes)),
                _ => {
                    let archive = self.archive_year(year)?;
                    for promise in promises {
                        match archive.promises.iter_mut().find(|p| p.id == promise.id) {
                            Some(existing) => *existing = promise,
                            None => archive.promises.push(promise),
                        }
                    }
                }
            }
        }
        for (year, file) in &self.archive_edits {
            let path = self.store.archive_path(*year);
            file.check_writable(&path)?;
            writes.push((path, file.to_toml().into_bytes()));
        }
        if !writes.is_empty() {
            let dir = self.store.archive_dir();
            fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
                action: "create",
                path: dir,
                source,
            })?;
        }
        let archives = writes.len();
        writes.push((open_path, self.open.to_toml().into_bytes()));
        for (i, (path, bytes)) in writes.into_iter().enumerate() {
            write::replace(&path, &bytes).map_err(|source| StoreError::Io {
                action: "write",
                path: path.clone(),
                source,
            })?;
            if i < archives {
                verified::record(&path);
            }
        }
        Ok(())
    }
}

/// The archive file with `promises` added at the end, without parsing and re-serializing the
/// year's history: closing a promise then costs a copy of the file, not a TOML round trip.
/// Only for a file exactly as this program last wrote it (see `verified`); None when the careful
/// path (parse, check, upsert, rewrite) is needed: the file was changed by someone else, or a
/// promise is already there (a crash between the two files, to be replaced in place).
fn appended(path: &Path, promises: &[Promise]) -> Result<Option<Vec<u8>>, StoreError> {
    if path.exists() && !verified::unchanged(path) {
        return Ok(None);
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let file = StoreFile {
                promises: promises.to_vec(),
                ..StoreFile::default()
            };
            return Ok(Some(file.to_toml().into_bytes()));
        }
        Err(source) => {
            return Err(StoreError::Io {
                action: "read",
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(None);
    };
    if promises
        .iter()
        .any(|p| text.contains(&format!("\"{}\"", p.id)))
    {
        return Ok(None);
    }
    // Top-level keys come before the first table header.
    let header_end = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .find(|&i| text[i..].trim_start().starts_with('['));
    match StoreFile::parse(path, &text[..header_end.unwrap_or(text.len())]) {
        Ok(header) => header.check_writable(path)?,
        // An unusual header (a multi-line string with a '[' line): take the careful path.
        Err(_) => return Ok(None),
    }
    let mut out = bytes;
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(StoreFile::promise_tables(promises).as_bytes());
    Ok(Some(out))
}

fn read_file(path: &Path) -> Result<StoreFile, StoreError> {
    // Only a regular file is read: opening a FIFO put in its place would hang every command.
    match fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(StoreError::Io {
                action: "read",
                path: path.to_path_buf(),
                source: io::Error::other("not a regular file"),
            });
        }
        _ => {}
    }
    match fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|e| {
                let (line, column) = {
                    let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                    let text = String::from_utf8_lossy(valid);
                    (
                        text.matches('\n').count() + 1,
                        text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                    )
                };
                StoreError::Corrupt {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: "not valid UTF-8".into(),
                }
            })?;
            StoreFile::parse(path, &text)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(StoreFile::default()),
        Err(source) => Err(StoreError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        }),
    }
}
