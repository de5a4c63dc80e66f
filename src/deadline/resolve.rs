//! Structure → instant: the calendar rules of SPEC section 2, given `now` and a zone.

use chrono::offset::LocalResult;
use chrono::{
    Datelike, Days, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday,
};

use super::grammar::{DateSpec, DayOrTime, Offset, Parsed, TimeSpec, Which, hm};
use super::words::{self, Lang};
use super::{Error, Kind, Options, Tense};
use crate::model::Instant;
use crate::zone::Zone;

/// The years a deadline may fall in: the store writes four-digit years, and before 1970 no
/// promise was recorded with this tool.
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

struct Ctx<'a> {
    phrase: &'a str,
    p: &'a Parsed,
    now: Instant,
    zone: &'a Zone,
    o: &'a Options,
    today: NaiveDate,
    lang: Lang,
}

pub fn resolve(
    phrase: &str,
    p: &Parsed,
    now: Instant,
    zone: &Zone,
    o: &Options,
) -> Result<Instant, Error> {
    let today = zone.localise(&now).date_naive();
    if !YEARS.contains(&today.year()) {
        return Err(Error {
            phrase: phrase.to_string(),
            kind: Kind::Impossible,
            reason: format!("now ({today}) is outside the years 1970–9999"),
            hint: None,
        });
    }
    let c = Ctx {
        phrase,
        p,
        now,
        zone,
        o,
        today,
        lang: p.lang(),
    };
    let t = c.instant()?;
    c.check_zone(t)?;
    c.check_remark(t)?;
    c.check_here(t)?;
    c.check_tense(t)?;
    Ok(t)
}

impl Ctx<'_> {
    fn err<T>(&self, kind: Kind, reason: String, hint: Option<String>) -> Result<T, Error> {
        Err(Error {
            phrase: self.phrase.to_string(),
            kind,
            reason,
            hint,
        })
    }

    fn outside<T>(&self) -> Result<T, Error> {
        self.err(
            Kind::Impossible,
            format!(
                "that date is outside the years {}–{}",
                YEARS.start(),
                YEARS.end()
            ),
            None,
        )
    }

    fn phrasing(&self) -> &'static words::Phrasing {
        words::phrasing(self.lang)
    }

    fn future(&self) -> bool {
        self.o.tense == Tense::Future
    }

    fn instant(&self) -> Result<Instant, Error> {
        let p = self.p;
        let (date, time) = match p.offset {
            Some(Offset::Exact(seconds)) => {
                let t = Duration::try_seconds(seconds).and_then(|d| self.now.checked_add_signed(d));
                return match t {
                    Some(t) if YEARS.contains(&t.year()) => Ok(t),
                    _ => self.outside(),
                };
            }
            Some(Offset::Calendar {
                years,
                months,
                days,
            }) => {
                let base = self.base()?;
                let date = years
                    .checked_mul(12)
                    .and_then(|m| m.checked_add(months))
                    .and_then(|m| add_months(base, m))
                    .and_then(|d| add_days(d, days));
                (date, self.time_with(p.day_or_time.as_ref())?)
            }
            Some(Offset::WorkingDays(n)) => (
                working_days(self.base()?, n),
                self.time_with(p.day_or_time.as_ref())?,
            ),
            None => return self.dated(),
        };
        let Some(date) = date.filter(|d| YEARS.contains(&d.year())) else {
            return self.outside();
        };
        self.at(date, time)
    }

    /// The day a duration counts from: today, or the day of "a week from friday".
    fn base(&self) -> Result<NaiveDate, Error> {
        match (&self.p.date, self.p.from_date) {
            (Some(spec), true) => self.date_of(spec).map(|(d, _)| d),
            _ => Ok(self.today),
        }
    }

    /// A time of day when the day is already fixed: "15.12" beside a date is the time.
    fn time_with(&self, day_or_time: Option<&DayOrTime>) -> Result<Option<TimeSpec>, Error> {
        Ok(match (self.p.time, day_or_time) {
            (Some(t), _) => Some(t),
            (None, Some(dt)) => Some(self.time_reading(dt)?),
            (None, None) => None,
        })
    }

    /// "15.12" taken as a time; "9.5" has no time reading to take.
    fn time_reading(&self, dt: &DayOrTime) -> Result<TimeSpec, Error> {
        if !dt.exact_time {
            return self.day_or_time_ambiguous(dt);
        }
        Ok(TimeSpec::At(hm(dt.day, dt.month)))
    }

    /// A phrase that names a day (or only a time, meaning today).
    fn dated(&self) -> Result<Instant, Error> {
        let p = self.p;
        let mut date_spec = p.date.clone();
        let mut time = p.time;
        if let Some(dt) = &p.day_or_time {
            let as_date = DateSpec::MonthDay(dt.month, dt.day);
            match (&date_spec, time) {
                // The phrase has its time: N.M is the date.
                (None, Some(_)) => date_spec = Some(as_date),
                (Some(DateSpec::Weekday(day, which)), Some(_)) => {
                    date_spec = Some(DateSpec::Checked(*day, *which, Box::new(as_date)))
                }
                // A weekday that fits only one reading picks it: "friday 15.12" is 15:12,
                // since 15 Dec is not a Friday.
                (Some(DateSpec::Weekday(day, _)), None) => {
                    let fits = self
                        .date_of(&as_date)
                        .is_ok_and(|(d, _)| d.weekday() == *day);
                    if fits {
                        return self.day_or_time_ambiguous(dt);
                    }
                    time = Some(self.time_reading(dt)?);
                }
                (Some(_), None) => time = Some(self.time_reading(dt)?),
                (None, None) => return self.day_or_time_ambiguous(dt),
                (Some(_), Some(_)) => {
                    return self.err(
                        Kind::NotUnderstood,
                        format!("it has a date, a time and \"{}.{}\" too", dt.day, dt.month),
                        Some("one date and one time, such as \"friday 14:00\"".into()),
                    );
                }
            }
        }

        // "before" a moment ("before 14:00", "before the end of the week") is by then; before a
        // day it could be by the day before.
        let moment = matches!(time, Some(TimeSpec::At(_) | TimeSpec::EndOfDay))
            || matches!(
                date_spec,
                Some(DateSpec::EndOfWeek { .. } | DateSpec::EndOfMonth { .. })
            );
        if p.before && !moment {
            return self.before_ambiguous(date_spec.as_ref(), time);
        }
        match date_spec {
            Some(DateSpec::EndOfWeek { next }) => self.end_of(time, next, end_of_week),
            Some(DateSpec::EndOfMonth { next }) => self.end_of(time, next, end_of_month),
            Some(spec) => {
                let (date, yearless) = self.date_of(&spec)?;
                let t = self.at(date, time)?;
                if !self.future() || self.o.allow_past || t > self.now {
                    return Ok(t);
                }
                // Past: point at the reading the user most likely meant (rule 20).
                let phrasing = self.phrasing();
                let clock = self.naive_time(time);
                let clock = (phrasing.clock)(clock.hour(), clock.minute());
                let hint = match (&spec, yearless) {
                    (_, Some(next)) => {
                        let mut hint = (phrasing.date)(next);
                        if let Some(TimeSpec::At(_)) = time {
                            hint = format!("{hint} {clock}");
                        }
                        format!("\"{hint}\" for the next one")
                    }
                    (DateSpec::Weekday(day, Which::ThisWeek), None) => {
                        let name = (phrasing.weekday)(*day);
                        match self.lang {
                            Lang::Fi => format!("\"ensi viikon {name}\""),
                            Lang::En => format!("\"{name} next week\""),
                        }
                    }
                    (DateSpec::Day(0), None) => format!("\"{} {clock}\"", phrasing.tomorrow),
                    _ => return self.check_tense(t).map(|()| t),
                };
                self.err(
                    Kind::Past,
                    format!("{} is in the past", self.shown(t)),
                    Some(hint),
                )
            }
            None => {
                let t = self.at(self.today, time)?;
                // A bare time that has passed today names no day: offer tomorrow.
                if self.future() && !self.o.allow_past && t <= self.now {
                    let at = self.naive_time(time);
                    let phrasing = self.phrasing();
                    return self.err(
                        Kind::Past,
                        format!("{} today has already passed", at.format("%H:%M")),
                        Some(format!(
                            "\"{} {}\"",
                            phrasing.tomorrow,
                            (phrasing.clock)(at.hour(), at.minute())
                        )),
                    );
                }
                Ok(t)
            }
        }
    }

    fn naive_time(&self, time: Option<TimeSpec>) -> NaiveTime {
        match time {
            Some(TimeSpec::At(t)) => t,
            Some(TimeSpec::Hour(h)) => hm(h, 0),
            _ => self.o.default_time,
        }
    }

    /// The end of this week or month at the given time, or of the next one once it has passed.
    fn end_of(
        &self,
        time: Option<TimeSpec>,
        next: bool,
        end: fn(NaiveDate, u32) -> Option<NaiveDate>,
    ) -> Result<Instant, Error> {
        let Some(this) = end(self.today, u32::from(next)) else {
            return self.outside();
        };
        let t = self.at(this, time)?;
        if next || t > self.now || !self.future() {
            return Ok(t);
        }
        match end(self.today, 1) {
            Some(following) => self.at(following, time),
            None => self.outside(),
        }
    }

    /// The calendar day a date phrase names, and for a yearless date the next occurrence, which
    /// a refusal as past offers instead.
    fn date_of(&self, spec: &DateSpec) -> Result<(NaiveDate, Option<NaiveDate>), Error> {
        let today = self.today;
        let date = match *spec {
            DateSpec::Day(k) => add_days(today, k),
            DateSpec::Weekday(day, which) => Some(self.weekday(day, which)?),
            DateSpec::EndOfWeek { next } => end_of_week(today, u32::from(next)),
            DateSpec::EndOfMonth { next } => end_of_month(today, u32::from(next)),
            DateSpec::Ymd(y, m, d) => {
                return match NaiveDate::from_ymd_opt(y, m, d) {
                    Some(date) if YEARS.contains(&y) => Ok((date, None)),
                    Some(_) => self.outside(),
                    None => self.no_such_date(m, d, Some(y)),
                };
            }
            DateSpec::MonthDay(m, d) => return self.month_day(m, d),
            DateSpec::DayOfMonth(d) => Some(self.day_of_month(d)?),
            DateSpec::Checked(day, which, ref date) => {
                let (resolved, next) = self.date_of(date)?;
                if resolved.weekday() != day {
                    let name = words::weekday_name(day);
                    return self.err(
                        Kind::Impossible,
                        format!(
                            "{} is a {}, not a {}",
                            resolved.format("%-d %b %Y"),
                            resolved.format("%A"),
                            capitalised(name)
                        ),
                        Some(format!(
                            "\"{}\" or \"{}\" ({})",
                            resolved.format("%-d.%-m.%Y"),
                            (self.phrasing().weekday)(day),
                            describe_day(self.weekday(day, Which::Plain)?)
                        )),
                    );
                }
                // "next friday 4.12." is concrete: the date settles which Friday.
                let _ = which;
                return Ok((resolved, next));
            }
        };
        match date {
            Some(d) if YEARS.contains(&d.year()) => Ok((d, None)),
            _ => self.outside(),
        }
    }

    fn weekday(&self, day: Weekday, which: Which) -> Result<NaiveDate, Error> {
        let today = self.today;
        let after = next_after(today, day);
        let next_week = weekday_of_week(today, day, 1);
        let name = (self.phrasing().weekday)(day);
        Ok(match (which, self.o.tense) {
            (Which::Plain, Tense::Future) => after,
            (Which::Plain | Which::This, Tense::Past) => latest_on_or_before(today, day),
            (Which::This, Tense::Future) if today.weekday() == day => {
                return self.err(
                    Kind::Ambiguous,
                    format!(
                        "today is a {}: this one ({}) or next week's ({})?",
                        capitalised(words::weekday_name(day)),
                        describe_day(today),
                        describe_day(after)
                    ),
                    Some(match self.lang {
                        Lang::Fi => format!("\"tänään\" tai \"ensi viikon {name}\""),
                        Lang::En => format!("\"today\" or \"{name} next week\""),
                    }),
                );
            }
            (Which::This, Tense::Future) => after,
            (Which::NextWeek, _) => next_week,
            (Which::ThisWeek, _) => weekday_of_week(today, day, 0),
            (Which::Last, _) => latest_on_or_before(today - Days::new(1), day),
            (Which::Next, _) if after == next_week => after,
            (Which::Next, _) => {
                let (this, other) = match self.lang {
                    Lang::Fi => (format!("tänä {name}"), format!("ensi viikon {name}")),
                    Lang::En => (format!("this {name}"), format!("{name} next week")),
                };
                return self.err(
                    Kind::Ambiguous,
                    format!(
                        "\"{}\" could mean {} or {}",
                        self.phrase.trim(),
                        describe_day(after),
                        describe_day(next_week)
                    ),
                    Some(format!(
                        "\"{this}\" ({}) or \"{other}\" ({})",
                        describe_day(after),
                        describe_day(next_week)
                    )),
                );
            }
        })
    }

    /// A yearless date: the nearer of its last and next occurrence (rule 8), or in the past
    /// tense the last one.
    fn month_day(&self, m: u32, d: u32) -> Result<(NaiveDate, Option<NaiveDate>), Error> {
        // Validate against a leap year: "29.2." is a real date, if a rare one.
        if NaiveDate::from_ymd_opt(2028, m, d).is_none() {
            return self.no_such_date(m, d, None);
        }
        let today = self.today;
        // Each year's occurrence, with 29 Feb standing in as 28 Feb to measure the distance.
        let around = |y: i32| {
            NaiveDate::from_ymd_opt(y, m, d).or_else(|| NaiveDate::from_ymd_opt(y, m, d - 1))
        };
        let year = today.year();
        let last = (year - 1..=year)
            .rev()
            .find(|&y| around(y).is_some_and(|date| date <= today))
            .unwrap_or(year - 1);
        let next = last + 1;
        let chosen = match self.o.tense {
            Tense::Past => last,
            Tense::Future => {
                let behind = around(last).map_or(i64::MAX, |date| (today - date).num_days());
                let ahead = around(next).map_or(i64::MAX, |date| (date - today).num_days());
                if behind < ahead { last } else { next }
            }
        };
        if !YEARS.contains(&chosen) {
            return self.outside();
        }
        // A date that does not exist in the year chosen is invalid, never moved to another.
        let Some(date) = NaiveDate::from_ymd_opt(chosen, m, d) else {
            return self.no_such_date(m, d, Some(chosen));
        };
        let next_one = if chosen == last {
            NaiveDate::from_ymd_opt(next, m, d)
        } else {
            None
        };
        Ok((date, next_one))
    }

    /// "the 3rd": the next day with that number (rule 16).
    fn day_of_month(&self, d: u32) -> Result<NaiveDate, Error> {
        let today = self.today;
        if today.day() == d && self.future() {
            let next = (1..=12)
                .filter_map(|k| add_months(first_of_month(today), k))
                .find_map(|first| first.with_day(d));
            return self.err(
                Kind::Ambiguous,
                format!("the {d}{} is today", ordinal_suffix(d)),
                Some(match next {
                    Some(next) => format!(
                        "\"today\" or \"{}\" ({})",
                        next.format("%-d.%-m."),
                        describe_day(next)
                    ),
                    None => "\"today\"".into(),
                }),
            );
        }
        let months: Vec<NaiveDate> = match self.o.tense {
            Tense::Future => (0..=12)
                .filter_map(|k| add_months(first_of_month(today), k))
                .collect(),
            Tense::Past => (0..=12)
                .filter_map(|k| add_months(first_of_month(today), -k))
                .collect(),
        };
        let found = months.iter().find_map(|first| {
            first.with_day(d).filter(|date| match self.o.tense {
                Tense::Future => *date > today,
                Tense::Past => *date <= today,
            })
        });
        match found {
            Some(date) => Ok(date),
            None => self.err(
                Kind::Impossible,
                format!("no month has a day {d}"),
                Some("a day from 1 to 31".into()),
            ),
        }
    }

    fn no_such_date<T>(&self, m: u32, d: u32, y: Option<i32>) -> Result<T, Error> {
        let reason = match chrono::Month::try_from(m as u8) {
            Ok(month) if (1..=12).contains(&m) => match y {
                Some(y) => format!("{} {y} has no day {d}", month.name()),
                None => format!("{} has no day {d}", month.name()),
            },
            _ if (1..=12).contains(&d) && m <= 31 => {
                format!("there is no month {m}; dates are written day first")
            }
            _ => format!("there is no month {m}"),
        };
        let leap_day = (m, d) == (2, 29);
        let hint = if leap_day {
            let next = (y.unwrap_or(self.today.year())..)
                .find(|&y| NaiveDate::from_ymd_opt(y, 2, 29).is_some())
                .unwrap_or(2028);
            format!("\"29.2.{next}\" for the next 29 February, or \"28.2.\" or \"1.3.\"")
        } else if !(1..=12).contains(&m) && (1..=12).contains(&d) && (1..=31).contains(&m) {
            format!("\"{m}.{d}.\" (day first)")
        } else {
            "day first, as in \"25.11.\" or \"25.11.2026\"".into()
        };
        self.err(Kind::Impossible, reason, Some(hint))
    }

    /// A wall-clock time on a day, as an instant in the zone (rule 10).
    fn at(&self, date: NaiveDate, time: Option<TimeSpec>) -> Result<Instant, Error> {
        if !YEARS.contains(&date.year()) {
            return self.outside();
        }
        let clock = match time {
            Some(TimeSpec::At(t)) => t,
            Some(TimeSpec::EndOfDay) | None => self.o.default_time,
            Some(TimeSpec::Hour(h)) if h >= 12 => hm(h, 0),
            Some(TimeSpec::Hour(h)) => {
                let hint = match self.p.hour_at {
                    Some(at) => {
                        let phrasing = self.phrasing();
                        let morning = self.p.rephrase(at, &(phrasing.clock)(h, 0));
                        let evening = self.p.rephrase(at, &(phrasing.clock)(h + 12, 0));
                        format!("\"{morning}\" or \"{evening}\"")
                    }
                    None => format!("\"{h}:00\" or \"{}:00\"", h + 12),
                };
                return self.err(
                    Kind::Ambiguous,
                    format!(
                        "\"{h}\" on {} could be {h:02}:00 or {}:00",
                        describe_day(date),
                        h + 12
                    ),
                    Some(hint),
                );
            }
            Some(TimeSpec::Midnight) => {
                let next = date.succ_opt().unwrap_or(date);
                let phrasing = self.phrasing();
                return self.err(
                    Kind::Ambiguous,
                    "midnight is ambiguous: the start or the end of the day?".into(),
                    Some(format!(
                        "\"{} {}\" or \"{} {}\"",
                        date.format("%-d.%-m."),
                        (phrasing.clock)(23, 59),
                        next.format("%-d.%-m."),
                        (phrasing.clock)(0, 0)
                    )),
                );
            }
        };
        let local = NaiveDateTime::new(date, clock);
        match self.zone.from_local(&local) {
            LocalResult::Single(t) => Ok(t),
            // A time that occurs twice (clocks go back) means its first occurrence, unless the
            // phrase names the zone's abbreviation of the second (as the echo of one does).
            LocalResult::Ambiguous(first, second) => Ok(match &self.p.zone {
                Some(said) if self.zone.abbreviation(&second).eq_ignore_ascii_case(said) => second,
                _ => first,
            }),
            LocalResult::None => {
                let later = clock + Duration::hours(1);
                self.err(
                    Kind::Nonexistent,
                    format!(
                        "{} does not exist{} (the clocks skip it)",
                        local.format("%a %-d %b %Y %H:%M"),
                        self.zone
                            .name()
                            .map(|n| format!(" in {n}"))
                            .unwrap_or_default()
                    ),
                    Some(format!(
                        "\"{} {}\", an hour later",
                        date.format("%-d.%-m.%Y"),
                        (self.phrasing().clock)(later.hour(), later.minute())
                    )),
                )
            }
        }
    }

    fn day_or_time_ambiguous<T>(&self, dt: &DayOrTime) -> Result<T, Error> {
        let month = chrono::Month::try_from(dt.month as u8)
            .map(|m| m.name())
            .unwrap_or("?");
        let p = self.p;
        self.err(
            Kind::Ambiguous,
            format!(
                "\"{}.{}\" could be {} {month} or {:02}:{:02}",
                dt.day, dt.month, dt.day, dt.day, dt.month
            ),
            Some(format!(
                "\"{}\" for the date, \"{}\" or \"{}\" for the time",
                p.rephrase(dt.at, &format!("{}.{}.", dt.day, dt.month)),
                p.rephrase(dt.at, &format!("{:02}:{:02}", dt.day, dt.month)),
                p.rephrase(dt.at, &format!("klo {}.{:02}", dt.day, dt.month)),
            )),
        )
    }

    /// "before friday": by Thursday, or by Friday? (rule 15)
    fn before_ambiguous<T>(
        &self,
        spec: Option<&DateSpec>,
        time: Option<TimeSpec>,
    ) -> Result<T, Error> {
        let Some(spec) = spec else {
            return self.err(
                Kind::NotUnderstood,
                "\"before\" needs a day or a time after it".into(),
                Some("\"friday 12:00\"".into()),
            );
        };
        let day = match spec {
            DateSpec::EndOfWeek { next } => end_of_week(self.today, u32::from(*next)),
            DateSpec::EndOfMonth { next } => end_of_month(self.today, u32::from(*next)),
            spec => Some(self.date_of(spec)?.0),
        };
        let Some(day) = day else {
            return self.outside();
        };
        let eve = day.pred_opt().unwrap_or(day);
        let clock = self.naive_time(time);
        let phrasing = self.phrasing();
        let say = |d: NaiveDate| {
            format!(
                "\"{} {}\"",
                d.format("%-d.%-m."),
                (phrasing.clock)(clock.hour(), clock.minute())
            )
        };
        let by = |d: NaiveDate| match self.lang {
            Lang::Fi => (phrasing.by_weekday)(d.weekday()),
            Lang::En => (phrasing.weekday)(d.weekday()).to_string(),
        };
        self.err(
            Kind::Ambiguous,
            format!(
                "\"before\" a day could mean by the day before ({}) or by that day ({})",
                describe_day(eve),
                describe_day(day)
            ),
            Some(format!(
                "\"{}\" or \"{}\", or a date and time such as {} or {}",
                by(eve),
                by(day),
                say(eve),
                say(day)
            )),
        )
    }

    fn shown(&self, t: Instant) -> String {
        self.zone
            .localise(&t)
            .format("%a %-d %b %Y %H:%M")
            .to_string()
    }

    /// Refuses a deadline in the past, or a past moment in the future.
    fn check_tense(&self, t: Instant) -> Result<(), Error> {
        check_tense(self.phrase, t, self.now, self.zone, self.o)
    }

    /// A zone abbreviation in the phrase must be the zone's at that instant ("EET" in winter
    /// Helsinki); a different one would mean a different instant.
    fn check_zone(&self, t: Instant) -> Result<(), Error> {
        let Some(said) = &self.p.zone else {
            return Ok(());
        };
        let actual = self.zone.abbreviation(&t);
        if actual.eq_ignore_ascii_case(said) {
            return Ok(());
        }
        self.err(
            Kind::Impossible,
            format!(
                "the deadline is read in {}, which is on {actual} then, not {}",
                self.zone.name().unwrap_or("the local zone"),
                said.to_uppercase()
            ),
            Some("leave the zone out, or give the customer's zone with --tz".into()),
        )
    }

    /// "(America/New_York; 16:00 EET here)" must name the zone the phrase is read in, and the
    /// same instant on the user's clock.
    fn check_here(&self, t: Instant) -> Result<(), Error> {
        let Some(here) = &self.p.here else {
            return Ok(());
        };
        let wrong = |reason: String| {
            self.err(
                Kind::Impossible,
                reason,
                Some("the phrase without the remark in parentheses".into()),
            )
        };
        if !self
            .zone
            .name()
            .is_some_and(|n| n.eq_ignore_ascii_case(&here.zone))
        {
            return wrong(format!(
                "it names the zone {}, but it is read in {} (give the zone with --tz)",
                here.zone,
                self.zone.name().unwrap_or("the local zone")
            ));
        }
        let Some(home) = &self.o.home else {
            return wrong("there is no zone of yours to check \"here\" against".into());
        };
        let mine = home.localise(&t);
        let theirs = self.zone.localise(&t);
        let date = match &here.date {
            None => mine.date_naive() == theirs.date_naive(),
            Some(said) => [mine.format("%a %-d %b"), mine.format("%a %-d %b %Y")]
                .iter()
                .any(|f| f.to_string().to_lowercase() == *said),
        };
        let fits = date
            && (mine.hour(), mine.minute()) == (here.hour, here.minute)
            && home
                .abbreviation(&t)
                .eq_ignore_ascii_case(&here.abbreviation);
        if fits {
            return Ok(());
        }
        wrong(format!(
            "{} in {} is {} {} here, not what the remark says",
            self.shown(t),
            self.zone.name().unwrap_or(&here.zone),
            mine.format("%a %-d %b %H:%M"),
            home.abbreviation(&t)
        ))
    }

    /// "(in 1 day, 3 hours)" must agree with the instant, to within its smallest unit.
    fn check_remark(&self, t: Instant) -> Result<(), Error> {
        let Some(remark) = self.p.remark else {
            return Ok(());
        };
        let delta = (t - self.now).num_seconds();
        let fits = if remark.seconds == 0 {
            delta.abs() < remark.slack
        } else {
            delta.signum() == remark.seconds.signum()
                && delta.abs() >= remark.seconds.abs()
                && delta.abs() < remark.seconds.abs() + remark.slack
        };
        if fits {
            return Ok(());
        }
        self.err(
            Kind::Impossible,
            format!("the remark in parentheses does not fit {}", self.shown(t)),
            Some("the phrase without the remark in parentheses".into()),
        )
    }
}

/// Refuses a deadline in the past, or a past moment in the future.
pub fn check_tense(
    phrase: &str,
    t: Instant,
    now: Instant,
    zone: &Zone,
    o: &Options,
) -> Result<(), Error> {
    let shown = zone.localise(&t).format("%a %-d %b %Y %H:%M").to_string();
    match o.tense {
        Tense::Future if t <= now && !o.allow_past => Err(Error {
            phrase: phrase.to_string(),
            kind: Kind::Past,
            reason: format!("{shown} is in the past"),
            hint: Some(if o.offers_allow_past {
                "a later date, or --allow-past to record a past promise".into()
            } else {
                "a later date".into()
            }),
        }),
        Tense::Past if t > now => Err(Error {
            phrase: phrase.to_string(),
            kind: Kind::Future,
            reason: format!("{shown} has not happened yet"),
            hint: Some("a time up to now, such as \"today 9:30\" or \"yesterday 15:30\"".into()),
        }),
        _ => Ok(()),
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

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("every month has a first day")
}

/// The `n`th Monday-to-Friday day after `today` (before it, for negative `n`).
fn working_days(today: NaiveDate, n: i64) -> Option<NaiveDate> {
    let step = if n >= 0 { 1 } else { -1 };
    let mut date = today;
    let mut left = n.unsigned_abs();
    // Days beyond the calendar's end fail below rather than loop for ever.
    if left > 3_000_000 {
        return None;
    }
    while left > 0 {
        date = add_days(date, step)?;
        if date.weekday().num_days_from_monday() < 5 {
            left -= 1;
        }
    }
    Some(date)
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

/// `day` in the Monday-to-Sunday week `weeks` after this one (weeks start on Monday, ISO 8601).
fn weekday_of_week(today: NaiveDate, day: Weekday, weeks: u64) -> NaiveDate {
    let monday = today - Days::new(today.weekday().num_days_from_monday() as u64);
    monday + Days::new(7 * weeks + day.num_days_from_monday() as u64)
}

/// Friday of this week, or of the week `weeks` on.
fn end_of_week(today: NaiveDate, weeks: u32) -> Option<NaiveDate> {
    let monday =
        today.checked_sub_days(Days::new(today.weekday().num_days_from_monday() as u64))?;
    monday.checked_add_days(Days::new(7 * u64::from(weeks) + 4))
}

/// The last Monday-to-Friday day of this month, or of the month `months` on.
fn end_of_month(today: NaiveDate, months: u32) -> Option<NaiveDate> {
    let first = add_months(first_of_month(today), i64::from(months) + 1)?;
    let mut day = first.pred_opt()?;
    while day.weekday().num_days_from_monday() >= 5 {
        day = day.pred_opt()?;
    }
    Some(day)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// "Fri 27 Nov".
pub fn describe_day(date: NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ends_of_periods() {
        // Monday 23 Nov 2026.
        assert_eq!(end_of_week(d(2026, 11, 23), 0), Some(d(2026, 11, 27)));
        assert_eq!(end_of_week(d(2026, 11, 29), 0), Some(d(2026, 11, 27)));
        assert_eq!(end_of_week(d(2026, 11, 23), 1), Some(d(2026, 12, 4)));
        // 31 Jan 2027 is a Sunday: the last working day is Friday the 29th.
        assert_eq!(end_of_month(d(2027, 1, 5), 0), Some(d(2027, 1, 29)));
        assert_eq!(end_of_month(d(2026, 11, 23), 0), Some(d(2026, 11, 30)));
        assert_eq!(end_of_month(d(2026, 11, 23), 1), Some(d(2026, 12, 31)));
    }

    #[test]
    fn working_days_skip_weekends() {
        // Friday 27 Nov → Monday 30 Nov; Saturday → Monday.
        assert_eq!(working_days(d(2026, 11, 27), 1), Some(d(2026, 11, 30)));
        assert_eq!(working_days(d(2026, 11, 28), 1), Some(d(2026, 11, 30)));
        assert_eq!(working_days(d(2026, 11, 23), 3), Some(d(2026, 11, 26)));
        assert_eq!(working_days(d(2026, 11, 23), 5), Some(d(2026, 11, 30)));
    }
}
