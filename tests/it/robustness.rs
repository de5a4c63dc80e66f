//! Hostile input and hostile surroundings: never a panic, always a clear answer.

use std::io::Read;
use std::process::Stdio;

use crate::env::TestEnv;

fn no_panic(stderr: &[u8]) {
    let text = String::from_utf8_lossy(stderr);
    assert!(!text.contains("panicked"), "panic: {text}");
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    let env = TestEnv::new();
    for i in 0..30 {
        env.add(
            &format!("Promise number {i} with a long enough text to fill the pipe"),
            "Acme Oy",
            "friday",
        );
    }
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["show", "0"],
        &["completions", "bash"],
        &["--help"],
    ] {
        let mut child = env
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let mut stderr = Vec::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_end(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        no_panic(&stderr);
        assert_ne!(status.code(), Some(101), "{args:?}");
    }
}

#[test]
fn a_closed_stdout_after_the_first_line_is_not_a_panic() {
    let env = TestEnv::new();
    for i in 0..200 {
        env.add(&format!("Promise {i}"), "Acme Oy", "friday");
    }
    let mut child = env
        .command(["list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    no_panic(&out.stderr);
    assert_ne!(out.status.code(), Some(101));
}

#[cfg(unix)]
#[test]
fn non_utf8_arguments_are_a_clear_error() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    let bad = OsStr::from_bytes(b"caf\xe9");
    for args in [
        vec![
            OsStr::new("add"),
            bad,
            OsStr::new("--to"),
            OsStr::new("Acme"),
            OsStr::new("--due"),
            OsStr::new("friday"),
        ],
        vec![OsStr::new("when"), bad],
        vec![bad],
    ] {
        let out = env.command(&args).output().unwrap();
        no_panic(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    assert!(!env.data_dir().exists());
}

#[test]
fn quotes_and_unicode_round_trip_and_control_characters_are_refused() {
    let env = TestEnv::new();
    let what = "Send \"the\" proposal \\ backslash 'single' ]] [[promise]] é ✓ 日本";
    let id = env.ok(&[
        "add",
        what,
        "--to",
        "Acme \"Oy\"",
        "--due",
        "friday",
        "--quiet",
    ]);
    let p = env.json(&["show", id.trim(), "--json"]);
    assert_eq!(p["what"], what);
    assert_eq!(p["customer"], "Acme \"Oy\"");
    let before = env.snapshot();
    for bad in [
        "line one\nline two",
        "tab\there",
        "bell \u{7}",
        "esc \u{1b}[2J",
        "\u{202e}evil",
    ] {
        let e = env.fails(&["add", bad, "--to", "Acme Oy", "--due", "friday"], 2);
        assert!(
            e.contains("what you promised") && e.contains("control character"),
            "{e}"
        );
        assert!(!e.contains(bad), "the error quotes it raw: {e:?}");
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_ten_megabyte_description_round_trips() {
    // One argument can hold at most 128 KiB on Linux, so the big one comes in through the store.
    let env = TestEnv::new();
    let what = "x".repeat(100 * 1024);
    let id = env.ok(&[
        "add", &what, "--to", "Acme Oy", "--due", "friday", "--quiet",
    ]);
    assert_eq!(
        env.json(&["show", id.trim(), "--json"])["what"]
            .as_str()
            .map(str::len),
        Some(what.len())
    );

    let huge = "y".repeat(10 * 1024 * 1024);
    env.write_open(&format!(
        "version = 1\n[[promise]]\nid = \"big1111111\"\ncustomer = \"Acme Oy\"\nwhat = \"{huge}\"\n\
         made = \"2026-11-20T10:00:00+02:00\"\ndue = \"2026-11-30T16:00:00+02:00\"\nstatus = \"open\"\n"
    ));
    env.ok(&["slip", "big", "--to", "dec 1"]);
    env.ok(&["done", "big"]);
    let p = env.json(&["show", "big", "--json"]);
    assert_eq!(p["what"].as_str().map(str::len), Some(huge.len()));
    assert_eq!(p["status"], "kept");
}

#[test]
fn absurd_phrases_are_refused_without_panic() {
    let env = TestEnv::new();
    for phrase in [
        "",
        " ",
        "\u{1}",
        "99999999999999999999 days",
        "in 99999999 weeks",
        "9999-12-31 23:59",
        "🦀",
        "-1",
        "in -3 days",
        "25.13.",
        "00.00.0000",
        "1.1.1",
    ] {
        let out = env.run(&["when", phrase]);
        no_panic(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0) | Some(2)),
            "{phrase:?}: {:?}",
            out.status
        );
    }
}

/// Text with every kind of character that can steer a terminal: ESC sequences (clear screen,
/// set title), BEL, CR, NUL, DEL, a C1 control and a bidi override. In TOML escapes.
const EVIL: &str = r#"\u001b[2J\u001b]0;pwned\u0007\r\u0000\u007f\u0085\u202eevil"#;

fn hostile_store() -> TestEnv {
    let mut env = TestEnv::new();
    env.write_open(&format!(
        r#"version = 1

[[promise]]
id = "evl1111111"
customer = "Acme{EVIL}"
what = "Deck{EVIL}"
made = "2026-11-20T10:00:00+02:00"
due = "2026-11-23T09:00:00+02:00"
status = "open"
contact = "Liisa{EVIL}"
ref = "RFQ{EVIL}"
note = "note{EVIL}"
tz = "Europe/Helsinki"

[[promise.slips]]
at = "2026-11-21T10:00:00+02:00"
from = "2026-11-22T09:00:00+02:00"
to = "2026-11-23T09:00:00+02:00"
reason = "why{EVIL}"

[[promise]]
id = "evl2222222"
customer = "=HYPERLINK(\"http://x\"){EVIL}"
what = "Quote{EVIL}"
made = "2026-11-20T10:00:00+02:00"
due = "2026-11-24T09:00:00+02:00"
status = "open"

[[promise]]
id = "evl3333333"
customer = "@SUM(A1)"
what = "Call{EVIL}"
made = "2026-11-20T10:00:00+02:00"
due = "2026-11-25T09:00:00+02:00"
status = "open"
"#
    ));
    std::fs::create_dir_all(env.data_dir().join("archive")).unwrap();
    std::fs::write(
        env.data_dir().join("archive/2026.toml"),
        format!(
            r#"version = 1

[[promise]]
id = "kpt4444444"
customer = "-Beta{EVIL}"
what = "Kept{EVIL}"
made = "2026-11-20T10:00:00+02:00"
due = "2026-11-22T09:00:00+02:00"
status = "kept"
closed = "2026-11-23T09:30:00+02:00"
"#
        ),
    )
    .unwrap();
    env.now = "2026-11-23T10:00:00+02:00".into();
    env
}

/// Nothing a terminal would act on: no control character but the line break, no bidi override.
fn inert(what: &str, text: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| {
            c != '\n'
                && (c.is_control()
                    || ('\u{202a}'..='\u{202e}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c))
        })
        .collect();
    assert!(raw.is_empty(), "{what} printed {raw:?} raw:\n{text}");
}

#[test]
fn stored_control_characters_reach_no_terminal_raw() {
    // Errors that quote stored text: an ambiguous prefix lists the matches, a closed promise
    // is named.
    let env = hostile_store();
    for args in [
        &["done", "evl"][..],
        &["cancel", "kpt"],
        &["slip", "evl", "--to", "friday"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(stderr.contains("\\u{1b}"), "{args:?}: {stderr}");
        inert(&format!("{args:?}"), &stderr);
    }
    let mut seen = 0;
    for args in [
        &["list"][..],
        &["list", "--all"],
        &["show", "evl1"],
        &["show", "kpt"],
        &["report"],
        &["report", "--format", "markdown"],
        &["report", "--format", "csv"],
        &["customers"],
        &["nag", "--dry-run"],
        &["nag", "--via", "stdout"],
        &["slip", "evl3", "--to", "friday 12:00"],
        &["edit", "evl3", "--ref", "R-1"],
        &["done", "evl1"],
        &["cancel", "evl3"],
    ] {
        let out = env.run(args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        inert(&format!("{args:?}"), &stdout);
        inert(
            &format!("{args:?} on stderr"),
            &String::from_utf8_lossy(&out.stderr),
        );
        seen += usize::from(stdout.contains("\\u{1b}"));
    }
    assert!(seen >= 12, "the escaped text should be shown, visibly");
}

#[test]
fn csv_text_never_runs_as_a_formula() {
    let env = hostile_store();
    let csv = env.ok(&["report", "--format", "csv"]);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(
        rows.iter().any(|r| r.starts_with("\"'=HYPERLINK(")),
        "{csv}"
    );
    assert!(rows.iter().any(|r| r.starts_with("'@SUM(A1)")), "{csv}");
    assert!(rows.iter().any(|r| r.starts_with("'-Beta")), "{csv}");
    // Numbers stay numbers.
    let beta = rows.iter().find(|r| r.starts_with("'-Beta")).unwrap();
    assert!(
        beta.contains(",1,0,1,0,0,0.0000,0.0000,1470.0000,33,"),
        "{beta}"
    );
    for row in rows {
        let first = row.trim_start_matches('"').chars().next().unwrap();
        assert!(!"=+-@\t\r".contains(first), "{row}");
    }
}

#[test]
fn every_text_field_refuses_control_characters_naming_it() {
    let env = TestEnv::new();
    let id = env.add("Deck", "Acme Oy", "friday 12:00");
    let before = env.snapshot();
    let bad = "x\u{1b}[31my";
    for (args, field) in [
        (
            vec!["add", bad, "--to", "A", "--due", "friday"],
            "what you promised",
        ),
        (vec!["add", "x", "--to", bad, "--due", "friday"], "--to"),
        (
            vec!["add", "x", "--to", "A", "--due", "friday", "--contact", bad],
            "--contact",
        ),
        (
            vec!["add", "x", "--to", "A", "--due", "friday", "--ref", bad],
            "--ref",
        ),
        (
            vec!["add", "x", "--to", "A", "--due", "friday", "--note", bad],
            "--note",
        ),
        (vec!["edit", &id, "--what", bad], "--what"),
        (vec!["edit", &id, "--customer", bad], "--customer"),
        (vec!["edit", &id, "--contact", bad], "--contact"),
        (vec!["edit", &id, "--ref", "\u{202e}x"], "--ref"),
        (vec!["edit", &id, "--note", "a\u{85}b"], "--note"),
        (
            vec!["slip", &id, "--to", "saturday", "--reason", bad],
            "--reason",
        ),
        (vec!["cancel", &id, "--reason", bad], "--reason"),
        (vec!["done", &id, "--note", bad], "--note"),
    ] {
        let e = env.fails(&args, 2);
        assert!(
            e.contains(field) && e.contains("control character"),
            "{args:?}: {e}"
        );
        inert(&format!("{args:?}"), &e);
    }
    assert_eq!(env.snapshot(), before);
}
