//! The store (SPEC section 3): plain TOML files a user may read and edit.
//!
//! Layout, under the data directory:
//!
//! - `open.toml`: the open promises. Every hot path (`add`, `prompt`, `nag`, `list`, `done`)
//!   reads and writes only this file, so its cost does not grow with the history. A promise in
//!   it with status `kept` or `cancelled` is closed, on its way to the archive (see below).
//! - `archive/YYYY/MM.toml`: closed promises by the year and month of their `closed` instant as
//!   written ([`archive::relative_path`], a pure function of the promise). `archive/YYYY.toml`,
//!   the layout before, is still read, and the next writer moves it into months.
//! - `*.bak`: the previous version of each file, only ever one that parsed.
//! - `promise.lock`: the writers' lock; `nag.lock`: the reminder runs' lock. Never deleted.
//! - `.cache/`: derived data, safe to delete, never to be shared or committed: `verified`
//!   (archive files as promise last wrote them, for the append path) and `index` (the archive
//!   as the report reads it, see [`index`]).
//!
//! [`Store::files`] lists the files that hold promises (what a sync must carry) and
//! [`Store::archive_path_for`] says where a closed promise belongs.
//!
//! Writers go through a [`Transaction`]: lock, read under the lock, change in memory, write.
//! Closing moves a promise in three steps, each a whole-file replace, so that a crash at any
//! point leaves the truth in `open.toml`, which is all the hot paths read:
//!
//! 1. `open.toml` is rewritten with the promise marked kept or cancelled: from here on every
//!    command sees it closed;
//! 2. its month's archive file gets it;
//! 3. `open.toml` is rewritten without it.
//!
//! A closed promise found in `open.toml` (a crash after step 1 or 2, or a write that failed on
//! a full disk) is moved by the next writer, which first looks whether the archive file already
//! has it. A promise in both files is the archive's, with the slips and reminders of the other
//! copy merged in. `reopen` runs the same steps backwards: the archive copy into `open.toml`,
//! out of the archive, then open.
//!
//! Readers take no lock: files are only ever replaced by rename, so a reader sees an old or a
//! new file, whole.

mod archive;
mod doc;
mod file;
mod lock;
pub mod sync;
mod test_hooks;
mod tx;
mod write;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

pub use doc::Doc;
pub use file::{StoreFile, VERSION};
pub use tx::{ClosedError, Transaction};
pub use write::backup_path;

use crate::model::{Id, Promise};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}:{line}:{column}: {message}", path.display())]
    Corrupt {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{} is empty: promise never writes an empty store file, so it was cut short (an editor or \
         a disk that crashed?); restore it from {} or remove it to start afresh",
        path.display(),
        backup_path(path).display()
    )]
    Empty { path: PathBuf },
    #[error(
        "{}: two promises have the id {id} (the tables at lines {} and {}); nothing was \
         changed: give one of them another id, or delete one, by hand",
        path.display(), lines.0, lines.1
    )]
    Duplicate {
        path: PathBuf,
        id: String,
        lines: (usize, usize),
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
    #[error(
        "the lock file {} is not a regular file; remove it (promise makes a new one) and try again",
        path.display()
    )]
    NotRegular { path: PathBuf },
    #[error("{0}; nothing was changed")]
    Invalid(String),
}

impl StoreError {
    pub(crate) fn invalid(message: String) -> StoreError {
        StoreError::Invalid(message)
    }
}

/// Where the promises live.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    /// Whether readers say so on stderr when a file holds two promises with one id.
    warn: bool,
}

impl Store {
    pub fn new(dir: PathBuf) -> Store {
        Store { dir, warn: true }
    }

    /// A store whose readers never write to stderr (the prompt segment).
    pub fn quiet(self) -> Store {
        Store {
            warn: false,
            ..self
        }
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

    /// Derived data (safe to delete; never shared): `.cache/` in the data directory.
    pub fn cache_dir(&self) -> PathBuf {
        self.dir.join(".cache")
    }

    /// The archive file where a closed promise belongs: `archive/YYYY/MM.toml` by its close.
    pub fn archive_path_for(&self, promise: &Promise) -> PathBuf {
        self.archive_dir().join(archive::relative_path(promise))
    }

    /// Every file that holds promises, the store's whole truth: `open.toml` (if it exists) and
    /// each archive file. Backups, locks and `.cache/` are not in it.
    pub fn files(&self) -> Result<Vec<PathBuf>, StoreError> {
        let mut files = Vec::new();
        if std::fs::symlink_metadata(self.open_path()).is_ok() {
            files.push(self.open_path());
        }
        files.extend(archive::list(&self.archive_dir())?);
        Ok(files)
    }

    /// Names, relative to the data directory, of what a copy of the store (a git sync) must
    /// leave out: derived, per-machine or temporary files, in `.gitignore` syntax.
    pub fn not_shared() -> &'static [&'static str] {
        &[".cache/", "*.bak", "*.lock", ".promise-tmp.*"]
    }

    fn lock_path(&self) -> PathBuf {
        self.dir.join("promise.lock")
    }

    /// The open promises, without a lock. Missing means none yet. A closed promise still in
    /// `open.toml` (a move under way) is not among them: it belongs to [`read_archive`].
    ///
    /// [`read_archive`]: Store::read_archive
    pub fn read_open(&self) -> Result<StoreFile, StoreError> {
        let mut file = self.read_open_file()?;
        file.promises.retain(Promise::is_open);
        Ok(file)
    }

    fn read_open_file(&self) -> Result<StoreFile, StoreError> {
        let path = self.open_path();
        let file = file::read(&path)?;
        if self.warn
            && let Some(id) = file.duplicate()
        {
            let lines = file::read_text(&path)
                .ok()
                .flatten()
                .map(|t| file::id_lines(&t, id))
                .unwrap_or_default();
            eprintln!(
                "promise: warning: {}: two promises have the id {id} (lines {}); promise will not \
                 change the file until one of them gets another id",
                path.display(),
                lines
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(" and ")
            );
        }
        Ok(file)
    }

    /// Every closed promise, once each: the archive, and closed promises still in `open.toml`.
    pub fn read_archive(&self) -> Result<Vec<Promise>, StoreError> {
        let open = self.read_open_file()?;
        Ok(self.combine(open.promises)?.1)
    }

    /// Open and closed promises together, each once.
    pub fn read_all(&self) -> Result<Vec<Promise>, StoreError> {
        let open = self.read_open_file()?;
        let (mut all, closed) = self.combine(open.promises)?;
        all.extend(closed);
        Ok(all)
    }

    /// Splits `open.toml`'s promises and the archive into (open, closed), each promise once.
    /// A promise in both `open.toml` and the archive is the archive's, with the slips and
    /// reminders of the other copy merged in.
    fn combine(&self, from_open: Vec<Promise>) -> Result<(Vec<Promise>, Vec<Promise>), StoreError> {
        let mut closed = self.read_archive_files()?;
        let at: HashMap<Id, usize> = closed
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let mut open = Vec::new();
        for p in from_open {
            match at.get(&p.id) {
                Some(&i) => {
                    merge_history(&mut closed[i], &p);
                }
                None if p.is_open() => open.push(p),
                None => closed.push(p),
            }
        }
        Ok((open, closed))
    }

    /// The archive files' promises, each id once: of two copies, the one in the file where it
    /// belongs wins (a month's over a yearly file's, left by a migration that crashed).
    fn read_archive_files(&self) -> Result<Vec<Promise>, StoreError> {
        let dir = self.archive_dir();
        let files = archive::list(&dir)?;
        let parsed = parse_in_parallel(&files)?;
        let mut promises: Vec<Promise> = Vec::new();
        let mut at: HashMap<Id, usize> = HashMap::new();
        for (path, file) in files.iter().zip(parsed) {
            for p in file.promises {
                let here =
                    path.strip_prefix(&dir).ok() == Some(archive::relative_path(&p).as_path());
                match at.get(&p.id) {
                    Some(&i) => {
                        if self.warn {
                            eprintln!(
                                "promise: warning: promise {} is in two archive files; showing the copy in {}",
                                p.id,
                                if here {
                                    path.display().to_string()
                                } else {
                                    self.archive_path_for(&promises[i]).display().to_string()
                                }
                            );
                        }
                        if here {
                            promises[i] = p;
                        }
                    }
                    None => {
                        at.insert(p.id.clone(), promises.len());
                        promises.push(p);
                    }
                }
            }
        }
        Ok(promises)
    }

    /// Starts a change: takes the writer lock and reads `open.toml` under it.
    pub fn transaction(&self) -> Result<Transaction<'_>, StoreError> {
        Transaction::begin(self)
    }
}

/// Files are parsed in parallel: parsing TOML is most of what reading a long history costs.
fn parse_in_parallel(files: &[PathBuf]) -> Result<Vec<StoreFile>, StoreError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, files.len().max(1));
    let per_worker = files.len().div_ceil(workers).max(1);
    let parts: Vec<Result<Vec<StoreFile>, StoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(per_worker)
            .map(|chunk| scope.spawn(move || chunk.iter().map(|p| file::read(p)).collect()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Ok(Vec::new())))
            .collect()
    });
    let mut all = Vec::with_capacity(files.len());
    for part in parts {
        all.extend(part?);
    }
    Ok(all)
}

/// Merges into `kept` what the other copy of the same promise knows and it does not: slips and
/// reminders. Returns whether `kept` changed.
pub(crate) fn merge_history(kept: &mut Promise, other: &Promise) -> bool {
    let mut changed = false;
    for slip in &other.slips {
        if !kept
            .slips
            .iter()
            .any(|s| (s.at, s.from, s.to) == (slip.at, slip.from, slip.to))
        {
            kept.slips.push(slip.clone());
            changed = true;
        }
    }
    if changed {
        kept.slips.sort_by_key(|s| s.at);
        kept.original_due = kept.original_due.or(other.original_due);
    }
    for stage in &other.reminded {
        if !kept.reminded.contains(stage) {
            kept.reminded.push(stage.clone());
            changed = true;
        }
    }
    changed
}
