//! The deadline language (SPEC section 2): a phrase such as "Tuesday 14:00" becomes an exact
//! instant, or a clear refusal. Pure: the clock and the zone are arguments.
//!
//! Three steps, each its own module: `lexer` splits the phrase into tokens, `grammar` reads
//! them into a structure (which day, which time, how long from now) with the word lists of
//! `words`, one per language, and `resolve` applies the calendar rules against the clock.
//! The grammar is the project's own and owns the whole phrase; no general-purpose date parser
//! is involved, because the rules (a weekday is the next one *after* today, "next friday" is
//! ambiguous, "15.12" may be a date or a time, nothing may be left over, no word is read by its
//! prefix) are the product.

mod grammar;
mod lexer;
mod resolve;
mod words;

use std::fmt;

use chrono::{Datelike, NaiveTime};

use crate::model::Instant;
use crate::zone::Zone;

pub use resolve::describe_day;

/// Whether the phrase names a deadline (ahead of now) or a moment already past (`done --at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    /// A deadline: "friday" is the next Friday after today; a past instant is refused.
    Future,
    /// A moment that happened: "friday" is the latest Friday up to today; the future is refused.
    Past,
}

/// How to read a phrase.
#[derive(Debug, Clone)]
pub struct Options {
    /// The time a date without a time gets (`default_time`, 16:00 unless configured).
    pub default_time: NaiveTime,
    pub tense: Tense,
    /// Accept a deadline in the past, for recording history.
    pub allow_past: bool,
    /// The command has `--allow-past`, so a refusal as past may point to it.
    pub offers_allow_past: bool,
    /// The user's own zone, against which a pasted echo's "(…; 16:00 EET here)" is checked.
    pub home: Option<Zone>,
}

impl Options {
    pub fn deadline(default_time: NaiveTime) -> Options {
        Options {
            default_time,
            tense: Tense::Future,
            allow_past: false,
            offers_allow_past: true,
            home: None,
        }
    }

    pub fn past(default_time: NaiveTime) -> Options {
        Options {
            default_time,
            tense: Tense::Past,
            allow_past: true,
            offers_allow_past: false,
            home: None,
        }
    }
}

/// Why a phrase was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Empty,
    /// "asap", "soon", "next week": not a deadline at all.
    Vague,
    /// Two readings ("next friday", "midnight"): the user must pick.
    Ambiguous,
    /// Words the grammar does not know, or do not fit together.
    NotUnderstood,
    /// A value no calendar or clock has ("25:00", "31.11.").
    Impossible,
    /// A deadline that has already passed.
    Past,
    /// A moment said to have happened that has not happened yet.
    Future,
    /// A local time skipped by a DST change.
    Nonexistent,
}

/// A refused phrase: what was wrong and, where it helps, a concrete alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub phrase: String,
    pub kind: Kind,
    pub reason: String,
    pub hint: Option<String>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot use \"{}\": {}", self.phrase, self.reason)?;
        match &self.hint {
            // A Finnish hint brings its own lead-in ("esim. …").
            Some(hint) if hint.starts_with("esim.") => write!(f, "; {hint}")?,
            Some(hint) => write!(f, "; try {hint}")?,
            None => {}
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Resolves a phrase to an exact instant against `now` in `zone`, with that zone's offset.
pub fn resolve(
    phrase: &str,
    now: Instant,
    zone: &Zone,
    options: &Options,
) -> Result<Instant, Error> {
    resolve_parsed(phrase, now, zone, options).map(|(t, _)| t)
}

/// What a resolved phrase said besides its instant, for a reader of running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Said {
    /// A length of time from now ("in 2 hours", "3 days"), not a day.
    pub duration: bool,
    /// A time of day ("14:00", "noon", "eod", "klo 12").
    pub time: bool,
}

fn resolve_parsed(
    phrase: &str,
    now: Instant,
    zone: &Zone,
    options: &Options,
) -> Result<(Instant, Said), Error> {
    let phrase = phrase.trim();
    let mut said = Said {
        duration: false,
        time: true,
    };
    // A full RFC 3339 instant is already exact; scripts pass these.
    let instant = match chrono::DateTime::parse_from_rfc3339(phrase) {
        Ok(exact) => {
            if !resolve::YEARS.contains(&exact.year()) {
                return Err(Error {
                    phrase: phrase.to_string(),
                    kind: Kind::Impossible,
                    reason: "that date is outside the years 1970–9999".into(),
                    hint: None,
                });
            }
            resolve::check_tense(phrase, exact, now, zone, options)?;
            exact
        }
        Err(_) => {
            let tokens = lexer::tokens(phrase);
            let parsed = grammar::parse(phrase, &tokens)?;
            said = Said {
                duration: parsed.offset.is_some() && parsed.date.is_none(),
                time: parsed.time.is_some() || parsed.day_or_time.is_some(),
            };
            resolve::resolve(phrase, &parsed, now, zone, options)?
        }
    };
    // Kept with the offset the zone has at that instant, whatever the phrase said.
    Ok((zone.localise(&instant), said))
}

/// A deadline phrase found inside running text, such as a sentence of an email.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte range of the phrase in the text.
    pub start: usize,
    pub end: usize,
    /// The phrase as written.
    pub phrase: String,
    /// What it resolves to; past instants are included, the caller decides what they mean.
    pub due: Instant,
    pub said: Said,
}

/// Every deadline phrase in `text`: at each word, the longest run of words (up to eight) that
/// resolves on its own. Resolution is the one grammar's, so whatever `resolve` accepts, in any
/// language, is found; surrounding words are simply not part of the mention.
pub fn mentions(text: &str, now: Instant, zone: &Zone, options: &Options) -> Vec<Mention> {
    const LONGEST: usize = 8;
    let options = Options {
        allow_past: true,
        ..options.clone()
    };
    // Words with their byte ranges, without the punctuation that ends a clause around them.
    let words: Vec<(usize, usize)> = text
        .split_whitespace()
        .map(|w| {
            let start = w.as_ptr() as usize - text.as_ptr() as usize;
            let trimmed = w.trim_start_matches(['(', '"', '\'', '“', '«']);
            let lead = w.len() - trimmed.len();
            let trimmed =
                trimmed.trim_end_matches([',', ';', ':', '!', '?', ')', '"', '\'', '”', '»']);
            (start + lead, start + lead + trimmed.len())
        })
        .filter(|(s, e)| e > s)
        .collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let longest = (i + 1..=(i + LONGEST).min(words.len()))
            .rev()
            .find_map(|j| {
                let (start, end) = (words[i].0, words[j - 1].1);
                let whole = &text[start..end];
                let bare = whole.trim_end_matches('.');
                let read = |phrase: &str| {
                    (!phrase.is_empty() && !weak(phrase))
                        .then(|| resolve_parsed(phrase, now, zone, &options).ok())
                        .flatten()
                };
                // A full stop at the end may be the sentence's or a date's ("… by 3.12."). The
                // dot is read as written; where only the phrase without it makes sense and it
                // ends in a number ("friday 15.12."), which was meant cannot be known: no mention.
                let (phrase, (due, said)) = match (read(whole), read(bare)) {
                    (Some(dotted), Some(plain)) if dotted.0 == plain.0 => (bare, plain),
                    (Some(dotted), _) => (whole, dotted),
                    (None, Some(_))
                        if whole != bare && bare.ends_with(|c: char| c.is_ascii_digit()) =>
                    {
                        return Some((j, None));
                    }
                    (None, Some(plain)) => (bare, plain),
                    (None, None) => return None,
                };
                Some((
                    j,
                    Some(Mention {
                        start,
                        end: start + phrase.len(),
                        phrase: phrase.to_string(),
                        due,
                        said,
                    }),
                ))
            });
        match longest {
            Some((next, mention)) => {
                // An unreadable span is passed over whole: no part of it is a mention either.
                found.extend(mention);
                i = next;
            }
            None => i += 1,
        }
    }
    found
}

/// Running text is full of words that are deadlines only where a deadline is expected: "to"
/// (Thursday, in Finnish), "sat", a price "12.50", a version "2.5", an amount "1400". A mention
/// needs a word of the lists beyond a short weekday abbreviation and a filler, or a number that
/// can only be a date or a time of day.
fn weak(phrase: &str) -> bool {
    use lexer::Tok;
    use words::Meaning as M;
    let tokens = lexer::tokens(phrase);
    let texts: Vec<String> = tokens.iter().map(|t| t.text.clone()).collect();
    let mut i = 0;
    let mut after_filler = false;
    while i < tokens.len() {
        let strong = match &tokens[i].tok {
            Tok::Date { .. } | Tok::Clock { .. } | Tok::Ordinal(_) => true,
            Tok::Word(w) => match words::lookup(&texts[i..]) {
                Some(found) => {
                    let len = found.len;
                    let strong = match found.meaning {
                        // "Friday", or "by Fri"; not "sat" or "to" alone.
                        M::Weekday(_, words::Case::Base) => {
                            let letters = w.chars().count();
                            letters > 4 || (letters >= 3 && after_filler)
                        }
                        // "at 14", "klo 9": a number marked as a time.
                        M::At | M::Clock => matches!(
                            tokens.get(i + len).map(|t| &t.tok),
                            Some(Tok::Int { .. } | Tok::Dotted { .. })
                        ),
                        M::Filler | M::Before | M::The | M::Of | M::And => false,
                        _ => true,
                    };
                    after_filler = matches!(found.meaning, M::Filler | M::Before);
                    i += len - 1;
                    strong
                }
                None => false,
            },
            _ => false,
        };
        if strong {
            return false;
        }
        i += 1;
    }
    true
}

/// A length of time as the config and `--due-within` write it: "90d", "2h", "15m", "1h30m",
/// "2 hours", "0m". Here "m" is minutes, as the config's own defaults write it. Calendar units
/// longer than a week vary in length and are refused.
pub fn span(text: &str) -> Option<chrono::TimeDelta> {
    let tokens = lexer::tokens(text);
    let mut total = chrono::TimeDelta::zero();
    let mut rest = tokens.as_slice();
    if rest.is_empty() {
        return None;
    }
    while let [number, unit, tail @ ..] = rest {
        let lexer::Tok::Int { value, .. } = number.tok else {
            return None;
        };
        let n = i64::from(value);
        let step = match unit.tok.word()? {
            "m" => chrono::TimeDelta::try_minutes(n)?,
            word => match words::lookup(&[word.to_string()])?.meaning {
                words::Meaning::Unit(words::Unit::Day) => chrono::TimeDelta::try_days(n)?,
                words::Meaning::Unit(words::Unit::Week) => chrono::TimeDelta::try_weeks(n)?,
                words::Meaning::Unit(unit) => {
                    chrono::TimeDelta::try_minutes(unit.minutes()?.checked_mul(n)?)?
                }
                _ => return None,
            },
        };
        total = total.checked_add(&step)?;
        rest = tail;
    }
    rest.is_empty().then_some(total)
}

#[cfg(test)]
mod tests;
