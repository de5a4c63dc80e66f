//! The store's side of a sync (SPEC section 7): the store's files as a [`Snapshot`] (the
//! working files, or a commit's), three of them merged by promise id across the whole store
//! ([`merge`], each promise by [`crate::merge`]), and a snapshot written back under the writer
//! lock in an order that keeps every promise readable at every step ([`Store::write_snapshot`]).
//!
//! Nothing here runs git: the caller reads and writes commits; this module only sees bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::archive;
use super::doc::Doc;
use super::file::{self, StoreFile};
use super::lock::Lock;
use super::{Store, StoreError, merge_history, write};
use crate::merge::{self, Conflict, Rules};
use crate::model::{Id, Promise};

/// `open.toml`, relative to the data directory.
pub const OPEN: &str = "open.toml";

/// The store's files: bytes by path relative to the data directory (`open.toml`,
/// `archive/2026/11.toml`). Backups, locks and `.cache/` are never in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Snapshot {
    /// Whether `rel` (relative to the data directory) names a file that holds promises:
    /// `open.toml`, `archive/YYYY/MM.toml` or, of the older layout, `archive/YYYY.toml`.
    pub fn is_store_file(rel: &Path) -> bool {
        let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
        let year = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
        match parts[..] {
            [OPEN] => true,
            ["archive", name] => name.strip_suffix(".toml").is_some_and(year),
            ["archive", y, name] => {
                year(y)
                    && name
                        .strip_suffix(".toml")
                        .filter(|m| m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()))
                        .and_then(|m| m.parse::<u32>().ok())
                        .is_some_and(|m| (1..=12).contains(&m))
            }
            _ => false,
        }
    }
}

/// The store's writer lock, held for a change made outside a [`super::Transaction`]: a sync
/// replacing files with a merge's.
pub struct Held {
    lock: Lock,
}

impl Store {
    /// The store's files as they are on disk now.
    pub fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let mut files = BTreeMap::new();
        for path in self.files()? {
            let Ok(rel) = path.strip_prefix(self.dir()) else {
                continue;
            };
            if let Some(text) = file::read_text(&path)? {
                files.insert(rel.to_path_buf(), text.into_bytes());
            }
        }
        Ok(Snapshot { files })
    }

    /// Takes the writer lock (waiting as every writer does) and clears what a killed writer
    /// left, as a transaction would.
    pub fn hold(&self) -> Result<Held, StoreError> {
        std::fs::create_dir_all(self.dir()).map_err(|source| StoreError::Io {
            action: "create",
            path: self.dir().to_path_buf(),
            source,
        })?;
        let lock = Lock::acquire(&self.lock_path())?;
        write::remove_leftovers(self.dir());
        write::remove_leftovers(&self.cache_dir());
        let noted = lock.noted_dirs();
        if !noted.is_empty() {
            noted.iter().for_each(|d| {
                write::remove_leftovers(d);
            });
            lock.clear_note();
        }
        Ok(Held { lock })
    }

    /// Replaces the store's files, which are `from`, with `to`. Each file is replaced whole (the
    /// write recipe), in two rounds so that a crash at any point leaves every promise of `from`
    /// or `to` readable, never none: first every file gains what it will have and keeps what is
    /// leaving it (a promise closed meanwhile shows closed in `open.toml`, so the integrity rule
    /// reads it from the archive), then every file becomes what it ends as. Archive files go
    /// before `open.toml` in each round.
    pub fn write_snapshot(
        &self,
        held: &Held,
        from: &Snapshot,
        to: &Snapshot,
    ) -> Result<(), StoreError> {
        let changed: Vec<&PathBuf> = from
            .files
            .keys()
            .chain(to.files.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|rel| from.files.get(*rel) != to.files.get(*rel))
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        // Everything is parsed and checked before the first write.
        let parse = |snapshot: &Snapshot, rel: &Path| -> Result<Option<StoreFile>, StoreError> {
            snapshot
                .files
                .get(rel)
                .map(|bytes| parse_bytes(&self.dir().join(rel), bytes))
                .transpose()
        };
        let mut before: BTreeMap<&Path, StoreFile> = BTreeMap::new();
        let mut after: BTreeMap<&Path, StoreFile> = BTreeMap::new();
        for rel in &changed {
            if let Some(f) = parse(from, rel)? {
                before.insert(rel.as_path(), f);
            }
            if let Some(f) = parse(to, rel)? {
                after.insert(rel.as_path(), f);
            }
        }
        let ending: HashMap<&Id, &Promise> = after
            .values()
            .flat_map(|f| &f.promises)
            .filter(|p| !p.is_open())
            .map(|p| (&p.id, p))
            .collect();

        // Round one: what each file has in the end, and what is leaving it still there.
        let mut first: Vec<(&Path, Vec<u8>)> = Vec::new();
        for rel in &changed {
            let rel = rel.as_path();
            let Some(target) = to.files.get(rel) else {
                continue;
            };
            let Some(old) = before.get(rel) else {
                // A new file only adds.
                first.push((rel, target.clone()));
                continue;
            };
            let new = after.get(rel).map(|f| f.promises.as_slice()).unwrap_or(&[]);
            let leaving: Vec<Promise> = old
                .promises
                .iter()
                .filter(|p| !new.iter().any(|n| n.id == p.id))
                .map(|p| match ending.get(&p.id) {
                    Some(closed) if rel == Path::new(OPEN) => (*closed).clone(),
                    _ => p.clone(),
                })
                .collect();
            if leaving.is_empty() {
                first.push((rel, target.clone()));
                continue;
            }
            let path = self.dir().join(rel);
            let mut doc = Doc::parse(&path, String::from_utf8_lossy(target).into_owned())?;
            let donor = Doc::parse(
                &path,
                String::from_utf8_lossy(&from.files[rel]).into_owned(),
            )?;
            let mut list = new.to_vec();
            list.extend(leaving);
            first.push((rel, doc.render_from(&list, Some(&donor))?.into_bytes()));
        }
        let mut last: Vec<(&Path, Option<&Vec<u8>>)> = Vec::new();
        for rel in &changed {
            let rel = rel.as_path();
            let target = to.files.get(rel);
            let written = first.iter().find(|(r, _)| *r == rel).map(|(_, b)| b);
            if target.is_none() || written != target {
                last.push((rel, target));
            }
        }
        first.sort_by_key(|(rel, _)| *rel == Path::new(OPEN));
        last.sort_by_key(|(rel, _)| *rel == Path::new(OPEN));

        let dirs: BTreeSet<PathBuf> = changed
            .iter()
            .filter_map(|rel| self.dir().join(rel).parent().map(Path::to_path_buf))
            .filter(|d| d != self.dir())
            .collect();
        if !dirs.is_empty() {
            held.lock
                .note_dirs(&dirs.iter().map(PathBuf::as_path).collect::<Vec<_>>());
        }
        for (rel, bytes) in &first {
            self.replace_file(rel, bytes)?;
        }
        super::test_hooks::crash_point("sync-between-rounds", &self.open_path());
        for (rel, bytes) in &last {
            match bytes {
                Some(bytes) => self.replace_file(rel, bytes)?,
                None => {
                    let path = self.dir().join(rel);
                    write::remove(&path).map_err(|source| StoreError::Io {
                        action: "remove",
                        path,
                        source,
                    })?
                }
            }
        }
        if !dirs.is_empty() {
            held.lock.clear_note();
        }
        Ok(())
    }

    fn replace_file(&self, rel: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        let path = self.dir().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                action: "create the directory of",
                path: path.clone(),
                source,
            })?;
        }
        write::replace(&path, bytes, true).map_err(|source| StoreError::Io {
            action: "write",
            path,
            source,
        })
    }
}

fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<StoreFile, StoreError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
        let (line, column) = file::line_column(&valid, valid.len());
        StoreError::Corrupt {
            path: path.to_path_buf(),
            line,
            column,
            message: "not valid UTF-8".into(),
        }
    })?;
    let parsed = StoreFile::parse(path, text)?;
    parsed.check_writable(path)?;
    if let Some(id) = parsed.duplicate() {
        let lines = file::id_lines(text, id);
        return Err(StoreError::Duplicate {
            path: path.to_path_buf(),
            id: id.to_string(),
            lines: (
                lines.first().copied().unwrap_or(0),
                lines.get(1).copied().unwrap_or(0),
            ),
        });
    }
    Ok(parsed)
}

/// One version of the store to merge: its files, and its name in messages: a commit's ("HEAD",
/// "origin/main"), which an error puts before the file's path ("HEAD:open.toml"), or a
/// directory's (an absolute path), which it is joined to.
#[derive(Clone, Copy)]
pub struct Version<'a> {
    pub name: &'a str,
    pub files: &'a Snapshot,
}

/// A version read: each file's promises, and every promise once, as the store's readers see
/// them (a promise in both `open.toml` and the archive is the archive's, with the other copy's
/// slips and reminders).
pub struct Parsed {
    files: BTreeMap<PathBuf, Rc<StoreFile>>,
    pub promises: BTreeMap<Id, Promise>,
}

/// Parses each distinct file once: the three versions of a merge share most of their files.
#[derive(Default)]
struct Cache<'a> {
    parsed: HashMap<&'a [u8], Rc<StoreFile>>,
}

impl<'a> Cache<'a> {
    fn read(&mut self, v: Version<'a>) -> Result<Parsed, StoreError> {
        let mut files = BTreeMap::new();
        for (rel, bytes) in &v.files.files {
            let parsed = match self.parsed.get(bytes.as_slice()) {
                Some(p) => p.clone(),
                None => {
                    let path = label(v.name, rel);
                    let p = Rc::new(parse_bytes(&path, bytes)?);
                    self.parsed.insert(bytes.as_slice(), p.clone());
                    p
                }
            };
            files.insert(rel.clone(), parsed);
        }
        let promises = combine(&files);
        Ok(Parsed { files, promises })
    }
}

fn label(name: &str, rel: &Path) -> PathBuf {
    if Path::new(name).is_absolute() {
        Path::new(name).join(rel)
    } else {
        PathBuf::from(format!("{name}:{}", rel.display()))
    }
}

/// Reads one version of the store.
pub fn read(v: Version<'_>) -> Result<Parsed, StoreError> {
    Cache::default().read(v)
}

/// What changed from one version to another, promise by promise.
pub fn changes(before: Version<'_>, after: Version<'_>) -> Result<merge::Changes, StoreError> {
    let mut cache = Cache::default();
    let (b, a) = (cache.read(before)?, cache.read(after)?);
    Ok(merge::Changes::between(&b.promises, &a.promises))
}

/// Where a promise belongs: `open.toml` while open, else its month's archive file.
fn home(p: &Promise) -> PathBuf {
    if p.is_open() {
        PathBuf::from(OPEN)
    } else {
        Path::new("archive").join(archive::relative_path(p))
    }
}

/// Every promise of a version once, by the store's integrity rules.
fn combine(files: &BTreeMap<PathBuf, Rc<StoreFile>>) -> BTreeMap<Id, Promise> {
    // Archive files oldest first, a year's file before that year's months (as the store lists them).
    let mut archive: Vec<(&PathBuf, &Rc<StoreFile>)> = files
        .iter()
        .filter(|(rel, _)| rel.as_path() != Path::new(OPEN))
        .collect();
    archive.sort_by_key(|(rel, _)| {
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        match parts.len() {
            2 => (parts[1].clone(), String::new()),
            _ => (format!("{}.toml", parts[1]), parts[2].clone()),
        }
    });
    let mut promises: BTreeMap<Id, Promise> = BTreeMap::new();
    for (rel, file) in archive {
        for p in &file.promises {
            let here = home(p) == **rel;
            match promises.get_mut(&p.id) {
                // (The copy seen first is not asked where it is: of two in their months'
                // files, the later one counts.)
                Some(seen)
                    if super::counts_over(
                        (p.reopened.len(), here),
                        (seen.reopened.len(), false),
                    ) =>
                {
                    *seen = p.clone()
                }
                Some(_) => {}
                None => {
                    promises.insert(p.id.clone(), p.clone());
                }
            }
        }
    }
    if let Some(open) = files.get(Path::new(OPEN)) {
        for p in &open.promises {
            match promises.get_mut(&p.id) {
                Some(archived) if super::supersedes(p, archived) => *archived = p.clone(),
                Some(archived) => {
                    merge_history(archived, p);
                }
                None => {
                    promises.insert(p.id.clone(), p.clone());
                }
            }
        }
    }
    promises
}

/// A merge's result: the store's files, the fields both sides changed, and every promise of
/// each side and of the result (for saying what changed).
pub struct Merged {
    pub files: Snapshot,
    pub conflicts: Vec<Conflict>,
    pub ours: BTreeMap<Id, Promise>,
    pub theirs: BTreeMap<Id, Promise>,
    pub result: BTreeMap<Id, Promise>,
}

/// Merges two versions of the whole store against their base, by promise id across every file
/// (a promise closed on one side and slipped on the other is one promise, whatever file each
/// side has it in). Each promise ends in the file where it belongs; a file that ends as one
/// side has it keeps that side's bytes, comments and all; any other is that file edited in
/// place, so hand edits survive where they can.
pub fn merge(
    base: Version<'_>,
    ours: Version<'_>,
    theirs: Version<'_>,
    rules: &Rules,
) -> Result<Merged, StoreError> {
    let mut cache = Cache::default();
    let b = cache.read(base)?;
    let o = cache.read(ours)?;
    let t = cache.read(theirs)?;

    let ids: BTreeSet<&Id> = o.promises.keys().chain(t.promises.keys()).collect();
    let mut result: BTreeMap<Id, Promise> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for id in ids {
        let (p, c) = merge::merge(
            b.promises.get(id),
            o.promises.get(id),
            t.promises.get(id),
            rules,
        );
        if let Some(p) = p {
            result.insert(id.clone(), p);
        }
        conflicts.extend(c);
    }

    // Each file's promises in the order the files have them: ours first, then theirs.
    let mut placed: BTreeMap<PathBuf, Vec<Promise>> = BTreeMap::new();
    let mut seen: BTreeSet<&Id> = BTreeSet::new();
    for parsed in [&o, &t] {
        for file in parsed.files.values() {
            for p in &file.promises {
                if let Some(p) = result.get(&p.id)
                    && seen.insert(&p.id)
                {
                    placed.entry(home(p)).or_default().push(p.clone());
                }
            }
        }
    }

    let names: BTreeSet<&PathBuf> = placed
        .keys()
        .chain(o.files.keys())
        .chain(t.files.keys())
        .collect();
    let mut files = BTreeMap::new();
    for rel in names {
        let want: &[Promise] = placed.get(rel).map(Vec::as_slice).unwrap_or(&[]);
        let (ours_bytes, theirs_bytes) = (ours.files.files.get(rel), theirs.files.files.get(rel));
        // The version of the file to edit: theirs where only they changed it, else ours; the
        // other side's version lends its tables (comments and all) to promises it brings.
        let (source, donor) = match (ours_bytes, theirs_bytes) {
            (_, Some(tb)) if ours_bytes == base.files.files.get(rel) => {
                (Some((theirs, &t, tb)), ours_bytes.map(|ob| (ours, ob)))
            }
            (Some(ob), _) => (Some((ours, &o, ob)), theirs_bytes.map(|tb| (theirs, tb))),
            (None, Some(tb)) => (Some((theirs, &t, tb)), None),
            (None, None) => (None, None),
        };
        if let Some((_, parsed, bytes)) = source
            && same_promises(&parsed.files[rel].promises, want)
        {
            files.insert(rel.clone(), bytes.clone());
            continue;
        }
        if want.is_empty() && rel.as_path() != Path::new(OPEN) {
            // An archive file left without promises is not written.
            continue;
        }
        let doc_of = |v: Version<'_>, bytes: &Vec<u8>| {
            let path = label(v.name, rel);
            Doc::parse(&path, String::from_utf8_lossy(bytes).into_owned())
        };
        let mut doc = match source {
            Some((v, _, bytes)) => doc_of(v, bytes)?,
            None => Doc::fresh(Path::new(rel)),
        };
        let donor = donor.map(|(v, bytes)| doc_of(v, bytes)).transpose()?;
        if let Some(donor) = &donor {
            doc.adopt_top_level(donor)?;
        }
        let text = doc.render_from(want, donor.as_ref())?;
        files.insert(rel.clone(), text.into_bytes());
    }
    Ok(Merged {
        files: Snapshot { files },
        conflicts,
        ours: o.promises,
        theirs: t.promises,
        result,
    })
}

/// The same promises, in whatever order.
fn same_promises(a: &[Promise], b: &[Promise]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let by_id: HashMap<&Id, &Promise> = b.iter().map(|p| (&p.id, p)).collect();
    a.iter().all(|p| by_id.get(&p.id) == Some(&p))
}

/// The closed promises of each side of a merge, from its archive: what a merge of `open.toml`
/// alone needs to tell a promise closed on one side (moved out of `open.toml`) from one
/// deleted there.
#[derive(Debug, Default)]
pub struct Closed {
    pub ours: BTreeMap<Id, Promise>,
    pub theirs: BTreeMap<Id, Promise>,
}

impl Closed {
    /// The closed promises of each version.
    pub fn of(ours: Version<'_>, theirs: Version<'_>) -> Result<Closed, StoreError> {
        let closed = |v| -> Result<BTreeMap<Id, Promise>, StoreError> {
            Ok(read(v)?
                .promises
                .into_iter()
                .filter(|(_, p)| !p.is_open())
                .collect())
        };
        Ok(Closed {
            ours: closed(ours)?,
            theirs: closed(theirs)?,
        })
    }
}

/// Merges one store file on its own (git's merge driver for a file: `base` may be empty, the
/// file being new on both sides). Promises stay in this file whatever became of them. A
/// promise one side moved out of `open.toml` by closing it (`closed` says so) while the other
/// changed it stays in `open.toml`, closed, with both sides' changes: every command then sees
/// it closed, and the next writer moves it to the archive (the store's integrity rule).
pub fn merge_file(
    name: &Path,
    base: &str,
    ours: &str,
    theirs: &str,
    closed: &Closed,
    rules: &Rules,
) -> Result<(String, Vec<Conflict>), StoreError> {
    let parse = |text: &str| -> Result<StoreFile, StoreError> {
        if text.trim().is_empty() {
            Ok(StoreFile::default())
        } else {
            parse_bytes(name, text.as_bytes())
        }
    };
    let (b, o, t) = (parse(base)?, parse(ours)?, parse(theirs)?);
    let by_id = |f: &StoreFile| -> HashMap<Id, Promise> {
        f.promises
            .iter()
            .map(|p| (p.id.clone(), p.clone()))
            .collect()
    };
    let (bm, om, tm) = (by_id(&b), by_id(&o), by_id(&t));
    // A side's version: in this file, or closed in its archive while the other side changed it.
    let version = |id: &Id,
                   here: &HashMap<Id, Promise>,
                   there: &HashMap<Id, Promise>,
                   archived: &BTreeMap<Id, Promise>| {
        here.get(id).cloned().or_else(|| {
            let changed_there = there.get(id).is_some_and(|p| bm.get(id) != Some(p));
            changed_there.then(|| archived.get(id).cloned()).flatten()
        })
    };
    let mut want = Vec::new();
    let mut conflicts = Vec::new();
    let mut seen = BTreeSet::new();
    for p in o.promises.iter().chain(&t.promises) {
        if !seen.insert(p.id.clone()) {
            continue;
        }
        let ov = version(&p.id, &om, &tm, &closed.ours);
        let tv = version(&p.id, &tm, &om, &closed.theirs);
        let (merged, c) = merge::merge(bm.get(&p.id), ov.as_ref(), tv.as_ref(), rules);
        want.extend(merged);
        conflicts.extend(c);
    }
    let mut doc = if ours.trim().is_empty() {
        Doc::fresh(name)
    } else {
        Doc::parse(name, ours.to_string())?
    };
    let donor = if theirs.trim().is_empty() {
        None
    } else {
        Some(Doc::parse(name, theirs.to_string())?)
    };
    if let Some(d) = &donor {
        doc.adopt_top_level(d)?;
    }
    if same_promises(&o.promises, &want) && o.extra == t.extra {
        return Ok((ours.to_string(), conflicts));
    }
    Ok((doc.render_from(&want, donor.as_ref())?, conflicts))
}

#[cfg(test)]
mod tests;
