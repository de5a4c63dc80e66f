//! `promise reopen`: a close made by mistake is undone, and the history says so (SPEC 1, 3).

use crate::env::TestEnv;

#[test]
fn reopen_undoes_a_done_and_keeps_it_in_the_history() {
    let mut env = TestEnv::new();
    let id = env.add("Send proposal", "Acme Oy", "friday");
    env.ok(&["slip", &id, "--to", "saturday 12:00", "--reason", "waiting"]);
    env.ok(&["done", &id, "--note", "sent by mail"]);
    env.now = "2026-11-23T11:00:00+02:00".into();
    let out = env.ok(&["reopen", &id[..4], "--reason", "wrong promise marked"]);
    assert!(
        out.contains("Reopened: Send proposal for Acme Oy (was kept on"),
        "{out}"
    );

    let p = env.json(&["show", &id, "--json"]);
    assert_eq!(p["status"], "open");
    assert!(p["closed"].is_null());
    assert_eq!(p["note"], "sent by mail");
    assert_eq!(p["slips"].as_array().unwrap().len(), 1);
    let reopened = &p["reopened"][0];
    assert_eq!(reopened["at"], "2026-11-23T11:00:00+02:00");
    assert_eq!(reopened["from"], "kept");
    assert_eq!(reopened["closed"], "2026-11-23T10:30:00+02:00");
    assert_eq!(reopened["reason"], "wrong promise marked");
    let shown = env.ok(&["show", &id]);
    assert!(
        shown.contains(
            "reopened      Mon 23 Nov 11:00\n              was  kept on Mon 23 Nov 10:30\n              why  wrong promise marked"
        ),
        "{shown}"
    );
    // Open again everywhere, and only once.
    assert!(env.ok(&["list"]).contains("Send proposal"));
    assert!(!env.read("archive/2026/11.toml").contains(&id));
    assert_eq!(
        env.json(&["list", "--all", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(env.read("open.toml").contains("[[promise.reopened]]"));
    // And it can be closed again.
    env.ok(&["done", &id]);
    assert_eq!(
        env.json(&["show", &id, "--json"])["reopened"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn reopen_undoes_a_cancel_keeping_its_reason() {
    let env = TestEnv::new();
    let id = env.add("Quote", "Beta Ab", "friday");
    env.ok(&["cancel", &id, "--reason", "customer withdrew"]);
    env.ok(&["reopen", &id]);
    let p = env.json(&["show", &id, "--json"]);
    assert_eq!(p["status"], "open");
    assert!(p["cancel_reason"].is_null());
    assert_eq!(p["reopened"][0]["from"], "cancelled");
    assert_eq!(p["reopened"][0]["cancel_reason"], "customer withdrew");
    assert!(p["reopened"][0]["reason"].is_null());
}

#[test]
fn only_reopen_reopens_a_closed_promise() {
    let env = TestEnv::new();
    let id = env.add("Send proposal", "Acme Oy", "friday");
    env.ok(&["done", &id]);
    let before = env.snapshot();
    for args in [
        &["slip", &id, "--to", "saturday 12:00"][..],
        &["cancel", &id],
        &["done", &id],
    ] {
        let e = env.fails(args, 2);
        assert!(
            e.contains("already kept on Mon 23 Nov 10:30") && e.contains("promise reopen"),
            "{args:?}: {e}"
        );
    }
    assert_eq!(env.snapshot(), before);
    // Its details may be fixed where it lives.
    env.ok(&["edit", &id, "--ref", "PO-7"]);
    let p = env.json(&["show", &id, "--json"]);
    assert_eq!(
        (p["status"].as_str(), p["ref"].as_str()),
        (Some("kept"), Some("PO-7"))
    );
}

#[test]
fn reopen_refuses_what_is_open_or_unknown() {
    let env = TestEnv::new();
    let id = env.add("Send proposal", "Acme Oy", "friday");
    let e = env.fails(&["reopen", &id], 2);
    assert!(e.contains("open already"), "{e}");
    let e = env.fails(&["reopen", "zzzzzz"], 2);
    assert!(e.contains("no promise"), "{e}");
}

/// A prefix two closed promises share is ambiguous, and says so, rather than "no promise".
#[test]
fn a_prefix_of_two_closed_promises_is_ambiguous_not_unknown() {
    let env = TestEnv::new();
    env.write_open(
        "version = 1\n\n[[promise]]\nid = \"abc1111111\"\ncustomer = \"Acme Oy\"\nwhat = \"One\"\n\
         made = \"2026-11-20T10:00:00+02:00\"\ndue = \"2026-11-21T16:00:00+02:00\"\n\
         status = \"kept\"\nclosed = \"2026-11-21T12:00:00+02:00\"\n\n[[promise]]\n\
         id = \"abc2222222\"\ncustomer = \"Acme Oy\"\nwhat = \"Two\"\n\
         made = \"2026-11-20T10:00:00+02:00\"\ndue = \"2026-11-21T16:00:00+02:00\"\n\
         status = \"cancelled\"\nclosed = \"2026-11-21T12:00:00+02:00\"\n",
    );
    env.tidy();
    let before = env.snapshot();
    for args in [
        &["done", "abc"][..],
        &["cancel", "abc"],
        &["slip", "abc", "--to", "friday"],
    ] {
        let e = env.fails(args, 2);
        assert!(
            e.contains("matches 2 promises")
                && e.contains("abc1111111")
                && e.contains("abc2222222"),
            "{args:?}: {e}"
        );
    }
    assert_eq!(env.snapshot(), before);
}

/// A promise reopened from an earlier month's archive file is written open to `open.toml`
/// alone; its archive copy, superseded, counts nowhere and housekeeping takes it out. Closed
/// again before that, it moves to the month of its new close and the old copy goes.
#[test]
fn reopening_from_the_archive_is_one_write_and_housekeeping_takes_the_old_copy_out() {
    let mut env = TestEnv::new();
    env.now = "2026-10-20T10:00:00+03:00".into();
    let id = env.add("Send proposal", "Acme Oy", "friday");
    let other = env.add("Other", "Acme Oy", "friday");
    env.ok(&["done", &id]);
    env.ok(&["done", &other]);
    env.tidy();
    assert_eq!(env.copies(&id), ["archive/2026/10.toml"]);
    let october = env.read("archive/2026/10.toml");

    env.now = crate::env::MONDAY.to_string();
    env.ok(&["reopen", &id]);
    // Written to open.toml; October's file as it was.
    assert_eq!(env.read("archive/2026/10.toml"), october);
    assert_eq!(env.copies(&id), ["archive/2026/10.toml", "open.toml"]);
    let seen = |env: &TestEnv| {
        let all = env.json(&["list", "--all", "--json"]);
        let mine: Vec<&serde_json::Value> = all
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["id"] == id.as_str())
            .collect();
        assert_eq!(mine.len(), 1, "{all}");
        let shown = env.json(&["show", &id, "--json"]);
        assert_eq!(shown["status"], mine[0]["status"]);
        (
            shown["status"].as_str().unwrap().to_string(),
            shown["reopened"].as_array().unwrap().len(),
        )
    };
    assert_eq!(seen(&env), ("open".to_string(), 1));
    assert!(env.ok(&["list"]).contains("Send proposal"));
    // The report does not count it as kept in October: only the other one is.
    let report = env.json(&["report", "--json"]);
    let kept = |r: &serde_json::Value| {
        r["total"]["on_time"].as_u64().unwrap() + r["total"]["late"].as_u64().unwrap()
    };
    assert_eq!(kept(&report), 1, "{report}");

    // Housekeeping takes the old copy out; the promise stays open, once.
    env.tidy();
    assert_eq!(env.copies(&id), ["open.toml"]);
    assert!(env.read("archive/2026/10.toml").contains(&other));
    assert_eq!(seen(&env), ("open".to_string(), 1));

    // Reopened from the archive and closed again before housekeeping: the new close counts
    // everywhere, and housekeeping leaves one copy, in November's file.
    env.ok(&["done", &id]);
    env.tidy();
    env.now = "2026-12-01T10:00:00+02:00".into();
    env.ok(&["reopen", &id]);
    env.ok(&["cancel", &id, "--reason", "not needed after all"]);
    assert_eq!(
        env.copies(&id),
        ["archive/2026/11.toml", "open.toml"],
        "November's copy waits for housekeeping"
    );
    assert_eq!(seen(&env), ("cancelled".to_string(), 2));
    env.tidy();
    assert_eq!(env.copies(&id), ["archive/2026/12.toml"]);
    assert_eq!(seen(&env), ("cancelled".to_string(), 2));
}

/// Two copies of one promise in archive files (a clean-up cut short, or copied by hand): the
/// one reopened more often is the later and counts, whichever file comes first.
#[test]
fn of_two_archive_copies_the_one_reopened_more_often_counts() {
    let env = TestEnv::new();
    let table = |status: &str, closed: &str, reopened: bool| {
        let mut t = format!(
            "[[promise]]\nid = \"abc1111111\"\ncustomer = \"Acme Oy\"\nwhat = \"One\"\n\
             made = \"2026-10-01T10:00:00+03:00\"\ndue = \"2026-10-21T16:00:00+03:00\"\n\
             status = \"{status}\"\nclosed = \"{closed}\"\n"
        );
        if reopened {
            t.push_str(
                "\n[[promise.reopened]]\nat = \"2026-11-02T09:00:00+02:00\"\nfrom = \"kept\"\n\
                 closed = \"2026-10-20T12:00:00+03:00\"\n",
            );
        }
        t
    };
    let dir = env.data_dir().join("archive/2026");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("10.toml"),
        format!(
            "version = 1\n\n{}",
            table("kept", "2026-10-20T12:00:00+03:00", false)
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("11.toml"),
        format!(
            "version = 1\n\n{}",
            table("cancelled", "2026-11-03T12:00:00+02:00", true)
        ),
    )
    .unwrap();
    env.write_open("version = 1\n");
    let shown = env.json(&["show", "abc1111111", "--json"]);
    assert_eq!(shown["status"], "cancelled");
    let all = env.json(&["list", "--all", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
    assert_eq!(all[0]["status"], "cancelled");
    // Withdrawn, it is not scored as kept on time in October.
    let report = env.json(&["report", "--json"]);
    assert_eq!(report["total"]["on_time"], 0, "{report}");
    assert_eq!(report["total"]["late"], 0, "{report}");
    // A lookup by id finds the later copy.
    let e = env.fails(&["done", "abc"], 2);
    assert!(e.contains("already cancelled"), "{e}");
}

/// Another promise under the same id in the archive (a copy-paste) is never taken out as a
/// reopening's leftover: only a copy of the same promise (made at the same moment, for the same
/// customer) is.
#[test]
fn housekeeping_never_takes_out_another_promise_under_a_reopened_id() {
    let env = TestEnv::new();
    env.write_open(
        "version = 1\n\n[[promise]]\nid = \"dup0000001\"\ncustomer = \"Acme Oy\"\n\
         what = \"Reopened one\"\nmade = \"2026-11-20T10:00:00+02:00\"\n\
         due = \"2026-11-27T16:00:00+02:00\"\nstatus = \"open\"\n\n[[promise.reopened]]\n\
         at = \"2026-11-22T10:00:00+02:00\"\nfrom = \"kept\"\n\
         closed = \"2026-11-21T10:00:00+02:00\"\n",
    );
    let dir = env.data_dir().join("archive/2026");
    std::fs::create_dir_all(&dir).unwrap();
    let other = "version = 1\n\n[[promise]]\nid = \"dup0000001\"\ncustomer = \"Beta Ab\"\n\
                 what = \"Another one\"\nmade = \"2026-10-01T10:00:00+03:00\"\n\
                 due = \"2026-10-02T16:00:00+03:00\"\nstatus = \"kept\"\n\
                 closed = \"2026-10-02T12:00:00+03:00\"\n";
    std::fs::write(dir.join("10.toml"), other).unwrap();
    env.tidy();
    assert_eq!(env.read("archive/2026/10.toml"), other);
    assert!(env.read("open.toml").contains("Reopened one"));
}
