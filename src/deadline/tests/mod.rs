//! Every rule of SPEC section 2, as tables: phrase → exact instant, or phrase → the kind of
//! refusal. The clock is Monday 2026-11-23 10:30 in Helsinki unless a case says otherwise.

mod en;
mod fi;
mod properties;

use chrono::NaiveTime;

use super::*;
use crate::zone::Zone;

/// Monday 23 November 2026, 10:30 in Helsinki.
const MON: &str = "2026-11-23T10:30:00+02:00";

fn helsinki() -> Zone {
    Zone::named("Europe/Helsinki").unwrap()
}

fn instant(text: &str) -> Instant {
    chrono::DateTime::parse_from_rfc3339(text).unwrap()
}

fn deadline() -> Options {
    Options::deadline(NaiveTime::from_hms_opt(16, 0, 0).unwrap())
}

fn past() -> Options {
    Options::past(NaiveTime::from_hms_opt(16, 0, 0).unwrap())
}

fn at_with(now: &str, phrase: &str, options: &Options) -> Result<String, Error> {
    resolve(phrase, instant(now), &helsinki(), options).map(|t| t.to_rfc3339())
}

/// Each phrase, said at `now`, is exactly this instant.
fn accepted_at(now: &str, cases: &[(&str, &str)]) {
    for (phrase, want) in cases {
        match at_with(now, phrase, &deadline()) {
            Ok(got) => assert_eq!(&got, want, "phrase {phrase:?} said at {now}"),
            Err(e) => panic!("phrase {phrase:?} said at {now} refused: {e}"),
        }
    }
}

fn accepted(cases: &[(&str, &str)]) {
    accepted_at(MON, cases);
}

/// Each phrase, said at `now`, is refused for this reason.
fn refused_at(now: &str, cases: &[(&str, Kind)]) {
    for (phrase, kind) in cases {
        match at_with(now, phrase, &deadline()) {
            Ok(got) => panic!("phrase {phrase:?} should be refused ({kind:?}), got {got}"),
            Err(e) => assert_eq!(e.kind, *kind, "phrase {phrase:?}: {e}"),
        }
    }
}

fn refused(cases: &[(&str, Kind)]) {
    refused_at(MON, cases);
}

/// The refusal's whole message, to check what it says and what it offers.
fn message(now: &str, phrase: &str) -> String {
    match at_with(now, phrase, &deadline()) {
        Ok(got) => panic!("phrase {phrase:?} should be refused, got {got}"),
        Err(e) => e.to_string(),
    }
}

/// The message names every fragment.
fn says(now: &str, phrase: &str, fragments: &[&str]) {
    let text = message(now, phrase);
    for fragment in fragments {
        assert!(
            text.contains(fragment),
            "refusal of {phrase:?} should say {fragment:?}: {text}"
        );
    }
}

#[test]
fn mentions_are_found_in_running_text() {
    let now = instant(MON);
    let text = "Thanks! I'll send the revised figures by Tuesday 14:00, and call you after.";
    let found = mentions(text, now, &helsinki(), &deadline());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].phrase, "by Tuesday 14:00");
    assert_eq!(&text[found[0].start..found[0].end], "by Tuesday 14:00");
    assert_eq!(found[0].due.to_rfc3339(), "2026-11-24T14:00:00+02:00");
    assert!(
        mentions(
            "Nothing concrete here, sorry.",
            now,
            &helsinki(),
            &deadline()
        )
        .is_empty()
    );
    let fi = "Toimitan tarjouksen perjantaihin klo 12 mennessä.";
    let found = mentions(fi, now, &helsinki(), &deadline());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].phrase, "perjantaihin klo 12 mennessä");
    assert_eq!(found[0].due.to_rfc3339(), "2026-11-27T12:00:00+02:00");
    assert!(found[0].said.time && !found[0].said.duration);
    // A full stop that is also a date's dot keeps the date.
    let found = mentions("I will send it by 3.12.", now, &helsinki(), &deadline());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].phrase, "by 3.12.");
    assert_eq!(found[0].due.to_rfc3339(), "2026-12-03T16:00:00+02:00");
    assert!(!found[0].said.time);
    // "friday 15.12." is a date that is no Friday, or a time and a full stop: no mention.
    let found = mentions("I will call friday 15.12.", now, &helsinki(), &deadline());
    assert!(found.is_empty(), "{found:?}");
    let found = mentions("Back to you in 2 hours.", now, &helsinki(), &deadline());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].said.duration);
}

#[test]
fn words_that_are_deadlines_only_in_a_deadline_field_are_no_mention() {
    let now = instant(MON);
    for text in [
        "I will talk to you then.",
        "The price is 12.50 euros per unit.",
        "Version 2.5 fixed it.",
        "We sat down with 1400 people.",
    ] {
        let found = mentions(text, now, &helsinki(), &deadline());
        assert!(found.is_empty(), "{text:?}: {found:?}");
    }
    // Said in a deadline field, the same words are deadlines.
    assert!(at_with(MON, "to", &deadline()).is_ok());
    assert!(at_with(MON, "1400", &deadline()).is_ok());
}

#[test]
fn config_spans_read_compact_durations() {
    let span = |t: &str| span(t).map(|d| d.num_minutes());
    assert_eq!(span("90d"), Some(90 * 24 * 60));
    assert_eq!(span("2h"), Some(120));
    assert_eq!(span("15m"), Some(15));
    assert_eq!(span("0m"), Some(0));
    assert_eq!(span("1h30m"), Some(90));
    assert_eq!(span("2 hours"), Some(120));
    assert_eq!(span("1w"), Some(7 * 24 * 60));
    assert_eq!(span("3 months"), None);
    assert_eq!(span("soon"), None);
    assert_eq!(span(""), None);
    assert_eq!(span("-1d"), None);
}

/// The README's tables of phrases are a promise too: every phrase in their first column means
/// what the table says, so at least it must be accepted.
#[test]
fn every_phrase_in_the_readme_tables_is_accepted() {
    let readme = include_str!("../../../README.md");
    let start = readme
        .find("### Deadlines")
        .expect("README has a Deadlines section");
    let section = &readme[start..];
    let section = &section[..section.find("Refused,").unwrap_or(section.len())];
    let mut checked = 0;
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let first = row.split(" | ").next().unwrap_or_default();
        for phrase in first.split('`').skip(1).step_by(2) {
            if let Err(e) = at_with(MON, phrase, &deadline()) {
                panic!("README phrase {phrase:?} is refused: {e}");
            }
            checked += 1;
        }
    }
    assert!(
        checked > 60,
        "only {checked} phrases found in the README tables"
    );
}

#[test]
fn a_clock_at_the_ends_of_the_calendar_is_an_error_not_a_panic() {
    for now in ["9999-12-31T23:00:00+00:00", "0001-01-01T00:00:00+00:00"] {
        for phrase in [
            "friday",
            "in 3 days",
            "eom",
            "the 3rd",
            "Dec 31",
            "tomorrow 14:00",
        ] {
            assert!(
                at_with(now, phrase, &deadline()).is_err(),
                "{phrase} at {now}"
            );
        }
    }
}
