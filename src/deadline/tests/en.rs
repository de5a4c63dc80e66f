//! English, rule by rule.

use super::*;

/// Saturday 28 November 2026, 10:00.
const SAT: &str = "2026-11-28T10:00:00+02:00";
/// Friday 27 November 2026, 17:00: this week's end of day has passed.
const FRI_EVENING: &str = "2026-11-27T17:00:00+02:00";
/// Friday 27 November 2026, 15:00: it has not.
const FRI_AFTERNOON: &str = "2026-11-27T15:00:00+02:00";
/// Monday 30 November 2026, 17:00: the last working day of November has ended.
const MONTH_END: &str = "2026-11-30T17:00:00+02:00";
/// Sunday 31 January 2027, 10:00.
const JAN_31: &str = "2027-01-31T10:00:00+02:00";
/// Monday 23 November 2026, 01:00.
const EARLY: &str = "2026-11-23T01:00:00+02:00";

#[test]
fn rule_1_weekdays_mean_the_next_one_after_today() {
    accepted(&[
        ("Tuesday 14:00", "2026-11-24T14:00:00+02:00"),
        ("tuesday", "2026-11-24T16:00:00+02:00"),
        ("TUE 14:00", "2026-11-24T14:00:00+02:00"),
        ("tues 14:00", "2026-11-24T14:00:00+02:00"),
        ("Tue. 14:00", "2026-11-24T14:00:00+02:00"),
        ("monday", "2026-11-30T16:00:00+02:00"),
        ("mon 9:00", "2026-11-30T09:00:00+02:00"),
        ("wed", "2026-11-25T16:00:00+02:00"),
        ("weds", "2026-11-25T16:00:00+02:00"),
        ("wednesday 11:15", "2026-11-25T11:15:00+02:00"),
        ("thu", "2026-11-26T16:00:00+02:00"),
        ("thur 12:00", "2026-11-26T12:00:00+02:00"),
        ("thurs noon", "2026-11-26T12:00:00+02:00"),
        ("friday", "2026-11-27T16:00:00+02:00"),
        ("this friday", "2026-11-27T16:00:00+02:00"),
        ("this coming friday", "2026-11-27T16:00:00+02:00"),
        ("coming friday", "2026-11-27T16:00:00+02:00"),
        ("Fri", "2026-11-27T16:00:00+02:00"),
        ("frid", "2026-11-27T16:00:00+02:00"),
        ("FRIDAY 2PM", "2026-11-27T14:00:00+02:00"),
        ("sat", "2026-11-28T16:00:00+02:00"),
        ("sunday", "2026-11-29T16:00:00+02:00"),
    ]);
    accepted_at(
        SAT,
        &[
            ("saturday", "2026-12-05T16:00:00+02:00"),
            ("friday", "2026-12-04T16:00:00+02:00"),
            ("sunday", "2026-11-29T16:00:00+02:00"),
        ],
    );
    refused(&[
        ("fridays", Kind::NotUnderstood),
        ("fr", Kind::NotUnderstood),
    ]);
}

#[test]
fn rule_2_next_weekday_is_ambiguous_unless_both_readings_agree() {
    refused(&[
        ("next friday", Kind::Ambiguous),
        ("next tuesday 14:00", Kind::Ambiguous),
        ("next sunday", Kind::Ambiguous),
    ]);
    says(
        MON,
        "next friday",
        &[
            "Fri 27 Nov",
            "Fri 4 Dec",
            "\"this friday\"",
            "\"friday next week\"",
        ],
    );
    accepted(&[
        ("friday next week", "2026-12-04T16:00:00+02:00"),
        ("friday of next week", "2026-12-04T16:00:00+02:00"),
        ("next week friday 12:00", "2026-12-04T12:00:00+02:00"),
        ("next week's friday", "2026-12-04T16:00:00+02:00"),
        ("monday next week 9:00", "2026-11-30T09:00:00+02:00"),
        // Said on a Monday, the next Monday is both "this coming" and "next week's".
        ("next monday", "2026-11-30T16:00:00+02:00"),
    ]);
    // Said on a Saturday, both readings of "next friday" are the Friday six days later.
    accepted_at(SAT, &[("next friday", "2026-12-04T16:00:00+02:00")]);
}

#[test]
fn rule_3_a_date_without_time_gets_the_default_time() {
    accepted(&[
        ("tomorrow", "2026-11-24T16:00:00+02:00"),
        ("2026-11-25", "2026-11-25T16:00:00+02:00"),
        ("25.11.", "2026-11-25T16:00:00+02:00"),
        ("Dec 3", "2026-12-03T16:00:00+02:00"),
        ("in 3 days", "2026-11-26T16:00:00+02:00"),
    ]);
    let nine = Options::deadline(NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    assert_eq!(
        at_with(MON, "tomorrow", &nine).unwrap(),
        "2026-11-24T09:00:00+02:00"
    );
    assert_eq!(
        at_with(MON, "eod tomorrow", &nine).unwrap(),
        "2026-11-24T09:00:00+02:00"
    );
}

#[test]
fn rule_4_named_times() {
    accepted(&[
        ("noon", "2026-11-23T12:00:00+02:00"),
        ("tomorrow noon", "2026-11-24T12:00:00+02:00"),
        ("noon tomorrow", "2026-11-24T12:00:00+02:00"),
        ("tomorrow at noon", "2026-11-24T12:00:00+02:00"),
        ("friday 12 noon", "2026-11-27T12:00:00+02:00"),
        ("eod", "2026-11-23T16:00:00+02:00"),
        ("EOD", "2026-11-23T16:00:00+02:00"),
        ("end of day", "2026-11-23T16:00:00+02:00"),
        ("end of the day", "2026-11-23T16:00:00+02:00"),
        ("by the end of the day", "2026-11-23T16:00:00+02:00"),
        ("cob", "2026-11-23T16:00:00+02:00"),
        ("close of business", "2026-11-23T16:00:00+02:00"),
        ("end of business", "2026-11-23T16:00:00+02:00"),
        ("end-of-day", "2026-11-23T16:00:00+02:00"),
        ("eow", "2026-11-27T16:00:00+02:00"),
        ("end of week", "2026-11-27T16:00:00+02:00"),
        ("eod tomorrow", "2026-11-24T16:00:00+02:00"),
        ("cob friday", "2026-11-27T16:00:00+02:00"),
    ]);
    refused(&[
        ("midnight", Kind::Ambiguous),
        ("friday midnight", Kind::Ambiguous),
        ("friday 12am", Kind::Ambiguous),
    ]);
    says(
        MON,
        "friday midnight",
        &["\"27.11. 23:59\"", "\"28.11. 00:00\""],
    );
    // After the default time, today's end of day has passed.
    refused_at("2026-11-23T17:00:00+02:00", &[("eod", Kind::Past)]);
    says("2026-11-23T17:00:00+02:00", "eod", &["\"tomorrow 16:00\""]);
}

#[test]
fn rule_5_durations() {
    accepted(&[
        ("in 90 minutes", "2026-11-23T12:00:00+02:00"),
        ("in 2 hours", "2026-11-23T12:30:00+02:00"),
        ("2 hours", "2026-11-23T12:30:00+02:00"),
        ("in an hour", "2026-11-23T11:30:00+02:00"),
        ("in one hour", "2026-11-23T11:30:00+02:00"),
        ("in 3 days", "2026-11-26T16:00:00+02:00"),
        ("2 days", "2026-11-25T16:00:00+02:00"),
        ("in a day", "2026-11-24T16:00:00+02:00"),
        ("in a week", "2026-11-30T16:00:00+02:00"),
        ("in 2 weeks", "2026-12-07T16:00:00+02:00"),
        ("in 2 days at 14:00", "2026-11-25T14:00:00+02:00"),
        ("in 2 days 9am", "2026-11-25T09:00:00+02:00"),
        ("in two days", "2026-11-25T16:00:00+02:00"),
        ("in ten minutes", "2026-11-23T10:40:00+02:00"),
        ("in twelve hours", "2026-11-23T22:30:00+02:00"),
    ]);
    refused(&[
        ("in 2 hours at 14:00", Kind::NotUnderstood),
        ("in 2 days friday", Kind::NotUnderstood),
        ("in 2 days 3 hours", Kind::NotUnderstood),
        ("in 2 hours 2 hours", Kind::NotUnderstood),
    ]);
}

#[test]
fn rule_6_bare_times() {
    accepted(&[
        ("14:00", "2026-11-23T14:00:00+02:00"),
        ("2pm", "2026-11-23T14:00:00+02:00"),
        ("2 pm", "2026-11-23T14:00:00+02:00"),
        ("14.00", "2026-11-23T14:00:00+02:00"),
        ("16.45", "2026-11-23T16:45:00+02:00"),
        ("11:59", "2026-11-23T11:59:00+02:00"),
        ("tomorrow 12", "2026-11-24T12:00:00+02:00"),
        ("monday 12", "2026-11-30T12:00:00+02:00"),
        ("2pm tomorrow", "2026-11-24T14:00:00+02:00"),
        ("9:30am tomorrow", "2026-11-24T09:30:00+02:00"),
        ("tomorrow 9:30 pm", "2026-11-24T21:30:00+02:00"),
        ("tomorrow 12pm", "2026-11-24T12:00:00+02:00"),
        ("tomorrow 9.30am", "2026-11-24T09:30:00+02:00"),
        ("at 14", "2026-11-23T14:00:00+02:00"),
    ]);
    refused(&[
        ("9:00", Kind::Past),
        ("10:30", Kind::Past),
        ("9am", Kind::Past),
        ("12", Kind::NotUnderstood),
        ("friday 2", Kind::Ambiguous),
    ]);
    says(MON, "9:00", &["\"tomorrow 09:00\""]);
}

#[test]
fn rule_7_vague_phrases_are_refused_with_a_concrete_alternative() {
    for phrase in [
        "asap",
        "ASAP",
        "a.s.a.p.",
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
        "sometime next week",
        "early next week",
        "next month",
        "in a few days",
        "in a couple of days",
        "eventually",
        "tbd",
        "in a bit",
    ] {
        let e = at_with(MON, phrase, &deadline()).unwrap_err();
        assert_eq!(e.kind, Kind::Vague, "{phrase}: {e}");
        assert!(e.hint.is_some(), "{phrase} has no hint");
    }
    says(MON, "asap", &["\"today 16:00\"", "\"tomorrow 12:00\""]);
    says(MON, "next week", &["\"friday next week\""]);
    says(MON, "in a few days", &["\"in 3 days\""]);
}

#[test]
fn rule_8_past_deadlines_and_the_nearer_reading_of_a_yearless_date() {
    refused(&[
        ("yesterday", Kind::Past),
        ("2026-11-20 12:00", Kind::Past),
        ("Nov 20", Kind::Past),
        ("1.11.", Kind::Past),
        // 34 days back is nearer than 331 days ahead: past, not next year.
        ("Oct 20", Kind::Past),
        ("Oct 1", Kind::Past),
        ("Jun 1", Kind::Past),
        ("23.11. 9:00", Kind::Past),
    ]);
    says(MON, "Oct 20", &["20 Oct 2027"]);
    says(MON, "Oct 20 14:00", &["20 Oct 2027 14:00"]);
    accepted(&[
        ("Jan 5", "2027-01-05T16:00:00+02:00"),
        ("Dec 3 14:00", "2026-12-03T14:00:00+02:00"),
        ("23.11. 12:00", "2026-11-23T12:00:00+02:00"),
        ("23.11.", "2026-11-23T16:00:00+02:00"),
        // 178 days ahead is nearer than 187 days back.
        ("May 20", "2027-05-20T16:00:00+03:00"),
        ("May 1", "2027-05-01T16:00:00+03:00"),
    ]);
    refused_at(JAN_31, &[("Dec 31", Kind::Past), ("31.12.", Kind::Past)]);
    accepted_at(JAN_31, &[("Feb 1", "2027-02-01T16:00:00+02:00")]);
    // A date that does not exist in the year chosen is invalid, never moved to another year.
    refused(&[("Feb 29", Kind::Impossible), ("29.2.", Kind::Impossible)]);
    says(MON, "Feb 29", &["2027", "29.2.2028"]);
    accepted_at(
        "2027-12-01T10:00:00+02:00",
        &[("Feb 29", "2028-02-29T16:00:00+02:00")],
    );
    let allow = Options {
        allow_past: true,
        ..deadline()
    };
    assert_eq!(
        at_with(MON, "yesterday 15:30", &allow).unwrap(),
        "2026-11-22T15:30:00+02:00"
    );
    assert_eq!(
        at_with(MON, "9:00", &allow).unwrap(),
        "2026-11-23T09:00:00+02:00"
    );
    assert_eq!(
        at_with(MON, "Oct 20", &allow).unwrap(),
        "2026-10-20T16:00:00+03:00"
    );
    // A command without --allow-past does not offer it.
    let slip = Options {
        offers_allow_past: false,
        ..deadline()
    };
    let e = at_with(MON, "2026-11-20 12:00", &slip)
        .unwrap_err()
        .to_string();
    assert!(!e.contains("--allow-past"), "{e}");
}

#[test]
fn rule_9_numeric_and_month_name_dates() {
    accepted(&[
        ("2026-11-25 14:00", "2026-11-25T14:00:00+02:00"),
        ("2026-11-25T14:00", "2026-11-25T14:00:00+02:00"),
        ("25.11.2026 14:00", "2026-11-25T14:00:00+02:00"),
        ("25.11.26 14:00", "2026-11-25T14:00:00+02:00"),
        ("25.11. 14:00", "2026-11-25T14:00:00+02:00"),
        ("25/11/2026", "2026-11-25T16:00:00+02:00"),
        ("25/11", "2026-11-25T16:00:00+02:00"),
        ("Dec 3 14:00", "2026-12-03T14:00:00+02:00"),
        ("Dec. 3", "2026-12-03T16:00:00+02:00"),
        ("3 December 2pm", "2026-12-03T14:00:00+02:00"),
        ("3 Dec", "2026-12-03T16:00:00+02:00"),
        ("December 3rd", "2026-12-03T16:00:00+02:00"),
        ("3rd of december", "2026-12-03T16:00:00+02:00"),
        ("the 3rd of December at 10:00", "2026-12-03T10:00:00+02:00"),
        ("December the 3rd", "2026-12-03T16:00:00+02:00"),
        ("dec 3 2027", "2027-12-03T16:00:00+02:00"),
        ("December 3rd, 2027", "2027-12-03T16:00:00+02:00"),
        ("3 sept 2027", "2027-09-03T16:00:00+03:00"),
        ("by tuesday at 14:00", "2026-11-24T14:00:00+02:00"),
        ("on Tue. 2 p.m.", "2026-11-24T14:00:00+02:00"),
        ("tuesday, 14:00", "2026-11-24T14:00:00+02:00"),
        ("2026-11-25T14:00:00+02:00", "2026-11-25T14:00:00+02:00"),
        ("2026-11-25T12:00:00Z", "2026-11-25T14:00:00+02:00"),
        ("in 90min", "2026-11-23T12:00:00+02:00"),
        ("in 2h", "2026-11-23T12:30:00+02:00"),
        // A weekday that agrees with the date, as in an email's "Tue, 24 Nov 14:00".
        ("Tue, 24 Nov 14:00", "2026-11-24T14:00:00+02:00"),
        ("Friday 27.11. 14:00", "2026-11-27T14:00:00+02:00"),
    ]);
    refused(&[
        ("Thursday 27.11. 14:00", Kind::Impossible),
        ("13/25", Kind::Impossible),
        ("11/25/2026", Kind::Impossible),
    ]);
    says(MON, "11/25/2026", &["day first", "\"25.11.\""]);
}

#[test]
fn rule_10_dst_gaps_are_refused_overlaps_take_the_first_and_days_are_calendar_days() {
    // Helsinki springs forward 2027-03-28 03:00 → 04:00 and falls back 2027-10-31 04:00 → 03:00.
    refused(&[("2027-03-28 03:30", Kind::Nonexistent)]);
    says(MON, "2027-03-28 03:30", &["04:30"]);
    accepted(&[
        ("2027-10-31 03:30", "2027-10-31T03:30:00+03:00"),
        ("in 125 days", "2027-03-28T16:00:00+03:00"),
        ("2027-03-28 04:00", "2027-03-28T04:00:00+03:00"),
    ]);
    accepted_at(
        "2027-03-27T10:00:00+02:00",
        &[
            ("in 2 days", "2027-03-29T16:00:00+03:00"),
            ("in 24 hours", "2027-03-28T11:00:00+03:00"),
            ("tomorrow 04:30", "2027-03-28T04:30:00+03:00"),
        ],
    );
    refused_at(
        "2027-03-27T10:00:00+02:00",
        &[("tomorrow 3:30am", Kind::Nonexistent)],
    );
}

#[test]
fn rule_11_leftovers_and_impossible_values_reject_the_whole_phrase() {
    refused(&[
        ("friday 2pm banana", Kind::NotUnderstood),
        ("banana", Kind::NotUnderstood),
        ("friday please", Kind::NotUnderstood),
        ("25:00", Kind::Impossible),
        ("tomorrow 25:00", Kind::Impossible),
        ("31.11.", Kind::Impossible),
        ("2026-02-30", Kind::Impossible),
        ("tomorrow 14:60", Kind::Impossible),
        ("13pm", Kind::Impossible),
        ("0am", Kind::Impossible),
        ("december", Kind::NotUnderstood),
        ("friday tomorrow", Kind::Impossible),
        ("14:00 15:00", Kind::NotUnderstood),
        ("tomorrow friday monday", Kind::NotUnderstood),
        ("", Kind::Empty),
        ("by", Kind::Empty),
        ("a h\u{0}2vvvvvvvvvvvvvvvo", Kind::NotUnderstood),
        ("in 2 hoursssssssssssssssss", Kind::NotUnderstood),
        ("in 2hhhhhhhhhhhhhhhhhhhhh", Kind::NotUnderstood),
        ("in 99999999999 days", Kind::NotUnderstood),
        ("in 999999999 days", Kind::Impossible),
        ("10000-01-01", Kind::NotUnderstood),
        ("1.2.3.4", Kind::NotUnderstood),
        ("(in 2 days", Kind::NotUnderstood),
        ("in 2 hours ago", Kind::NotUnderstood),
        ("14:00-16:00", Kind::NotUnderstood),
        ("friday or saturday", Kind::NotUnderstood),
        ("11/27", Kind::Impossible),
    ]);
    says(MON, "friday 2pm banana", &["banana"]);
}

#[test]
fn rule_12_units_are_an_exact_list() {
    accepted(&[
        ("in 1 min", "2026-11-23T10:31:00+02:00"),
        ("in 3 mins", "2026-11-23T10:33:00+02:00"),
        ("in 45 minutes", "2026-11-23T11:15:00+02:00"),
        ("in 1 hr", "2026-11-23T11:30:00+02:00"),
        ("2 hrs", "2026-11-23T12:30:00+02:00"),
        ("2 h", "2026-11-23T12:30:00+02:00"),
        ("3 d", "2026-11-26T16:00:00+02:00"),
        ("in 2 wks", "2026-12-07T16:00:00+02:00"),
        ("1 wk", "2026-11-30T16:00:00+02:00"),
        ("2 w", "2026-12-07T16:00:00+02:00"),
        ("fortnight", "2026-12-07T16:00:00+02:00"),
        ("in a fortnight", "2026-12-07T16:00:00+02:00"),
        ("in 2 months", "2027-01-23T16:00:00+02:00"),
        ("in 1 mo", "2026-12-23T16:00:00+02:00"),
        ("1 mth", "2026-12-23T16:00:00+02:00"),
        ("in 1 year", "2027-11-23T16:00:00+02:00"),
        ("2 yrs", "2028-11-23T16:00:00+02:00"),
        ("1y", "2027-11-23T16:00:00+02:00"),
        // Compact forms.
        ("2h", "2026-11-23T12:30:00+02:00"),
        ("3h", "2026-11-23T13:30:00+02:00"),
        ("90min", "2026-11-23T12:00:00+02:00"),
        ("3d", "2026-11-26T16:00:00+02:00"),
        ("2w", "2026-12-07T16:00:00+02:00"),
        ("2wks", "2026-12-07T16:00:00+02:00"),
        ("1h30m", "2026-11-23T12:00:00+02:00"),
        ("in 1h30m", "2026-11-23T12:00:00+02:00"),
        ("2.5h", "2026-11-23T13:00:00+02:00"),
        // Halves and compounds.
        ("half an hour", "2026-11-23T11:00:00+02:00"),
        ("in half an hour", "2026-11-23T11:00:00+02:00"),
        ("an hour and a half", "2026-11-23T12:00:00+02:00"),
        ("in an hour and a half", "2026-11-23T12:00:00+02:00"),
        ("1.5 hours", "2026-11-23T12:00:00+02:00"),
        ("2.5 hours", "2026-11-23T13:00:00+02:00"),
        ("1 hour 30 minutes", "2026-11-23T12:00:00+02:00"),
        ("1 hour and 30 minutes", "2026-11-23T12:00:00+02:00"),
        ("2 hours and a half", "2026-11-23T13:00:00+02:00"),
        // Working days, Monday to Friday.
        ("in 3 business days", "2026-11-26T16:00:00+02:00"),
        ("3 working days", "2026-11-26T16:00:00+02:00"),
        ("in 2 weekdays", "2026-11-25T16:00:00+02:00"),
        ("in 5 working days", "2026-11-30T16:00:00+02:00"),
        ("within 3 business days", "2026-11-26T16:00:00+02:00"),
        ("next business day", "2026-11-24T16:00:00+02:00"),
        // "within", "from now", "time".
        ("within 24 hours", "2026-11-24T10:30:00+02:00"),
        ("within 2 days", "2026-11-25T16:00:00+02:00"),
        ("within the next 2 hours", "2026-11-23T12:30:00+02:00"),
        ("2 days from now", "2026-11-25T16:00:00+02:00"),
        ("3 hours from now", "2026-11-23T13:30:00+02:00"),
        ("in 2 weeks' time", "2026-12-07T16:00:00+02:00"),
        ("in 2 weeks time", "2026-12-07T16:00:00+02:00"),
        ("a week's time", "2026-11-30T16:00:00+02:00"),
        ("in a week's time", "2026-11-30T16:00:00+02:00"),
        ("12 midday", "2026-11-23T12:00:00+02:00"),
    ]);
    accepted_at(
        SAT,
        &[
            ("1 working day", "2026-11-30T16:00:00+02:00"),
            ("in 2 business days", "2026-12-01T16:00:00+02:00"),
        ],
    );
    accepted_at(
        FRI_EVENING,
        &[("in 1 business day", "2026-11-30T16:00:00+02:00")],
    );
    // The same day of the month, clamped to the month's last day.
    accepted_at(JAN_31, &[("in 1 month", "2027-02-28T16:00:00+02:00")]);
    refused(&[
        ("5 hotels", Kind::NotUnderstood),
        ("in 2 mondays", Kind::NotUnderstood),
        ("in 3 hou", Kind::NotUnderstood),
        ("in 2 hourss", Kind::NotUnderstood),
        ("in a moment", Kind::Vague),
        ("in a minute", Kind::Vague),
        ("90m", Kind::Ambiguous),
        ("in 2m", Kind::Ambiguous),
        ("in 30 seconds", Kind::NotUnderstood),
        ("in 30s", Kind::NotUnderstood),
        ("1.5 days", Kind::NotUnderstood),
        ("in 1.5 weeks", Kind::NotUnderstood),
        ("in 2 days and 3 hours", Kind::NotUnderstood),
        ("in 2 business days and 1 day", Kind::NotUnderstood),
        ("week", Kind::NotUnderstood),
    ]);
    says(MON, "90m", &["minutes or months", "\"90 min\""]);
}

#[test]
fn rule_13_day_and_time_words() {
    accepted(&[
        ("day after tomorrow", "2026-11-25T16:00:00+02:00"),
        ("the day after tomorrow", "2026-11-25T16:00:00+02:00"),
        ("day after tomorrow 10:00", "2026-11-25T10:00:00+02:00"),
        ("midday", "2026-11-23T12:00:00+02:00"),
        ("12 noon", "2026-11-23T12:00:00+02:00"),
        ("12noon", "2026-11-23T12:00:00+02:00"),
        ("12 midday", "2026-11-23T12:00:00+02:00"),
        ("1400", "2026-11-23T14:00:00+02:00"),
        ("tomorrow 0900", "2026-11-24T09:00:00+02:00"),
        ("monday 0930", "2026-11-30T09:30:00+02:00"),
        ("14:00h", "2026-11-23T14:00:00+02:00"),
        ("tomorrow 16h", "2026-11-24T16:00:00+02:00"),
        ("friday 9h", "2026-11-27T09:00:00+02:00"),
        ("2p.m.", "2026-11-23T14:00:00+02:00"),
        ("2 P.M.", "2026-11-23T14:00:00+02:00"),
        ("11 a.m. tomorrow", "2026-11-24T11:00:00+02:00"),
        ("tomorrow 00:00", "2026-11-24T00:00:00+02:00"),
        ("12pm", "2026-11-23T12:00:00+02:00"),
        ("friday 14", "2026-11-27T14:00:00+02:00"),
        ("friday 23", "2026-11-27T23:00:00+02:00"),
        ("tomorrow at 15", "2026-11-24T15:00:00+02:00"),
        ("tmrw", "2026-11-24T16:00:00+02:00"),
        ("tmr 10am", "2026-11-24T10:00:00+02:00"),
        ("end of the week", "2026-11-27T16:00:00+02:00"),
    ]);
    refused(&[
        ("12 midnight", Kind::Ambiguous),
        ("12am", Kind::Ambiguous),
        ("friday 9", Kind::Ambiguous),
        ("friday 0", Kind::Ambiguous),
        ("friday 11", Kind::Ambiguous),
        ("tomorrow at 9", Kind::Ambiguous),
        ("in a minute", Kind::Vague),
        ("in a moment", Kind::Vague),
        ("tomorrow morning", Kind::NotUnderstood),
        ("tonight", Kind::NotUnderstood),
        ("friday afternoon", Kind::NotUnderstood),
        ("friday 930", Kind::NotUnderstood),
        ("friday 2575", Kind::NotUnderstood),
    ]);
    says(MON, "friday 9", &["\"friday 09:00\"", "\"friday 21:00\""]);
    says(
        MON,
        "tomorrow at 9",
        &["\"tomorrow at 09:00\"", "\"tomorrow at 21:00\""],
    );
    says(MON, "tomorrow morning", &["\"tomorrow 9:00\""]);
}

#[test]
fn rule_14_day_month_or_hours_minutes() {
    refused(&[
        ("15.12", Kind::Ambiguous),
        ("3.12", Kind::Ambiguous),
        ("11.12", Kind::Ambiguous),
        ("23.11", Kind::Ambiguous),
        ("tuesday 15.12", Kind::Ambiguous),
        ("by 15.12", Kind::Ambiguous),
    ]);
    says(
        MON,
        "15.12",
        &["15 December", "15:12", "\"15.12.\"", "\"klo 15.12\""],
    );
    // Said at 01:00 "3.12" is no nearer to being a time: both readings are shown.
    refused_at(EARLY, &[("3.12", Kind::Ambiguous)]);
    says(EARLY, "3.12", &["\"3.12.\"", "\"03:12\""]);
    accepted(&[
        ("15.12.", "2026-12-15T16:00:00+02:00"),
        ("15.12.2026", "2026-12-15T16:00:00+02:00"),
        ("klo 15.12", "2026-11-23T15:12:00+02:00"),
        ("kello 15.12", "2026-11-23T15:12:00+02:00"),
        ("at 15.12", "2026-11-23T15:12:00+02:00"),
        ("15:12", "2026-11-23T15:12:00+02:00"),
        ("14.00", "2026-11-23T14:00:00+02:00"),
        ("16.45", "2026-11-23T16:45:00+02:00"),
        ("24.11", "2026-11-24T16:00:00+02:00"),
        ("31.12", "2026-12-31T16:00:00+02:00"),
        ("15.12 14:00", "2026-12-15T14:00:00+02:00"),
        ("14:00 15.12", "2026-12-15T14:00:00+02:00"),
        // 15 Dec 2026 is a Tuesday, so beside "friday" 15.12 can only be a time.
        ("friday 15.12", "2026-11-27T15:12:00+02:00"),
        ("tomorrow 15.12", "2026-11-24T15:12:00+02:00"),
        ("friday 14.30.", "2026-11-27T14:30:00+02:00"),
        // Day-first with "-" and "/", year first meaning ISO order.
        ("24-11-2026", "2026-11-24T16:00:00+02:00"),
        ("3/12", "2026-12-03T16:00:00+02:00"),
        ("2026/12/03", "2026-12-03T16:00:00+02:00"),
        ("2026.12.03", "2026-12-03T16:00:00+02:00"),
        ("2026-12-03.", "2026-12-03T16:00:00+02:00"),
        ("3/12/2026.", "2026-12-03T16:00:00+02:00"),
    ]);
    refused(&[
        ("25.13", Kind::Impossible),
        ("klo 25.00", Kind::NotUnderstood),
    ]);
}

#[test]
fn rule_15_fillers() {
    accepted(&[
        ("no later than friday 12:00", "2026-11-27T12:00:00+02:00"),
        ("not later than friday 12:00", "2026-11-27T12:00:00+02:00"),
        ("by no later than friday 12:00", "2026-11-27T12:00:00+02:00"),
        ("friday 12:00 at the latest", "2026-11-27T12:00:00+02:00"),
        ("friday 12:00 latest", "2026-11-27T12:00:00+02:00"),
        ("latest by friday 12:00", "2026-11-27T12:00:00+02:00"),
        ("deadline friday 12:00", "2026-11-27T12:00:00+02:00"),
        ("due friday 12:00", "2026-11-27T12:00:00+02:00"),
        ("due by friday", "2026-11-27T16:00:00+02:00"),
        ("until friday 12:00", "2026-11-27T12:00:00+02:00"),
        ("till friday", "2026-11-27T16:00:00+02:00"),
        ("by friday, 12:00!", "2026-11-27T12:00:00+02:00"),
        ("friday 2pm.", "2026-11-27T14:00:00+02:00"),
        ("on friday at 2pm.", "2026-11-27T14:00:00+02:00"),
        ("@ 14:00", "2026-11-23T14:00:00+02:00"),
        ("friday @ 2pm", "2026-11-27T14:00:00+02:00"),
        ("friday@2pm", "2026-11-27T14:00:00+02:00"),
        ("before friday 12:00", "2026-11-27T12:00:00+02:00"),
        ("before 14:00", "2026-11-23T14:00:00+02:00"),
        ("before eod friday", "2026-11-27T16:00:00+02:00"),
        ("before the end of the week", "2026-11-27T16:00:00+02:00"),
        ("before the end of the month", "2026-11-30T16:00:00+02:00"),
    ]);
    refused(&[
        ("before friday", Kind::Ambiguous),
        ("before tomorrow", Kind::Ambiguous),
        ("before the 3rd", Kind::Ambiguous),
        ("before in 2 days", Kind::NotUnderstood),
    ]);
    says(
        MON,
        "before friday",
        &["Thu 26 Nov", "Fri 27 Nov", "\"thursday\"", "\"friday\""],
    );
}

#[test]
fn rule_16_weekday_with_a_date_ordinals_and_friday_week() {
    accepted(&[
        ("Friday 27th", "2026-11-27T16:00:00+02:00"),
        ("Fri 27 Nov", "2026-11-27T16:00:00+02:00"),
        ("friday 27.11.", "2026-11-27T16:00:00+02:00"),
        (
            "friday, 27 november 2026 12:00",
            "2026-11-27T12:00:00+02:00",
        ),
        ("tue 1 dec 14:00", "2026-12-01T14:00:00+02:00"),
        // The date settles which Friday "next friday" was.
        ("next friday 4.12.", "2026-12-04T16:00:00+02:00"),
        ("the 3rd", "2026-12-03T16:00:00+02:00"),
        ("3rd", "2026-12-03T16:00:00+02:00"),
        ("on the 3rd at 10:00", "2026-12-03T10:00:00+02:00"),
        ("the 30th", "2026-11-30T16:00:00+02:00"),
        ("the 1st", "2026-12-01T16:00:00+02:00"),
        ("the 31st", "2026-12-31T16:00:00+02:00"),
        ("the 24th 9:00", "2026-11-24T09:00:00+02:00"),
        ("friday week", "2026-12-04T16:00:00+02:00"),
        ("friday week 12:00", "2026-12-04T12:00:00+02:00"),
        ("tomorrow, tuesday", "2026-11-24T16:00:00+02:00"),
    ]);
    refused(&[
        ("Thursday 27th", Kind::Impossible),
        ("Thu 27 Nov", Kind::Impossible),
        ("the 23rd", Kind::Ambiguous),
        ("friday tomorrow", Kind::Impossible),
    ]);
    says(
        MON,
        "Thursday 27th",
        &["27 Nov 2026 is a Friday", "Thu 26 Nov"],
    );
    says(MON, "the 23rd", &["today", "23.12."]);
    // Said on a Saturday, "friday week" is still the Friday of next week.
    accepted_at(SAT, &[("friday week", "2026-12-04T16:00:00+02:00")]);
}

#[test]
fn rule_17_ends_of_periods() {
    accepted(&[
        ("eow", "2026-11-27T16:00:00+02:00"),
        ("end of week", "2026-11-27T16:00:00+02:00"),
        ("end of this week", "2026-11-27T16:00:00+02:00"),
        ("by the end of the week", "2026-11-27T16:00:00+02:00"),
        ("eow 12:00", "2026-11-27T12:00:00+02:00"),
        ("end of next week", "2026-12-04T16:00:00+02:00"),
        ("eom", "2026-11-30T16:00:00+02:00"),
        ("end of month", "2026-11-30T16:00:00+02:00"),
        ("end of the month", "2026-11-30T16:00:00+02:00"),
        ("by the end of the month", "2026-11-30T16:00:00+02:00"),
        ("end of next month", "2026-12-31T16:00:00+02:00"),
    ]);
    accepted_at(FRI_AFTERNOON, &[("eow", "2026-11-27T16:00:00+02:00")]);
    accepted_at(
        FRI_EVENING,
        &[
            ("eow", "2026-12-04T16:00:00+02:00"),
            ("end of week", "2026-12-04T16:00:00+02:00"),
            ("end of next week", "2026-12-04T16:00:00+02:00"),
        ],
    );
    accepted_at(
        SAT,
        &[
            ("eow", "2026-12-04T16:00:00+02:00"),
            ("end of the week", "2026-12-04T16:00:00+02:00"),
        ],
    );
    accepted_at(
        MONTH_END,
        &[
            ("eom", "2026-12-31T16:00:00+02:00"),
            ("end of month", "2026-12-31T16:00:00+02:00"),
        ],
    );
    // 31 January 2027 is a Sunday: January's last working day has passed; February's is the 26th.
    accepted_at(JAN_31, &[("eom", "2027-02-26T16:00:00+02:00")]);
    accepted_at(
        "2027-01-05T10:00:00+02:00",
        &[("eom", "2027-01-29T16:00:00+02:00")],
    );
}

#[test]
fn rule_18_this_weekday_said_on_that_day_is_ambiguous() {
    refused(&[("this monday", Kind::Ambiguous)]);
    says(
        MON,
        "this monday",
        &[
            "Mon 23 Nov",
            "Mon 30 Nov",
            "\"today\"",
            "\"monday next week\"",
        ],
    );
    refused_at(FRI_AFTERNOON, &[("this friday", Kind::Ambiguous)]);
    accepted(&[
        ("this tuesday", "2026-11-24T16:00:00+02:00"),
        ("monday", "2026-11-30T16:00:00+02:00"),
    ]);
}

#[test]
fn rule_19_typos_are_never_guessed_but_named() {
    for (typo, meant) in [
        ("tommorrow", "tomorrow"),
        ("tommorow", "tomorrow"),
        ("tomorow", "tomorrow"),
        ("thrusday", "thursday"),
        ("wendesday 14:00", "wednesday"),
        ("fridya", "friday"),
        ("in 2 huors", "hours"),
        ("decmber 3", "december"),
    ] {
        let e = at_with(MON, typo, &deadline()).unwrap_err();
        assert_eq!(e.kind, Kind::NotUnderstood, "{typo}");
        assert!(
            e.to_string().contains(&format!("did you mean \"{meant}\"")),
            "{typo}: {e}"
        );
    }
}

#[test]
fn rule_20_hints_point_at_the_reading_meant_and_are_grammatical() {
    says(MON, "9:00", &["\"tomorrow 09:00\""]);
    says(MON, "today 9:00", &["\"tomorrow 09:00\""]);
    says(SAT, "friday this week", &["\"friday next week\""]);
    says(MON, "Jun 1", &["\"1 Jun 2027\""]);
    says(MON, "13pm", &["\"13:00\""]);
    // Every hint is a phrase the grammar accepts, or names the reading in words.
    for phrase in [
        "9:00",
        "friday 9",
        "next friday",
        "this monday",
        "Oct 20",
        "15.12",
        "before friday",
        "midnight",
    ] {
        let e = at_with(MON, phrase, &deadline()).unwrap_err();
        let hint = e.hint.unwrap_or_default();
        let quoted: Vec<&str> = hint.split('"').skip(1).step_by(2).collect();
        assert!(!quoted.is_empty(), "{phrase}: {hint}");
        for q in quoted {
            assert!(
                at_with(MON, q, &deadline()).is_ok() || q == "today",
                "hint {q:?} for {phrase:?} is not itself a deadline"
            );
        }
    }
}

#[test]
fn the_past_tense_reads_weekdays_backwards_and_refuses_the_future() {
    let cases = [
        ("yesterday 15:30", "2026-11-22T15:30:00+02:00"),
        ("friday 15:00", "2026-11-20T15:00:00+02:00"),
        ("last friday 15:00", "2026-11-20T15:00:00+02:00"),
        ("9:00", "2026-11-23T09:00:00+02:00"),
        ("today 9:30", "2026-11-23T09:30:00+02:00"),
        ("2 hours ago", "2026-11-23T08:30:00+02:00"),
        ("3 days ago", "2026-11-20T16:00:00+02:00"),
        ("Nov 20 12:00", "2026-11-20T12:00:00+02:00"),
        ("20.11. 12:00", "2026-11-20T12:00:00+02:00"),
        ("eilen klo 15", "2026-11-22T15:00:00+02:00"),
        ("the 20th", "2026-11-20T16:00:00+02:00"),
    ];
    for (phrase, want) in cases {
        assert_eq!(at_with(MON, phrase, &past()).unwrap(), want, "{phrase}");
    }
    assert_eq!(
        at_with(MON, "tomorrow", &past()).unwrap_err().kind,
        Kind::Future
    );
    assert_eq!(
        at_with(MON, "in 2 hours", &past()).unwrap_err().kind,
        Kind::Future
    );
}

#[test]
fn a_customer_zone_resolves_in_that_zone() {
    let ny = Zone::named("America/New_York").unwrap();
    let t = resolve("tuesday 14:00", instant(MON), &ny, &deadline()).unwrap();
    assert_eq!(t.to_rfc3339(), "2026-11-24T14:00:00-05:00");
    let t = resolve("tuesday 14:00 est", instant(MON), &ny, &deadline()).unwrap();
    assert_eq!(t.to_rfc3339(), "2026-11-24T14:00:00-05:00");
}

#[test]
fn the_echo_s_zone_and_remark_are_checked_not_skipped() {
    accepted(&[
        (
            "Tuesday 24 November 2026 at 14:00 EET",
            "2026-11-24T14:00:00+02:00",
        ),
        (
            "Tuesday 24 November 2026 at 14:00 EET (in 1 day, 3 hours)",
            "2026-11-24T14:00:00+02:00",
        ),
        (
            "friday 12:00 (in 4 days, 1 hour)",
            "2026-11-27T12:00:00+02:00",
        ),
    ]);
    refused(&[
        ("Tuesday 24 November 2026 at 14:00 EEST", Kind::Impossible),
        ("tuesday 14:00 est", Kind::Impossible),
        ("friday 12:00 (in 2 days)", Kind::Impossible),
        ("friday 12:00 (banana)", Kind::NotUnderstood),
    ]);
    // A deadline in a customer's zone is echoed with the zone and the user's own time.
    let ny = Zone::named("America/New_York").unwrap();
    let home = Options {
        home: Some(helsinki()),
        ..deadline()
    };
    let read =
        |phrase: &str, o: &Options| resolve(phrase, instant(MON), &ny, o).map(|t| t.to_rfc3339());
    let echo = "Friday 27 November 2026 at 22:00 EST (in 4 days, 18 hours)\n\
                (America/New_York; Sat 28 Nov 05:00 EET here)";
    assert_eq!(read(echo, &home).unwrap(), "2026-11-27T22:00:00-05:00");
    for wrong in [
        "Friday 27 November 2026 at 22:00 EST (America/New_York; Sat 28 Nov 06:00 EET here)",
        "Friday 27 November 2026 at 22:00 EST (America/New_York; 05:00 EET here)",
        "Friday 27 November 2026 at 22:00 EST (Europe/Paris; Sat 28 Nov 05:00 EET here)",
    ] {
        assert_eq!(
            read(wrong, &home).unwrap_err().kind,
            Kind::Impossible,
            "{wrong}"
        );
    }
    // Without the user's zone there is nothing to check "here" against: refused, not skipped.
    assert!(read(echo, &deadline()).is_err());
    // In the hour that repeats when the clocks go back, the abbreviation picks the occurrence.
    accepted_at(
        "2027-10-31T03:10:00+03:00",
        &[
            ("in 1 hour", "2027-10-31T03:10:00+02:00"),
            (
                "Sunday 31 October 2027 at 03:10 EET",
                "2027-10-31T03:10:00+02:00",
            ),
            (
                "Sunday 31 October 2027 at 03:40 EEST",
                "2027-10-31T03:40:00+03:00",
            ),
        ],
    );
}

#[test]
fn a_four_digit_number_after_a_date_is_a_year_only_when_it_can_be_one() {
    accepted(&[
        ("3 December 2027", "2027-12-03T16:00:00+02:00"),
        ("3 December 1400", "2026-12-03T14:00:00+02:00"),
    ]);
}

#[test]
fn a_part_of_the_day_picks_the_half_of_a_bare_hour() {
    accepted(&[
        ("tomorrow morning at 9", "2026-11-24T09:00:00+02:00"),
        ("tomorrow morning 9:30", "2026-11-24T09:30:00+02:00"),
        ("tonight at 8", "2026-11-23T20:00:00+02:00"),
        ("11:59 pm tonight", "2026-11-23T23:59:00+02:00"),
        ("this afternoon at 3", "2026-11-23T15:00:00+02:00"),
        ("friday evening 7pm", "2026-11-27T19:00:00+02:00"),
        ("friday at 7 in the evening", "2026-11-27T19:00:00+02:00"),
        ("huomenna aamulla klo 9", "2026-11-24T09:00:00+02:00"),
        ("perjantaina illalla klo 20", "2026-11-27T20:00:00+02:00"),
    ]);
    refused(&[
        ("tomorrow morning 14:00", Kind::Impossible),
        ("tomorrow morning at 3", Kind::Impossible),
        ("tomorrow morning", Kind::NotUnderstood),
        ("tonight", Kind::NotUnderstood),
    ]);
    says(MON, "tomorrow morning 14:00", &["\"tomorrow 14:00\""]);
    says(MON, "tonight", &["\"today 20:00\""]);
}

#[test]
fn a_duration_counted_from_a_day() {
    accepted(&[
        ("a week from today", "2026-11-30T16:00:00+02:00"),
        ("a week from tomorrow", "2026-12-01T16:00:00+02:00"),
        ("a week from friday", "2026-12-04T16:00:00+02:00"),
        ("two weeks from monday 10:00", "2026-12-14T10:00:00+02:00"),
        ("3 days from friday", "2026-11-30T16:00:00+02:00"),
        ("2 business days from friday", "2026-12-01T16:00:00+02:00"),
    ]);
    refused(&[
        ("2 hours from friday", Kind::NotUnderstood),
        ("a week from", Kind::NotUnderstood),
        ("in a week from friday", Kind::NotUnderstood),
    ]);
}
