//! The sender's own words: a reply's body without what it quotes.
//!
//! Mail clients mark the quoted message in a handful of ways, all of them lines of text once the
//! body is plain (HTML blockquotes become "> " lines in `body`):
//! - "> " quoted lines (mutt, Thunderbird, Gmail, Apple Mail), anywhere: bottom-posted and
//!   interleaved replies keep the sender's lines between them;
//! - an attribution, "On Mon, 23 Nov 2026, Liisa wrote:" / "Liisa kirjoitti 23.11.2026 klo 9.12:",
//!   followed either by quoted lines (the reply goes on after them) or by the unmarked message
//!   itself (then everything after it is quoted);
//! - Outlook's header block ("From:" then "Sent:", "Lähettäjä:" then "Lähetetty:"), its
//!   "-----Original Message-----" line or a "____" rule: everything below is the old message;
//! - a forwarded message ("---------- Forwarded message ---------", "Begin forwarded message:",
//!   "-------- Välitetty viesti --------"): everything below, or up to mutt's "End forwarded
//!   message" line;
//! - the "-- " signature separator: everything below is the signature (and whatever it quotes).

/// The lines the sender wrote; every other line is blank, so paragraphs stay apart and nothing
/// quoted can join a sentence of the sender's.
pub fn own_text(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut own: Vec<&str> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if is_quoted(line) {
            own.push("");
            i += 1;
            continue;
        }
        if is_forward_from(line) {
            // mutt: "----- Forwarded message from X -----" … "----- End forwarded message -----"
            match lines[i..].iter().position(|l| is_forward_end(l)) {
                Some(end) => {
                    own.extend(std::iter::repeat_n("", end + 1));
                    i += end + 1;
                    continue;
                }
                None => break,
            }
        }
        if is_signature(line) || starts_old_message(&lines, i) {
            break;
        }
        if let Some(span) = attribution(&lines, i) {
            let next = lines[i + span..].iter().find(|l| !l.trim().is_empty());
            match next {
                // Bottom-posted or interleaved: the quote is marked, the reply goes on after it.
                Some(l) if is_quoted(l) => {
                    own.extend(std::iter::repeat_n("", span));
                    i += span;
                    continue;
                }
                // Top-posted with an unmarked quote (or nothing after it): the rest is quoted.
                _ => break,
            }
        }
        // Any other line that introduces quoted lines ("* Liisa <liisa@acme.fi> [2026-11-23]:")
        // is an attribution in a format of the user's own making.
        let introduces_quote = line.trim_end().ends_with(':')
            && lines[i + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| is_quoted(l));
        own.push(if introduces_quote { "" } else { line });
        i += 1;
    }
    own.join("\n")
}

fn is_quoted(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// "-- " (RFC 3676); some clients and HTML conversions drop the trailing space.
fn is_signature(line: &str) -> bool {
    line == "-- " || line.trim() == "--"
}

/// A line where the old message starts and runs to the end: Outlook's header block, its
/// original-message line or rule, or a forwarded message.
fn starts_old_message(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    let lower = line.to_lowercase();
    if line.len() >= 8 && line.chars().all(|c| c == '_') {
        return true;
    }
    if is_dashed_marker(line) && !is_forward_end(line) {
        return true;
    }
    if lower == "begin forwarded message:" || lower == "välitetty viesti alkaa:" {
        return true;
    }
    outlook_header_block(lines, i)
}

/// "-----Original Message-----", "---------- Forwarded message ---------",
/// "-------- Välitetty viesti --------": words between runs of dashes.
fn is_dashed_marker(line: &str) -> bool {
    let inner = line.trim_start_matches('-');
    let dashes_before = line.len() - inner.len();
    let inner_trimmed = inner.trim_end_matches('-');
    let dashes_after = inner.len() - inner_trimmed.len();
    dashes_before >= 3
        && dashes_after >= 3
        && inner_trimmed.chars().any(char::is_alphabetic)
        && inner_trimmed.len() < 100
}

fn is_forward_from(line: &str) -> bool {
    is_dashed_marker(line.trim()) && line.to_lowercase().contains("forwarded message from")
}

fn is_forward_end(line: &str) -> bool {
    is_dashed_marker(line.trim()) && line.to_lowercase().contains("end forwarded message")
}

/// "From: …" followed within a few lines by "Sent: …" (or "Date:"), in the languages Outlook
/// writes them in; the labels may be bold ("*From:*") after an HTML conversion.
fn outlook_header_block(lines: &[&str], i: usize) -> bool {
    const FROM: [&str; 6] = ["from", "lähettäjä", "von", "de", "från", "fra"];
    const SENT: [&str; 10] = [
        "sent",
        "date",
        "lähetetty",
        "päivämäärä",
        "gesendet",
        "datum",
        "envoyé",
        "skickat",
        "sendt",
        "päiväys",
    ];
    let label = |line: &str| -> Option<String> {
        let line = line.trim().trim_start_matches('*');
        let (label, _) = line.split_once(':')?;
        let label = label.trim_end_matches('*').trim().to_lowercase();
        (label.len() <= 12).then_some(label)
    };
    if !label(lines[i]).is_some_and(|l| FROM.contains(&l.as_str())) {
        return false;
    }
    lines[i + 1..]
        .iter()
        .take(4)
        .any(|l| label(l).is_some_and(|l| SENT.contains(&l.as_str())))
}

/// The number of lines (1 to 3) of an attribution starting at line `i`, such as
/// "On Mon, 23 Nov 2026 at 9.12, Liisa Virtanen <liisa@acme.fi> wrote:", which Gmail wraps
/// over two lines, or "ma 23.11.2026 klo 9.12 Liisa Virtanen (liisa@acme.fi) kirjoitti:".
fn attribution(lines: &[&str], i: usize) -> Option<usize> {
    let first = lines[i].trim();
    if first.is_empty() {
        return None;
    }
    if is_attribution(first) {
        return Some(1);
    }
    // A wrapped one starts the way attributions start, and its first line is no sentence.
    let lower = first.to_lowercase();
    let starts_like_one = ["on ", "am ", "le ", "den ", "op "]
        .iter()
        .any(|p| lower.starts_with(p))
        || starts_with_finnish_weekday_and_date(&lower);
    if !starts_like_one || first.ends_with(['.', '!', '?']) {
        return None;
    }
    let mut joined = first.to_string();
    for (k, line) in lines.iter().enumerate().skip(i + 1).take(2) {
        let line = line.trim();
        if line.is_empty() || is_quoted(line) {
            return None;
        }
        joined.push(' ');
        joined.push_str(line);
        if is_attribution(&joined) {
            return Some(k - i + 1);
        }
    }
    None
}

fn is_attribution(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    if lower.len() > 300 || !lower.ends_with(':') {
        return false;
    }
    lower.ends_with("wrote:")
        || lower.contains("kirjoitti")
        || lower.ends_with("schrieb:")
        || lower.contains(" a écrit")
        || lower.ends_with("skrev:")
        || lower.ends_with("het geschreven:")
}

/// "ma 23.11.2026 …", "pe 27.11.2026 …": how Gmail in Finnish starts its attribution.
fn starts_with_finnish_weekday_and_date(lower: &str) -> bool {
    let mut words = lower.split_whitespace();
    let day = words.next().unwrap_or_default().trim_end_matches('.');
    let date = words.next().unwrap_or_default();
    ["ma", "ti", "ke", "to", "pe", "la", "su"].contains(&day)
        && date.chars().next().is_some_and(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(body: &str) -> Vec<String> {
        own_text(body)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn top_posted_reply_with_marked_quote() {
        let body = "Hi Liisa,\n\nI'll send them by Tuesday 14:00.\n\nMatti\n\n\
                    On Mon, 23 Nov 2026 at 9.12, Liisa Virtanen <liisa@acme.fi> wrote:\n\
                    > Could you send the figures by Friday?\n> Liisa\n";
        assert_eq!(
            own(body),
            ["Hi Liisa,", "I'll send them by Tuesday 14:00.", "Matti"]
        );
    }

    #[test]
    fn bottom_posted_and_interleaved_replies_keep_the_text_after_the_quote() {
        let body = "On Mon, Nov 23, 2026 at 09:12:00AM +0200, Liisa Virtanen wrote:\n\
                    > Could you send the figures by Friday?\n\nYes, by Friday 12:00.\n\n\
                    > And the invoice?\n\nThat one tomorrow.\n";
        assert_eq!(own(body), ["Yes, by Friday 12:00.", "That one tomorrow."]);
    }

    #[test]
    fn a_wrapped_gmail_attribution_is_recognised() {
        let body = "Tomorrow it is.\n\nOn Mon, Nov 23, 2026 at 9:12 AM Liisa Virtanen <\n\
                    liisa@acme.fi> wrote:\n\n> Friday?\n";
        assert_eq!(own(body), ["Tomorrow it is."]);
        let fi = "Huomenna.\n\nma 23.11.2026 klo 9.12 Liisa Virtanen (\nliisa@acme.fi) kirjoitti:\n\n> Perjantaina?\n";
        assert_eq!(own(fi), ["Huomenna."]);
    }

    #[test]
    fn an_unmarked_quote_after_an_attribution_is_all_quoted() {
        let body = "Toimitan tarjouksen perjantaihin klo 12 mennessä.\n\n\
                    Liisa Virtanen kirjoitti 23.11.2026 klo 9.12:\n\
                    Voisitko lähettää tarjouksen torstaihin mennessä?\n";
        assert_eq!(
            own(body),
            ["Toimitan tarjouksen perjantaihin klo 12 mennessä."]
        );
    }

    #[test]
    fn outlook_header_blocks_end_the_reply() {
        let en = "I'll send it by Tuesday 14:00.\n\n________________________________\n\
                  From: Liisa Virtanen <liisa@acme.fi>\nSent: Monday, November 23, 2026 9:12 AM\n\
                  To: Matti\nSubject: Figures\n\nBy Friday please.\n";
        assert_eq!(own(en), ["I'll send it by Tuesday 14:00."]);
        let no_rule = "Sure, Friday 12:00.\n\nFrom: Liisa Virtanen <liisa@acme.fi>\n\
                       Sent: Monday, November 23, 2026 9:12 AM\nTo: Matti\n\nThursday?\n";
        assert_eq!(own(no_rule), ["Sure, Friday 12:00."]);
        let fi = "Toimitan perjantaina.\n\nLähettäjä: Liisa Virtanen <liisa@acme.fi>\n\
                  Lähetetty: maanantai 23. marraskuuta 2026 9.12\nVastaanottaja: Matti\n\n\
                  Torstaina?\n";
        assert_eq!(own(fi), ["Toimitan perjantaina."]);
        let bold = "Friday.\n\n*From:* Liisa\n*Sent:* Monday\n\nThursday?\n";
        assert_eq!(own(bold), ["Friday."]);
        let original = "Friday.\n\n-----Original Message-----\nFrom: Liisa\nThursday?\n";
        assert_eq!(own(original), ["Friday."]);
        let alkuperainen = "Perjantaina.\n-----Alkuperäinen viesti-----\nTorstaina?\n";
        assert_eq!(own(alkuperainen), ["Perjantaina."]);
    }

    #[test]
    fn a_custom_attribution_before_quoted_lines_is_not_the_senders() {
        let body = "* Liisa Virtanen <liisa@acme.fi> [2026-11-23 09:12]:\n> Invoice?\n\nFixed.\n";
        assert_eq!(own(body), ["Fixed."]);
    }

    #[test]
    fn a_from_line_without_a_header_block_is_the_senders() {
        let body = "From: our side everything is ready.\nI'll send it by Friday.\n";
        assert_eq!(
            own(body),
            [
                "From: our side everything is ready.",
                "I'll send it by Friday."
            ]
        );
    }

    #[test]
    fn signatures_and_forwards_are_not_the_senders_words() {
        let sig = "By Friday.\n-- \nMatti Meikäläinen\n+358 40 123 4567\n";
        assert_eq!(own(sig), ["By Friday."]);
        let gmail = "See below, I'll reply by Monday.\n\n---------- Forwarded message ---------\n\
                     From: Liisa\nDate: Fri, 20 Nov 2026\n\nDeadline Thursday.\n";
        assert_eq!(own(gmail), ["See below, I'll reply by Monday."]);
        let apple = "FYI.\n\nBegin forwarded message:\n\nFrom: Liisa\nThursday.\n";
        assert_eq!(own(apple), ["FYI."]);
        let tb_fi = "Tiedoksi.\n\n-------- Välitetty viesti --------\nAihe: x\nTorstaina.\n";
        assert_eq!(own(tb_fi), ["Tiedoksi."]);
        let mutt = "Below.\n\n----- Forwarded message from Liisa <liisa@acme.fi> -----\n\
                    Thursday.\n----- End forwarded message -----\n\nI'll do it by Friday.\n";
        assert_eq!(own(mutt), ["Below.", "I'll do it by Friday."]);
    }

    #[test]
    fn quoted_lines_leave_blank_lines_so_sentences_never_join_across_them() {
        assert_eq!(own_text("mine\n> theirs\nmine again"), "mine\n\nmine again");
    }
}
