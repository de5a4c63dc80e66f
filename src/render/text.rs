//! Text from customers and users, made safe and measured for a terminal.
//!
//! A customer name or a promise's `what` may come from a pasted email or a hand-edited store; a
//! control character in it must never reach the terminal raw (an ESC can rewrite the screen, a
//! bidi override can hide text), and a spreadsheet must never run a CSV cell as a formula.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

/// C0 and C1 controls, DEL and the bidirectional overrides and isolates: the characters that
/// change how the text around them is shown rather than showing themselves.
pub fn is_hostile(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The first hostile character in `text`, if any.
pub fn first_hostile(text: &str) -> Option<char> {
    text.chars().find(|&c| is_hostile(c))
}

/// `text` with every hostile character written as a Rust escape (`\u{1b}`), visible and inert.
pub fn clean(text: &str) -> Cow<'_, str> {
    if first_hostile(text).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_hostile(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A CSV text cell a spreadsheet will show as text: hostile characters escaped, and a leading
/// `=`, `+`, `-`, `@`, tab or carriage return (a formula, or a way to sneak one in) behind a `'`.
pub fn csv_text(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = clean(text);
    if formula {
        format!("'{text}")
    } else {
        text.into_owned()
    }
}

/// Columns `text` takes on a terminal (wide characters count twice), of its widest line.
pub fn width(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// `text` cut to at most `max` columns, with "…" where it was cut.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// `text` in lines of at most `max` columns, broken at spaces; a word longer than a line is cut.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let fits = width(&line) + usize::from(!line.is_empty()) + width(word) <= max;
        if !line.is_empty() && !fits {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        for c in word.chars() {
            if width(&line) + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > max {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_escaped_and_the_rest_is_kept() {
        assert_eq!(clean("Acme Oy ✓ é"), "Acme Oy ✓ é");
        assert_eq!(clean("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            clean("\u{7}\r\0\u{7f}\u{85}\u{202e}\u{2066}\t\n"),
            "\\u{7}\\u{d}\\u{0}\\u{7f}\\u{85}\\u{202e}\\u{2066}\\u{9}\\u{a}"
        );
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
        assert_eq!(first_hostile("ok\u{202d}"), Some('\u{202d}'));
        assert_eq!(first_hostile("zero\u{200d}width joiner is fine"), None);
    }

    #[test]
    fn csv_cells_that_could_be_formulas_are_quoted_as_text() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_text(cell).starts_with('\''), "{cell:?}");
        }
        assert_eq!(csv_text("Acme Oy"), "Acme Oy");
        assert_eq!(csv_text("a=b"), "a=b");
        assert_eq!(csv_text("\u{1b}x"), "\\u{1b}x");
    }

    #[test]
    fn width_counts_wide_characters_and_truncate_marks_the_cut() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("ab\nabcd"), 4);
        assert_eq!(truncate("Acme Oy", 10), "Acme Oy");
        assert_eq!(truncate("Acme Corporation Oy", 10), "Acme Corp…");
        assert_eq!(width(&truncate("日本日本日本", 5)), 5);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_only_words_too_long_for_a_line() {
        assert_eq!(
            wrap("Send the revised proposal", 12),
            ["Send the", "revised", "proposal"]
        );
        assert_eq!(wrap("short", 12), ["short"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert!(wrap("a b c d e f g h", 3).iter().all(|l| width(l) <= 3));
    }
}
