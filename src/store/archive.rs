//! The archive: closed promises, one file per month of closing, `archive/YYYY/MM.toml`.
//!
//! Where a closed promise lives is a pure function of the promise ([`relative_path`]): the year
//! and month written in its `closed` instant (in the offset it was written with; its `due` if a
//! hand-written promise has no `closed`). Two machines that share a store through git therefore
//! put the same closed promise in the same file. Files of the older layout, `archive/YYYY.toml`,
//! are read as they are and moved into the monthly files by housekeeping ([`migrate`]).
//!
//! Housekeeping appends a closed promise's table to its month's file without parsing the file,
//! when the file is byte for byte what promise last wrote or checked there (its length and hash
//! are noted in `.cache/verified`) and does not have the id yet; any other file (edited by hand,
//! brought by a sync, restored) is parsed and checked first, once. A month holds at most a
//! month of closes, so either way its cost does not grow with the history.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::Datelike;

use super::doc::Doc;
use super::file::{self, HEADER, StoreFile};
use super::{StoreError, merge_history, supersedes, write};
use crate::model::{Id, Promise};

/// The archive file of a closed promise, relative to the archive directory.
pub fn relative_path(p: &Promise) -> PathBuf {
    let at = p.closed.unwrap_or(p.due);
    PathBuf::from(format!("{:04}", at.year())).join(format!("{:02}.toml", at.month()))
}

/// Every archive file: the monthly ones and any of the older yearly layout, oldest first (a
/// year's file before that year's months).
pub fn list(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut files: BTreeMap<(i32, u32), PathBuf> = BTreeMap::new();
    for (year, path, is_dir) in years(dir)? {
        if is_dir {
            for (month, path) in months(&path)? {
                files.insert((year, month), path);
            }
        } else {
            files.insert((year, 0), path);
        }
    }
    Ok(files.into_values().collect())
}

/// A directory of the archive: its own (None: year directories and yearly files in it) or a
/// year's (`Some(year)`: month files in it).
pub type Dir = Option<i32>;

/// The archive files as [`list`] gives them, reading only the directories that `vouched` does
/// not answer for. `vouched(dir, meta)`: the entries an index saw in `dir` (each a path, and
/// whether it is a year directory), if `meta`, taken just now, says the directory has not
/// changed since; a file is only ever added, removed or renamed by changing its directory.
/// Returns the files, and each directory with its metadata as taken before it was read.
pub fn list_reusing(
    dir: &Path,
    vouched: impl Fn(Dir, &fs::Metadata) -> Option<Vec<(PathBuf, bool)>>,
) -> Result<(Vec<PathBuf>, Seen), StoreError> {
    let mut seen = Vec::new();
    let Ok(top) = fs::metadata(dir) else {
        return Ok((list(dir)?, seen));
    };
    let entries = match vouched(None, &top) {
        Some(entries) => entries
            .into_iter()
            .filter_map(|(path, is_dir)| {
                let year = year_of(path.file_name()?.to_str()?)?;
                Some((year, path, is_dir))
            })
            .collect(),
        None => years(dir)?,
    };
    seen.push((None, top));
    let mut files: BTreeMap<(i32, u32), PathBuf> = BTreeMap::new();
    for (year, path, is_dir) in entries {
        if !is_dir {
            files.insert((year, 0), path);
            continue;
        }
        let Ok(meta) = fs::metadata(&path) else {
            continue;
        };
        let months = match vouched(Some(year), &meta) {
            Some(entries) => entries
                .into_iter()
                .filter_map(|(path, _)| Some((month_of_name(path.file_name()?.to_str()?)?, path)))
                .collect(),
            None => months(&path)?,
        };
        seen.push((Some(year), meta));
        for (month, path) in months {
            files.insert((year, month), path);
        }
    }
    Ok((files.into_values().collect(), seen))
}

/// The directories a listing looked at, each with its metadata from just before.
pub type Seen = Vec<(Dir, fs::Metadata)>;

/// The archive directory's year directories and yearly files: year, path, whether a directory.
pub(super) fn years(dir: &Path) -> Result<Vec<(i32, PathBuf, bool)>, StoreError> {
    Ok(entries(dir)?
        .into_iter()
        .filter_map(|(name, path, kind)| {
            let year = year_of(&name)?;
            match kind {
                Kind::Dir => Some((year, path, true)),
                _ if name.ends_with(".toml") => Some((year, path, false)),
                _ => None,
            }
        })
        .collect())
}

/// A year directory's month files.
pub(super) fn months(dir: &Path) -> Result<Vec<(u32, PathBuf)>, StoreError> {
    Ok(entries(dir)?
        .into_iter()
        .filter_map(|(name, path, _)| Some((month_of_name(&name)?, path)))
        .collect())
}

/// `MM.toml`, 01 to 12.
fn month_of_name(name: &str) -> Option<u32> {
    name.strip_suffix(".toml")
        .filter(|m| m.len() == 2)
        .and_then(|m| m.parse::<u32>().ok())
        .filter(|m| (1..=12).contains(m))
}

/// Files of the yearly layout, `archive/YYYY.toml`, still to be moved into months.
pub fn legacy_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    Ok(entries(dir)?
        .into_iter()
        .filter(|(name, _, kind)| {
            name.strip_suffix(".toml").and_then(year_of_str).is_some() && *kind == Kind::File
        })
        .map(|(_, path, _)| path)
        .collect())
}

fn year_of(name: &str) -> Option<i32> {
    year_of_str(name.strip_suffix(".toml").unwrap_or(name))
}

fn year_of_str(name: &str) -> Option<i32> {
    (name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit()))
        .then(|| name.parse().ok())
        .flatten()
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Dir,
    File,
    Other,
}

/// A directory's entries: name, path, and what it is, as the listing says (no `stat` each); a
/// symbolic link is followed, which takes a look of its own.
fn entries(dir: &Path) -> Result<Vec<(String, PathBuf, Kind)>, StoreError> {
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::Io {
                action: "read",
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    Ok(read
        .flatten()
        .filter_map(|e| {
            let kind = |t: fs::FileType| {
                if t.is_dir() {
                    Kind::Dir
                } else if t.is_file() {
                    Kind::File
                } else {
                    Kind::Other
                }
            };
            let kind = match e.file_type() {
                Ok(t) if !t.is_symlink() => kind(t),
                _ => fs::metadata(e.path()).map_or(Kind::Other, |m| kind(m.file_type())),
            };
            Some((e.file_name().into_string().ok()?, e.path(), kind))
        })
        .collect())
}

/// Which archive files are exactly as promise last wrote or checked them: their length and a
/// hash of their bytes, in `.cache/verified`. Only a hint: missing or stale, it costs a parse,
/// never safety, since a file is trusted only when its bytes hash to what was noted.
pub struct Verified {
    path: PathBuf,
    files: HashMap<String, (u64, u64)>,
    changed: bool,
}

impl Verified {
    pub fn load(cache_dir: &Path) -> Verified {
        let path = cache_dir.join("verified");
        let files = fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| {
                let mut parts = line.rsplitn(3, ' ');
                let hash = parts.next()?.parse().ok()?;
                let len = parts.next()?.parse().ok()?;
                Some((parts.next()?.to_string(), (len, hash)))
            })
            .collect();
        Verified {
            path,
            files,
            changed: false,
        }
    }

    /// No note, for a change that writes no archive file.
    pub fn none() -> Verified {
        Verified {
            path: PathBuf::new(),
            files: HashMap::new(),
            changed: false,
        }
    }

    fn key(rel: &Path) -> String {
        rel.to_string_lossy().into_owned()
    }

    pub fn trusts(&self, rel: &Path, bytes: &[u8]) -> bool {
        self.files.get(&Self::key(rel)) == Some(&(bytes.len() as u64, hash(bytes)))
    }

    pub fn record(&mut self, rel: &Path, bytes: &[u8]) {
        self.files
            .insert(Self::key(rel), (bytes.len() as u64, hash(bytes)));
        self.changed = true;
    }

    pub fn forget(&mut self, rel: &Path) {
        self.changed |= self.files.remove(&Self::key(rel)).is_some();
    }

    /// Best effort: a note that cannot be written only sends the next close down the careful path.
    pub fn save(&self) {
        if !self.changed {
            return;
        }
        let mut lines: Vec<String> = self
            .files
            .iter()
            .map(|(name, (len, hash))| format!("{name} {len} {hash}"))
            .collect();
        lines.sort();
        let Some(dir) = self.path.parent() else {
            return;
        };
        let _ = fs::create_dir_all(dir);
        let temp = dir.join(format!("{}verified", write::TEMP_PREFIX));
        if fs::write(&temp, lines.join("\n") + "\n").is_ok() {
            let _ = fs::rename(&temp, &self.path);
        }
    }
}

fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// A change to one archive file.
#[derive(Default)]
pub struct Change {
    /// Closed promises to add. One already there stays as the archive has it, with the slips
    /// and reminders of the one being added merged in.
    pub add: Vec<Promise>,
    /// Ids to take out (reopened promises).
    pub remove: Vec<Id>,
    /// The file read for editing, with its promises as edited.
    pub edited: Option<(Doc, Vec<Promise>)>,
}

/// An archive file's new bytes, made and checked before anything is written.
pub struct Prepared {
    pub path: PathBuf,
    rel: PathBuf,
    bytes: Vec<u8>,
}

impl Prepared {
    pub fn write(&self, verified: &mut Verified) -> Result<(), StoreError> {
        let io_error = |action, source| StoreError::Io {
            action,
            path: self.path.clone(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error("create the directory of", e))?;
            write::remove_leftovers(dir);
        }
        write::replace(&self.path, &self.bytes, true).map_err(|e| io_error("write", e))?;
        verified.record(&self.rel, &self.bytes);
        Ok(())
    }
}

/// The new bytes of the archive file at `path` (`rel` inside the archive directory) with
/// `change` applied; None when it would not change. Reads, parses and checks whatever it must,
/// so that a broken or newer file stops the change before anything is written.
pub fn prepare(
    path: &Path,
    rel: &Path,
    change: Change,
    verified: &Verified,
) -> Result<Option<Prepared>, StoreError> {
    let prepared = |bytes: Vec<u8>| {
        Some(Prepared {
            path: path.to_path_buf(),
            rel: rel.to_path_buf(),
            bytes,
        })
    };
    if change.remove.is_empty()
        && change.edited.is_none()
        && let Some(bytes) = appended(path, rel, &change.add, verified)?
    {
        return Ok(prepared(bytes));
    }
    let (mut doc, mut promises) = match change.edited {
        Some(edited) => edited,
        None => {
            let doc = Doc::read(path)?;
            let promises = doc.file.promises.clone();
            (doc, promises)
        }
    };
    doc.check_writable()?;
    promises.retain(|p| !change.remove.contains(&p.id));
    for new in change.add {
        match promises.iter_mut().find(|p| p.id == new.id) {
            // The same promise, archived already (a close that crashed half-way, a sync): the
            // archive's copy stays, and learns the other's slips and reminders.
            // One reopened since the archive's copy was written is the later: it replaces it.
            Some(archived) if same_promise(archived, &new) && supersedes(&new, archived) => {
                *archived = new;
            }
            Some(archived) if same_promise(archived, &new) => {
                merge_history(archived, &new);
            }
            // Two different promises under one id (a copy-paste): neither may be lost.
            Some(archived) => {
                return Err(StoreError::invalid(format!(
                    "{} already has a different promise with the id {} (\"{}\" for {}, not \
                     \"{}\" for {}); give one of them another id by hand",
                    path.display(),
                    new.id,
                    archived.what,
                    archived.customer,
                    new.what,
                    new.customer
                )));
            }
            None => promises.push(new),
        }
    }
    if promises == doc.file.promises {
        return Ok(None);
    }
    Ok(prepared(doc.render(&promises)?.into_bytes()))
}

/// Whether two copies with one id are one promise: made at the same moment, for the same
/// customer. (A sync may bring a different `what`, edited on one machine.)
pub(super) fn same_promise(a: &Promise, b: &Promise) -> bool {
    a.made == b.made && a.customer == b.customer
}

/// Whether adding promises to the file at `path` can be an append, the file being missing or
/// exactly as promise last wrote or checked it (its bytes are read and hashed, not parsed).
pub fn appends_without_parsing(path: &Path, rel: &Path, verified: &Verified) -> bool {
    match fs::read(path) {
        Ok(bytes) => verified.trusts(rel, &bytes),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// The file with `promises` appended, without parsing it, when it is exactly what promise last
/// wrote or checked there and none of them is in it already. None when the careful path (parse,
/// check, merge, rewrite) is needed.
fn appended(
    path: &Path,
    rel: &Path,
    promises: &[Promise],
    verified: &Verified,
) -> Result<Option<Vec<u8>>, StoreError> {
    let tables = StoreFile::promise_tables(promises)?;
    let Some(text) = file::read_text(path)? else {
        return Ok(Some(
            format!("{HEADER}version = 1\n\n{tables}").into_bytes(),
        ));
    };
    let bytes = text.into_bytes();
    let known = verified.trusts(rel, &bytes);
    // An id already in the file (a close that crashed half-way, a sync) goes the careful way.
    let present = || {
        promises.iter().any(|p| {
            let quoted = format!("\"{}\"", p.id);
            bytes.windows(quoted.len()).any(|w| w == quoted.as_bytes())
        })
    };
    if !known || present() {
        return Ok(None);
    }
    let mut out = bytes;
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(tables.as_bytes());
    Ok(Some(out))
}

/// Moves the promises of yearly files (`archive/YYYY.toml`, the layout before 0.2) into the
/// monthly ones, losslessly: each `[[promise]]` table moves with its comments and unknown
/// fields, the year file's own top-level keys and tables go into every month made from it.
/// Months are written first and the year file removed last, so a crash in between leaves each
/// promise in both, which readers show once (the month's copy) and the next writer finishes.
///
/// Returns the ids of `open` (the promises in `open.toml`) that the yearly files also had: a
/// close that crashed between the two files under an older version. The archive's copy wins,
/// with their slips and reminders merged in, and they are to be dropped from `open.toml`.
pub fn migrate(
    archive_dir: &Path,
    verified: &mut Verified,
    open: &[Promise],
) -> Result<Vec<Id>, StoreError> {
    let mut both = Vec::new();
    for year_file in legacy_files(archive_dir)? {
        let doc = Doc::read(&year_file)?;
        doc.check_writable()?;
        let mut months: BTreeMap<PathBuf, Vec<Promise>> = BTreeMap::new();
        for p in &doc.file.promises {
            let mut p = p.clone();
            if let Some(o) = open.iter().find(|o| o.id == p.id) {
                // A copy in open.toml reopened since is the later one, and stays.
                if !supersedes(o, &p) {
                    merge_history(&mut p, o);
                    both.push(p.id.clone());
                }
            }
            months.entry(relative_path(&p)).or_default().push(p);
        }
        // New month files are written together: each fsynced, then all renamed, then each
        // directory fsynced once (a year's twelve files, not twelve times the recipe).
        let mut new_files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        for (rel, promises) in months {
            let path = archive_dir.join(&rel);
            let mut month = Doc::read(&path)?;
            month.check_writable()?;
            let before = month.file.promises.clone();
            let mut after = before.clone();
            for p in promises {
                // A month that has it already (a migration that crashed half-way) wins.
                if !after.iter().any(|q| q.id == p.id) {
                    after.push(p);
                }
            }
            if after == before {
                continue;
            }
            if before.is_empty() {
                month.adopt_top_level(&doc)?;
            }
            let text = month.render_from(&after, Some(&doc))?;
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                    action: "create",
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            verified.record(&rel, text.as_bytes());
            if fs::symlink_metadata(&path).is_ok() {
                write::replace(&path, text.as_bytes(), true).map_err(|source| StoreError::Io {
                    action: "write",
                    path: path.clone(),
                    source,
                })?;
            } else {
                new_files.push((path, text.into_bytes()));
            }
        }
        write::create_all(&new_files).map_err(|(path, source)| StoreError::Io {
            action: "write",
            path,
            source,
        })?;
        write::remove(&year_file).map_err(|source| StoreError::Io {
            action: "remove",
            path: year_file.clone(),
            source,
        })?;
        if let Ok(rel) = year_file.strip_prefix(archive_dir) {
            verified.forget(rel);
        }
    }
    // The note of the yearly layout's append path.
    let _ = fs::remove_file(archive_dir.join(".verified"));
    Ok(both)
}
