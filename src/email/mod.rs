//! Reading an email the user sent into a draft promise (SPEC section 8): who it went to, what it
//! was about, its Message-ID, and the deadline the sender wrote in their own words. Pure: the
//! message comes in as bytes, the clock and the zone are arguments, nothing touches the store.
//!
//! - [`parse`]: the message, decoded by mail-parser (MIME, quoted-printable, base64, charsets),
//!   with its body as plain text (`format=flowed` unflowed, HTML-only mail turned into text by
//!   `body`).
//! - [`own_text`]: only what the sender wrote, without quoted replies, signatures and forwards.
//! - [`deadline`]: the concrete future deadline in that text, if there is exactly one.
//! - [`customer`]: the customer, from earlier promises to the same domain or the config.

mod body;
mod customer;
mod deadline;
mod quote;

use chrono::DateTime;
use mail_parser::MessageParser;

use crate::model::Instant;

pub use customer::{Customer, CustomerError, customer, domain_of};
pub use deadline::{Candidate, Found, deadline};
pub use quote::own_text;

/// The parts of a sent message that become a promise.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The Message-ID, without its angle brackets (RFC 5322: they are not part of the id).
    pub message_id: Option<String>,
    /// The first To: recipient.
    pub to: Option<Mailbox>,
    pub subject: Option<String>,
    /// When it was sent (the Date: header), if it has a valid one.
    pub date: Option<Instant>,
    /// The body as plain text: the text/plain part, or the HTML part as text.
    pub body: String,
}

/// "Liisa Virtanen <liisa@acme.fi>".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
}

impl Mailbox {
    /// The contact as stored: "Name <address>", or the bare address when it has no name.
    pub fn contact(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} <{}>", self.address),
            None => self.address.clone(),
        }
    }

    /// The part after the last '@', lowercase.
    pub fn domain(&self) -> Option<String> {
        domain_of(&self.address)
    }
}

/// Why the bytes are not a message we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("it is empty")]
    Empty,
    #[error("it has none of the headers an email has (From:, To:, Subject:, Date:, Message-ID:)")]
    NoHeaders,
    /// An mbox of several messages (aerc pipes marked messages that way).
    #[error("it holds several messages; give one at a time")]
    Several,
}

/// Decodes one RFC 5322 message.
pub fn parse(raw: &[u8]) -> Result<Message, Error> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    // In mbox form every message starts with a "From " line, and a body line that would start
    // with "From " is escaped as ">From ", so a second such line is a second message.
    if raw.starts_with(b"From ") && raw.windows(6).any(|w| w == b"\nFrom ") {
        return Err(Error::Several);
    }
    let message = MessageParser::default()
        .parse(raw)
        .ok_or(Error::NoHeaders)?;
    let to = message
        .to()
        .and_then(|to| {
            to.iter()
                .find(|a| a.address().is_some_and(|s| !s.is_empty()))
        })
        .map(|a| Mailbox {
            name: a.name().map(clean).filter(|n| !n.is_empty()),
            address: clean(a.address().unwrap_or_default()),
        });
    let subject = message.subject().map(clean);
    let message_id = message
        .message_id()
        .map(|id| clean(id.trim().trim_start_matches('<').trim_end_matches('>')))
        .filter(|id| !id.is_empty());
    let date = message
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| DateTime::parse_from_rfc3339(&d.to_rfc3339()).ok());
    if to.is_none()
        && subject.is_none()
        && message_id.is_none()
        && date.is_none()
        && message.from().is_none()
    {
        return Err(Error::NoHeaders);
    }
    Ok(Message {
        message_id,
        to,
        subject,
        date,
        body: body::text(&message),
    })
}

/// What was promised, from the Subject: without reply and forward prefixes ("Re:", "VS:",
/// "Fwd:", "VL:", "SV:", "AW:", repeated, any case, also "Re[2]:") and bracketed tags such as
/// "[EXTERNAL]" or "[Acme #123]".
pub fn what_from_subject(subject: &str) -> String {
    const PREFIXES: [&str; 9] = ["re", "vs", "fwd", "fw", "vl", "sv", "aw", "tr", "wg"];
    let mut rest = clean(subject);
    loop {
        let s = rest.trim_start();
        // A bracketed tag anywhere at the front: "[EXTERNAL] Re: [ticket] ..."
        if let Some(inner) = s.strip_prefix('[')
            && let Some(end) = inner.find(']')
        {
            rest = inner[end + 1..].to_string();
            continue;
        }
        let word_end = s.find(':').unwrap_or(0);
        let head = s[..word_end].trim().to_lowercase();
        // "Re[2]" and "Re(2)": a count of replies some clients add.
        let bare = head
            .split(['[', '('])
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        if word_end > 0 && PREFIXES.contains(&bare.as_str()) {
            rest = s[word_end + 1..].to_string();
            continue;
        }
        return s.trim().to_string();
    }
}

/// Header text made safe to store and show: control characters become spaces, bidirectional
/// overrides (which could make a subject read backwards) go, runs of white space become one space.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_lose_reply_forward_prefixes_and_tags() {
        for (subject, what) in [
            ("Re: Revised figures", "Revised figures"),
            ("RE: RE: Re: Revised figures", "Revised figures"),
            ("Vs: VS: Tarjous", "Tarjous"),
            ("Fwd: Fw: FW: Budget", "Budget"),
            ("VL: SV: AW: Budget", "Budget"),
            ("[EXTERNAL] Re: Budget 2027", "Budget 2027"),
            ("Re: [Acme #123] Re: Budget", "Budget"),
            ("Re[2]: Budget", "Budget"),
            ("re:budget", "budget"),
            ("Reminder: invoice", "Reminder: invoice"),
            ("Re: Meeting: Tuesday", "Meeting: Tuesday"),
            ("  Re:   Two   spaces\t", "Two spaces"),
        ] {
            assert_eq!(what_from_subject(subject), what, "{subject}");
        }
        assert_eq!(what_from_subject("Re: [EXTERNAL]"), "");
        // A bidi override would show "exe.pdf"; an escape sequence would colour the terminal.
        assert_eq!(
            what_from_subject("Re: Invoice \u{202e}fdp.exe\u{1b}[31m"),
            "Invoice fdp.exe [31m"
        );
    }

    #[test]
    fn a_message_gives_its_recipient_subject_id_and_date() {
        let raw = b"From: Matti Meikalainen <matti@example.fi>\r\n\
            To: \"Virtanen, Liisa\" <Liisa.Virtanen@Acme.FI>, other@acme.fi\r\n\
            Subject: =?UTF-8?Q?Re:_Tarjous_p=C3=A4ivitetty?=\r\n\
            Date: Mon, 23 Nov 2026 09:40:00 +0200\r\n\
            Message-ID: <abc.123@mail.example.fi>\r\n\r\nHello\r\n";
        let m = parse(raw).unwrap();
        assert_eq!(m.message_id.as_deref(), Some("abc.123@mail.example.fi"));
        assert_eq!(
            m.to.as_ref().unwrap().contact(),
            "Virtanen, Liisa <Liisa.Virtanen@Acme.FI>"
        );
        assert_eq!(m.to.unwrap().domain().as_deref(), Some("acme.fi"));
        assert_eq!(m.subject.as_deref(), Some("Re: Tarjous päivitetty"));
        assert_eq!(m.date.unwrap().to_rfc3339(), "2026-11-23T09:40:00+02:00");
        assert_eq!(m.body.trim(), "Hello");
    }

    #[test]
    fn an_mbox_of_one_message_is_read_and_of_several_refused() {
        let one = b"From matti@example.fi Mon Nov 23 09:40:00 2026\n\
            Date: Mon, 23 Nov 2026 09:40:00 +0200\nTo: Liisa <liisa@acme.fi>\n\
            Subject: Re: X\nMessage-ID: <a@b>\n\n>From here on, by Friday.\n";
        let m = parse(one).unwrap();
        assert_eq!(m.message_id.as_deref(), Some("a@b"));
        assert_eq!(m.subject.as_deref(), Some("Re: X"));
        let mut two = one.to_vec();
        two.extend_from_slice(b"\nFrom liisa@acme.fi Mon Nov 23 09:50:00 2026\nSubject: Y\n\nZ\n");
        assert_eq!(parse(&two).unwrap_err(), Error::Several);
    }

    #[test]
    fn an_empty_text_part_gives_way_to_the_html_one() {
        let raw = b"To: liisa@acme.fi\r\nSubject: x\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/alternative; boundary=b\r\n\r\n\
            --b\r\nContent-Type: text/plain\r\n\r\n \r\n\
            --b\r\nContent-Type: text/html\r\n\r\n<p>By <b>Friday</b>.</p>\r\n--b--\r\n";
        assert_eq!(parse(raw).unwrap().body.trim(), "By Friday.");
    }

    proptest::proptest! {
        /// No message, however malformed, makes reading it panic.
        #[test]
        fn any_bytes_are_read_without_panic(raw in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
            if let Ok(m) = parse(&raw) {
                let _ = own_text(&m.body);
            }
        }

        #[test]
        fn any_text_is_sifted_for_deadlines_without_panic(text in "(?s).{0,400}") {
            let sent = chrono::DateTime::parse_from_rfc3339("2026-11-23T09:40:00+02:00").unwrap();
            let zone = crate::zone::Zone::named("Europe/Helsinki").unwrap();
            let options = crate::deadline::Options::deadline(chrono::NaiveTime::from_hms_opt(16, 0, 0).unwrap());
            let own = own_text(&text);
            let _ = deadline(&own, sent, &zone, &options);
            let _ = deadline(&text, sent, &zone, &options);
            let _ = what_from_subject(&text);
        }

        /// The same with text made of the pieces that matter: deadline words, quote marks,
        /// attributions, signatures, numbers and punctuation.
        #[test]
        fn mail_shaped_text_is_sifted_without_panic(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "by", "Friday", "14:00", "tomorrow", "in", "2", "hours", "3.12.", "2026", "1400",
                "3rd", "the", "thanks", "agreed", "I'll", "?", ".", ",", "!", "\n", "\n\n", "> ",
                "On Mon, Liisa wrote:", "kirjoitti:", "-- ", "From: x", "Sent: y", "____", "ä",
                "–", ":", "(", ")", "and", "ja", "klo", "12", "perjantaihin", "mennessä", "sat",
            ]),
            0..80,
        )) {
            let text = pieces.join(" ");
            let sent = chrono::DateTime::parse_from_rfc3339("2026-11-23T09:40:00+02:00").unwrap();
            let zone = crate::zone::Zone::named("Europe/Helsinki").unwrap();
            let options = crate::deadline::Options::deadline(chrono::NaiveTime::from_hms_opt(16, 0, 0).unwrap());
            if let Found::One(c) = deadline(&own_text(&text), sent, &zone, &options) {
                proptest::prop_assert!(c.due > sent);
                proptest::prop_assert!(c.sentence.contains(&c.phrase));
            }
        }
    }

    #[test]
    fn what_is_not_a_message_is_refused() {
        assert_eq!(parse(b"").unwrap_err(), Error::Empty);
        assert_eq!(parse(b" \n\n").unwrap_err(), Error::Empty);
        assert_eq!(
            parse(b"just some text\nwith no headers\n").unwrap_err(),
            Error::NoHeaders
        );
    }
}
