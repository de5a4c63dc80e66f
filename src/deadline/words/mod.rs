//! The vocabulary of the deadline language, one word list per language.
//!
//! The grammar never names a word: it asks what a word *means* ([`Meaning`]). Each language is a
//! table of its words and fixed phrases with their meanings (`en.rs`, `fi.rs`), plus the few
//! phrasings its hints are written in ([`Phrasing`]). Adding a language is adding a table; the
//! languages may be mixed in one phrase ("perjantaina 2pm").
//!
//! Lists are closed and exact: no word is matched by its prefix, so "hotels" is never "hours"
//! and "mondays" is never a unit.

mod en;
mod fi;

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::Weekday;

/// The languages a phrase may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Fi,
}

/// The grammatical case a Finnish weekday or month word is in; English words are all `Base`.
/// The meaning is the same in every case; the case only says how a hint should be phrased and
/// which words a form may stand next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// "friday", "perjantai", "joulukuu".
    Base,
    /// "perjantaina" (on Friday).
    Essive,
    /// "perjantaihin" (by Friday, with "mennessä").
    Illative,
    /// "perjantaiksi" (for Friday).
    Translative,
    /// "perjantaita" (after "ennen"), "joulukuuta" (after a day: "3. joulukuuta").
    Partitive,
    /// "joulukuun" (before a day: "joulukuun 3. päivä").
    Genitive,
}

/// A length unit of a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Minute,
    /// "vartti": a quarter of an hour.
    Quarter,
    Hour,
    /// "vuorokausi": 24 hours, exactly.
    DayAndNight,
    Day,
    /// Monday to Friday.
    WorkingDay,
    Week,
    Fortnight,
    Month,
    Year,
    /// Not a deadline unit: refused.
    Second,
    /// "m": minutes or months? Refused.
    MinuteOrMonth,
}

impl Unit {
    /// The exact length in minutes, for the units that are lengths of time rather than calendar
    /// steps.
    pub fn minutes(self) -> Option<i64> {
        match self {
            Unit::Minute => Some(1),
            Unit::Quarter => Some(15),
            Unit::Hour => Some(60),
            Unit::DayAndNight => Some(24 * 60),
            _ => None,
        }
    }
}

/// A part of the day, with the hours it spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Morning,
    Lunch,
    Afternoon,
    Evening,
    Night,
}

impl Part {
    /// The first and last hour of the day this part covers.
    pub fn hours(self) -> (u32, u32) {
        match self {
            Part::Morning => (5, 11),
            Part::Lunch => (11, 13),
            Part::Afternoon => (12, 17),
            Part::Evening => (17, 23),
            Part::Night => (19, 23),
        }
    }

    /// A bare hour said with this part of the day, on the 24-hour clock: "evening 7" is 19.
    pub fn hour(self, h: u32) -> Option<u32> {
        let (first, last) = self.hours();
        [h, h + 12]
            .into_iter()
            .find(|&h| (first..=last).contains(&h))
    }

    pub fn name(self) -> &'static str {
        match self {
            Part::Morning => "the morning",
            Part::Lunch => "lunchtime",
            Part::Afternoon => "the afternoon",
            Part::Evening => "the evening",
            Part::Night => "the night",
        }
    }
}

/// What a word or a fixed phrase means to the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Carries nothing: "by", "on", "until", "at the latest", "mennessä", "viimeistään".
    Filler,
    /// "before": a filler before an explicit time, ambiguous before a day.
    Before,
    /// "at", "@": a filler that makes a following number a time ("at 15.12").
    At,
    /// "klo", "kello": a following number is a 24-hour time.
    Clock,
    /// Today plus this many days: "today" 0, "tomorrow" 1, "yesterday" -1, "ylihuomenna" 2.
    Day(i8),
    Weekday(Weekday, Case),
    Month(u32, Case),
    /// "this" (friday), "tänä" (perjantaina).
    This,
    /// "next" (friday): ambiguous unless both readings agree.
    Next,
    /// "last" (friday), "viime": a day in the past.
    Last,
    /// "coming" in "this coming friday": the next one after today.
    Coming,
    /// "next week" (with a weekday: "friday next week"; alone: vague).
    NextWeek,
    /// "this week" (with a weekday: "friday this week"; alone: vague).
    ThisWeek,
    Noon,
    /// Midnight: the start or the end of the day? Refused.
    Midnight,
    /// End of the working day: the default deadline time.
    EndOfDay,
    EndOfWeek,
    EndOfNextWeek,
    EndOfMonth,
    EndOfNextMonth,
    /// "next business day": one working day from today.
    NextWorkingDay,
    /// A part of the day ("morning", "tonight", "aamulla"): no time by itself, but it tells
    /// which half of the day a bare hour means ("tomorrow morning at 9"). `day` is the day it
    /// names too ("tonight" is today's), `hint` the time to suggest in its place.
    PartOfDay {
        part: Part,
        day: Option<i8>,
        hint: &'static str,
    },
    /// "from" in "a week from friday": a duration counted from a day.
    From,
    /// Not a deadline at all ("asap", "soon", "pian"), with the concrete alternative to offer.
    Vague(&'static str),
    Am,
    Pm,
    Unit(Unit),
    /// A count written as a word: "two", "kahden".
    Number(u32),
    /// A fixed length in minutes: "half an hour" (30), "puolentoista tunnin" (90).
    Span(u32),
    /// "and a half" after a unit: half of that unit more.
    AndAHalf,
    /// "in", "within" before a duration.
    In,
    /// "from now", "time" (in 2 weeks' time), "päästä", "kuluttua", "sisällä" after a duration.
    FromNow,
    /// "ago", "sitten" after a duration: in the past.
    Ago,
    /// "the", in "the 3rd", "the day after tomorrow".
    The,
    /// "of", in "3rd of December".
    Of,
    /// "päivä", "päivänä" after a day number: "joulukuun 3. päivänä".
    DayOfMonth,
    /// "and", inside a duration: "1 hour and 30 minutes".
    And,
}

/// How hints are phrased in a language: concrete alternatives the user can type.
pub struct Phrasing {
    /// A concrete deadline to offer instead of a vague one.
    pub example: &'static str,
    /// The words for today and tomorrow, for "tomorrow 09:00" after a time that has passed.
    pub today: &'static str,
    pub tomorrow: &'static str,
    /// What to offer for "next week" alone: a day of it.
    pub which_day: &'static str,
    /// A clock time as this language writes it in a deadline: "14:30", "klo 14.30".
    pub clock: fn(u32, u32) -> String,
    /// A date with its year written out: "20 Oct 2027", "20.10.2027".
    pub date: fn(chrono::NaiveDate) -> String,
    /// "by <weekday>": "thursday", "torstaihin mennessä".
    pub by_weekday: fn(Weekday) -> String,
    /// The weekday's name as the phrase would use it: "friday", "perjantaina".
    pub weekday: fn(Weekday) -> &'static str,
}

/// One language's words.
pub struct Lexicon {
    pub lang: Lang,
    /// Every word and fixed phrase with its meaning. A phrase is words separated by one space.
    pub words: &'static [(&'static str, Meaning)],
    pub phrasing: Phrasing,
}

pub const LEXICONS: [&Lexicon; 2] = [&en::LEXICON, &fi::LEXICON];

pub fn phrasing(lang: Lang) -> &'static Phrasing {
    &LEXICONS
        .iter()
        .find(|l| l.lang == lang)
        .expect("every language has a lexicon")
        .phrasing
}

/// A word or phrase found at the start of a run of tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub meaning: Meaning,
    pub lang: Lang,
    /// How many tokens it spans.
    pub len: usize,
}

struct Entry {
    rest: Vec<&'static str>,
    meaning: Meaning,
    lang: Lang,
}

/// Entries by their first word, longest phrases first.
static BY_FIRST_WORD: LazyLock<HashMap<&'static str, Vec<Entry>>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, Vec<Entry>> = HashMap::new();
    for lexicon in LEXICONS {
        for &(phrase, meaning) in lexicon.words {
            let mut words = phrase.split(' ');
            let first = words.next().expect("no empty phrase in a word list");
            map.entry(first).or_default().push(Entry {
                rest: words.collect(),
                meaning,
                lang: lexicon.lang,
            });
        }
    }
    for entries in map.values_mut() {
        entries.sort_by_key(|e| std::cmp::Reverse(e.rest.len()));
    }
    map
});

/// The longest word or phrase of any language at the start of `tokens`.
pub fn lookup(tokens: &[String]) -> Option<Found> {
    let first = tokens.first()?;
    BY_FIRST_WORD.get(first.as_str())?.iter().find_map(|e| {
        let rest = tokens.get(1..=e.rest.len())?;
        rest.iter()
            .zip(&e.rest)
            .all(|(t, w)| t == w)
            .then_some(Found {
                meaning: e.meaning,
                lang: e.lang,
                len: e.rest.len() + 1,
            })
    })
}

/// The known word an unknown one was most likely meant to be ("tommorrow" → "tomorrow"), if
/// one is clearly closest. Only a suggestion for the error message: never used as a reading.
pub fn suggestion(word: &str) -> Option<&'static str> {
    let len = word.chars().count();
    if len < 4 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let limit = if len >= 7 { 2 } else { 1 };
    let mut best: Option<(usize, &'static str)> = None;
    let mut tie = false;
    for lexicon in LEXICONS {
        for &(phrase, meaning) in lexicon.words {
            // Single words only, and not the little ones: "by" is no suggestion for "bye".
            if phrase.contains(' ') || phrase.chars().count() < 3 {
                continue;
            }
            if matches!(meaning, Meaning::Vague(_)) {
                continue;
            }
            let d = strsim::damerau_levenshtein(word, phrase);
            if d == 0 || d > limit {
                continue;
            }
            match best {
                Some((b, w)) if d == b && w != phrase => tie = true,
                Some((b, _)) if d >= b => {}
                _ => {
                    best = Some((d, phrase));
                    tie = false;
                }
            }
        }
    }
    best.filter(|_| !tie).map(|(_, w)| w)
}

/// A weekday's English name, lowercase, as hints and errors write it.
pub fn weekday_name(day: Weekday) -> &'static str {
    (en::LEXICON.phrasing.weekday)(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meaning(phrase: &str) -> Option<Meaning> {
        let tokens: Vec<String> = phrase.split(' ').map(str::to_string).collect();
        lookup(&tokens)
            .filter(|f| f.len == tokens.len())
            .map(|f| f.meaning)
    }

    #[test]
    fn words_are_matched_exactly_never_by_prefix() {
        assert_eq!(
            meaning("fri"),
            Some(Meaning::Weekday(Weekday::Fri, Case::Base))
        );
        assert_eq!(
            meaning("frid"),
            Some(Meaning::Weekday(Weekday::Fri, Case::Base))
        );
        assert_eq!(meaning("fr"), None);
        assert_eq!(meaning("fridays"), None);
        assert_eq!(meaning("hours"), Some(Meaning::Unit(Unit::Hour)));
        assert_eq!(meaning("hotels"), None);
        assert_eq!(meaning("mondays"), None);
        assert_eq!(meaning("decem"), None);
        assert_eq!(meaning("sept"), Some(Meaning::Month(9, Case::Base)));
    }

    #[test]
    fn the_longest_phrase_wins() {
        let tokens: Vec<String> = "day after tomorrow 12:00"
            .split(' ')
            .map(str::to_string)
            .collect();
        let found = lookup(&tokens).unwrap();
        assert_eq!((found.meaning, found.len), (Meaning::Day(2), 3));
        let fi: Vec<String> = ["viikon", "loppuun"].map(String::from).to_vec();
        assert_eq!(lookup(&fi).unwrap().meaning, Meaning::EndOfWeek);
    }

    #[test]
    fn finnish_forms_mean_their_day() {
        for form in [
            "perjantai",
            "perjantaina",
            "perjantaihin",
            "perjantaiksi",
            "pe",
        ] {
            assert!(
                matches!(meaning(form), Some(Meaning::Weekday(Weekday::Fri, _))),
                "{form}"
            );
        }
    }

    #[test]
    fn typos_get_a_suggestion_and_nothing_else_does() {
        assert_eq!(suggestion("tommorrow"), Some("tomorrow"));
        assert_eq!(suggestion("tommorow"), Some("tomorrow"));
        assert_eq!(suggestion("thrusday"), Some("thursday"));
        assert_eq!(suggestion("wendesday"), Some("wednesday"));
        assert_eq!(suggestion("torstaihn"), Some("torstaihin"));
        // As close to two words: no suggestion rather than a guess between them.
        assert_eq!(suggestion("perjantaia"), None);
        assert_eq!(suggestion("banana"), None);
        assert_eq!(suggestion("bye"), None);
    }

    #[test]
    fn no_word_means_two_things_in_one_language() {
        for lexicon in LEXICONS {
            let mut seen = HashMap::new();
            for &(phrase, meaning) in lexicon.words {
                if let Some(other) = seen.insert(phrase, meaning) {
                    panic!("{phrase:?} is both {other:?} and {meaning:?}");
                }
            }
        }
    }
}
