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

/// HTML as text. Quoted mail in HTML is a <blockquote> (Gmail, Thunderbird, Apple Mail), which
/// html2text renders as "> " lines, so the quote reads exactly as in a plain-text reply.
pub fn html_to_text(html: &str) -> String {
    // Wide enough that no sentence is wrapped; the text is read, not displayed.
    const WIDTH: usize = 4000;
    match html2text::config::plain_no_decorate().string_from_read(html.as_bytes(), WIDTH) {
        Ok(text) => normalise_newlines(&text),
        Err(_) => normalise_newlines(&mail_parser::decoders::html::html_to_text(html)),
    }
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
}
