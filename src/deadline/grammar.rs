//! Phrase → structure: which date, which time, or how long from now. No clock here; the meaning
//! of "friday" or "in 3 days" is decided in `resolve`.

use chrono::{NaiveTime, Weekday};
use interim::Interval;

use super::words;
use super::{Error, Kind};

/// Which occurrence of a weekday the phrase named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// "friday", "this friday".
    Plain,
    /// "next friday": ambiguous unless both readings agree.
    Next,
    /// "friday next week".
    NextWeek,
    /// "last friday".
    Last,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateSpec {
    Today,
    Tomorrow,
    Yesterday,
    Weekday(Weekday, Which),
    /// Friday of this week ("eow", "end of week").
    EndOfWeek,
    /// A full date; validated against the calendar in `resolve`.
    Ymd(i32, u32, u32),
    /// A date without a year: its next occurrence.
    MonthDay(u32, u32),
    /// A weekday and a date together ("Tue 24 Nov"): the date, if it is that weekday.
    Checked(Weekday, Box<DateSpec>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpec {
    At(NaiveTime),
    /// "eod", "cob": the default deadline time.
    EndOfDay,
    /// A bare hour after a date ("tomorrow 12"); only allowed with a date.
    BareHour(u32),
}

/// What a phrase says, before it meets the clock.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub date: Option<DateSpec>,
    pub time: Option<TimeSpec>,
    /// "in 2 hours", "3 days", "2 days ago".
    pub offset: Option<Interval>,
}

/// Splits a phrase into lowercase words, dropping fillers and separating glued forms such as
/// "2026-11-25t14:00".
pub fn tokens(phrase: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in phrase.to_lowercase().replace(',', " ").split_whitespace() {
        // "a.m." and "p.m." are spelled with dots; "tue." and "dec." are abbreviations.
        let word = match raw {
            "a.m." | "a.m" => "am".to_string(),
            "p.m." | "p.m" => "pm".to_string(),
            w if w.ends_with('.') && w[..w.len() - 1].chars().all(|c| c.is_ascii_alphabetic()) => {
                w[..w.len() - 1].to_string()
            }
            w => w.to_string(),
        };
        if words::FILLERS.contains(&word.as_str()) {
            continue;
        }
        if let Some((date, time)) = split_iso_datetime(&word) {
            out.push(date.to_string());
            out.push(time.to_string());
        } else {
            out.push(word);
        }
    }
    out
}

fn split_iso_datetime(word: &str) -> Option<(&str, &str)> {
    let (date, time) = word.split_once('t')?;
    (parse_iso_date(date).is_some() && !time.is_empty()).then_some((date, time))
}

/// Parses the words of a phrase. Every word must be understood: a leftover rejects the phrase.
pub fn parse(phrase: &str, words_: &[String]) -> Result<Parsed, Error> {
    let err = |kind, reason: String, hint: Option<String>| Error {
        phrase: phrase.to_string(),
        kind,
        reason,
        hint,
    };
    if words_.is_empty() {
        return Err(err(
            Kind::Empty,
            "there is no date or time in it".into(),
            Some("\"tomorrow 12:00\" or \"friday 16:00\"".into()),
        ));
    }
    check_vague(phrase, words_)?;

    let w: Vec<&str> = words_.iter().map(String::as_str).collect();
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < w.len() {
        if let Some((offset, used)) = offset_at(&w[i..]) {
            set(&mut parsed.offset, offset, phrase, "two durations")?;
            i += used;
        } else if let Some((date, used)) = date_at(&w[i..]).map_err(|(k, r, h)| err(k, r, h))? {
            let date = match (parsed.date.take(), date) {
                (None, date) => date,
                (
                    Some(DateSpec::Weekday(day, Which::Plain)),
                    date @ (DateSpec::Ymd(..) | DateSpec::MonthDay(..)),
                )
                | (
                    Some(date @ (DateSpec::Ymd(..) | DateSpec::MonthDay(..))),
                    DateSpec::Weekday(day, Which::Plain),
                ) => DateSpec::Checked(day, Box::new(date)),
                (Some(first), _) => {
                    parsed.date = Some(first);
                    return Err(err(
                        Kind::NotUnderstood,
                        "it has two dates".into(),
                        Some("one date and one time, such as \"friday 14:00\"".into()),
                    ));
                }
            };
            parsed.date = Some(date);
            i += used;
        } else if let Some((time, used)) = time_at(&w[i..]).map_err(|(k, r, h)| err(k, r, h))? {
            set(&mut parsed.time, time, phrase, "two times")?;
            i += used;
        } else {
            return Err(err(
                Kind::NotUnderstood,
                format!("did not understand \"{}\"", w[i..].join(" ")),
                Some(
                    "\"tuesday 14:00\", \"25.11. 14:00\", \"in 3 days\" or \"tomorrow noon\""
                        .into(),
                ),
            ));
        }
    }

    match (&parsed.offset, &parsed.date, &parsed.time) {
        (Some(_), Some(_), _) => Err(err(
            Kind::NotUnderstood,
            "it gives both a duration and a date".into(),
            Some("one of them, such as \"in 3 days\" or \"friday\"".into()),
        )),
        (Some(Interval::Seconds(_)), None, Some(_)) => Err(err(
            Kind::NotUnderstood,
            "a time of day cannot follow a duration in hours or minutes".into(),
            Some("\"in 2 hours\" or \"today 14:00\"".into()),
        )),
        (None, None, Some(TimeSpec::BareHour(h))) => Err(err(
            Kind::NotUnderstood,
            format!("\"{h}\" alone is not a time"),
            Some(format!("\"{h}:00\" or \"tomorrow {h}\"")),
        )),
        _ => Ok(parsed),
    }
}

fn set<T>(slot: &mut Option<T>, value: T, phrase: &str, what: &str) -> Result<(), Error> {
    if slot.is_some() {
        return Err(Error {
            phrase: phrase.to_string(),
            kind: Kind::NotUnderstood,
            reason: format!("it has {what}"),
            hint: Some("one date and one time, such as \"friday 14:00\"".into()),
        });
    }
    *slot = Some(value);
    Ok(())
}

fn check_vague(phrase: &str, w: &[String]) -> Result<(), Error> {
    let joined = w.join(" ");
    let hint = words::VAGUE_PHRASES
        .iter()
        .find(|(p, _)| *p == joined)
        .or_else(|| {
            words::VAGUE_WORDS
                .iter()
                .find(|(v, _)| w.iter().any(|x| x == v))
        })
        .map(|(_, hint)| *hint);
    match hint {
        Some(hint) => Err(Error {
            phrase: phrase.to_string(),
            kind: Kind::Vague,
            reason: "too vague to keep; a promise needs a concrete deadline".into(),
            hint: Some(hint.to_string()),
        }),
        None => Ok(()),
    }
}

type Step<T> = Result<Option<(T, usize)>, (Kind, String, Option<String>)>;

/// "in 2 hours", "2 days", "in a week", "in 90m", "3 days ago". A glued form needs "in": alone,
/// "14h" might be 14:00 in some countries' notation.
fn offset_at(w: &[&str]) -> Option<(Interval, usize)> {
    let (start, had_in) = if w.first() == Some(&"in") {
        (1, true)
    } else {
        (0, false)
    };
    let rest = &w[start..];
    let amount = rest.first()?;
    // A single glued token ("90m", "2h", "3d").
    let glued = amount.len() > 1
        && amount.starts_with(|c: char| c.is_ascii_digit())
        && amount.ends_with(|c: char| c.is_ascii_alphabetic())
        && !amount.ends_with("am")
        && !amount.ends_with("pm")
        && !["st", "nd", "rd", "th"].iter().any(|s| amount.ends_with(s));
    let (text, used) = if glued && had_in {
        (amount.to_string(), 1)
    } else if glued {
        return None;
    } else {
        let n = amount
            .parse::<i64>()
            .ok()
            .filter(|_| amount.bytes().all(|b| b.is_ascii_digit()))
            .or_else(|| words::count(amount))?;
        let unit = rest.get(1)?;
        (format!("{n} {unit}"), 2)
    };
    let ago = !had_in && rest.get(used) == Some(&"ago");
    let text = if ago { format!("{text} ago") } else { text };
    let interval = super::interval(&text)?;
    Some((interval, start + used + usize::from(ago)))
}

fn date_at(w: &[&str]) -> Step<DateSpec> {
    let first = w[0];
    let simple = match first {
        "today" | "tod" => Some(DateSpec::Today),
        "tomorrow" | "tmrw" | "tmr" | "tomorow" => Some(DateSpec::Tomorrow),
        "yesterday" => Some(DateSpec::Yesterday),
        "eow" => Some(DateSpec::EndOfWeek),
        _ => None,
    };
    if let Some(spec) = simple {
        return Ok(Some((spec, 1)));
    }
    if let Some(used) = phrase_at(w, &[&["end", "of", "week"], &["end", "of", "the", "week"]]) {
        return Ok(Some((DateSpec::EndOfWeek, used)));
    }

    // Weekdays, with "this", "next", "last" before or "next week"/"this week" around them.
    let (which, skip) = match (first, w.get(1)) {
        ("next", Some(&"week")) => (Which::NextWeek, 2),
        ("this", Some(&"week")) => (Which::Plain, 2),
        ("this", _) => (Which::Plain, 1),
        ("next", _) => (Which::Next, 1),
        ("last", _) => (Which::Last, 1),
        _ => (Which::Plain, 0),
    };
    if let Some(day) = w.get(skip).and_then(|x| words::weekday(x)) {
        let mut used = skip + 1;
        let mut which = which;
        if which == Which::Plain && skip == 0 {
            match (w.get(used), w.get(used + 1)) {
                (Some(&"next"), Some(&"week")) => {
                    which = Which::NextWeek;
                    used += 2;
                }
                (Some(&"this"), Some(&"week")) => used += 2,
                _ => {}
            }
        }
        return Ok(Some((DateSpec::Weekday(day, which), used)));
    }
    if skip > 0 {
        return Ok(None);
    }

    if let Some((y, m, d)) = parse_iso_date(first) {
        return Ok(Some((DateSpec::Ymd(y, m, d), 1)));
    }
    if let Some(spec) = parse_numeric_date(first)? {
        return Ok(Some((spec, 1)));
    }
    month_name_date(w)
}

fn phrase_at(w: &[&str], options: &[&[&str]]) -> Option<usize> {
    options
        .iter()
        .find(|p| w.len() >= p.len() && w[..p.len()] == p[..])
        .map(|p| p.len())
}

/// "2026-11-25".
fn parse_iso_date(word: &str) -> Option<(i32, u32, u32)> {
    let mut parts = word.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    Some((digits(y)? as i32, digits(m)?, digits(d)?))
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Day-first numeric dates: "25.11.2026", "25.11.", "25/11/2026", "25/11". A dotted pair without
/// the trailing dot ("14.00") is a time, not a date.
fn parse_numeric_date(word: &str) -> Result<Option<DateSpec>, (Kind, String, Option<String>)> {
    let (sep, body) = if word.contains('/') {
        ('/', word)
    } else if word.contains('.') && word.matches('.').count() >= 2 {
        ('.', word.strip_suffix('.').unwrap_or(word))
    } else {
        return Ok(None);
    };
    let parts: Vec<&str> = body.split(sep).collect();
    let nums: Option<Vec<u32>> = parts
        .iter()
        .map(|p| digits(p).filter(|_| p.len() <= 2 || parts.len() == 3))
        .collect();
    let Some(nums) = nums else { return Ok(None) };
    match nums[..] {
        [d, m] if parts.iter().all(|p| p.len() <= 2) => Ok(Some(DateSpec::MonthDay(m, d))),
        [d, m, y] if parts[0].len() <= 2 && parts[1].len() <= 2 => {
            let year = match parts[2].len() {
                4 => y as i32,
                2 => 2000 + y as i32,
                _ => {
                    return Err((
                        Kind::Impossible,
                        format!("\"{word}\" has a year that is neither 2 nor 4 digits"),
                        Some("\"25.11.2026\"".into()),
                    ));
                }
            };
            Ok(Some(DateSpec::Ymd(year, m, d)))
        }
        _ => Ok(None),
    }
}

/// "dec 3", "december 3rd", "3 december", "3rd of december", each with an optional 4-digit year.
fn month_name_date(w: &[&str]) -> Step<DateSpec> {
    let with_year = |m: u32, d: u32, used: usize| match w
        .get(used)
        .filter(|y| y.len() == 4)
        .and_then(|y| digits(y))
    {
        Some(y) => (DateSpec::Ymd(y as i32, m, d), used + 1),
        None => (DateSpec::MonthDay(m, d), used),
    };
    if let Some(m) = words::month(w[0]) {
        return match w.get(1).and_then(|x| day_of_month(x)) {
            Some(d) => Ok(Some(with_year(m, d, 2))),
            None => Err((
                Kind::NotUnderstood,
                format!("\"{}\" needs a day of the month", w[0]),
                Some(format!("\"{} 15\" or \"15 {} 12:00\"", w[0], w[0])),
            )),
        };
    }
    if let Some(d) = day_of_month(w[0]) {
        let of = usize::from(w.get(1) == Some(&"of"));
        if let Some(m) = w.get(1 + of).and_then(|x| words::month(x)) {
            return Ok(Some(with_year(m, d, 2 + of)));
        }
    }
    Ok(None)
}

/// "3", "03", "3rd", "21st".
fn day_of_month(word: &str) -> Option<u32> {
    let number = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .unwrap_or(word);
    digits(number).filter(|_| number.len() <= 2)
}

fn time_at(w: &[&str]) -> Step<TimeSpec> {
    if w.len() >= 2 && w[0] == "12" && w[1] == "noon" {
        return Ok(Some((TimeSpec::At(hm(12, 0)), 2)));
    }
    match w[0] {
        "noon" | "midday" => return Ok(Some((TimeSpec::At(hm(12, 0)), 1))),
        "midnight" => {
            return Err((
                Kind::Ambiguous,
                "\"midnight\" is ambiguous: the start or the end of the day?".into(),
                Some("\"23:59\" on the day, or \"00:00\" on the next day".into()),
            ));
        }
        "eod" | "cob" | "eob" => return Ok(Some((TimeSpec::EndOfDay, 1))),
        _ => {}
    }
    if let Some(used) = phrase_at(
        w,
        &[
            &["end", "of", "day"],
            &["end", "of", "the", "day"],
            &["close", "of", "business"],
            &["end", "of", "business"],
        ],
    ) {
        return Ok(Some((TimeSpec::EndOfDay, used)));
    }

    let word = w[0];
    let (body, suffix) = if let Some(b) = word.strip_suffix("am") {
        (b, Some(false))
    } else if let Some(b) = word.strip_suffix("pm") {
        (b, Some(true))
    } else {
        (word, None)
    };
    let (suffix, used) = match (suffix, w.get(1)) {
        (None, Some(&"am")) => (Some(false), 2),
        (None, Some(&"pm")) => (Some(true), 2),
        (s, _) => (s, 1),
    };
    let Some((h, m, s, clock)) = clock_parts(body) else {
        return Ok(None);
    };
    let impossible = |why: String, hint: Option<String>| Err((Kind::Impossible, why, hint));
    if m > 59 || s > 59 {
        return impossible(format!("\"{word}\" has no such minute"), None);
    }
    let hour = match suffix {
        Some(pm) => {
            if h == 0 || h > 12 {
                return impossible(
                    format!("\"{word}\" is not a 12-hour time"),
                    Some(format!("\"{h}:{m:02}\"")),
                );
            }
            if h == 12 && m == 0 && s == 0 && !pm {
                return Err((
                    Kind::Ambiguous,
                    "\"12am\" is midnight, which is ambiguous".into(),
                    Some("\"23:59\" on the day, or \"00:00\" on the next day".into()),
                ));
            }
            (h % 12) + if pm { 12 } else { 0 }
        }
        None if !clock => {
            // A bare number is an hour only where it cannot be read two ways: "friday 2" could
            // be 02:00 or 14:00, so it is refused rather than guessed.
            if (1..=7).contains(&h) || h == 0 {
                return Err((
                    Kind::Ambiguous,
                    format!("\"{h}\" could be {h:02}:00 or {}:00", h + 12),
                    Some(format!("\"{h}am\", \"{h}pm\" or \"{}:00\"", h + 12)),
                ));
            }
            if h > 23 {
                return Ok(None);
            }
            return Ok(Some((TimeSpec::BareHour(h), used)));
        }
        None => h,
    };
    if hour > 23 {
        let hint = (h <= 31 && (1..=12).contains(&m) && word.contains('.'))
            .then(|| format!("for a date write \"{word}.\" (day.month.)"));
        return impossible(
            format!("\"{word}\" is not a time of day"),
            hint.or(Some("a time from 00:00 to 23:59".into())),
        );
    }
    Ok(Some((
        TimeSpec::At(NaiveTime::from_hms_opt(hour, m, s).expect("checked ranges")),
        used,
    )))
}

/// "14:00", "14.00", "9:30", "14:00:30", "2" → (hour, minute, second, had minutes).
fn clock_parts(body: &str) -> Option<(u32, u32, u32, bool)> {
    let parts: Vec<&str> = body.split([':', '.']).collect();
    let ok_len = |p: &str, max: usize| !p.is_empty() && p.len() <= max;
    match parts[..] {
        [h] if ok_len(h, 2) => Some((digits(h)?, 0, 0, false)),
        [h, m] if ok_len(h, 2) && m.len() == 2 => Some((digits(h)?, digits(m)?, 0, true)),
        [h, m, s] if ok_len(h, 2) && m.len() == 2 && s.len() == 2 && !body.contains('.') => {
            Some((digits(h)?, digits(m)?, digits(s)?, true))
        }
        _ => None,
    }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid constant time")
}
