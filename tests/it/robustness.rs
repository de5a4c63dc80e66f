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
