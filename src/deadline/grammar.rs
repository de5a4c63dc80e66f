//! Tokens → structure: which date, which time, or how long from now. No clock here; what
//! "friday" or "in 3 days" means on a given day is decided in `resolve`.
//!
//! The grammar owns the whole phrase: every token is a known word of some language's list
//! (`words`), a number in a shape it knows, or the phrase is refused. Nothing is skipped, nothing
//! is matched by its prefix.

use chrono::{NaiveTime, Weekday};

use super::lexer::{Tok, Token};
use super::words::{self, Lang, Meaning, Part, Unit};
use super::{Error, Kind};

/// Which occurrence of a weekday the phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// "friday", "this coming friday": the next one after today.
    Plain,
    /// "this friday": the next one after today, but ambiguous said on a Friday (rule 18).
    This,
    /// "next friday": ambiguous unless both readings agree (rule 2).
    Next,
    /// "friday next week", "friday week", "ensi viikon perjantaina".
    NextWeek,
    /// "friday this week", "tämän viikon perjantaina".
    ThisWeek,
    /// "last friday", "viime perjantaina".
    Last,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateSpec {
    /// Today plus this many days.
    Day(i64),
    Weekday(Weekday, Which),
    /// This week's Friday, or next week's once it has passed (rule 17).
    EndOfWeek {
        next: bool,
    },
    /// The last working day of the month (rule 17).
    EndOfMonth {
        next: bool,
    },
    /// A full date; checked against the calendar in `resolve`.
    Ymd(i32, u32, u32),
    /// A date without a year: the nearer of its occurrences (rule 8).
    MonthDay(u32, u32),
    /// "the 3rd": the next day with that number (rule 16).
    DayOfMonth(u32),
    /// A weekday and a date together ("Fri 27 Nov"): the date, if it is that weekday.
    Checked(Weekday, Which, Box<DateSpec>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpec {
    At(NaiveTime),
    /// "eod", "cob": the default deadline time.
    EndOfDay,
    /// A bare hour after a day ("friday 14"): 12–23 is that hour; 0–11 could be either half of
    /// the day.
    Hour(u32),
    /// Midnight: the start or the end of the day? Refused once the day is known.
    Midnight,
}

/// How far from now a duration reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offset {
    /// A length of time: "in 90 minutes", "2.5 hours". Seconds.
    Exact(i64),
    /// Calendar steps: the date that many years, months and days on, at a time of day.
    Calendar { years: i64, months: i64, days: i64 },
    /// Monday-to-Friday days.
    WorkingDays(i64),
}

/// "15.12": day.month or hours.minutes, decided against the rest of the phrase (rule 14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOrTime {
    pub day: u32,
    pub month: u32,
    /// Where it stands among the phrase's words, for the hint.
    pub at: usize,
    /// The minutes have two digits, so the time reading can be taken.
    pub exact_time: bool,
}

/// A remark in parentheses restating the deadline, as the echo writes it: "(in 1 day, 3 hours)".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remark {
    /// The span stated, in seconds (negative for "ago").
    pub seconds: i64,
    /// The smallest unit stated, in seconds: how far the truth may lie past what is said.
    pub slack: i64,
}

/// "(America/New_York; 16:00 EET here)": the echo's second line for a deadline in another zone,
/// naming the zone and the same instant on the user's own clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Here {
    /// The zone the deadline was read in, as named.
    pub zone: String,
    /// The user's date when it differs from the zone's ("wed 25 nov"), as written.
    pub date: Option<String>,
    pub hour: u32,
    pub minute: u32,
    /// The user's zone abbreviation ("eet").
    pub abbreviation: String,
}

/// What a phrase says, before it meets the clock.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub date: Option<DateSpec>,
    pub time: Option<TimeSpec>,
    pub offset: Option<Offset>,
    pub day_or_time: Option<DayOrTime>,
    /// "before" stood in the phrase.
    pub before: bool,
    /// A zone abbreviation ("EET"), checked against the zone at the resolved instant.
    pub zone: Option<String>,
    pub remark: Option<Remark>,
    pub here: Option<Here>,
    /// The language hints should be written in.
    pub lang: Option<Lang>,
    /// The phrase's words, for hints that rephrase it.
    pub words: Vec<String>,
    /// Where a bare hour stands among the words.
    pub hour_at: Option<usize>,
    /// "16h": a time beside a day, a duration alone.
    pub hours_or_time: Option<u32>,
    /// The bare hour was marked as a time ("at 14", "klo 14"), so it needs no day.
    pub hour_marked: bool,
    /// "tomorrow morning": the part of the day, its suggested time, and where it stands.
    pub part: Option<(Part, &'static str, usize)>,
    /// "a week from friday": the duration counts from the date, not from today.
    pub from_date: bool,
}

impl Parsed {
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or(Lang::En)
    }

    /// The phrase with the word at `at` replaced, for a hint that keeps what the user wrote.
    pub fn rephrase(&self, at: usize, with: &str) -> String {
        self.words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == at { with } else { w.as_str() })
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A token or a phrase of the word lists.
#[derive(Debug, Clone, PartialEq)]
enum Sym {
    Word(Meaning),
    Num(Tok),
    Zone(String),
    Remark(Remark),
    Here(Here),
    Unknown(String),
}

#[derive(Debug, Clone)]
struct Item {
    sym: Sym,
    text: String,
    /// The language of the word list it came from.
    lang: Option<Lang>,
}

/// Zone abbreviations a phrase may end with; the one given must be the zone's at the deadline.
const ZONE_ABBREVIATIONS: &[&str] = &[
    "utc", "gmt", "eet", "eest", "cet", "cest", "bst", "est", "edt", "cst", "cdt", "mst", "mdt",
    "pst", "pdt", "akst", "akdt", "hst", "jst", "kst", "aest", "aedt", "acst", "awst", "nzst",
    "nzdt", "msk", "sast", "ist",
];

/// Parses the tokens of a phrase. Every token must be understood: a leftover rejects the phrase.
pub fn parse(phrase: &str, tokens: &[Token]) -> Result<Parsed, Error> {
    let items = symbols(phrase, tokens)?;
    let mut parsed = Parsed {
        words: items.iter().map(|i| i.text.clone()).collect(),
        ..Parsed::default()
    };
    let fail = |kind, reason: String, hint: Option<String>| Error {
        phrase: phrase.to_string(),
        kind,
        reason,
        hint,
    };
    // Hints are written in Finnish when any word of the phrase was Finnish.
    parsed.lang = items
        .iter()
        .filter_map(|i| i.lang)
        .max_by_key(|&l| l == Lang::Fi);
    let lang = parsed.lang();
    let phrasing = words::phrasing(lang);

    if items.is_empty() {
        return Err(fail(
            Kind::Empty,
            "there is no date or time in it".into(),
            Some(phrasing.example.into()),
        ));
    }
    // Vague words refuse the phrase wherever they stand: "later today" is not today.
    if let Some((item, hint)) = items.iter().find_map(|i| match i.sym {
        Sym::Word(Meaning::Vague(hint)) => Some((i, hint)),
        _ => None,
    }) {
        return Err(fail(
            Kind::Vague,
            match lang {
                Lang::Fi => format!(
                    "\"{}\" ei ole määräaika: lupaukseen tarvitaan päivä ja kellonaika",
                    item.text
                ),
                Lang::En => format!(
                    "\"{}\" is not a deadline: a promise needs a concrete day and time",
                    item.text
                ),
            },
            Some(hint.into()),
        ));
    }
    if let Some(item) = items.iter().find(|i| matches!(i.sym, Sym::Unknown(_))) {
        let suggestion = words::suggestion(&item.text);
        return Err(fail(
            Kind::NotUnderstood,
            match suggestion {
                Some(word) => format!(
                    "did not understand \"{}\"; did you mean \"{word}\"?",
                    item.text
                ),
                None => format!("did not understand \"{}\"", item.text),
            },
            suggestion.is_none().then(|| phrasing.example.to_string()),
        ));
    }

    let mut p = Parser {
        items: &items,
        i: 0,
        out: parsed,
        phrase,
    };
    p.run()?;
    p.finish()
}

/// Tokens → words and numbers the grammar knows. A parenthesised remark becomes one item.
fn symbols(phrase: &str, tokens: &[Token]) -> Result<Vec<Item>, Error> {
    let texts: Vec<String> = tokens
        .iter()
        .map(|t| match &t.tok {
            Tok::Word(w) => w.clone(),
            // Numbers never begin a phrase of the word lists.
            _ => String::new(),
        })
        .collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        match &token.tok {
            Tok::Open => {
                let close = tokens[i..]
                    .iter()
                    .position(|t| t.tok == Tok::Close)
                    .map(|p| i + p);
                let Some(close) = close else {
                    return Err(not_understood(phrase, "an unclosed \"(\""));
                };
                let inner = &tokens[i + 1..close];
                let sym = remark(inner)
                    .map(Sym::Remark)
                    .or_else(|| here(inner).map(Sym::Here))
                    .ok_or_else(|| {
                        let text: Vec<&str> = inner.iter().map(|t| t.text.as_str()).collect();
                        not_understood(phrase, &format!("\"({})\"", text.join(" ")))
                    })?;
                items.push(Item {
                    sym,
                    text: String::new(),
                    lang: None,
                });
                i = close + 1;
            }
            Tok::Close => return Err(not_understood(phrase, "a \")\" with no \"(\"")),
            Tok::Word(w) => match words::lookup(&texts[i..]) {
                Some(found) => {
                    items.push(Item {
                        sym: Sym::Word(found.meaning),
                        text: texts[i..i + found.len].join(" "),
                        lang: Some(found.lang),
                    });
                    i += found.len;
                }
                None => {
                    let sym = if ZONE_ABBREVIATIONS.contains(&w.as_str()) {
                        Sym::Zone(w.clone())
                    } else {
                        Sym::Unknown(w.clone())
                    };
                    items.push(Item {
                        sym,
                        text: w.clone(),
                        lang: None,
                    });
                    i += 1;
                }
            },
            tok => {
                items.push(Item {
                    sym: Sym::Num(tok.clone()),
                    text: token.text.clone(),
                    lang: None,
                });
                i += 1;
            }
        }
    }
    Ok(items)
}

fn not_understood(phrase: &str, what: &str) -> Error {
    Error {
        phrase: phrase.to_string(),
        kind: Kind::NotUnderstood,
        reason: format!("did not understand {what}"),
        hint: None,
    }
}

/// "in 1 day, 3 hours", "2 hours ago", "now": the echo's restatement of how far away it is.
fn remark(tokens: &[Token]) -> Option<Remark> {
    let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    if texts == ["now"] {
        return Some(Remark {
            seconds: 0,
            slack: 60,
        });
    }
    let (body, sign) = match texts.as_slice() {
        ["in", rest @ ..] => (rest, 1),
        [rest @ .., "ago"] => (rest, -1),
        _ => return None,
    };
    if body.is_empty() || body.len() % 2 != 0 {
        return None;
    }
    let mut seconds = 0i64;
    let mut slack = 0;
    for pair in body.chunks(2) {
        let n: i64 = pair[0].parse().ok()?;
        let unit = match pair[1] {
            "minute" | "minutes" => 60,
            "hour" | "hours" => 3600,
            "day" | "days" => 86_400,
            _ => return None,
        };
        seconds = seconds.checked_add(n.checked_mul(unit)?)?;
        slack = unit;
    }
    Some(Remark {
        seconds: sign * seconds,
        slack,
    })
}

/// "america/new_york 16:00 eet here", "america/new_york wed 25 nov 02:00 eet here".
fn here(tokens: &[Token]) -> Option<Here> {
    let [name, between @ .., clock, abbreviation, last] = tokens else {
        return None;
    };
    if last.text != "here" || !name.text.contains('/') && name.text != "utc" {
        return None;
    }
    let Tok::Clock {
        hour,
        minute,
        second: 0,
    } = clock.tok
    else {
        return None;
    };
    let date: Vec<&str> = between.iter().map(|t| t.text.as_str()).collect();
    Some(Here {
        zone: name.text.clone(),
        date: (!date.is_empty()).then(|| date.join(" ")),
        hour,
        minute,
        abbreviation: abbreviation.text.clone(),
    })
}

struct Parser<'a> {
    items: &'a [Item],
    i: usize,
    out: Parsed,
    phrase: &'a str,
}

/// How a number was marked as a time: by "at"/"@", or by "klo"/"kello" (24-hour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    At,
    Clock,
}

impl Parser<'_> {
    fn fail<T>(&self, kind: Kind, reason: String, hint: Option<String>) -> Result<T, Error> {
        Err(Error {
            phrase: self.phrase.to_string(),
            kind,
            reason,
            hint,
        })
    }

    fn sym(&self, at: usize) -> Option<&Sym> {
        self.items.get(at).map(|i| &i.sym)
    }

    fn word(&self, at: usize) -> Option<Meaning> {
        match self.sym(at)? {
            Sym::Word(m) => Some(*m),
            _ => None,
        }
    }

    fn num(&self, at: usize) -> Option<&Tok> {
        match self.sym(at)? {
            Sym::Num(t) => Some(t),
            _ => None,
        }
    }

    fn text(&self, at: usize) -> &str {
        self.items.get(at).map_or("", |i| i.text.as_str())
    }

    fn run(&mut self) -> Result<(), Error> {
        while self.i < self.items.len() {
            let at = self.i;
            match self.sym(at).cloned() {
                Some(Sym::Word(Meaning::Filler)) => self.i += 1,
                Some(Sym::Word(Meaning::Before)) => {
                    self.out.before = true;
                    self.i += 1;
                }
                Some(Sym::Word(Meaning::At)) => {
                    self.i += 1;
                    if matches!(self.sym(self.i), Some(Sym::Num(_))) {
                        self.time(Some(Marker::At))?;
                    }
                }
                Some(Sym::Word(Meaning::Clock)) => {
                    self.i += 1;
                    if !matches!(self.sym(self.i), Some(Sym::Num(_))) {
                        return self.fail(
                            Kind::NotUnderstood,
                            format!("\"{}\" needs a time after it", self.text(at)),
                            Some("\"klo 14\" or \"klo 9.30\"".into()),
                        );
                    }
                    self.time(Some(Marker::Clock))?;
                }
                Some(Sym::Zone(z)) => {
                    if self.out.zone.replace(z).is_some() {
                        return self.two("zones");
                    }
                    self.i += 1;
                }
                Some(Sym::Word(Meaning::PartOfDay { part, day, hint })) => {
                    if self.out.part.replace((part, hint, at)).is_some() {
                        return self.two("parts of the day");
                    }
                    if let Some(day) = day {
                        self.set_date(DateSpec::Day(i64::from(day)))?;
                    }
                    self.i += 1;
                }
                Some(Sym::Here(h)) => {
                    if self.out.here.replace(h).is_some() {
                        return self.two("remarks in parentheses");
                    }
                    self.i += 1;
                }
                Some(Sym::Remark(r)) => {
                    if self.out.remark.replace(r).is_some() {
                        return self.two("remarks in parentheses");
                    }
                    self.i += 1;
                }
                _ => {
                    if !(self.duration()? || self.date()? || self.time(None)?) {
                        return self.leftover(at);
                    }
                }
            }
        }
        Ok(())
    }

    fn leftover(&self, at: usize) -> Result<(), Error> {
        let rest: Vec<&str> = (at..self.items.len()).map(|i| self.text(i)).collect();
        let what = match self.word(at) {
            Some(Meaning::NextWeek | Meaning::ThisWeek) => {
                let phrasing = words::phrasing(self.out.lang());
                return self.fail(
                    Kind::Vague,
                    format!(
                        "\"{}\" is not a deadline: which day of the week?",
                        self.text(at)
                    ),
                    Some(phrasing.which_day.into()),
                );
            }
            Some(Meaning::Month(..)) => {
                return self.fail(
                    Kind::NotUnderstood,
                    format!("\"{}\" needs a day of the month", self.text(at)),
                    Some(format!("\"{0} 15\" or \"15 {0} 12:00\"", self.text(at))),
                );
            }
            _ => rest.join(" "),
        };
        self.fail(
            Kind::NotUnderstood,
            format!("did not understand \"{what}\""),
            Some(words::phrasing(self.out.lang()).example.into()),
        )
    }

    fn two<T>(&self, what: &str) -> Result<T, Error> {
        self.fail(
            Kind::NotUnderstood,
            format!("it has two {what}"),
            Some("one date and one time, such as \"friday 14:00\"".into()),
        )
    }

    fn set_date(&mut self, date: DateSpec) -> Result<(), Error> {
        let date = match self.out.date.take() {
            None => date,
            // A weekday beside a date must agree with it (rule 16).
            Some(DateSpec::Weekday(day, which @ (Which::Plain | Which::This | Which::Next)))
                if dated(&date) =>
            {
                DateSpec::Checked(day, which, Box::new(date))
            }
            Some(first) if dated(&first) => match date {
                DateSpec::Weekday(day, which @ (Which::Plain | Which::This | Which::Next)) => {
                    DateSpec::Checked(day, which, Box::new(first))
                }
                _ => return self.two("dates"),
            },
            Some(_) => return self.two("dates"),
        };
        self.out.date = Some(date);
        Ok(())
    }

    fn set_time(&mut self, time: TimeSpec) -> Result<(), Error> {
        if self.out.time.replace(time).is_some() {
            return self.two("times");
        }
        Ok(())
    }

    // --- durations (rules 5 and 12) -------------------------------------------------------

    /// An amount at `at`: digits, a decimal, or a number word. With the number of items used.
    fn amount(&self, at: usize) -> Option<(f64, bool, usize)> {
        match self.sym(at)? {
            Sym::Num(Tok::Int { value, .. }) => Some((f64::from(*value), false, 1)),
            Sym::Num(Tok::Dotted {
                left,
                right,
                right_digits,
            }) => {
                let decimal = format!("{left}.{right:0>width$}", width = *right_digits);
                decimal.parse().ok().map(|d| (d, true, 1))
            }
            Sym::Word(Meaning::Number(n)) => Some((f64::from(*n), false, 1)),
            _ => None,
        }
    }

    fn duration(&mut self) -> Result<bool, Error> {
        let start = self.i;
        let mut at = start;
        let had_in = self.word(at) == Some(Meaning::In);
        if had_in {
            at += 1;
        }
        if self.word(at) == Some(Meaning::NextWorkingDay) {
            self.i = at + 1;
            return self
                .set_offset(Offset::WorkingDays(1), start)
                .map(|()| true);
        }
        // Amount-unit pairs: "2 hours", "1 hour 30 minutes", "an hour and a half".
        let mut parts: Vec<(f64, bool, Unit, &str)> = Vec::new();
        loop {
            if let Some(Meaning::Span(minutes)) = self.word(at) {
                parts.push((f64::from(minutes), false, Unit::Minute, ""));
                at += 1;
            } else if let Some((n, decimal, used)) = self.amount(at)
                && let half = usize::from(self.word(at + used) == Some(Meaning::AndAHalf))
                && let Some(Meaning::Unit(unit)) = self.word(at + used + half)
            {
                // "2 and a half hours"
                let mut n = n + 0.5 * half as f64;
                at += used + half + 1;
                if self.word(at) == Some(Meaning::AndAHalf) {
                    n += 0.5;
                    at += 1;
                }
                parts.push((n, decimal || n.fract() != 0.0, unit, self.text(at - 1)));
            } else if let Some(Meaning::Unit(unit)) = self.word(at)
                && parts.is_empty()
                && (self.word(at + 1) == Some(Meaning::FromNow) || unit == Unit::Fortnight)
            {
                // "tunnin päästä", "viikon sisällä", "fortnight": one, unsaid.
                parts.push((1.0, false, unit, self.text(at)));
                at += 1;
            } else {
                break;
            }
            // "1 hour and 30 minutes"
            if self.word(at) == Some(Meaning::And)
                && (self.amount(at + 1).is_some()
                    || matches!(self.word(at + 1), Some(Meaning::Span(_))))
            {
                at += 1;
            }
        }
        if parts.is_empty() {
            return Ok(false);
        }
        let (post, ago) = match self.word(at) {
            Some(Meaning::FromNow) => (true, false),
            Some(Meaning::Ago) if !had_in => (true, true),
            // "a week from friday": the day follows.
            Some(Meaning::From) if !had_in => (true, false),
            _ => (false, false),
        };
        let from = self.word(at) == Some(Meaning::From);
        let end = at + usize::from(post);

        // "3h" alone is three hours; "tomorrow 16h" and "16h" beside a date are 16:00.
        if let [(n, false, Unit::Hour, "h")] = parts[..]
            && !had_in
            && !post
            && n <= 23.0
        {
            self.i = end;
            self.out.hour_at = Some(start);
            // It is still a duration if nothing else is said; `finish` decides.
            self.out.hours_or_time = Some(n as u32);
            return self.set_time(TimeSpec::At(hm(n as u32, 0))).map(|()| true);
        }

        let offset = self.offset_of(&parts)?;
        self.out.from_date |= from;
        let offset = if ago { negate(offset) } else { offset };
        self.i = end;
        self.set_offset(offset, start)?;
        Ok(true)
    }

    fn set_offset(&mut self, offset: Offset, _at: usize) -> Result<(), Error> {
        if self.out.offset.replace(offset).is_some() {
            return self.two("durations");
        }
        Ok(())
    }

    fn offset_of(&self, parts: &[(f64, bool, Unit, &str)]) -> Result<Offset, Error> {
        let mut exact = 0f64;
        let (mut years, mut months, mut days, mut working) = (0i64, 0i64, 0i64, None);
        let mut calendar = false;
        // A compound goes from larger units to smaller ones: "1 hour 30 minutes", never
        // "2 hours 2 hours".
        if parts.windows(2).any(|w| rank(w[1].2) >= rank(w[0].2)) {
            return self.fail(
                Kind::NotUnderstood,
                "its units do not go from larger to smaller".into(),
                Some("\"1 hour 30 minutes\" or \"in 2 weeks\"".into()),
            );
        }
        for (i, &(n, fractional, unit, text)) in parts.iter().enumerate() {
            match unit {
                Unit::Second => {
                    return self.fail(
                        Kind::NotUnderstood,
                        "seconds are not a deadline unit".into(),
                        Some("\"in 1 minute\" or \"in 2 hours\"".into()),
                    );
                }
                // "1h30m": after hours, "m" can only be minutes.
                Unit::MinuteOrMonth if i > 0 && parts[i - 1].2 == Unit::Hour => {
                    exact += n * 60.0;
                    continue;
                }
                Unit::MinuteOrMonth => {
                    return self.fail(
                        Kind::Ambiguous,
                        format!("\"{text}\" could be minutes or months"),
                        Some(format!("\"{n} min\" or \"{n} months\"")),
                    );
                }
                _ => {}
            }
            if let Some(minutes) = unit.minutes() {
                exact += n * minutes as f64 * 60.0;
                continue;
            }
            if fractional {
                return self.fail(
                    Kind::NotUnderstood,
                    format!("\"{n} {text}\" is not a whole number of calendar days"),
                    Some("whole days, as in \"in 2 days\", or hours, as in \"in 36 hours\"".into()),
                );
            }
            let n = n as i64;
            calendar = true;
            match unit {
                Unit::Day => days += n,
                Unit::Week => days += 7 * n,
                Unit::Fortnight => days += 14 * n,
                Unit::Month => months += n,
                Unit::Year => years += n,
                Unit::WorkingDay => working = Some(working.unwrap_or(0) + n),
                _ => unreachable!("every unit is handled"),
            }
        }
        let exact_given = parts
            .iter()
            .any(|p| p.2.minutes().is_some() || p.2 == Unit::MinuteOrMonth);
        match (exact_given, calendar, working) {
            (true, true, _) => self.fail(
                Kind::NotUnderstood,
                "it mixes days and hours".into(),
                Some("\"in 2 days at 14:00\" or \"in 50 hours\"".into()),
            ),
            (_, _, Some(_)) if years != 0 || months != 0 || days != 0 => self.fail(
                Kind::NotUnderstood,
                "it mixes working days with other days".into(),
                Some("\"in 3 working days\"".into()),
            ),
            (_, _, Some(n)) => Ok(Offset::WorkingDays(n)),
            (false, true, None) => Ok(Offset::Calendar {
                years,
                months,
                days,
            }),
            _ => {
                if !exact.is_finite() || exact.abs() > 1e12 {
                    return self.fail(Kind::Impossible, "that is too far away".into(), None);
                }
                Ok(Offset::Exact(exact.round() as i64))
            }
        }
    }
}

impl Parser<'_> {
    // --- dates (rules 1, 2, 8, 9, 14, 16, 17, 18) ------------------------------------------

    fn date(&mut self) -> Result<bool, Error> {
        let at = self.i;
        let fixed = match self.word(at) {
            Some(Meaning::Day(k)) => Some(DateSpec::Day(i64::from(k))),
            Some(Meaning::EndOfWeek) => Some(DateSpec::EndOfWeek { next: false }),
            Some(Meaning::EndOfNextWeek) => Some(DateSpec::EndOfWeek { next: true }),
            Some(Meaning::EndOfMonth) => Some(DateSpec::EndOfMonth { next: false }),
            Some(Meaning::EndOfNextMonth) => Some(DateSpec::EndOfMonth { next: true }),
            _ => None,
        };
        if let Some(date) = fixed {
            self.i += 1;
            self.set_date(date)?;
            return Ok(true);
        }

        // Weekdays, with "this", "next", "last", "coming" before, or "next week", "this week",
        // "week" after: "friday next week", "friday week", "ensi viikon perjantaina".
        let (which, skip) = match self.word(at) {
            Some(Meaning::This) => (Which::This, 1),
            Some(Meaning::Coming) => (Which::Plain, 1),
            Some(Meaning::Next) => (Which::Next, 1),
            Some(Meaning::Last) => (Which::Last, 1),
            Some(Meaning::NextWeek) => (Which::NextWeek, 1),
            Some(Meaning::ThisWeek) => (Which::ThisWeek, 1),
            _ => (Which::Plain, 0),
        };
        if let Some(Meaning::Weekday(day, _)) = self.word(at + skip) {
            let mut used = skip + 1;
            let mut which = which;
            if which == Which::Plain {
                match self.word(at + used) {
                    Some(Meaning::NextWeek) => {
                        which = Which::NextWeek;
                        used += 1;
                    }
                    Some(Meaning::ThisWeek) => {
                        which = Which::ThisWeek;
                        used += 1;
                    }
                    Some(Meaning::Unit(Unit::Week)) if self.text(at + used) == "week" => {
                        which = Which::NextWeek;
                        used += 1;
                    }
                    _ => {}
                }
            }
            self.i = at + used;
            self.set_date(DateSpec::Weekday(day, which))?;
            return Ok(true);
        }
        if skip > 0 {
            return Ok(false);
        }

        // Day first: "3 December", "3rd of December", "3. joulukuuta", "the 3rd", "3. päivänä".
        let the = usize::from(self.word(at) == Some(Meaning::The));
        if let Some((day, ordinal)) = self.day_number(at + the) {
            let mut k = at + the + 1;
            let day_word = self.word(k) == Some(Meaning::DayOfMonth);
            k += usize::from(day_word);
            let of = usize::from(self.word(k) == Some(Meaning::Of));
            if let Some(Meaning::Month(month, _)) = self.word(k + of) {
                let (year, end) = self.year(k + of + 1);
                self.i = end;
                self.set_date(month_day(year, month, day))?;
                return Ok(true);
            }
            if the == 1 || ordinal || day_word {
                self.i = k;
                self.set_date(DateSpec::DayOfMonth(day))?;
                return Ok(true);
            }
        }
        // Month first: "December 3", "December the 3rd", "joulukuun 3. päivänä".
        if let Some(Meaning::Month(month, _)) = self.word(at) {
            let the = usize::from(self.word(at + 1) == Some(Meaning::The));
            if let Some((day, _)) = self.day_number(at + 1 + the) {
                let mut k = at + 2 + the;
                k += usize::from(self.word(k) == Some(Meaning::DayOfMonth));
                let (year, end) = self.year(k);
                self.i = end;
                self.set_date(month_day(year, month, day))?;
                return Ok(true);
            }
            return Ok(false);
        }

        if let Some(Tok::Date { year, month, day }) = self.num(at).cloned() {
            // "14.30." at the end of a sentence is a time and a full stop: no month 30.
            if year.is_none() && self.sentence_time(at).is_some() {
                return Ok(false);
            }
            self.i += 1;
            self.set_date(month_day(year, month, day))?;
            return Ok(true);
        }
        Ok(false)
    }

    /// A day of the month at `at`: "3", "03", "3rd", "3." — and whether it was an ordinal.
    fn day_number(&self, at: usize) -> Option<(u32, bool)> {
        match self.num(at)? {
            Tok::Int { value, digits } if *digits <= 2 && (1..=31).contains(value) => {
                Some((*value, false))
            }
            Tok::IntDot(value) if (1..=31).contains(value) => Some((*value, true)),
            Tok::Ordinal(value) if (1..=31).contains(value) => Some((*value, true)),
            _ => None,
        }
    }

    /// A year right after a date: four digits from 1970 on ("3 December 1400" is 14:00).
    fn year(&self, at: usize) -> (Option<i32>, usize) {
        match self.num(at) {
            Some(Tok::Int { value, digits: 4 } | Tok::IntDot(value)) if *value >= 1970 => {
                (Some(*value as i32), at + 1)
            }
            _ => (None, at),
        }
    }

    /// "14.30." read as a time followed by a full stop, where it cannot be a date.
    fn sentence_time(&self, at: usize) -> Option<NaiveTime> {
        let Some(Tok::Date {
            year: None,
            month,
            day,
        }) = self.num(at)
        else {
            return None;
        };
        let text = self.text(at);
        let minutes = text.trim_end_matches('.').rsplit('.').next()?;
        (*month > 12 && *day <= 23 && *month <= 59 && minutes.len() == 2).then(|| hm(*day, *month))
    }

    // --- times (rules 4, 6, 13, 14) ---------------------------------------------------------

    fn time(&mut self, marker: Option<Marker>) -> Result<bool, Error> {
        let at = self.i;
        let next = self.word(at + 1);
        let (time, used) = match (self.sym(at).cloned(), next) {
            (Some(Sym::Word(Meaning::Noon)), _) => (TimeSpec::At(hm(12, 0)), 1),
            (Some(Sym::Word(Meaning::Midnight)), _) => (TimeSpec::Midnight, 1),
            (Some(Sym::Word(Meaning::EndOfDay)), _) => (TimeSpec::EndOfDay, 1),
            (Some(Sym::Num(Tok::Int { value: 12, .. })), Some(Meaning::Noon)) => {
                (TimeSpec::At(hm(12, 0)), 2)
            }
            (Some(Sym::Num(Tok::Int { value: 12, .. })), Some(Meaning::Midnight)) => {
                (TimeSpec::Midnight, 2)
            }
            (
                Some(Sym::Num(Tok::Clock {
                    hour,
                    minute,
                    second,
                })),
                _,
            ) => {
                let meridiem = self.meridiem(at + 1);
                let mut used = 1 + usize::from(meridiem.is_some());
                // "14:00h"
                if meridiem.is_none() && self.text(at + 1) == "h" {
                    used += 1;
                }
                (self.clock(at, hour, minute, second, meridiem)?, used)
            }
            (
                Some(Sym::Num(Tok::Dotted {
                    left,
                    right,
                    right_digits,
                })),
                _,
            ) => {
                if let Some(pm) = self.meridiem(at + 1) {
                    if right_digits != 2 {
                        return self.not_a_time(at);
                    }
                    (self.clock(at, left, right, 0, Some(pm))?, 2)
                } else {
                    self.i += 1 + usize::from(self.text(at + 1) == "h");
                    return self
                        .dotted(at, left, right, right_digits, marker)
                        .map(|()| true);
                }
            }
            (Some(Sym::Num(Tok::Int { value, digits })), _) => {
                if let Some(pm) = self.meridiem(at + 1) {
                    if digits > 2 {
                        return self.not_a_time(at);
                    }
                    (self.clock(at, value, 0, 0, Some(pm))?, 2)
                } else if digits == 4 {
                    // "1400", "0900": hours and minutes.
                    let (h, m) = (value / 100, value % 100);
                    if h > 23 || m > 59 {
                        return self.not_a_time(at);
                    }
                    (TimeSpec::At(hm(h, m)), 1)
                } else if digits > 2 {
                    return self.not_a_time(at);
                } else {
                    (self.bare_hour(at, value, marker)?, 1)
                }
            }
            (Some(Sym::Num(Tok::Date { .. })), _) => match self.sentence_time(at) {
                Some(t) => (TimeSpec::At(t), 1),
                None => return Ok(false),
            },
            (Some(Sym::Num(Tok::Odd(_))), _) => return self.not_a_time(at),
            // "klo 14." at the end of a sentence: marked as a time, the dot is a full stop.
            (Some(Sym::Num(Tok::IntDot(value))), _) if marker.is_some() => {
                (self.bare_hour(at, value, marker)?, 1)
            }
            (Some(Sym::Num(Tok::IntDot(_) | Tok::Ordinal(_))), _) => return self.not_a_time(at),
            _ => return Ok(false),
        };
        self.i = at + used;
        self.set_time(time)?;
        Ok(true)
    }

    fn meridiem(&self, at: usize) -> Option<bool> {
        match self.word(at)? {
            Meaning::Am => Some(false),
            Meaning::Pm => Some(true),
            _ => None,
        }
    }

    fn not_a_time<T>(&self, at: usize) -> Result<T, Error> {
        self.fail(
            Kind::NotUnderstood,
            format!("\"{}\" is not a date or a time", self.text(at)),
            Some("a time such as \"14:00\" or a date such as \"25.11.\"".into()),
        )
    }

    /// A clock time with its checks: "25:00" and "14:60" are impossible, "12am" is midnight.
    fn clock(
        &self,
        at: usize,
        hour: u32,
        minute: u32,
        second: u32,
        meridiem: Option<bool>,
    ) -> Result<TimeSpec, Error> {
        let text = self.text(at);
        if minute > 59 || second > 59 {
            return self.fail(
                Kind::Impossible,
                format!("\"{text}\" has no such minute"),
                None,
            );
        }
        let hour = match meridiem {
            Some(pm) => {
                if hour == 0 || hour > 12 {
                    return self.fail(
                        Kind::Impossible,
                        format!(
                            "\"{text}{}\" is not a 12-hour time",
                            if pm { "pm" } else { "am" }
                        ),
                        (hour < 24).then(|| format!("\"{hour}:{minute:02}\"")),
                    );
                }
                if hour == 12 && minute == 0 && second == 0 && !pm {
                    return Ok(TimeSpec::Midnight);
                }
                hour % 12 + if pm { 12 } else { 0 }
            }
            None => hour,
        };
        if hour == 24 && minute == 0 && second == 0 {
            return Ok(TimeSpec::Midnight);
        }
        if hour > 23 {
            return self.fail(
                Kind::Impossible,
                format!("\"{text}\" is not a time of day"),
                Some("a time from 00:00 to 23:59".into()),
            );
        }
        Ok(TimeSpec::At(
            NaiveTime::from_hms_opt(hour, minute, second).expect("ranges checked"),
        ))
    }

    /// A bare number as an hour: "friday 14", "at 9", "klo 14".
    fn bare_hour(
        &mut self,
        at: usize,
        hour: u32,
        marker: Option<Marker>,
    ) -> Result<TimeSpec, Error> {
        if marker == Some(Marker::Clock) {
            // "klo" hours are 24-hour, but nobody promises a customer 03:00.
            return match hour {
                7..=23 => Ok(TimeSpec::At(hm(hour, 0))),
                24 => Ok(TimeSpec::Midnight),
                0..=6 => self.fail(
                    Kind::Ambiguous,
                    format!(
                        "\"klo {hour}\" could be {hour:02}:00 or {}:00",
                        if hour == 0 { 12 } else { hour + 12 }
                    ),
                    Some(format!(
                        "\"klo {}\" or \"klo {hour:02}.00\"",
                        if hour == 0 { 12 } else { hour + 12 }
                    )),
                ),
                _ => self.fail(
                    Kind::Impossible,
                    format!("\"klo {hour}\" is not a time of day"),
                    Some("\"klo 7\" … \"klo 23\"".into()),
                ),
            };
        }
        if hour > 23 {
            return self.fail(
                Kind::Impossible,
                format!("\"{hour}\" is not an hour of the day"),
                Some("a time such as \"14:00\", or a date such as \"friday 27.11.\"".into()),
            );
        }
        self.out.hour_at = Some(at);
        self.out.hour_marked = marker.is_some();
        Ok(TimeSpec::Hour(hour))
    }

    /// "15.12": a time, a date, or either (rule 14).
    fn dotted(
        &mut self,
        at: usize,
        left: u32,
        right: u32,
        right_digits: usize,
        marker: Option<Marker>,
    ) -> Result<(), Error> {
        // Rule 14 counts a time reading wherever N ≤ 23 and M ≤ 59; only two-digit minutes
        // can become one, though: "9.5" is no way to write 09:05.
        let as_time = left <= 23 && right <= 59;
        let exact_time = as_time && right_digits == 2;
        let as_date = right_digits <= 2
            && (1..=12).contains(&right)
            && chrono::NaiveDate::from_ymd_opt(2028, right, left).is_some();
        if marker.is_some() || (as_time && !as_date) {
            if !exact_time {
                return self.not_a_time(at);
            }
            return self.set_time(TimeSpec::At(hm(left, right)));
        }
        match (as_time, as_date) {
            (true, false) => unreachable!("a time alone was taken above"),
            (false, true) => self.set_date(DateSpec::MonthDay(right, left)),
            (true, true) => {
                if self.out.day_or_time.is_some() {
                    return self.two("dates");
                }
                self.out.day_or_time = Some(DayOrTime {
                    day: left,
                    month: right,
                    at,
                    exact_time,
                });
                Ok(())
            }
            (false, false) => self.fail(
                Kind::Impossible,
                format!("\"{}\" is neither a time nor a date", self.text(at)),
                Some("\"14.30\" for a time, \"25.11.\" for a date".into()),
            ),
        }
    }

    // --- the whole phrase -------------------------------------------------------------------

    fn finish(mut self) -> Result<Parsed, Error> {
        let o = &mut self.out;
        // "16h" alone is sixteen hours; beside a day it was 16:00.
        if let Some(n) = o.hours_or_time
            && o.date.is_none()
            && o.offset.is_none()
            && o.day_or_time.is_none()
        {
            o.time = None;
            o.offset = Some(Offset::Exact(i64::from(n) * 3600));
        }
        self.part_of_day()?;
        let o = &self.out;
        if o.date.is_none() && o.time.is_none() && o.offset.is_none() && o.day_or_time.is_none() {
            return self.fail(
                Kind::Empty,
                "there is no date or time in it".into(),
                Some(words::phrasing(o.lang()).example.into()),
            );
        }
        if o.from_date {
            match (&o.offset, &o.date) {
                (Some(Offset::Calendar { .. } | Offset::WorkingDays(_)), Some(_)) => {}
                (_, None) => {
                    return self.fail(
                        Kind::NotUnderstood,
                        "\"from\" needs a day after it".into(),
                        Some("\"a week from friday\" or \"in a week\"".into()),
                    );
                }
                _ => {
                    return self.fail(
                        Kind::NotUnderstood,
                        "only days and weeks count from a day".into(),
                        Some("\"2 days from friday\" or \"friday 14:00\"".into()),
                    );
                }
            }
        }
        match (&o.offset, &o.date, &o.time) {
            (Some(_), Some(_), _) if o.from_date => {}
            (Some(_), Some(_), _) => {
                return self.fail(
                    Kind::NotUnderstood,
                    "it gives both a duration and a date".into(),
                    Some("one of them, such as \"in 3 days\" or \"friday\"".into()),
                );
            }
            (Some(Offset::Exact(_)), None, Some(_)) => {
                return self.fail(
                    Kind::NotUnderstood,
                    "a time of day cannot follow a duration in hours or minutes".into(),
                    Some("\"in 2 hours\" or \"today 14:00\"".into()),
                );
            }
            (Some(Offset::Exact(_)), None, None) if o.day_or_time.is_some() => {
                return self.two("times");
            }
            (None, None, Some(TimeSpec::Hour(h))) if !o.hour_marked && o.day_or_time.is_none() => {
                return self.fail(
                    Kind::NotUnderstood,
                    format!("\"{h}\" alone is not a time"),
                    Some(format!("\"{h}:00\" or \"tomorrow {h}\"")),
                );
            }
            _ => {}
        }
        if o.before && o.offset.is_some() {
            return self.fail(
                Kind::NotUnderstood,
                "\"before\" a duration is not a deadline".into(),
                Some("\"in 2 days\"".into()),
            );
        }
        Ok(self.out)
    }
}

impl Parser<'_> {
    /// "tomorrow morning at 9": the part of the day picks the half of a bare hour, and must
    /// agree with a time given in full. Alone it has no time: refused with one to type.
    fn part_of_day(&mut self) -> Result<(), Error> {
        let Some((part, hint, at)) = self.out.part else {
            return Ok(());
        };
        let (first, last) = part.hours();
        match self.out.time {
            None => {
                let phrasing = words::phrasing(self.out.lang());
                let day = match self.items.get(at).map(|i| &i.sym) {
                    Some(Sym::Word(Meaning::PartOfDay { day: Some(0), .. })) => {
                        format!("{} ", phrasing.today)
                    }
                    Some(Sym::Word(Meaning::PartOfDay { day: Some(1), .. })) => {
                        format!("{} ", phrasing.tomorrow)
                    }
                    _ => String::new(),
                };
                let suggestion = self.out.rephrase(at, &format!("{day}{hint}"));
                self.fail(
                    Kind::NotUnderstood,
                    format!("\"{}\" has no time of day", self.text(at)),
                    Some(format!("\"{suggestion}\"")),
                )
            }
            Some(TimeSpec::Hour(h)) => match part.hour(h) {
                Some(hour) => {
                    self.out.time = Some(TimeSpec::At(hm(hour, 0)));
                    Ok(())
                }
                None => self.fail(
                    Kind::Impossible,
                    format!("\"{h}\" is not an hour of {}", part.name()),
                    Some(format!("\"{}\"", self.out.rephrase(at, hint))),
                ),
            },
            Some(TimeSpec::At(t)) if (first..=last).contains(&chrono::Timelike::hour(&t)) => Ok(()),
            // The time said in full is more likely what was meant than the part of the day.
            Some(TimeSpec::At(t)) => self.fail(
                Kind::Impossible,
                format!("{} is not in {}", t.format("%H:%M"), part.name()),
                Some(format!("\"{}\"", self.out.rephrase(at, ""))),
            ),
            Some(_) => self.two("times"),
        }
    }
}

fn month_day(year: Option<i32>, month: u32, day: u32) -> DateSpec {
    match year {
        Some(y) => DateSpec::Ymd(y, month, day),
        None => DateSpec::MonthDay(month, day),
    }
}

/// Larger units first in a compound duration.
fn rank(unit: Unit) -> u8 {
    match unit {
        Unit::Year => 9,
        Unit::Month => 8,
        Unit::Fortnight => 7,
        Unit::Week => 6,
        Unit::Day | Unit::WorkingDay => 5,
        Unit::DayAndNight => 4,
        Unit::Hour => 3,
        Unit::Quarter => 2,
        Unit::Minute | Unit::MinuteOrMonth => 1,
        Unit::Second => 0,
    }
}

fn negate(offset: Offset) -> Offset {
    match offset {
        Offset::Exact(s) => Offset::Exact(-s),
        Offset::Calendar {
            years,
            months,
            days,
        } => Offset::Calendar {
            years: -years,
            months: -months,
            days: -days,
        },
        Offset::WorkingDays(n) => Offset::WorkingDays(-n),
    }
}

/// A date that names a calendar day, which a weekday beside it must agree with.
fn dated(date: &DateSpec) -> bool {
    matches!(
        date,
        DateSpec::Ymd(..) | DateSpec::MonthDay(..) | DateSpec::DayOfMonth(_) | DateSpec::Day(_)
    )
}

pub fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("hour and minute checked")
}
