//! Who "me" is in a shared store, and whose promises a command shows (SPEC section 7: once sync
//! is set up, each new promise records `by`; `list` and the prompt show your own by default).
//!
//! `promise sync init` (and every sync after it) writes `.git/promise-sync.toml` in the data
//! directory: that the store is shared, and git's `user.email` at the time. The hot paths (`add`,
//! `list`, the prompt) read that one small file and never run git.

use std::path::{Path, PathBuf};

use crate::model::Promise;

/// The file that says a store is shared, relative to the data directory. Inside `.git`, so
/// it is never committed: who "me" is differs from machine to machine.
const FILE: &str = ".git/promise-sync.toml";

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// A shared store's idea of who is using it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// git's `user.email` when the store was last synced, if git had one.
    pub email: Option<String>,
}

impl Identity {
    /// The identity of a shared store; None when the store is not shared (or the file cannot
    /// be read, which a hot path treats the same: it must never fail on account of sync).
    pub fn of(data_dir: &Path) -> Option<Identity> {
        let text = std::fs::read_to_string(path(data_dir)).ok()?;
        let table: toml::Table = text.parse().unwrap_or_default();
        Some(Identity {
            email: table
                .get("email")
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        })
    }

    /// Who I am: config `me`, else git's `user.email`.
    pub fn me(&self, config_me: Option<&str>) -> Option<String> {
        config_me.map(str::to_string).or_else(|| self.email.clone())
    }

    /// Writes the file (under `.git`, which must exist), only when it would change.
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        let mut text = String::from(
            "# Written by `promise sync`: this store is shared. `email` is git's user.email,\n\
             # recorded as `by` on new promises unless `me` is set in promise's config.\n",
        );
        if let Some(email) = &self.email {
            text.push_str(&format!("email = {}\n", toml::Value::String(email.clone())));
        }
        let path = path(data_dir);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        let temp = path.with_extension("toml.tmp");
        std::fs::write(&temp, text)?;
        std::fs::rename(&temp, &path)
    }
}

/// Whose promises to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    Everyone,
    /// `--by PERSON`: promises whose `by` contains PERSON (case-insensitive).
    Person(String),
    /// Mine: made by me, or by nobody in particular (before the store was shared).
    Mine(String),
}

impl Whose {
    /// `--by PERSON` if given (`all` or `everyone`: everyone); else, in a shared store where
    /// `mine_by_default`, my own; else everyone.
    pub fn from_args(
        by: Option<&str>,
        mine_by_default: bool,
        data_dir: &Path,
        config_me: Option<&str>,
    ) -> Whose {
        match by.map(str::trim) {
            Some(b) if b.eq_ignore_ascii_case("all") || b.eq_ignore_ascii_case("everyone") => {
                Whose::Everyone
            }
            Some(b) => Whose::Person(b.to_lowercase()),
            None if mine_by_default => match Identity::of(data_dir).and_then(|i| i.me(config_me)) {
                Some(me) => Whose::Mine(me.to_lowercase()),
                None => Whose::Everyone,
            },
            None => Whose::Everyone,
        }
    }

    pub fn includes(&self, p: &Promise) -> bool {
        self.includes_by(p.by.as_deref())
    }

    /// Whether a promise made by `by` (None: no one recorded) is included.
    pub fn includes_by(&self, by: Option<&str>) -> bool {
        match self {
            Whose::Everyone => true,
            Whose::Person(who) => by.is_some_and(|by| by.to_lowercase().contains(who.as_str())),
            Whose::Mine(me) => by.is_none_or(|by| by.to_lowercase() == *me),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Id;

    fn by(who: Option<&str>) -> Promise {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:30:00+02:00").unwrap();
        Promise {
            by: who.map(str::to_string),
            ..Promise::new(Id("abcdefghjk".into()), "A".into(), "B".into(), at, at)
        }
    }

    #[test]
    fn mine_includes_promises_made_before_sharing() {
        let mine = Whose::Mine("liisa@acme.fi".into());
        assert!(mine.includes(&by(Some("Liisa@Acme.fi"))));
        assert!(mine.includes(&by(None)));
        assert!(!mine.includes(&by(Some("pekka@acme.fi"))));
    }

    #[test]
    fn a_person_matches_by_part_of_the_name() {
        let pekka = Whose::Person("pekka".into());
        assert!(pekka.includes(&by(Some("pekka@acme.fi"))));
        assert!(!pekka.includes(&by(None)));
        assert!(Whose::Everyone.includes(&by(None)));
    }

    #[test]
    fn the_file_round_trips_and_its_absence_means_not_shared() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Identity::of(dir.path()), None);
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let id = Identity {
            email: Some("liisa@acme.fi".into()),
        };
        id.save(dir.path()).unwrap();
        assert_eq!(Identity::of(dir.path()), Some(id.clone()));
        assert_eq!(id.me(Some("Liisa")), Some("Liisa".into()));
        assert_eq!(id.me(None), Some("liisa@acme.fi".into()));
        assert_eq!(
            Whose::from_args(None, true, dir.path(), None),
            Whose::Mine("liisa@acme.fi".into())
        );
        assert_eq!(
            Whose::from_args(Some("all"), true, dir.path(), None),
            Whose::Everyone
        );
        assert_eq!(
            Whose::from_args(None, false, dir.path(), None),
            Whose::Everyone
        );
    }
}
