//! Every rule of SPEC section 2, as a table: phrase → exact instant, or phrase → the kind of
//! refusal. The clock is Monday 2026-11-23 10:30 in Helsinki unless a case says otherwise.

use chrono::NaiveTime;

use super::*;
use crate::zone::Zone;

const NOW: &str = "2026-11-23T10:30:00+02:00";

fn helsinki() -> Zone {
    Zone::named("Europe/Helsinki").unwrap()
}

fn at(now: &str, phrase: &str, options: &Options) -> Result<String, Error> {
    let now = chrono::DateTime::parse_from_rfc3339(now).unwrap();
    resolve(phrase, now, &helsinki(), options).map(|t| t.to_rfc3339())
}

fn deadline() -> Options {
    Options::deadline(NaiveTime::from_hms_opt(16, 0, 0).unwrap())
}

fn accepted(cases: &[(&str, &str)]) {
    for (phrase, want) in cases {
        match at(NOW, phrase, &deadline()) {
            Ok(got) => assert_eq!(&got, want, "phrase {phrase:?}"),
            Err(e) => panic!("phrase {phrase:?} refused: {e}"),
        }
    }
}

fn refused(cases: &[(&str, Kind)]) {
    for (phrase, kind) in cases {
        match at(NOW, phrase, &deadline()) {
            Ok(got) => panic!("phrase {phrase:?} should be refused ({kind:?}), got {got}"),
            Err(e) => assert_eq!(e.kind, *kind, "phrase {phrase:?}: {e}"),
        }
    }
}

#[test]
fn rule_1_weekdays_mean_the_next_one_after_today() {
    accepted(&[
        ("Tuesday 14:00", "2026-11-24T14:00:00+02:00"),
        ("tuesday", "2026-11-24T16:00:00+02:00"),
        ("TUE 14:00", "2026-11-24T14:00:00+02:00"),
        ("tues 14:00", "2026-11-24T14:00:00+02:00"),
        ("monday", "2026-11-30T16:00:00+02:00"),
        ("mon 9:00", "2026-11-30T09:00:00+02:00"),
        ("friday", "2026-11-27T16:00:00+02:00"),
        ("this friday", "2026-11-27T16:00:00+02:00"),
        ("Fri", "2026-11-27T16:00:00+02:00"),
        ("frid", "2026-11-27T16:00:00+02:00"),
        ("sunday", "2026-11-29T16:00:00+02:00"),
        ("thurs noon", "2026-11-26T12:00:00+02:00"),
    ]);
}

#[test]
fn rule_2_next_weekday_is_ambiguous_unless_both_readings_agree() {
    refused(&[
        ("next friday", Kind::Ambiguous),
        ("next tuesday 14:00", Kind::Ambiguous),
    ]);
    let e = at(NOW, "next friday", &deadline()).unwrap_err();
    assert!(e.to_string().contains("Fri 27 Nov"), "{e}");
    assert!(e.to_string().contains("Fri 4 Dec"), "{e}");
    assert!(e.to_string().contains("this friday"), "{e}");
    accepted(&[
        ("friday next week", "2026-12-04T16:00:00+02:00"),
        ("next week friday 12:00", "2026-12-04T12:00:00+02:00"),
        // Said on a Monday, the next Monday is both "this coming" and "next week's".
        ("next monday", "2026-11-30T16:00:00+02:00"),
    ]);
    // Said on a Saturday, both readings of "next friday" are the Friday six days later.
    let sat = at("2026-11-28T10:00:00+02:00", "next friday", &deadline()).unwrap();
    assert_eq!(sat, "2026-12-04T16:00:00+02:00");
}

#[test]
fn rule_3_a_date_without_time_gets_the_default_time() {
    accepted(&[
        ("tomorrow", "2026-11-24T16:00:00+02:00"),
        ("2026-11-25", "2026-11-25T16:00:00+02:00"),
        ("25.11.", "2026-11-25T16:00:00+02:00"),
    ]);
    let nine = Options::deadline(NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    assert_eq!(
        at(NOW, "tomorrow", &nine).unwrap(),
        "2026-11-24T09:00:00+02:00"
    );
}

#[test]
fn rule_4_named_times() {
    accepted(&[
        ("noon", "2026-11-23T12:00:00+02:00"),
        ("tomorrow noon", "2026-11-24T12:00:00+02:00"),
        ("friday 12 noon", "2026-11-27T12:00:00+02:00"),
        ("eod", "2026-11-23T16:00:00+02:00"),
        ("end of day", "2026-11-23T16:00:00+02:00"),
        ("cob", "2026-11-23T16:00:00+02:00"),
        ("close of business", "2026-11-23T16:00:00+02:00"),
        ("eow", "2026-11-27T16:00:00+02:00"),
        ("end of week", "2026-11-27T16:00:00+02:00"),
        ("eod tomorrow", "2026-11-24T16:00:00+02:00"),
    ]);
    refused(&[
        ("midnight", Kind::Ambiguous),
        ("friday midnight", Kind::Ambiguous),
        ("friday 12am", Kind::Ambiguous),
    ]);
    // After the default time, end of day has passed.
    assert_eq!(
        at("2026-11-23T17:00:00+02:00", "eod", &deadline())
            .unwrap_err()
            .kind,
        Kind::Past
    );
}

#[test]
fn rule_5_durations() {
    accepted(&[
        ("in 90 minutes", "2026-11-23T12:00:00+02:00"),
        ("in 2 hours", "2026-11-23T12:30:00+02:00"),
        ("2 hours", "2026-11-23T12:30:00+02:00"),
        ("in an hour", "2026-11-23T11:30:00+02:00"),
        ("in 3 days", "2026-11-26T16:00:00+02:00"),
        ("2 days", "2026-11-25T16:00:00+02:00"),
        ("in a week", "2026-11-30T16:00:00+02:00"),
        ("in 2 weeks", "2026-12-07T16:00:00+02:00"),
        ("in 2 days at 14:00", "2026-11-25T14:00:00+02:00"),
        ("in two days", "2026-11-25T16:00:00+02:00"),
    ]);
    refused(&[
        ("in 2 hours at 14:00", Kind::NotUnderstood),
        ("in 2 days friday", Kind::NotUnderstood),
    ]);
}

#[test]
fn rule_6_bare_times() {
    accepted(&[
        ("14:00", "2026-11-23T14:00:00+02:00"),
        ("2pm", "2026-11-23T14:00:00+02:00"),
        ("2 pm", "2026-11-23T14:00:00+02:00"),
        ("14.00", "2026-11-23T14:00:00+02:00"),
        ("tomorrow 12", "2026-11-24T12:00:00+02:00"),
        ("monday 12", "2026-11-30T12:00:00+02:00"),
        ("2pm tomorrow", "2026-11-24T14:00:00+02:00"),
        ("9:30am tomorrow", "2026-11-24T09:30:00+02:00"),
        ("tomorrow 9:30 pm", "2026-11-24T21:30:00+02:00"),
        ("tomorrow 12pm", "2026-11-24T12:00:00+02:00"),
    ]);
    refused(&[
        ("9:00", Kind::Past),
        ("10:30", Kind::Past),
        ("12", Kind::NotUnderstood),
        ("friday 2", Kind::Ambiguous),
    ]);
    let e = at(NOW, "9:00", &deadline()).unwrap_err();
    assert!(e.to_string().contains("tomorrow 09:00"), "{e}");
}

#[test]
fn rule_7_vague_phrases_are_refused_with_a_concrete_alternative() {
    for phrase in [
        "asap",
        "ASAP",
        "as soon as possible",
        "soon",
        "shortly",
        "later",
        "sometime",
        "whenever",
        "in a while",
        "next week",
        "this week",
        "later today",
        "by asap",
    ] {
        let e = at(NOW, phrase, &deadline()).unwrap_err();
        assert_eq!(e.kind, Kind::Vague, "{phrase}");
        assert!(e.hint.is_some(), "{phrase} has no hint");
    }
}

#[test]
fn rule_8_past_and_yearless_dates() {
    refused(&[
        ("yesterday", Kind::Past),
        ("2026-11-20 12:00", Kind::Past),
        ("Nov 20", Kind::Past),
        ("1.11.", Kind::Past),
    ]);
    accepted(&[
        ("Jan 5", "2027-01-05T16:00:00+02:00"),
        ("Dec 3 14:00", "2026-12-03T14:00:00+02:00"),
        // More than 30 days ago: the next occurrence is next year's.
        ("Oct 1", "2027-10-01T16:00:00+03:00"),
        ("23.11. 12:00", "2026-11-23T12:00:00+02:00"),
    ]);
    let past = Options {
        allow_past: true,
        ..deadline()
    };
    assert_eq!(
        at(NOW, "yesterday 15:30", &past).unwrap(),
        "2026-11-22T15:30:00+02:00"
    );
    assert_eq!(at(NOW, "9:00", &past).unwrap(), "2026-11-23T09:00:00+02:00");
}

#[test]
fn rule_9_numeric_and_month_name_dates() {
    accepted(&[
        ("2026-11-25 14:00", "2026-11-25T14:00:00+02:00"),
        ("2026-11-25T14:00", "2026-11-25T14:00:00+02:00"),
        ("25.11.2026 14:00", "2026-11-25T14:00:00+02:00"),
        ("25.11. 14:00", "2026-11-25T14:00:00+02:00"),
        ("25/11/2026", "2026-11-25T16:00:00+02:00"),
        ("25/11", "2026-11-25T16:00:00+02:00"),
        ("Dec 3 14:00", "2026-12-03T14:00:00+02:00"),
        ("3 December 2pm", "2026-12-03T14:00:00+02:00"),
        ("December 3rd", "2026-12-03T16:00:00+02:00"),
        ("3rd of december", "2026-12-03T16:00:00+02:00"),
        ("dec 3 2027", "2027-12-03T16:00:00+02:00"),
        ("by tuesday at 14:00", "2026-11-24T14:00:00+02:00"),
        ("on Tue. 2 p.m.", "2026-11-24T14:00:00+02:00"),
        ("tuesday, 14:00", "2026-11-24T14:00:00+02:00"),
        ("2026-11-25T14:00:00+02:00", "2026-11-25T14:00:00+02:00"),
        ("2026-11-25T12:00:00Z", "2026-11-25T14:00:00+02:00"),
        ("in 90m", "2026-11-23T12:00:00+02:00"),
        ("in 2h", "2026-11-23T12:30:00+02:00"),
        // A weekday that agrees with the date, as in an email's "Tue, 24 Nov 14:00".
        ("Tue, 24 Nov 14:00", "2026-11-24T14:00:00+02:00"),
        ("Friday 27.11. 14:00", "2026-11-27T14:00:00+02:00"),
    ]);
    refused(&[
        ("Thursday 27.11. 14:00", Kind::Impossible),
        // "14h" is 14:00 in some notations and 14 hours in others: refused, not guessed.
        ("14h", Kind::NotUnderstood),
        ("90m", Kind::NotUnderstood),
    ]);
}

#[test]
fn rule_10_dst_gaps_are_refused_overlaps_take_the_first_and_days_are_calendar_days() {
    // Helsinki springs forward 2027-03-28 03:00 → 04:00 and falls back 2027-10-31 04:00 → 03:00.
    refused(&[("2027-03-28 03:30", Kind::Nonexistent)]);
    accepted(&[
        ("2027-10-31 03:30", "2027-10-31T03:30:00+03:00"),
        ("in 125 days", "2027-03-28T16:00:00+03:00"),
        ("2027-03-28 04:00", "2027-03-28T04:00:00+03:00"),
    ]);
}

#[test]
fn rule_11_leftovers_and_impossible_values_reject_the_whole_phrase() {
    refused(&[
        ("friday 2pm banana", Kind::NotUnderstood),
        ("banana", Kind::NotUnderstood),
        ("25:00", Kind::Impossible),
        ("tomorrow 25:00", Kind::Impossible),
        ("31.11.", Kind::Impossible),
        ("2026-02-30", Kind::Impossible),
        ("tomorrow 14:60", Kind::Impossible),
        ("13pm", Kind::Impossible),
        ("december", Kind::NotUnderstood),
        ("friday tomorrow", Kind::NotUnderstood),
        ("14:00 15:00", Kind::NotUnderstood),
        ("", Kind::Empty),
        ("by", Kind::Empty),
        ("11/25/2026", Kind::Impossible),
        // Found by the fuzzer: interim panics on a word of 16+ characters.
        ("a h\u{0}2vvvvvvvvvvvvvvvo", Kind::NotUnderstood),
        ("in 2 hoursssssssssssssssss", Kind::NotUnderstood),
        ("in 2hhhhhhhhhhhhhhhhhhhhh", Kind::NotUnderstood),
    ]);
    let e = at(NOW, "friday 2pm banana", &deadline()).unwrap_err();
    assert!(e.to_string().contains("banana"), "{e}");
}

#[test]
fn the_past_tense_reads_weekdays_backwards_and_refuses_the_future() {
    let past = Options::past(NaiveTime::from_hms_opt(16, 0, 0).unwrap());
    assert_eq!(
        at(NOW, "yesterday 15:30", &past).unwrap(),
        "2026-11-22T15:30:00+02:00"
    );
    assert_eq!(
        at(NOW, "friday 15:00", &past).unwrap(),
        "2026-11-20T15:00:00+02:00"
    );
    assert_eq!(at(NOW, "9:00", &past).unwrap(), "2026-11-23T09:00:00+02:00");
    assert_eq!(
        at(NOW, "2 hours ago", &past).unwrap(),
        "2026-11-23T08:30:00+02:00"
    );
    assert_eq!(
        at(NOW, "Nov 20 12:00", &past).unwrap(),
        "2026-11-20T12:00:00+02:00"
    );
    assert_eq!(at(NOW, "tomorrow", &past).unwrap_err().kind, Kind::Future);
}

#[test]
fn a_customer_zone_resolves_in_that_zone() {
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
    let ny = Zone::named("America/New_York").unwrap();
    let t = resolve("tuesday 14:00", now, &ny, &deadline()).unwrap();
    assert_eq!(t.to_rfc3339(), "2026-11-24T14:00:00-05:00");
}

#[test]
fn mentions_are_found_in_running_text() {
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
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
}
