//! The `ids` index (`.cache/ids`): every archived promise's id, with its file and the place of
//! its table there, sorted by id, so that a lookup by id reads a few kilobytes of the index
//! whatever the history, and then one table of one file.
//!
//! After the index's own header (see [`index::write_index`]):
//!
//! ```text
//! files length (u32) · fences length (u32) · hash of files and fences (u64)
//! files   each archive directory's stamp, and each file's head (postcard): path, stamp,
//!         hash, how many ids
//! fences  every 128th record's id, where that record starts, and the hash of the records
//!         from there to the next fence: [u16 len][id][u32 offset][u64 hash]
//! records every id, sorted: [u16 len][id][u32 file number][u32 table start][u32 table length]
//! ```
//!
//! A lookup reads the head, files and fences (40 bytes of lengths, then about 40 KB at 420
//! files and 100,000 ids), checks every directory's and file's stamp, then reads only the
//! stretch of records between the two fences around the prefix. When everything is as the
//! heads say (the usual case) that check makes nothing per file; otherwise the archive is
//! listed again, reading only directories whose stamps changed, and each file planned (see
//! [`index::plan`]). If any file is not as its head says, the index is made again: the entries
//! of unchanged files kept, a file that only grew by appended tables read from its old end,
//! any other parsed.
//!
//! What is made again is written as a delta (`.cache/ids-delta`) beside the sorted base while
//! it holds at most [`DELTA_MOST`] records: every file's head as it is now, each base file's
//! number among them (or that its records no longer count), and the records read again,
//! sorted. A lookup then reads the base's stretch and the whole delta (tens of KB). Past that
//! size the base is written again with every record, and the delta removed. A delta names its
//! base by the hash of the base's head and is used over no other.
//!
//! The floor of a lookup is one `stat` per archive file (about 1.2 µs each here: 0.5 ms for 34
//! years of month files). Nothing cheaper tells a file edited in place from one that was not.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::file::StoreFile;
use super::index::{self, Kind, Planned, Stamp, State};
use super::{StoreError, archive};

/// An id in the archive: the file it is in, the id, and where its table is in that file's text
/// ((0, 0) where that is not known).
pub type Found = (PathBuf, String, (u32, u32));

/// One record in every this many starts a fence: a lookup reads at most about two stretches of
/// this many records (3–4 KB) past the fences.
const FENCE_EVERY: usize = 128;

/// After the index's header: the lengths of the files and fences sections, and their hash.
const LENGTHS: usize = 16;

/// What the index knows of one archive directory: a file added, removed or renamed in it
/// changes its stamp, so an unchanged one need not be read again.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DirHead {
    dir: archive::Dir,
    stamp: Stamp,
}

/// What the index knows of one archive file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct FileHead<'a> {
    /// Borrowed from the index's bytes as it is read: a lookup makes no string per file.
    #[serde(borrow)]
    rel: Cow<'a, str>,
    stamp: Stamp,
    hash: u64,
    count: u32,
}

/// A record: an id, the number of its file (its place among the heads) and its table's place.
type Record<'a> = (Cow<'a, str>, u32, (u32, u32));

/// The ids that start with `prefix` in the archive, each with its file and the place of its
/// table there. Reads the index's head and one stretch of its records when every archive file
/// is as the index says; otherwise the index is made again first.
pub fn find(archive_dir: &Path, cache_dir: &Path, prefix: &str) -> Result<Vec<Found>, StoreError> {
    find_each(archive_dir, cache_dir, &[prefix])
}

/// As [`find`], for several prefixes at once: the ids that start with any of them, each once.
pub fn find_each(
    archive_dir: &Path,
    cache_dir: &Path,
    prefixes: &[&str],
) -> Result<Vec<Found>, StoreError> {
    let index_path = cache_dir.join(Kind::Ids.name());
    let delta_path = cache_dir.join(Kind::IdsDelta.name());
    let base = Index::open(&index_path);
    let delta = base.as_ref().and_then(|_| Delta::read(&delta_path));
    let view = View::of(base.as_ref(), delta.as_ref());
    let places = Places {
        archive_dir,
        cache_dir,
        base: &index_path,
        delta: &delta_path,
    };
    if let Some(base) = &base
        && let Some(settle) = view.fresh(archive_dir)
    {
        let found: Option<Vec<Vec<Found>>> = prefixes
            .iter()
            .map(|prefix| view.look_up(base, prefix, archive_dir))
            .collect();
        if let Some(found) = found {
            if settle {
                view.settle(base, places);
            }
            return Ok(dedup(found.into_iter().flatten().collect()));
        }
    }
    let (written, dirs, heads) = (view.written, &view.dirs, &view.heads);
    // Directories unchanged since the index was made are not read again: their entries are
    // the index's (a long history has a directory a year).
    let (files, seen) = archive::list_reusing(archive_dir, |dir, meta| {
        let stamp = Stamp::of(meta);
        let head = dirs.iter().find(|d| d.dir == dir)?;
        if head.stamp != stamp || stamp.racy(written) {
            return None;
        }
        Some(match dir {
            None => dirs
                .iter()
                .filter_map(|d| d.dir)
                .map(|year| (archive_dir.join(format!("{year:04}")), true))
                .chain(
                    heads
                        .iter()
                        .filter(|h| !h.rel.contains('/'))
                        .map(|h| (archive_dir.join(h.rel.as_ref()), false)),
                )
                .collect(),
            Some(year) => {
                let under = format!("{year:04}/");
                heads
                    .iter()
                    .filter(|h| h.rel.starts_with(&under))
                    .map(|h| (archive_dir.join(h.rel.as_ref()), false))
                    .collect()
            }
        })
    })?;
    let seen: Vec<DirHead> = seen
        .into_iter()
        .map(|(dir, meta)| DirHead {
            dir,
            stamp: Stamp::of(&meta),
        })
        .collect();
    let known: HashMap<&str, &FileHead<'_>> = heads.iter().map(|h| (h.rel.as_ref(), h)).collect();
    let plan = index::plan(
        archive_dir,
        files,
        |rel| known.get(rel).map(|h| (h.stamp, h.hash)),
        written,
    );
    let up_to_date = plan.len() == heads.len()
        && plan
            .iter()
            .all(|f| f.state == State::Fresh && known.contains_key(f.rel.as_str()));
    if up_to_date && let Some(base) = &base {
        let found: Option<Vec<Vec<Found>>> = prefixes
            .iter()
            .map(|prefix| view.look_up(base, prefix, archive_dir))
            .collect();
        if let Some(found) = found {
            return Ok(dedup(found.into_iter().flatten().collect()));
        }
    }
    // Every file as the index says, and still the lookup failed: the index itself is wrong
    // (blocks lost to a power cut), and nothing of it is kept.
    let trusted = (!up_to_date).then_some(base.as_ref()).flatten();
    rebuild(trusted, &view, &seen, &plan, places, prefixes)
}

/// The time an index written now would carry, less a tenth of a second's margin, as
/// [`Stamp::racy`] takes it. The system's clock, not `PROMISE_NOW`: it is compared with the
/// file system's own times.
fn settle_time() -> Option<(i64, i64)> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .checked_sub(std::time::Duration::from_millis(100))?;
    Some((
        i64::try_from(now.as_secs()).ok()?,
        i64::from(now.subsec_nanos()),
    ))
}

/// Sorted, each once: a prefix that starts with another finds its ids twice.
fn dedup(mut found: Vec<Found>) -> Vec<Found> {
    found.sort_unstable();
    found.dedup();
    found
}

/// Where the index's files are.
#[derive(Clone, Copy)]
struct Places<'a> {
    archive_dir: &'a Path,
    cache_dir: &'a Path,
    base: &'a Path,
    delta: &'a Path,
}

/// Brings the `ids` index up to date (see [`find`]) and looks nothing up.
pub fn refresh(archive_dir: &Path, cache_dir: &Path) -> Result<(), StoreError> {
    find_each(archive_dir, cache_dir, &[]).map(drop)
}

/// The index file, open, with its head read.
struct Index {
    file: fs::File,
    /// When it was written (its modification time).
    written: Option<(i64, i64)>,
    /// The bytes from the start of the file through the fences.
    head: Vec<u8>,
    files_len: usize,
    fences_len: usize,
    /// The hash of the head (files and fences): what a delta names its base by.
    head_hash: u64,
    /// Where the records are in the file, and how long they are.
    records_at: u64,
    records_len: u64,
}

impl Index {
    /// None when there is no index, or it is of another format or torn.
    fn open(path: &Path) -> Option<Index> {
        let file = fs::File::open(path).ok()?;
        let meta = file.metadata().ok()?;
        let len = meta.len();
        // The index's own header (see `index::write_index`): its whole-body hash is not
        // checked here, where only a few KB are read; the head and each stretch of records
        // have hashes of their own.
        let start = index::HEADER_LEN;
        // Its lengths first, then the head exactly: every page a read fills is a page fault
        // (about 5 µs here), and a head is 40 KB at 420 files and 100,000 ids.
        let mut lengths = [0u8; index::HEADER_LEN + LENGTHS];
        file.read_exact_at(&mut lengths, 0).ok()?;
        if !lengths.starts_with(Kind::Ids.magic()) {
            return None;
        }
        let word =
            |at: usize| u32::from_le_bytes(lengths[at..at + 4].try_into().unwrap_or_default());
        let body_len = u64::from_le_bytes(lengths[8..16].try_into().ok()?);
        if body_len != len - start as u64 {
            return None;
        }
        let (files_len, fences_len) = (word(start) as usize, word(start + 4) as usize);
        let head_hash = u64::from_le_bytes(lengths[start + 8..start + 16].try_into().ok()?);
        let head_len = start + LENGTHS + files_len + fences_len;
        if head_len as u64 > len {
            return None;
        }
        let mut head = vec![0u8; head_len];
        head[..lengths.len()].copy_from_slice(&lengths);
        file.read_exact_at(&mut head[lengths.len()..], lengths.len() as u64)
            .ok()?;
        if index::hash(&head[start + LENGTHS..]) != head_hash {
            return None;
        }
        Some(Index {
            file,
            written: Some((meta.mtime(), meta.mtime_nsec())),
            records_at: head_len as u64,
            records_len: len - head_len as u64,
            head,
            files_len,
            fences_len,
            head_hash,
        })
    }

    fn files_bytes(&self) -> &[u8] {
        let start = self.head.len() - self.files_len - self.fences_len;
        &self.head[start..start + self.files_len]
    }

    /// The directories and files the index was made from.
    fn files(&self) -> Option<(Vec<DirHead>, Vec<FileHead<'_>>)> {
        let (files, rest) = postcard::take_from_bytes(self.files_bytes()).ok()?;
        rest.is_empty().then_some(files)
    }

    /// Each fence: the id of the record it starts at, where that record starts, and the hash
    /// of the stretch of records up to the next fence.
    fn fences(&self) -> Option<Vec<(&[u8], u64, u64)>> {
        self.fence_iter().collect()
    }

    /// The fences one by one, as they are read (None for one that does not decode).
    fn fence_iter(&self) -> impl Iterator<Item = Option<(&[u8], u64, u64)>> {
        let mut bytes = &self.head[self.head.len() - self.fences_len..];
        std::iter::from_fn(move || {
            if bytes.is_empty() {
                return None;
            }
            let fence = (|| {
                let (id, rest) = take_id(bytes)?;
                let (offset, rest) = take_u32(rest)?;
                let (hash, rest) = rest.split_first_chunk::<8>()?;
                bytes = rest;
                Some((id, u64::from(offset), u64::from_le_bytes(*hash)))
            })();
            if fence.is_none() {
                bytes = &[];
            }
            Some(fence)
        })
    }

    /// The records between `start` and `end` (offsets into the records, at fences), each
    /// stretch checked against its fence's hash; None if one does not hold (torn, or blocks
    /// lost: the index is never fsynced).
    fn read_records(&self, fences: &[(&[u8], u64, u64)], start: u64, end: u64) -> Option<Vec<u8>> {
        let mut bytes = vec![0u8; usize::try_from(end.checked_sub(start)?).ok()?];
        self.file
            .read_exact_at(&mut bytes, self.records_at + start)
            .ok()?;
        let first = fences.partition_point(|(_, offset, _)| *offset < start);
        for (k, (_, from, digest)) in fences.iter().enumerate().skip(first) {
            if *from >= end {
                break;
            }
            let to = fences.get(k + 1).map_or(self.records_len, |f| f.1).min(end);
            let stretch = bytes
                .get(usize::try_from(from - start).ok()?..usize::try_from(to - start).ok()?)?;
            if index::hash(stretch) != *digest {
                return None;
            }
        }
        Some(bytes)
    }

    /// Every record, checked.
    fn all_records(&self) -> Option<Vec<u8>> {
        let fences = self.fences()?;
        if fences.first().is_some_and(|f| f.1 != 0) || (fences.is_empty() && self.records_len > 0) {
            return None;
        }
        self.read_records(&fences, 0, self.records_len)
    }

    /// The records of the ids starting with `prefix`, from the one stretch of records that
    /// can hold them; None if the index does not decode.
    fn with_prefix(&self, prefix: &str) -> Option<Vec<Record<'static>>> {
        let prefix = prefix.as_bytes();
        // Sorted by id: every id that starts with the prefix lies after the last fence below
        // the prefix, and before the first fence past it that does not start with it. Only
        // the fences from the one to the other are kept (all 800 at 100,000 ids, collected,
        // were six more pages of memory).
        let mut near: Vec<(&[u8], u64, u64)> = Vec::new();
        let mut end = self.records_len;
        for fence in self.fence_iter() {
            let fence = fence?;
            if fence.0 < prefix {
                near.clear();
            } else if !fence.0.starts_with(prefix) {
                end = fence.1;
                near.push(fence);
                break;
            }
            near.push(fence);
        }
        let start = near.first().filter(|f| f.0 < prefix).map_or(0, |f| f.1);
        let bytes = self.read_records(&near, start, end)?;
        Some(
            decode_records(&bytes)?
                .into_iter()
                .filter(|(id, _, _)| id.as_bytes().starts_with(prefix))
                .map(|(id, file, span)| (Cow::Owned(id.into_owned()), file, span))
                .collect(),
        )
    }
}

fn take_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (n, rest) = bytes.split_first_chunk::<4>()?;
    Some((u32::from_le_bytes(*n), rest))
}

fn take_id(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = bytes.split_first_chunk::<2>()?;
    let len = usize::from(u16::from_le_bytes(*len));
    (rest.len() >= len).then(|| rest.split_at(len))
}

fn put_id(out: &mut Vec<u8>, id: &str) -> Option<()> {
    out.extend_from_slice(&u16::try_from(id.len()).ok()?.to_le_bytes());
    out.extend_from_slice(id.as_bytes());
    Some(())
}

fn decode_records(mut bytes: &[u8]) -> Option<Vec<Record<'_>>> {
    let mut records = Vec::new();
    while !bytes.is_empty() {
        let (id, rest) = take_id(bytes)?;
        let (file, rest) = take_u32(rest)?;
        let (start, rest) = take_u32(rest)?;
        let (len, rest) = take_u32(rest)?;
        records.push((
            Cow::Borrowed(std::str::from_utf8(id).ok()?),
            file,
            (start, len),
        ));
        bytes = rest;
    }
    Some(records)
}

/// The index made again for the archive as `plan` found it; returns the ids that start with
/// any of `prefixes`. Entries of files that are as they were are kept (`view`, over `base`:
/// the base index, None where it is not to be trusted). When the records to read again, with
/// the delta's own, are few, only a new delta is written (the base's 2.4 MB at 100,000 ids
/// written again made every `nag` 15 ms slower); otherwise the base, with every record.
fn rebuild(
    base: Option<&Index>,
    view: &View<'_>,
    dirs: &[DirHead],
    plan: &[Planned],
    places: Places<'_>,
    prefixes: &[&str],
) -> Result<Vec<Found>, StoreError> {
    let heads: &[FileHead<'_>] = if base.is_some() { &view.heads } else { &[] };
    let position: HashMap<&str, usize> = heads
        .iter()
        .enumerate()
        .map(|(i, h)| (h.rel.as_ref(), i))
        .collect();
    let to_read: usize = plan
        .iter()
        .filter(|f| f.state == State::Stale)
        .map(|f| {
            position.get(f.rel.as_str()).map_or(
                usize::try_from(f.stamp.len / 100).unwrap_or(usize::MAX),
                |&i| heads[i].count as usize,
            )
        })
        .fold(0, usize::saturating_add);
    let in_delta = view.delta.as_ref().map_or(0, |(_, records)| records.len());
    let as_delta = base.is_some() && in_delta.saturating_add(to_read) <= DELTA_MOST;

    // The records there were, numbered as `heads`, in their order (by id), borrowed: for a
    // delta only its own (the base's stay where they are), otherwise every one.
    let base_bytes = if as_delta {
        None
    } else {
        base.and_then(Index::all_records)
    };
    let old_records: Vec<Record<'_>> = match (&view.delta, &base_bytes) {
        (Some((_, records)), _) if as_delta => records.clone(),
        (_, Some(bytes)) => view.all_records(bytes).unwrap_or_default(),
        _ => Vec::new(),
    };
    let old_number: HashMap<&str, usize> = if as_delta {
        position
    } else {
        let mut counts = vec![0usize; heads.len()];
        for (_, file, _) in &old_records {
            if let Some(count) = counts.get_mut(*file as usize) {
                *count += 1;
            }
        }
        heads
            .iter()
            .enumerate()
            // A head whose count its records do not bear out: the file is read again.
            .filter(|(i, h)| counts[*i] == h.count as usize)
            .map(|(i, h)| (h.rel.as_ref(), i))
            .collect()
    };
    // Ids read from files now, all in one text. Kept as a String each, made on the parsing
    // threads, they pinned those threads' heaps: 60 MB to index 100,000 ids rather than 12.
    let mut text = String::new();
    let mut read: Vec<(u32, std::ops::Range<usize>, (u32, u32))> = Vec::new();
    let mut take = |number: usize, ids: Ids<'_>, read: &mut Vec<_>| {
        for (id, span) in ids {
            let start = text.len();
            text.push_str(&id);
            read.push((number as u32, start..text.len(), span));
        }
    };
    // Each old file whose records stay, by its new number.
    let mut renumbered: Vec<Option<u32>> = vec![None; heads.len()];
    let mut hashes: Vec<Option<(u64, usize)>> = Vec::with_capacity(plan.len());
    for (number, file) in plan.iter().enumerate() {
        let old = old_number.get(file.rel.as_str()).map(|&i| (i, &heads[i]));
        hashes.push(match (file.state, old) {
            (State::Fresh | State::Restamped, Some((i, head))) => {
                renumbered[i] = Some(number as u32);
                Some((head.hash, head.count as usize))
            }
            (State::Stale, Some((i, head))) if file.stamp.len > head.stamp.len => {
                appended_tail(&file.path, head.stamp.len, head.hash).map(|(tail, hash)| {
                    renumbered[i] = Some(number as u32);
                    let count = head.count as usize + tail.len();
                    take(number, tail, &mut read);
                    (hash, count)
                })
            }
            _ => None,
        });
    }
    let stale: Vec<(usize, &Planned)> = plan
        .iter()
        .enumerate()
        .filter(|(n, _)| hashes[*n].is_none())
        .collect();
    let files: Vec<&Planned> = stale.iter().map(|(_, f)| *f).collect();
    index::parse_streaming_with(
        &files,
        |file, text| Ok((ids_in(&file.path, text, 0)?, index::hash(text.as_bytes()))),
        |i, (ids, hash)| {
            let number = stale[i].0;
            hashes[number] = Some((hash, ids.len()));
            take(number, ids, &mut read);
        },
    )?;

    let new_heads: Vec<FileHead<'_>> = plan
        .iter()
        .zip(&hashes)
        .map(|(file, made)| {
            let (hash, count) = made.unwrap_or_default();
            FileHead {
                rel: Cow::Borrowed(file.rel.as_str()),
                stamp: file.stamp,
                hash,
                count: u32::try_from(count).unwrap_or(u32::MAX),
            }
        })
        .collect();
    // The old records that stay are in order already; only those read now are sorted, and the
    // two merged (sorting all 100,000 again was most of what `nag` cost).
    let mut read: Vec<Record<'_>> = read
        .into_iter()
        .map(|(file, range, span)| (Cow::Borrowed(&text[range]), file, span))
        .collect();
    read.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let kept: Vec<Record<'_>> = old_records
        .into_iter()
        .filter_map(|(id, file, span)| {
            let file = renumbered.get(file as usize).copied().flatten()?;
            Some((id, file, span))
        })
        .collect();
    let records = merge(kept, read);

    if let (true, Some(base)) = (as_delta, base) {
        // Each of the base's files, by its number now.
        let base_files = view.delta.as_ref().map_or(heads.len(), |(r, _)| r.len());
        let renumber: Vec<Option<u32>> = (0..base_files)
            .map(|i| {
                let was = view.number(i as u32).flatten()?;
                renumbered.get(was as usize).copied().flatten()
            })
            .collect();
        if let Some(body) = encode_delta(base.head_hash, dirs, &new_heads, &renumber, &records) {
            index::write_index(Kind::IdsDelta, places.cache_dir, places.delta, &body);
        }
        let now = View {
            written: None,
            dirs: Vec::new(),
            heads: new_heads,
            delta: Some((renumber, records)),
        };
        let found: Option<Vec<Vec<Found>>> = prefixes
            .iter()
            .map(|prefix| now.look_up(base, prefix, places.archive_dir))
            .collect();
        return match found {
            Some(found) => Ok(dedup(found.into_iter().flatten().collect())),
            // A stretch of the base does not hold after all: nothing of it is kept.
            None => rebuild(None, view, dirs, plan, places, prefixes),
        };
    }
    if let Some(body) = encode(dirs, &new_heads, &records) {
        index::write_index(Kind::Ids, places.cache_dir, places.base, &body);
    }
    // Made against the base just replaced: it would not be used, only read.
    let _ = fs::remove_file(places.delta);
    Ok(records
        .into_iter()
        .filter(|(id, _, _)| prefixes.iter().any(|prefix| id.starts_with(prefix)))
        .map(|(id, file, span)| (plan[file as usize].path.clone(), id.into_owned(), span))
        .collect())
}

/// Most records a delta holds (about 100 KB, read whole by every lookup); past it the base is
/// written again.
const DELTA_MOST: usize = 4096;

/// The delta's head: the archive as it is now, in terms of the base it was made against.
#[derive(Debug, Serialize, Deserialize)]
struct DeltaHead<'a> {
    /// The hash of the base's head: a delta made against another base is not used.
    base: u64,
    dirs: Vec<DirHead>,
    #[serde(borrow)]
    heads: Vec<FileHead<'a>>,
    /// Each base file's number among `heads`; None where its records no longer count (the
    /// file changed or went: what it holds now is among the delta's records).
    renumber: Vec<Option<u32>>,
}

/// The delta file, read whole and checked against its hash.
struct Delta {
    body: index::IndexBytes,
    written: Option<(i64, i64)>,
    head_len: usize,
}

impl Delta {
    fn read(path: &Path) -> Option<Delta> {
        let (body, written) = index::read_index(Kind::IdsDelta, path);
        let body = body?;
        let (len, _) = take_u32(&body)?;
        let head_len = len as usize;
        (body.len() >= 4 + head_len).then_some(Delta {
            body,
            written,
            head_len,
        })
    }

    fn head(&self) -> Option<DeltaHead<'_>> {
        postcard::from_bytes(&self.body[4..4 + self.head_len]).ok()
    }

    fn records(&self) -> Option<Vec<Record<'_>>> {
        decode_records(&self.body[4 + self.head_len..])
            .filter(|records| records.windows(2).all(|w| w[0].0 <= w[1].0))
    }
}

/// The archive as the index knows it: the base's files, or the delta's over the base.
struct View<'a> {
    /// When what the heads say was last checked against the files (the file's modification
    /// time), for [`Stamp::racy`].
    written: Option<(i64, i64)>,
    dirs: Vec<DirHead>,
    heads: Vec<FileHead<'a>>,
    /// With a delta: each base file's number among `heads`, and the delta's own records.
    delta: Option<(Vec<Option<u32>>, Vec<Record<'a>>)>,
}

impl<'a> View<'a> {
    fn of(base: Option<&'a Index>, delta: Option<&'a Delta>) -> View<'a> {
        if let (Some(base), Some(delta)) = (base, delta)
            && let Some(head) = delta.head()
            && head.base == base.head_hash
            && let Some(records) = delta.records()
        {
            return View {
                written: delta.written,
                dirs: head.dirs,
                heads: head.heads,
                delta: Some((head.renumber, records)),
            };
        }
        let (dirs, heads) = base.and_then(Index::files).unwrap_or_default();
        View {
            written: base.and_then(|b| b.written),
            dirs,
            heads,
            delta: None,
        }
    }

    /// Whether every directory and file is as the heads say by its stamp alone (and none
    /// changed within the clock tick the index was written in): then listing the archive and
    /// planning its files, as [`find_each`] otherwise does, would find nothing to do. One
    /// `stat` each and nothing made per file: at 420 files, building the listing and the plan
    /// touched 25 more pages of memory than the stats, each a page fault.
    ///
    /// None if not; otherwise whether what had to be checked by its bytes or entries (changed
    /// in the index's own tick) would no longer need that were the index written now: see
    /// [`View::settle`].
    fn fresh(&self, archive_dir: &Path) -> Option<bool> {
        let root = archive_dir.to_str()?;
        let mut path = String::with_capacity(root.len() + 16);
        // A file changed in the index's own clock tick is as the head says if its bytes are
        // (the month file housekeeping has just written always is: see `index::plan`).
        let mut racy_budget = index::LARGE;
        let mut buffer: Option<Vec<u8>> = None;
        let settle_at = settle_time();
        let (mut racy, mut settled) = (false, true);
        let mut note = |stamp: &Stamp| {
            racy = true;
            settled &= !stamp.racy(settle_at);
        };
        if self.dirs.is_empty() {
            return None;
        }
        for dir in &self.dirs {
            let stamp = self.dir_holds(archive_dir, dir)?;
            if stamp.racy(self.written) {
                note(&stamp);
            }
        }
        for head in &self.heads {
            path.clear();
            path.push_str(root);
            path.push('/');
            path.push_str(&head.rel);
            let now = Stamp::of(&fs::metadata(&path).ok()?);
            if now != head.stamp {
                return None;
            }
            if now.racy(self.written) {
                racy_budget = racy_budget.checked_sub(now.len)?;
                let buffer = buffer.get_or_insert_with(|| vec![0u8; 1 << 16]);
                if !index::same_bytes(Path::new(&path), head.hash, buffer) {
                    return None;
                }
                note(&now);
            }
        }
        Some(racy && settled)
    }

    /// Writes what this view says again as the delta, unchanged but for the time it is
    /// written: the files and directories [`View::fresh`] had to read because they changed in
    /// the tick of the index's writing are then believed on their stamps. Housekeeping writes
    /// a month file and then the index a moment later, so without this every lookup until the
    /// next change read that month again (76 KB at 100,000 closed over 34 years, 19 page
    /// faults). Safe without the lock: every stamp is checked again by every lookup, and one
    /// changed after this view was checked is racy against the new delta.
    fn settle(&self, base: &Index, places: Places<'_>) {
        let identity: Vec<Option<u32>>;
        let (renumber, records): (&[Option<u32>], &[Record<'_>]) = match &self.delta {
            Some((renumber, records)) => (renumber, records),
            None => {
                identity = (0..self.heads.len() as u32).map(Some).collect();
                (&identity, &[])
            }
        };
        if let Some(body) = encode_delta(base.head_hash, &self.dirs, &self.heads, renumber, records)
        {
            index::write_index(Kind::IdsDelta, places.cache_dir, places.delta, &body);
        }
    }

    /// Whether the directory is as its head says: its stamp the same and, if it changed in the
    /// index's own clock tick (as the month's directory does when housekeeping writes a file
    /// there just before the index), its entries those the heads name.
    fn dir_holds(&self, archive_dir: &Path, head: &DirHead) -> Option<Stamp> {
        let path = match head.dir {
            None => archive_dir.to_path_buf(),
            Some(year) => archive_dir.join(format!("{year:04}")),
        };
        let now = Stamp::of(&fs::metadata(&path).ok()?);
        if now != head.stamp {
            return None;
        }
        if !now.racy(self.written) {
            return Some(now);
        }
        let name = |p: &Path| p.file_name().and_then(|n| n.to_str()).map(str::to_owned);
        let sorted = |mut names: Vec<Option<String>>| {
            names.sort_unstable();
            names
        };
        match head.dir {
            Some(year) => {
                let under = format!("{year:04}/");
                let months = archive::months(&path).ok()?;
                let known = self
                    .heads
                    .iter()
                    .filter_map(|h| h.rel.strip_prefix(&under))
                    .map(|n| Some(n.to_owned()))
                    .collect();
                let same = sorted(months.iter().map(|(_, p)| name(p)).collect()) == sorted(known);
                same.then_some(now)
            }
            None => {
                let years = archive::years(&path).ok()?;
                let mut found: Vec<i32> = years.iter().filter(|y| y.2).map(|y| y.0).collect();
                let mut known: Vec<i32> = self.dirs.iter().filter_map(|d| d.dir).collect();
                found.sort_unstable();
                known.sort_unstable();
                let files = years.iter().filter(|y| !y.2).map(|y| name(&y.1)).collect();
                let known_files = self
                    .heads
                    .iter()
                    .filter(|h| !h.rel.contains('/'))
                    .map(|h| Some(h.rel.to_string()))
                    .collect();
                (found == known && sorted(files) == sorted(known_files)).then_some(now)
            }
        }
    }

    /// The number among the heads of the base's file `file`: Some(None) if its records no
    /// longer count, None if the base and the delta disagree (neither is then believed).
    fn number(&self, file: u32) -> Option<Option<u32>> {
        match &self.delta {
            None => Some(Some(file)),
            Some((renumber, _)) => renumber.get(file as usize).copied(),
        }
    }

    /// The ids starting with `prefix`: the base's, as the delta numbers them, and the
    /// delta's; None if the index does not decode.
    fn look_up(&self, base: &Index, prefix: &str, archive_dir: &Path) -> Option<Vec<Found>> {
        let path = |file: u32| Some(archive_dir.join(self.heads.get(file as usize)?.rel.as_ref()));
        let mut found = Vec::new();
        for (id, file, span) in base.with_prefix(prefix)? {
            if let Some(file) = self.number(file)? {
                found.push((path(file)?, id.into_owned(), span));
            }
        }
        if let Some((_, records)) = &self.delta {
            let from = records.partition_point(|r| r.0.as_ref() < prefix);
            for (id, file, span) in records[from..]
                .iter()
                .take_while(|r| r.0.starts_with(prefix))
            {
                found.push((path(*file)?, id.to_string(), *span));
            }
        }
        Some(found)
    }

    /// Every record, numbered as the heads are, sorted; None if any stretch of the base does
    /// not hold or the base and the delta disagree.
    fn all_records<'b>(&'b self, base_bytes: &'b [u8]) -> Option<Vec<Record<'b>>> {
        let base = decode_records(base_bytes)?;
        if !base.windows(2).all(|w| w[0].0 <= w[1].0) {
            return None;
        }
        let mut mapped = Vec::with_capacity(base.len());
        for (id, file, span) in base {
            if let Some(file) = self.number(file)? {
                mapped.push((id, file, span));
            }
        }
        let delta: Vec<Record<'b>> = self
            .delta
            .iter()
            .flat_map(|(_, records)| records.iter().cloned())
            .collect();
        Some(merge(mapped, delta))
    }
}

/// Two lists of records sorted by id, as one.
fn merge<'a>(a: Vec<Record<'a>>, b: Vec<Record<'a>>) -> Vec<Record<'a>> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for record in a {
        while let Some(next) = b.next_if(|r| r.0 < record.0) {
            out.push(next);
        }
        out.push(record);
    }
    out.extend(b);
    out
}

/// A file's ids with the places of their tables.
type Ids<'a> = Vec<(Cow<'a, str>, (u32, u32))>;

/// The ids of the promises in `text` (a file's text from byte `offset` on), with the places of
/// their tables.
fn ids_in(path: &Path, text: &str, offset: usize) -> Result<Ids<'static>, StoreError> {
    Ok(ids_of(StoreFile::parse(path, text)?, text, offset))
}

/// The ids of `file`, parsed from `text`, with the places of their tables.
fn ids_of(file: StoreFile, text: &str, offset: usize) -> Ids<'static> {
    let spans = super::doc::table_spans(text, &file.promises, offset);
    file.promises
        .into_iter()
        .map(|p| Cow::Owned(p.id.0))
        .zip(spans)
        .collect()
}

/// The index's body; None if an id is too long to write (it then stays unindexed: every
/// lookup reads the archive).
fn encode(dirs: &[DirHead], heads: &[FileHead<'_>], records: &[Record<'_>]) -> Option<Vec<u8>> {
    let files = postcard::to_stdvec(&(dirs, heads)).ok()?;
    let mut starts = Vec::new();
    let mut rows = Vec::with_capacity(records.len() * 24);
    for (i, record) in records.iter().enumerate() {
        if i % FENCE_EVERY == 0 {
            starts.push((record.0.as_ref(), rows.len()));
        }
        put_record(&mut rows, record)?;
    }
    let mut fences = Vec::new();
    for (k, (id, from)) in starts.iter().enumerate() {
        let to = starts.get(k + 1).map_or(rows.len(), |s| s.1);
        put_id(&mut fences, id)?;
        fences.extend_from_slice(&u32::try_from(*from).ok()?.to_le_bytes());
        fences.extend_from_slice(&index::hash(&rows[*from..to]).to_le_bytes());
    }
    let mut head = files;
    let files_len = head.len();
    head.extend_from_slice(&fences);
    let mut body = Vec::with_capacity(LENGTHS + head.len() + rows.len());
    body.extend_from_slice(&u32::try_from(files_len).ok()?.to_le_bytes());
    body.extend_from_slice(&u32::try_from(fences.len()).ok()?.to_le_bytes());
    body.extend_from_slice(&index::hash(&head).to_le_bytes());
    body.extend_from_slice(&head);
    body.extend_from_slice(&rows);
    Some(body)
}

/// A record as the index stores it; None if its id is too long.
fn put_record(out: &mut Vec<u8>, (id, file, (start, len)): &Record<'_>) -> Option<()> {
    put_id(out, id)?;
    for n in [*file, *start, *len] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    Some(())
}

/// The delta's head as it is written (the same bytes as [`DeltaHead`], from borrowed parts).
#[derive(Serialize)]
struct DeltaHeadOut<'a> {
    base: u64,
    dirs: &'a [DirHead],
    heads: &'a [FileHead<'a>],
    renumber: &'a [Option<u32>],
}

/// The delta's body: the length of its head, its head, its records.
fn encode_delta(
    base: u64,
    dirs: &[DirHead],
    heads: &[FileHead<'_>],
    renumber: &[Option<u32>],
    records: &[Record<'_>],
) -> Option<Vec<u8>> {
    let head = postcard::to_stdvec(&DeltaHeadOut {
        base,
        dirs,
        heads,
        renumber,
    })
    .ok()?;
    let mut body = Vec::with_capacity(4 + head.len() + records.len() * 24);
    body.extend_from_slice(&u32::try_from(head.len()).ok()?.to_le_bytes());
    body.extend_from_slice(&head);
    for record in records {
        put_record(&mut body, record)?;
    }
    Some(body)
}

/// What was appended to the file at `path` since it was `old_len` bytes hashing to
/// `old_hash`: the ids of the tables after that, with the hash of the whole file now; None
/// unless the file is exactly the old one with promise tables (or comments) after it.
fn appended_tail(path: &Path, old_len: u64, old_hash: u64) -> Option<(Ids<'static>, u64)> {
    let bytes = fs::read(path).ok()?;
    let old_len = usize::try_from(old_len).ok()?;
    if old_len == 0 || bytes.len() <= old_len || bytes[old_len - 1] != b'\n' {
        return None;
    }
    if index::hash(&bytes[..old_len]) != old_hash {
        return None;
    }
    let tail = std::str::from_utf8(&bytes[old_len..]).ok()?;
    // Anything but whole tables after it could change what the old end said.
    let first = tail
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    let ids = match first {
        None => Vec::new(),
        Some(line)
            if line
                .strip_prefix("[[promise]]")
                .is_some_and(|rest| rest.trim().is_empty() || rest.trim().starts_with('#')) =>
        {
            let file = StoreFile::parse(path, tail).ok()?;
            if !file.extra.is_empty() {
                return None;
            }
            ids_of(file, tail, old_len)
        }
        Some(_) => return None,
    };
    Some((ids, index::hash(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    impl Index {
        /// A lookup in the base alone.
        fn look_up_plain(&self, prefix: &str, archive_dir: &Path) -> Option<Vec<Found>> {
            View::of(Some(self), None).look_up(self, prefix, archive_dir)
        }
    }

    /// An index of `ids` (spread over three files) written to a temporary directory, and the
    /// ids that a lookup of each of `prefixes` finds in it.
    fn looked_up(ids: &[String], prefixes: &[String]) -> Vec<Vec<(String, String)>> {
        let dir = tempfile::tempdir().unwrap();
        let meta = fs::metadata(dir.path()).unwrap();
        let heads: Vec<FileHead<'_>> = (0..3)
            .map(|n| FileHead {
                rel: Cow::Owned(format!("2026/0{n}.toml")),
                stamp: Stamp::of(&meta),
                hash: n,
                count: 0,
            })
            .collect();
        let mut records: Vec<Record<'_>> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (Cow::Borrowed(id.as_str()), (i % 3) as u32, (i as u32, 1)))
            .collect();
        records.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let path = dir.path().join("ids");
        index::write_index(
            Kind::Ids,
            dir.path(),
            &path,
            &encode(&[], &heads, &records).unwrap(),
        );
        let index = Index::open(&path).expect("the index reads back");
        let (_, files) = index.files().expect("its files decode");
        assert_eq!(files.len(), 3);
        prefixes
            .iter()
            .map(|prefix| {
                let mut found: Vec<(String, String)> = index
                    .look_up_plain(prefix, Path::new("/a"))
                    .expect("its records decode")
                    .into_iter()
                    .map(|(path, id, _)| (path.display().to_string(), id))
                    .collect();
                found.sort();
                found
            })
            .collect()
    }

    /// What a lookup must find: every id starting with the prefix, in its file.
    fn expected(ids: &[String], prefix: &str) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = ids
            .iter()
            .enumerate()
            .filter(|(_, id)| id.starts_with(prefix))
            .map(|(i, id)| (format!("/a/2026/0{}.toml", i % 3), id.clone()))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn a_lookup_finds_every_id_with_the_prefix_across_fences() {
        // Enough ids for a dozen fences; prefixes at the start, the end, across fences, and
        // one id twice (in two files).
        let mut ids: Vec<String> = (0..1500).map(|i| format!("{:04}x{i}", i % 700)).collect();
        ids.push("0000x0".into());
        let prefixes: Vec<String> = ["", "0", "00", "0000x0", "0127", "0699", "07", "z", "0000"]
            .map(String::from)
            .to_vec();
        for (prefix, found) in prefixes.iter().zip(looked_up(&ids, &prefixes)) {
            assert_eq!(found, expected(&ids, prefix), "prefix {prefix:?}");
        }
    }

    fn table(id: &str) -> String {
        format!(
            "\n[[promise]]\nid = \"{id}\"\ncustomer = \"Acme Oy\"\nwhat = \"W\"\n\
             made = \"2026-01-01T10:00:00+02:00\"\ndue = \"2026-01-02T10:00:00+02:00\"\n\
             status = \"kept\"\nclosed = \"2026-01-02T09:00:00+02:00\"\n"
        )
    }

    /// Every id in the archive's files, with its file, by reading them.
    fn scanned(archive: &Path) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for path in archive::list(archive).unwrap() {
            let text = fs::read_to_string(&path).unwrap();
            let file = StoreFile::parse(&path, &text).unwrap();
            for p in file.promises {
                found.push((path.display().to_string(), p.id.0));
            }
        }
        found.sort();
        found
    }

    /// The index kept up to date across appends, rewrites, new and removed files: each time
    /// a lookup finds what reading the files finds, for every prefix tried.
    #[test]
    fn the_index_made_again_after_each_change_finds_what_the_files_hold() {
        let store = tempfile::tempdir().unwrap();
        let (archive, cache) = (store.path().join("archive"), store.path().join(".cache"));
        fs::create_dir_all(archive.join("2026")).unwrap();
        let write = |rel: &str, ids: &[String]| write_tables(&archive.join(rel), ids);
        let ids = |from: usize, n: usize| -> Vec<String> {
            (from..from + n)
                .map(|i| format!("{:03}k{i}", (i * 37) % 500))
                .collect()
        };
        let check = |step: &str| {
            check_against_scan(
                &archive,
                &cache,
                &["", "0", "1", "12", "2", "499", "x"],
                step,
            )
        };
        write("2026/01.toml", &ids(0, 300));
        write("2026/02.toml", &ids(300, 300));
        check("made");
        // Appended to (the index reads its new end alone).
        append_tables(&archive.join("2026/02.toml"), &ids(600, 50));
        check("appended");
        // Rewritten with other ids, a file added in a new year, one removed.
        write("2026/01.toml", &ids(650, 120));
        fs::create_dir_all(archive.join("2027")).unwrap();
        write("2027/03.toml", &ids(800, 200));
        check("rewritten and added");
        fs::remove_file(archive.join("2026/02.toml")).unwrap();
        check("removed");
        // A byte changed in the records, then in the head (the length still right, as after
        // blocks lost to a power cut): never believed, made again from the files.
        let index = cache.join(Kind::Ids.name());
        for (place, last) in [("records", true), ("fences", false)] {
            check("before the change");
            let mut bytes = fs::read(&index).unwrap();
            // An id starting "12" (the last is in the records, the first among the fences)
            // made to start "32": still a well-formed index, but a wrong one.
            let at: Vec<usize> = bytes
                .windows(3)
                .enumerate()
                .filter(|(_, w)| w[0] == b'1' && w[1] == b'2' && w[2].is_ascii_digit())
                .map(|(i, _)| i)
                .filter(|&i| bytes[i + 3] == b'k')
                .collect();
            let i = if last { at[at.len() - 1] } else { at[0] };
            bytes[i] = b'3';
            fs::write(&index, &bytes).unwrap();
            check(&format!("an id changed in the {place}"));
        }
        // Torn, or gone: made again from the files.
        let bytes = fs::read(&index).unwrap();
        fs::write(&index, &bytes[..bytes.len() / 2]).unwrap();
        check("torn");
        fs::remove_dir_all(&cache).unwrap();
        check("deleted");
    }

    /// Every lookup of these prefixes finds what reading the files finds.
    fn check_against_scan(archive: &Path, cache: &Path, prefixes: &[&str], step: &str) {
        let all = scanned(archive);
        for prefix in prefixes {
            let mut found: Vec<(String, String)> = find(archive, cache, prefix)
                .unwrap()
                .into_iter()
                .map(|(path, id, _)| (path.display().to_string(), id))
                .collect();
            found.sort();
            let wanted: Vec<(String, String)> = all
                .iter()
                .filter(|(_, id)| id.starts_with(prefix))
                .cloned()
                .collect();
            assert_eq!(found, wanted, "{step}, prefix {prefix:?}");
        }
    }

    fn write_tables(path: &Path, ids: &[String]) {
        let text: String = ids.iter().map(|id| table(id)).collect();
        fs::write(path, format!("version = 1\n{text}")).unwrap();
    }

    fn append_tables(path: &Path, ids: &[String]) {
        let mut text = fs::read_to_string(path).unwrap();
        text.extend(ids.iter().map(|id| table(id)));
        fs::write(path, text).unwrap();
    }

    /// A few changed files leave the base as it is and are written as a delta; a change past
    /// [`DELTA_MOST`] records writes the base again and takes the delta away. A delta that
    /// is torn, or was made against another base, is not believed.
    #[test]
    fn small_changes_go_to_a_delta_and_large_ones_to_the_base() {
        let store = tempfile::tempdir().unwrap();
        let (archive, cache) = (store.path().join("archive"), store.path().join(".cache"));
        let (base, delta) = (cache.join("ids"), cache.join("ids-delta"));
        fs::create_dir_all(archive.join("2026")).unwrap();
        let ids = |from: usize, n: usize| -> Vec<String> {
            (from..from + n)
                .map(|i| format!("{:03}q{i}", (i * 41) % 700))
                .collect()
        };
        let prefixes = ["", "0", "12", "3", "699", "x"];
        let check = |step: &str| check_against_scan(&archive, &cache, &prefixes, step);
        write_tables(&archive.join("2026/01.toml"), &ids(0, 300));
        write_tables(&archive.join("2026/02.toml"), &ids(300, 300));
        check("made");
        assert!(!delta.exists(), "a first index is a base alone");
        let first_base = fs::read(&base).unwrap();

        append_tables(&archive.join("2026/02.toml"), &ids(600, 40));
        check("appended");
        assert!(delta.exists(), "an append is written as a delta");
        write_tables(&archive.join("2026/01.toml"), &ids(700, 100));
        fs::create_dir_all(archive.join("2027")).unwrap();
        write_tables(&archive.join("2027/01.toml"), &ids(900, 50));
        check("rewritten, and a file in a new year");
        fs::remove_file(archive.join("2026/02.toml")).unwrap();
        check("removed");
        assert_eq!(
            fs::read(&base).unwrap(),
            first_base,
            "the base is left alone"
        );

        // A byte of the delta's records changed (its hash no longer holds): the base's heads
        // are then the truth, and they are out of date, so the files are read again.
        let mut torn = fs::read(&delta).unwrap();
        let last = torn.len() - 5;
        torn[last] ^= 0x20;
        fs::write(&delta, &torn).unwrap();
        check("delta changed");

        write_tables(&archive.join("2027/02.toml"), &ids(1000, DELTA_MOST + 10));
        check("a change larger than a delta holds");
        assert_ne!(
            fs::read(&base).unwrap(),
            first_base,
            "the base is written again"
        );
        assert!(!delta.exists(), "with no delta beside it");

        // A delta that says what the files are, but was made against another base: the
        // base made again from those files already holds what the delta adds.
        append_tables(&archive.join("2027/01.toml"), &ids(9000, 20));
        check("appended once more");
        let made_against_old = fs::read(&delta).unwrap();
        fs::remove_file(&base).unwrap();
        check("base made again from the files");
        fs::write(&delta, &made_against_old).unwrap();
        let (now_base, old_delta) = (Index::open(&base).unwrap(), Delta::read(&delta).unwrap());
        assert!(
            View::of(Some(&now_base), Some(&old_delta)).delta.is_none(),
            "a delta is used only over the base it was made against"
        );
        check("a delta of another base");
    }

    /// A store whose archive has two small month files, 01 and 02 of 2026 (ids "aa1", "ab2";
    /// "ac3"), and their ids index just made; the directory is kept by the first value.
    fn two_small_files_indexed() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let store = tempfile::tempdir().unwrap();
        let (archive, cache) = (store.path().join("archive"), store.path().join(".cache"));
        fs::create_dir_all(archive.join("2026")).unwrap();
        write_tables(&archive.join("2026/01.toml"), &["aa1".into(), "ab2".into()]);
        write_tables(&archive.join("2026/02.toml"), &["ac3".into()]);
        check_against_scan(&archive, &cache, &["a"], "made");
        (store, archive, cache)
    }

    /// A directory or file whose stamp is unchanged but fell in the index's own clock tick is
    /// trusted only as far as its bytes (files) or entries (directories) match the heads.
    #[test]
    fn within_the_index_tick_bytes_and_entries_decide() {
        let (_store, archive, cache) = two_small_files_indexed();
        let base = Index::open(&cache.join("ids")).unwrap();
        let view = || {
            let mut view = View::of(Some(&base), None);
            // No time it was written: nothing is believed on its stamp alone.
            view.written = None;
            view
        };
        assert!(
            view().fresh(&archive).is_some(),
            "bytes and entries as the heads say"
        );
        let mut other_bytes = view();
        other_bytes.heads[1].hash ^= 1;
        assert!(
            other_bytes.fresh(&archive).is_none(),
            "a file's bytes are not what was indexed"
        );
        let mut one_file_fewer = view();
        one_file_fewer.heads.pop();
        assert!(
            one_file_fewer.fresh(&archive).is_none(),
            "a directory holds a file the heads lack"
        );
        let mut one_year_more = view();
        one_year_more.dirs.push(DirHead {
            dir: Some(2027),
            stamp: one_year_more.dirs[0].stamp,
        });
        assert!(
            one_year_more.fresh(&archive).is_none(),
            "a year the archive lacks"
        );
    }

    /// Files written in the tick of the index's writing are read by each lookup until one,
    /// a second on, writes the index's delta again: from then on their stamps suffice. A file
    /// edited after that is still seen.
    #[test]
    fn a_lookup_past_the_index_tick_settles_it() {
        let (_store, archive, cache) = two_small_files_indexed();
        let state = || {
            let base = Index::open(&cache.join("ids")).unwrap();
            let delta = Delta::read(&cache.join("ids-delta"));
            let view = View::of(Some(&base), delta.as_ref());
            let racy = view.heads.iter().any(|h| h.stamp.racy(view.written));
            (view.fresh(&archive), racy)
        };
        assert_eq!(
            state(),
            (Some(false), true),
            "just written: read, not yet settled"
        );
        check_against_scan(&archive, &cache, &["a"], "within the tick");
        assert!(!cache.join("ids-delta").exists(), "nothing to settle yet");
        std::thread::sleep(std::time::Duration::from_millis(1300));
        assert_eq!(state(), (Some(true), true), "a second on: to be settled");
        check_against_scan(&archive, &cache, &["a"], "settling");
        assert_eq!(state(), (Some(false), false), "settled: stamps suffice");
        append_tables(&archive.join("2026/02.toml"), &["ad4".into()]);
        check_against_scan(&archive, &cache, &["a"], "appended after settling");
    }

    /// A long head (thousands of files, past 64 KiB) is read whole.
    #[test]
    fn a_head_past_the_first_read_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let meta = fs::metadata(dir.path()).unwrap();
        let heads: Vec<FileHead<'_>> = (0..3000)
            .map(|n| FileHead {
                rel: Cow::Owned(format!("{:04}/{:02}.toml", 1000 + n / 12, 1 + n % 12)),
                stamp: Stamp::of(&meta),
                hash: n,
                count: 1,
            })
            .collect();
        let ids: Vec<String> = (0..3000).map(|n| format!("id{n:05}")).collect();
        let records: Vec<Record<'_>> = ids
            .iter()
            .enumerate()
            .map(|(n, id)| (Cow::Borrowed(id.as_str()), n as u32, (0, 0)))
            .collect();
        let path = dir.path().join("ids");
        let body = encode(&[], &heads, &records).unwrap();
        index::write_index(Kind::Ids, dir.path(), &path, &body);
        let index = Index::open(&path).expect("the index reads back");
        assert!(index.head.len() > 64 * 1024, "{}", index.head.len());
        let (_, files) = index.files().expect("its files decode");
        assert_eq!(files.len(), 3000);
        assert_eq!(files[2999].rel, "1249/12.toml");
        let found = index.look_up_plain("id02999", Path::new("/a")).unwrap();
        assert_eq!(
            found,
            [(
                PathBuf::from("/a/1249/12.toml"),
                "id02999".to_string(),
                (0, 0)
            )]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Any sequence of appends, rewrites, new files, removals and rewrites of the same
        /// bytes, each followed by lookups: base and deltas together always find what the
        /// files hold (the renumbering of files carried from delta to delta included).
        #[test]
        fn deltas_over_a_base_find_what_a_scan_finds(
            ops in proptest::collection::vec((0..4u8, 0..5usize, 1..30usize), 1..10),
        ) {
            let store = tempfile::tempdir().unwrap();
            let (archive, cache) = (store.path().join("archive"), store.path().join(".cache"));
            let files = ["2025/12.toml", "2026/01.toml", "2026/02.toml", "2026/03.toml", "2027/01.toml"];
            for year in ["2025", "2026", "2027"] {
                fs::create_dir_all(archive.join(year)).unwrap();
            }
            let mut next = 0usize;
            let mut fresh = |n: usize| -> Vec<String> {
                next += n;
                (next - n..next).map(|i| format!("{:02}p{i}", (i * 7) % 40)).collect()
            };
            write_tables(&archive.join(files[0]), &fresh(40));
            write_tables(&archive.join(files[1]), &fresh(40));
            check_against_scan(&archive, &cache, &["", "1"], "made");
            for (step, (op, k, n)) in ops.into_iter().enumerate() {
                let path = archive.join(files[k]);
                match op {
                    0 if path.exists() => append_tables(&path, &fresh(n)),
                    0 | 1 => write_tables(&path, &fresh(n)),
                    2 => { let _ = fs::remove_file(&path); }
                    _ => if let Ok(bytes) = fs::read(&path) { fs::write(&path, bytes).unwrap(); }
                }
                check_against_scan(&archive, &cache, &["", "0", "1", "25", "39p"], &format!("step {step}"));
            }
        }
    }

    proptest! {
        #[test]
        fn a_lookup_finds_what_a_scan_finds(
            ids in proptest::collection::vec("[0-9a-c]{1,4}", 0..600),
            prefixes in proptest::collection::vec("[0-9a-c]{0,3}", 1..8),
        ) {
            for (prefix, found) in prefixes.iter().zip(looked_up(&ids, &prefixes)) {
                prop_assert_eq!(found, expected(&ids, prefix), "prefix {:?}", prefix);
            }
        }
    }
}
