//! `promise export --ics`: the calendar parses back, and every open promise is in it at its
//! deadline, in its zone, with its alarms and a UID holding its id. The instant is checked twice:
//! through the VTIMEZONE written in the file (what a calendar without its own zone database
//! does) and through the IANA zone named by TZID.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta, TimeZone};
use icalendar::parser::{Component, read_calendar, unfold};

use crate::env::TestEnv;

/// A store with promises in the local zone, in two other zones (one without DST), across a DST
/// change, slipped, kept and cancelled.
fn env_with_promises() -> TestEnv {
    let env = TestEnv::new();
    env.add("Send revised proposal", "Acme Oy", "Tuesday 14:00");
    env.ok(&[
        "add",
        "Quarterly figures",
        "--to",
        "NY Inc",
        "--due",
        "friday 9:00",
        "--tz",
        "America/New_York",
    ]);
    env.ok(&[
        "add",
        "Kick-off slides",
        "--to",
        "Tokyo KK",
        "--due",
        "wednesday 18:00",
        "--tz",
        "Asia/Tokyo",
    ]);
    env.add(
        "Summer plan, v2; \"final\" \\ draft",
        "Acme Oy",
        "2027-06-15 10:00",
    );
    let slipped = env.add("Contract", "Beta AB", "friday 12:00");
    env.ok(&[
        "slip",
        &slipped,
        "--to",
        "monday 12:00",
        "--reason",
        "waiting",
    ]);
    let kept = env.add("Invoice", "Beta AB", "tomorrow");
    env.ok(&["done", &kept]);
    let cancelled = env.add("Workshop", "Acme Oy", "thursday 10:00");
    env.ok(&["cancel", &cancelled]);
    env
}

fn promises(env: &TestEnv, all: bool) -> Vec<serde_json::Value> {
    let args: &[&str] = if all {
        &["list", "--all", "--json"]
    } else {
        &["list", "--json"]
    };
    env.json(args).as_array().unwrap().clone()
}

fn prop<'a>(c: &'a Component<'_>, name: &str) -> Option<&'a icalendar::parser::Property<'a>> {
    c.properties.iter().find(|p| p.name.as_str() == name)
}

fn value(c: &Component<'_>, name: &str) -> String {
    prop(c, name)
        .unwrap_or_else(|| panic!("no {name} in {}", c.name.as_str()))
        .val
        .as_str()
        .to_string()
}

fn tzid(c: &Component<'_>, name: &str) -> Option<String> {
    prop(c, name)?
        .params
        .iter()
        .find(|p| p.key.as_str() == "TZID")
        .and_then(|p| p.val.as_ref())
        .map(|v| v.as_str().to_string())
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").unwrap()
}

fn offset(text: &str) -> i64 {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits = &text[1..];
    let (h, m) = (&digits[0..2], &digits[2..4]);
    let s = digits.get(4..6).unwrap_or("0");
    sign * (h.parse::<i64>().unwrap() * 3600
        + m.parse::<i64>().unwrap() * 60
        + s.parse::<i64>().unwrap())
}

/// The instant a local time names under a VTIMEZONE's observances, as RFC 5545 reads them: the
/// first occurrence whose offset is the one in force at that instant.
fn through_vtimezone(zone: &Component<'_>, wall: NaiveDateTime) -> DateTime<FixedOffset> {
    // (onset in UTC, offset from then on)
    let mut onsets: Vec<(NaiveDateTime, i64)> = zone
        .components
        .iter()
        .map(|o| {
            let start = local(&value(o, "DTSTART"));
            let from = offset(&value(o, "TZOFFSETFROM"));
            (
                start - TimeDelta::seconds(from),
                offset(&value(o, "TZOFFSETTO")),
            )
        })
        .collect();
    onsets.sort();
    let in_force = |utc: NaiveDateTime| {
        onsets
            .iter()
            .rev()
            .find(|(onset, _)| *onset <= utc)
            .map(|&(_, to)| to)
    };
    let mut readings: Vec<NaiveDateTime> = onsets
        .iter()
        .map(|&(_, to)| wall - TimeDelta::seconds(to))
        .filter(|&utc| in_force(utc) == Some((wall - utc).num_seconds()))
        .collect();
    readings.sort();
    let utc = *readings
        .first()
        .unwrap_or_else(|| panic!("{wall} is not covered by the VTIMEZONE"));
    let off = (wall - utc).num_seconds() as i32;
    FixedOffset::east_opt(off).unwrap().from_utc_datetime(&utc)
}

fn instant(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// ISO 8601 durations as triggers write them: "-PT7200S", "-P1D", "-PT2H", "-P1W".
fn duration(text: &str) -> TimeDelta {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.trim_start_matches('+')),
    };
    let rest = rest.strip_prefix('P').expect("a duration");
    let mut total = TimeDelta::zero();
    let mut number = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' => number.push(c),
            unit => {
                let n: i64 = std::mem::take(&mut number).parse().unwrap();
                total += match (unit, in_time) {
                    ('W', false) => TimeDelta::weeks(n),
                    ('D', false) => TimeDelta::days(n),
                    ('H', true) => TimeDelta::hours(n),
                    ('M', true) => TimeDelta::minutes(n),
                    ('S', true) => TimeDelta::seconds(n),
                    _ => panic!("bad duration {text}"),
                };
            }
        }
    }
    total * sign
}

/// Parses the calendar and checks each promise is an event at its deadline, in its zone.
fn check(ics: &str, promises: &[serde_json::Value], leads: &[TimeDelta]) {
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "an unfolded line: {line}");
    }
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).expect("the calendar parses");
    let names: Vec<&str> = calendar
        .properties
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert!(
        names.contains(&"VERSION") && names.contains(&"PRODID"),
        "{names:?}"
    );
    let zones: BTreeMap<String, &Component<'_>> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VTIMEZONE")
        .map(|z| (value(z, "TZID"), z))
        .collect();
    let events: Vec<&Component<'_>> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(events.len(), promises.len(), "one event per promise");

    for p in promises {
        let id = p["id"].as_str().unwrap();
        let event = events
            .iter()
            .find(|e| value(e, "UID").contains(id))
            .unwrap_or_else(|| panic!("no event for {id}"));
        let due = instant(p["due"].as_str().unwrap());
        let zone_name = p["tz"].as_str().unwrap_or("Europe/Helsinki");
        assert_eq!(tzid(event, "DTSTART").as_deref(), Some(zone_name), "{id}");
        let wall = local(&value(event, "DTSTART"));

        let vtimezone = zones
            .get(zone_name)
            .unwrap_or_else(|| panic!("no VTIMEZONE for {zone_name}"));
        assert_eq!(
            through_vtimezone(vtimezone, wall),
            due,
            "{id} via VTIMEZONE"
        );
        let tz = chrono_tz::Tz::from_str(zone_name).unwrap();
        assert_eq!(
            tz.from_local_datetime(&wall).earliest().unwrap(),
            due,
            "{id} via the IANA zone"
        );

        let summary = value(event, "SUMMARY");
        let what = p["what"].as_str().unwrap();
        assert!(
            summary.contains(what) && summary.contains(p["customer"].as_str().unwrap()),
            "{summary:?} lacks {what:?}"
        );
        let alarms: Vec<&Component<'_>> = event
            .components
            .iter()
            .filter(|c| c.name.as_str() == "VALARM")
            .collect();
        if p["status"] == "open" {
            let mut triggers: Vec<TimeDelta> = alarms
                .iter()
                .map(|a| {
                    assert_eq!(value(a, "ACTION"), "DISPLAY");
                    assert!(value(a, "DESCRIPTION").contains(what));
                    duration(&value(a, "TRIGGER"))
                })
                .collect();
            triggers.sort();
            let mut expected: Vec<TimeDelta> = leads.iter().map(|l| -*l).collect();
            expected.sort();
            assert_eq!(triggers, expected, "{id}");
        } else {
            assert!(alarms.is_empty(), "a closed promise has no alarms: {id}");
            assert!(summary.starts_with("Kept: ") || summary.starts_with("Cancelled: "));
        }
    }
}

fn default_leads() -> Vec<TimeDelta> {
    vec![
        TimeDelta::days(1),
        TimeDelta::hours(2),
        TimeDelta::minutes(15),
    ]
}

#[test]
fn every_open_promise_is_an_event_at_its_deadline_in_its_zone() {
    let env = env_with_promises();
    let open = promises(&env, false);
    assert_eq!(open.len(), 5);
    let ics = env.ok(&["export", "--ics"]);
    check(&ics, &open, &default_leads());
    // The zone of the summer promise covers 2027 and its DST.
    assert!(ics.contains("DTSTART;TZID=Europe/Helsinki:20270615T100000\r\n"));
    assert!(ics.contains("TZOFFSETTO:+0300"));
}

#[test]
fn all_adds_closed_promises_without_alarms() {
    let env = env_with_promises();
    let all = promises(&env, true);
    assert_eq!(all.len(), 7);
    let ics = env.ok(&["export", "--ics", "--all"]);
    check(&ics, &all, &default_leads());
    assert!(ics.contains("STATUS:CANCELLED"));
}

#[test]
fn alarms_follow_the_configured_lead_times() {
    let env = env_with_promises();
    env.write_config("[nag]\nlead = [\"3d\", \"30m\"]\n");
    let ics = env.ok(&["export", "--ics"]);
    check(
        &ics,
        &promises(&env, false),
        &[TimeDelta::days(3), TimeDelta::minutes(30)],
    );
}

#[test]
fn a_slip_updates_the_same_event() {
    let env = TestEnv::new();
    let id = env.add("Contract", "Beta AB", "friday 12:00");
    let before = env.ok(&["export", "--ics"]);
    env.ok(&["slip", &id, "--to", "monday 12:00"]);
    let after = env.ok(&["export", "--ics"]);
    let uid = format!("UID:{id}@promise\r\n");
    assert!(before.contains(&uid) && after.contains(&uid));
    assert!(before.contains("SEQUENCE:0\r\n") && after.contains("SEQUENCE:1\r\n"));
    assert!(before.contains("DTSTART;TZID=Europe/Helsinki:20261127T120000\r\n"));
    assert!(after.contains("DTSTART;TZID=Europe/Helsinki:20261130T120000\r\n"));
}

#[test]
fn output_file_is_written_whole_and_the_same_each_time() {
    let env = env_with_promises();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("promises.ics");
    let path = file.to_str().unwrap();
    assert_eq!(env.ok(&["export", "--ics", "-o", path]), "");
    let first = std::fs::read_to_string(&file).unwrap();
    assert_eq!(first, env.ok(&["export", "--ics"]));
    // Exported again later: the same bytes, so a subscribed calendar sees no change.
    let mut later = env.command(["export", "--ics", "--output", path]);
    later.env("PROMISE_NOW", "2026-11-23T18:00:00+02:00");
    assert!(later.output().unwrap().status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
    // Nothing but the file itself is left in the directory.
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1);
    check(&first, &promises(&env, false), &default_leads());
}

#[test]
fn output_file_is_private_when_new_and_keeps_its_mode_and_links() {
    use std::os::unix::fs::PermissionsExt;
    let env = env_with_promises();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("promises.ics");
    let path = file.to_str().unwrap();
    env.ok(&["export", "--ics", "-o", path]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600, "it names customers");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.ok(&["export", "--ics", "-o", path]);
    assert_eq!(mode(&file), 0o644, "a chmod for a web server sticks");

    // A link into a served directory stays a link; its target gets the calendar.
    let served = dir.path().join("www");
    std::fs::create_dir(&served).unwrap();
    let link = served.join("promises.ics");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    std::fs::write(&file, "old").unwrap();
    env.ok(&["export", "--ics", "-o", link.to_str().unwrap()]);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("BEGIN:VCALENDAR")
    );
}

#[test]
fn an_unwritable_output_is_a_clear_error() {
    let env = env_with_promises();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-such-dir").join("promises.ics");
    let e = env.fails(&["export", "--ics", "-o", file.to_str().unwrap()], 1);
    assert!(
        e.contains("could not write") && e.contains("no-such-dir"),
        "{e}"
    );
}

#[test]
fn export_needs_a_format() {
    let env = TestEnv::new();
    let out = env.run(&["export"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--ics"));
}

#[test]
fn with_a_local_zone_that_has_no_iana_name_times_are_utc() {
    let env = TestEnv::new();
    env.add(
        "Send revised proposal",
        "Acme Oy",
        "2026-11-24T14:00:00+02:00",
    );
    // A POSIX rule in TZ: the right offsets, but no TZID a calendar could look up.
    let mut cmd = env.command(["export", "--ics"]);
    cmd.env("TZ", "EET-2EEST,M3.5.0/3,M10.5.0/4");
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    let ics = String::from_utf8(out.stdout).unwrap();
    assert!(ics.contains("DTSTART:20261124T120000Z\r\n"), "{ics}");
    read_calendar(&unfold(&ics)).expect("parses");
}

#[test]
fn an_empty_store_is_an_empty_calendar() {
    let env = TestEnv::new();
    let unfolded = unfold(&env.ok(&["export", "--ics"]));
    let calendar = read_calendar(&unfolded).expect("parses");
    assert!(calendar.components.is_empty());
    assert!(
        !env.data_dir().exists(),
        "export writes nothing to the store"
    );
}
