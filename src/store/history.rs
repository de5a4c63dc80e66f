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

/// One archive file's entry in `.cache/history` (after its [`index::Head`]): the strings once
/// each, then one fixed-size row per promise ([`ROW`] bytes, read without a decoder), then the
/// slips of those that have any, [`SLIP`] bytes each.
#[derive(Debug, Serialize, Deserialize)]
struct Strings<'a> {
    #[serde(borrow)]
    customers: Vec<&'a str>,
    #[serde(borrow)]
    bys: Vec<&'a str>,
    /// Every id's bytes, one after the other.
    #[serde(borrow)]
    ids: &'a [u8],
    /// Each id's length.
    #[serde(borrow)]
    id_lens: &'a [u8],
    #[serde(borrow)]
    rows: &'a [u8],
    #[serde(borrow)]
    slips: &'a [u8],
}

/// An entry's body as read from the index, or as just made.
type Body<'a> = std::borrow::Cow<'a, [u8]>;

/// A row: customer, by, the table's start and length in the file (u32 each); status, which
/// optional instants are there, the number of slips (u8, u8, u16); made, due, closed,
/// original_due ([`TIME`] bytes each).
const ROW: usize = 16 + 4 + 4 * TIME;
/// An instant: seconds since 1970 (i64), nanoseconds (u32), UTC offset in seconds (i32).
const TIME: usize = 16;
/// A slip: at, from, to.
const SLIP: usize = 3 * TIME;

fn put_time(out: &mut Vec<u8>, t: Option<&Instant>) {
    let (secs, nanos, offset) = t.map_or((0, 0, 0), |t| {
        (
            t.timestamp(),
            t.timestamp_subsec_nanos(),
            t.offset().local_minus_utc(),
        )
    });
    out.extend_from_slice(&secs.to_le_bytes());
    out.extend_from_slice(&nanos.to_le_bytes());
    out.extend_from_slice(&offset.to_le_bytes());
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn time_at(b: &[u8], at: usize, dates: &mut Dates) -> Option<Instant> {
    let secs = i64::from_le_bytes(b[at..at + 8].try_into().ok()?);
    Time::new(secs, u32_at(b, at + 8), u32_at(b, at + 12) as i32).instant(dates)
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

/// How many promise tables are parsed at once: a long year's file parsed whole held its whole
/// parse tree, several times the file's size.
const CHUNK: usize = 250;

/// The entry of a store file's `text`, made as it is parsed: a chunk of tables at a time where
/// the text can be cut into tables with certainty (each chunk's promises checked against the
/// tables found: their number, their ids), else whole. Any error is the whole file's, from
/// parsing it whole.
fn parse_encode(path: &Path, text: &str) -> Result<Encoder, StoreError> {
    let whole = || -> Result<Encoder, StoreError> {
        let promises = StoreFile::parse(path, text)?.promises;
        let mut encoder = Encoder::default();
        for (p, span) in promises.iter().zip(doc::table_spans(text, &promises, 0)) {
            encoder.add(p, span);
        }
        Ok(encoder)
    };
    let Some(tables) = table_ranges(text) else {
        return whole();
    };
    if tables.len() <= CHUNK {
        return whole();
    }
    let mut encoder = Encoder::default();
    for chunk in tables.chunks(CHUNK) {
        let from = if encoder.count == 0 {
            0
        } else {
            chunk[0].start
        };
        let to = chunk.last().map_or(text.len(), |r| r.end);
        let Ok(file) = StoreFile::parse(path, &text[from..to]) else {
            return whole();
        };
        if file.promises.len() != chunk.len() {
            return whole();
        }
        for (p, range) in file.promises.iter().zip(chunk) {
            let table = &text[range.clone()];
            let (Ok(start), Ok(len)) = (u32::try_from(range.start), u32::try_from(range.len()))
            else {
                return whole();
            };
            if !table.contains(p.id.as_str()) {
                return whole();
            }
            encoder.add(p, (start, len));
        }
    }
    Ok(encoder)
}

/// Where the pieces of `text` that hold a promise table are, by [`doc::pieces`] without the
/// promises (their count and ids are checked once parsed); None where the text cannot be cut.
fn table_ranges(text: &str) -> Option<Vec<Range<usize>>> {
    // Only promise tables follow the file's top-level keys (`pieces` knows no other header):
    // then no chunk can parse where the whole would not.
    let pieces = doc::pieces_unchecked(text)?;
    Some(
        pieces
            .into_iter()
            .filter(|p| p.promise.is_some())
            .map(|p| p.range)
            .collect(),
    )
}

/// An archive file's entry, made one promise at a time.
#[derive(Default)]
struct Encoder {
    customers: Vec<String>,
    numbers: HashMap<String, u32>,
    bys: Vec<String>,
    by_numbers: HashMap<String, u32>,
    ids: Vec<u8>,
    id_lens: Vec<u8>,
    rows: Vec<u8>,
    slips: Vec<u8>,
    count: usize,
    /// False once a promise could not be encoded (an id of more than 255 bytes, 65,536 slips).
    whole: bool,
}

impl Encoder {
    fn add(&mut self, p: &Promise, (start, len): (u32, u32)) {
        if self.count == 0 {
            self.whole = true;
        }
        self.count += 1;
        let number = |list: &mut Vec<String>, numbers: &mut HashMap<String, u32>, s: &str| {
            if let Some(&n) = numbers.get(s) {
                return n;
            }
            list.push(s.to_string());
            numbers.insert(s.to_string(), list.len() as u32 - 1);
            list.len() as u32 - 1
        };
        let customer = number(&mut self.customers, &mut self.numbers, &p.customer);
        let by =
            p.by.as_deref()
                .map_or(NONE, |by| number(&mut self.bys, &mut self.by_numbers, by));
        let (Ok(id_len), Ok(slips)) = (
            u8::try_from(p.id.as_str().len()),
            u16::try_from(p.slips.len()),
        ) else {
            self.whole = false;
            return;
        };
        self.id_lens.push(id_len);
        self.ids.extend_from_slice(p.id.as_str().as_bytes());
        for n in [customer, by, start, len] {
            self.rows.extend_from_slice(&n.to_le_bytes());
        }
        self.rows.push(status_code(p.status));
        self.rows
            .push(u8::from(p.closed.is_some()) | (u8::from(p.original_due.is_some()) << 1));
        self.rows.extend_from_slice(&slips.to_le_bytes());
        put_time(&mut self.rows, Some(&p.made));
        put_time(&mut self.rows, Some(&p.due));
        put_time(&mut self.rows, p.closed.as_ref());
        put_time(&mut self.rows, p.original_due.as_ref());
        for slip in &p.slips {
            put_time(&mut self.slips, Some(&slip.at));
            put_time(&mut self.slips, Some(&slip.from));
            put_time(&mut self.slips, Some(&slip.to));
        }
    }

    /// The entry: head, then body. None if a promise could not be encoded.
    fn finish(self, rel: &str, stamp: Stamp, hash: u64) -> Option<Vec<u8>> {
        if self.count > 0 && !self.whole {
            return None;
        }
        let body = postcard::to_stdvec(&Strings {
            customers: self.customers.iter().map(String::as_str).collect(),
            bys: self.bys.iter().map(String::as_str).collect(),
            ids: &self.ids,
            id_lens: &self.id_lens,
            rows: &self.rows,
            slips: &self.slips,
        })
        .ok()?;
        let mut bytes = postcard::to_stdvec(&index::Head {
            rel,
            stamp,
            hash,
            count: u32::try_from(self.count).ok()?,
            len: u32::try_from(body.len()).ok()?,
        })
        .ok()?;
        bytes.extend_from_slice(&body);
        Some(bytes)
    }
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
        let (body, rest) = postcard::take_from_bytes::<Strings<'_>>(body).ok()?;
        if !rest.is_empty()
            || body.id_lens.len() != count
            || body.rows.len() != count * ROW
            || body.ids.len() != body.id_lens.iter().map(|&n| n as usize).sum::<usize>()
        {
            return None;
        }
        let ids = std::str::from_utf8(body.ids).ok()?;
        let customers: Vec<u32> = body.customers.iter().map(|c| self.customer(c)).collect();
        let bys: Vec<u32> = body.bys.iter().map(|b| self.by(Some(b))).collect();
        let mut wanted = Vec::new();
        let (mut id_at, mut slip_at) = (0, 0);
        for (row, &id_len) in body.rows.chunks_exact(ROW).zip(body.id_lens) {
            let id = ids.get(id_at..id_at + id_len as usize)?;
            id_at += id_len as usize;
            let dates = &mut self.dates;
            let flags = row[17];
            let n_slips = u16::from_le_bytes([row[18], row[19]]) as usize;
            let closed = if flags & 1 != 0 {
                Some(time_at(row, 20 + 2 * TIME, dates)?)
            } else {
                None
            };
            let slips = body.slips.get(slip_at..slip_at + n_slips * SLIP)?;
            slip_at += n_slips * SLIP;
            let by = u32_at(row, 4);
            let record = Record {
                customer: *customers.get(u32_at(row, 0) as usize)?,
                by: if by == NONE {
                    NONE
                } else {
                    *bys.get(by as usize)?
                },
                whole: NONE,
                status: status_of(row[16])?,
                made: time_at(row, 20, dates)?,
                due: time_at(row, 20 + TIME, dates)?,
                closed,
                original_due: if flags & 2 != 0 {
                    Some(time_at(row, 20 + 3 * TIME, dates)?)
                } else {
                    None
                },
                slips: if n_slips == 0 {
                    Box::default()
                } else {
                    slips
                        .chunks_exact(SLIP)
                        .map(|s| {
                            Some((
                                time_at(s, 0, dates)?,
                                time_at(s, TIME, dates)?,
                                time_at(s, 2 * TIME, dates)?,
                            ))
                        })
                        .collect::<Option<_>>()?
                },
            };
            if closed.is_none_or(|c| c >= whole_since) {
                wanted.push(Wanted {
                    record: self.history.records.len(),
                    id: id.to_string(),
                    span: (u32_at(row, 8), u32_at(row, 12)),
                });
            }
            self.push(record, id);
        }
        (slip_at == body.slips.len()).then_some(wanted)
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
    let plan = index::plan(
        archive_dir,
        files,
        |rel| known.get(rel).map(|(h, _)| (h.stamp, h.hash)),
        written,
    );
    let rewrite = known.len() != plan.len() || plan.iter().any(|f| f.state != State::Fresh);

    // Files to parse: each made into its new entry on the thread that parsed it.
    let stale: Vec<&Planned> = plan.iter().filter(|f| f.state == State::Stale).collect();
    let mut made: HashMap<String, Vec<u8>> = HashMap::with_capacity(stale.len());
    index::parse_streaming_with(
        &stale,
        |file, text| {
            let encoder = parse_encode(&file.path, text)?;
            Ok(encoder.finish(&file.rel, file.stamp, index::hash(text.as_bytes())))
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
    let mut out = rewrite.then(|| index::IndexWriter::new(Kind::History, cache_dir, &index_path));
    let mut broken = false;
    for file in &plan {
        // The entry's head as it is to be written, its promise count and its body.
        let (head, count, body): (Option<Vec<u8>>, usize, Option<Body<'_>>) = match file.state {
            State::Fresh | State::Restamped => {
                let (head, range) = &known[file.rel.as_str()];
                let body = &bytes[range.end - head.len as usize..range.end];
                let written = postcard::to_stdvec(&index::Head {
                    stamp: file.stamp,
                    ..*head
                })
                .ok();
                (
                    written,
                    head.count as usize,
                    Some(std::borrow::Cow::Borrowed(body)),
                )
            }
            State::Stale => {
                let entry = made.remove(&file.rel).unwrap_or_default();
                match postcard::take_from_bytes::<index::Head<'_>>(&entry) {
                    Ok((head, body)) => {
                        let (count, head_len) = (head.count as usize, entry.len() - body.len());
                        let mut head = entry;
                        let body = head.split_off(head_len);
                        (Some(head), count, Some(std::borrow::Cow::Owned(body)))
                    }
                    Err(_) => (None, 0, None),
                }
            }
        };
        let start = b.history.records.len();
        let decoded = body
            .as_deref()
            .and_then(|body| b.decode(body, count, whole_since));
        match (decoded, head, body) {
            (Some(wanted), Some(head), Some(body)) => {
                b.read_whole(&file.path, wanted)?;
                if let Some(out) = &mut out {
                    out.add(&head);
                    out.add(&body);
                }
            }
            _ => {
                // An entry that does not decode (or could not be made): the file in full, and
                // the index made again by the next reader.
                broken = true;
                for p in file::read(&file.path)?.promises {
                    b.push_whole(p);
                }
            }
        }
        b.files
            .push((file.path.clone(), start..b.history.records.len()));
    }
    drop(made);
    match out {
        Some(out) if !broken => out.finish(),
        Some(_) => {
            let _ = std::fs::remove_file(&index_path);
        }
        None if broken => {
            let _ = std::fs::remove_file(&index_path);
        }
        None => {}
    }
    Ok(b)
}

/// The history settled: each promise once. Of two copies in archive files, the one reopened
/// more often counts, else the one in the file of its month (a month's over a yearly file's a
/// migration left). A promise in
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
    let mut first: HashMap<u64, usize, super::IdHash> =
        HashMap::with_capacity_and_hasher(n, super::IdHash);
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
                // Two copies in the archive (rare: a move or a clean-up cut short); how often
                // each was reopened is in the whole promise.
                b.make_whole(i)?;
                b.make_whole(j)?;
                let copy = |b: &Builder, k: usize| {
                    let r = b.history.records[k].whole;
                    let reopened = b.history.whole.get(r as usize).map(|p| p.reopened.len());
                    (reopened.unwrap_or(0), home(b, k))
                };
                if super::counts_over(copy(&b, i), copy(&b, j)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of more than two chunks, with comments and slips between its tables, gives the
    /// same index entry parsed a chunk at a time as parsed whole.
    #[test]
    fn a_long_file_parsed_a_chunk_at_a_time_gives_the_entry_parsing_it_whole_does() {
        let n = 2 * CHUNK + 17;
        let mut text = String::from("# kept by hand\nversion = 1\nowner = \"me\"\n");
        for i in 0..n {
            text.push_str(&format!(
                "\n[[promise]]\nid = \"c{i:09}\"\ncustomer = \"{}\"\nwhat = \"Deliverable {i}\"\n\
                 made = \"2026-10-01T09:00:00+03:00\"\ndue = \"2026-10-0{}T16:00:00+03:00\"\n\
                 status = \"kept\"\nclosed = \"2026-10-05T12:00:00+03:00\"\n",
                ["Acme Oy", "Beta Ab"][i % 2],
                2 + i % 7,
            ));
            if i % 3 == 0 {
                text.push_str(
                    "\n[[promise.slips]]\nat = \"2026-10-01T10:00:00+03:00\"\n\
                     from = \"2026-10-02T16:00:00+03:00\"\nto = \"2026-10-09T16:00:00+03:00\"\n",
                );
            }
            if i % 50 == 0 {
                text.push_str("# a comment between tables\n");
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("10.toml");
        std::fs::write(&path, &text).unwrap();
        let stamp = Stamp::of(&std::fs::metadata(&path).unwrap());
        assert!(
            table_ranges(&text).is_some_and(|t| t.len() == n),
            "not cut into tables"
        );

        let chunked = parse_encode(&path, &text).unwrap();
        let promises = StoreFile::parse(&path, &text).unwrap().promises;
        let mut whole = Encoder::default();
        for (p, span) in promises.iter().zip(doc::table_spans(&text, &promises, 0)) {
            whole.add(p, span);
        }
        assert_eq!(chunked.count, n);
        let (chunked, whole) = (
            chunked.finish("10.toml", stamp, 7).unwrap(),
            whole.finish("10.toml", stamp, 7).unwrap(),
        );
        assert!(chunked == whole, "the chunked entry differs");
    }
}
