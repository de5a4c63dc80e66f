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
fn closing_into_a_hand_broken_archive_stops_and_changes_nothing() {
    let env = TestEnv::new();
    let first = env.add("First", "Acme Oy", "friday");
    env.ok(&["done", &first]);
    let second = env.add("Second", "Acme Oy", "friday");
    let archive = env.data_dir().join("archive/2026/11.toml");
    let broken = env
        .read("archive/2026/11.toml")
        .replacen("status = \"kept\"", "status = kept", 1);
    std::fs::write(&archive, &broken).unwrap();
    let before = env.snapshot();
    let e = env.fails(&["done", &second], 1);
    assert!(e.contains(&format!("{}:", archive.display())), "{e}");
    assert_eq!(env.snapshot(), before);

    // Fixed by hand (with a comment and a field of the user's own), closing works again and
    // keeps the field.
    let fixed = broken.replace("status = kept", "status = \"kept\"\nmy_field = 7");
    std::fs::write(&archive, fixed).unwrap();
    env.ok(&["done", &second]);
    let text = env.read("archive/2026/11.toml");
    assert!(
        text.contains("my_field = 7") && text.contains(&second) && text.contains(&first),
        "{text}"
    );
}

#[test]
fn closing_into_a_newer_archive_is_refused() {
    let env = TestEnv::new();
    let first = env.add("First", "Acme Oy", "friday");
    env.ok(&["done", &first]);
    let archive = env.data_dir().join("archive/2026/11.toml");
    std::fs::write(
        &archive,
        env.read("archive/2026/11.toml")
            .replace("version = 1", "version = 3"),
    )
    .unwrap();
    let second = env.add("Second", "Acme Oy", "friday");
    let before = env.snapshot();
    let e = env.fails(&["done", &second], 1);
    assert!(e.contains("version 3"), "{e}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn closing_appends_to_the_months_file_and_keeps_a_hand_edit_byte_for_byte() {
    let env = TestEnv::new();
    let first = env.add("First", "Acme Oy", "friday");
    env.ok(&["done", &first]);
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
