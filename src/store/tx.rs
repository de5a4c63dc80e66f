//! A change to the store under the writer lock (see the module docs of `store` for what a close,
//! a reopening and housekeeping write, and in which order).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::archive::{self, Verified};
use super::doc::Doc;
use super::lock::Lock;
use super::{Store, StoreError, StoreFile, test_hooks, write};
use crate::model::{self, IdError, Instant, Promise, Reopening, Status, rfc3339};

/// A change to the store under the writer lock. Nothing touches the disk until [`commit`].
///
/// [`commit`]: Transaction::commit
pub struct Transaction<'a> {
    store: &'a Store,
    _lock: Lock,
    open_doc: Doc,
    /// The open promises in `open.toml`, as read under the lock: what commands change.
    pub open: StoreFile,
    /// Closed promises found in `open.toml`: moves to the archive that did not finish.
    pending: Vec<Promise>,
    /// Promises this change closes.
    closing: Vec<Promise>,
    /// Archive files read for editing closed promises, with the promises as edited.
    edits: BTreeMap<PathBuf, (Doc, Vec<Promise>)>,
    /// Whether this change also moves the closed promises of `open.toml` to the archive.
    housekeep: bool,
    /// Whether it also moves a yearly archive (the layout before) into months.
    migrate: bool,
}

/// How many closed promises `open.toml` may hold before the change that finds more moves them
/// to the archive itself: keeps `open.toml`, and so every hot path, small for a user without a
/// `nag` timer (which moves them every few minutes).
pub const CLOSED_IN_OPEN: usize = 10;

/// Past [`CLOSED_IN_OPEN`], a change that would have to read and parse a month file someone
/// else changed (a hand edit, a sync) to move the closed promises leaves that to `nag` or
/// `sync`, so that a close after such an edit stays one write (18.8 ms rather than 2.5 in a
/// heavy year's 360 KB month); past this many it moves them anyway.
pub const CLOSED_IN_OPEN_AT_MOST: usize = 100;

impl<'a> Transaction<'a> {
    pub(super) fn begin(store: &'a Store) -> Result<Transaction<'a>, StoreError> {
        std::fs::create_dir_all(store.dir()).map_err(|source| StoreError::Io {
            action: "create",
            path: store.dir().to_path_buf(),
            source,
        })?;
        let lock = Lock::acquire(&store.lock_path())?;
        test_hooks::crash_point("after-lock", &store.lock_path());
        // Under the lock no other writer is half-way through: what temporary files there are
        // were left by writers that were killed.
        write::remove_leftovers(store.dir());
        let noted = lock.noted_dirs();
        if !noted.is_empty() {
            noted.iter().for_each(|d| {
                write::remove_leftovers(d);
            });
            write::remove_leftovers(&store.cache_dir());
        }
        let open_doc = Doc::read(&store.open_path())?;
        open_doc.check_writable()?;
        let (open, pending): (Vec<Promise>, Vec<Promise>) = open_doc
            .file
            .promises
            .iter()
            .cloned()
            .partition(Promise::is_open);
        Ok(Transaction {
            store,
            _lock: lock,
            open: StoreFile {
                version: open_doc.file.version,
                promises: open,
                extra: open_doc.file.extra.clone(),
            },
            open_doc,
            pending,
            closing: Vec::new(),
            edits: BTreeMap::new(),
            // A writer that was killed while it moved promises (its directories were noted in
            // the lock file) may have left one in two files: this change finishes its work.
            housekeep: !noted.is_empty(),
            migrate: false,
        })
    }

    /// Makes this change housekeeping too: the closed promises in `open.toml` move to their
    /// months' archive files, and a yearly archive (the layout before) into months. `nag` and
    /// `sync` do it; the hot paths leave it to them (or to [`CLOSED_IN_OPEN`]).
    pub fn tidy(&mut self) {
        self.housekeep = true;
        self.migrate = true;
    }

    /// Closes an open promise, already marked kept or cancelled: it stays in `open.toml`, closed,
    /// until housekeeping moves it.
    pub fn close(&mut self, index: usize) {
        let promise = self.open.promises.remove(index);
        self.closing.push(promise);
    }

    /// The closed promise whose id starts with `prefix`, to edit its details where it lives.
    pub fn closed_mut(&mut self, prefix: &str) -> Result<&mut Promise, ClosedError> {
        let (promise, path) = self.find_closed(prefix)?;
        let Some(path) = path else {
            let i = self
                .pending
                .iter()
                .position(|p| p.id == promise.id)
                .expect("found among the pending ones");
            return Ok(&mut self.pending[i]);
        };
        if !self.edits.contains_key(&path) {
            let doc = Doc::read(&path)?;
            doc.check_writable()?;
            let promises = doc.file.promises.clone();
            self.edits.insert(path.clone(), (doc, promises));
        }
        let (_, promises) = self.edits.get_mut(&path).expect("inserted above");
        promises
            .iter_mut()
            .find(|p| p.id == promise.id)
            .ok_or_else(|| ClosedError::Id(IdError::Unknown(prefix.to_string())))
    }

    /// Reopens the closed promise whose id starts with `prefix`: open again, its close
    /// recorded in `reopened`. Returns it as it now is. Either way it is one write of
    /// `open.toml`: one still there (the usual case, a `done` just made by mistake) is flipped
    /// there; one in the archive is written there open, and its archive copy, which the one in
    /// `open.toml` supersedes (it has one reopening more), is taken out by housekeeping.
    pub fn reopen(
        &mut self,
        prefix: &str,
        at: Instant,
        reason: Option<String>,
    ) -> Result<Promise, ClosedError> {
        let wanted = prefix.trim().to_lowercase();
        // A whole id closed in open.toml needs no look in the archive: a copy there (a move
        // cut short) has fewer reopenings than the one written here, so this one counts.
        let exact = self.pending.iter().position(|p| p.id.as_str() == wanted);
        let closed = match exact {
            Some(i) => self.pending[i].clone(),
            None => self.find_closed(prefix)?.0,
        };
        self.pending.retain(|p| p.id != closed.id);
        let mut open = closed.clone();
        open.reopened.push(Reopening {
            at,
            from: closed.status,
            closed: closed.closed,
            cancel_reason: closed.cancel_reason.clone(),
            reason,
            extra: toml::Table::new(),
        });
        open.status = Status::Open;
        open.closed = None;
        open.cancel_reason = None;
        self.open.promises.push(open.clone());
        Ok(open)
    }

    /// A closed promise by id prefix, and the archive file it is in (None: in open.toml). A
    /// copy in open.toml that has been reopened since the archive's was written counts over it;
    /// otherwise the archive's copy does, and the one in open.toml is merged into it when
    /// housekeeping moves it.
    fn find_closed(&self, prefix: &str) -> Result<(Promise, Option<PathBuf>), ClosedError> {
        self.closed(prefix)?.map_err(ClosedError::Id)
    }

    /// The closed promise `prefix` names, as [`Store::find_closed`] finds it, with the
    /// `open.toml` this change read rather than reading it again: for the message that an id
    /// given to `done` is closed already.
    pub fn closed(
        &self,
        prefix: &str,
    ) -> Result<Result<(Promise, Option<PathBuf>), IdError>, StoreError> {
        let in_open: Vec<&Promise> = self.pending.iter().chain(&self.open.promises).collect();
        self.store.find_closed_among(prefix, &in_open)
    }

    /// Writes the change. Usually that is `open.toml` alone, once: a close marks the promise
    /// kept or cancelled there, and that write is the close. Housekeeping (see [`tidy`]) then
    /// appends the closed promises to their months' archive files and writes `open.toml`
    /// without them; a crash in between leaves a promise in both, closed in both, which every
    /// reader counts once and the next housekeeping settles.
    ///
    /// [`tidy`]: Transaction::tidy
    pub fn commit(mut self) -> Result<(), StoreError> {
        for p in &self.closing {
            check_close(p)?;
        }
        let closed_in_open = self.pending.len() + self.closing.len();
        let housekeep = self.housekeep
            || closed_in_open > CLOSED_IN_OPEN_AT_MOST
            || (closed_in_open > CLOSED_IN_OPEN && self.moves_without_parsing());

        // Archive files changed by this command itself (an edit of a closed promise): read
        // and checked before the first write.
        let mut changes: BTreeMap<PathBuf, archive::Change> = BTreeMap::new();
        for (path, edited) in std::mem::take(&mut self.edits) {
            changes.entry(path).or_default().edited = Some(edited);
        }
        // Read only when an archive file is to be written: a close does not touch one.
        let verified = if changes.is_empty() && !housekeep {
            Verified::none()
        } else {
            Verified::load(&self.store.cache_dir())
        };
        let mut prepared = Vec::new();
        let archive_dir = self.store.archive_dir();
        for (path, change) in changes {
            let rel = path
                .strip_prefix(&archive_dir)
                .unwrap_or(&path)
                .to_path_buf();
            if let Some(p) = archive::prepare(&path, &rel, change, &verified)? {
                prepared.push(p);
            }
        }

        // The command's own write of open.toml: the close, the reopening, the new promise.
        let mut now_in_open: Vec<Promise> = std::mem::take(&mut self.open.promises);
        now_in_open.append(&mut self.pending);
        now_in_open.append(&mut self.closing);
        self.write_open(&now_in_open)?;
        let mut verified = verified;
        if !prepared.is_empty() {
            let dirs: Vec<&std::path::Path> =
                prepared.iter().filter_map(|f| f.path.parent()).collect();
            self._lock.note_dirs(&dirs);
            for file in &prepared {
                file.write(&mut verified)?;
            }
            verified.save();
            if !housekeep {
                self._lock.clear_note();
            }
        }
        if housekeep {
            self.housekeep(now_in_open, verified)?;
        }
        Ok(())
    }

    /// Moves the closed promises of `open.toml` (`in_open`, as just written) to the archive,
    /// and with [`tidy`](Transaction::tidy) a yearly archive into months. A promise whose
    /// archive file cannot be used (broken, or newer than this binary) stays closed in
    /// `open.toml`, with a warning: the close stands, only the move waits.
    fn housekeep(
        &mut self,
        in_open: Vec<Promise>,
        mut verified: Verified,
    ) -> Result<(), StoreError> {
        let archive_dir = self.store.archive_dir();
        write::remove_leftovers(&self.store.cache_dir());
        let mut in_open = in_open;
        if self.migrate {
            let dirs = [archive_dir.as_path()];
            self._lock.note_dirs(&dirs);
            let archived = archive::migrate(&archive_dir, &mut verified, &in_open)?;
            verified.save();
            // A promise the yearly archive had while open.toml had it too (a close cut short
            // under an older version) is the archive's now, with the other copy's history.
            in_open.retain(|p| !archived.contains(&p.id));
        }
        let mut changes: BTreeMap<PathBuf, archive::Change> = BTreeMap::new();
        // Archive copies that a reopening left behind: taken out wherever they are (a promise
        // closed again goes to the month of its new close, maybe another file).
        // (An archive file that does not parse leaves its copies there; the readers name it.)
        let superseded = self
            .store
            .superseded_in_archive(&in_open)
            .unwrap_or_default();
        for (path, id) in superseded {
            changes.entry(path).or_default().remove.push(id);
        }
        for p in in_open.iter().filter(|p| !p.is_open()) {
            changes
                .entry(self.store.archive_path_for(p))
                .or_default()
                .add
                .push(p.clone());
        }
        let mut moved: Vec<model::Id> = Vec::new();
        let mut prepared = Vec::new();
        for (path, change) in changes {
            let rel = path
                .strip_prefix(&archive_dir)
                .unwrap_or(&path)
                .to_path_buf();
            let ids: Vec<model::Id> = change.add.iter().map(|p| p.id.clone()).collect();
            match archive::prepare(&path, &rel, change, &verified) {
                Ok(Some(p)) => prepared.push((p, ids)),
                Ok(None) => moved.extend(ids),
                Err(e) => eprintln!(
                    "promise: warning: {e}; closed promises wait in {} until it is fixed",
                    self.store.open_path().display()
                ),
            }
        }
        let dirs: Vec<&std::path::Path> = prepared
            .iter()
            .filter_map(|(f, _)| f.path.parent())
            .collect();
        if !dirs.is_empty() {
            self._lock.note_dirs(&dirs);
        }
        for (file, ids) in &prepared {
            match file.write(&mut verified) {
                Ok(()) => moved.extend(ids.iter().cloned()),
                Err(e) => eprintln!(
                    "promise: warning: {e}; the promise stays recorded in {} and a later \
                     change moves it",
                    self.store.open_path().display()
                ),
            }
        }
        verified.save();
        test_hooks::crash_point("move-step-1", &self.store.open_path());
        in_open.retain(|p| !moved.contains(&p.id));
        self.write_open(&in_open)?;
        self._lock.clear_note();
        Ok(())
    }

    /// Whether every closed promise in `open.toml` can be appended to its month's file
    /// without parsing that file first (see [`archive::appends_without_parsing`]).
    fn moves_without_parsing(&self) -> bool {
        let verified = Verified::load(&self.store.cache_dir());
        let archive_dir = self.store.archive_dir();
        let mut months: Vec<PathBuf> = self
            .pending
            .iter()
            .chain(&self.closing)
            .map(|p| self.store.archive_path_for(p))
            .collect();
        months.sort_unstable();
        months.dedup();
        months.iter().all(|path| {
            let rel = path.strip_prefix(&archive_dir).unwrap_or(path);
            archive::appends_without_parsing(path, rel, &verified)
        })
    }

    fn write_open(&mut self, promises: &[Promise]) -> Result<(), StoreError> {
        let path = self.store.open_path();
        let old = &self.open_doc.file.promises;
        // The same promises, in whatever order (the file keeps its own): nothing to write.
        let unchanged = promises.len() == old.len()
            && promises
                .iter()
                .all(|p| old.iter().any(|o| o.id == p.id && o == p));
        if unchanged && path.exists() {
            return Ok(());
        }
        let text = self.open_doc.render(promises)?;
        write::replace(&path, text.as_bytes(), true).map_err(|source| StoreError::Io {
            action: "write",
            path,
            source,
        })
    }
}

/// A close the store can hold: after the promise was made, in a year it can write.
fn check_close(p: &Promise) -> Result<(), StoreError> {
    let Some(closed) = p.closed else {
        return Ok(());
    };
    rfc3339::check_year(&closed).map_err(StoreError::invalid)?;
    if closed < p.made {
        return Err(StoreError::invalid(format!(
            "promise {} would be closed at {}, before it was made ({})",
            p.id,
            rfc3339::format(&closed),
            rfc3339::format(&p.made)
        )));
    }
    Ok(())
}

/// Why a closed promise could not be found or read.
#[derive(Debug, thiserror::Error)]
pub enum ClosedError {
    #[error(transparent)]
    Id(IdError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
