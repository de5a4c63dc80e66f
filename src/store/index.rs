//! The archive's derived indexes under `.cache/`, never the source of truth:
//!
//! - `ids`: every archived id, sorted, for lookups by id (see [`super::ids`]);
//! - `history`: what the report needs of each closed promise (see [`super::history`]).
//!
//! Each file's entry records the file's identity and size, its modification and change times
//! (`stat`) and a hash of its bytes, as they were when the entry was made; any difference and
//! the file is read again (a file changed within the same clock tick as the index was written
//! is checked by its hash; one whose times changed but not its size, as a copy or a restore
//! does, is checked by its hash too, and kept when its bytes are the same). An index is
//! rewritten after any entry was rebuilt, by a temporary file and a rename, without a lock:
//! two readers that race both write a correct index. Missing, torn or from another version, it
//! is rebuilt. Indexes are written by readers of the archive (`report`, lookups by id) and by
//! housekeeping, never by `prompt`, and may be deleted at any time.

use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::file;
use crate::model::Instant;

/// The indexes under the cache directory.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Kind {
    /// `history`: what the report needs of every closed promise.
    History,
    /// `ids`: only their ids, sorted, for lookups by id (see [`super::ids`]).
    Ids,
    /// `ids-delta`: what changed in the archive since `ids` was written (see [`super::ids`]).
    IdsDelta,
}

impl Kind {
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::History => "history",
            Kind::Ids => "ids",
            Kind::IdsDelta => "ids-delta",
        }
    }

    /// Changes when the format does; an index of another format is rebuilt.
    pub(super) fn magic(self) -> &'static [u8; 8] {
        match self {
            Kind::History => b"promhis3",
            Kind::Ids => b"promids4",
            Kind::IdsDelta => b"promidd1",
        }
    }
}

/// What identifies a file's version without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp {
    dev: u64,
    ino: u64,
    pub len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    /// Whether a change within the same clock tick as an index written at `written` could
    /// leave this stamp as it is (None: no index): then the stamp alone proves nothing.
    pub(super) fn racy(&self, written: Option<(i64, i64)>) -> bool {
        written.is_none_or(|(secs, nanos)| {
            let w = (secs - 1, nanos);
            self.ctime >= w || self.mtime >= w
        })
    }

    pub(super) fn of(meta: &fs::Metadata) -> Stamp {
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
pub(super) struct Time(i64, u32, i32);

impl Time {
    pub(super) fn new(secs: i64, nanos: u32, offset: i32) -> Time {
        Time(secs, nanos, offset)
    }

    pub(super) fn instant(self, dates: &mut Dates) -> Option<Instant> {
        let (days, secs) = (self.0.div_euclid(86_400), self.0.rem_euclid(86_400));
        let date = dates.date(days)?;
        let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs as u32, self.1)?;
        Some(chrono::DateTime::from_naive_utc_and_offset(
            date.and_time(time),
            FixedOffset::east_opt(self.2)?,
        ))
    }
}

/// Days since 1970 as dates, remembered by day number (a small direct-mapped table): turning a
/// day number into a date is the costly part of an instant, and a month's promises were made,
/// due and closed on a few dozen days.
pub(super) struct Dates {
    seen: Box<[(i64, Option<chrono::NaiveDate>); 128]>,
}

impl Default for Dates {
    fn default() -> Dates {
        Dates {
            seen: Box::new([(i64::MIN, None); 128]),
        }
    }
}

impl Dates {
    fn date(&mut self, days: i64) -> Option<chrono::NaiveDate> {
        let slot = &mut self.seen[(days & 127) as usize];
        if slot.0 == days {
            return slot.1;
        }
        let date =
            chrono::NaiveDate::from_num_days_from_ce_opt(i32::try_from(days + 719_163).ok()?);
        *slot = (days, date);
        date
    }
}

/// What the index knows of one archive file; its promises follow in a [`Body`] of `len` bytes,
/// decoded only when the file is up to date and its promises are wanted.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Head<'a> {
    pub rel: &'a str,
    pub stamp: Stamp,
    pub hash: u64,
    /// How many promises the body holds.
    pub count: u32,
    pub len: u32,
}

pub(super) fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Each file's entry in the index bytes: its head, and where the whole entry is.
pub(super) type Known<'a> = HashMap<&'a str, (Head<'a>, std::ops::Range<usize>)>;

/// The entries of an index's bytes; none if they do not decode.
pub(super) fn entries(bytes: &[u8]) -> Known<'_> {
    let mut known: Known<'_> = HashMap::new();
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
    known
}

/// Whether an index entry can be used for a file as it is now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum State {
    /// The file is as the entry says.
    Fresh,
    /// Its bytes are, but not its times (a copy, a restore): the entry holds with a new stamp.
    Restamped,
    /// Changed, or not in the index: read again.
    Stale,
}

/// One archive file and what the index can do for it.
pub(super) struct Planned {
    pub path: PathBuf,
    pub rel: String,
    pub stamp: Stamp,
    pub state: State,
}

/// Each archive file with its state against the index. A file whose entry's stamp matches is
/// fresh, unless it changed in the index's own clock tick (then its bytes decide); one whose
/// stamp differs only in times is read and hashed: the same bytes keep the entry.
pub(super) fn plan(
    archive_dir: &Path,
    files: Vec<PathBuf>,
    known: impl Fn(&str) -> Option<(Stamp, u64)>,
    written: Option<(i64, i64)>,
) -> Vec<Planned> {
    let mut plan = Vec::with_capacity(files.len());
    // Files whose bytes must be checked (a restored archive is all of them) are hashed as
    // they are read, through one small buffer.
    let mut buffer = vec![0u8; 1 << 18];
    let mut same_bytes = |path: &Path, digest: u64| same_bytes(path, digest, &mut buffer);
    // How many bytes of racy files each read may hash again rather than rewrite the index.
    let mut racy_budget: u64 = LARGE;
    for path in files {
        let rel = path
            .strip_prefix(archive_dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let Ok(meta) = fs::metadata(&path) else {
            continue;
        };
        let stamp = Stamp::of(&meta);
        let state = match known(&rel) {
            Some((known_stamp, known_hash)) if known_stamp == stamp => {
                if !stamp.racy(written) {
                    State::Fresh
                } else if same_bytes(&path, known_hash) {
                    // The entry holds. Rewritten with a later time it would no longer be racy
                    // and the next reader would read nothing; but the files housekeeping has
                    // just written are always racy in the index it refreshed a moment later,
                    // and rewriting a 2 MB index to spare hashing one month's file made the
                    // first lookup after every `nag` 2–3 ms slower. So the index is left as it
                    // is while the racy files are small; above that it is rewritten.
                    if stamp.len <= racy_budget {
                        racy_budget -= stamp.len;
                        State::Fresh
                    } else {
                        State::Restamped
                    }
                } else {
                    State::Stale
                }
            }
            Some((known_stamp, known_hash))
                if known_stamp.len == stamp.len && same_bytes(&path, known_hash) =>
            {
                State::Restamped
            }
            _ => State::Stale,
        };
        plan.push(Planned {
            path,
            rel,
            stamp,
            state,
        });
    }
    plan
}

/// Whether the file at `path` hashes to `digest`, read through `buffer` (a month file of a
/// heavy year is 360 KB: read whole into memory of its own, that was 90 page faults).
pub(super) fn same_bytes(path: &Path, digest: u64, buffer: &mut [u8]) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    loop {
        match std::io::Read::read(&mut file, buffer) {
            Ok(0) => return hasher.digest() == digest,
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Has the kernel map a long history's one big vector in one call (MADV_POPULATE_WRITE, Linux
/// 5.14) rather than in a page fault per 4 KiB as it fills: 40 MB page by page was a sixth of
/// the report's time. Only advice: an older kernel says no, and nothing changes.
pub(super) fn populate<T>(v: &mut Vec<T>) {
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

/// The index's bytes after its header, and when it was written; None when there is none, or it
/// is of another format or torn (its length is not the one its header gives). Its entries are
/// decoded with care too: a body that does not decode is parsed again from its file.
pub(super) fn read_index(kind: Kind, path: &Path) -> (Option<IndexBytes>, Option<(i64, i64)>) {
    let Ok(mut file) = fs::File::open(path) else {
        return (None, None);
    };
    let Ok(meta) = file.metadata() else {
        return (None, None);
    };
    let written = Some((meta.mtime(), meta.mtime_nsec()));
    // Its pages mapped in one call, not faulted in one by one as the read fills them (the
    // history of 100,000 promises is 10 MB: 2,500 faults).
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    populate(&mut bytes);
    if std::io::Read::read_to_end(&mut file, &mut bytes).is_err() {
        return (None, None);
    }
    let header = HEADER_LEN;
    if bytes.len() < header || !bytes.starts_with(kind.magic()) {
        return (None, None);
    }
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    let (len, digest) = (word(8), word(16));
    // Torn, or blocks lost to a power cut (it is never fsynced): made again.
    if len != (bytes.len() - header) as u64 || hash(&bytes[header..]) != digest {
        return (None, None);
    }
    // Not split off: that would copy every byte once more.
    (
        Some(IndexBytes {
            bytes,
            start: header,
        }),
        written,
    )
}

/// An index's bytes after its header.
pub(super) struct IndexBytes {
    bytes: Vec<u8>,
    start: usize,
}

impl std::ops::Deref for IndexBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes[self.start..]
    }
}

/// An index's header: its kind's magic, the length of its body and the body's hash (XXH3), so
/// that one torn or with blocks lost is never taken for the truth.
pub(super) const HEADER_LEN: usize = 24;

/// Best effort: an index that cannot be written (a read-only store) only costs the next report
/// a parse. Never fsynced: it is rebuilt if a power cut tears it.
pub(super) fn write_index(kind: Kind, cache_dir: &Path, path: &Path, body: &[u8]) {
    if fs::create_dir_all(cache_dir).is_err() {
        return;
    }
    let mut bytes = Vec::with_capacity(body.len() + HEADER_LEN);
    bytes.extend_from_slice(kind.magic());
    bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&hash(body).to_le_bytes());
    bytes.extend_from_slice(body);
    // A name of its own per process: readers write it without the writers' lock.
    let temp = cache_dir.join(format!(".{}-tmp.{}", kind.name(), std::process::id()));
    if fs::write(&temp, &bytes).is_ok() && fs::rename(&temp, path).is_err() {
        let _ = fs::remove_file(&temp);
    }
}

/// An index written as it is made, entry by entry, straight to its temporary file: the report's
/// index at 100,000 promises is 10 MB, not to be held in memory a second time. Best effort, like
/// [`write_index`]; in place once [`finish`](IndexWriter::finish)ed.
pub(super) struct IndexWriter {
    out: Option<std::io::BufWriter<fs::File>>,
    temp: PathBuf,
    path: PathBuf,
    len: u64,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl IndexWriter {
    pub(super) fn new(kind: Kind, cache_dir: &Path, path: &Path) -> IndexWriter {
        let temp = cache_dir.join(format!(".{}-tmp.{}", kind.name(), std::process::id()));
        let out = fs::create_dir_all(cache_dir)
            .and_then(|()| fs::File::create(&temp))
            .and_then(|file| {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
                std::io::Write::write_all(&mut out, kind.magic())?;
                // The length and the hash, written when they are known.
                std::io::Write::write_all(&mut out, &[0u8; 16])?;
                Ok(out)
            })
            .ok();
        IndexWriter {
            out,
            temp,
            path: path.to_path_buf(),
            len: 0,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
        }
    }

    pub(super) fn add(&mut self, bytes: &[u8]) {
        if let Some(out) = &mut self.out {
            if std::io::Write::write_all(out, bytes).is_err() {
                self.out = None;
            }
            self.len += bytes.len() as u64;
            self.hasher.update(bytes);
        }
    }

    pub(super) fn finish(mut self) {
        let Some(out) = self.out.take() else {
            let _ = fs::remove_file(&self.temp);
            return;
        };
        let done = out
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| {
                let mut lengths = [0u8; 16];
                lengths[..8].copy_from_slice(&self.len.to_le_bytes());
                lengths[8..].copy_from_slice(&self.hasher.digest().to_le_bytes());
                std::os::unix::fs::FileExt::write_all_at(&file, &lengths, 8)
            });
        if done.is_err() || fs::rename(&self.temp, &self.path).is_err() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

impl Drop for IndexWriter {
    /// An index not finished is not left behind.
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Reads each of `files` on as many threads as there are cores, each file's text turned into
/// what `make` makes of it on a worker and handed to `take` (on this thread) as soon as it is
/// ready, so that only a few files are held at once.
/// A file this large is read into a buffer of its own size.
pub(super) const LARGE: u64 = 1 << 20;

/// glibc raises its mmap threshold after the first large buffer is freed, so the next ones (the
/// text of each yearly archive file a cold report reads, 5 MB each) come from the heap and stay
/// in the process once freed: a cold report of 100,000 promises over five years peaked at
/// 58 MiB. With a fixed 1 MiB threshold they are returned: 35 MiB, 0.05 s slower. Set only
/// here, where files this large are read: at start-up it cost `prompt` 0.1 ms.
fn hand_large_buffers_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter, under the allocator's own lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE as libc::c_int);
    }
}

pub(super) fn parse_streaming_with<T: Send>(
    files: &[&Planned],
    make: impl Fn(&Planned, &str) -> Result<T, StoreError> + Sync,
    mut take: impl FnMut(usize, T),
) -> Result<(), StoreError> {
    if files.is_empty() {
        return Ok(());
    }
    if files.iter().any(|f| f.stamp.len > LARGE) {
        hand_large_buffers_back();
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, files.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (send, receive) = std::sync::mpsc::sync_channel(2 * workers);
    let make = &make;
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (send, next) = (send.clone(), &next);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(file) = files.get(i) else {
                        break;
                    };
                    let parsed = file::read_text(&file.path)
                        .and_then(|text| make(file, &text.unwrap_or_default()));
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
