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
