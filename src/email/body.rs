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
/// [`flatten`] breaks lines only at `<br>` and `</p>`, so block boundaries are marked as `<br>`
/// first, and the quoted parts are converted one by one. (html2text did all of this, but its
/// HTML5 parser's static tables cost every command, `prompt` included, about 0.15 ms of
/// start-up: 12,000 relocations and 66 page faults in a position-independent binary, for the
/// rare HTML-only mail.)
pub fn html_to_text(html: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for (depth, part) in quote_parts(html) {
        let text = flatten(&part);
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

/// HTML as text: tags and comments dropped, a line ended at `<br>` and `</p>`, what `<head>`,
/// `<style>`, `<script>` and `<template>` hold dropped, each run of white space one space (none
/// at a line's start), character references decoded. The way mail-parser's converter reads
/// HTML, but with quick-xml's HTML5 names: a `match` the compiler makes into code, where
/// mail-parser's map is 2,125 pointers that a position-independent binary relocates at every
/// start (12 pages written, 8% of `promise --version`).
fn flatten(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    // The element whose content is not text, once its start tag is read.
    let mut hidden: Option<&'static str> = None;
    let mut space = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if let Some(element) = hidden {
            // Raw text up to its closing tag: a script's `a<b` is no tag.
            let end = rest.match_indices("</").map(|(at, _)| at).find(|&at| {
                rest.as_bytes()[at + 2..]
                    .get(..element.len())
                    .is_some_and(|name| name.eq_ignore_ascii_case(element.as_bytes()))
            });
            rest = &rest[end.unwrap_or(rest.len())..];
            hidden = None;
            continue;
        }
        if c == '<' {
            if let Some(comment) = rest.strip_prefix("<!--") {
                rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
                continue;
            }
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = rest[1..end].trim_end_matches('>');
            rest = &rest[end..];
            let closing = tag.starts_with('/');
            let name = tag.trim_start_matches('/');
            let name = &name[..name
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(name.len())];
            let is = |wanted: &str| name.eq_ignore_ascii_case(wanted);
            if is("br") || (closing && is("p")) {
                out.push('\n');
                space = false;
            } else if !closing {
                hidden = ["head", "style", "script", "template"]
                    .into_iter()
                    .find(|&element| is(element));
            }
            continue;
        }
        rest = &rest[c.len_utf8()..];
        if c.is_ascii_whitespace() {
            space = true;
            continue;
        }
        let (text, after) = match c {
            '&' => reference(rest).map_or((None, rest), |(c, after)| (Some(c), after)),
            _ => (None, rest),
        };
        if space && !out.is_empty() && !out.ends_with('\n') {
            out.push(' ');
        }
        space = false;
        match text {
            Some(text) => out.push_str(&text),
            None => out.push(c),
        }
        rest = after;
    }
    out
}

/// The character reference that `rest` starts with (after its `&`): its text and what follows
/// its `;`. None when it is not one (a lone `&` stays as written).
fn reference(rest: &str) -> Option<(String, &str)> {
    // The longest name is 31 bytes ("CounterClockwiseContourIntegral").
    let end = rest.bytes().take(40).position(|b| b == b';')?;
    let (name, after) = (&rest[..end], &rest[end + 1..]);
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => number.parse(),
        }
        .ok()?;
        let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        return Some((c.to_string(), after));
    }
    quick_xml::escape::resolve_html5_entity(name).map(|text| (text.to_string(), after))
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
    fn character_references_are_decoded_and_anything_else_kept_as_written() {
        assert_eq!(
            flatten(
                "T&auml;n&auml;&#228;n 5&euro;&hellip; it&rsquo;s&#x2019;s&#X41; \
                 R&D &bogus; &#xD800; &amp;amp; &#99999999999; \
                 &nbsp;\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}"
            ),
            "T\u{e4}n\u{e4}\u{e4}n 5\u{20ac}\u{2026} it\u{2019}s\u{2019}sA \
             R&D &bogus; \u{fffd} &amp; &#99999999999; \
             \u{a0}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}\u{e4}"
        );
    }

    #[test]
    fn scripts_templates_and_unclosed_markup_give_no_stray_text() {
        assert_eq!(
            flatten("<SCRIPT>if (a<b) x();</SCRIPT>By<BR/>Friday<template><p>t</p></template>."),
            "By\nFriday."
        );
        assert_eq!(flatten("Friday <b"), "Friday");
        assert_eq!(flatten("Friday <!-- open"), "Friday");
    }

    proptest::proptest! {
        #[test]
        fn any_html_flattens_without_a_panic(html in "(<|>|&|;|#|x|/|!|-|p|br|script| |\u{e4}|\u{1F600})*") {
            // Nothing in this alphabet spells a `<` as a reference: every one starts markup.
            let text = flatten(&html);
            proptest::prop_assert!(!text.contains('<'), "{:?} gave {:?}", html, text);
        }
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
