//! Promises as an iCalendar file (RFC 5545), for `promise export --ics`: one event per promise at
//! its deadline, an alarm per reminder lead time, and the zone each deadline was given in.
//! Pure: promises in, text out. The same promises always give the same bytes, so a calendar
//! subscribed to a file rewritten by cron sees a change only when a promise changed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use icalendar::parser::{Component as Parsed, Property as ParsedProperty};
use icalendar::{
    Alarm, Calendar, CalendarComponent, CalendarDateTime, Component, Event, EventLike, EventStatus,
    Property, Trigger,
};

use crate::model::{Instant, Promise, Status};
use crate::zone::Zone;

/// The UID of a promise's event: its id never changes, so neither does the event's identity.
pub fn uid(p: &Promise) -> String {
    format!("{}@promise", p.id)
}

/// The calendar of `promises`. A promise with `tz` is placed in that zone, others in `home` (the
/// user's `TZ`); a zone without an IANA name (no `TZ`) is written as UTC. Open promises get an
/// alarm for each of `leads`; closed ones are marked in their title and have none.
pub fn calendar(promises: &[Promise], home: &Zone, leads: &[TimeDelta]) -> String {
    let mut sorted: Vec<&Promise> = promises.iter().collect();
    sorted.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));

    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            concat!("-//promise//promise ", env!("CARGO_PKG_VERSION"), "//EN"),
        ))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name("Promises");

    // Each zone's VTIMEZONE covers the years its events fall in.
    let mut years: BTreeMap<String, (Zone, BTreeSet<i32>)> = BTreeMap::new();
    let mut events = Vec::with_capacity(sorted.len());
    for p in sorted {
        let zone =
            p.tz.as_deref()
                .and_then(|name| Zone::named(name).ok())
                .unwrap_or_else(|| home.clone());
        let start = match (zone.name(), wall_clock(&p.due, &zone)) {
            (Some(name), Some(local)) => {
                years
                    .entry(name.to_string())
                    .or_insert_with(|| (zone.clone(), BTreeSet::new()))
                    .1
                    .insert(local.year());
                CalendarDateTime::WithTimezone {
                    date_time: local,
                    tzid: name.to_string(),
                }
            }
            _ => CalendarDateTime::Utc(p.due.to_utc()),
        };
        events.push(event(p, start, leads));
    }
    for (name, (zone, years)) in &years {
        for component in vtimezones(name, zone, years) {
            calendar.push(component);
        }
    }
    for event in events {
        calendar.push(event);
    }
    without_stray_properties(&calendar.to_string())
}

fn event(p: &Promise, start: CalendarDateTime, leads: &[TimeDelta]) -> Event {
    let revised = last_revised(p).to_utc();
    let mut event = Event::new();
    event
        .uid(&uid(p))
        .timestamp(revised)
        .last_modified(revised)
        .sequence(u32::try_from(p.slips.len()).unwrap_or(u32::MAX))
        .summary(&summary(p))
        .description(&description(p))
        .starts(start)
        // A deadline is a moment, not a meeting: it does not make the user busy.
        .add_property("TRANSP", "TRANSPARENT")
        .status(match p.status {
            Status::Cancelled => EventStatus::Cancelled,
            _ => EventStatus::Confirmed,
        });
    if p.status == Status::Open {
        for lead in leads {
            let mut alarm = Alarm::display(
                &format!(
                    "Due in {}: {} — {}",
                    super::compact(*lead),
                    p.what,
                    p.customer
                ),
                Trigger::before_start(*lead),
            );
            alarm.uid(&format!("{}-{}@promise", p.id, super::compact(*lead)));
            event.alarm(alarm);
        }
    }
    event.done()
}

fn summary(p: &Promise) -> String {
    let title = format!("{} — {}", p.what, p.customer);
    match p.status {
        Status::Open => title,
        Status::Kept => format!("Kept: {title}"),
        Status::Cancelled => format!("Cancelled: {title}"),
    }
}

fn description(p: &Promise) -> String {
    let mut lines = vec![format!(
        "Promised to {}{}.",
        p.customer,
        p.contact
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default()
    )];
    if let Some(first) = p.original_due.filter(|first| *first != p.due) {
        lines.push(format!(
            "First promised for {}.",
            first.format("%a %-d %b %Y %H:%M %:z")
        ));
    }
    if let Some(r) = &p.reference {
        lines.push(format!("Ref: {r}"));
    }
    if let Some(n) = &p.note {
        lines.push(format!("Note: {n}"));
    }
    lines.push(format!("promise show {}", p.id));
    lines.join("\n")
}

/// When the promise last changed: made, slipped or closed. This is the event's DTSTAMP and
/// LAST-MODIFIED, so they move only when the promise does.
fn last_revised(p: &Promise) -> Instant {
    p.slips
        .iter()
        .map(|s| s.at)
        .chain(p.closed)
        .fold(p.made, Instant::max)
}

/// The deadline's local time in `tz`, when that local time names it unambiguously. A time that
/// occurs twice (the hour repeated when DST ends) means its first occurrence in iCalendar, so the
/// second one is written in UTC instead.
fn wall_clock(t: &Instant, zone: &Zone) -> Option<NaiveDateTime> {
    let local = zone.localise(t).naive_local();
    let first = zone.from_local(&local).earliest()?;
    (first == *t).then_some(local)
}

/// VTIMEZONE components for `zone` covering `years`: for each run of consecutive years, the
/// offset in force on its first 1 January and every change of offset until the run ends, as the
/// zone's database has them. Written out transition by transition (no RRULE), which every
/// calendar reads the same way.
fn vtimezones(name: &str, zone: &Zone, years: &BTreeSet<i32>) -> Vec<CalendarComponent> {
    let mut observances: Vec<Parsed<'static>> = Vec::new();
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for &year in years {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == year => *last = year,
            _ => runs.push((year, year)),
        }
    }
    for (first, last) in runs {
        let (Some(from), Some(to)) = (new_year(zone, first), new_year(zone, last + 1)) else {
            continue;
        };
        observances.push(observance(zone, from, None));
        let mut t = from;
        while t < to {
            let next = (t + TimeDelta::days(1)).min(to);
            if offset_at(zone, next) != offset_at(zone, t) {
                let change = first_with_offset(zone, t, next);
                observances.push(observance(
                    zone,
                    change,
                    Some(offset_at(zone, change - TimeDelta::seconds(1))),
                ));
            }
            t = next;
        }
    }
    if observances.is_empty() {
        return Vec::new();
    }
    vec![CalendarComponent::from(Parsed {
        name: "VTIMEZONE".into(),
        properties: vec![ParsedProperty::from(Property::new("TZID", name))],
        components: observances,
    })]
}

/// 1 January of `year`, 00:00 local time in `zone`.
fn new_year(zone: &Zone, year: i32) -> Option<DateTime<Utc>> {
    let midnight = NaiveDate::from_ymd_opt(year, 1, 1)?.and_hms_opt(0, 0, 0)?;
    Some(zone.from_local(&midnight).earliest()?.to_utc())
}

fn offset_at(zone: &Zone, t: DateTime<Utc>) -> i32 {
    zone.localise(&t.fixed_offset()).offset().local_minus_utc()
}

/// The first second in `(before, after]` with the offset in force at `after`.
fn first_with_offset(zone: &Zone, before: DateTime<Utc>, after: DateTime<Utc>) -> DateTime<Utc> {
    let target = offset_at(zone, after);
    let (mut low, mut high) = (before, after);
    while high - low > TimeDelta::seconds(1) {
        let mid = low + (high - low) / 2;
        if offset_at(zone, mid) == target {
            high = mid;
        } else {
            low = mid;
        }
    }
    high
}

/// A STANDARD or DAYLIGHT observance starting at `start`; `from` is the offset before it (none:
/// the first observance listed, which changes nothing).
fn observance(zone: &Zone, start: DateTime<Utc>, from: Option<i32>) -> Parsed<'static> {
    let at = start.fixed_offset();
    let to = offset_at(zone, start);
    let from = from.unwrap_or(to);
    let kind = if zone.is_dst(&at) {
        "DAYLIGHT"
    } else {
        "STANDARD"
    };
    // DTSTART is the local time at the change, on the clock that was in force before it.
    let local = start.naive_utc() + TimeDelta::seconds(i64::from(from));
    let properties = vec![
        Property::new("DTSTART", local.format("%Y%m%dT%H%M%S").to_string()),
        Property::new("TZOFFSETFROM", utc_offset(from)),
        Property::new("TZOFFSETTO", utc_offset(to)),
        Property::new("TZNAME", zone.abbreviation(&at)),
    ];
    Parsed {
        name: kind.into(),
        properties: properties.into_iter().map(ParsedProperty::from).collect(),
        components: Vec::new(),
    }
}

/// "+0200", "-0500", "+0530"; with seconds only when there are any (old local mean times).
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// icalendar writes a DTSTAMP and a UID into every component it writes. RFC 5545 has neither in
/// a VTIMEZONE or its observances, nor a DTSTAMP in a VALARM, and theirs come from the clock and
/// from random numbers; so they are taken out again, which keeps the output valid and the same
/// for the same promises. (The events' and alarms' own DTSTAMP and UID are set above.)
fn without_stray_properties(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Vec<&str> = Vec::new();
    let mut dropping = false;
    for line in text.split_inclusive("\r\n") {
        // A folded continuation belongs to the line before it.
        if line.starts_with([' ', '\t']) {
            if !dropping {
                out.push_str(line);
            }
            continue;
        }
        dropping = false;
        let content = line.trim_end_matches("\r\n");
        if let Some(name) = content.strip_prefix("BEGIN:") {
            open.push(name);
        } else if content.starts_with("END:") {
            open.pop();
        } else {
            let key = content.split([':', ';']).next().unwrap_or_default();
            let in_zone = open.contains(&"VTIMEZONE");
            let in_alarm = open.last() == Some(&"VALARM");
            if (in_zone && (key == "DTSTAMP" || key == "UID")) || (in_alarm && key == "DTSTAMP") {
                dropping = true;
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, Slip};

    fn at(text: &str) -> Instant {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn promise(id: &str, due: &str, tz: Option<&str>) -> Promise {
        Promise {
            tz: tz.map(str::to_string),
            contact: Some("Liisa Virtanen <liisa@acme.fi>".into()),
            ..Promise::new(
                Id(id.into()),
                "Acme Oy".into(),
                "Send revised figures, v2; final".into(),
                at("2026-11-23T10:30:00+02:00"),
                at(due),
            )
        }
    }

    fn helsinki() -> Zone {
        Zone::named("Europe/Helsinki").unwrap()
    }

    #[test]
    fn an_open_promise_is_an_event_at_its_deadline_with_alarms() {
        let ics = calendar(
            &[promise("abc1234567", "2026-11-24T14:00:00+02:00", None)],
            &helsinki(),
            &[TimeDelta::days(1), TimeDelta::hours(2)],
        );
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{ics}"
        );
        assert!(ics.contains("UID:abc1234567@promise\r\n"), "{ics}");
        assert!(
            ics.contains("DTSTART;TZID=Europe/Helsinki:20261124T140000\r\n"),
            "{ics}"
        );
        assert!(ics.contains("SUMMARY:Send revised figures\\, v2\\; final — Acme Oy\r\n"));
        assert!(ics.contains("DTSTAMP:20261123T083000Z\r\n"), "{ics}");
        assert_eq!(ics.matches("BEGIN:VALARM").count(), 2);
        assert!(
            ics.contains("TRIGGER;RELATED=START:-P1D\r\n")
                || ics.contains("TRIGGER;RELATED=START:-PT86400S\r\n"),
            "{ics}"
        );
        assert!(
            ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\n"),
            "{ics}"
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn the_same_promises_give_the_same_bytes() {
        let promises = [
            promise("abc1234567", "2026-11-24T14:00:00+02:00", None),
            promise(
                "def1234567",
                "2026-11-24T09:00:00-05:00",
                Some("America/New_York"),
            ),
        ];
        let leads = [TimeDelta::minutes(15)];
        assert_eq!(
            calendar(&promises, &helsinki(), &leads),
            calendar(&promises, &helsinki(), &leads)
        );
    }

    #[test]
    fn zones_have_only_the_properties_rfc_5545_allows() {
        let ics = calendar(
            &[promise("abc1234567", "2026-11-24T14:00:00+02:00", None)],
            &helsinki(),
            &[TimeDelta::hours(2)],
        );
        let zone = &ics[ics.find("BEGIN:VTIMEZONE").unwrap()..ics.find("END:VTIMEZONE").unwrap()];
        assert!(!zone.contains("DTSTAMP") && !zone.contains("UID"), "{zone}");
        let alarm = &ics[ics.find("BEGIN:VALARM").unwrap()..ics.find("END:VALARM").unwrap()];
        assert!(!alarm.contains("DTSTAMP"), "{alarm}");
        assert!(alarm.contains("UID:abc1234567-2h@promise"), "{alarm}");
    }

    #[test]
    fn a_zone_lists_the_changes_of_offset_in_the_years_of_its_events() {
        let ics = calendar(
            &[promise("abc1234567", "2026-11-24T14:00:00+02:00", None)],
            &helsinki(),
            &[],
        );
        // 2026 in Helsinki: EET from New Year, EEST from 29 March 03:00, EET from 25 October 04:00.
        for observance in [
            "BEGIN:STANDARD\r\nDTSTART:20260101T000000\r\nTZNAME:EET\r\n\
             TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\n",
            "BEGIN:DAYLIGHT\r\nDTSTART:20260329T030000\r\nTZNAME:EEST\r\n\
             TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nEND:DAYLIGHT\r\n",
            "BEGIN:STANDARD\r\nDTSTART:20261025T040000\r\nTZNAME:EET\r\n\
             TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\n",
        ] {
            assert!(ics.contains(observance), "{observance}\n{ics}");
        }
        assert_eq!(
            ics.matches("BEGIN:STANDARD").count() + ics.matches("BEGIN:DAYLIGHT").count(),
            3
        );
        assert!(!ics.contains("DTSTART:2027"), "{ics}");
    }

    #[test]
    fn closed_promises_are_marked_and_have_no_alarms() {
        let mut kept = promise("abc1234567", "2026-11-24T14:00:00+02:00", None);
        kept.status = Status::Kept;
        kept.closed = Some(at("2026-11-24T12:00:00+02:00"));
        let ics = calendar(&[kept], &helsinki(), &[TimeDelta::hours(2)]);
        assert!(ics.contains("SUMMARY:Kept: "), "{ics}");
        assert!(!ics.contains("VALARM"), "{ics}");
        assert!(ics.contains("DTSTAMP:20261124T100000Z"), "{ics}");
    }

    #[test]
    fn a_slipped_promise_is_a_new_sequence_of_the_same_event() {
        let mut p = promise("abc1234567", "2026-11-27T12:00:00+02:00", None);
        p.original_due = Some(at("2026-11-24T14:00:00+02:00"));
        p.slips.push(Slip {
            at: at("2026-11-24T09:00:00+02:00"),
            from: at("2026-11-24T14:00:00+02:00"),
            to: at("2026-11-27T12:00:00+02:00"),
            reason: None,
            extra: toml::Table::new(),
        });
        let ics = calendar(&[p], &helsinki(), &[]);
        assert!(ics.contains("SEQUENCE:1\r\n"), "{ics}");
        assert!(ics.contains("DTSTAMP:20261124T070000Z"), "{ics}");
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("First promised for Tue 24 Nov 2026 14:00 +02:00."),
            "{ics}"
        );
    }

    #[test]
    fn without_a_named_zone_times_are_utc() {
        let ics = calendar(
            &[promise("abc1234567", "2026-11-24T14:00:00+02:00", None)],
            &Zone::posix("EET-2EEST,M3.5.0/3,M10.5.0/4"),
            &[],
        );
        assert!(ics.contains("DTSTART:20261124T120000Z\r\n"), "{ics}");
        assert!(!ics.contains("VTIMEZONE"), "{ics}");
    }

    #[test]
    fn the_second_of_a_repeated_hour_is_written_in_utc() {
        // 25 Oct 2026 03:30 happens twice in Helsinki; +02:00 is the second time.
        let ics = calendar(
            &[promise("abc1234567", "2026-10-25T03:30:00+02:00", None)],
            &helsinki(),
            &[],
        );
        assert!(ics.contains("DTSTART:20261025T013000Z\r\n"), "{ics}");
        let first = calendar(
            &[promise("abc1234567", "2026-10-25T03:30:00+03:00", None)],
            &helsinki(),
            &[],
        );
        assert!(
            first.contains("DTSTART;TZID=Europe/Helsinki:20261025T033000\r\n"),
            "{first}"
        );
    }

    #[test]
    fn offsets_are_written_as_rfc_5545_wants_them() {
        assert_eq!(utc_offset(7200), "+0200");
        assert_eq!(utc_offset(-18000), "-0500");
        assert_eq!(utc_offset(19800), "+0530");
        assert_eq!(utc_offset(5989), "+013949");
        assert_eq!(utc_offset(0), "+0000");
    }
}
