//! The vocabulary of the deadline language: weekdays, months, vague phrases and fillers.

use chrono::Weekday;

/// Words that carry no meaning in a deadline ("by Tuesday at 14:00").
pub const FILLERS: &[&str] = &["by", "on", "at"];

/// Phrases that are not deadlines, with a concrete alternative to offer instead.
/// Whole-phrase matches: "next week" is vague, but "friday next week" is a deadline.
pub const VAGUE_PHRASES: &[(&str, &str)] = &[
    (
        "as soon as possible",
        "\"today 16:00\" or \"tomorrow 12:00\"",
    ),
    ("in a while", "\"in 2 hours\" or \"tomorrow 12:00\""),
    (
        "next week",
        "\"monday next week\" or \"friday next week 12:00\"",
    ),
    (
        "this week",
        "\"friday\" or \"eow\" (friday at the default time)",
    ),
    (
        "next month",
        "a date such as \"15.12.\" or \"dec 15 12:00\"",
    ),
    (
        "this month",
        "a date such as \"30.11.\" or \"nov 30 12:00\"",
    ),
    ("when possible", "\"today 16:00\" or \"tomorrow 12:00\""),
    (
        "some point",
        "\"friday 12:00\" or a date such as \"dec 15\"",
    ),
];

/// Words that make any phrase vague, wherever they stand ("later today", "asap tomorrow").
pub const VAGUE_WORDS: &[(&str, &str)] = &[
    ("asap", "\"today 16:00\" or \"tomorrow 12:00\""),
    ("soon", "\"in 2 hours\" or \"today 16:00\""),
    ("shortly", "\"in 1 hour\" or \"today 16:00\""),
    ("later", "\"today 16:00\" or \"tomorrow 12:00\""),
    ("sometime", "\"friday 12:00\" or a date such as \"dec 15\""),
    ("someday", "\"friday 12:00\" or a date such as \"dec 15\""),
    ("whenever", "\"friday 12:00\" or a date such as \"dec 15\""),
    (
        "eventually",
        "\"friday 12:00\" or a date such as \"dec 15\"",
    ),
    ("tbd", "\"friday 12:00\" or a date such as \"dec 15\""),
    ("tba", "\"friday 12:00\" or a date such as \"dec 15\""),
];

/// A weekday from its full name or a 3- or 4-letter abbreviation (plus the common "thurs", "weds").
pub fn weekday(word: &str) -> Option<Weekday> {
    const DAYS: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    match word {
        "thurs" => return Some(Weekday::Thu),
        "weds" => return Some(Weekday::Wed),
        _ => {}
    }
    DAYS.iter()
        .find(|(name, _)| {
            *name == word || ((word.len() == 3 || word.len() == 4) && name.starts_with(word))
        })
        .map(|&(_, day)| day)
}

/// A month number from its full name or 3-letter abbreviation (plus "sept").
pub fn month(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|name| *name == word || (word.len() == 3 && name.starts_with(word)))
        .map(|i| i as u32 + 1)
}

/// Small counts spelled out: "in a week", "in two days".
pub fn count(word: &str) -> Option<i64> {
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    match word {
        "a" | "an" => Some(1),
        _ => WORDS.iter().position(|w| *w == word).map(|i| i as i64 + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_abbreviations() {
        for word in ["fri", "frid", "friday"] {
            assert_eq!(weekday(word), Some(Weekday::Fri), "{word}");
        }
        assert_eq!(weekday("tues"), Some(Weekday::Tue));
        assert_eq!(weekday("thurs"), Some(Weekday::Thu));
        assert_eq!(weekday("fr"), None);
        assert_eq!(weekday("fridays"), None);
    }

    #[test]
    fn month_names() {
        assert_eq!(month("dec"), Some(12));
        assert_eq!(month("december"), Some(12));
        assert_eq!(month("sept"), Some(9));
        assert_eq!(month("decem"), None);
        assert_eq!(month("ma"), None);
    }
}
