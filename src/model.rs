//! The promise itself: what was promised, to whom, by when, and what became of it.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// An instant as stored: RFC 3339 with the UTC offset in force at that instant.
pub type Instant = DateTime<FixedOffset>;

/// A stable random id. Ids are never counters: two machines that sync must never mint the same one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(pub String);

/// Crockford-like base32 without i, l, o, u: easy to read aloud and to type.
const ID_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// 10 characters of base32 = 50 random bits; a collision among a lifetime of promises is
/// vanishingly unlikely, and a shown prefix is usually 3 or 4 characters.
const ID_LEN: usize = 10;

impl Id {
    /// A fresh id from the operating system's random source.
    pub fn random() -> std::io::Result<Id> {
        let mut bytes = [0u8; ID_LEN];
        getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
        Ok(Id(bytes
            .iter()
            .map(|b| ID_ALPHABET[(b & 31) as usize] as char)
            .collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Kept,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Kept => "kept",
            Status::Cancelled => "cancelled",
        }
    }
}

/// A renegotiated deadline. Kept forever: the score needs to know when it was agreed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slip {
    #[serde(with = "rfc3339")]
    pub at: Instant,
    #[serde(with = "rfc3339")]
    pub from: Instant,
    #[serde(with = "rfc3339")]
    pub to: Instant,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Fields this version does not know (written by hand or by a newer version) survive rewrites.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// One promise made to a customer. Field names are the store's and the JSON output's keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Promise {
    pub id: Id,
    pub customer: String,
    pub what: String,
    /// When the promise was recorded.
    #[serde(with = "rfc3339")]
    pub made: Instant,
    /// The deadline in force.
    #[serde(with = "rfc3339")]
    pub due: Instant,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The IANA zone the deadline was given in, when it was not the local one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who made it, in a store shared through `promise sync`: config `me`, else git's
    /// `user.email`. Absent in a store that is not shared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When it was kept or cancelled.
    #[serde(default, with = "rfc3339_opt", skip_serializing_if = "Option::is_none")]
    pub closed: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// The first deadline, present once the promise has slipped.
    #[serde(default, with = "rfc3339_opt", skip_serializing_if = "Option::is_none")]
    pub original_due: Option<Instant>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slips: Vec<Slip>,
    /// Reminder stages already delivered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reminded: Vec<String>,
    /// Closes undone by `promise reopen`, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reopened: Vec<Reopening>,
    /// Values a sync replaced when two machines changed the same field, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced: Vec<Replaced>,
    /// Fields this version does not know (written by hand or by a newer version) survive rewrites.
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// A close undone by `promise reopen`: when, what the promise had become, and why. Kept
/// forever, like slips: the history says the promise was once closed and by whom it was not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reopening {
    /// When it was reopened.
    #[serde(with = "rfc3339")]
    pub at: Instant,
    /// The status it had: kept or cancelled.
    pub from: Status,
    /// The close that was undone, if the promise had one.
    #[serde(default, with = "rfc3339_opt", skip_serializing_if = "Option::is_none")]
    pub closed: Option<Instant>,
    /// The reason given when it was cancelled, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// Why it was reopened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// A value that a sync replaced: two machines changed the same field of a promise, the newer
/// change won (or, for a close, the stronger one: kept over cancelled, the first over a later
/// one), and the other value is kept here so that nothing anyone typed is lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replaced {
    /// When the sync that replaced it ran.
    #[serde(with = "rfc3339")]
    pub at: Instant,
    /// The field: `what`, `customer`, `note`, `status`, ...
    pub field: String,
    /// The value replaced; absent when that side had the field unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For a close that was replaced: when it was made.
    #[serde(default, with = "rfc3339_opt", skip_serializing_if = "Option::is_none")]
    pub closed: Option<Instant>,
    /// For a cancel that was replaced: the reason given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl Promise {
    /// A new open promise with nothing optional set.
    pub fn new(id: Id, customer: String, what: String, made: Instant, due: Instant) -> Promise {
        Promise {
            id,
            customer,
            what,
            made,
            due,
            status: Status::Open,
            contact: None,
            reference: None,
            tz: None,
            note: None,
            by: None,
            closed: None,
            cancel_reason: None,
            original_due: None,
            slips: Vec::new(),
            reminded: Vec::new(),
            reopened: Vec::new(),
            replaced: Vec::new(),
            extra: toml::Table::new(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == Status::Open
    }

    /// The first deadline ever given, whatever slipped since.
    pub fn first_due(&self) -> Instant {
        self.original_due.unwrap_or(self.due)
    }
}

/// Instants are written as RFC 3339 strings and must carry their offset: a bare local time in a
/// hand-edited file would silently mean different instants on different machines. TOML's own
/// offset date-times (`due = 2026-11-24T14:00:00+02:00`, unquoted, as an editor's TOML plugin
/// writes them) are read too. Only years 1970–9999 are accepted, read or written: RFC 3339 has
/// four-digit years, so a later instant would make a file this program cannot read back.
pub mod rfc3339 {
    use super::Instant;
    use chrono::{DateTime, Datelike};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    /// The years a stored instant may have, as written (in its own offset).
    pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

    pub fn serialize<S: Serializer>(t: &Instant, s: S) -> Result<S::Ok, S::Error> {
        check_year(t).map_err(serde::ser::Error::custom)?;
        s.serialize_str(&format(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Instant, D::Error> {
        d.deserialize_any(InstantVisitor)
    }

    /// Parses straight from the deserializer's buffer: a long history has hundreds of thousands
    /// of instants, and a String for each would be most of the cost of loading them.
    pub struct InstantVisitor;

    impl<'de> serde::de::Visitor<'de> for InstantVisitor {
        type Value = Instant;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an RFC 3339 instant with a UTC offset")
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<Instant, E> {
            parse(text).map_err(E::custom)
        }

        /// A native TOML date-time arrives as the toml crate's private one-entry map.
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Instant, A::Error> {
            let native = toml::value::Datetime::deserialize(
                serde::de::value::MapAccessDeserializer::new(map),
            )?;
            if native.offset.is_none() || native.date.is_none() || native.time.is_none() {
                return Err(A::Error::custom(format!(
                    "{native} has no UTC offset, so it would mean a different instant on each \
                     machine; write it like 2026-11-24T14:00:00+02:00"
                )));
            }
            parse(&native.to_string()).map_err(A::Error::custom)
        }
    }

    pub fn format(t: &Instant) -> String {
        t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
    }

    pub fn parse(text: &str) -> Result<Instant, String> {
        let t = DateTime::parse_from_rfc3339(text).map_err(|e| {
            format!(
                "\"{text}\" is not an RFC 3339 instant with a UTC offset ({e}); \
                 write it like \"2026-11-24T14:00:00+02:00\""
            )
        })?;
        check_year(&t)?;
        Ok(t)
    }

    /// An instant the store can hold: a year from 1970 to 9999 as written.
    pub fn check_year(t: &Instant) -> Result<(), String> {
        if YEARS.contains(&t.year()) {
            Ok(())
        } else {
            Err(format!(
                "{} is outside the years {}–{} that the store can hold",
                t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
                YEARS.start(),
                YEARS.end()
            ))
        }
    }
}

pub mod rfc3339_opt {
    use super::Instant;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<Instant>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::rfc3339::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Instant>, D::Error> {
        // Present keys only: a missing one is `None` through `#[serde(default)]`.
        super::rfc3339::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_and_from_the_alphabet() {
        let a = Id::random().unwrap();
        let b = Id::random().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), ID_LEN);
        assert!(a.as_str().bytes().all(|c| ID_ALPHABET.contains(&c)));
    }

    #[test]
    fn an_instant_without_offset_is_refused() {
        assert!(rfc3339::parse("2026-11-24T14:00:00").is_err());
        assert!(rfc3339::parse("2026-11-24T14:00:00+02:00").is_ok());
    }

    #[test]
    fn only_years_1970_to_9999_are_stored() {
        assert!(rfc3339::parse("1969-12-31T23:00:00+00:00").is_err());
        assert!(rfc3339::parse("9999-12-31T23:59:59+00:00").is_ok());
        let late =
            rfc3339::parse("9999-12-31T23:00:00+00:00").unwrap() + chrono::TimeDelta::hours(2);
        assert!(rfc3339::check_year(&late).is_err());
    }
}

/// The shortest prefix of each id that no other id shares, at least 3 characters.
pub fn short_ids<'a>(
    ids: impl IntoIterator<Item = &'a Id>,
) -> std::collections::HashMap<&'a str, usize> {
    let mut sorted: Vec<&str> = ids.into_iter().map(Id::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let common = |a: &str, b: &str| a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    (0..sorted.len())
        .map(|i| {
            let before = i.checked_sub(1).map_or(0, |j| common(sorted[j], sorted[i]));
            let after = sorted.get(i + 1).map_or(0, |next| common(sorted[i], next));
            let len = (before.max(after) + 1).clamp(3, sorted[i].len().max(3));
            (sorted[i], len.min(sorted[i].len()))
        })
        .collect()
}

/// The fewest characters of an id that name a promise, unless the whole id is shorter: with
/// one or two, a slip of the finger closes the wrong promise.
pub const MIN_PREFIX: usize = 3;

/// Why an id prefix names no single promise.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum IdError {
    #[error("no promise has an id starting with \"{0}\"; `promise list --all` shows the ids")]
    Unknown(String),
    #[error(
        "\"{0}\" is too short to name a promise: give at least {MIN_PREFIX} characters of its id \
         (`promise list` shows them)"
    )]
    TooShort(String),
    #[error("\"{prefix}\" matches {} promises: {}; give more of the id", matches.len(), matches.join(", "))]
    Ambiguous {
        prefix: String,
        matches: Vec<String>,
    },
}

/// The index of the one promise whose id starts with `prefix`.
pub fn find(promises: &[Promise], prefix: &str) -> Result<usize, IdError> {
    let prefix = prefix.trim().to_lowercase();
    if prefix.is_empty() {
        return Err(IdError::Unknown(prefix));
    }
    if let Some(i) = promises.iter().position(|p| p.id.as_str() == prefix) {
        return Ok(i);
    }
    if prefix.chars().count() < MIN_PREFIX {
        return Err(IdError::TooShort(prefix));
    }
    let hits: Vec<usize> = (0..promises.len())
        .filter(|&i| promises[i].id.as_str().starts_with(&prefix))
        .collect();
    match hits[..] {
        [] => Err(IdError::Unknown(prefix)),
        [one] => Ok(one),
        _ => Err(IdError::Ambiguous {
            prefix,
            matches: hits
                .iter()
                .map(|&i| {
                    format!(
                        "{} ({}: {})",
                        promises[i].id, promises[i].customer, promises[i].what
                    )
                })
                .collect(),
        }),
    }
}

#[cfg(test)]
mod id_tests {
    use super::*;

    #[test]
    fn short_ids_are_unique_and_at_least_three_long() {
        let ids: Vec<Id> = ["abcdef0000", "abcxyz0000", "abd0000000", "q000000000"]
            .iter()
            .map(|s| Id(s.to_string()))
            .collect();
        let short = short_ids(&ids);
        assert_eq!(short["abcdef0000"], 4);
        assert_eq!(short["abcxyz0000"], 4);
        assert_eq!(short["abd0000000"], 3);
        assert_eq!(short["q000000000"], 3);
    }

    #[test]
    fn a_prefix_needs_three_characters_unless_it_is_the_whole_id() {
        let promises: Vec<Promise> = ["abc1111111", "q0"]
            .iter()
            .map(|id| {
                let t = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:30:00+02:00").unwrap();
                Promise::new(Id(id.to_string()), "Acme Oy".into(), "x".into(), t, t)
            })
            .collect();
        assert_eq!(find(&promises, "a"), Err(IdError::TooShort("a".into())));
        assert_eq!(find(&promises, "ab"), Err(IdError::TooShort("ab".into())));
        assert_eq!(find(&promises, "ABC"), Ok(0));
        assert_eq!(find(&promises, "q0"), Ok(1));
        assert_eq!(find(&promises, "zzz"), Err(IdError::Unknown("zzz".into())));
    }
}
