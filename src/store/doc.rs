//! Rewriting a store file by editing its document in place (`toml_edit`), so that a hand edit
//! survives: comments, blank lines, key order, fields and tables promise does not know, and the
//! way each value was written (a native TOML date-time stays one) are kept for everything the
//! change did not touch. Only the keys whose values changed are replaced; new promises are
//! appended as new `[[promise]]` tables.

use std::path::{Path, PathBuf};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use super::StoreError;
use super::file::{self, HEADER, StoreFile};
use crate::model::Promise;

/// A store file read for rewriting: its document and what it says.
pub struct Doc {
    path: PathBuf,
    /// The whole document, parsed only when a change needs more than the tables it touches
    /// (see [`Doc::render`]).
    doc: std::cell::OnceCell<Option<DocumentMut>>,
    /// The file as parsed: the promises in table order, the version.
    pub file: StoreFile,
    text: String,
    /// Where each id's table is, made when first asked (moving a year's promises asks often).
    positions: std::cell::OnceCell<std::collections::HashMap<String, usize>>,
}

impl Doc {
    /// Reads the file at `path`; a missing file is a new, empty one.
    pub fn read(path: &Path) -> Result<Doc, StoreError> {
        match file::read_text(path)? {
            Some(text) => Doc::parse(path, text),
            None => Ok(Doc::fresh(path)),
        }
    }

    pub fn parse(path: &Path, text: String) -> Result<Doc, StoreError> {
        let file = StoreFile::parse(path, &text)?;
        Ok(Doc {
            path: path.to_path_buf(),
            doc: std::cell::OnceCell::new(),
            file,
            text,
            positions: std::cell::OnceCell::new(),
        })
    }

    /// The whole document, parsed now if it was not yet.
    fn doc(&mut self) -> Result<&mut DocumentMut, StoreError> {
        if self.doc_ref().is_none() {
            let text = &self.text;
            let e = text
                .parse::<DocumentMut>()
                .err()
                .ok_or_else(|| StoreError::invalid("a document parsed only once".into()))?;
            let (line, column) = e
                .span()
                .map(|s| file::line_column(text, s.start))
                .unwrap_or((1, 1));
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
                line,
                column,
                message: e.message().replace('\n', " ").trim().to_string(),
            });
        }
        Ok(self
            .doc
            .get_mut()
            .and_then(Option::as_mut)
            .expect("parsed above"))
    }

    /// The whole document, parsed on first use; None if it does not parse.
    fn doc_ref(&self) -> Option<&DocumentMut> {
        self.doc.get_or_init(|| self.text.parse().ok()).as_ref()
    }

    /// A file that does not exist yet.
    pub fn fresh(path: &Path) -> Doc {
        let text = format!("{HEADER}version = 1\n");
        Doc {
            path: path.to_path_buf(),
            doc: std::cell::OnceCell::new(),
            file: StoreFile::default(),
            text,
            positions: std::cell::OnceCell::new(),
        }
    }

    /// Refuses to rewrite a file this version does not fully understand, or one in which two
    /// promises share an id (a rewrite could not tell them apart, and would lose one).
    pub fn check_writable(&self) -> Result<(), StoreError> {
        self.file.check_writable(&self.path)?;
        if let Some(id) = self.file.duplicate() {
            let lines = file::id_lines(&self.text, id);
            return Err(StoreError::Duplicate {
                path: self.path.clone(),
                id: id.to_string(),
                lines: (
                    lines.first().copied().unwrap_or(0),
                    lines.get(1).copied().unwrap_or(0),
                ),
            });
        }
        Ok(())
    }

    /// The file's new text with `promises` in place of the ones it had: promises kept by id
    /// are edited key by key, missing ones removed, new ones appended in the order given.
    pub fn render(&mut self, promises: &[Promise]) -> Result<String, StoreError> {
        self.render_from(promises, None)
    }

    /// As [`render`](Doc::render); a promise new to this file that `donor` has keeps the table
    /// it had there, comments and all (moving promises between files).
    pub fn render_from(
        &mut self,
        promises: &[Promise],
        donor: Option<&Doc>,
    ) -> Result<String, StoreError> {
        self.check_writable()?;
        if donor.is_none()
            && let Some(text) = self.render_tables(promises)?
        {
            return Ok(text);
        }
        let old = std::mem::take(&mut self.file.promises);
        let tables = promise_tables(self.doc()?, &old)?;

        // Remove what is gone, back to front so indexes stay valid.
        let keep: std::collections::HashSet<&str> =
            promises.iter().map(|p| p.id.as_str()).collect();
        for i in (0..old.len()).rev() {
            if !keep.contains(old[i].id.as_str()) {
                tables.remove(i);
            }
        }
        let remaining: Vec<&Promise> = old
            .iter()
            .filter(|p| keep.contains(p.id.as_str()))
            .collect();
        let index: std::collections::HashMap<&str, usize> = remaining
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        // The order the tables end up in: those kept where they were, new ones at the end.
        let mut order: Vec<Promise> = remaining.iter().map(|p| (*p).clone()).collect();
        // The canonical form of a promise, made only for those that changed or are new.
        let fresh = |p: &Promise| -> Result<Table, StoreError> {
            fresh_tables(std::slice::from_ref(p))?
                .pop()
                .ok_or_else(|| StoreError::invalid("promise tables went missing".into()))
        };
        for new in promises {
            if let Some(&i) = index.get(new.id.as_str()) {
                order[i] = new.clone();
            } else {
                order.push(new.clone());
            }
            match index.get(new.id.as_str()).copied() {
                Some(i) if *remaining[i] == *new => {}
                Some(i) => {
                    let table = tables.get_mut(i).expect("one table per promise");
                    patch(
                        table,
                        &as_table(remaining[i])?,
                        &as_table(new)?,
                        &fresh(new)?,
                    );
                }
                None => {
                    let table = match donor.and_then(|d| d.table_of(new)) {
                        Some(table) => table,
                        None => {
                            let mut table = fresh(new)?;
                            table.decor_mut().set_prefix("\n");
                            table
                        }
                    };
                    tables.push(table);
                }
            }
        }
        self.file.promises = order;
        self.positions = std::cell::OnceCell::new();
        // A hand-made file may lack the version; written back without promises it would then be
        // empty, which every reader refuses as a file cut short (found by fuzzing: a lone BOM).
        let doc = self.doc()?;
        if !doc.contains_key("version") {
            doc.insert("version", toml_edit::value(file::VERSION));
        }
        let text = doc.to_string();
        self.text = text.clone();
        Ok(text)
    }

    /// [`render`](Doc::render) by the text of the tables that change alone: each promise
    /// table that stays as it was is copied byte for byte, one that changes is parsed and
    /// edited by itself, new ones are appended. None when the file's text cannot be cut into
    /// one piece per promise with certainty (then the whole document is edited).
    fn render_tables(&mut self, promises: &[Promise]) -> Result<Option<String>, StoreError> {
        let Some(pieces) = pieces(&self.text, &self.file.promises) else {
            return Ok(None);
        };
        let wanted: std::collections::HashMap<&str, &Promise> =
            promises.iter().map(|p| (p.id.as_str(), p)).collect();
        let mut out = String::with_capacity(self.text.len() + 512);
        let mut order: Vec<Promise> = Vec::with_capacity(promises.len());
        for piece in &pieces {
            let text = &self.text[piece.range.clone()];
            let Some(k) = piece.promise else {
                out.push_str(text);
                continue;
            };
            let old = &self.file.promises[k];
            let Some(new) = wanted.get(old.id.as_str()) else {
                continue;
            };
            if *new == old {
                out.push_str(text);
            } else {
                let mut doc: DocumentMut = match text.parse() {
                    Ok(doc) => doc,
                    Err(_) => return Ok(None),
                };
                let Some(table) = doc
                    .get_mut("promise")
                    .and_then(Item::as_array_of_tables_mut)
                    .filter(|t| t.len() == 1)
                    .and_then(|t| t.get_mut(0))
                else {
                    return Ok(None);
                };
                patch(table, &as_table(old)?, &as_table(new)?, &fresh_table(new)?);
                out.push_str(&doc.to_string());
            }
            order.push((*new).clone());
        }
        let known: std::collections::HashSet<&str> =
            self.file.promises.iter().map(|p| p.id.as_str()).collect();
        let added: Vec<Promise> = promises
            .iter()
            .filter(|p| !known.contains(p.id.as_str()))
            .cloned()
            .collect();
        if !added.is_empty() {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            for p in &added {
                out.push('\n');
                out.push_str(&StoreFile::promise_tables(std::slice::from_ref(p))?);
            }
        }
        order.extend(added);
        if order.is_empty() {
            // A file emptied of promises goes the whole document's way, which makes sure it
            // keeps a version: a hand-made file may lack one, and an empty file is refused.
            return Ok(None);
        }
        self.file.promises = order;
        self.positions = std::cell::OnceCell::new();
        self.doc = std::cell::OnceCell::new();
        self.text = out.clone();
        Ok(Some(out))
    }
}

/// A part of a store file's text: one promise's table (with the comments and blank lines
/// before its header, which belong to it, as they do in `toml_edit`), or anything else.
pub(super) struct Piece {
    pub range: std::ops::Range<usize>,
    /// Which of the file's promises, in table order.
    pub promise: Option<usize>,
}

/// The text cut into pieces, one per promise table, when that is certain: no multi-line
/// string (a line in one could look like a header), every header one promise writes or one
/// that names no promise at all, and one piece per promise, each holding its id.
pub(super) fn pieces(text: &str, promises: &[Promise]) -> Option<Vec<Piece>> {
    let pieces = pieces_unchecked(text)?;
    if pieces.iter().filter(|p| p.promise.is_some()).count() != promises.len() {
        return None;
    }
    for piece in &pieces {
        if let Some(k) = piece.promise
            && !text[piece.range.clone()].contains(promises[k].id.as_str())
        {
            return None;
        }
    }
    Some(pieces)
}

/// Each promise's table in `text` (its promises, as parsed from it), as (start, length) plus
/// `offset`; (0, 0) for all where the text cannot be cut with certainty.
pub(super) fn table_spans(text: &str, promises: &[Promise], offset: usize) -> Vec<(u32, u32)> {
    let mut spans = vec![(0, 0); promises.len()];
    if let Some(pieces) = pieces(text, promises) {
        for piece in pieces {
            if let Some(k) = piece.promise
                && let (Ok(start), Ok(len)) = (
                    u32::try_from(piece.range.start + offset),
                    u32::try_from(piece.range.len()),
                )
            {
                spans[k] = (start, len);
            }
        }
    }
    spans
}

/// The text cut into pieces by its headers alone, not yet checked against its promises.
pub(super) fn pieces_unchecked(text: &str) -> Option<Vec<Piece>> {
    if memchr::memmem::find(text.as_bytes(), b"\"\"\"").is_some()
        || memchr::memmem::find(text.as_bytes(), b"'''").is_some()
    {
        return None;
    }
    let mut pieces: Vec<Piece> = vec![Piece {
        range: 0..0,
        promise: None,
    }];
    let mut count = 0;
    // Where the run of blank and comment lines just before this line began.
    let mut trivia: Option<usize> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let trimmed = line.trim_start();
        match trimmed.as_bytes().first() {
            None | Some(b'#') => {
                trivia.get_or_insert(start);
                continue;
            }
            Some(b'\r' | b'\n') => {
                trivia.get_or_insert(start);
                continue;
            }
            Some(b'[') => {}
            Some(_) => {
                if pieces.len() == 1
                    && trimmed
                        .trim_start_matches(['"', '\''])
                        .starts_with("promise")
                {
                    // `promise = []` or a dotted key: the promises are not (only) tables.
                    return None;
                }
                trivia = None;
                continue;
            }
        }
        // A header: only those promise writes are known for certain. Any other line that
        // starts with a bracket (another table, or a line of a multi-line array) and the text
        // goes the whole document's way.
        let header = trimmed.split('#').next().unwrap_or_default().trim_end();
        let sub = |name: &str| {
            name.strip_prefix("promise.").is_some_and(|rest| {
                !rest.is_empty()
                    && rest
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
            })
        };
        if header == "[[promise]]" {
            let from = trivia.unwrap_or(start);
            if let Some(last) = pieces.last_mut() {
                last.range.end = from;
            }
            pieces.push(Piece {
                range: from..from,
                promise: Some(count),
            });
            count += 1;
        } else if header
            .strip_prefix("[[")
            .and_then(|h| h.strip_suffix("]]"))
            .or_else(|| header.strip_prefix('[').and_then(|h| h.strip_suffix(']')))
            .is_some_and(sub)
        {
            // A sub-table of the promise before it: slips, reopenings.
            pieces.last().and_then(|p| p.promise)?;
        } else {
            return None;
        }
        trivia = None;
    }
    if let Some(last) = pieces.last_mut() {
        last.range.end = text.len();
    }
    Some(pieces)
}

impl Doc {
    fn positions(&self) -> &std::collections::HashMap<String, usize> {
        self.positions.get_or_init(|| {
            self.file
                .promises
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.to_string(), i))
                .collect()
        })
    }

    /// The table of `p` in this document, if it holds `p` exactly.
    fn table_of(&self, p: &Promise) -> Option<Table> {
        let i = *self.positions().get(p.id.as_str())?;
        if self.file.promises[i] != *p {
            return None;
        }
        let mut table = self
            .doc_ref()?
            .get("promise")?
            .as_array_of_tables()?
            .get(i)?
            .clone();
        unposition(&mut table);
        Some(table)
    }

    /// Copies `other`'s top-level keys and tables that this file lacks (but its version and
    /// promises), so that moving promises to a new file loses nothing the user wrote.
    pub fn adopt_top_level(&mut self, other: &Doc) -> Result<(), StoreError> {
        let Some(theirs) = other.doc_ref() else {
            return Ok(());
        };
        let ours = self.doc()?;
        for (key, item) in theirs.iter() {
            if key == "version" || key == "promise" || ours.contains_key(key) {
                continue;
            }
            let mut item = item.clone();
            match &mut item {
                Item::Table(t) => unposition(t),
                Item::ArrayOfTables(ts) => ts.iter_mut().for_each(unposition),
                _ => {}
            }
            ours.insert(key, item);
        }
        Ok(())
    }
}

/// The `[[promise]]` array of the document, made one when the file has none (or, written by
/// hand, an inline array: then it is rewritten as tables, the only form a close can append to).
fn promise_tables<'d>(
    doc: &'d mut DocumentMut,
    old: &[Promise],
) -> Result<&'d mut ArrayOfTables, StoreError> {
    let is_tables = matches!(doc.get("promise"), Some(Item::ArrayOfTables(_)));
    if !is_tables {
        let mut tables = ArrayOfTables::new();
        for mut table in fresh_tables(old)? {
            table.decor_mut().set_prefix("\n");
            tables.push(table);
        }
        doc.insert("promise", Item::ArrayOfTables(tables));
    }
    Ok(doc["promise"]
        .as_array_of_tables_mut()
        .expect("made an array of tables above"))
}

/// One promise as a `[[promise]]` table in the canonical form.
fn fresh_table(p: &Promise) -> Result<Table, StoreError> {
    fresh_tables(std::slice::from_ref(p))?
        .pop()
        .ok_or_else(|| StoreError::invalid("promise tables went missing".into()))
}

/// Each promise as a `[[promise]]` table in the canonical form, ready to go into any document.
fn fresh_tables(promises: &[Promise]) -> Result<Vec<Table>, StoreError> {
    if promises.is_empty() {
        return Ok(Vec::new());
    }
    let text = StoreFile::promise_tables(promises)?;
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| StoreError::invalid(format!("promise wrote TOML it cannot read: {e}")))?;
    let Some(Item::ArrayOfTables(tables)) = doc.remove("promise") else {
        return Err(StoreError::invalid("promise tables went missing".into()));
    };
    Ok(tables
        .into_iter()
        .map(|mut t| {
            unposition(&mut t);
            t
        })
        .collect())
}

/// A table taken from another document must not carry that document's positions, or it would
/// be written among the wrong promise's tables.
fn unposition(table: &mut Table) {
    table.set_position(None);
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => unposition(t),
            Item::ArrayOfTables(ts) => ts.iter_mut().for_each(unposition),
            _ => {}
        }
    }
}

fn as_table(p: &Promise) -> Result<toml::Table, StoreError> {
    toml::Table::try_from(p).map_err(|e| StoreError::invalid(e.to_string()))
}

/// Makes `table` (which said `old`) say `new`, touching only the keys that changed. `fresh` is
/// `new` in the canonical form, the source of every replacement value.
fn patch(table: &mut Table, old: &toml::Table, new: &toml::Table, fresh: &Table) {
    let gone: Vec<String> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    for key in gone {
        table.remove(&key);
    }
    for (key, value) in new {
        if old.get(key) == Some(value) {
            continue;
        }
        let Some(replacement) = fresh.get(key) else {
            continue;
        };
        match (table.get_mut(key), replacement, old.get(key), value) {
            // Arrays of tables (slips, reopenings): element by element, so that a new slip is
            // appended and the comments on the old ones stay.
            (
                Some(Item::ArrayOfTables(tables)),
                Item::ArrayOfTables(fresh_tables),
                Some(toml::Value::Array(old_items)),
                toml::Value::Array(new_items),
            ) => {
                while tables.len() > new_items.len() {
                    tables.remove(tables.len() - 1);
                }
                for (i, new_item) in new_items.iter().enumerate() {
                    let (Some(fresh_table), Some(new_table)) =
                        (fresh_tables.get(i), new_item.as_table())
                    else {
                        continue;
                    };
                    match (
                        tables.get_mut(i),
                        old_items.get(i).and_then(|o| o.as_table()),
                    ) {
                        (Some(t), Some(old_table)) => patch(t, old_table, new_table, fresh_table),
                        _ => {
                            let mut t = fresh_table.clone();
                            unposition(&mut t);
                            tables.push(t);
                        }
                    }
                }
            }
            (
                Some(Item::Table(t)),
                Item::Table(fresh_table),
                Some(toml::Value::Table(o)),
                toml::Value::Table(n),
            ) => patch(t, o, n, fresh_table),
            // A plain value: the new one, with the old one's surroundings (a trailing comment).
            (Some(Item::Value(current)), Item::Value(fresh_value), _, _) => {
                let decor = current.decor().clone();
                let mut value = fresh_value.clone();
                *value.decor_mut() = decor;
                *current = value;
            }
            _ => {
                let mut item = replacement.clone();
                match &mut item {
                    Item::Table(t) => unposition(t),
                    Item::ArrayOfTables(ts) => ts.iter_mut().for_each(unposition),
                    _ => {}
                }
                table.insert(key, item);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, Slip, Status};

    #[test]
    fn a_file_without_a_version_emptied_of_promises_still_loads() {
        let path = Path::new("open.toml");
        let one = "[[promise]]\nid = \"aaaaaaaaaa\"\ncustomer = \"Acme Oy\"\nwhat = \"x\"\n\
                   made = 2026-11-23T10:30:00+02:00\ndue = 2026-11-24T14:00:00+02:00\n\
                   status = \"open\"\n";
        for text in ["\u{feff}", "# my promises\n", one] {
            let mut doc = Doc::parse(path, text.to_string()).unwrap();
            let written = doc.render(&[]).unwrap();
            let again = StoreFile::parse(path, &written).unwrap();
            assert!(again.promises.is_empty(), "{written:?}");
            assert!(written.contains("version = 1"), "{written:?}");
        }
    }

    const HAND_EDITED: &str = r#"# My promises. Keep this comment.
version = 1
owner = "me"   # a key promise does not know

# --- Acme ---
[[promise]]
id = "aaaaaaaaaa"
customer = "Acme Oy"
what = "Send revised proposal"
made = 2026-11-23T10:30:00+02:00
due = 2026-11-24T14:00:00+02:00   # agreed on the phone
status = "open"
priority = "high"

# --- Beta ---
[[promise]]
id = "bbbbbbbbbb"
customer = "Beta Ab"
what = "Call back"
made = "2026-11-23T10:30:00+02:00"
due = "2026-11-25T12:00:00+02:00"
status = "open"

[[promise.slips]]
at = "2026-11-23T11:00:00+02:00"
from = "2026-11-24T12:00:00+02:00"
to = "2026-11-25T12:00:00+02:00"
# why it moved
reason = "their figures were late"

[sync]
peer = "laptop"
"#;

    fn doc() -> Doc {
        Doc::parse(Path::new("open.toml"), HAND_EDITED.to_string()).unwrap()
    }

    fn at(s: &str) -> crate::model::Instant {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn unchanged_promises_give_back_the_same_bytes() {
        let mut d = doc();
        let same = d.file.promises.clone();
        assert_eq!(d.render(&same).unwrap(), HAND_EDITED);
    }

    #[test]
    fn a_slip_changes_only_what_it_must() {
        let mut d = doc();
        let mut promises = d.file.promises.clone();
        let p = &mut promises[0];
        p.original_due = Some(p.due);
        p.slips.push(Slip {
            at: at("2026-11-23T12:00:00+02:00"),
            from: p.due,
            to: at("2026-11-26T16:00:00+02:00"),
            reason: Some("waiting".into()),
            extra: toml::Table::new(),
        });
        p.due = at("2026-11-26T16:00:00+02:00");
        let text = d.render(&promises).unwrap();
        for kept in [
            "# My promises. Keep this comment.",
            "owner = \"me\"   # a key promise does not know",
            "# --- Acme ---",
            "made = 2026-11-23T10:30:00+02:00\n",
            "priority = \"high\"",
            "# --- Beta ---",
            "# why it moved",
            "[sync]\npeer = \"laptop\"",
        ] {
            assert!(text.contains(kept), "lost {kept:?}:\n{text}");
        }
        assert!(
            text.contains("due = \"2026-11-26T16:00:00+02:00\"   # agreed on the phone"),
            "{text}"
        );
        let again = StoreFile::parse(Path::new("open.toml"), &text).unwrap();
        assert_eq!(again.promises, promises);
        // The new slip went to Acme's promise, not to the last one in the file.
        assert_eq!(again.promises[0].slips.len(), 1);
        assert_eq!(again.promises[1].slips.len(), 1);
    }

    #[test]
    fn promises_are_added_and_removed_without_touching_the_rest() {
        let mut d = doc();
        let mut promises = d.file.promises.clone();
        promises.remove(0);
        let mut new = Promise::new(
            Id("cccccccccc".into()),
            "Gamma".into(),
            "New".into(),
            at("2026-11-23T10:30:00+02:00"),
            at("2026-11-27T16:00:00+02:00"),
        );
        new.status = Status::Open;
        promises.push(new);
        let text = d.render(&promises).unwrap();
        assert!(!text.contains("aaaaaaaaaa"), "{text}");
        assert!(text.contains("# why it moved") && text.contains("owner = \"me\""));
        let again = StoreFile::parse(Path::new("open.toml"), &text).unwrap();
        assert_eq!(again.promises, promises);
    }

    #[test]
    fn a_second_render_knows_where_the_first_put_each_table() {
        let mut d = doc();
        let mut promises = d.file.promises.clone();
        promises[0].status = Status::Kept;
        promises[0].closed = Some(at("2026-11-23T12:00:00+02:00"));
        // Listed in another order than the file has them: the file keeps its own.
        let reordered = vec![promises[1].clone(), promises[0].clone()];
        d.render(&reordered).unwrap();
        let text = d.render(&promises[1..]).unwrap();
        let again = StoreFile::parse(Path::new("open.toml"), &text).unwrap();
        assert_eq!(again.promises, promises[1..]);
        assert!(text.contains("# --- Beta ---"), "{text}");
    }

    #[test]
    fn editing_the_changed_tables_alone_gives_what_editing_the_document_gives() {
        let mut promises = doc().file.promises.clone();
        promises[0].status = Status::Kept;
        promises[0].closed = Some(at("2026-11-23T12:00:00+02:00"));
        promises[1].note = Some("called".into());
        let whole = |wanted: &[Promise]| {
            let mut d = doc();
            // A donor sends the change down the whole document's path.
            d.render_from(wanted, Some(&Doc::fresh(Path::new("x.toml"))))
                .unwrap()
        };
        for wanted in [&promises[..], &promises[1..], &promises[..1]] {
            let mut d = doc();
            assert_eq!(d.render(wanted).unwrap(), whole(wanted));
        }
        // Without a table of another name (which sends the change the whole document's way,
        // as a multi-line array could look like one), the tables are edited alone.
        let plain = HAND_EDITED.replace("[sync]\npeer = \"laptop\"\n", "");
        for wanted in [&promises[..], &promises[1..], &promises[..1]] {
            let mut d = Doc::parse(Path::new("open.toml"), plain.clone()).unwrap();
            assert!(pieces(&d.text, &d.file.promises).is_some());
            let mut whole = Doc::parse(Path::new("open.toml"), plain.clone()).unwrap();
            let whole = whole
                .render_from(wanted, Some(&Doc::fresh(Path::new("x.toml"))))
                .unwrap();
            let alone = d.render(wanted).unwrap();
            if wanted.len() == promises.len() {
                assert_eq!(alone, whole);
            }
            // A removed table takes the blank lines and comments before it along (toml_edit
            // may leave a blank line behind); what the files say is the same.
            let read = |t: &str| StoreFile::parse(Path::new("open.toml"), t).unwrap();
            assert_eq!(read(&alone), read(&whole));
            assert!(
                alone.starts_with("# My promises. Keep this comment."),
                "{alone}"
            );
        }
        let multi_line = plain.replace("priority = \"high\"", "matrix = [\n  [1, 2],\n  [3],\n]");
        let d = Doc::parse(Path::new("open.toml"), multi_line).unwrap();
        assert!(pieces(&d.text, &d.file.promises).is_none());
        // A file it cannot cut with certainty goes the whole document's way.
        let quoted = HAND_EDITED.replace(
            "what = \"Call back\"",
            "what = \"\"\"Call\n[[promise]]\"\"\"",
        );
        let d = Doc::parse(Path::new("open.toml"), quoted).unwrap();
        assert!(pieces(&d.text, &d.file.promises).is_none());
    }

    #[test]
    fn a_file_with_two_promises_of_one_id_is_not_rewritten() {
        let twice = HAND_EDITED.replace("bbbbbbbbbb", "aaaaaaaaaa");
        let mut d = Doc::parse(Path::new("open.toml"), twice).unwrap();
        let same = d.file.promises.clone();
        let e = d.render(&same).unwrap_err().to_string();
        assert!(
            e.contains("aaaaaaaaaa") && e.contains("lines 6 and 16"),
            "{e}"
        );
    }
}
