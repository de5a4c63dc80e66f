//! `promise add --from-email` with messages in the shapes mail clients write them
//! (tests/fixtures/email/): each becomes exactly the expected promise, or a clear refusal that
//! changes nothing. The clock is Monday 23 November 2026 10:30 in Helsinki; the mails were sent
//! that morning at 09:40 unless a test says otherwise.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Output, Stdio};

use crate::env::TestEnv;

fn fixture(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        "email",
        name,
    ]
    .iter()
    .collect();
    assert!(path.exists(), "no fixture {name}");
    path.to_string_lossy().into_owned()
}

/// A store and config where acme.fi and beta.se are known customers.
fn env() -> TestEnv {
    let env = TestEnv::new();
    env.write_config("[customers]\n\"acme.fi\" = \"Acme Oy\"\n\"beta.se\" = \"Beta AB\"\n");
    env
}

/// Captures the fixture and returns the stored promise.
fn capture(env: &TestEnv, name: &str, extra: &[&str]) -> serde_json::Value {
    let file = fixture(name);
    let mut args = vec!["add", "--from-email", &file, "--json"];
    args.extend_from_slice(extra);
    let printed = env.json(&args);
    let stored = env.json(&["list", "--json"]);
    let stored = stored
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == printed["id"])
        .expect("the printed promise is stored")
        .clone();
    assert_eq!(printed, stored);
    stored
}

fn piped(env: &TestEnv, args: &[&str], input: &[u8]) -> Output {
    let mut child = env
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn gmail_top_posted_reply_in_quoted_printable() {
    let env = env();
    let p = capture(&env, "gmail-en-top-posted.eml", &[]);
    assert_eq!(p["customer"], "Acme Oy");
    assert_eq!(p["contact"], "Liisa Virtanen <liisa@acme.fi>");
    assert_eq!(p["what"], "Revised figures");
    // Not Friday, nor Monday 30.11. 9:00: those are in Liisa's quoted message.
    assert_eq!(p["due"], "2026-11-24T14:00:00+02:00");
    assert_eq!(p["ref"], "CAF5rTq9+W1dN0x_Lm2pQ4@mail.gmail.com");
    assert_eq!(p["status"], "open");
    assert_eq!(p["made"], "2026-11-23T10:30:00+02:00");
    assert!(p.get("tz").is_none());
}

#[test]
fn the_echo_quotes_the_sentence_the_deadline_was_found_in() {
    let env = env();
    let out = env.ok(&["add", "--from-email", &fixture("gmail-en-top-posted.eml")]);
    assert!(out.contains("Promised Acme Oy: Revised figures"), "{out}");
    assert!(
        out.contains("Tuesday 24 November 2026 at 14:00 EET"),
        "{out}"
    );
    assert!(
        out.contains("said \"I'll send the revised figures by Tuesday 14:00.\""),
        "{out}"
    );
    let quiet = env.ok(&[
        "add",
        "--from-email",
        &fixture("outlook-en-windows-1252.eml"),
        "--quiet",
    ]);
    assert_eq!(quiet.trim().len(), 10, "{quiet}");
}

#[test]
fn outlook_reply_in_windows_1252_with_a_header_block_and_a_past_reference() {
    let env = env();
    let p = capture(&env, "outlook-en-windows-1252.eml", &[]);
    assert_eq!(p["customer"], "Beta AB");
    assert_eq!(p["contact"], "Pekka Korhonen <pekka@beta.se>");
    assert_eq!(p["what"], "Contract update");
    // Not Friday (the meeting thanked for) nor Tuesday 16:00 (Pekka's request below the rule).
    assert_eq!(p["due"], "2026-11-25T12:00:00+02:00");
    assert_eq!(
        p["ref"],
        "AM9PR07MB7201A1B2C3D4E5F6A7B8C9D0E1F2@AM9PR07MB7201.eurprd07.prod.outlook.com"
    );
}

#[test]
fn thunderbird_bottom_posted_format_flowed_with_a_signature() {
    let env = env();
    let p = capture(&env, "thunderbird-en-flowed.eml", &[]);
    // The domain matches whatever its case: ACME.fi is acme.fi.
    assert_eq!(p["customer"], "Acme Oy");
    assert_eq!(p["contact"], "Virtanen, Liisa <Liisa.Virtanen@ACME.fi>");
    assert_eq!(p["what"], "Draft report");
    // "tomorrow at 15:00" is split over a soft line break; "Thursday 9:00" is quoted.
    assert_eq!(p["due"], "2026-11-24T15:00:00+02:00");
}

#[test]
fn apple_mail_html_only_in_base64_with_a_blockquote() {
    let env = env();
    let p = capture(&env, "apple-mail-html-only.eml", &[]);
    assert_eq!(p["what"], "Slides");
    assert_eq!(p["due"], "2026-11-26T10:00:00+02:00");
    assert_eq!(
        p["ref"],
        "5A6B7C8D-9E0F-4A1B-8C2D-3E4F5A6B7C8D@meikalainen.fi"
    );
}

#[test]
fn mutt_interleaved_reply_in_iso_8859_1() {
    let env = env();
    let p = capture(&env, "mutt-en-interleaved.eml", &[]);
    assert_eq!(p["contact"], "Liisa Mäkinen <liisa@acme.fi>");
    assert_eq!(p["what"], "Invoice and report");
    // "next week" is vague; the dates in the attribution and the quote are not the sender's.
    assert_eq!(p["due"], "2026-11-23T15:00:00+02:00");
}

#[test]
fn a_forward_with_the_senders_words_on_top() {
    let env = env();
    let p = capture(&env, "gmail-en-forward.eml", &[]);
    assert_eq!(p["what"], "Final numbers");
    // In 3 days from the sending day, at the default time; not the forwarded Tuesday 12:00.
    assert_eq!(p["due"], "2026-11-26T16:00:00+02:00");
}

#[test]
fn tomorrow_in_yesterdays_mail_means_today() {
    let env = env();
    let p = capture(&env, "yesterday-tomorrow.eml", &[]);
    assert_eq!(p["due"], "2026-11-23T15:00:00+02:00");
}

#[test]
fn references_to_the_past_and_questions_are_not_the_deadline() {
    let env = env();
    let p = capture(&env, "past-references.eml", &[]);
    assert_eq!(p["what"], "Project plan");
    assert_eq!(p["due"], "2026-11-25T15:00:00+02:00");
}

#[test]
fn a_deadline_already_past_is_refused_unless_allowed() {
    let env = env();
    let file = fixture("old-mail.eml");
    let e = env.fails(&["add", "--from-email", &file], 2);
    assert!(e.contains("already passed"), "{e}");
    assert!(e.contains("Thursday 5 November 2026 at 12:00"), "{e}");
    assert!(
        e.contains("I'll send the budget by Thursday 12:00.") && e.contains("--allow-past"),
        "{e}"
    );
    assert!(
        !env.data_dir().exists(),
        "a refusal must not create the store"
    );
    let p = capture(&env, "old-mail.eml", &["--allow-past"]);
    assert_eq!(p["due"], "2026-11-05T12:00:00+02:00");
}

#[test]
fn no_concrete_deadline_asks_for_due() {
    let env = env();
    env.add("Existing", "Acme Oy", "friday");
    let before = env.snapshot();
    for name in ["vague-only.eml", "fi-vague.eml"] {
        let e = env.fails(&["add", "--from-email", &fixture(name)], 2);
        assert!(
            e.contains("no concrete deadline") && e.contains("--due"),
            "{e}"
        );
    }
    assert_eq!(env.snapshot(), before);
    // --due is read against now, as in `add`.
    let p = capture(&env, "vague-only.eml", &["--due", "friday 12:00"]);
    assert_eq!(p["due"], "2026-11-27T12:00:00+02:00");
    assert_eq!(p["what"], "Proposal");
}

#[test]
fn several_deadlines_are_listed_for_the_user_to_pick() {
    let env = env();
    let e = env.fails(&["add", "--from-email", &fixture("several.eml")], 2);
    assert!(e.contains("2 different deadlines"), "{e}");
    assert!(
        e.contains("2026-11-25 16:00 (\"You'll have the draft by Wednesday.\")"),
        "{e}"
    );
    assert!(
        e.contains("2026-11-27 12:00 (\"The final version follows by Friday 12:00.\")"),
        "{e}"
    );
    assert!(e.contains("--due \"2026-11-25 16:00\""), "{e}");
    assert!(!env.data_dir().exists());
    let p = capture(&env, "several.eml", &["--due", "2026-11-27 12:00"]);
    assert_eq!(p["due"], "2026-11-27T12:00:00+02:00");
}

#[test]
fn the_same_message_twice_is_refused_open_or_closed() {
    let env = env();
    let first = capture(&env, "gmail-en-top-posted.eml", &[]);
    let id = first["id"].as_str().unwrap();
    let before = env.snapshot();
    let e = env.fails(
        &["add", "--from-email", &fixture("gmail-en-top-posted.eml")],
        2,
    );
    assert!(e.contains("already promise") && e.contains(&id[..3]), "{e}");
    assert!(e.contains("Revised figures") && e.contains("open"), "{e}");
    assert_eq!(env.snapshot(), before);

    env.ok(&["done", id]);
    let e = env.fails(
        &[
            "add",
            "Another try",
            "--from-email",
            &fixture("gmail-en-top-posted.eml"),
        ],
        2,
    );
    assert!(e.contains("kept"), "{e}");
}

#[test]
fn an_unknown_domain_is_named_with_the_to_to_add() {
    let env = env();
    let e = env.fails(&["add", "--from-email", &fixture("unknown-domain.eml")], 2);
    assert!(e.contains("gamma.example"), "{e}");
    assert!(e.contains("--to \"CUSTOMER\""), "{e}");
    let p = capture(&env, "unknown-domain.eml", &["--to", "Gamma Ltd"]);
    assert_eq!(p["customer"], "Gamma Ltd");
    assert_eq!(p["contact"], "Olli Nieminen <olli@gamma.example>");
    assert_eq!(p["due"], "2026-11-27T12:00:00+02:00");
}

#[test]
fn earlier_promises_name_the_customer_by_domain_exactly() {
    let env = TestEnv::new();
    let id = env
        .ok(&[
            "add",
            "Kick-off",
            "--to",
            "Acme Oy",
            "--contact",
            "Liisa <liisa@ACME.FI>",
            "--due",
            "friday",
            "--quiet",
        ])
        .trim()
        .to_string();
    // A closed promise still tells the customer.
    env.ok(&["done", &id]);
    let p = capture(&env, "gmail-en-top-posted.eml", &[]);
    assert_eq!(p["customer"], "Acme Oy");
    // A subdomain is another domain.
    let e = env.fails(&["add", "--from-email", &fixture("subdomain.eml")], 2);
    assert!(e.contains("labs.acme.fi"), "{e}");
}

#[test]
fn the_message_can_be_piped_on_stdin() {
    let env = env();
    let raw = std::fs::read(fixture("thunderbird-en-flowed.eml")).unwrap();
    let out = piped(&env, &["add", "--from-email", "-", "--json"], &raw);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p["due"], "2026-11-24T15:00:00+02:00");
    // No FILE at all also reads stdin, as from mutt's <pipe-message>.
    let raw = std::fs::read(fixture("apple-mail-html-only.eml")).unwrap();
    let out = piped(&env, &["add", "--json", "--from-email"], &raw);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p["due"], "2026-11-26T10:00:00+02:00");
}

#[test]
fn what_to_due_contact_and_ref_given_override_the_message() {
    let env = env();
    let p = capture(
        &env,
        "gmail-en-top-posted.eml",
        &[
            "--to",
            "Acme Group",
            "--due",
            "wednesday 9:00",
            "--contact",
            "Pekka",
        ],
    );
    assert_eq!(p["customer"], "Acme Group");
    assert_eq!(p["due"], "2026-11-25T09:00:00+02:00");
    assert_eq!(p["contact"], "Pekka");
    assert_eq!(p["ref"], "CAF5rTq9+W1dN0x_Lm2pQ4@mail.gmail.com");
    let p = env.json(&[
        "add",
        "Send the figures as PDF",
        "--from-email",
        &fixture("outlook-en-windows-1252.eml"),
        "--json",
    ]);
    assert_eq!(p["what"], "Send the figures as PDF");
    assert_eq!(p["due"], "2026-11-25T12:00:00+02:00");
}

#[test]
fn a_customer_in_another_zone_reads_the_deadline_there() {
    let env = env();
    let p = capture(
        &env,
        "gmail-en-top-posted.eml",
        &["--tz", "America/New_York"],
    );
    // Sent at 02:40 New York time on Monday: "Tuesday 14:00" there.
    assert_eq!(p["due"], "2026-11-24T14:00:00-05:00");
    assert_eq!(p["tz"], "America/New_York");
}

#[test]
fn what_is_not_an_email_is_refused() {
    let env = env();
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "just some notes\nfriday 12:00\n").unwrap();
    let e = env.fails(&["add", "--from-email", text.to_str().unwrap()], 2);
    assert!(
        e.contains("cannot read the email") && e.contains("notes.txt"),
        "{e}"
    );
    let missing = dir.path().join("missing.eml");
    let e = env.fails(&["add", "--from-email", missing.to_str().unwrap()], 2);
    assert!(e.contains("no such file"), "{e}");
    let out = piped(&env, &["add", "--from-email", "-"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
    assert!(!env.data_dir().exists());
}

#[test]
fn without_from_email_what_to_and_due_are_still_required() {
    let env = TestEnv::new();
    for (args, missing) in [
        (&["add", "X", "--to", "Acme Oy"][..], "--due"),
        (&["add", "X", "--due", "friday"][..], "--to"),
        (&["add", "--to", "Acme Oy", "--due", "friday"][..], "<WHAT>"),
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(missing), "{args:?}: {stderr}");
    }
    assert!(!env.data_dir().exists());
}

// Finnish mail: the deadline needs the Finnish grammar (grammar branch); un-ignore after merging.

#[test]
fn outlook_in_finnish_iso_8859_1() {
    let env = env();
    let p = capture(&env, "outlook-fi-iso-8859-1.eml", &[]);
    assert_eq!(p["customer"], "Acme Oy");
    assert_eq!(p["what"], "Tarjous");
    assert_eq!(p["contact"], "Liisa Virtanen <liisa@acme.fi>");
    // Not torstaihin klo 16 (Liisa's request below Lähettäjä:/Lähetetty:).
    assert_eq!(p["due"], "2026-11-27T12:00:00+02:00");
}

#[test]
fn gmail_in_finnish_base64_with_a_wrapped_kirjoitti() {
    let env = env();
    let p = capture(&env, "gmail-fi-base64.eml", &[]);
    assert_eq!(p["what"], "Päivitetyt luvut");
    // "kiitos eilisestä" is the past; "huomenna" is tomorrow at the default time.
    assert_eq!(p["due"], "2026-11-24T16:00:00+02:00");
}

#[test]
fn thunderbird_in_finnish_flowed_with_delsp() {
    let env = env();
    let p = capture(&env, "thunderbird-fi-flowed.eml", &[]);
    assert_eq!(p["what"], "Asennus");
    assert_eq!(p["due"], "2026-12-03T14:00:00+02:00");
}

#[test]
fn finnish_mail_headers_and_bodies_are_decoded() {
    // What does not need the grammar works today: subject, contact, ref, customer.
    let env = env();
    for (name, what) in [
        ("outlook-fi-iso-8859-1.eml", "Tarjous"),
        ("gmail-fi-base64.eml", "Päivitetyt luvut"),
        ("thunderbird-fi-flowed.eml", "Asennus"),
    ] {
        let p = capture(&env, name, &["--due", "friday 12:00"]);
        assert_eq!(p["what"], what, "{name}");
        assert_eq!(p["customer"], "Acme Oy", "{name}");
        assert_eq!(p["contact"], "Liisa Virtanen <liisa@acme.fi>", "{name}");
        assert!(p["ref"].as_str().is_some_and(|r| r.contains('@')), "{name}");
    }
}
