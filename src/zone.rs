//! Time zones: the user's local zone (from `TZ`, else the system's) and a customer's (`--tz`).
//!
//! A zone is a jiff `TimeZone` (TZif data, POSIX TZ rules, the DST arithmetic) holding only the
//! zones in use, read from the system's database (`tzdb`). The rest of the program speaks
//! chrono, so this module is the bridge: chrono in, chrono out. An unknown zone is an error,
//! never a silent UTC.

mod tzdb;

use std::path::Path;
use std::sync::Mutex;

use chrono::offset::LocalResult;
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone as _, Utc};
use jiff::Timestamp;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};

use tzdb::BUNDLED_VERSION;
pub use tzdb::bundled_tzif;

use crate::model::Instant;

/// A zone deadlines are resolved and shown in.
#[derive(Debug, Clone)]
pub struct Zone {
    tz: TimeZone,
    /// The IANA name, when known: not for a POSIX `TZ` rule or an `/etc/localtime` copied in
    /// place instead of linked.
    name: Option<String>,
    /// What the zone was read from: its name, the `TZ` rule, or the file.
    source: String,
}

/// A zone that is not one, or a local zone that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ZoneError {
    #[error("unknown time zone \"{value}\"{origin}: {why}; {hint}")]
    Unknown {
        value: String,
        /// " in TZ" when the value came from the environment, else empty.
        origin: &'static str,
        why: String,
        hint: String,
    },
    #[error(
        "cannot read the local time zone from /etc/localtime: {0}; set TZ to an IANA name such as Europe/Helsinki"
    )]
    Local(String),
}

/// The system's local zone, when `TZ` is unset.
const LOCALTIME: &str = "/etc/localtime";

impl Zone {
    /// The local zone: `TZ` (an IANA name, optionally after `:`, a path to a TZif file, or a
    /// POSIX rule such as `EST5EDT,M3.2.0,M11.1.0`), else the system's (`/etc/localtime`).
    pub fn from_env() -> Result<Zone, ZoneError> {
        let db = tzdb::Database::from_env();
        match std::env::var_os("TZ") {
            None => system(&db),
            Some(value) => match value.to_str() {
                Some(value) => from_tz(value, &db),
                None => Err(unknown(
                    &value.to_string_lossy(),
                    " in TZ",
                    "it is not UTF-8".into(),
                    None,
                )),
            },
        }
    }

    /// An IANA zone by name, as given to `--tz` or stored with a promise. Each zone is read
    /// once per process: `list` and `report` ask for a promise's zone per promise.
    pub fn named(name: &str) -> Result<Zone, ZoneError> {
        static LOADED: Mutex<Vec<Zone>> = Mutex::new(Vec::new());
        let mut loaded = LOADED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(zone) = loaded.iter().find(|z| z.name() == Some(name)) {
            return Ok(zone.clone());
        }
        let db = tzdb::Database::from_env();
        let zone = load(name, &db).map_err(|missing| not_found(name, "", missing, &db))?;
        loaded.push(zone.clone());
        Ok(zone)
    }

    fn new(tz: TimeZone, name: Option<String>, source: &str) -> Zone {
        Zone {
            tz,
            name,
            source: source.to_string(),
        }
    }

    /// UTC, for an empty `TZ` (the common Unix reading) and a system without `/etc/localtime`.
    pub fn utc() -> Zone {
        Zone::new(TimeZone::UTC, Some("UTC".into()), "UTC")
    }

    /// A zone from a POSIX `TZ` rule alone, with no IANA name, for tests of output that must
    /// cope without one.
    #[cfg(test)]
    pub fn posix(rule: &str) -> Zone {
        Zone::new(
            TimeZone::posix(rule).expect("a valid POSIX rule"),
            None,
            rule,
        )
    }

    /// The IANA name, when there is one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The instant(s) a wall-clock time means in this zone: none in a DST gap, the earlier and
    /// the later in an overlap.
    pub fn from_local(&self, local: &NaiveDateTime) -> LocalResult<Instant> {
        let at = |offset: Offset| -> LocalResult<Instant> {
            match FixedOffset::east_opt(offset.seconds()) {
                Some(fixed) => fixed.from_local_datetime(local),
                None => LocalResult::None,
            }
        };
        let Some(civil) = civil(local) else {
            // Beyond jiff's years (±9999): the rule in force at the end of its range. The store
            // refuses such instants with its own message.
            return at(self.tz.to_offset(edge(local.and_utc().timestamp())));
        };
        match self.tz.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => at(offset),
            AmbiguousOffset::Gap { .. } => LocalResult::None,
            AmbiguousOffset::Fold { before, after } => match (at(before), at(after)) {
                (LocalResult::Single(earlier), LocalResult::Single(later)) => {
                    LocalResult::Ambiguous(earlier, later)
                }
                _ => LocalResult::None,
            },
        }
    }

    /// The same instant, with this zone's offset in force at that instant.
    pub fn localise(&self, t: &Instant) -> Instant {
        FixedOffset::east_opt(self.tz.to_offset(timestamp(t)).seconds())
            .map_or(*t, |offset| t.with_timezone(&offset))
    }

    /// Whether daylight saving time is in force at `t`.
    pub fn is_dst(&self, t: &Instant) -> bool {
        self.tz.to_offset_info(timestamp(t)).dst().is_dst()
    }

    /// The zone's short name at `t` ("EET", "EEST", "EST"), or the offset where it has none.
    pub fn abbreviation(&self, t: &Instant) -> String {
        let abbreviation = self
            .tz
            .to_offset_info(timestamp(t))
            .abbreviation()
            .to_string();
        if abbreviation.is_empty() {
            self.localise(t).format("%:z").to_string()
        } else {
            abbreviation
        }
    }
}

/// Two zones are the same when they were read from the same name, rule or file. (Not jiff's
/// `TimeZone` equality: it looks names up in a table of 600 pointer pairs, 1,196 relocations at
/// every start.)
impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.source == other.source
    }
}

fn load(name: &str, db: &tzdb::Database) -> Result<Zone, tzdb::Missing> {
    db.load(name)
        .map(|tz| Zone::new(tz, Some(name.to_string()), name))
}

/// `TZ` as glibc and jiff read it: empty is UTC; an IANA name, after an optional `:`; an absolute
/// path to a TZif file; else a POSIX rule.
fn from_tz(value: &str, db: &tzdb::Database) -> Result<Zone, ZoneError> {
    if value.is_empty() {
        return Ok(Zone::utc());
    }
    let name = value.strip_prefix(':').unwrap_or(value);
    // `TZ=:` names no file: the system's default, as glibc reads it.
    if name.is_empty() {
        return system(db);
    }
    if name.starts_with('/') {
        return tzif_file(name).ok_or_else(|| {
            unknown(
                name,
                " in TZ",
                format!("{name} is not a readable TZif file"),
                None,
            )
        });
    }
    match load(name, db) {
        Ok(zone) => Ok(zone),
        Err(missing) => TimeZone::posix(name)
            .map(|tz| Zone::new(tz, None, name))
            .map_err(|_| not_found(name, " in TZ", missing, db)),
    }
}

/// The system's local zone: `/etc/localtime`, named when it links into a zoneinfo directory.
fn system(db: &tzdb::Database) -> Result<Zone, ZoneError> {
    if let Ok(target) = std::fs::read_link(LOCALTIME) {
        let name = target
            .to_str()
            .and_then(|t| t.rsplit_once("zoneinfo/"))
            .map(|(_, name)| name);
        if let Some(zone) = name.and_then(|name| load(name, db).ok()) {
            return Ok(zone);
        }
    }
    match tzdb::read_tzif(Path::new(LOCALTIME)) {
        Ok(data) => TimeZone::tzif(LOCALTIME, &data)
            .map(|tz| Zone::new(tz, None, LOCALTIME))
            .map_err(|e| ZoneError::Local(format!("not a TZif file ({e})"))),
        // No /etc/localtime is UTC by the system's own convention (glibc, systemd): this is the
        // machine's zone, not a fallback from one we failed to find.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Zone::utc()),
        Err(e) => Err(ZoneError::Local(e.to_string())),
    }
}

/// An absolute `TZ=/usr/share/zoneinfo/Europe/Helsinki`: the file, named after its path.
fn tzif_file(path: &str) -> Option<Zone> {
    let data = tzdb::read_tzif(Path::new(path)).ok()?;
    let tz = TimeZone::tzif(path, &data).ok()?;
    let name = path
        .rsplit_once("zoneinfo/")
        .map(|(_, name)| name.to_string());
    let source = name.clone().unwrap_or_else(|| path.to_string());
    Some(Zone::new(tz, name, &source))
}

fn not_found(
    value: &str,
    origin: &'static str,
    missing: tzdb::Missing,
    db: &tzdb::Database,
) -> ZoneError {
    let posix = if origin.is_empty() {
        ""
    } else {
        ", and not a POSIX TZ rule"
    };
    let why = match (missing, db.system_dir()) {
        (tzdb::Missing::NotAName, _) => format!("not an IANA zone name{posix}"),
        (tzdb::Missing::NotFound, Some(dir)) => format!(
            "neither in {} nor in the bundled database ({BUNDLED_VERSION}){posix}",
            dir.display()
        ),
        (tzdb::Missing::NotFound, None) => format!(
            "not in the bundled database ({BUNDLED_VERSION}), and this system has no time-zone database{posix}"
        ),
    };
    unknown(value, origin, why, tzdb::spelled(value))
}

fn unknown(value: &str, origin: &'static str, why: String, spelled: Option<&str>) -> ZoneError {
    ZoneError::Unknown {
        value: value.to_string(),
        origin,
        why,
        hint: match spelled {
            Some(name) => format!("did you mean {name}?"),
            None => "use an IANA name such as Europe/Helsinki or America/New_York".into(),
        },
    }
}

fn timestamp(t: &Instant) -> Timestamp {
    let nanos = t.timestamp_subsec_nanos().min(999_999_999) as i32;
    Timestamp::new(t.timestamp(), nanos).unwrap_or_else(|_| edge(t.timestamp()))
}

/// jiff's first or last representable instant, whichever `seconds` is beyond.
fn edge(seconds: i64) -> Timestamp {
    if seconds < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    }
}

fn civil(local: &NaiveDateTime) -> Option<jiff::civil::DateTime> {
    use chrono::{Datelike, Timelike};
    jiff::civil::DateTime::new(
        i16::try_from(local.year()).ok()?,
        local.month() as i8,
        local.day() as i8,
        local.hour() as i8,
        local.minute() as i8,
        local.second() as i8,
        local.nanosecond().min(999_999_999) as i32,
    )
    .ok()
}

/// Truncates to whole seconds: the store and the echo never show sub-second noise.
pub fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// An instant at a fixed offset, for tests and for `PROMISE_NOW`.
pub fn parse_instant(text: &str) -> Result<Instant, chrono::ParseError> {
    DateTime::<FixedOffset>::parse_from_rfc3339(text)
}

#[cfg(test)]
mod tests;
