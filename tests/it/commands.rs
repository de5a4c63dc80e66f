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
    env.write_config("# my settings\n\ndefault_time = \"25:00\"\n");
    let e = env.fails(&["when", "tomorrow"], 1);
    assert!(e.contains("`default_time`") && e.contains("25:00"), "{e}");
    // The file and the line, so the user can go straight to it.
    assert!(e.contains("promise/config.toml:3:"), "{e}");
}

#[test]
fn done_moves_the_promise_to_the_archive_of_its_month() {
    let mut env = TestEnv::new();
    let id = env.add("Send proposal", "Acme Oy", "Tuesday 14:00");
    env.now = "2026-11-24T13:00:00+02:00".into();
    let out = env.ok(&["done", &id[..4]]);
    assert!(out.contains("kept on time"), "{out}");
    // The close is one write: the promise is kept in open.toml, where every command sees it.
    assert!(env.read("open.toml").contains("status = \"kept\""));
    assert!(!env.data_dir().join("archive").exists());
    // Housekeeping (nag) moves it to its month's file.
    env.tidy();
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
    env.tidy();
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
        "--customer",
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
    // `--to` is the customer in `add` and the deadline in `slip`: `edit` takes neither.
    let before = env.snapshot();
    for value in ["Dec 4", "Acme Ab"] {
        let e = env.fails(&["edit", &id, "--to", value], 2);
        assert!(
            e.contains("--customer") && e.contains("promise slip"),
            "{e}"
        );
    }
    assert_eq!(env.snapshot(), before);
    env.ok(&["done", &id]);
    env.ok(&["edit", &id, "--ref", "PO-7"]);
    assert!(env.read("open.toml").contains("ref = \"PO-7\""));
    env.tidy();
    env.ok(&["edit", &id, "--ref", "PO-8"]);
    assert!(env.read("archive/2026/11.toml").contains("ref = \"PO-8\""));
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
    assert!(table.contains("overdue"), "{table}");
    assert!(!table.contains('\x1b'), "no colour in a pipe");
    let wide = env
        .command(["list"])
        .env("COLUMNS", "120")
        .output()
        .unwrap();
    let wide = String::from_utf8(wide.stdout).unwrap();
    assert!(
        wide.contains("overdue") && wide.contains("on track") && wide.contains("state"),
        "{wide}"
    );
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

/// Runs `args` with `COLUMNS` set.
fn at_width(env: &TestEnv, columns: &str, args: &[&str]) -> String {
    let out = env.command(args).env("COLUMNS", columns).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn times_of_a_promise_in_another_zone_say_that_zone_and_ours() {
    let mut env = TestEnv::new();
    let added = env.ok(&[
        "add",
        "Quarterly figures",
        "--to",
        "NY Inc",
        "--due",
        "tuesday 9:00",
        "--tz",
        "America/New_York",
    ]);
    assert!(
        added.contains("due  Tuesday 24 November 2026 at 09:00 EST (in 1 day, 5 hours)\n")
            && added.contains("       (America/New_York; 16:00 EET here)\n"),
        "{added}"
    );
    let when = env.ok(&["when", "tuesday 9:00", "--tz", "America/New_York"]);
    assert!(
        when.contains("09:00 EST") && when.contains("16:00 EET here"),
        "{when}"
    );
    env.now = "2026-11-24T15:00:00+02:00".into();
    let id = env.json(&["list", "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let list = env.ok(&["list"]);
    assert!(
        list.contains("Tue 24 Nov 09:00 EST") && list.contains("(16:00 EET here)"),
        "{list}"
    );
    let show = env.ok(&["show", &id]);
    assert!(
        show.contains("(America/New_York; 16:00 EET here)"),
        "{show}"
    );
    assert!(
        show.contains("made          Mon 23 Nov 03:30 EST (10:30 EET here)"),
        "{show}"
    );
    let report = env.ok(&["report"]);
    assert!(
        report.contains("09:00 EST") && report.contains("(16:00 EET here)"),
        "{report}"
    );
    let done = env.ok(&["done", &id]);
    assert!(
        done.contains("due        Tue 24 Nov 09:00 EST (16:00 EET here)")
            && done.contains("delivered  Tue 24 Nov 08:00 EST (15:00 EET here)"),
        "{done}"
    );
}

#[test]
fn one_customer_however_the_name_is_typed() {
    let mut env = TestEnv::new();
    env.add("Deck", "Acme Oy", "friday 12:00");
    let out = env.ok(&["add", "Quote", "--to", "acme  OY", "--due", "friday 14:00"]);
    assert!(
        out.contains("Promised Acme Oy: Quote") && out.contains("you typed \"acme  OY\""),
        "{out}"
    );
    // Stored in the known spelling.
    let list = env.json(&["list", "--json"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|p| p["customer"] == "Acme Oy")
    );
    // A spelling that got in another way (a hand edit, an edit) is still the same customer.
    let id = env.add("Call", "Beta Ab", "friday 15:00");
    env.ok(&["edit", &id, "--customer", "ACME OY"]);
    assert_eq!(
        env.json(&["list", "--customer", "acme oy", "--json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let customers = env.json(&["customers", "--json"]);
    assert_eq!(customers.as_array().unwrap().len(), 1, "{customers}");
    assert_eq!(customers[0]["customer"], "Acme Oy");
    assert_eq!(customers[0]["open"], 3);
    assert_eq!(
        customers[0]["spellings"],
        serde_json::json!(["Acme Oy", "ACME OY"])
    );
    env.now = "2026-11-28T10:00:00+02:00".into();
    let report = env.json(&["report", "--json"]);
    assert_eq!(report["customers"].as_array().unwrap().len(), 1);
    assert_eq!(report["customers"][0]["customer"], "Acme Oy");
    assert_eq!(report["customers"][0]["scored"], 3);
    let table = env.ok(&["customers"]);
    assert!(
        table.contains("Acme Oy") && table.contains("ACME OY"),
        "{table}"
    );
}

#[test]
fn a_slip_after_the_deadline_stays_late_everywhere() {
    let mut env = TestEnv::new();
    let id = env.add("Deck", "Acme Oy", "tuesday 12:00");
    env.now = "2026-11-24T13:00:00+02:00".into();
    let slip = env.ok(&["slip", &id, "--to", "thursday 12:00"]);
    assert!(slip.contains("stays overdue until kept"), "{slip}");
    let list = env.ok(&["list"]);
    assert!(
        list.contains("1h overdue")
            && list.contains("agreed:")
            && list.contains("Tue 24 Nov 12:00"),
        "{list}"
    );
    assert_eq!(
        env.json(&["list", "--overdue", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let show = env.ok(&["show", &id]);
    assert!(
        show.contains("overdue since the agreed deadline, Tue 24 Nov 12:00"),
        "{show}"
    );
    assert_eq!(env.ok(&["prompt"]).trim(), "!1");
    let report = env.json(&["report", "--json"]);
    assert_eq!(report["overdue"].as_array().unwrap().len(), 1);
    assert_eq!(report["due_soon"].as_array().unwrap().len(), 0);
    assert!(env.ok(&["report"]).contains("new target Thu 26 Nov 12:00"));
    // Kept before the new target, it is still late against the agreed deadline.
    env.now = "2026-11-25T11:00:00+02:00".into();
    let done = env.ok(&["done", &id]);
    assert!(
        done.contains("kept late") && done.contains("agreed     Tue 24 Nov 12:00"),
        "{done}"
    );
    let report = env.json(&["report", "--json"]);
    assert_eq!(report["customers"][0]["late"], 1);
    assert_eq!(report["closed_recently"][0]["outcome"], "late");
}

#[test]
fn bare_promise_is_promise_list() {
    let env = TestEnv::new();
    assert_eq!(env.ok(&[]), "No open promises.\n");
    env.add("Deck", "Acme Oy", "friday 12:00");
    assert_eq!(env.ok(&[]), env.ok(&["list"]));
    let out = env.run(&[]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_close_before_the_promise_was_made_is_refused() {
    let mut env = TestEnv::new();
    env.now = "2026-11-23T15:00:00+02:00".into();
    let id = env.add("Deck", "Acme Oy", "friday 12:00");
    let before = env.snapshot();
    let e = env.fails(&["done", &id, "--at", "today 9:00"], 2);
    assert!(
        e.contains("made later") && e.contains("Mon 23 Nov 15:00"),
        "{e}"
    );
    // The clock set back: now is before the promise was made.
    env.now = "2026-11-23T14:00:00+02:00".into();
    env.fails(&["done", &id], 2);
    env.fails(&["cancel", &id], 2);
    assert_eq!(env.snapshot(), before);
    env.now = "2026-11-23T15:30:00+02:00".into();
    assert!(
        env.ok(&["done", &id, "--at", "today 15:10"])
            .contains("kept on time")
    );
}

#[test]
fn an_id_prefix_needs_three_characters() {
    let env = TestEnv::new();
    let id = env.add("Deck", "Acme Oy", "friday 12:00");
    let before = env.snapshot();
    for short in [&id[..1], &id[..2]] {
        let e = env.fails(&["done", short], 2);
        assert!(e.contains("at least 3 characters"), "{e}");
        env.fails(&["cancel", short], 2);
        env.fails(&["show", short], 2);
    }
    assert_eq!(env.snapshot(), before);
    env.ok(&["show", &id[..3]]);
}

#[test]
fn color_follows_the_flag_the_terminal_and_no_color() {
    let mut env = TestEnv::new();
    env.add("Deck", "Acme Oy", "11:00");
    env.now = "2026-11-23T12:00:00+02:00".into();
    // TestEnv sets NO_COLOR and stdout is a pipe.
    assert!(!env.ok(&["list"]).contains('\x1b'));
    assert!(!env.ok(&["list", "--color", "auto"]).contains('\x1b'));
    assert!(!env.ok(&["--color", "never", "report"]).contains('\x1b'));
    assert!(env.ok(&["list", "--color", "always"]).contains("\x1b["));
    assert!(env.ok(&["report", "--color=always"]).contains("\x1b["));
    assert_eq!(
        env.run(&["list", "--color", "sometimes"]).status.code(),
        Some(2)
    );
}

#[test]
fn tables_fit_the_width_and_a_width_of_zero_means_80() {
    let mut env = TestEnv::new();
    env.add(
        "Send the revised proposal for the second phase of the migration",
        "Suomen Erittäin Pitkäniminen Konsulttiyhtiö Oy Ab International",
        "tuesday 12:00",
    );
    env.add("Quarterly figures", "NY Inc", "tuesday 14:00");
    env.now = "2026-11-24T13:00:00+02:00".into();
    for (columns, fits) in [("0", 80), ("80", 80), ("60", 60), ("", 80), ("junk", 80)] {
        for args in [&["list"][..], &["report"], &["customers"]] {
            let out = at_width(&env, columns, args);
            let widest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            assert!(
                widest <= fits,
                "{args:?} with COLUMNS={columns:?}: {widest} columns\n{out}"
            );
        }
    }
    // Wide enough, the report shows every column.
    let wide = at_width(&env, "200", &["report"]);
    assert!(
        wide.contains("on time % (first)") && wide.contains("last 8 weeks"),
        "{wide}"
    );
}

#[test]
fn slip_to_a_past_time_does_not_suggest_a_flag_it_lacks() {
    let env = TestEnv::new();
    let id = env.add("Deck", "Acme Oy", "friday 12:00");
    let e = env.fails(&["slip", &id, "--to", "yesterday 12:00"], 2);
    assert!(!e.contains("--allow-past"), "{e}");
}

#[test]
fn an_io_error_is_said_once() {
    let env = TestEnv::new();
    // A data directory that is a regular file: creating the store fails.
    std::fs::write(env.data_dir(), "not a directory").unwrap();
    let e = env.fails(&["add", "Deck", "--to", "Acme Oy", "--due", "friday"], 1);
    assert_eq!(e.matches("os error").count(), 1, "{e}");
}
