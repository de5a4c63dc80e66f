//! The deadline language (SPEC section 2): a phrase such as "Tuesday 14:00" becomes an exact
//! instant, or a clear refusal. Pure: the clock and the zone are arguments.
//!
//! Durations are read by `interim`; the rest of the grammar is the project's own, because the
//! rules (weekday means the next one *after* today, "next friday" is ambiguous, a date without a
//! time gets the default deadline time, nothing may be left over) are stricter than interim's.

mod grammar;
mod resolve;
mod words;

use std::fmt;

use chrono::NaiveTime;

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
}

impl Options {
    pub fn deadline(default_time: NaiveTime) -> Options {
        Options {
            default_time,
            tense: Tense::Future,
            allow_past: false,
        }
    }

    pub fn past(default_time: NaiveTime) -> Options {
        Options {
            default_time,
            tense: Tense::Past,
            allow_past: true,
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
        if let Some(hint) = &self.hint {
            write!(f, "; try {hint}")?;
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
    let phrase = phrase.trim();
    // A full RFC 3339 instant is already exact; scripts pass these.
    let instant = match chrono::DateTime::parse_from_rfc3339(phrase) {
        Ok(exact) => resolve::check_tense(phrase, exact, now, zone, options)?,
        Err(_) => {
            let words = grammar::tokens(phrase);
            let parsed = grammar::parse(phrase, &words)?;
            resolve::resolve(phrase, &parsed, now, zone, options)?
        }
    };
    // Kept with the offset the zone has at that instant, whatever the phrase said.
    Ok(zone.localise(&instant))
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
                let phrase = text[start..end].trim_end_matches('.');
                resolve(phrase, now, zone, &options).ok().map(|due| {
                    (
                        j,
                        Mention {
                            start,
                            end: start + phrase.len(),
                            phrase: phrase.to_string(),
                            due,
                        },
                    )
                })
            });
        match longest {
            Some((next, mention)) => {
                found.push(mention);
                i = next;
            }
            None => i += 1,
        }
    }
    found
}

/// A length of time ("2 hours", "90m", "3 days ago") read by interim, which is the one place
/// this crate calls it. interim 0.2.2 panics on a word of 16 or more characters
/// (`assert!(s.len() < 16)` in its `Lowercase`, found by the fuzzer), so such text never reaches it.
pub fn interval(text: &str) -> Option<interim::Interval> {
    let safe = text
        .split_whitespace()
        .all(|w| w.len() < 16 && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if !safe {
        return None;
    }
    interim::parse_duration(text).ok()
}

#[cfg(test)]
mod tests;
