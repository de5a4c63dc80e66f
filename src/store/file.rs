//! One store file (`open.toml` or `archive/YYYY.toml`): its schema and its TOML form.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::model::Promise;

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

impl StoreFile {
    /// Parses a store file; a syntax or schema error names `path:line:column`.
    pub fn parse(path: &Path, text: &str) -> Result<StoreFile, StoreError> {
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

    /// The file's text: `version = 1` first, then one `[[promise]]` table per promise.
    pub fn to_toml(&self) -> String {
        // Serializing plain strings, numbers and tables cannot fail.
        let body = toml::to_string(self).expect("a store file always serializes");
        let mut text = String::from(
            "# promise store: one [[promise]] table per promise; instants are RFC 3339 with offset.\n",
        );
        text.push_str(&body);
        text
    }

    /// `[[promise]]` tables alone, to append to a file.
    pub fn promise_tables(promises: &[Promise]) -> String {
        #[derive(Serialize)]
        struct Tables<'a> {
            promise: &'a [Promise],
        }
        toml::to_string(&Tables { promise: promises }).expect("promises always serialize")
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
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
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
        let again = StoreFile::parse(Path::new("open.toml"), &file.to_toml()).unwrap();
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
    fn a_missing_version_means_the_current_one() {
        let file = StoreFile::parse(Path::new("open.toml"), "").unwrap();
        assert_eq!(file.version, VERSION);
        assert!(file.promises.is_empty());
    }
}
