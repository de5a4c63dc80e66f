//! The commands of SPEC section 1, as a user sees them.

use crate::env::TestEnv;

#[test]
fn add_resolves_says_back_and_stores_the_exact_deadline() {
    let env = TestEnv::new();
    let out = env.ok(&[
        "add",
        "Send revised proposal",
        "--to",
        "Acme Oy",
        "--due",
        "Tuesday 14:00",
    ]);
    assert!(
        out.contains("Tuesday 24 November 2026 at 14:00 EET"),
        "{out}"
    );
    assert!(out.contains("in 1 day, 3 hours"), "{out}");
    assert!(
        env.read("open.toml")
            .contains("due = \"2026-11-24T14:00:00+02:00\"")
    );
    let list = env.json(&["list", "--json"]);
    assert_eq!(list[0]["due"], "2026-11-24T14:00:00+02:00");
    assert_eq!(list[0]["customer"], "Acme Oy");
    assert_eq!(list[0]["what"], "Send revised proposal");
    assert_eq!(list[0]["status"], "open");
    assert_eq!(list[0]["made"], "2026-11-23T10:30:00+02:00");
    // The printed short id is a prefix of the stored one.
    let short = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("id"))
        .unwrap()
        .trim();
    assert!(
        short.len() >= 3 && list[0]["id"].as_str().unwrap().starts_with(short),
        "{out}"
    );
}

#[test]
fn add_quiet_prints_only_the_id_and_json_prints_the_promise() {
    let env = TestEnv::new();
    let id = env.add("A", "Acme Oy", "friday");
    assert_eq!(id.len(), 10);
    let p = env.json(&[
        "add",
        "B",
        "--to",
        "Acme Oy",
        "--due",
        "friday 12:00",
        "--contact",
        "Liisa",
        "--ref",
        "#42",
        "--note",
        "n",
        "--json",
    ]);
    assert_eq!(p["contact"], "Liisa");
    assert_eq!(p["ref"], "#42");
    assert_eq!(p["note"], "n");
    assert_eq!(p["due"], "2026-11-27T12:00:00+02:00");
    assert_ne!(p["id"], id.as_str());
}

#[test]
fn add_in_the_customers_zone_keeps_the_zone() {
    let env = TestEnv::new();
    let p = env.json(&[
        "add",
        "Call",
        "--to",
        "NY Inc",
        "--due",
        "tuesday 9:00",
        "--tz",
        "America/New_York",
        "--json",
    ]);
    assert_eq!(p["due"], "2026-11-24T09:00:00-05:00");
    assert_eq!(p["tz"], "America/New_York");
    let e = env.fails(
        &[
            "add",
            "Call",
            "--to",
            "X",
            "--due",
            "friday",
            "--tz",
            "Mars/Olympus",
        ],
        2,
    );
    assert!(e.contains("Mars/Olympus"), "{e}");
}

#[test]
fn bad_deadlines_exit_2_and_change_nothing() {
    let env = TestEnv::new();
    env.add("Existing", "Acme Oy", "friday");
    let before = env.snapshot();
    for phrase in [
        "asap",
        "next friday",
        "midnight",
        "friday 2pm banana",
        "9:00",
        "31.11.",
        "yesterday",
    ] {
        let e = env.fails(&["add", "X", "--to", "Acme Oy", "--due", phrase], 2);
        assert!(e.contains(phrase), "error should name {phrase:?}: {e}");
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn vague_deadlines_get_a_concrete_alternative() {
    let env = TestEnv::new();
    let e = env.fails(&["add", "X", "--to", "Acme Oy", "--due", "asap"], 2);
    assert!(
        e.contains("today 16:00") && e.contains("tomorrow 12:00"),
        "{e}"
    );
    let e = env.fails(&["when", "next friday"], 2);
    assert!(e.contains("Fri 27 Nov") && e.contains("Fri 4 Dec"), "{e}");
    assert!(
        !env.data_dir().exists(),
        "a refused phrase must not create the store"
    );
}

#[test]
fn allow_past_records_history() {
    let env = TestEnv::new();
    let p = env.json(&[
        "add",
        "Old",
        "--to",
        "Acme Oy",
        "--due",
        "2026-11-02 12:00",
        "--allow-past",
        "--json",
    ]);
    assert_eq!(p["due"], "2026-11-02T12:00:00+02:00");
}

#[test]
fn when_resolves_like_add_and_stores_nothing() {
    let env = TestEnv::new();
    assert_eq!(
        env.json(&["when", "Tuesday 14:00", "--json"])["due"],
        "2026-11-24T14:00:00+02:00"
    );
    assert_eq!(
        env.json(&["when", "in 125 days", "--json"])["due"],
        "2027-03-28T16:00:00+03:00"
    );
    assert!(
        env.ok(&["when", "eow"])
            .contains("Friday 27 November 2026 at 16:00")
    );
    env.fails(&["when", "soon", "--json"], 2);
    assert!(!env.data_dir().exists());
}

#[test]
fn default_time_comes_from_the_config() {
    let env = TestEnv::new();
    env.write_config("default_time = \"09:00\"\n");
    assert_eq!(
        env.json(&["when", "tomorrow", "--json"])["due"],
        "2026-11-24T09:00:00+02:00"
    );
    env.write_config("default_time = \"25:00\"\n");
    let e = env.fails(&["when", "tomorrow"], 1);
    assert!(e.contains("default_time") && e.contains("25:00"), "{e}");
}

#[test]
fn done_moves_the_promise_to_the_archive_of_its_month() {
    let mut env = TestEnv::new();
    let id = env.add("Send proposal", "Acme Oy", "Tuesday 14:00");
    env.now = "2026-11-24T13:00:00+02:00".into();
    let out = env.ok(&["done", &id[..4]]);
    assert!(out.contains("kept on time"), "{out}");
    assert!(!env.read("open.toml").contains(&id));
    let archive = env.read("archive/2026/11.toml");
    assert!(
        archive.contains(&id) && archive.contains("status = \"kept\""),
        "{archive}"
    );
    assert!(
        archive.contains("closed = \"2026-11-24T13:00:00+02:00\""),
        "{archive}"
    );
    assert_eq!(env.json(&["list", "--json"]), serde_json::json!([]));
    assert_eq!(env.json(&["list", "--all", "--json"])[0]["status"], "kept");
    assert_eq!(env.json(&["show", &id, "--json"])["status"], "kept");
    // Closing it twice says what happened instead of "unknown id".
    let e = env.fails(&["done", &id], 2);
    assert!(e.contains("already kept"), "{e}");
}

#[test]
fn done_at_records_a_past_delivery_and_refuses_the_future() {
    let mut env = TestEnv::new();
    let id = env.add("Send proposal", "Acme Oy", "Tuesday 14:00");
    env.now = "2026-11-25T09:00:00+02:00".into();
    env.fails(&["done", &id, "--at", "tomorrow"], 2);
    let p = env.json(&["done", &id, "--at", "yesterday 13:30", "--json"]);
    assert_eq!(p["closed"], "2026-11-24T13:30:00+02:00");
}

#[test]
fn slip_keeps_the_original_deadline_and_records_the_slip() {
    let mut env = TestEnv::new();
    let id = env.add("Send proposal", "Acme Oy", "Tuesday 14:00");
    env.now = "2026-11-24T09:00:00+02:00".into();
    env.ok(&[
        "slip",
        &id,
        "--to",
        "thursday 12:00",
        "--reason",
        "waiting for figures",
    ]);
    env.now = "2026-11-25T09:00:00+02:00".into();
    env.ok(&["slip", &id, "--to", "friday 12:00"]);
    let p = env.json(&["show", &id, "--json"]);
    assert_eq!(p["due"], "2026-11-27T12:00:00+02:00");
    assert_eq!(p["original_due"], "2026-11-24T14:00:00+02:00");
    let slips = p["slips"].as_array().unwrap();
    assert_eq!(slips.len(), 2);
    assert_eq!(slips[0]["at"], "2026-11-24T09:00:00+02:00");
    assert_eq!(slips[0]["from"], "2026-11-24T14:00:00+02:00");
    assert_eq!(slips[0]["to"], "2026-11-26T12:00:00+02:00");
    assert_eq!(slips[0]["reason"], "waiting for figures");
    assert_eq!(slips[1]["from"], "2026-11-26T12:00:00+02:00");
    assert!(slips[1].get("reason").is_none());
    // A deadline change is never an edit.
    env.fails(&["edit", &id, "--due", "monday"], 2);
    env.fails(&["slip", &id, "--to", "asap"], 2);
}

#[test]
fn cancel_withdraws_with_a_reason() {
    let env = TestEnv::new();
    let id = env.add("Send proposal", "Acme Oy", "Tuesday 14:00");
    let p = env.json(&[
        "cancel",
        &id,
        "--reason",
        "customer changed plans",
        "--json",
    ]);
    assert_eq!(p["status"], "cancelled");
    assert_eq!(p["closed"], "2026-11-23T10:30:00+02:00");
    assert_eq!(p["cancel_reason"], "customer changed plans");
    assert!(env.read("archive/2026/11.toml").contains(&id));
    assert!(!env.read("open.toml").contains(&id));
}

#[test]
fn edit_fixes_details_of_open_and_closed_promises() {
    let env = TestEnv::new();
    let id = env.add("Send proposl", "Acme", "Tuesday 14:00");
    let p = env.json(&[
        "edit",
        &id,
        "--what",
        "Send proposal",
        "--to",
        "Acme Oy",
        "--contact",
        "Liisa",
        "--json",
    ]);
    assert_eq!(
        (
            p["what"].as_str(),
            p["customer"].as_str(),
            p["contact"].as_str()
        ),
        (Some("Send proposal"), Some("Acme Oy"), Some("Liisa"))
    );
    assert_eq!(
        env.json(&["edit", &id, "--contact", "", "--json"])
            .get("contact"),
        None
    );
    env.fails(&["edit", &id], 2);
    env.fails(&["edit", &id, "--what", "  "], 2);
    env.ok(&["done", &id]);
    env.ok(&["edit", &id, "--ref", "PO-7"]);
    assert!(env.read("archive/2026/11.toml").contains("ref = \"PO-7\""));
}

#[test]
fn ids_accept_any_unique_prefix_and_name_the_matches_of_an_ambiguous_one() {
    let env = TestEnv::new();
    env.write_open(
        r#"version = 1
[[promise]]
id = "abc1111111"
customer = "Acme Oy"
what = "First"
made = "2026-11-20T10:00:00+02:00"
due = "2026-11-30T16:00:00+02:00"
status = "open"
[[promise]]
id = "abc2222222"
customer = "Beta Ab"
what = "Second"
made = "2026-11-20T10:00:00+02:00"
due = "2026-12-01T16:00:00+02:00"
status = "open"
"#,
    );
    let before = env.snapshot();
    let e = env.fails(&["done", "abc"], 2);
    assert!(e.contains("abc1111111") && e.contains("abc2222222"), "{e}");
    env.fails(&["done", "zzz"], 2);
    env.fails(&["show", "nope"], 2);
    assert_eq!(env.snapshot(), before);
    // Shown ids are the shortest unique prefixes.
    let list = env.ok(&["list"]);
    assert!(list.contains("abc1 ") && list.contains("abc2 "), "{list}");
    assert_eq!(env.json(&["show", "abc2", "--json"])["what"], "Second");
}

#[test]
fn list_filters_and_sorts_by_deadline() {
    let mut env = TestEnv::new();
    env.add("Later", "Acme Oy", "friday");
    env.add("Sooner", "Beta Ab", "tomorrow 9:00");
    env.add("Overdue soon", "Acme Oy", "11:00");
    env.now = "2026-11-23T12:00:00+02:00".into();
    let all = env.json(&["list", "--json"]);
    let whats: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["what"].as_str().unwrap())
        .collect();
    assert_eq!(whats, ["Overdue soon", "Sooner", "Later"]);
    assert_eq!(
        env.json(&["list", "--overdue", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        env.json(&["list", "--customer", "acme", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        env.json(&["list", "--due-within", "1d", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    env.fails(&["list", "--due-within", "soonish"], 2);
    let table = env.ok(&["list"]);
    assert!(
        table.contains("overdue") && table.contains("on track"),
        "{table}"
    );
    assert!(!table.contains('\x1b'), "no colour in a pipe");
}

#[test]
fn show_tells_the_whole_story() {
    let mut env = TestEnv::new();
    let id = env.add("Send proposal", "Acme Oy", "Tuesday 14:00");
    env.now = "2026-11-24T09:00:00+02:00".into();
    env.ok(&[
        "slip",
        &id,
        "--to",
        "wednesday 12:00",
        "--reason",
        "figures late",
    ]);
    let out = env.ok(&["show", &id[..5]]);
    for needle in [
        "Send proposal",
        "Acme Oy",
        "Wednesday 25 November 2026 at 12:00",
        "figures late",
        "Tue 24 Nov 14:00",
    ] {
        assert!(out.contains(needle), "{needle} missing from:\n{out}");
    }
}

#[test]
fn a_bad_promise_now_is_a_usage_error() {
    let mut env = TestEnv::new();
    env.now = "monday".into();
    let e = env.fails(&["list"], 2);
    assert!(e.contains("PROMISE_NOW"), "{e}");
}
