//! The deadline parser on arbitrary text: it must never panic, and whatever it accepts must be
//! a real instant in the zone, after now for a deadline and not after now for a past moment.
#![no_main]

use chrono::{DateTime, NaiveTime};
use libfuzzer_sys::fuzz_target;
use promise::deadline::{self, Options};
use promise::zone::Zone;

fuzz_target!(|data: &[u8]| {
    let Ok(phrase) = std::str::from_utf8(data) else { return };
    let now = DateTime::parse_from_rfc3339("2026-11-23T10:30:00+02:00").unwrap();
    let zone = Zone::named("Europe/Helsinki").unwrap();
    let time = NaiveTime::from_hms_opt(16, 0, 0).unwrap();
    if let Ok(due) = deadline::resolve(phrase, now, &zone, &Options::deadline(time)) {
        assert!(due > now, "{phrase:?} accepted as a deadline in the past: {due}");
    }
    if let Ok(at) = deadline::resolve(phrase, now, &zone, &Options::past(time)) {
        assert!(at <= now, "{phrase:?} accepted as a past moment in the future: {at}");
    }
});
