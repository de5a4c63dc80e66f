//! What `list`, `show` and `report` print, as snapshots (insta) at 80 and 120 columns, for a
//! store with the cases that used to go wrong: a promise in another zone, a slip made after the
//! deadline, and a customer with a long name. The store is written with fixed ids so the
//! snapshots are stable; every line must fit the width.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test --test it screens`, then review
//! the diff of `tests/it/snapshots/`.

use crate::env::TestEnv;

/// Tuesday 24 November 2026, 14:30 in Helsinki.
const NOW: &str = "2026-11-24T14:30:00+02:00";

const OPEN: &str = r#"version = 1

[[promise]]
id = "ny4k2m9q1a"
customer = "NY Inc"
what = "Quarterly figures"
made = "2026-11-23T10:30:00+02:00"
due = "2026-11-24T09:00:00-05:00"
status = "open"
tz = "America/New_York"

[[promise]]
id = "dk7w3x8p2b"
customer = "Acme Oy"
what = "Deck for the board meeting"
made = "2026-11-23T10:30:00+02:00"
due = "2026-11-26T12:00:00+02:00"
status = "open"
original_due = "2026-11-24T12:00:00+02:00"

[[promise.slips]]
at = "2026-11-24T13:00:00+02:00"
from = "2026-11-24T12:00:00+02:00"
to = "2026-11-26T12:00:00+02:00"
reason = "waiting for their figures"

[[promise]]
id = "lg5n6r0t3c"
customer = "Suomen Erittäin Pitkäniminen Konsulttiyhtiö Oy Ab International"
what = "Send the revised proposal for the second phase of the data platform migration"
made = "2026-11-23T10:30:00+02:00"
due = "2026-11-27T12:00:00+02:00"
status = "open"
contact = "Liisa Virtanen"
ref = "RFQ-118"

[[promise]]
id = "sn8h4j2k5d"
customer = "Acme Oy"
what = "Call back about pricing"
made = "2026-11-23T10:30:00+02:00"
due = "2026-11-24T16:00:00+02:00"
status = "open"
"#;

const ARCHIVE: &str = r#"version = 1

[[promise]]
id = "qt3v9b1m6e"
customer = "Gamma GmbH"
what = "Quote"
made = "2026-11-20T09:00:00+02:00"
due = "2026-11-24T12:00:00+02:00"
status = "kept"
closed = "2026-11-24T09:15:00+02:00"

[[promise]]
id = "lt2c7z4y8f"
customer = "Suomen Erittäin Pitkäniminen Konsulttiyhtiö Oy Ab International"
what = "Workshop notes"
made = "2026-11-10T09:00:00+02:00"
due = "2026-11-20T16:00:00+02:00"
status = "kept"
closed = "2026-11-23T11:00:00+02:00"
"#;

fn env() -> TestEnv {
    let mut env = TestEnv::new();
    env.write_open(OPEN);
    std::fs::create_dir_all(env.data_dir().join("archive")).unwrap();
    std::fs::write(env.data_dir().join("archive/2026.toml"), ARCHIVE).unwrap();
    env.now = NOW.into();
    env
}

/// Runs `args` in a terminal `columns` wide and checks that every line fits.
fn screen(env: &TestEnv, columns: usize, args: &[&str]) -> String {
    let out = env
        .command(args)
        .env("COLUMNS", columns.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(
            line.chars().count() <= columns,
            "{args:?} at {columns} columns: a line of {} columns:\n{text}",
            line.chars().count()
        );
    }
    text
}

#[test]
fn list_at_80_and_120_columns() {
    let env = env();
    insta::assert_snapshot!("list_80", screen(&env, 80, &["list"]));
    insta::assert_snapshot!("list_120", screen(&env, 120, &["list"]));
    insta::assert_snapshot!("list_all_80", screen(&env, 80, &["list", "--all"]));
}

#[test]
fn show_of_a_late_slip_and_of_a_promise_in_another_zone() {
    let env = env();
    insta::assert_snapshot!("show_late_slip", screen(&env, 80, &["show", "dk7"]));
    insta::assert_snapshot!("show_other_zone", screen(&env, 80, &["show", "ny4"]));
    insta::assert_snapshot!("show_kept_late", screen(&env, 80, &["show", "lt2"]));
    assert_eq!(
        screen(&env, 120, &["show", "dk7"]),
        screen(&env, 80, &["show", "dk7"])
    );
}

#[test]
fn report_at_80_and_120_columns() {
    let env = env();
    insta::assert_snapshot!("report_80", screen(&env, 80, &["report"]));
    insta::assert_snapshot!("report_120", screen(&env, 120, &["report"]));
    // Markdown is for mail: its table is as wide as it needs to be.
    insta::assert_snapshot!(
        "report_markdown",
        env.ok(&["report", "--format", "markdown"])
    );
}
