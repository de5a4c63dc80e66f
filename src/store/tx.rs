//! A change to the store under the writer lock (see the module docs of `store` for the order in
//! which a close or a reopening writes its files).

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
    /// Promises this change reopens: the closed copy, and the archive file it was found in.
    reopening: Vec<(Promise, PathBuf)>,
    /// Archive files read for editing closed promises, with the promises as edited.
    edits: BTreeMap<PathBuf, (Doc, Vec<Promise>)>,
    verified: Verified,
}

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
        write::remove_leftovers(&store.cache_dir());
        let noted = lock.noted_dirs();
        if !noted.is_empty() {
            noted.iter().for_each(|d| {
                write::remove_leftovers(d);
            });
            lock.clear_note();
        }
        let open_doc = Doc::read(&store.open_path())?;
        open_doc.check_writable()?;
        let mut verified = Verified::load(&store.cache_dir());
        let archived =
            archive::migrate(&store.archive_dir(), &mut verified, &open_doc.file.promises)?;
        // A promise that the yearly archive had while open.toml still had it (a close that
        // crashed half-way under an older version) is the archive's.
        let (open, pending): (Vec<Promise>, Vec<Promise>) = open_doc
            .file
            .promises
            .iter()
            .filter(|p| !archived.contains(&p.id))
            .cloned()
            .partition(Promise::is_open);
        Ok(Transaction {
            store,
            _lock: lock,
            open: StoreFile {
                promises: open,
                ..open_doc.file.clone()
            },
            open_doc,
            pending,
            closing: Vec::new(),
            reopening: Vec::new(),
            edits: BTreeMap::new(),
            verified,
        })
    }

    /// Moves an open promise, already marked kept or cancelled, to the archive.
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
    /// recorded in `reopened`. Returns it as it now is.
    pub fn reopen(
        &mut self,
        prefix: &str,
        at: Instant,
        reason: Option<String>,
    ) -> Result<Promise, ClosedError> {
        let (closed, path) = self.find_closed(prefix)?;
        // A copy still in open.toml must not be moved back to the archive.
        self.pending.retain(|p| p.id != closed.id);
        let path = path.unwrap_or_else(|| self.store.archive_path_for(&closed));
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
        self.reopening.push((closed, path));
        self.open.promises.push(open.clone());
        Ok(open)
    }

    /// A closed promise by id prefix, and the archive file it is in (None: only in open.toml,
    /// where a close that did not finish left it). The archive's copy comes first: it is the
    /// one that counts, and the copy in open.toml is merged into it when the move finishes.
    fn find_closed(&self, prefix: &str) -> Result<(Promise, Option<PathBuf>), ClosedError> {
        self.store
            .find_closed_among(prefix, &self.pending)?
            .map_err(ClosedError::Id)
    }

    /// Writes the change: `open.toml` first when promises are being closed or reopened (so a
    /// crash leaves them visibly closed there), then the archive files, then `open.toml`.
    pub fn commit(mut self) -> Result<(), StoreError> {
        for p in &self.closing {
            check_close(p)?;
        }
        let moving = !self.closing.is_empty() || !self.reopening.is_empty();
        let reopened: Vec<model::Id> = self.reopening.iter().map(|(p, _)| p.id.clone()).collect();
        let still_open: Vec<Promise> = self
            .open
            .promises
            .iter()
            .filter(|p| !reopened.contains(&p.id))
            .cloned()
            .collect();

        // What goes to which archive file.
        let mut changes: BTreeMap<PathBuf, archive::Change> = BTreeMap::new();
        for p in self.pending.iter().chain(&self.closing) {
            changes
                .entry(self.store.archive_path_for(p))
                .or_default()
                .add
                .push(p.clone());
        }
        for (p, path) in &self.reopening {
            changes
                .entry(path.clone())
                .or_default()
                .remove
                .push(p.id.clone());
        }
        for (path, edited) in std::mem::take(&mut self.edits) {
            changes.entry(path).or_default().edited = Some(edited);
        }

        // Every archive file is read and checked before the first write: a broken one stops
        // the change with nothing written. One that only a move left over from an earlier
        // change needs does not stop this one: that move waits.
        let archive_dir = self.store.archive_dir();
        let mut prepared = Vec::new();
        let mut unmoved: Vec<Promise> = Vec::new();
        for (path, change) in changes {
            let rel = path
                .strip_prefix(&archive_dir)
                .unwrap_or(&path)
                .to_path_buf();
            let leftover_only = change.remove.is_empty()
                && change.edited.is_none()
                && change.add.iter().all(|p| self.pending.contains(p));
            let adding = change.add.clone();
            match archive::prepare(&path, &rel, change, &self.verified) {
                Ok(Some(p)) => prepared.push((p, adding)),
                Ok(None) => {}
                Err(e) if leftover_only => {
                    eprintln!(
                        "promise: warning: {e}; closed promises wait in {} until it is fixed",
                        self.store.open_path().display()
                    );
                    unmoved.extend(adding);
                }
                Err(e) => return Err(e),
            }
        }

        // Step 1: the closes (and the reopenings' closed copies) become visible in open.toml.
        if moving {
            let mut step: Vec<Promise> = still_open.clone();
            step.extend(self.pending.iter().cloned());
            step.extend(self.closing.iter().cloned());
            step.extend(self.reopening.iter().map(|(p, _)| p.clone()));
            self.write_open(&step)?;
            test_hooks::crash_point("close-step-1", &self.store.open_path());
        }

        // Step 2: the archive files. Their directories are noted in the lock file meanwhile, so
        // that if this writer is killed the next one knows where to clean up.
        let dirs: Vec<&std::path::Path> = prepared
            .iter()
            .filter_map(|(file, _)| file.path.parent())
            .collect();
        if !dirs.is_empty() {
            self._lock.note_dirs(&dirs);
        }
        let noted = !dirs.is_empty();
        for (file, adding) in prepared {
            if let Err(e) = file.write(&mut self.verified) {
                let must_succeed = !self.reopening.is_empty() || adding.is_empty();
                if must_succeed {
                    self.verified.save();
                    return Err(e);
                }
                // The promises stay closed in open.toml; the next writer moves them.
                eprintln!(
                    "promise: warning: {e}; the promise stays recorded in {} and the next change \
                     moves it",
                    self.store.open_path().display()
                );
                unmoved.extend(adding);
            }
        }
        self.verified.save();
        if noted {
            self._lock.clear_note();
        }
        if moving {
            test_hooks::crash_point("close-step-2", &self.store.open_path());
        }

        // Step 3: open.toml as it ends up.
        let mut last = still_open;
        last.extend(
            self.open
                .promises
                .iter()
                .filter(|p| reopened.contains(&p.id))
                .cloned(),
        );
        last.extend(unmoved);
        match self.write_open(&last) {
            Err(e) if !self.closing.is_empty() && self.reopening.is_empty() => {
                eprintln!(
                    "promise: warning: {e}; the promise is closed and in the archive, and the \
                     next change removes its old copy"
                );
                Ok(())
            }
            other => {
                if moving {
                    test_hooks::crash_point("close-step-3", &self.store.open_path());
                }
                other
            }
        }
    }

    fn write_open(&mut self, promises: &[Promise]) -> Result<(), StoreError> {
        let path = self.store.open_path();
        if promises == self.open_doc.file.promises.as_slice() && path.exists() {
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
