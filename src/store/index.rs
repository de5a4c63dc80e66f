//! A derived index of the archive, `.cache/index`: for each archive file, what scoring needs of
//! each promise in it (id, customer, when it was made, due, closed, its status and its slips'
//! instants), in a compact binary form (postcard) that loads in a fraction of the time TOML
//! parses. The report at 100,000 closed promises reads it instead of 24 MB of TOML.
//!
//! Never the source of truth: each file's entry records the file's identity and size, its
//! modification and change times (`stat`) and a hash of its bytes, as they were when the entry
//! was made; any difference and the file is parsed again (a file changed within the same clock
//! tick as the index was written is checked by its hash). The index is rewritten after any
//! entry was rebuilt, by a temporary file and a rename, without a lock: two readers that race
//! both write a correct index. Missing, torn or from another version, it is rebuilt. It is
//! written by readers of the archive (`report`, lookups by id) and writers, never by `prompt`,
//! and may be deleted at any time.

use std::collections::HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use super::file::{self, StoreFile};
use super::{StoreError, archive};
use crate::model::{Id, Instant, Promise, Slip, Status};

/// The two indexes under the cache directory: `index`, what the report needs of every promise;
/// `ids`, only their ids, for lookups by id (a tenth of the size to read and to rewrite).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Full,
    Ids,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Full => "index",
            Kind::Ids => "ids",
        }
    }

    /// Changes when the format does; an index of another format is rebuilt.
    fn magic(self) -> &'static [u8; 8] {
        match self {
            Kind::Full => b"promidx5",
            Kind::Ids => b"promids1",
        }
    }
}

/// What identifies a file's version without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// An instant as (seconds, nanoseconds, offset seconds).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Time(i64, u32, i32);

impl Time {
    fn of(t: &Instant) -> Time {
        Time(
            t.timestamp(),
            t.timestamp_subsec_nanos(),
            t.offset().local_minus_utc(),
        )
    }

    fn instant(self, dates: &mut Dates) -> Option<Instant> {
        let (days, secs) = (self.0.div_euclid(86_400), self.0.rem_euclid(86_400));
        let date = dates.date(days)?;
        let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs as u32, self.1)?;
        Some(chrono::DateTime::from_naive_utc_and_offset(
            date.and_time(time),
            FixedOffset::east_opt(self.2)?,
        ))
    }
}

/// Days since 1970 as dates, remembered: turning a day number into a date is the costly part
/// of an instant, and a file's promises were made, due and closed on few different days.
#[derive(Default)]
struct Dates {
    recent: [(i64, Option<chrono::NaiveDate>); 4],
    next: usize,
}

impl Dates {
    fn date(&mut self, days: i64) -> Option<chrono::NaiveDate> {
        if let Some((_, date)) = self
            .recent
            .iter()
            .find(|(d, date)| *d == days && date.is_some())
        {
            return *date;
        }
        let date =
            chrono::NaiveDate::from_num_days_from_ce_opt(i32::try_from(days + 719_163).ok()?);
        self.recent[self.next] = (days, date);
        self.next = (self.next + 1) % self.recent.len();
        date
    }
}

/// What the report needs of one closed promise.
#[derive(Debug, Serialize, Deserialize)]
struct Lean {
    /// Index into the entry's customers.
    customer: u32,
    made: Time,
    due: Time,
    status: u8,
    closed: Option<Time>,
    original_due: Option<Time>,
    /// Each slip's (at, from, to).
    slips: Vec<(Time, Time, Time)>,
}

/// What the index knows of one archive file; its promises follow in a [`Body`] of `len` bytes,
/// decoded only when the file is up to date and its promises are wanted.
#[derive(Debug, Serialize, Deserialize)]
struct Head<'a> {
    rel: &'a str,
    stamp: Stamp,
    hash: u64,
    /// How many promises the body holds.
    count: u32,
    len: u32,
}

/// One archive file's promises.
#[derive(Debug, Serialize, Deserialize)]
struct Body<'a> {
    #[serde(borrow)]
    customers: Vec<&'a str>,
    /// The promises' ids, apart: a lookup by id reads these alone.
    #[serde(borrow)]
    ids: Vec<&'a str>,
    promises: Vec<Lean>,
}

fn status_code(s: Status) -> u8 {
    match s {
        Status::Open => 0,
        Status::Kept => 1,
        Status::Cancelled => 2,
    }
}

fn status_of(code: u8) -> Option<Status> {
    Some(match code {
        0 => Status::Open,
        1 => Status::Kept,
        2 => Status::Cancelled,
        _ => return None,
    })
}

/// The index's bytes for one file: its head, then its body.
fn encode(kind: Kind, rel: &str, stamp: Stamp, hash: u64, promises: &[Promise]) -> Option<Vec<u8>> {
    let body = match kind {
        Kind::Full => postcard::to_stdvec(&body(promises)).ok()?,
        Kind::Ids => {
            let ids: Vec<&str> = promises.iter().map(|p| p.id.as_str()).collect();
            postcard::to_stdvec(&ids).ok()?
        }
    };
    let mut bytes = postcard::to_stdvec(&Head {
        rel,
        stamp,
        hash,
        count: u32::try_from(promises.len()).ok()?,
        len: u32::try_from(body.len()).ok()?,
    })
    .ok()?;
    bytes.extend_from_slice(&body);
    Some(bytes)
}

fn body(promises: &[Promise]) -> Body<'_> {
    let mut customers: Vec<&str> = Vec::new();
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let lean = promises
        .iter()
        .map(|p| {
            let customer = *numbers.entry(p.customer.as_str()).or_insert_with(|| {
                customers.push(p.customer.as_str());
                customers.len() as u32 - 1
            });
            Lean {
                customer,
                made: Time::of(&p.made),
                due: Time::of(&p.due),
                status: status_code(p.status),
                closed: p.closed.as_ref().map(Time::of),
                original_due: p.original_due.as_ref().map(Time::of),
                slips: p
                    .slips
                    .iter()
                    .map(|s| (Time::of(&s.at), Time::of(&s.from), Time::of(&s.to)))
                    .collect(),
            }
        })
        .collect();
    Body {
        customers,
        ids: promises.iter().map(|p| p.id.as_str()).collect(),
        promises: lean,
    }
}

/// The promise as scoring sees it: its text fields but id and customer left empty.
fn lean_promise(id: &str, lean: &Lean, customers: &[&str], dates: &mut Dates) -> Option<Promise> {
    let mut p = Promise::new(
        Id(id.to_string()),
        customers.get(lean.customer as usize)?.to_string(),
        String::new(),
        lean.made.instant(dates)?,
        lean.due.instant(dates)?,
    );
    p.status = status_of(lean.status)?;
    p.closed = match lean.closed {
        Some(t) => Some(t.instant(dates)?),
        None => None,
    };
    p.original_due = match lean.original_due {
        Some(t) => Some(t.instant(dates)?),
        None => None,
    };
    p.slips = lean
        .slips
        .iter()
        .map(|(at, from, to)| {
            Some(Slip {
                at: at.instant(dates)?,
                from: from.instant(dates)?,
                to: to.instant(dates)?,
                reason: None,
                extra: toml::Table::new(),
            })
        })
        .collect::<Option<_>>()?;
    Some(p)
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// The archive as the index gave it: every file's promises in one vector (a long history is
/// hundreds of thousands of them: one allocation, no copies).
pub struct Loaded {
    pub promises: Vec<Promise>,
    /// Each promise's id hashed ([`super::id_hash`]), computed while its bytes were at hand.
    pub hashes: Vec<u64>,
    pub files: Vec<File>,
}

/// One archive file: where its promises are in [`Loaded::promises`].
pub struct File {
    pub path: PathBuf,
    pub range: std::ops::Range<usize>,
    /// The part of `range` that came from the index: lean, what scoring reads, the other text
    /// fields empty. The rest was parsed, whole (or made lean where asked).
    pub lean: std::ops::Range<usize>,
}

/// Reads the archive through the index: files unchanged since the index was made come from it,
/// the others are parsed (in parallel) and the index rewritten. Oldest file first.
///
/// Promises the index gives are lean; of those parsed, the ones `lean` picks are made lean too.
pub fn load(
    archive_dir: &Path,
    cache_dir: &Path,
    lean: &(dyn Fn(&Promise) -> bool + Sync),
) -> Result<Loaded, StoreError> {
    load_or_find(Kind::Full, archive_dir, cache_dir, None, lean).map(|(loaded, _)| loaded)
}

/// The ids that start with `prefix` in the archive, with the file each is in; found in the
/// index without making a promise of every entry, when the index is up to date.
pub fn find(
    archive_dir: &Path,
    cache_dir: &Path,
    prefix: &str,
) -> Result<Vec<(PathBuf, String)>, StoreError> {
    let (loaded, found) = load_or_find(Kind::Ids, archive_dir, cache_dir, Some(prefix), &|_| true)?;
    if let Some(found) = found {
        return Ok(found);
    }
    let mut found = Vec::new();
    for file in &loaded.files {
        for p in &loaded.promises[file.range.clone()] {
            if p.id.as_str().starts_with(prefix) {
                found.push((file.path.clone(), p.id.to_string()));
            }
        }
    }
    Ok(found)
}

/// Ids found by [`find`], each with the archive file that has it.
type Found = Vec<(PathBuf, String)>;

/// With `prefix` and every file up to date in the index: nothing loaded, the matching ids
/// found. Otherwise the archive loaded (and the index brought up to date).
fn load_or_find(
    kind: Kind,
    archive_dir: &Path,
    cache_dir: &Path,
    prefix: Option<&str>,
    lean: &(dyn Fn(&Promise) -> bool + Sync),
) -> Result<(Loaded, Option<Found>), StoreError> {
    let files = archive::list(archive_dir)?;
    let index_path = cache_dir.join(kind.name());
    let (index_bytes, written) = read_index(kind, &index_path);

    // Where each file's entry is in the index bytes.
    let mut known: HashMap<&str, (Head<'_>, std::ops::Range<usize>)> = HashMap::new();
    if let Some(bytes) = &index_bytes {
        let mut at = 0;
        while at < bytes.len() {
            let Ok((head, rest)) = postcard::take_from_bytes::<Head<'_>>(&bytes[at..]) else {
                known.clear();
                break;
            };
            let start = bytes.len() - rest.len();
            let end = start + head.len as usize;
            if end > bytes.len() {
                known.clear();
                break;
            }
            known.insert(head.rel, (head, at..end));
            at = end;
        }
    }

    // Which files can come from the index, and which only grew by appended promises since it
    // was made (a close, most often): for those only the new end is parsed.
    let mut grown: HashMap<usize, (StoreFile, u64)> = HashMap::new();
    let mut plan: Vec<(PathBuf, String, Option<Stamp>, bool)> = Vec::with_capacity(files.len());
    for path in files {
        let rel = path
            .strip_prefix(archive_dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let stamp = fs::metadata(&path).ok().map(|m| Stamp::of(&m));
        let fresh = match (known.get(rel.as_str()), stamp) {
            (Some((head, _)), Some(s)) if head.stamp == s => {
                // Changed shortly before the index was written, perhaps in the same clock tick
                // as it was read: only its bytes can tell.
                let racy = written.is_none_or(|(secs, nanos)| {
                    let w = (secs - 1, nanos);
                    s.ctime >= w || s.mtime >= w
                });
                !racy || fs::read(&path).is_ok_and(|b| hash(&b) == head.hash)
            }
            _ => false,
        };
        if !fresh
            && let (Some((head, _)), Some(s)) = (known.get(rel.as_str()), stamp)
            && s.len > head.stamp.len
            && let Some(tail) = appended_tail(&path, head, lean)
        {
            grown.insert(plan.len(), tail);
        }
        plan.push((path, rel, stamp, fresh));
    }

    let bytes = index_bytes.as_deref().unwrap_or_default();
    let body_of = |rel: &str| {
        let (head, range) = &known[rel];
        &bytes[range.end - head.len as usize..range.end]
    };
    let rewrite = known.len() != plan.len() || plan.iter().any(|(.., fresh)| !fresh);
    let mut index: Vec<u8> = Vec::new();
    let mut found: Found = Vec::new();
    let mut out = Vec::with_capacity(plan.len());

    // The files the index has up to date: their ids looked at, or their promises decoded.
    let mut promises: Vec<Promise> = Vec::new();
    let mut hashes: Vec<u64> = Vec::new();
    let mut intact = true;
    if let Some(prefix) = prefix {
        for (i, (path, rel, stamp, fresh)) in plan.iter().enumerate() {
            if *fresh {
                match ids_in(kind, body_of(rel), prefix) {
                    Some(ids) => found.extend(ids.into_iter().map(|id| (path.clone(), id))),
                    None => intact = false,
                }
            } else if let Some((tail, digest)) = grown.get(&i) {
                let Some(mut ids) = ids_in(kind, body_of(rel), "") else {
                    intact = false;
                    continue;
                };
                ids.extend(tail.promises.iter().map(|p| p.id.to_string()));
                found.extend(
                    ids.iter()
                        .filter(|id| id.starts_with(prefix))
                        .map(|id| (path.clone(), id.clone())),
                );
                if let Some(stamp) = stamp
                    && let Some(bytes) = encode_ids(rel, *stamp, *digest, &ids)
                {
                    index.extend(bytes);
                }
            }
        }
    } else {
        let fresh: Vec<(usize, &[u8], usize)> = plan
            .iter()
            .enumerate()
            .filter(|(_, (.., fresh))| *fresh)
            .map(|(i, (_, rel, ..))| (i, body_of(rel), known[rel.as_str()].0.count as usize))
            .collect();
        let count: usize = fresh.iter().map(|f| f.2).sum();
        // Room for the files to parse too, estimated from their size (a promise's table is
        // well over 150 bytes): capacity not filled costs no memory.
        let stale_bytes: u64 = plan
            .iter()
            .filter(|(.., fresh)| !fresh)
            .filter_map(|(_, _, stamp, _)| stamp.map(|s| s.len))
            .sum();
        promises.reserve(count + (stale_bytes / 150) as usize);
        if stale_bytes == 0 {
            populate(&mut promises);
        }
        hashes.reserve(promises.capacity());
        intact = decode_all(&fresh, &mut promises, &mut hashes);
        if intact {
            let mut at = 0;
            for (i, _, n) in &fresh {
                out.push(File {
                    path: plan[*i].0.clone(),
                    range: at..at + n,
                    lean: at..at + n,
                });
                at += n;
            }
            // Grown files: what the index had, then the promises appended since.
            for (&i, (tail, digest)) in &grown {
                let (path, rel, stamp, _) = &plan[i];
                let start = promises.len();
                let body = body_of(rel);
                if !decode_all(
                    &[(i, body, known[rel.as_str()].0.count as usize)],
                    &mut promises,
                    &mut hashes,
                ) {
                    intact = false;
                    break;
                }
                let old = promises.len();
                hashes.extend(tail.promises.iter().map(|p| super::id_hash(p.id.as_str())));
                promises.extend(tail.promises.iter().cloned());
                if let Some(stamp) = stamp
                    && let Some(bytes) = encode(kind, rel, *stamp, *digest, &promises[start..])
                {
                    index.extend(bytes);
                }
                out.push(File {
                    path: path.clone(),
                    range: start..promises.len(),
                    lean: start..old,
                });
            }
        }
        if !intact {
            promises.clear();
            hashes.clear();
            out.clear();
            index.clear();
        }
    }
    if !intact {
        found.clear();
    }
    if intact {
        for (_, rel, _, fresh) in &plan {
            if *fresh && rewrite {
                index.extend_from_slice(&bytes[known[rel.as_str()].1.clone()]);
            }
        }
    }
    // Given back before the report is built on what was decoded.
    drop(known);
    drop(index_bytes);

    // The others (all of them, if the index did not decode), parsed a few at a time and moved
    // in at once: never the whole history parsed and held twice.
    if !intact {
        index.clear();
        grown.clear();
    }
    let stale: Vec<&(PathBuf, String, Option<Stamp>, bool)> = plan
        .iter()
        .enumerate()
        .filter(|(i, (.., fresh))| (!*fresh && !grown.contains_key(i)) || !intact)
        .map(|(_, entry)| entry)
        .collect();
    let mut take = |(path, rel, stamp, _): &(PathBuf, String, Option<Stamp>, bool),
                    (file, digest): (StoreFile, u64)| {
        if let Some(stamp) = stamp
            && let Some(bytes) = encode(kind, rel, *stamp, digest, &file.promises)
        {
            index.extend(bytes);
        }
        match prefix {
            Some(prefix) => found.extend(
                file.promises
                    .iter()
                    .filter(|p| p.id.as_str().starts_with(prefix))
                    .map(|p| (path.clone(), p.id.to_string())),
            ),
            None => {
                let start = promises.len();
                hashes.extend(file.promises.iter().map(|p| super::id_hash(p.id.as_str())));
                promises.extend(file.promises);
                out.push(File {
                    path: path.clone(),
                    range: start..promises.len(),
                    lean: start..start,
                });
            }
        }
    };
    parse_streaming(&stale, lean, |i, parsed| take(stale[i], parsed))?;
    if rewrite || !intact {
        write_index(kind, cache_dir, &index_path, &index);
    }
    let loaded = Loaded {
        promises,
        hashes,
        files: out,
    };
    Ok((loaded, prefix.map(|_| found)))
}

/// What was appended to the file at `path` since the index's entry `old` was made, parsed
/// (and made lean where `lean` says), with the hash of the whole file now; None unless the file
/// is exactly the old one with promise tables (or comments) after it.
fn appended_tail(
    path: &Path,
    old: &Head<'_>,
    lean: &(dyn Fn(&Promise) -> bool + Sync),
) -> Option<(StoreFile, u64)> {
    let bytes = fs::read(path).ok()?;
    let old_len = usize::try_from(old.stamp.len).ok()?;
    if old_len == 0 || bytes.len() <= old_len || bytes[old_len - 1] != b'\n' {
        return None;
    }
    if hash(&bytes[..old_len]) != old.hash {
        return None;
    }
    let tail = std::str::from_utf8(&bytes[old_len..]).ok()?;
    // Anything but whole tables after it could change what the old end said.
    let first = tail
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    let mut file = match first {
        None => StoreFile::default(),
        Some(line)
            if line
                .strip_prefix("[[promise]]")
                .is_some_and(|rest| rest.trim().is_empty() || rest.trim().starts_with('#')) =>
        {
            StoreFile::parse(path, tail).ok()?
        }
        Some(_) => return None,
    };
    if !file.extra.is_empty() {
        return None;
    }
    for p in file.promises.iter_mut().filter(|p| lean(p)) {
        make_lean(p);
    }
    Some((file, hash(&bytes)))
}

/// An `ids` index entry made from the ids themselves.
fn encode_ids(rel: &str, stamp: Stamp, hash: u64, ids: &[String]) -> Option<Vec<u8>> {
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let body = postcard::to_stdvec(&ids).ok()?;
    let mut bytes = postcard::to_stdvec(&Head {
        rel,
        stamp,
        hash,
        count: u32::try_from(ids.len()).ok()?,
        len: u32::try_from(body.len()).ok()?,
    })
    .ok()?;
    bytes.extend_from_slice(&body);
    Some(bytes)
}

/// The ids in a file's body that start with `prefix`; None if it does not decode. A body
/// whose bytes do not contain the prefix at all has none, and is not decoded.
fn ids_in(kind: Kind, body: &[u8], prefix: &str) -> Option<Vec<String>> {
    if memchr::memmem::find(body, prefix.as_bytes()).is_none() {
        return Some(Vec::new());
    }
    let rest = match kind {
        Kind::Full => postcard::take_from_bytes::<Vec<&str>>(body).ok()?.1,
        Kind::Ids => body,
    };
    let (ids, _) = postcard::take_from_bytes::<Vec<&str>>(rest).ok()?;
    Some(
        ids.into_iter()
            .filter(|id| id.starts_with(prefix))
            .map(str::to_string)
            .collect(),
    )
}

/// Has the kernel map a long history's one big vector in one call (MADV_POPULATE_WRITE, Linux
/// 5.14) rather than in a page fault per 4 KiB as it fills: 40 MB page by page was a sixth of
/// the report's time. Only advice: an older kernel says no, and nothing changes.
fn populate<T>(v: &mut Vec<T>) {
    const PAGE: usize = 4096;
    let bytes = v.capacity() * std::mem::size_of::<T>();
    if bytes < 64 * PAGE {
        return;
    }
    let start = v.as_mut_ptr() as usize;
    let aligned = start.next_multiple_of(PAGE);
    let len = (start + bytes - aligned) / PAGE * PAGE;
    // SAFETY: the range lies inside the vector's own allocation; the call only maps its pages.
    unsafe {
        libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_POPULATE_WRITE);
    }
}

/// Keeps of `p` what the index keeps: what scoring reads.
fn make_lean(p: &mut Promise) {
    let slips = std::mem::take(&mut p.slips);
    *p = Promise {
        status: p.status,
        closed: p.closed,
        original_due: p.original_due,
        slips: slips
            .into_iter()
            .map(|s| Slip {
                reason: None,
                extra: toml::Table::new(),
                ..s
            })
            .collect(),
        ..Promise::new(
            Id(std::mem::take(&mut p.id.0)),
            std::mem::take(&mut p.customer),
            String::new(),
            p.made,
            p.due,
        )
    };
}

/// Appends the promises of each body in turn; false if one does not decode or holds another
/// number of promises than its head says.
fn decode_all(
    bodies: &[(usize, &[u8], usize)],
    into: &mut Vec<Promise>,
    hashes: &mut Vec<u64>,
) -> bool {
    let mut dates = Dates::default();
    bodies.iter().all(|(_, body, count)| {
        let before = into.len();
        decode(body, into, hashes, &mut dates) && into.len() - before == *count
    })
}

/// Appends a file's promises from its body in the index; false if it does not decode. The
/// promises are read one by one straight into `into`: no vector of them in between.
fn decode(body: &[u8], into: &mut Vec<Promise>, hashes: &mut Vec<u64>, dates: &mut Dates) -> bool {
    let Ok((customers, rest)) = postcard::take_from_bytes::<Vec<&str>>(body) else {
        return false;
    };
    let Ok((ids, rest)) = postcard::take_from_bytes::<Vec<&str>>(rest) else {
        return false;
    };
    // A sequence is its length, then its elements.
    let Ok((count, mut rest)) = postcard::take_from_bytes::<u64>(rest) else {
        return false;
    };
    if count != ids.len() as u64 {
        return false;
    }
    for id in ids {
        let Ok((lean, tail)) = postcard::take_from_bytes::<Lean>(rest) else {
            return false;
        };
        rest = tail;
        match lean_promise(id, &lean, &customers, dates) {
            Some(p) => {
                hashes.push(super::id_hash(id));
                into.push(p);
            }
            None => return false,
        }
    }
    rest.is_empty()
}

/// The index's bytes after its header, and when it was written; None when there is none, or it
/// is of another format or torn (its length is not the one its header gives). Its entries are
/// decoded with care too: a body that does not decode is parsed again from its file.
fn read_index(kind: Kind, path: &Path) -> (Option<Vec<u8>>, Option<(i64, i64)>) {
    let Ok(mut bytes) = fs::read(path) else {
        return (None, None);
    };
    let written = fs::metadata(path).ok().map(|m| (m.mtime(), m.mtime_nsec()));
    let magic = kind.magic();
    let header = magic.len() + 8;
    if bytes.len() < header || !bytes.starts_with(magic) {
        return (None, None);
    }
    let len = u64::from_le_bytes(bytes[magic.len()..header].try_into().unwrap_or_default());
    if len != (bytes.len() - header) as u64 {
        return (None, None);
    }
    (Some(bytes.split_off(header)), written)
}

/// Best effort: an index that cannot be written (a read-only store) only costs the next report
/// a parse. Never fsynced: it is rebuilt if a power cut tears it.
fn write_index(kind: Kind, cache_dir: &Path, path: &Path, body: &[u8]) {
    if fs::create_dir_all(cache_dir).is_err() {
        return;
    }
    let mut bytes = Vec::with_capacity(body.len() + 16);
    bytes.extend_from_slice(kind.magic());
    bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
    bytes.extend_from_slice(body);
    // A name of its own per process: readers write it without the writers' lock.
    let temp = cache_dir.join(format!(".{}-tmp.{}", kind.name(), std::process::id()));
    if fs::write(&temp, &bytes).is_ok() && fs::rename(&temp, path).is_err() {
        let _ = fs::remove_file(&temp);
    }
}

/// Parses each of `files` on as many threads as there are cores, handing each result to `take`
/// (on this thread) as soon as it is ready, so that only a few parsed files are held at once.
fn parse_streaming(
    files: &[&(PathBuf, String, Option<Stamp>, bool)],
    lean: &(dyn Fn(&Promise) -> bool + Sync),
    mut take: impl FnMut(usize, (StoreFile, u64)),
) -> Result<(), StoreError> {
    if files.is_empty() {
        return Ok(());
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, files.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (send, receive) = std::sync::mpsc::sync_channel(2 * workers);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (send, next) = (send.clone(), &next);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((path, ..)) = files.get(i) else {
                        break;
                    };
                    let parsed = parse_in_parallel(&[path], lean).map(|mut v| v.remove(0));
                    let failed = parsed.is_err();
                    if send.send((i, parsed)).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(send);
        for (i, parsed) in receive {
            take(i, parsed?);
        }
        Ok(())
    })
}

/// Parses `files` (on as many threads as there are cores), each made lean at once where
/// `lean` says: a long history parsed whole at once was twice the memory of its lean form.
fn parse_in_parallel(
    files: &[&PathBuf],
    lean: &(dyn Fn(&Promise) -> bool + Sync),
) -> Result<Vec<(StoreFile, u64)>, StoreError> {
    let read = |path: &PathBuf| -> Result<(StoreFile, u64), StoreError> {
        let text = file::read_text(path)?.unwrap_or_default();
        let mut file = StoreFile::parse(path, &text)?;
        for p in file.promises.iter_mut().filter(|p| lean(p)) {
            make_lean(p);
        }
        Ok((file, hash(text.as_bytes())))
    };
    if files.len() < 2 {
        return files.iter().map(|p| read(p)).collect();
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, files.len());
    let per_worker = files.len().div_ceil(workers);
    let parts: Vec<Result<Vec<(StoreFile, u64)>, StoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(per_worker)
            .map(|chunk| scope.spawn(move || chunk.iter().map(|p| read(p)).collect()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lean_promise_keeps_what_scoring_reads() {
        let at = |s| chrono::DateTime::parse_from_rfc3339(s).unwrap();
        let mut p = Promise::new(
            Id("abc1111111".into()),
            "Acme Oy".into(),
            "Send".into(),
            at("2026-11-20T10:00:00.5+02:00"),
            at("2026-11-24T14:00:00-05:00"),
        );
        p.status = Status::Kept;
        p.closed = Some(at("2026-11-24T13:00:00+02:00"));
        p.original_due = Some(at("2026-11-23T16:00:00+02:00"));
        p.slips.push(Slip {
            at: at("2026-11-22T09:00:00+02:00"),
            from: at("2026-11-23T16:00:00+02:00"),
            to: at("2026-11-24T14:00:00-05:00"),
            reason: Some("why".into()),
            extra: toml::Table::new(),
        });
        let promises = [p.clone()];
        let stamp = Stamp::of(&fs::metadata(".").unwrap());
        let bytes = encode(Kind::Full, "2026/11.toml", stamp, 7, &promises).unwrap();
        let (head, body) = postcard::take_from_bytes::<Head<'_>>(&bytes).unwrap();
        assert_eq!(
            (
                head.rel,
                head.stamp,
                head.hash,
                head.count,
                head.len as usize
            ),
            ("2026/11.toml", stamp, 7, 1, body.len())
        );
        let mut decoded = Vec::new();
        assert!(decode(
            body,
            &mut decoded,
            &mut Vec::new(),
            &mut Dates::default()
        ));
        let lean = decoded.remove(0);
        assert_eq!(lean.made, p.made);
        assert_eq!(lean.due.offset(), p.due.offset());
        assert_eq!(
            (
                lean.status,
                lean.closed,
                lean.original_due,
                lean.customer.as_str()
            ),
            (p.status, p.closed, p.original_due, "Acme Oy")
        );
        assert_eq!(
            lean.slips
                .iter()
                .map(|s| (s.at, s.from, s.to))
                .collect::<Vec<_>>(),
            p.slips
                .iter()
                .map(|s| (s.at, s.from, s.to))
                .collect::<Vec<_>>()
        );
        assert_eq!(lean.what, "");
    }
}
