//! A message's body as plain text lines, with quoting kept visible as "> ".

use mail_parser::{MimeHeaders, PartType};

/// The first inline text body: text/plain as written (unflowed when `format=flowed`), or an
/// HTML part rendered as text with its blockquotes as "> " lines. Line ends are "\n".
pub fn text(message: &mail_parser::Message<'_>) -> String {
    let Some(mut part) = message.text_bodies().next() else {
        return String::new();
    };
    // Some clients send an empty text/plain beside the HTML that holds the message.
    if let PartType::Text(text) = &part.body
        && text.trim().is_empty()
        && let Some(html) = message
            .html_bodies()
            .find(|p| matches!(p.body, PartType::Html(_)))
    {
        part = html;
    }
    let text = match &part.body {
        PartType::Text(text) => {
            let flowed = part.content_type().is_some_and(|ct| {
                ct.attribute("format")
                    .is_some_and(|f| f.eq_ignore_ascii_case("flowed"))
            });
            let delsp = part.content_type().is_some_and(|ct| {
                ct.attribute("delsp")
                    .is_some_and(|d| d.eq_ignore_ascii_case("yes"))
            });
            let text = normalise_newlines(text);
            if flowed { unflow(&text, delsp) } else { text }
        }
        PartType::Html(html) => html_to_text(html),
        _ => String::new(),
    };
    text.replace('\u{a0}', " ")
}

fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// HTML as text, a line per block, with the mail quoted in `<blockquote>` (Gmail, Thunderbird,
/// Apple Mail) as "> " lines, so that a quote reads exactly as in a plain-text reply.
///
/// mail-parser's converter does the text and the entities; it breaks lines only at `<br>` and
/// `</p>`, so block boundaries are marked as `<br>` first, and the quoted parts are converted
/// one by one. (html2text did all of this, but its HTML5 parser's static tables cost every
/// command, `prompt` included, about 0.15 ms of start-up: 12,000 relocations and 66 page faults
/// in a position-independent binary, for the rare HTML-only mail.)
pub fn html_to_text(html: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for (depth, part) in quote_parts(html) {
        let text = normalise_newlines(&mail_parser::decoders::html::html_to_text(&part));
        for line in text.split('\n') {
            let line = line.trim();
            let blank = line.is_empty();
            // One blank line where blocks left several.
            if blank
                && lines
                    .last()
                    .is_none_or(|l: &String| l.trim_start_matches('>').is_empty())
            {
                continue;
            }
            lines.push(quoted(depth, line).trim_end().to_string());
        }
    }
    while lines
        .last()
        .is_some_and(|l| l.trim_start_matches('>').is_empty())
    {
        lines.pop();
    }
    lines.join("\n")
}

/// Elements that start a line of their own (`<br>` and `</p>` break lines already).
const BLOCKS: [&str; 15] = [
    "address", "dd", "div", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "p", "pre", "tr",
];

/// The HTML cut into runs at one quote depth each (`<blockquote>` nesting), with a `<br>` at
/// every block element's start and end. Comments are copied whole, so that a tag inside one
/// counts for nothing.
fn quote_parts(html: &str) -> Vec<(usize, String)> {
    let mut parts: Vec<(usize, String)> = Vec::new();
    let mut depth = 0usize;
    let mut part = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        part.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            part.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        let name: String = tag
            .trim_start_matches('<')
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "blockquote" {
            parts.push((depth, std::mem::take(&mut part)));
            depth = if tag.starts_with("</") {
                depth.saturating_sub(1)
            } else {
                depth + 1
            };
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            part.push_str("<br>");
        } else if name == "td" || name == "th" {
            // Cells of a row, read as words of a line.
            part.push(' ');
        }
        part.push_str(tag);
    }
    part.push_str(rest);
    parts.push((depth, part));
    parts
}

/// Undoes RFC 3676 `format=flowed`: a line ending in a space continues on the next line of the
/// same quote depth; a leading space is space-stuffing. Quote depth is written back as "> ".
pub fn unflow(text: &str, delsp: bool) -> String {
    let mut out: Vec<String> = Vec::new();
    // The paragraph being joined: its quote depth and text so far.
    let mut open: Option<(usize, String)> = None;
    for raw in text.split('\n') {
        let depth = raw.chars().take_while(|&c| c == '>').count();
        let mut line = &raw[depth..];
        if let Some(unstuffed) = line.strip_prefix(' ') {
            line = unstuffed;
        }
        let signature = line == "-- ";
        let continues = line.ends_with(' ') && !signature;
        let piece = if continues && delsp {
            &line[..line.len() - 1]
        } else {
            line
        };
        match open.take() {
            Some((d, mut joined)) if d == depth && !signature => {
                joined.push_str(piece);
                open = Some((d, joined));
            }
            Some((d, joined)) => {
                out.push(quoted(d, &joined));
                open = Some((depth, piece.to_string()));
            }
            None => open = Some((depth, piece.to_string())),
        }
        if !continues && let Some((d, joined)) = open.take() {
            out.push(quoted(d, &joined));
        }
    }
    if let Some((d, joined)) = open {
        out.push(quoted(d, &joined));
    }
    out.join("\n")
}

fn quoted(depth: usize, text: &str) -> String {
    if depth == 0 {
        text.to_string()
    } else {
        format!("{} {text}", ">".repeat(depth))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flowed_lines_are_joined_per_quote_depth() {
        let text = "I'll send the revised figures by \nTuesday 14:00.\n\n\
                    > Could you send them \n> by Friday?\n-- \nMatti";
        assert_eq!(
            unflow(text, false),
            "I'll send the revised figures by Tuesday 14:00.\n\n\
             > Could you send them by Friday?\n-- \nMatti"
        );
    }

    #[test]
    fn delsp_removes_the_soft_break_space_and_stuffing_is_undone() {
        assert_eq!(
            unflow("perjan \ntaihin\n  indented", true),
            "perjantaihin\n indented"
        );
        assert_eq!(unflow(" From here", false), "From here");
    }

    #[test]
    fn a_flowed_line_at_a_new_quote_depth_starts_a_new_line() {
        assert_eq!(unflow("mine \n> theirs", false), "mine \n> theirs");
    }

    #[test]
    fn html_blockquotes_become_quoted_lines() {
        let text = html_to_text(
            "<div>Hi,</div><div>I&#39;ll send it by <b>Tuesday 14:00</b>.</div>\
             <div class=\"gmail_quote\">On Mon, Liisa wrote:<br>\
             <blockquote>Could you send it by Friday?</blockquote></div>",
        );
        assert!(text.contains("I'll send it by Tuesday 14:00."), "{text}");
        assert!(text.contains("> Could you send it by Friday?"), "{text}");
        assert!(!text.contains("**"), "{text}");
    }

    #[test]
    fn outlook_html_reply_keeps_its_header_block_recognisable() {
        let html = "<html><head><style><!-- p.MsoNormal {margin:0cm;} --></style></head><body>\
            <div class=WordSection1><p class=MsoNormal>Hello Pekka,</p><p class=MsoNormal>&nbsp;</p>\
            <p class=MsoNormal>I&#8217;ll send the updated contract by Wednesday 12:00.</p>\
            <p class=MsoNormal>&nbsp;</p><div><div style='border:none;border-top:solid #E1E1E1 1.0pt'>\
            <p class=MsoNormal><b>From:</b> Pekka Korhonen &lt;pekka@beta.se&gt;<br><b>Sent:</b> Monday, \
            November 23, 2026 8:55 AM<br><b>To:</b> Matti<br><b>Subject:</b> Contract</p></div></div>\
            <p class=MsoNormal>Can we have it by Tuesday 16:00?</p></div></body></html>";
        let text = html_to_text(html);
        let own = crate::email::own_text(&text);
        assert!(own.contains("by Wednesday 12:00"), "{own}");
        assert!(!own.contains("Tuesday"), "{own}");
        assert!(!own.contains("MsoNormal"), "{text}");
    }

    #[test]
    fn html_blocks_are_lines_and_nested_quotes_deeper_ones() {
        let text = html_to_text(
            "<div>Hi,</div><div>I&#39;ll send it by <b>Tuesday 14:00</b>.</div>\
             <div class=\"gmail_quote\">On Mon, Liisa wrote:<br><blockquote>Could you<br>\
             send it by Friday?<BLOCKQUOTE>older</BLOCKQUOTE>back</blockquote></div>\
             <div>-- <br>Matti</div>",
        );
        assert_eq!(
            text,
            "Hi,\n\nI'll send it by Tuesday 14:00.\n\nOn Mon, Liisa wrote:\n\n> Could you\n\
             > send it by Friday?\n>> older\n> back\n\n--\nMatti"
        );
    }

    #[test]
    fn html_comments_styles_and_tables_give_no_stray_text() {
        let text = html_to_text(
            "<html><head><style><!-- p.x {margin:0cm;} --></style></head><body>\
             <p>Hello&nbsp;Pekka,</p><!-- <blockquote> --><p>I&#8217;ll send</p>\
             <table><tr><td>by</td><td>Friday</td></tr></table></body></html>",
        );
        assert_eq!(text, "Hello\u{a0}Pekka,\n\nI\u{2019}ll send\n\nby Friday");
    }
}
