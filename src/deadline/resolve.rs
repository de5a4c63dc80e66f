//! Structure → instant: the calendar rules of SPEC section 2, given `now` and a zone.

use chrono::offset::LocalResult;
use chrono::{Datelike, Days, Duration, Months, NaiveDate, NaiveDateTime, Weekday};
use interim::Interval;

use super::grammar::{DateSpec, Parsed, TimeSpec, Which};
use super::{Error, Kind, Options, Tense};
use crate::model::Instant;
use crate::zone::Zone;

/// A yearless date this close behind today is refused rather than moved to next year: it is more
/// likely a mistake than a deadline eleven months away.
const RECENT_DAYS: i64 = 30;

pub fn resolve(
    phrase: &str,
    p: &Parsed,
    now: Instant,
    zone: &Zone,
    o: &Options,
) -> Result<Instant, Error> {
    let err = |kind, reason: String, hint: Option<String>| Error {
        phrase: phrase.to_string(),
        kind,
        reason,
        hint,
    };
    let local_now = zone.localise(&now);
    let today = local_now.date_naive();

    if let Some(Interval::Seconds(s)) = p.offset {
        let t = now + Duration::seconds(i64::from(s));
        return check_tense(phrase, t, now, zone, o);
    }

    let date = match (&p.offset, &p.date) {
        (Some(Interval::Days(d)), _) => add_days(today, i64::from(*d)),
        (Some(Interval::Months(m)), _) => add_months(today, i64::from(*m)),
        (_, Some(spec)) => Some(date_of(phrase, spec, today, o)?),
        (_, None) => Some(today),
    }
    .ok_or_else(|| {
        err(
            Kind::Impossible,
            "that date is outside the calendar".into(),
            None,
        )
    })?;

    let time = match p.time {
        Some(TimeSpec::At(t)) => t,
        Some(TimeSpec::BareHour(h)) => {
            chrono::NaiveTime::from_hms_opt(h, 0, 0).expect("hour checked by the grammar")
        }
        Some(TimeSpec::EndOfDay) | None => o.default_time,
    };
    let local = NaiveDateTime::new(date, time);
    let t = match zone.from_local(&local) {
        LocalResult::Single(t) => t,
        // A time that occurs twice (clocks go back) means its first occurrence.
        LocalResult::Ambiguous(first, _) => first,
        LocalResult::None => {
            return Err(err(
                Kind::Nonexistent,
                format!(
                    "{} does not exist{} (the clocks skip it)",
                    local.format("%a %-d %b %Y %H:%M"),
                    zone.name().map(|n| format!(" in {n}")).unwrap_or_default()
                ),
                Some("an hour later".into()),
            ));
        }
    };
    // A bare time that has passed today names no day: say so and offer tomorrow.
    if p.date.is_none()
        && p.offset.is_none()
        && o.tense == Tense::Future
        && !o.allow_past
        && t <= now
    {
        return Err(err(
            Kind::Past,
            format!("{} today has already passed", time.format("%H:%M")),
            Some(format!("\"tomorrow {}\"", time.format("%H:%M"))),
        ));
    }
    check_tense(phrase, t, now, zone, o)
}

/// Refuses a deadline in the past, or a past moment in the future.
pub fn check_tense(
    phrase: &str,
    t: Instant,
    now: Instant,
    zone: &Zone,
    o: &Options,
) -> Result<Instant, Error> {
    let shown = zone.localise(&t).format("%a %-d %b %Y %H:%M").to_string();
    match o.tense {
        Tense::Future if t <= now && !o.allow_past => Err(Error {
            phrase: phrase.to_string(),
            kind: Kind::Past,
            reason: format!("{shown} is in the past"),
            hint: Some("a later date, or --allow-past to record a past promise".into()),
        }),
        Tense::Past if t > now => Err(Error {
            phrase: phrase.to_string(),
            kind: Kind::Future,
            reason: format!("{shown} has not happened yet"),
            hint: Some("a time up to now, such as \"today 9:30\" or \"yesterday 15:30\"".into()),
        }),
        _ => Ok(t),
    }
}

fn date_of(
    phrase: &str,
    spec: &DateSpec,
    today: NaiveDate,
    o: &Options,
) -> Result<NaiveDate, Error> {
    let err = |kind, reason: String, hint: Option<String>| Error {
        phrase: phrase.to_string(),
        kind,
        reason,
        hint,
    };
    let outside = || {
        err(
            Kind::Impossible,
            "that date is outside the calendar".into(),
            None,
        )
    };
    Ok(match *spec {
        DateSpec::Today => today,
        DateSpec::Tomorrow => add_days(today, 1).ok_or_else(outside)?,
        DateSpec::Yesterday => add_days(today, -1).ok_or_else(outside)?,
        DateSpec::EndOfWeek => {
            let back = today.weekday().num_days_from_monday() as i64;
            add_days(today, 4 - back).ok_or_else(outside)?
        }
        DateSpec::Weekday(day, which) => {
            let after = next_after(today, day);
            let next_week = weekday_of_next_week(today, day);
            match (which, o.tense) {
                (Which::Plain, Tense::Future) => after,
                (Which::Plain, Tense::Past) => latest_on_or_before(today, day),
                (Which::NextWeek, _) => next_week,
                (Which::Last, _) => latest_on_or_before(today - Days::new(1), day),
                (Which::Next, _) if after == next_week => after,
                (Which::Next, _) => {
                    let name = weekday_name(day);
                    return Err(err(
                        Kind::Ambiguous,
                        format!(
                            "\"next {name}\" could mean {} or {}",
                            describe_day(after),
                            describe_day(next_week)
                        ),
                        Some(format!(
                            "\"this {name}\" ({}) or \"{name} next week\" ({})",
                            describe_day(after),
                            describe_day(next_week)
                        )),
                    ));
                }
            }
        }
        DateSpec::Checked(day, ref date) => {
            let resolved = date_of(phrase, date, today, o)?;
            if resolved.weekday() != day {
                return Err(err(
                    Kind::Impossible,
                    format!(
                        "{} is a {}, not a {}",
                        describe_day(resolved),
                        resolved.format("%A"),
                        weekday_name(day)
                    ),
                    Some(format!(
                        "\"{}\" or \"{}\"",
                        resolved.format("%-d.%-m."),
                        weekday_name(day)
                    )),
                ));
            }
            resolved
        }
        DateSpec::Ymd(y, m, d) => {
            NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| no_such_date(phrase, m, d, Some(y)))?
        }
        DateSpec::MonthDay(m, d) => {
            // Validate against a leap year so "29.2." is a real (if rare) date.
            if NaiveDate::from_ymd_opt(2028, m, d).is_none() {
                return Err(no_such_date(phrase, m, d, None));
            }
            let year = today.year();
            match o.tense {
                Tense::Future => {
                    let this_year = NaiveDate::from_ymd_opt(year, m, d);
                    match this_year {
                        Some(date) if date >= today => date,
                        Some(date) if (today - date).num_days() <= RECENT_DAYS && !o.allow_past => {
                            return Err(err(
                                Kind::Past,
                                format!(
                                    "{} was {} days ago",
                                    describe_day(date),
                                    (today - date).num_days()
                                ),
                                Some(format!(
                                    "the year, as in \"{}.{}.{}\", if you mean next year",
                                    d,
                                    m,
                                    year + 1
                                )),
                            ));
                        }
                        Some(date) if o.allow_past && (today - date).num_days() <= RECENT_DAYS => {
                            date
                        }
                        _ => (year + 1..=year + 8)
                            .find_map(|y| NaiveDate::from_ymd_opt(y, m, d))
                            .ok_or_else(outside)?,
                    }
                }
                Tense::Past => (year - 8..=year)
                    .rev()
                    .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
                    .find(|date| *date <= today)
                    .ok_or_else(outside)?,
            }
        }
    })
}

fn no_such_date(phrase: &str, m: u32, d: u32, y: Option<i32>) -> Error {
    let reason = match chrono::Month::try_from(m as u8) {
        Ok(month) if (1..=12).contains(&m) => match y {
            Some(y) => format!("{} {} has no day {d}", month.name(), y),
            None => format!("{} has no day {d}", month.name()),
        },
        _ => format!("there is no month {m}"),
    };
    Error {
        phrase: phrase.to_string(),
        kind: Kind::Impossible,
        reason,
        hint: Some("day first, as in \"25.11.\" or \"25.11.2026\"".into()),
    }
}

fn add_days(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        date.checked_add_days(Days::new(n as u64))
    } else {
        date.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn add_months(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    let months = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
    if n >= 0 {
        date.checked_add_months(months)
    } else {
        date.checked_sub_months(months)
    }
}

/// The next `day` strictly after `today`: "monday" said on a Monday is next week's.
fn next_after(today: NaiveDate, day: Weekday) -> NaiveDate {
    let ahead = (day.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    today + Days::new(if ahead == 0 { 7 } else { ahead as u64 })
}

fn latest_on_or_before(today: NaiveDate, day: Weekday) -> NaiveDate {
    let back = (today.weekday().num_days_from_monday() + 7 - day.num_days_from_monday()) % 7;
    today - Days::new(back as u64)
}

/// `day` in the Monday-to-Sunday week after this one.
fn weekday_of_next_week(today: NaiveDate, day: Weekday) -> NaiveDate {
    let monday = today - Days::new(today.weekday().num_days_from_monday() as u64) + Days::new(7);
    monday + Days::new(day.num_days_from_monday() as u64)
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// "Fri 27 Nov".
pub fn describe_day(date: NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}
