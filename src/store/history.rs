//! The store's whole history as the report reads it: every promise once, each as a compact
//! [`Record`] of what scoring reads (no text, no allocation but for slips), and in full only
//! the few the report shows: the open ones and those closed since a given instant.
//!
//! Archive files are read through their entries in `.cache/history` (see [`super::index`] for
//! when an entry holds): per file, its customers and `by` values once each, its ids, and per
//! promise its instants, status and where its table is in the file's text, so that a promise
//! wanted in full is parsed alone. A file the index does not hold up to date is parsed, its
//! entry made from it, and its records decoded from that new entry: the report reads the same
//! records whether the index was there or not.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::file::{self, StoreFile};
use super::index::{self, Dates, Kind, Planned, Stamp, State, Time};
use super::{StoreError, archive, doc, id_hash, merge_history, month_of, supersedes};
use crate::model::{Instant, Promise, Status};

/// No customer, no `by`, no whole promise.
pub const NONE: u32 = u32::MAX;

/// What the report needs of one promise.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Index into [`History::customers`].
    pub customer: u32,
    /// Index into [`History::bys`], or [`NONE`].
    pub by: u32,
    /// Index into [`History::whole`] when the promise is there in full, or [`NONE`].
    pub whole: u32,
    pub status: Status,
    pub made: Instant,
    pub due: Instant,
    pub closed: Option<Instant>,
    pub original_due: Option<Instant>,
    /// Each slip's (at, from, to).
    pub slips: Box<[(Instant, Instant, Instant)]>,
}

impl Record {
    pub fn is_open(&self) -> bool {
        self.status == Status::Open
    }
}

/// Every promise of the store, each once: the archive's first (oldest file first), then closed
/// ones still in `open.toml`, then the open ones.
#[derive(Debug, Default)]
pub struct History {
    pub records: Vec<Record>,
    /// The promises the report shows in full.
    pub whole: Vec<Promise>,
    /// Customer names as spelled, each once.
    pub customers: Vec<String>,
    /// `by` values, each once.
    pub bys: Vec<String>,
}

impl History {
    pub fn whole_of(&self, r: &Record) -> Option<&Promise> {
        self.whole.get(r.whole as usize)
    }
}

/// One archive file's entry in `.cache/history`.
#[derive(Debug, Serialize, Deserialize)]
struct Body<'a> {
    #[serde(borrow)]
    customers: Vec<&'a str>,
    #[serde(borrow)]
    bys: Vec<&'a str>,
    #[serde(borrow)]
    ids: Vec<&'a str>,
    promises: Vec<Lean>,
}

/// One promise in an entry.
#[derive(Debug, Serialize, Deserialize)]
struct Lean {
    customer: u32,
    by: u32,
    made: Time,
    due: Time,
    status: u8,
    closed: Option<Time>,
    original_due: Option<Time>,
    slips: Vec<(Time, Time, Time)>,
    /// Where its table is in the file's text; (0, 0) when that is not known.
    span: (u32, u32),
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

/// The entry of one archive file: head, then body.
fn encode(rel: &str, stamp: Stamp, hash: u64, text: &str, promises: &[Promise]) -> Option<Vec<u8>> {
    let spans: Vec<(u32, u32)> = match doc::pieces(text, promises) {
        Some(pieces) => {
            let mut spans = vec![(0, 0); promises.len()];
            for piece in pieces {
                if let Some(k) = piece.promise {
                    spans[k] = (
                        u32::try_from(piece.range.start).ok()?,
                        u32::try_from(piece.range.len()).ok()?,
                    );
                }
            }
            spans
        }
        None => vec![(0, 0); promises.len()],
    };
    let mut customers: Vec<&str> = Vec::new();
    let mut bys: Vec<&str> = Vec::new();
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let mut by_numbers: HashMap<&str, u32> = HashMap::new();
    let lean = promises
        .iter()
        .zip(spans)
        .map(|(p, span)| {
            let customer = *numbers.entry(p.customer.as_str()).or_insert_with(|| {
                customers.push(p.customer.as_str());
                customers.len() as u32 - 1
            });
            let by = p.by.as_deref().map_or(NONE, |by| {
                *by_numbers.entry(by).or_insert_with(|| {
                    bys.push(by);
                    bys.len() as u32 - 1
                })
            });
            Lean {
                customer,
                by,
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
                span,
            }
        })
        .collect();
    let body = postcard::to_stdvec(&Body {
        customers,
        bys,
        ids: promises.iter().map(|p| p.id.as_str()).collect(),
        promises: lean,
    })
    .ok()?;
    let mut bytes = postcard::to_stdvec(&index::Head {
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

/// The history being read: records, and beside them what settling needs (ids, their hashes,
/// which file each came from).
pub(super) struct Builder {
    history: History,
    customer_numbers: HashMap<String, u32>,
    by_numbers: HashMap<String, u32>,
    /// Every record's id, one after the other; `id_ends[i]` is where record i's ends.
    ids: String,
    id_ends: Vec<u32>,
    hashes: Vec<u64>,
    files: Vec<(PathBuf, Range<usize>)>,
    dates: Dates,
}

/// A promise wanted in full: its record, id and where its table is.
struct Wanted {
    record: usize,
    id: String,
    span: (u32, u32),
}

impl Builder {
    fn new() -> Builder {
        Builder {
            history: History::default(),
            customer_numbers: HashMap::new(),
            by_numbers: HashMap::new(),
            ids: String::new(),
            id_ends: Vec::new(),
            hashes: Vec::new(),
            files: Vec::new(),
            dates: Dates::default(),
        }
    }

    fn customer(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.customer_numbers.get(name) {
            return n;
        }
        let n = self.history.customers.len() as u32;
        self.history.customers.push(name.to_string());
        self.customer_numbers.insert(name.to_string(), n);
        n
    }

    fn by(&mut self, by: Option<&str>) -> u32 {
        let Some(by) = by else { return NONE };
        if let Some(&n) = self.by_numbers.get(by) {
            return n;
        }
        let n = self.history.bys.len() as u32;
        self.history.bys.push(by.to_string());
        self.by_numbers.insert(by.to_string(), n);
        n
    }

    fn id(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.id_ends[i - 1] as usize
        };
        &self.ids[start..self.id_ends[i] as usize]
    }

    fn push(&mut self, record: Record, id: &str) {
        self.ids.push_str(id);
        self.id_ends.push(self.ids.len() as u32);
        self.hashes.push(id_hash(id));
        self.history.records.push(record);
    }

    fn record_of(&mut self, p: &Promise, whole: u32) -> Record {
        Record {
            customer: self.customer(&p.customer),
            by: self.by(p.by.as_deref()),
            whole,
            status: p.status,
            made: p.made,
            due: p.due,
            closed: p.closed,
            original_due: p.original_due,
            slips: p.slips.iter().map(|s| (s.at, s.from, s.to)).collect(),
        }
    }

    /// A promise in full, recorded at the end.
    fn push_whole(&mut self, p: Promise) {
        let whole = self.history.whole.len() as u32;
        let record = self.record_of(&p, whole);
        let id = p.id.to_string();
        self.history.whole.push(p);
        self.push(record, &id);
    }

    /// Record `i` in full from now on.
    fn attach(&mut self, i: usize, p: Promise) {
        let whole = self.history.whole.len() as u32;
        self.history.records[i] = self.record_of(&p, whole);
        self.history.whole.push(p);
    }

    /// Appends the records of one entry's body; the promises closed since `whole_since` (or
    /// never) are returned, to be read in full. None, with nothing appended, if the body does
    /// not decode or holds another number of promises than `count`.
    fn decode(&mut self, body: &[u8], count: usize, whole_since: Instant) -> Option<Vec<Wanted>> {
        let before = self.history.records.len();
        let wanted = self.decode_inner(body, count, whole_since);
        if wanted.is_none() {
            self.history.records.truncate(before);
            self.hashes.truncate(before);
            self.id_ends.truncate(before);
            self.ids
                .truncate(self.id_ends.last().copied().unwrap_or(0) as usize);
        }
        wanted
    }

    fn decode_inner(
        &mut self,
        body: &[u8],
        count: usize,
        whole_since: Instant,
    ) -> Option<Vec<Wanted>> {
        let (body, rest) = postcard::take_from_bytes::<Body<'_>>(body).ok()?;
        if !rest.is_empty() || body.ids.len() != count || body.promises.len() != count {
            return None;
        }
        let customers: Vec<u32> = body.customers.iter().map(|c| self.customer(c)).collect();
        let bys: Vec<u32> = body.bys.iter().map(|b| self.by(Some(b))).collect();
        let mut wanted = Vec::new();
        for (lean, id) in body.promises.iter().zip(&body.ids) {
            let dates = &mut self.dates;
            let closed = match lean.closed {
                Some(t) => Some(t.instant(dates)?),
                None => None,
            };
            let record = Record {
                customer: *customers.get(lean.customer as usize)?,
                by: if lean.by == NONE {
                    NONE
                } else {
                    *bys.get(lean.by as usize)?
                },
                whole: NONE,
                status: status_of(lean.status)?,
                made: lean.made.instant(dates)?,
                due: lean.due.instant(dates)?,
                closed,
                original_due: match lean.original_due {
                    Some(t) => Some(t.instant(dates)?),
                    None => None,
                },
                slips: lean
                    .slips
                    .iter()
                    .map(|(at, from, to)| {
                        Some((at.instant(dates)?, from.instant(dates)?, to.instant(dates)?))
                    })
                    .collect::<Option<_>>()?,
            };
            if closed.is_none_or(|c| c >= whole_since) {
                wanted.push(Wanted {
                    record: self.history.records.len(),
                    id: id.to_string(),
                    span: lean.span,
                });
            }
            self.push(record, id);
        }
        Some(wanted)
    }

    /// Reads in full the promises of the file at `path` that are `wanted`: each table by
    /// itself where its place in the text is known and still holds it, else the whole file.
    fn read_whole(&mut self, path: &Path, wanted: Vec<Wanted>) -> Result<(), StoreError> {
        if wanted.is_empty() {
            return Ok(());
        }
        let text = file::read_text(path)?.unwrap_or_default();
        let mut left = Vec::new();
        for w in wanted {
            let (start, len) = (w.span.0 as usize, w.span.1 as usize);
            let alone = (len > 0)
                .then(|| text.get(start..start + len))
                .flatten()
                .and_then(|table| StoreFile::parse(path, table).ok())
                .and_then(|mut f| (f.promises.len() == 1).then(|| f.promises.remove(0)))
                .filter(|p| p.id.as_str() == w.id);
            match alone {
                Some(p) => self.attach(w.record, p),
                None => left.push(w),
            }
        }
        if !left.is_empty() {
            let all = StoreFile::parse(path, &text)?;
            for w in left {
                if let Some(p) = all.promises.iter().find(|p| p.id.as_str() == w.id) {
                    self.attach(w.record, p.clone());
                }
            }
        }
        Ok(())
    }

    /// The archive file record `i` came from.
    fn file_of(&self, i: usize) -> Option<&Path> {
        let k = self.files.partition_point(|(_, r)| r.end <= i);
        self.files
            .get(k)
            .filter(|(_, r)| r.contains(&i))
            .map(|(p, _)| p.as_path())
    }

    /// Record `i` in full, read from its file if it is not yet.
    fn make_whole(&mut self, i: usize) -> Result<(), StoreError> {
        if self.history.records[i].whole != NONE {
            return Ok(());
        }
        let Some(path) = self.file_of(i).map(Path::to_path_buf) else {
            return Ok(());
        };
        let id = self.id(i).to_string();
        self.read_whole(
            &path,
            vec![Wanted {
                record: i,
                id,
                span: (0, 0),
            }],
        )
    }
}

/// Reads the archive through `.cache/history`, files that it does not hold up to date parsed
/// (in parallel) and the index rewritten; oldest file first.
pub(super) fn load(
    archive_dir: &Path,
    cache_dir: &Path,
    whole_since: Instant,
) -> Result<Builder, StoreError> {
    let files = archive::list(archive_dir)?;
    let index_path = cache_dir.join(Kind::History.name());
    let (index_bytes, written) = index::read_index(Kind::History, &index_path);
    let bytes = index_bytes.as_deref().unwrap_or_default();
    let known = index::entries(bytes);
    let plan = index::plan(archive_dir, files, &known, written);
    let mut rewrite = known.len() != plan.len() || plan.iter().any(|f| f.state != State::Fresh);

    // Files to parse: each made into its new entry on the thread that parsed it.
    let stale: Vec<&Planned> = plan.iter().filter(|f| f.state == State::Stale).collect();
    let mut made: HashMap<String, Vec<u8>> = HashMap::with_capacity(stale.len());
    index::parse_streaming_with(
        &stale,
        |file, text, parsed| {
            encode(
                &file.rel,
                file.stamp,
                index::hash(text.as_bytes()),
                text,
                &parsed.promises,
            )
        },
        |i, entry| {
            if let Some(entry) = entry {
                made.insert(stale[i].rel.clone(), entry);
            }
        },
    )?;

    let mut b = Builder::new();
    let estimate: usize = known.values().map(|(h, _)| h.count as usize).sum::<usize>()
        + stale
            .iter()
            .map(|f| (f.stamp.len / 150) as usize)
            .sum::<usize>();
    b.history.records.reserve(estimate);
    index::populate(&mut b.history.records);
    b.hashes.reserve(estimate);
    b.id_ends.reserve(estimate);
    b.ids.reserve(estimate * 10);
    let mut index_out: Vec<u8> = Vec::with_capacity(bytes.len() + 4096);
    for file in &plan {
        let entry: Option<Vec<u8>> = match file.state {
            State::Fresh => Some(bytes[known[file.rel.as_str()].1.clone()].to_vec()),
            State::Restamped => {
                let (head, range) = &known[file.rel.as_str()];
                let body = &bytes[range.end - head.len as usize..range.end];
                let mut entry = postcard::to_stdvec(&index::Head {
                    stamp: file.stamp,
                    ..*head
                })
                .unwrap_or_default();
                entry.extend_from_slice(body);
                Some(entry)
            }
            State::Stale => made.remove(&file.rel),
        };
        let start = b.history.records.len();
        let decoded = entry.as_deref().and_then(|entry| {
            let (head, body) = postcard::take_from_bytes::<index::Head<'_>>(entry).ok()?;
            b.decode(body, head.count as usize, whole_since)
        });
        match decoded {
            Some(wanted) => {
                b.read_whole(&file.path, wanted)?;
                index_out.extend_from_slice(entry.as_deref().unwrap_or_default());
            }
            None => {
                // An entry that does not decode (or could not be made): the file in full.
                rewrite = true;
                for p in file::read(&file.path)?.promises {
                    b.push_whole(p);
                }
            }
        }
        b.files
            .push((file.path.clone(), start..b.history.records.len()));
    }
    drop(made);
    if rewrite {
        index::write_index(Kind::History, cache_dir, &index_path, &index_out);
    }
    Ok(b)
}

/// The history settled: each promise once. Of two copies in archive files, the one in the
/// file of its month counts (a month's over a yearly file's a migration left). A promise in
/// both `open.toml` and the archive is the archive's, with the slips and reminders of the other
/// copy merged in, unless the copy in `open.toml` was reopened since (see
/// [`supersedes`](super::supersedes)). Then the closed promises of `open.toml`, then the open
/// ones.
pub(super) fn settle(
    mut b: Builder,
    from_open: Vec<Promise>,
    archive_dir: &Path,
    warn: bool,
) -> Result<History, StoreError> {
    let n = b.history.records.len();
    let mut first: HashMap<u64, usize> = HashMap::with_capacity(n);
    let mut drop: Vec<usize> = Vec::new();
    let mut twice: Vec<usize> = Vec::new();
    let home = |b: &Builder, i: usize| {
        let r = &b.history.records[i];
        b.file_of(i).and_then(|f| month_of(archive_dir, f)) == Some(placement_of(r))
    };
    for i in 0..n {
        match first.entry(b.hashes[i]) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
            }
            std::collections::hash_map::Entry::Occupied(mut slot) => {
                let j = *slot.get();
                if b.id(j) != b.id(i) {
                    // Two ids with one hash (never seen): found by the scan below.
                    continue;
                }
                if !home(&b, j) && home(&b, i) {
                    slot.insert(i);
                    twice.push(j);
                } else {
                    twice.push(i);
                }
            }
        }
    }
    let find = |b: &Builder, id: &str| -> Option<usize> {
        let i = *first.get(&id_hash(id))?;
        if b.id(i) == id {
            return Some(i);
        }
        (0..n).find(|&k| b.id(k) == id && !twice.contains(&k))
    };
    let mut merged = vec![false; from_open.len()];
    for (k, p) in from_open.iter().enumerate() {
        let Some(i) = find(&b, p.id.as_str()) else {
            continue;
        };
        b.make_whole(i)?;
        let r = b.history.records[i].whole;
        let Some(archived) = b.history.whole.get(r as usize) else {
            continue;
        };
        if supersedes(p, archived) {
            drop.push(i);
            continue;
        }
        let mut archived = archived.clone();
        merge_history(&mut archived, p);
        b.attach(i, archived);
        merged[k] = true;
    }
    if warn {
        for &i in &twice {
            let r = &b.history.records[i];
            let (year, month) = placement_of(r);
            eprintln!(
                "promise: warning: promise {} is in two archive files; the copy in {} counts",
                b.id(i),
                archive_dir
                    .join(format!("{year:04}"))
                    .join(format!("{month:02}.toml"))
                    .display()
            );
        }
    }
    drop.extend(twice);
    if !drop.is_empty() {
        let gone: std::collections::HashSet<usize> = drop.into_iter().collect();
        let mut i = 0;
        b.history.records.retain(|_| {
            i += 1;
            !gone.contains(&(i - 1))
        });
    }
    b.files.clear();
    let (closed, open): (Vec<Promise>, Vec<Promise>) = from_open
        .into_iter()
        .zip(merged)
        .filter(|(_, m)| !m)
        .map(|(p, _)| p)
        .partition(|p| !p.is_open());
    for p in closed.into_iter().chain(open) {
        b.push_whole(p);
    }
    Ok(b.history)
}

/// The (year, month) of the archive file where a closed promise belongs.
fn placement_of(r: &Record) -> (i32, u32) {
    use chrono::Datelike;
    let at = r.closed.unwrap_or(r.due);
    (at.year(), at.month())
}
