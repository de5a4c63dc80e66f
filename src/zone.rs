//! Time zones: the user's local zone (from `TZ`) and a customer's zone (`--tz`).

use std::str::FromStr;

use chrono::offset::LocalResult;
use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::model::Instant;

/// A zone deadlines are resolved and shown in.
#[derive(Debug, Clone, PartialEq)]
pub enum Zone {
    /// An IANA zone, with DST rules from chrono-tz's own database.
    Named(Tz),
    /// The system's idea of local time, when `TZ` is unset or not an IANA name.
    System,
}

impl Zone {
    /// The local zone: `TZ` when it names an IANA zone, else the system's.
    pub fn from_env() -> Zone {
        std::env::var("TZ")
            .ok()
            .and_then(|tz| Zone::named(tz.trim_start_matches(':')).ok())
            .unwrap_or(Zone::System)
    }

    /// An IANA zone by name, as given to `--tz`.
    pub fn named(name: &str) -> Result<Zone, String> {
        Tz::from_str(name).map(Zone::Named).map_err(|_| {
            format!("unknown time zone \"{name}\"; use an IANA name such as Europe/Helsinki or America/New_York")
        })
    }

    /// The IANA name, when there is one.
    pub fn name(&self) -> Option<&'static str> {
        match self {
            Zone::Named(tz) => Some(tz.name()),
            Zone::System => None,
        }
    }

    /// The instant(s) a wall-clock time means in this zone.
    pub fn from_local(&self, local: &NaiveDateTime) -> LocalResult<Instant> {
        match self {
            Zone::Named(tz) => tz.from_local_datetime(local).map(|t| t.fixed_offset()),
            Zone::System => Local.from_local_datetime(local).map(|t| t.fixed_offset()),
        }
    }

    /// The same instant, with this zone's offset in force at that instant.
    pub fn localise(&self, t: &Instant) -> Instant {
        match self {
            Zone::Named(tz) => t.with_timezone(tz).fixed_offset(),
            Zone::System => t.with_timezone(&Local).fixed_offset(),
        }
    }

    /// The zone's short name at `t` ("EET", "EEST"), or the offset where it has none.
    pub fn abbreviation(&self, t: &Instant) -> String {
        match self {
            Zone::Named(tz) => t.with_timezone(tz).format("%Z").to_string(),
            Zone::System => t.with_timezone(&Local).format("%:z").to_string(),
        }
    }
}

/// Truncates to whole seconds: the store and the echo never show sub-second noise.
pub fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// An instant at a fixed offset, for tests and for `PROMISE_NOW`.
pub fn parse_instant(text: &str) -> Result<Instant, chrono::ParseError> {
    DateTime::<FixedOffset>::parse_from_rfc3339(text)
}
