//! Phrase → tokens: lowercase words, and numbers with the punctuation that gives them their
//! meaning ("15.12" is not "15.12." and neither is "15:12"). Glued forms are pulled apart here
//! ("2pm", "90min", "1h30m", "12noon", "2026-11-25T14:00"), so the grammar sees one shape for
//! each thing however it was typed.

use super::words;

/// One token of a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A word or a sign, lowercase: "friday", "klo", "@", "week's".
    Word(String),
    /// Digits: "14", "0900", "2026".
    Int {
        value: u32,
        digits: usize,
    },
    /// A number with a dot after it: "3." as in "3. joulukuuta".
    IntDot(u32),
    /// "3rd", "21st".
    Ordinal(u32),
    /// Two numbers joined by a dot with no dot after: "15.12", "9.30", "2.5". A time, a date or a
    /// decimal: the grammar decides.
    Dotted {
        left: u32,
        right: u32,
        right_digits: usize,
    },
    /// "14:00", "9:30", "14:00:30".
    Clock {
        hour: u32,
        minute: u32,
        second: u32,
    },
    /// A numeric date: "25.11.", "25.11.2026", "3/12", "2026-11-25", "24-11-2026".
    Date {
        year: Option<i32>,
        month: u32,
        day: u32,
    },
    /// "(" and ")" around a remark, as in the deadline's own echo "(in 1 day, 3 hours)".
    Open,
    Close,
    /// Something with digits that has no shape the grammar knows ("1.2.3.4", "12:345").
    Odd(String),
}

impl Tok {
    pub fn word(&self) -> Option<&str> {
        match self {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }
}

/// A token and the text it came from, for messages and hints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub text: String,
}

/// Splits a phrase into tokens.
pub fn tokens(phrase: &str) -> Vec<Token> {
    let lower = phrase
        .to_lowercase()
        .replace(['’', '‘', '`', '´'], "'")
        .replace([',', '–', '—'], " ")
        .replace('(', " ( ")
        .replace(')', " ) ")
        .replace('@', " @ ");
    let mut out = Vec::new();
    for raw in lower.split_whitespace() {
        split(raw, &mut out);
    }
    out
}

fn push_word(word: &str, out: &mut Vec<Token>) {
    out.push(Token {
        tok: Tok::Word(word.to_string()),
        text: word.to_string(),
    });
}

fn split(raw: &str, out: &mut Vec<Token>) {
    let raw = raw.trim_end_matches(['!', ';', '?']);
    let raw = raw.trim_start_matches(['"', '\'', '“', '«']);
    let raw = raw.trim_end_matches(['"', '“', '”', '»']);
    if raw.is_empty() {
        return;
    }
    match raw {
        "(" => return out.push(token(Tok::Open, raw)),
        ")" => return out.push(token(Tok::Close, raw)),
        _ => {}
    }
    // "a.m.", "p.m." and a time glued to them: "2p.m.", "9:30a.m".
    for (spelled, word) in [("a.m.", "am"), ("a.m", "am"), ("p.m.", "pm"), ("p.m", "pm")] {
        if let Some(number) = raw.strip_suffix(spelled) {
            if !number.is_empty() {
                split(number, out);
            }
            return push_word(word, out);
        }
    }
    // An ISO date with its time: "2026-11-25t14:00".
    if let Some((date, time)) = raw.split_once('t')
        && !time.is_empty()
        && let Some(tok @ Tok::Date { .. }) = numeric(date)
        && date.len() == 10
    {
        out.push(token(tok, date));
        return split(time, out);
    }
    let first = raw.chars().next().expect("not empty");
    if first.is_ascii_digit() {
        return split_number(raw, out);
    }
    // A trailing dot ends an abbreviation or a sentence: "tue.", "ma.", "hrs.".
    let word = raw.trim_end_matches('.');
    if word.is_empty() {
        return;
    }
    // Hyphenated words the lexicon does not know as a whole are their parts: "end-of-day".
    // A zone name keeps its hyphens: "america/port-au-prince".
    if word.contains('-')
        && !word.contains('/')
        && !known(word)
        && word.split('-').all(|p| !p.is_empty())
    {
        for part in word.split('-') {
            split(part, out);
        }
        return;
    }
    push_word(word, out);
}

fn known(word: &str) -> bool {
    words::lookup(&[word.to_string()]).is_some_and(|f| f.len == 1)
}

fn token(tok: Tok, text: &str) -> Token {
    Token {
        tok,
        text: text.to_string(),
    }
}

/// A token that starts with a digit: a number shape, or a number glued to a word ("2pm",
/// "90min", "1h30m", "3rd", "14:00h", "12noon").
fn split_number(raw: &str, out: &mut Vec<Token>) {
    if let Some(tok) = numeric(raw) {
        return out.push(token(tok, raw));
    }
    // A sentence's full stop after a time or a number that cannot be a date: "2pm.", "14:00.".
    if let Some(body) = raw.strip_suffix('.')
        && !body.ends_with('.')
        && (body.contains(':')
            || body.ends_with(|c: char| c.is_alphabetic())
            || (!body.contains('.') && numeric(body).is_some()))
    {
        return split_number(body, out);
    }
    if let Some(n) = ordinal(raw) {
        return out.push(token(Tok::Ordinal(n), raw));
    }
    // Alternate runs of number and letters.
    let mut rest = raw;
    let mut parts = Vec::new();
    while !rest.is_empty() {
        let digits = rest.starts_with(|c: char| c.is_ascii_digit());
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if digits {
                    !(c.is_ascii_digit() || c == '.' || c == ':')
                } else {
                    !c.is_alphabetic() && c != '\''
                }
            })
            .map_or(rest.len(), |(i, _)| i);
        if end == 0 {
            // Neither a number nor a word: a sign we do not know.
            return out.push(token(Tok::Odd(raw.to_string()), raw));
        }
        parts.push(&rest[..end]);
        rest = &rest[end..];
    }
    for part in parts {
        if part.starts_with(|c: char| c.is_ascii_digit()) {
            match numeric(part) {
                Some(tok) => out.push(token(tok, part)),
                None => out.push(token(Tok::Odd(part.to_string()), part)),
            }
        } else {
            push_word(part, out);
        }
    }
}

fn ordinal(raw: &str) -> Option<u32> {
    let number = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| raw.strip_suffix(s))?;
    (number.len() <= 2 && number.bytes().all(|b| b.is_ascii_digit()))
        .then(|| number.parse().ok())
        .flatten()
}

fn int(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The shape of a token made of digits and separators, if it has one.
fn numeric(raw: &str) -> Option<Tok> {
    if let Some(value) = int(raw) {
        return Some(Tok::Int {
            value,
            digits: raw.len(),
        });
    }
    if raw.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for any date, time or count.
        return Some(Tok::Odd(raw.to_string()));
    }
    if let Some(body) = raw.strip_suffix('.')
        && let Some(n) = int(body)
    {
        return Some(Tok::IntDot(n));
    }
    let sep = [':', '.', '/', '-']
        .into_iter()
        .find(|&s| raw.contains(s))?;
    if raw.chars().any(|c| !c.is_ascii_digit() && c != sep) {
        return None;
    }
    let trailing_dot = sep == '.' && raw.ends_with('.');
    let body = if trailing_dot {
        &raw[..raw.len() - 1]
    } else {
        raw
    };
    let parts: Vec<&str> = body.split(sep).collect();
    let nums: Vec<u32> = parts.iter().map(|p| int(p)).collect::<Option<_>>()?;
    let len = |i: usize| parts[i].len();
    match (sep, &nums[..]) {
        (':', &[hour, minute]) if len(0) <= 2 && len(1) == 2 => Some(Tok::Clock {
            hour,
            minute,
            second: 0,
        }),
        (':', &[hour, minute, second]) if len(0) <= 2 && len(1) == 2 && len(2) == 2 => {
            Some(Tok::Clock {
                hour,
                minute,
                second,
            })
        }
        ('.', &[left, right]) if !trailing_dot && len(0) <= 2 => Some(Tok::Dotted {
            left,
            right,
            right_digits: len(1),
        }),
        ('.', &[day, month]) if len(0) <= 2 && len(1) <= 2 => Some(Tok::Date {
            year: None,
            month,
            day,
        }),
        ('/', &[day, month]) if len(0) <= 2 && len(1) <= 2 => Some(Tok::Date {
            year: None,
            month,
            day,
        }),
        // Year first is ISO order: "2026-11-25", "2026/12/03".
        ('-' | '/' | '.', &[year, month, day]) if len(0) == 4 && len(1) <= 2 && len(2) <= 2 => {
            Some(Tok::Date {
                year: Some(year as i32),
                month,
                day,
            })
        }
        ('-' | '/' | '.', &[day, month, year]) if len(0) <= 2 && len(1) <= 2 => {
            let year = match len(2) {
                4 => year as i32,
                2 => 2000 + year as i32,
                _ => return Some(Tok::Odd(raw.to_string())),
            };
            Some(Tok::Date {
                year: Some(year),
                month,
                day,
            })
        }
        _ => Some(Tok::Odd(raw.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(phrase: &str) -> Vec<Tok> {
        tokens(phrase).into_iter().map(|t| t.tok).collect()
    }

    fn w(s: &str) -> Tok {
        Tok::Word(s.into())
    }

    fn n(value: u32) -> Tok {
        Tok::Int {
            value,
            digits: value.to_string().len(),
        }
    }

    #[test]
    fn glued_forms_come_apart() {
        assert_eq!(toks("2pm"), [n(2), w("pm")]);
        assert_eq!(toks("2p.m."), [n(2), w("pm")]);
        assert_eq!(toks("2 P.M."), [n(2), w("pm")]);
        assert_eq!(toks("12noon"), [n(12), w("noon")]);
        assert_eq!(toks("90min"), [n(90), w("min")]);
        assert_eq!(toks("1h30m"), [n(1), w("h"), n(30), w("m")]);
        assert_eq!(
            toks("14:00h"),
            [
                Tok::Clock {
                    hour: 14,
                    minute: 0,
                    second: 0
                },
                w("h")
            ]
        );
        assert_eq!(toks("3rd"), [Tok::Ordinal(3)]);
        assert_eq!(toks("friday@2pm"), [w("friday"), w("@"), n(2), w("pm")]);
        assert_eq!(toks("end-of-day"), [w("end"), w("of"), w("day")]);
        assert_eq!(toks("month-end"), [w("month-end")]);
    }

    #[test]
    fn dots_keep_their_meaning() {
        assert_eq!(
            toks("15.12"),
            [Tok::Dotted {
                left: 15,
                right: 12,
                right_digits: 2
            }]
        );
        assert_eq!(
            toks("15.12."),
            [Tok::Date {
                year: None,
                month: 12,
                day: 15
            }]
        );
        assert_eq!(
            toks("25.11.2026."),
            [Tok::Date {
                year: Some(2026),
                month: 11,
                day: 25
            }]
        );
        assert_eq!(toks("3."), [Tok::IntDot(3)]);
        assert_eq!(toks("tue."), [w("tue")]);
        assert_eq!(toks("friday 2pm."), [w("friday"), n(2), w("pm")]);
        assert_eq!(
            toks("2026-11-25t14:00"),
            [
                Tok::Date {
                    year: Some(2026),
                    month: 11,
                    day: 25
                },
                Tok::Clock {
                    hour: 14,
                    minute: 0,
                    second: 0
                }
            ]
        );
        assert_eq!(
            toks("2026/12/03"),
            [Tok::Date {
                year: Some(2026),
                month: 12,
                day: 3
            }]
        );
        assert_eq!(
            toks("24-11-2026"),
            [Tok::Date {
                year: Some(2026),
                month: 11,
                day: 24
            }]
        );
    }
}
