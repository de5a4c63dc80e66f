//! The store (SPEC section 3): plain TOML files a user may read and edit.
//!
//! Layout, under the data directory:
//!
//! - `open.toml`: the open promises, and those closed since the last housekeeping. Every hot
//!   path (`add`, `done`, `cancel`, `slip`, `prompt`, `list`, `nag`) reads and writes only this
//!   file, so its cost does not grow with the history. A promise in it with status `kept` or
//!   `cancelled` is closed for every command.
//! - `archive/YYYY/MM.toml`: closed promises by the year and month of their `closed` instant as
//!   written ([`archive::relative_path`], a pure function of the promise). `archive/YYYY.toml`,
//!   the layout before, is read by every reader until housekeeping moves it into months.
//! - `*.bak`: the previous version of each file, only ever one that parsed.
//! - `promise.lock`: the writers' lock; `nag.lock`: the reminder runs' lock. Never deleted.
//! - `.cache/`: derived data, safe to delete, never to be shared or committed: `verified`
//!   (archive files as promise last wrote them, for housekeeping's append), `history` (what the
//!   report needs of the archive, see the `history` module) and `ids` with `ids-delta` (the
//!   archive's ids and where their tables are, for lookups; see the `ids` module): see the
//!   `index` module. [`Store::not_shared`] lists
//!   what a sync must leave out.
//!
//! [`Store::files`] lists the files that hold promises (what a sync must carry) and
//! [`Store::archive_path_for`] says where a closed promise belongs.
//!
//! Writers go through a [`Transaction`]: lock, read `open.toml` under the lock, change in
//! memory, write. A close is one write of `open.toml`, the promise marked kept or cancelled: that
//! write is the commit point. Housekeeping ([`Store::tidy`]: `nag`, `sync`, or any change that
//! finds more than [`tx::CLOSED_IN_OPEN`] closed promises in `open.toml` and can append them
//! without parsing a month, or more than [`tx::CLOSED_IN_OPEN_AT_MOST`]) then moves closed
//! promises to their months' files in two steps, each a whole-file replace:
//!
//! 1. each month's archive file gets its promises, appended (the file is parsed first only when
//!    it is not byte for byte what promise last wrote there, or already has the id);
//! 2. `open.toml` is rewritten without them.
//!
//! A crash between the two leaves a promise closed in both files; readers count it once (the
//! archive's copy, with the other copy's slips and reminders merged in) and the next
//! housekeeping settles the files (a writer killed while it wrote in the archive noted the
//! directories in the lock file; the next writer finishes its housekeeping). `reopen` is one
//! write of `open.toml` as well: a promise there is flipped there, one in the archive is written
//! there open. A copy that has been reopened more often than another with its id is the later one
//! and counts ([`supersedes`]), so the archive's copy counts nowhere; housekeeping takes it out
//! ([`Store::superseded_in_archive`]).
//!
//! Readers take no lock: files are only ever replaced by rename, so a reader sees an old or a
//! new file, whole.

mod archive;
mod doc;
mod file;
mod history;
mod ids;
mod index;
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
pub use history::{History, NONE, Record};
pub use lock::{LockFileError, open_lock_file};
pub use tx::{ClosedError, Transaction};
pub use write::{backup_path, replace as replace_file};

use crate::model::{IdError, Instant, Promise};

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
        let (promises, files) = self.parse_archive()?;
        let hashes: Vec<u64> = promises.iter().map(|p| id_hash(p.id.as_str())).collect();
        let mut all = self.merge(open.promises, promises, &hashes, &files);
        all.retain(|p| !p.is_open());
        Ok(all)
    }

    /// Open and closed promises together, each once: the archive's first, then closed ones
    /// still in `open.toml`, then the open ones.
    pub fn read_all(&self) -> Result<Vec<Promise>, StoreError> {
        let open = self.read_open_file()?;
        let (promises, files) = self.parse_archive()?;
        let hashes: Vec<u64> = promises.iter().map(|p| id_hash(p.id.as_str())).collect();
        Ok(self.merge(open.promises, promises, &hashes, &files))
    }

    /// Every promise, each once, as the report needs them: each as a [`Record`] of what
    /// scoring reads, and in full the open ones and those closed since `whole_since` (the
    /// report shows those). Long histories are read through a derived index (`.cache/history`).
    pub fn read_for_report(&self, whole_since: Instant) -> Result<History, StoreError> {
        let open = self.read_open_file()?;
        let loaded = history::load(&self.archive_dir(), &self.cache_dir(), whole_since)?;
        history::settle(loaded, open.promises, &self.archive_dir(), self.warn)
    }

    /// The closed promise whose id starts with `prefix` (in the archive, or closed in
    /// `open.toml`), whole, and the archive file that has it (None: only `open.toml` does).
    /// Looks ids up in the archive's derived index, then reads only the file that has it.
    pub fn find_closed(
        &self,
        prefix: &str,
    ) -> Result<Result<(Promise, Option<PathBuf>), IdError>, StoreError> {
        let open = self.read_open_file()?;
        let in_open: Vec<&Promise> = open.promises.iter().collect();
        self.find_closed_among(prefix, &in_open)
    }

    /// As [`find_closed`](Store::find_closed), `in_open` being the promises of `open.toml`. An
    /// archive copy that a copy in `open.toml` supersedes (reopened since) does not count.
    pub(crate) fn find_closed_among(
        &self,
        prefix: &str,
        in_open: &[&Promise],
    ) -> Result<Result<(Promise, Option<PathBuf>), IdError>, StoreError> {
        let wanted = prefix.trim().to_lowercase();
        // Each matching id once: the copy reopened most often (a reopening's leftover is not
        // yet taken out), else the one in the file where it belongs, else the first.
        let mut matches: Vec<(Promise, Option<PathBuf>)> = Vec::new();
        if !wanted.is_empty() {
            let found = ids::find(&self.archive_dir(), &self.cache_dir(), &wanted)?;
            let mut by_file: Vec<(PathBuf, Vec<Table>)> = Vec::new();
            for (path, id, span) in found {
                match by_file.iter_mut().find(|(p, _)| *p == path) {
                    Some((_, ids)) => ids.push((id, span)),
                    None => by_file.push((path, vec![(id, span)])),
                }
            }
            for (path, ids) in by_file {
                let home = month_of(&self.archive_dir(), &path);
                for p in read_tables(&path, &ids)? {
                    let here = home == Some(placement(&p));
                    match matches.iter_mut().find(|(q, _)| q.id == p.id) {
                        // (The copy found first is not asked where it is: of two in their
                        // months' files, the later one read counts.)
                        Some(slot)
                            if counts_over(
                                (p.reopened.len(), here),
                                (slot.0.reopened.len(), false),
                            ) =>
                        {
                            *slot = (p, Some(path.clone()))
                        }
                        Some(_) => {}
                        None => matches.push((p, Some(path.clone()))),
                    }
                }
            }
        }
        matches.retain(|(q, _)| !in_open.iter().any(|p| p.id == q.id && supersedes(p, q)));
        // The archive's copy counts, with what the copy in open.toml knows of its history.
        for (q, _) in &mut matches {
            if let Some(p) = in_open.iter().find(|p| p.id == q.id) {
                merge_history(q, p);
            }
        }
        for p in in_open.iter().filter(|p| !p.is_open()) {
            if p.id.as_str().starts_with(&wanted) && !matches.iter().any(|(q, _)| q.id == p.id) {
                matches.push(((*p).clone(), None));
            }
        }
        if let Some(i) = matches.iter().position(|(p, _)| p.id.as_str() == wanted) {
            return Ok(Ok(matches.swap_remove(i)));
        }
        match matches.len() {
            0 => Ok(Err(IdError::Unknown(wanted))),
            1 => Ok(Ok(matches.remove(0))),
            _ => {
                let named = matches
                    .iter()
                    .map(|(p, _)| format!("{} ({}: {})", p.id, p.customer, p.what))
                    .collect();
                Ok(Err(IdError::Ambiguous {
                    prefix: wanted,
                    matches: named,
                }))
            }
        }
    }

    fn parse_archive(&self) -> Result<ArchiveFiles, StoreError> {
        let files = archive::list(&self.archive_dir())?;
        let parsed = parse_in_parallel(&files)?;
        let mut promises = Vec::with_capacity(parsed.iter().map(|f| f.promises.len()).sum());
        let mut ranges = Vec::with_capacity(files.len());
        for (path, file) in files.into_iter().zip(parsed) {
            let start = promises.len();
            promises.extend(file.promises);
            ranges.push((path, start..promises.len()));
        }
        Ok((promises, ranges))
    }

    /// The archive's promises (`archived`, file by file as `files` says) and `open.toml`'s,
    /// each promise once: the archive's first, then closed ones from `open.toml`, then the open
    /// ones. Of two copies in archive files, the one in the file where it belongs counts (a
    /// month's over a yearly file's a migration left). A promise in both `open.toml` and the
    /// archive is the archive's, with the slips and reminders of the other copy merged in.
    fn merge(
        &self,
        from_open: Vec<Promise>,
        mut archived: Vec<Promise>,
        hashes: &[u64],
        files: &[(PathBuf, std::ops::Range<usize>)],
    ) -> Vec<Promise> {
        let dir = self.archive_dir();
        // For each id, the position of the copy that counts: the one in the file of its month.
        // Keyed by the ids' hashes, which were computed while the ids were at hand: reaching
        // each promise's id on the heap again was a tenth of the report's time.
        let mut counts: HashMap<u64, usize, IdHash> =
            HashMap::with_capacity_and_hasher(archived.len(), IdHash);
        let mut twice = Vec::new();
        let mut twice_quiet: Vec<usize> = Vec::new();
        let mut collided: Vec<usize> = Vec::new();
        for (path, range) in files {
            let home = month_of(&dir, path);
            for i in range.clone() {
                match counts.entry(hashes[i]) {
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(i);
                    }
                    std::collections::hash_map::Entry::Occupied(mut slot) => {
                        let first = *slot.get();
                        if archived[first].id != archived[i].id {
                            collided.push(i);
                            continue;
                        }
                        let first_home = files
                            .iter()
                            .find(|(_, r)| r.contains(&first))
                            .and_then(|(path, _)| month_of(&dir, path));
                        let first_here = first_home == Some(placement(&archived[first]));
                        let here = home == Some(placement(&archived[i]));
                        if counts_over(
                            (archived[i].reopened.len(), here),
                            (archived[first].reopened.len(), first_here),
                        ) {
                            slot.insert(i);
                            twice.push(first);
                        } else {
                            twice.push(i);
                        }
                    }
                }
            }
        }
        // Two ids with one hash (never seen in practice): compared as strings.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for &i in &collided {
            if seen.insert(archived[i].id.as_str(), i).is_some()
                || counts.values().any(|&j| archived[j].id == archived[i].id)
            {
                twice.push(i);
            }
        }
        drop(seen);
        let merges: Vec<(usize, usize)> = from_open
            .iter()
            .enumerate()
            .filter_map(|(k, p)| {
                counts
                    .get(&id_hash(p.id.as_str()))
                    .copied()
                    .filter(|&i| archived[i].id == p.id)
                    .or_else(|| collided.iter().copied().find(|&i| archived[i].id == p.id))
                    .map(|i| (i, k))
            })
            .collect();
        drop(counts);
        // A copy in open.toml reopened since the archive's was written is the later one: the
        // archive's is what a reopening left behind when it was cut short.
        type Pairs = Vec<(usize, usize)>;
        let (merges, superseded): (Pairs, Pairs) = merges
            .into_iter()
            .partition(|&(i, k)| !supersedes(&from_open[k], &archived[i]));
        twice_quiet.extend(superseded.iter().map(|&(i, _)| i));
        for &(i, k) in &merges {
            merge_history(&mut archived[i], &from_open[k]);
        }
        if !twice.is_empty() || !twice_quiet.is_empty() {
            if self.warn {
                for &i in &twice {
                    eprintln!(
                        "promise: warning: promise {} is in two archive files; the copy in {} counts",
                        archived[i].id,
                        self.archive_path_for(&archived[i]).display()
                    );
                }
            }
            let drop: std::collections::HashSet<usize> =
                twice.into_iter().chain(twice_quiet).collect();
            let mut i = 0;
            archived.retain(|_| {
                i += 1;
                !drop.contains(&(i - 1))
            });
        }
        let merged: std::collections::HashSet<usize> = merges.iter().map(|&(_, k)| k).collect();
        let mut open = Vec::new();
        archived.reserve(from_open.len());
        for (k, p) in from_open.into_iter().enumerate() {
            if merged.contains(&k) {
                continue;
            }
            if p.is_open() {
                open.push(p);
            } else {
                archived.push(p);
            }
        }
        archived.extend(open);
        archived
    }

    /// Housekeeping: moves the closed promises of `open.toml` to their months' archive files,
    /// and a yearly archive (the layout before) into months, when there is any of that to do.
    /// Run by `nag` after its reminders and by `sync`; never by a command that someone waits
    /// for (those leave it to the next `nag`, or to [`tx::CLOSED_IN_OPEN`]).
    ///
    /// Then, where housekeeping changed the archive or the ids index is missing (a first run, a
    /// deleted `.cache`), it brings that index up to date, so that the commands people wait
    /// for (`done` or `show` of an archived id) read one table, not every archive file.
    pub fn tidy(&self) -> Result<(), StoreError> {
        let moved = self.untidy()?;
        if moved {
            let mut tx = self.transaction()?;
            tx.tidy();
            tx.commit()?;
        }
        if moved || !self.cache_dir().join(index::Kind::Ids.name()).exists() {
            // An archive file that does not parse is left to the readers to name; housekeeping
            // has done its part.
            let _ = self.refresh_ids();
        }
        Ok(())
    }

    /// Brings the archive's ids index (`.cache/ids`) up to date with the archive files: those
    /// unchanged are not read, one that only grew has its new end read. Derived data: the
    /// archive stays the truth whether this runs or not.
    pub fn refresh_ids(&self) -> Result<(), StoreError> {
        ids::refresh(&self.archive_dir(), &self.cache_dir())
    }

    /// Whether [`tidy`](Store::tidy) has work: a closed promise in `open.toml`, a yearly
    /// archive file, or an archive copy that a reopening left behind. Reads `open.toml`, lists
    /// the archive directory, and looks up the ids of promises that were ever reopened.
    pub fn untidy(&self) -> Result<bool, StoreError> {
        let open = self.read_open_file()?;
        // An archive file that does not parse stops no housekeeping: the readers name it.
        Ok(open.promises.iter().any(|p| !p.is_open())
            || !archive::legacy_files(&self.archive_dir())?.is_empty()
            || self
                .superseded_in_archive(&open.promises)
                .is_ok_and(|copies| !copies.is_empty()))
    }

    /// The archive copies that promises in `in_open` supersede (see [`supersedes`]), each as
    /// its file and id: a reopening from the archive writes `open.toml` alone and leaves the
    /// closed copy for housekeeping to take out.
    pub(crate) fn superseded_in_archive(
        &self,
        in_open: &[Promise],
    ) -> Result<Vec<(PathBuf, crate::model::Id)>, StoreError> {
        let reopened: Vec<&Promise> = in_open.iter().filter(|p| !p.reopened.is_empty()).collect();
        if reopened.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: Vec<&str> = reopened.iter().map(|p| p.id.as_str()).collect();
        let found = ids::find_each(&self.archive_dir(), &self.cache_dir(), &wanted)?;
        let mut by_file: Vec<(PathBuf, Vec<Table>)> = Vec::new();
        for (path, id, span) in found {
            if !wanted.contains(&id.as_str()) {
                continue;
            }
            match by_file.iter_mut().find(|(p, _)| *p == path) {
                Some((_, ids)) => ids.push((id, span)),
                None => by_file.push((path, vec![(id, span)])),
            }
        }
        let mut superseded = Vec::new();
        for (path, ids) in by_file {
            let copies = read_tables(&path, &ids)?;
            for (id, _) in &ids {
                let newer = reopened.iter().find(|p| p.id.as_str() == id);
                let mut here = copies.iter().filter(|q| q.id.as_str() == id).peekable();
                // Only a copy of the same promise: another one under its id (a copy-paste) is
                // never taken out, whatever its history.
                if here.peek().is_some()
                    && let Some(newer) = newer
                    && here.all(|q| archive::same_promise(newer, q) && supersedes(newer, q))
                {
                    superseded.push((path.clone(), crate::model::Id(id.clone())));
                }
            }
        }
        Ok(superseded)
    }

    /// Starts a change: takes the writer lock and reads `open.toml` under it.
    pub fn transaction(&self) -> Result<Transaction<'_>, StoreError> {
        Transaction::begin(self)
    }
}

/// An id hashed for the merge of a long history. Ids are random (50 bits from the OS), so
/// mixing their bytes spreads them as well as any hash; a hand-made run of similar ids only
/// makes the table slower, never wrong (equal hashes are compared as strings).
pub(crate) fn id_hash(id: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for chunk in id.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        hash = (hash ^ u64::from_le_bytes(word)).wrapping_mul(0x0100_0000_01b3);
        hash ^= hash >> 29;
    }
    hash
}

/// Passes an [`id_hash`] through.
#[derive(Clone, Copy, Default)]
pub(crate) struct IdHash;

impl std::hash::BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Every archive file's promises in one vector, and each file's path and range in it.
type ArchiveFiles = (Vec<Promise>, Vec<(PathBuf, std::ops::Range<usize>)>);

/// The (year, month) of an archive file of the monthly layout, from its path.
fn month_of(archive_dir: &Path, path: &Path) -> Option<(i32, u32)> {
    let rel = path.strip_prefix(archive_dir).ok()?;
    let year = rel.parent()?.to_str()?.parse().ok()?;
    let month = rel
        .file_name()?
        .to_str()?
        .strip_suffix(".toml")?
        .parse()
        .ok()?;
    Some((year, month))
}

/// The (year, month) of the archive file where a closed promise belongs.
fn placement(p: &Promise) -> (i32, u32) {
    use chrono::Datelike;
    let at = p.closed.unwrap_or(p.due);
    (at.year(), at.month())
}

/// An id, and where its promise's table is in its file's text ((0, 0): not known).
type Table = (String, (u32, u32));

/// The promises `ids` of the store file at `path`, each read from its table alone where its
/// place in the text is known and holds it (one table of a month's hundreds), else from the
/// whole file.
fn read_tables(path: &Path, ids: &[Table]) -> Result<Vec<Promise>, StoreError> {
    if let Some(found) = read_spans(path, ids) {
        return Ok(found);
    }
    let Some(text) = file::read_text(path)? else {
        return Ok(Vec::new());
    };
    let mut found = Vec::with_capacity(ids.len());
    for (id, (start, len)) in ids {
        let (start, len) = (*start as usize, *len as usize);
        let alone = (len > 0)
            .then(|| text.get(start..start + len))
            .flatten()
            .and_then(|table| StoreFile::parse(path, table).ok())
            .and_then(|mut f| (f.promises.len() == 1).then(|| f.promises.remove(0)))
            .filter(|p| p.id.as_str() == id);
        match alone {
            Some(p) => found.push(p),
            None => {
                return Ok(file::StoreFile::parse(path, &text)?
                    .promises
                    .into_iter()
                    .filter(|p| ids.iter().any(|(id, _)| id == p.id.as_str()))
                    .collect());
            }
        }
    }
    Ok(found)
}

/// Each table alone, read at its place: a month's file of a busy year is 0.5 MB, not to be read
/// whole for one promise. None unless every one is there, whole, with its id (the places come
/// from the ids index, checked against the file's stamp a moment before; a file replaced since
/// is read whole).
fn read_spans(path: &Path, ids: &[Table]) -> Option<Vec<Promise>> {
    use std::os::unix::fs::{FileExt, OpenOptionsExt};
    if ids.is_empty() || ids.iter().any(|(_, (_, len))| *len == 0) {
        return None;
    }
    // Not blocking on a FIFO put where a file was.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut found = Vec::with_capacity(ids.len());
    for (id, (start, len)) in ids {
        let mut bytes = vec![0; usize::try_from(*len).ok()?];
        file.read_exact_at(&mut bytes, u64::from(*start)).ok()?;
        let table = String::from_utf8(bytes).ok()?;
        let mut alone = StoreFile::parse(path, &table).ok()?;
        if alone.promises.len() != 1 || alone.promises[0].id.as_str() != id {
            return None;
        }
        found.push(alone.promises.remove(0));
    }
    Some(found)
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

/// Whether `newer` is a later state of the same promise than `older`, for two copies with one
/// id: it has been reopened more often. Reopenings are only ever added, so the copy with more
/// of them was written after the other (a reopening cut short between its two writes).
pub(crate) fn supersedes(newer: &Promise, older: &Promise) -> bool {
    newer.reopened.len() > older.reopened.len()
}

/// Of two archive copies of one promise, each as (how often it was reopened, whether it is in
/// its month's file), whether the first counts over the second: the one reopened more often is
/// the later ([`supersedes`]); between equals, the one in its month's file (over a copy in a
/// yearly file that a migration left, or a file it was copied into by hand).
pub(crate) fn counts_over(a: (usize, bool), b: (usize, bool)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 && !b.1)
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
