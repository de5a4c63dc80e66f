//! One store file (`open.toml` or an archive file) as read: its schema, checked. Reading goes
//! through serde and the `toml` crate (fast); rewriting goes through [`super::doc`], which edits
//! the document in place.

use std::collections::HashMap;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::model::{Id, Promise};

/// The schema version this binary writes and fully understands.
pub const VERSION: i64 = 1;

/// The contents of a store file. Unknown top-level keys and tables survive a rewrite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreFile {
    #[serde(default = "current_version")]
    pub version: i64,
    #[serde(rename = "promise", default)]
    pub promises: Vec<Promise>,
    #[serde(flatten)]
    pub extra: toml::Table,
}

fn current_version() -> i64 {
    VERSION
}

impl Default for StoreFile {
    fn default() -> Self {
        StoreFile {
            version: VERSION,
            promises: Vec::new(),
            extra: toml::Table::new(),
        }
    }
}

/// The first line of every file promise writes.
pub const HEADER: &str =
    "# promise store: one [[promise]] table per promise; instants are RFC 3339 with offset.\n";

impl StoreFile {
    /// Parses a store file; a syntax or schema error names `path:line:column`. An empty file is
    /// an error too: promise never writes one, so it is a file cut short (an editor or a disk
    /// that crashed), and reading it as "no promises" would lose them all at the next write.
    pub fn parse(path: &Path, text: &str) -> Result<StoreFile, StoreError> {
        if text.trim().is_empty() {
            return Err(StoreError::Empty {
                path: path.to_path_buf(),
            });
        }
        toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_column(text, s.start))
                .unwrap_or((1, 1));
            StoreError::Corrupt {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().replace('\n', " ").trim().to_string(),
            }
        })
    }

    /// The file's text: a comment, `version = 1`, then one `[[promise]]` table per promise.
    /// Fails on an instant the store cannot hold (outside years 1970–9999).
    pub fn to_toml(&self) -> Result<String, StoreError> {
        let body = toml::to_string(self).map_err(|e| StoreError::invalid(e.to_string()))?;
        Ok(format!("{HEADER}{body}"))
    }

    /// `[[promise]]` tables alone, to append to a file.
    pub fn promise_tables(promises: &[Promise]) -> Result<String, StoreError> {
        #[derive(Serialize)]
        struct Tables<'a> {
            promise: &'a [Promise],
        }
        toml::to_string(&Tables { promise: promises })
            .map_err(|e| StoreError::invalid(e.to_string()))
    }

    /// Refuses to rewrite a file written by a newer version: its meaning may have changed.
    pub fn check_writable(&self, path: &Path) -> Result<(), StoreError> {
        if self.version > VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: self.version,
            });
        }
        Ok(())
    }

    /// The first id that two promises in this file share, if any.
    pub fn duplicate(&self) -> Option<&Id> {
        let mut seen = HashMap::with_capacity(self.promises.len());
        self.promises
            .iter()
            .find(|p| seen.insert(p.id.as_str(), ()).is_some())
            .map(|p| &p.id)
    }
}

/// Reads a store file; missing means none yet. Only a regular file is read: opening a FIFO put
/// in its place would hang every command.
pub fn read(path: &Path) -> Result<StoreFile, StoreError> {
    match read_text(path)? {
        Some(text) => StoreFile::parse(path, &text),
        None => Ok(StoreFile::default()),
    }
}

/// The text of a store file, or None when it does not exist.
pub fn read_text(path: &Path) -> Result<Option<String>, StoreError> {
    let io_error = |source| StoreError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    };
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(io_error(io::Error::other("not a regular file")));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|e| {
            let valid =
                String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]).into_owned();
            let (line, column) = line_column(&valid, valid.len());
            StoreError::Corrupt {
                path: path.to_path_buf(),
                line,
                column,
                message: "not valid UTF-8".into(),
            }
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(io_error(source)),
    }
}

/// The lines where promises with `id` start, found in the text (for messages only).
pub fn id_lines(text: &str, id: &Id) -> Vec<usize> {
    let quoted = [format!("\"{id}\""), format!("'{id}'")];
    let mut table_line = 1;
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("[[") {
            table_line = n + 1;
        }
        let is_id = trimmed
            .strip_prefix("id")
            .or_else(|| trimmed.strip_prefix("\"id\""))
            .map(str::trim_start)
            .is_some_and(|rest| {
                rest.strip_prefix('=')
                    .is_some_and(|v| quoted.iter().any(|q| v.trim().starts_with(q.as_str())))
            });
        if is_id {
            lines.push(table_line);
        }
    }
    lines
}

pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"version = 1
colour = "blue"

[[promise]]
id = "abcdefghjk"
customer = "Acme Oy"
what = "Send revised proposal"
made = "2026-11-23T10:30:00+02:00"
due = "2026-11-24T14:00:00+02:00"
status = "open"
priority = 3

[[promise.slips]]
at = "2026-11-23T11:00:00+02:00"
from = "2026-11-24T12:00:00+02:00"
to = "2026-11-24T14:00:00+02:00"
mood = "calm"

[sync]
peer = "laptop"
"#;

    #[test]
    fn unknown_fields_and_tables_survive_a_round_trip() {
        let file = StoreFile::parse(Path::new("open.toml"), SAMPLE).unwrap();
        assert_eq!(
            file.extra.get("colour").and_then(|v| v.as_str()),
            Some("blue")
        );
        assert!(file.extra.contains_key("sync"));
        assert_eq!(
            file.promises[0]
                .extra
                .get("priority")
                .and_then(|v| v.as_integer()),
            Some(3)
        );
        assert_eq!(
            file.promises[0].slips[0]
                .extra
                .get("mood")
                .and_then(|v| v.as_str()),
            Some("calm")
        );
        let again = StoreFile::parse(Path::new("open.toml"), &file.to_toml().unwrap()).unwrap();
        assert_eq!(again, file);
    }

    #[test]
    fn a_syntax_error_names_line_and_column() {
        let broken = SAMPLE.replace("customer = \"Acme Oy\"", "customer = Acme Oy");
        let e = StoreFile::parse(Path::new("/d/open.toml"), &broken).unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("/d/open.toml:6:"), "{text}");
    }

    #[test]
    fn an_instant_without_offset_is_an_error_with_position() {
        let broken = SAMPLE.replace(
            "due = \"2026-11-24T14:00:00+02:00\"",
            "due = \"2026-11-24T14:00:00\"",
        );
        let e = StoreFile::parse(Path::new("open.toml"), &broken).unwrap_err();
        assert!(e.to_string().starts_with("open.toml:9:"), "{e}");
    }

    #[test]
    fn native_toml_date_times_are_read_and_need_an_offset() {
        let native = SAMPLE.replace(
            "due = \"2026-11-24T14:00:00+02:00\"",
            "due = 2026-11-24T14:00:00+02:00",
        );
        let file = StoreFile::parse(Path::new("open.toml"), &native).unwrap();
        assert_eq!(
            file.promises[0].due.to_rfc3339(),
            "2026-11-24T14:00:00+02:00"
        );
        for local in ["2026-11-24T14:00:00", "2026-11-24", "14:00:00"] {
            let broken = SAMPLE.replace(
                "due = \"2026-11-24T14:00:00+02:00\"",
                &format!("due = {local}"),
            );
            let e = StoreFile::parse(Path::new("open.toml"), &broken).unwrap_err();
            assert!(e.to_string().starts_with("open.toml:9:"), "{local}: {e}");
        }
    }

    #[test]
    fn a_year_the_store_cannot_hold_is_an_error_with_position() {
        let far = SAMPLE.replace(
            "2026-11-24T14:00:00+02:00\"\nstatus",
            "1969-11-24T14:00:00+02:00\"\nstatus",
        );
        let e = StoreFile::parse(Path::new("open.toml"), &far).unwrap_err();
        assert!(e.to_string().starts_with("open.toml:9:"), "{e}");
        assert!(e.to_string().contains("1970"), "{e}");
    }

    #[test]
    fn an_empty_file_is_never_an_empty_store() {
        for text in ["", "\n", "  \n\t\n"] {
            let e = StoreFile::parse(Path::new("open.toml"), text).unwrap_err();
            assert!(matches!(e, StoreError::Empty { .. }), "{e}");
        }
    }

    #[test]
    fn a_missing_version_means_the_current_one() {
        let file = StoreFile::parse(Path::new("open.toml"), "[[promise]]\nid = \"abcdefghjk\"\ncustomer = \"A\"\nwhat = \"B\"\nmade = \"2026-11-23T10:30:00+02:00\"\ndue = \"2026-11-24T14:00:00+02:00\"\nstatus = \"open\"\n").unwrap();
        assert_eq!(file.version, VERSION);
        assert_eq!(file.promises.len(), 1);
    }

    #[test]
    fn duplicates_are_found_with_their_lines() {
        let twice = format!(
            "{SAMPLE}\n{}",
            &SAMPLE[SAMPLE.find("[[promise]]").unwrap()..SAMPLE.find("[[promise.slips]]").unwrap()]
        );
        let twice = twice.replace("[sync]\npeer = \"laptop\"\n", "");
        let file = StoreFile::parse(Path::new("open.toml"), &twice).unwrap();
        let id = file.duplicate().unwrap().clone();
        assert_eq!(id.as_str(), "abcdefghjk");
        assert_eq!(id_lines(&twice, &id), [4, 20]);
    }
}
