//! The store's promises from shared/RELIABILITY.md: corrupt files are never overwritten,
//! unknown fields survive, newer versions are not rewritten, concurrent writers lose nothing.

use std::collections::HashSet;

use crate::env::TestEnv;

const CORRUPT: &str = "version = 1\n\n[[promise]]\nid = \"abc1111111\"\ncustomer = Acme Oy\n";

#[test]
fn a_corrupt_store_stops_every_command_and_is_left_alone() {
    let env = TestEnv::new();
    env.add("First", "Acme Oy", "friday");
    env.add("Second", "Acme Oy", "friday");
    std::fs::write(env.open_toml(), CORRUPT).unwrap();
    let before = env.snapshot();
    assert!(before.keys().any(|p| p.ends_with("open.toml.bak")));
    let location = format!("{}:5:", env.open_toml().display());
    for args in [
        &["add", "X", "--to", "Acme Oy", "--due", "friday"][..],
        &["list"],
        &["list", "--all"],
        &["show", "abc"],
        &["done", "abc"],
        &["slip", "abc", "--to", "friday"],
        &["cancel", "abc"],
        &["edit", "abc", "--note", "x"],
    ] {
        let e = env.fails(args, 1);
        assert!(e.contains(&location), "{args:?}: {e}");
    }
    assert_eq!(
        env.snapshot(),
        before,
        "the corrupt file and its .bak must be unchanged"
    );
}

#[test]
fn unknown_fields_survive_add_done_and_slip() {
    let env = TestEnv::new();
    env.write_open(
        r#"version = 1
synced_by = "laptop"

[[promise]]
id = "abc1111111"
customer = "Acme Oy"
what = "First"
made = "2026-11-20T10:00:00+02:00"
due = "2026-11-30T16:00:00+02:00"
status = "open"
priority = "high"

[[promise]]
id = "def2222222"
customer = "Acme Oy"
what = "Second"
made = "2026-11-20T10:00:00+02:00"
due = "2026-11-30T16:00:00+02:00"
status = "open"
colour = "blue"

[sync]
peer = "desktop"
"#,
    );
    env.add("Third", "Beta Ab", "friday");
    env.ok(&["slip", "abc", "--to", "dec 2"]);
    let open = env.read("open.toml");
    for needle in [
        "synced_by = \"laptop\"",
        "priority = \"high\"",
        "peer = \"desktop\"",
        "colour = \"blue\"",
    ] {
        assert!(open.contains(needle), "{needle} lost:\n{open}");
    }
    env.ok(&["done", "def"]);
    env.tidy();
    assert!(
        env.read("archive/2026/11.toml")
            .contains("colour = \"blue\"")
    );
    let open = env.read("open.toml");
    assert!(
        open.contains("priority = \"high\"") && open.contains("peer = \"desktop\""),
        "{open}"
    );
}

#[test]
fn a_newer_version_is_read_but_never_rewritten() {
    let env = TestEnv::new();
    env.write_open(
        "version = 2\n[[promise]]\nid = \"abc1111111\"\ncustomer = \"Acme Oy\"\nwhat = \"First\"\n\
         made = \"2026-11-20T10:00:00+02:00\"\ndue = \"2026-11-30T16:00:00+02:00\"\nstatus = \"open\"\n",
    );
    let before = env.snapshot();
    let e = env.fails(&["add", "X", "--to", "Acme Oy", "--due", "friday"], 1);
    assert!(e.contains("version 2"), "{e}");
    env.fails(&["done", "abc"], 1);
    assert_eq!(env.snapshot(), before);
    assert_eq!(env.json(&["list", "--json"])[0]["id"], "abc1111111");
}

#[test]
fn every_write_keeps_the_previous_version_as_bak() {
    let env = TestEnv::new();
    env.add("First", "Acme Oy", "friday");
    let first = env.read("open.toml");
    env.add("Second", "Acme Oy", "friday");
    assert_eq!(env.read("open.toml.bak"), first);
}

#[test]
fn sixty_four_concurrent_adds_keep_every_promise() {
    let env = TestEnv::new();
    let children: Vec<_> = (0..64)
        .map(|i| {
            env.command([
                "add",
                &format!("Promise {i}"),
                "--to",
                "Acme Oy",
                "--due",
                "friday",
                "--quiet",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
        })
        .collect();
    let mut ids = HashSet::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        ids.insert(String::from_utf8(out.stdout).unwrap().trim().to_string());
    }
    assert_eq!(ids.len(), 64);
    let stored = env.json(&["list", "--json"]);
    let stored: HashSet<String> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stored, ids);
}

#[test]
fn readers_never_see_a_partial_file_while_writers_run() {
    let env = TestEnv::new();
    env.add("Seed", "Acme Oy", "friday");
    let path = env.open_toml();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let (mut reads, mut bad) = (0, 0);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                match std::fs::read_to_string(&path) {
                    Ok(text) => match promise::store::StoreFile::parse(&path, &text) {
                        Ok(file) if !file.promises.is_empty() => reads += 1,
                        _ => bad += 1,
                    },
                    Err(_) => bad += 1,
                }
            }
            (reads, bad)
        })
    };
    let children: Vec<_> = (0..32)
        .map(|i| {
            env.command([
                "add",
                &format!("P{i}"),
                "--to",
                "Acme Oy",
                "--due",
                "friday",
            ])
            .spawn()
            .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (reads, bad) = reader.join().unwrap();
    assert!(reads > 0);
    assert_eq!(
        bad,
        0,
        "{bad} partial, empty or missing reads out of {}",
        reads + bad
    );
}

#[test]
fn a_held_lock_times_out_with_a_clear_message_and_changes_nothing() {
    let env = TestEnv::new();
    env.add("First", "Acme Oy", "friday");
    let lock = std::fs::File::open(env.data_dir().join("promise.lock")).unwrap();
    lock.lock().unwrap();
    let before = env.snapshot();
    let out = env
        .command(["add", "X", "--to", "Acme Oy", "--due", "friday"])
        .env("PROMISE_TEST_LOCK_TIMEOUT_MS", "300")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lock"));
    assert_eq!(env.snapshot(), before);
    drop(lock);
    env.add("Second", "Acme Oy", "friday");
}

#[test]
fn moving_into_a_hand_broken_archive_waits_and_changes_nothing_there() {
    let env = TestEnv::new();
    let first = env.add("First", "Acme Oy", "friday");
    env.ok(&["done", &first]);
    env.tidy();
    let second = env.add("Second", "Acme Oy", "friday");
    let archive = env.data_dir().join("archive/2026/11.toml");
    let broken = env
        .read("archive/2026/11.toml")
        .replacen("status = \"kept\"", "status = kept", 1);
    std::fs::write(&archive, &broken).unwrap();
    // The close is open.toml's alone: it works, and readers of the archive name the file.
    env.ok(&["done", &second]);
    let e = env.fails(&["report"], 1);
    assert!(e.contains(&format!("{}:", archive.display())), "{e}");
    // Housekeeping leaves the broken file alone and the promise kept in open.toml.
    let out = env.nag();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:", archive.display())),
        "{stderr}"
    );
    assert_eq!(env.read("archive/2026/11.toml"), broken);
    assert!(env.read("open.toml").contains(&second));

    // Fixed by hand (with a field of the user's own), the move works and keeps the field.
    let fixed = broken.replace("status = kept", "status = \"kept\"\nmy_field = 7");
    std::fs::write(&archive, fixed).unwrap();
    env.tidy();
    let text = env.read("archive/2026/11.toml");
    assert!(
        text.contains("my_field = 7") && text.contains(&second) && text.contains(&first),
        "{text}"
    );
    assert!(!env.read("open.toml").contains(&second));
}

/// Housekeeping looks up the archive copies that reopenings left behind; a broken file in
/// another month stops neither that look nor the moves, and the copy is taken out once fixed.
#[test]
fn a_broken_archive_file_does_not_stop_housekeeping_after_a_reopening() {
    let mut env = TestEnv::new();
    env.now = "2026-10-20T10:00:00+03:00".into();
    let reopened = env.add("Reopened", "Acme Oy", "friday");
    env.ok(&["done", &reopened]);
    env.tidy();
    env.now = "2026-11-02T10:00:00+02:00".into();
    let other = env.add("Other", "Acme Oy", "friday");
    env.ok(&["done", &other]);
    env.tidy();
    env.now = crate::env::MONDAY.to_string();
    env.ok(&["reopen", &reopened]);
    let november = env.data_dir().join("archive/2026/11.toml");
    let broken = env
        .read("archive/2026/11.toml")
        .replacen("status = \"kept\"", "status = kept", 1);
    std::fs::write(&november, &broken).unwrap();
    let third = env.add("Third", "Acme Oy", "friday");
    env.ok(&["done", &third]);
    let out = env.nag();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // November's file is left as it is; October's copy of the reopened promise waits.
    assert_eq!(env.read("archive/2026/11.toml"), broken);
    assert!(env.read("open.toml").contains(&third));
    assert!(env.read("archive/2026/10.toml").contains(&reopened));
    // Fixed, the next housekeeping moves the close and takes the old copy out.
    std::fs::write(
        &november,
        broken.replace("status = kept", "status = \"kept\""),
    )
    .unwrap();
    env.tidy();
    assert!(!env.read("open.toml").contains(&third));
    assert!(env.read("archive/2026/11.toml").contains(&third));
    assert!(!env.read("archive/2026/10.toml").contains(&reopened));
    assert!(env.read("open.toml").contains(&reopened));
}

#[test]
fn moving_into_a_newer_archive_is_refused() {
    let env = TestEnv::new();
    let first = env.add("First", "Acme Oy", "friday");
    env.ok(&["done", &first]);
    env.tidy();
    let archive = env.data_dir().join("archive/2026/11.toml");
    std::fs::write(
        &archive,
        env.read("archive/2026/11.toml")
            .replace("version = 1", "version = 3"),
    )
    .unwrap();
    let second = env.add("Second", "Acme Oy", "friday");
    env.ok(&["done", &second]);
    let before = env.snapshot();
    let out = env.nag();
    assert!(String::from_utf8_lossy(&out.stderr).contains("version 3"));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn closing_appends_to_the_months_file_and_keeps_a_hand_edit_byte_for_byte() {
    let env = TestEnv::new();
    let first = env.add("First", "Acme Oy", "friday");
    env.ok(&["done", &first]);
    env.tidy();
    let path = env.data_dir().join("archive/2026/11.toml");

    // Edited by hand: a comment, a native date-time, a field of the user's own. The next close
    // checks the file once (it is no longer what promise wrote) and appends to it.
    let edited = env
        .read("archive/2026/11.toml")
        .replacen(
            "\n[[promise]]",
            "\n# closed early, customer happy\n[[promise]]",
            1,
        )
        .replace(
            "made = \"2026-11-23T10:30:00+02:00\"",
            "made = 2026-11-23T10:30:00+02:00\nmy_field = 7",
        );
    std::fs::write(&path, &edited).unwrap();
    for i in 0..3 {
        let next = env.add(&format!("Next {i}"), "Acme Oy", "friday");
        env.ok(&["done", &next]);
        env.tidy();
        let text = env.read("archive/2026/11.toml");
        assert!(text.starts_with(&edited), "closing must append:\n{text}");
        assert!(text.contains(&next));
    }
    let all = env.json(&["list", "--all", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 4);
    assert_eq!(
        all.as_array()
            .unwrap()
            .iter()
            .filter(|p| p["my_field"] == 7)
            .count(),
        1
    );
}

/// SPEC 3, integrity rules: each hazard a real machine meets, reproduced.
/// Past ten closed promises in `open.toml` a close moves them to the archive itself, unless
/// that would mean parsing a month file someone else changed since promise wrote it: that is
/// left to `nag` (or to the close past a hundred), so the close stays one write.
#[test]
fn a_close_leaves_moving_into_a_month_edited_by_hand_to_nag() {
    let env = TestEnv::new();
    let closed_in_open = |env: &TestEnv| env.read("open.toml").matches("status = \"kept\"").count();
    let close = |env: &TestEnv, n: usize| {
        for i in 0..n {
            let id = env.add(&format!("Close {i}"), "Acme Oy", "friday");
            env.ok(&["done", &id]);
        }
    };
    let month = env.data_dir().join("archive/2026/11.toml");
    close(&env, 1);
    env.tidy();
    // Left as promise wrote it: the eleventh close moves the ten before it and itself.
    close(&env, 11);
    assert_eq!(closed_in_open(&env), 0, "moved by the eleventh close");

    let mut text = std::fs::read_to_string(&month).unwrap();
    text.push_str("# checked by hand\n");
    std::fs::write(&month, &text).unwrap();
    close(&env, 11);
    assert_eq!(closed_in_open(&env), 11, "left in open.toml");
    assert_eq!(
        std::fs::read_to_string(&month).unwrap(),
        text,
        "the month unread"
    );
    env.tidy();
    assert_eq!(closed_in_open(&env), 0, "moved by nag");
    let archived = std::fs::read_to_string(&month).unwrap();
    assert!(archived.contains("# checked by hand"), "{archived}");
    assert_eq!(archived.matches("status = \"kept\"").count(), 23);

    // Edited again, and more closes than open.toml holds before moving them anyway.
    std::fs::write(&month, format!("{archived}# again\n")).unwrap();
    close(&env, 101);
    assert_eq!(closed_in_open(&env), 0, "moved past a hundred");
    assert_eq!(
        std::fs::read_to_string(&month)
            .unwrap()
            .matches("status = \"kept\"")
            .count(),
        124
    );
}

mod integrity {
    use std::os::unix::fs::{PermissionsExt, symlink};
    use std::path::PathBuf;

    use crate::env::TestEnv;

    fn ids(env: &TestEnv, args: &[&str]) -> Vec<String> {
        env.json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn a_close_that_fails_on_a_full_disk_leaves_one_closed_promise_or_an_open_one() {
        // The first write (open.toml marked kept) fails: nothing changed, the .bak neither.
        let env = TestEnv::new();
        let id = env.add("Send proposal", "Acme Oy", "friday");
        env.add("Other", "Acme Oy", "friday");
        let before = env.snapshot();
        let out = env
            .command(["done", id.as_str()])
            .env("PROMISE_TEST_FAIL_AT", "write:open.toml")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("No space left"));
        assert_eq!(
            env.snapshot(),
            before,
            "a failed write changed the store or its .bak"
        );
        assert!(ids(&env, &["list", "--json"]).contains(&id));

        // The close itself: one write, and the promise is kept.
        env.ok(&["done", id.as_str()]);
        // Housekeeping's archive write fails: the promise is kept (open.toml says so), and
        // stays kept.
        let out = env
            .command(["nag"])
            .env("PROMISE_NOTIFY", "none")
            .env("PROMISE_TEST_FAIL_AT", "write:11.toml")
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("warning"));
        assert!(env.read("open.toml").contains(&id));
        assert!(!env.data_dir().join("archive/2026/11.toml").exists());
        assert!(!ids(&env, &["list", "--json"]).contains(&id));
        assert_eq!(env.json(&["show", &id, "--json"])["status"], "kept");
        let e = env.fails(&["slip", &id, "--to", "saturday 12:00"], 2);
        assert!(e.contains("already kept on Mon 23 Nov 10:30"), "{e}");
        let e = env.fails(&["cancel", &id], 2);
        assert!(e.contains("already kept"), "{e}");
        assert_eq!(env.json(&["show", &id, "--json"])["status"], "kept");
        assert!(env.json(&["show", &id, "--json"])["slips"].is_null());

        // The next housekeeping finishes the move.
        env.add("Third", "Beta Ab", "friday");
        env.tidy();
        assert!(!env.read("open.toml").contains(&id));
        assert!(env.read("archive/2026/11.toml").contains(&id));
        assert_eq!(
            env.json(&["list", "--all", "--json"])
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn a_move_whose_last_write_fails_is_closed_once() {
        let env = TestEnv::new();
        let id = env.add("Send proposal", "Acme Oy", "friday");
        env.ok(&["done", id.as_str()]);
        let out = env
            .command(["nag"])
            .env("PROMISE_NOTIFY", "none")
            .env("PROMISE_TEST_FAIL_AT", "write:open.toml")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            env.read("open.toml").contains(&id) && env.read("archive/2026/11.toml").contains(&id)
        );
        let all = env.json(&["list", "--all", "--json"]);
        assert_eq!(all.as_array().unwrap().len(), 1);
        assert_eq!(all[0]["status"], "kept");
        env.fails(&["done", &id], 2);
        env.add("Next", "Acme Oy", "friday");
        env.tidy();
        assert!(!env.read("open.toml").contains(&id));
        assert_eq!(env.read("archive/2026/11.toml").matches(&id).count(), 1);
    }

    #[test]
    fn two_promises_with_one_id_stop_every_writer_and_readers_warn() {
        let env = TestEnv::new();
        let id = env.add("First", "Acme Oy", "friday");
        env.add("Second", "Acme Oy", "friday");
        // A copy-paste of the first promise under another description.
        let text = env.read("open.toml");
        let first =
            &text[text.find("\n[[promise]]").unwrap()..text.rfind("\n[[promise]]").unwrap()];
        let pasted = format!(
            "{text}\n{}",
            first.replace("what = \"First\"", "what = \"Pasted\"")
        );
        env.write_open(&pasted);
        let before = env.snapshot();
        for args in [
            &["add", "X", "--to", "Acme Oy", "--due", "friday"][..],
            &["done", &id],
            &["slip", &id, "--to", "saturday 12:00"],
            &["cancel", &id],
            &["edit", &id, "--note", "x"],
        ] {
            let e = env.fails(args, 1);
            assert!(
                e.contains(&id) && e.contains("lines 4 and 21"),
                "{args:?}: {e}"
            );
        }
        assert_eq!(env.snapshot(), before);
        let out = env.run(&["list", "--json"]);
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("warning"),
            "readers warn"
        );
        let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 3, "both copies are shown");
        // The prompt says nothing on stderr, ever.
        let out = env.run(&["prompt"]);
        assert!(out.stderr.is_empty());
    }

    #[test]
    fn a_pasted_id_never_makes_the_archive_lose_a_promise() {
        let env = TestEnv::new();
        let id = env.add("First", "Acme Oy", "friday");
        env.ok(&["done", &id]);
        env.tidy();
        // The same id pasted into a new, different promise in open.toml.
        env.write_open(&format!(
            "version = 1\n\n[[promise]]\nid = \"{id}\"\ncustomer = \"Beta Ab\"\nwhat = \"Pasted\"\n\
             made = \"2026-11-23T09:00:00+02:00\"\ndue = \"2026-11-27T16:00:00+02:00\"\nstatus = \"open\"\n"
        ));
        let archive = env.read("archive/2026/11.toml");
        env.ok(&["done", &id]);
        // Housekeeping will not put it beside the other: it says so and leaves both.
        let out = env.nag();
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(e.contains("different promise") && e.contains(&id), "{e}");
        assert_eq!(env.read("archive/2026/11.toml"), archive);
        assert!(env.read("open.toml").contains("Pasted"));
    }

    #[test]
    fn a_symlinked_open_toml_is_followed_and_stays_a_link() {
        let env = TestEnv::new();
        let elsewhere = env.data_dir().with_file_name("dotfiles");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::create_dir_all(env.data_dir()).unwrap();
        let target = elsewhere.join("open.toml");
        symlink(&target, env.open_toml()).unwrap();
        let first = env.add("First", "Acme Oy", "friday");
        assert_eq!(
            std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
            0o600
        );
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let second = env.add("Second", "Acme Oy", "friday");
        env.ok(&["done", &first]);
        env.ok(&["slip", &second, "--to", "saturday 12:00"]);
        env.tidy();
        let link = std::fs::symlink_metadata(env.open_toml()).unwrap();
        assert!(
            link.file_type().is_symlink(),
            "the link was replaced by a file"
        );
        assert_eq!(
            std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(text.contains(&second) && !text.contains(&first), "{text}");
        assert!(elsewhere.join("open.toml.bak").exists());
        assert_eq!(ids(&env, &["list", "--all", "--json"]).len(), 2);
    }

    #[test]
    fn a_symlinked_data_directory_and_archive_file_are_followed() {
        let env = TestEnv::new();
        let real = env.data_dir().with_file_name("real-data");
        std::fs::create_dir_all(&real).unwrap();
        symlink(&real, env.data_dir()).unwrap();
        let first = env.add("First", "Acme Oy", "friday");
        env.ok(&["done", &first]);
        env.tidy();
        assert!(
            std::fs::symlink_metadata(env.data_dir())
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(real.join("archive/2026/11.toml").exists());
        // An archive file linked elsewhere (a store on another disk) stays a link.
        let moved = real.with_file_name("november.toml");
        std::fs::rename(real.join("archive/2026/11.toml"), &moved).unwrap();
        symlink(&moved, real.join("archive/2026/11.toml")).unwrap();
        let second = env.add("Second", "Acme Oy", "friday");
        env.ok(&["done", &second]);
        env.tidy();
        assert!(
            std::fs::symlink_metadata(real.join("archive/2026/11.toml"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let text = std::fs::read_to_string(&moved).unwrap();
        assert!(text.contains(&first) && text.contains(&second), "{text}");
        assert_eq!(
            std::fs::metadata(&moved).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn a_zero_byte_store_file_is_never_read_as_empty_nor_rotated_into_bak() {
        let env = TestEnv::new();
        env.add("First", "Acme Oy", "friday");
        env.add("Second", "Acme Oy", "friday");
        let good = env.read("open.toml");
        std::fs::write(env.open_toml(), "").unwrap();
        let bak = env.read("open.toml.bak");
        let before = env.snapshot();
        for args in [
            &["add", "X", "--to", "Acme Oy", "--due", "friday"][..],
            &["list"],
            &["list", "--all"],
            &["report"],
            &["nag", "--dry-run"],
        ] {
            let e = env.fails(args, 1);
            assert!(
                e.contains("open.toml is empty") && e.contains("open.toml.bak"),
                "{args:?}: {e}"
            );
        }
        assert_eq!(env.snapshot(), before);
        assert_eq!(env.read("open.toml.bak"), bak);
        assert_eq!(env.ok(&["prompt"]).trim(), "promise?");
        // Restoring the .bak as the message says brings the promises back.
        std::fs::copy(env.data_dir().join("open.toml.bak"), env.open_toml()).unwrap();
        assert!(env.ok(&["list"]).contains("First") || good.contains("Second"));
    }

    #[test]
    fn a_hand_edit_survives_slip_and_done() {
        let env = TestEnv::new();
        env.write_open(
            r#"# My promises -- edited in vim.
version = 1

# Acme: the big one
[[promise]]
id = "abc1111111"
customer = "Acme Oy"
what = "Send revised proposal"
made = 2026-11-20T10:00:00+02:00
due = 2026-11-30T16:00:00+02:00  # agreed with Liisa
status = "open"

# Beta
[[promise]]
id = "def2222222"
customer = "Beta Ab"
what = "Call back"
made = 2026-11-20T10:00:00+02:00
due = 2026-11-25T12:00:00+02:00
status = "open"

# Gamma, low priority
[[promise]]
id = "ghj3333333"
customer = "Gamma GmbH"
what = "Quote"
made = "2026-11-20T10:00:00+02:00"
due = "2026-12-01T16:00:00+02:00"
status = "open"
"#,
        );
        env.ok(&["slip", "abc", "--to", "dec 2 14:00", "--reason", "waiting"]);
        env.ok(&["done", "def"]);
        env.tidy();
        let text = env.read("open.toml");
        for kept in [
            "# My promises -- edited in vim.",
            "# Acme: the big one",
            "made = 2026-11-20T10:00:00+02:00\n",
            "# agreed with Liisa",
            "# Gamma, low priority",
        ] {
            assert!(text.contains(kept), "lost {kept:?}:\n{text}");
        }
        assert!(!text.contains("def2222222"));
        let shown = env.json(&["show", "abc", "--json"]);
        assert_eq!(shown["original_due"], "2026-11-30T16:00:00+02:00");
        assert_eq!(shown["due"], "2026-12-02T14:00:00+02:00");
        let kept = env.json(&["show", "def", "--json"]);
        assert_eq!(kept["status"], "kept");
        assert_eq!(kept["due"], "2026-11-25T12:00:00+02:00");
    }

    #[test]
    fn a_lock_file_that_is_a_fifo_or_a_directory_is_an_error_not_a_hang() {
        for kind in ["fifo", "dir"] {
            let env = TestEnv::new();
            env.add("First", "Acme Oy", "friday");
            let lock = env.data_dir().join("promise.lock");
            std::fs::remove_file(&lock).unwrap();
            if kind == "fifo" {
                assert!(
                    std::process::Command::new("mkfifo")
                        .arg(&lock)
                        .status()
                        .unwrap()
                        .success()
                );
            } else {
                std::fs::create_dir(&lock).unwrap();
            }
            let started = std::time::Instant::now();
            let e = env.fails(&["add", "X", "--to", "Acme Oy", "--due", "friday"], 1);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "{kind}: it hung"
            );
            assert!(e.contains("not a regular file"), "{kind}: {e}");
            assert_eq!(ids(&env, &["list", "--json"]).len(), 1);
        }
    }

    #[test]
    fn promise_now_outside_the_years_the_store_holds_is_refused() {
        for now in [
            "9999-12-31T23:00:00Z",
            "1969-06-01T10:00:00Z",
            "9999-12-31T23:30:00-01:00",
        ] {
            let mut env = TestEnv::new();
            env.now = now.to_string();
            let e = env.fails(&["add", "X", "--to", "Acme Oy", "--due", "in 2 hours"], 2);
            assert!(
                e.contains("PROMISE_NOW") && e.contains("1970"),
                "{now}: {e}"
            );
            assert!(!env.open_toml().exists(), "{now}: a store was written");
            let out = env.run(&["prompt"]);
            assert!(out.status.success() && out.stderr.is_empty());
        }
        // At the very end of the range a deadline past it is refused, never written.
        let mut env = TestEnv::new();
        env.now = "9999-12-30T10:00:00+00:00".into();
        let out = env.run(&["add", "X", "--to", "Acme Oy", "--due", "in 3 days"]);
        assert!(!out.status.success());
        assert!(!env.open_toml().exists() || env.ok(&["list"]).contains("No open"));
    }

    #[test]
    fn temporary_files_of_killed_writers_are_removed_by_the_next_writer_only() {
        let env = TestEnv::new();
        let first = env.add("First", "Acme Oy", "friday");
        env.ok(&["done", &first]);
        env.tidy();
        let month = env.data_dir().join("archive/2026");
        let litter: Vec<PathBuf> = vec![
            env.data_dir().join(".promise-tmp.open.toml.k3j9x2ab"),
            env.data_dir().join(".open.toml.dXLsJ2"),
            month.join(".promise-tmp.11.toml.bak"),
            month.join(".11.toml.puinfj"),
        ];
        for path in &litter {
            std::fs::write(path, "half a promise").unwrap();
        }
        let mine = env.data_dir().join("notes.txt");
        std::fs::write(&mine, "my own file").unwrap();
        env.ok(&["list", "--all"]);
        env.ok(&["report"]);
        assert!(litter.iter().all(|p| p.exists()), "a reader cleaned up");
        let second = env.add("Second", "Acme Oy", "friday");
        assert!(!litter[0].exists() && !litter[1].exists());
        env.ok(&["done", &second]);
        // The archive's directory is cleaned by the writer that writes there: housekeeping.
        env.tidy();
        assert!(litter.iter().all(|p| !p.exists()));
        assert!(mine.exists());
    }
}

/// RELIABILITY.md test 15: the write recipe's order, read from the system calls themselves.
mod traced {
    use crate::env::TestEnv;

    /// The system calls `args` makes on files, as strace prints them with paths (-y), or None
    /// where strace is missing.
    fn trace(env: &TestEnv, args: &[&str]) -> Option<Vec<String>> {
        if !crate::env::have("strace", "strace") {
            return None;
        }
        let log = env.data_dir().with_file_name("strace.log");
        let out = std::process::Command::new("strace")
            .args([
                "-f",
                "-y",
                "-qq",
                "-e",
                "trace=openat,write,fsync,fdatasync,rename,renameat,renameat2,linkat",
            ])
            .arg("-o")
            .arg(&log)
            .arg(env!("CARGO_BIN_EXE_promise"))
            .args(args)
            .envs(
                env.command(args)
                    .get_envs()
                    .filter_map(|(k, v)| Some((k, v?))),
            )
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(
            std::fs::read_to_string(log)
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect(),
        )
    }

    /// The archive files a traced run opened (its own temporary files aside).
    fn archive_files_opened(calls: &[String]) -> Vec<&String> {
        calls
            .iter()
            .filter(|c| c.contains("openat(") && c.contains(".toml>") && c.contains("/archive/"))
            .filter(|c| !c.contains(".promise-tmp."))
            .collect()
    }

    /// For each file replaced, in order: its name. Asserts for each that its temporary file was
    /// written and fsynced before the rename, and its directory fsynced after it, before the
    /// next replace.
    fn replaced(calls: &[String]) -> Vec<String> {
        let renames: Vec<(usize, String, String)> = calls
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let args = c.split_once("rename")?.1;
                let mut quoted = args.split('"').skip(1).step_by(2);
                let (from, to) = (quoted.next()?.to_string(), quoted.next()?.to_string());
                // Store files only: `.cache/` is derived, rebuilt when lost, and not fsynced.
                (from.contains(".promise-tmp.")
                    && !from.ends_with(".bak")
                    && !to.contains("/.cache/"))
                .then_some((i, from, to))
            })
            .collect();
        let mut names = Vec::new();
        for (k, (at, temp, target)) in renames.iter().enumerate() {
            let written = calls[..*at]
                .iter()
                .position(|c| c.contains("write(") && c.contains(&format!("<{temp}>")))
                .unwrap_or_else(|| panic!("{temp} was never written:\n{}", calls.join("\n")));
            let synced = calls[..*at].iter().rposition(|c| {
                (c.contains("fsync(") || c.contains("fdatasync("))
                    && c.contains(&format!("<{temp}>"))
            });
            assert!(
                synced.is_some_and(|s| s > written),
                "{temp} was not fsynced between its write and its rename:\n{}",
                calls.join("\n")
            );
            let dir = std::path::Path::new(target)
                .parent()
                .unwrap()
                .display()
                .to_string();
            let next = renames.get(k + 1).map_or(calls.len(), |r| r.0);
            assert!(
                calls[*at..next]
                    .iter()
                    .any(|c| c.contains("fsync(") && c.contains(&format!("<{dir}>"))),
                "{dir} was not fsynced after {target} was renamed into place:\n{}",
                calls.join("\n")
            );
            names.push(
                std::path::Path::new(target)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
        names
    }

    /// The hot paths never open a file of the archive, whatever its layout or state: closing,
    /// adding, the prompt and the list cost the same whatever the history.
    #[test]
    fn the_hot_paths_never_open_the_archive() {
        let env = TestEnv::new();
        let first = env.add("First", "Acme Oy", "friday");
        env.ok(&["done", &first]);
        env.tidy();
        // And a yearly file of the layout before, not yet migrated.
        std::fs::write(
            env.data_dir().join("archive/2025.toml"),
            "version = 1\n\n[[promise]]\nid = \"old1111111\"\ncustomer = \"Acme Oy\"\n\
             what = \"Old\"\nmade = \"2025-01-02T10:00:00+02:00\"\ndue = \"2025-03-01T16:00:00+02:00\"\n\
             status = \"kept\"\nclosed = \"2025-03-01T12:00:00+02:00\"\n",
        )
        .unwrap();
        let id = env.add("Second", "Acme Oy", "friday");
        let third = env.add("Third", "Acme Oy", "friday");
        for args in [
            &["add", "Fourth", "--to", "Acme Oy", "--due", "friday"][..],
            &["done", &id],
            &["reopen", &id],
            &["cancel", &third],
            &["slip", &id, "--to", "saturday 12:00"],
            &["prompt"],
            &["list"],
        ] {
            let Some(calls) = trace(&env, args) else {
                return;
            };
            let opened: Vec<&String> = calls
                .iter()
                .filter(|c| c.contains("/archive") || c.contains("/.cache"))
                .collect();
            assert!(
                opened.is_empty(),
                "{args:?} opened the archive:\n{opened:#?}"
            );
        }
        assert!(env.data_dir().join("archive/2025.toml").exists());
    }

    /// Housekeeping keeps the ids index ready, also when `.cache` was deleted: a lookup of an
    /// archived id then opens the one archive file that has it, however many there are.
    #[test]
    fn after_housekeeping_an_archived_id_is_read_from_its_one_file() {
        let mut env = TestEnv::new();
        let mut ids = Vec::new();
        for (i, now) in ["2026-09-01T10:00:00+03:00", "2026-10-01T10:00:00+03:00"]
            .into_iter()
            .enumerate()
        {
            env.now = now.to_string();
            let id = env.add(&format!("Closed {i}"), "Acme Oy", "friday");
            env.ok(&["done", &id]);
            env.tidy();
            ids.push(id);
        }
        env.now = crate::env::MONDAY.to_string();
        assert!(env.data_dir().join("archive/2026/09.toml").exists());
        assert!(env.data_dir().join("archive/2026/10.toml").exists());
        std::fs::remove_dir_all(env.data_dir().join(".cache")).unwrap();
        // The index made more than a second after the files last changed: a file changed
        // within a second of the index is checked by its bytes, which would open it.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        env.tidy();
        assert!(env.data_dir().join(".cache/ids").exists());
        // A reopening from the archive: the lookup, then the promise out of its month's file.
        let Some(calls) = trace(&env, &["reopen", &ids[0]]) else {
            return;
        };
        let opened = archive_files_opened(&calls);
        assert!(
            !opened.is_empty() && opened.iter().all(|c| c.contains("2026/09.toml")),
            "{opened:#?}"
        );
        assert_eq!(env.json(&["show", &ids[0], "--json"])["status"], "open");

        // Closed again (in November) and moved: housekeeping rewrites the index with the
        // entries of the files that changed made anew and October's kept as it was, so the
        // next lookup reads November's file alone.
        env.ok(&["done", &ids[0]]);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        env.tidy();
        // September touched by hand, then a lookup: the index is rewritten with the entries of
        // October and November copied as they were.
        let september = env.data_dir().join("archive/2026/09.toml");
        let text = std::fs::read_to_string(&september).unwrap() + "# looked at this\n";
        std::fs::write(&september, text).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        env.ok(&["show", &ids[1]]);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let calls = trace(&env, &["reopen", &ids[0]]).unwrap();
        let opened = archive_files_opened(&calls);
        assert!(
            !opened.is_empty() && opened.iter().all(|c| c.contains("2026/11.toml")),
            "{opened:#?}"
        );

        // Right after housekeeping, the file it wrote is too recent to trust by its stamp in
        // the index it refreshed: the lookup checks its bytes and leaves the index as it is.
        env.ok(&["done", &ids[0]]);
        env.tidy();
        let calls = trace(&env, &["reopen", &ids[0]]).unwrap();
        let rewritten: Vec<&String> = calls
            .iter()
            .filter(|c| c.contains("rename") && c.contains("/.cache/ids"))
            .collect();
        assert!(rewritten.is_empty(), "{rewritten:#?}");
    }

    #[test]
    fn every_replace_writes_fsyncs_renames_then_fsyncs_the_directory() {
        let env = TestEnv::new();
        let id = env.add("Send proposal", "Acme Oy", "friday");
        let Some(calls) = trace(
            &env,
            &["add", "Second", "--to", "Acme Oy", "--due", "friday"],
        ) else {
            return;
        };
        assert_eq!(replaced(&calls), ["open.toml"]);
        // A close: open.toml with the promise marked kept, and nothing else.
        let calls = trace(&env, &["done", &id]).unwrap();
        assert_eq!(replaced(&calls), ["open.toml"]);
        // Housekeeping: the promise appended to its month's file, then open.toml without it.
        let calls = trace(&env, &["nag"]).unwrap();
        assert_eq!(replaced(&calls), ["11.toml", "open.toml"]);
        // A reopening from the archive: open.toml alone; housekeeping then takes the closed
        // copy out of its month's file, and open.toml stays as it is.
        let calls = trace(&env, &["reopen", &id]).unwrap();
        assert_eq!(replaced(&calls), ["open.toml"]);
        let calls = trace(&env, &["nag"]).unwrap();
        assert_eq!(replaced(&calls), ["11.toml"]);
        let calls = trace(&env, &["nag"]).unwrap();
        assert_eq!(replaced(&calls), Vec::<String>::new());
        // A reopening of a promise still in open.toml, and a cancel: open.toml, once each.
        let other = env.add("Third", "Acme Oy", "friday");
        env.ok(&["done", &other]);
        let calls = trace(&env, &["reopen", &other]).unwrap();
        assert_eq!(replaced(&calls), ["open.toml"]);
        let calls = trace(&env, &["cancel", &other]).unwrap();
        assert_eq!(replaced(&calls), ["open.toml"]);
        // A reader writes nothing at all.
        let calls = trace(&env, &["list", "--all"]).unwrap();
        assert!(
            !calls
                .iter()
                .any(|c| c.contains("rename") || c.contains("fsync")),
            "{}",
            calls.join("\n")
        );
    }
}

/// Stores written before the monthly archive (`archive/YYYY.toml`) are moved into months by the
/// next writer, losslessly; readers read them as they are and change nothing.
mod migration {
    use crate::env::TestEnv;

    fn promise(id: &str, what: &str, closed: &str) -> String {
        format!(
            "[[promise]]\nid = \"{id}\"\ncustomer = \"Acme Oy\"\nwhat = \"{what}\"\n\
             made = \"2025-01-02T10:00:00+02:00\"\ndue = \"2025-12-30T16:00:00+02:00\"\n\
             status = \"kept\"\nclosed = \"{closed}\"\n"
        )
    }

    fn sorted(v: serde_json::Value) -> Vec<serde_json::Value> {
        let mut all = v.as_array().unwrap().clone();
        all.sort_by_key(|p| p["id"].as_str().unwrap().to_string());
        all
    }

    #[test]
    fn a_yearly_archive_moves_into_months_with_everything_in_it() {
        let env = TestEnv::new();
        let open = env.add("Still open", "Beta Ab", "friday");
        let year = format!(
            "# my archive\nversion = 1\nowner = \"me\"\n\n# the March one\n{}mood = \"glad\"\n\n{}\n{}",
            promise("aaa1111111", "March", "2025-03-05T12:00:00+02:00"),
            promise("bbb2222222", "December", "2025-12-31T23:30:00+02:00"),
            promise("ccc3333333", "Also March", "2025-03-20T09:00:00+02:00"),
        );
        std::fs::create_dir_all(env.data_dir().join("archive")).unwrap();
        std::fs::write(env.data_dir().join("archive/2025.toml"), &year).unwrap();
        std::fs::write(
            env.data_dir().join("archive/.verified"),
            "2025.toml 1 2 3 4\n",
        )
        .unwrap();

        // Readers see it all and change nothing.
        let before = env.snapshot();
        let all = sorted(env.json(&["list", "--all", "--json"]));
        assert_eq!(all.len(), 4);
        env.ok(&["report"]);
        assert_eq!(env.snapshot(), before, "a reader migrated");

        // A writer on the hot path leaves it as it is: it never pays for the migration.
        env.ok(&["edit", &open, "--note", "x"]);
        let id = env.add("Closed now", "Beta Ab", "friday");
        env.ok(&["done", &id]);
        assert!(env.data_dir().join("archive/2025.toml").exists());
        assert!(!env.data_dir().join("archive/2025").exists());
        // Housekeeping (nag) moves it.
        env.tidy();
        assert!(!env.data_dir().join("archive/2025.toml").exists());
        assert!(!env.data_dir().join("archive/.verified").exists());
        let march = env.read("archive/2025/03.toml");
        for kept in [
            "# the March one",
            "mood = \"glad\"",
            "owner = \"me\"",
            "aaa1111111",
            "ccc3333333",
        ] {
            assert!(march.contains(kept), "lost {kept:?}:\n{march}");
        }
        assert!(env.read("archive/2025/12.toml").contains("bbb2222222"));
        let without_note = |mut v: Vec<serde_json::Value>| {
            v.iter_mut().for_each(|p| {
                p.as_object_mut().unwrap().remove("note");
            });
            v
        };
        let (after, all) = (
            without_note(sorted(env.json(&["list", "--all", "--json"])))
                .into_iter()
                .filter(|p| p["id"] != id.as_str())
                .collect::<Vec<_>>(),
            without_note(all),
        );
        assert_eq!(after, all, "the migration changed a promise");
    }

    #[test]
    fn a_close_that_crashed_between_the_old_files_is_settled_by_the_migration() {
        let env = TestEnv::new();
        let id = env.add("Send proposal", "Acme Oy", "friday");
        // An older version crashed after writing the year's archive, before open.toml.
        let open = env.read("open.toml");
        let archived = open[open.find("[[promise]]\nid").unwrap()..].replace(
            "status = \"open\"",
            "status = \"kept\"\nclosed = \"2026-11-23T10:00:00+02:00\"",
        );
        std::fs::create_dir_all(env.data_dir().join("archive")).unwrap();
        std::fs::write(
            env.data_dir().join("archive/2026.toml"),
            format!("version = 1\n\n{archived}"),
        )
        .unwrap();
        env.add("Next", "Acme Oy", "friday");
        // Readers already count it once, closed; housekeeping settles the files.
        assert_eq!(env.json(&["show", &id, "--json"])["status"], "kept");
        assert_eq!(
            env.json(&["list", "--all", "--json"])
                .as_array()
                .unwrap()
                .len(),
            2
        );
        env.tidy();
        assert!(!env.read("open.toml").contains(&id));
        assert!(env.read("archive/2026/11.toml").contains(&id));
        let all = env.json(&["list", "--all", "--json"]);
        assert_eq!(all.as_array().unwrap().len(), 2);
        assert_eq!(env.json(&["show", &id, "--json"])["status"], "kept");
    }
}

/// The archive's derived index (`.cache/index`): never the truth, so the report must not be
/// able to tell whether it was there.
mod index {
    use crate::env::TestEnv;

    /// A month's archive file: promises closed early and late, cancelled, slipped, by several
    /// customers, some closed in the last day.
    fn month(year: i32, month: u32, n: usize) -> String {
        let mut text = String::from("version = 1\n");
        for i in 0..n {
            let day = 1 + i % 27;
            let id = format!("{:03}{:02}{:05}", year % 1000, month, i);
            let customer = ["Acme Oy", "Beta Ab", "Gamma GmbH"][i % 3];
            let (status, closed_hour) = match i % 5 {
                0 => ("cancelled", 9),
                1 => ("kept", 18),
                _ => ("kept", 11),
            };
            text.push_str(&format!(
                "\n[[promise]]\nid = \"{id}\"\ncustomer = \"{customer}\"\nwhat = \"Deliverable {i}\"\n\
                 made = \"{year}-{month:02}-01T08:00:00+02:00\"\ndue = \"{year}-{month:02}-{day:02}T16:00:00+02:00\"\n\
                 status = \"{status}\"\nclosed = \"{year}-{month:02}-{day:02}T{closed_hour:02}:00:00+02:00\"\n"
            ));
            if i % 7 == 0 {
                text.push_str(&format!(
                    "original_due = \"{year}-{month:02}-{day:02}T12:00:00+02:00\"\n\n[[promise.slips]]\n\
                     at = \"{year}-{month:02}-01T09:00:00+02:00\"\nfrom = \"{year}-{month:02}-{day:02}T12:00:00+02:00\"\n\
                     to = \"{year}-{month:02}-{day:02}T16:00:00+02:00\"\nreason = \"slipped\"\n"
                ));
            }
        }
        text
    }

    fn reports(env: &TestEnv) -> Vec<String> {
        ["json", "table", "csv", "markdown"]
            .iter()
            .map(|f| env.ok(&["report", "--format", f]))
            .collect()
    }

    fn without_index(env: &TestEnv) -> Vec<String> {
        let _ = std::fs::remove_dir_all(env.data_dir().join(".cache"));
        reports(env)
    }

    /// `report --by` counts the archive's promises by who made them, through the index or not
    /// (the index keeps `by` for each promise).
    #[test]
    fn report_by_person_counts_archived_promises_with_and_without_the_index() {
        let env = TestEnv::new();
        env.add("Open one", "Acme Oy", "friday");
        let archive = env.data_dir().join("archive/2026");
        std::fs::create_dir_all(&archive).unwrap();
        let text = month(2026, 10, 30).replace(
            "what = \"Deliverable 1",
            "by = \"alice@example.com\"\nwhat = \"Deliverable 1",
        );
        std::fs::write(archive.join("10.toml"), text).unwrap();
        let by = |env: &TestEnv| env.json(&["report", "--by", "alice", "--format", "json"]);
        let cold = {
            let _ = std::fs::remove_dir_all(env.data_dir().join(".cache"));
            by(&env)
        };
        let warm = by(&env);
        assert_eq!(warm, cold);
        // Deliverable 1 and 10 to 19: eleven promises made by alice; 10 and 15 were withdrawn
        // (cancelled before their deadline), the other nine are scored.
        assert_eq!(warm["total"]["scored"], 9, "{warm}");
        let everyone = env.json(&["report", "--format", "json"]);
        assert_eq!(everyone["total"]["scored"], 24);
    }

    #[test]
    fn the_report_is_the_same_with_and_without_the_index() {
        let mut env = TestEnv::new();
        env.now = "2026-11-23T10:30:00+02:00".into();
        env.add("Open one", "Acme Oy", "friday");
        env.add("Overdue one", "Beta Ab", "11:00");
        let archive = env.data_dir().join("archive");
        for (y, m) in [(2026, 9), (2026, 10), (2026, 11)] {
            std::fs::create_dir_all(archive.join(y.to_string())).unwrap();
            std::fs::write(archive.join(format!("{y}/{m:02}.toml")), month(y, m, 40)).unwrap();
        }
        // Closed in the last day, shown in full in the report.
        let recent = env.add("Closed just now", "Gamma GmbH", "friday");
        env.ok(&["done", &recent]);

        let cold = without_index(&env);
        assert!(cold[0].contains("Closed just now"), "{}", cold[0]);
        assert!(
            env.data_dir().join(".cache/history").exists(),
            "the report made no index"
        );
        let warm = reports(&env);
        assert_eq!(warm, cold, "the report differs when read through the index");

        // Moved by housekeeping into its month's file, which is read again.
        env.tidy();
        assert_eq!(reports(&env), warm);
        // A close now in open.toml, beside the index.
        let more = env.add("Closed a moment later", "Acme Oy", "friday");
        env.ok(&["done", &more]);
        let grown = reports(&env);
        assert_eq!(grown, without_index(&env));
        env.tidy();
        assert_eq!(reports(&env), grown);
        assert!(grown[0].contains("Closed a moment later"));
        assert_eq!(grown, without_index(&env));
        // Appended by hand to a month with no recent close (read lean from the index): a
        // comment, then a line that changes its last promise. The index must not take the new
        // end for new promises alone.
        let month_now = archive.join("2026/10.toml");
        let mut text = std::fs::read_to_string(&month_now).unwrap();
        reports(&env);
        text.push_str("# looked at this\n");
        std::fs::write(&month_now, &text).unwrap();
        assert_eq!(reports(&env), without_index(&env));
        reports(&env);
        text.push_str("original_due = \"2026-10-01T12:00:00+02:00\"\n");
        std::fs::write(&month_now, &text).unwrap();
        let changed = reports(&env);
        assert_ne!(changed[0], grown[0], "the appended line was not seen");
        assert_eq!(changed, without_index(&env));

        let warm = reports(&env);

        // A hand edit of one archive file is seen at once, through the index or not.
        let path = archive.join("2026/10.toml");
        let edited = std::fs::read_to_string(&path).unwrap().replacen(
            "status = \"kept\"",
            "status = \"cancelled\"",
            5,
        );
        std::fs::write(&path, edited).unwrap();
        let after_edit = reports(&env);
        assert_ne!(after_edit[0], warm[0], "the edit was not seen");
        assert_eq!(after_edit, without_index(&env));

        // The archive copied back over itself (new times, same bytes, as a restore does): the
        // index still holds, and says the same.
        for entry in std::fs::read_dir(archive.join("2026")).unwrap().flatten() {
            let bytes = std::fs::read(entry.path()).unwrap();
            std::fs::remove_file(entry.path()).unwrap();
            std::fs::write(entry.path(), bytes).unwrap();
        }
        assert_eq!(reports(&env), after_edit);

        // A torn index is rebuilt, never believed.
        let index = env.data_dir().join(".cache/history");
        let bytes = std::fs::read(&index).unwrap();
        std::fs::write(&index, &bytes[..bytes.len() / 2]).unwrap();
        assert_eq!(reports(&env), after_edit);
        std::fs::write(&index, b"garbage").unwrap();
        assert_eq!(reports(&env), after_edit);
        // Blocks of it lost (zeros where rows were, the length right: it is never fsynced),
        // or one byte changed: rebuilt, never believed.
        assert!(index.exists());
        let whole = std::fs::read(&index).unwrap();
        for (at, len) in [(0.5, 4096), (0.8, 4096), (0.3, 1), (0.6, 1)] {
            let mut bytes = whole.clone();
            let from = (bytes.len() as f64 * at) as usize;
            let to = (from + len).min(bytes.len());
            for b in &mut bytes[from..to] {
                *b = if len == 1 { *b ^ 0x01 } else { 0 };
            }
            std::fs::write(&index, &bytes).unwrap();
            assert_eq!(reports(&env), after_edit, "at {at}");
        }
        // A customer's name changed in it, well-formed but wrong.
        let mut bytes = std::fs::read(&index).unwrap();
        let at = bytes
            .windows(7)
            .position(|w| w == b"Beta Ab")
            .expect("the index holds the customers' names");
        bytes[at] = b'Z';
        std::fs::write(&index, &bytes).unwrap();
        assert_eq!(reports(&env), after_edit, "a name changed");

        // A file changed in place within the same second, same size, same inode.
        let text = std::fs::read_to_string(&path).unwrap();
        let same_size = text
            .replacen("what = \"Deliverable 3\"", "what = \"Deliverable X\"", 1)
            .replacen("status = \"kept\"", "status = \"open\"", 1);
        assert_eq!(same_size.len(), text.len());
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, same_size.as_bytes()))
            .unwrap();
        assert_eq!(reports(&env), without_index(&env));
    }

    #[test]
    fn the_prompt_never_writes_the_index_and_lookups_by_id_use_it() {
        let env = TestEnv::new();
        let id = env.add("Send proposal", "Acme Oy", "friday");
        env.ok(&["done", &id]);
        let _ = std::fs::remove_dir_all(env.data_dir().join(".cache"));
        env.ok(&["prompt"]);
        env.ok(&["list"]);
        assert!(!env.data_dir().join(".cache/history").exists());
        let e = env.fails(&["slip", &id[..5], "--to", "saturday 12:00"], 2);
        assert!(e.contains("already kept"), "{e}");
        env.ok(&["reopen", &id[..5]]);
        assert_eq!(env.json(&["show", &id, "--json"])["status"], "open");
    }
}

/// The ids index answers lookups by id without listing the archive's directories again while
/// they are unchanged; whatever changes by hand, a lookup sees the archive as it is.
mod ids_index {
    use crate::env::TestEnv;

    fn table(id: &str, closed: &str) -> String {
        format!(
            "\n[[promise]]\nid = \"{id}\"\ncustomer = \"Acme Oy\"\nwhat = \"By hand {id}\"\n\
             made = \"2025-01-01T10:00:00+02:00\"\ndue = \"2025-01-02T16:00:00+02:00\"\n\
             status = \"kept\"\nclosed = \"{closed}\"\n"
        )
    }

    /// What `done` (a lookup by id in the archive) says of a closed promise: kept, or unknown.
    fn status(env: &TestEnv, id: &str) -> Option<String> {
        let e = env.fails(&["done", id], 2);
        if e.contains("no promise has an id") {
            return None;
        }
        assert!(e.contains(&format!("promise {id} (")), "{e}");
        e.contains("is already kept").then(|| "kept".to_string())
    }

    /// After each change the index is older than a second, so only stamps decide: a file
    /// added to a year's directory, a new year's directory, a table appended in place (its
    /// directory unchanged), a file removed.
    #[test]
    fn a_lookup_sees_files_added_changed_in_place_and_removed_by_hand() {
        let env = TestEnv::new();
        let id = env.add("Send proposal", "Acme Oy", "friday");
        env.ok(&["done", &id]);
        env.tidy();
        let settle = || std::thread::sleep(std::time::Duration::from_millis(1100));
        settle();
        assert_eq!(status(&env, &id).as_deref(), Some("kept"));
        assert!(env.data_dir().join(".cache/ids").exists());

        let archive = env.data_dir().join("archive");
        settle();
        std::fs::write(
            archive.join("2026/03.toml"),
            format!(
                "version = 1\n{}",
                table("hand000001", "2026-03-02T10:00:00+02:00")
            ),
        )
        .unwrap();
        settle();
        assert_eq!(status(&env, "hand000001").as_deref(), Some("kept"));

        std::fs::create_dir(archive.join("2025")).unwrap();
        std::fs::write(
            archive.join("2025/01.toml"),
            format!(
                "version = 1\n{}",
                table("hand000002", "2025-01-02T10:00:00+02:00")
            ),
        )
        .unwrap();
        settle();
        assert_eq!(status(&env, "hand000002").as_deref(), Some("kept"));

        // Appended in place: the file's stamp changes, its directory's does not.
        let march = archive.join("2026/03.toml");
        let dir_before = std::fs::metadata(archive.join("2026"))
            .unwrap()
            .modified()
            .unwrap();
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&march)
            .unwrap();
        std::io::Write::write_all(
            &mut file,
            table("hand000003", "2026-03-03T10:00:00+02:00").as_bytes(),
        )
        .unwrap();
        drop(file);
        assert_eq!(
            std::fs::metadata(archive.join("2026"))
                .unwrap()
                .modified()
                .unwrap(),
            dir_before
        );
        settle();
        assert_eq!(status(&env, "hand000003").as_deref(), Some("kept"));
        assert_eq!(status(&env, "hand000001").as_deref(), Some("kept"));

        std::fs::remove_file(&march).unwrap();
        settle();
        assert_eq!(status(&env, "hand000001"), None);
        assert_eq!(status(&env, "hand000003"), None);
        assert_eq!(status(&env, "hand000002").as_deref(), Some("kept"));
        std::fs::remove_dir_all(archive.join("2025")).unwrap();
        settle();
        assert_eq!(status(&env, "hand000002"), None);
        assert_eq!(status(&env, &id).as_deref(), Some("kept"));
    }
}
