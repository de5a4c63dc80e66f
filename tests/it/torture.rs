//! Crash safety, shown by killing writers (shared/RELIABILITY.md, tests 3 and the crash points).
//! The oracle compares bytes: after any crash each store file is exactly its old or its new
//! version, nothing else, and the next command works without clean-up.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::env::TestEnv;

/// A small deterministic generator; the seed is printed so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let seed = std::env::var("TORTURE_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("torture seed: TORTURE_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What `args` makes of the store, run to completion on a copy of it.
fn expected_after(env: &TestEnv, args: &[&str], files: &[&str]) -> Vec<Vec<u8>> {
    let scratch = env.data_dir().with_file_name("scratch");
    copy_dir(&env.data_dir(), &scratch);
    let out = env
        .command(args)
        .env("PROMISE_DATA_DIR", &scratch)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    files.iter().map(|f| read(&scratch.join(f))).collect()
}

/// Starts `args` with the write slowed down by `delay_ms` and marked in `mark` while under way.
fn spawn_slowed(env: &TestEnv, args: &[&str], delay_ms: u64, mark: &Path) -> Child {
    env.command(args)
        .env("PROMISE_TEST_WRITE_DELAY_MS", delay_ms.to_string())
        .env("PROMISE_TEST_WRITE_MARK", mark)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn wait_for(path: &Path, child: &mut Child) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if path.exists() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    false
}

#[test]
fn sigkill_during_writes_leaves_the_old_or_the_new_bytes() {
    let env = TestEnv::new();
    for i in 0..30 {
        env.add(
            &format!("Promise {i} with some text to make the file a few kilobytes"),
            "Acme Oy",
            "friday",
        );
    }
    let id = env.add("The one that gets edited", "Acme Oy", "friday");
    let open = env.open_toml();
    let bak = env.data_dir().join("open.toml.bak");
    let mark: PathBuf = env.data_dir().with_file_name("writing");
    let mut rng = Rng::seeded();
    let (mut kills, mut mid_write, mut became_new) = (0, 0, 0);

    for i in 0..120 {
        let note = format!("note {i}");
        let args = ["edit", id.as_str(), "--note", note.as_str()];
        let (old, old_bak) = (read(&open), read(&bak));
        let new = expected_after(&env, &args, &["open.toml"]).remove(0);
        assert_ne!(old, new);

        let mut child = spawn_slowed(&env, &args, 30, &mark);
        // Two kills in three wait for the write to start; the third lands anywhere.
        if i % 3 != 0 && wait_for(&mark, &mut child) {
            std::thread::sleep(Duration::from_millis(rng.below(35)));
        } else {
            std::thread::sleep(Duration::from_millis(rng.below(60)));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        if mark.exists() {
            mid_write += 1;
            std::fs::remove_file(&mark).unwrap();
        }

        let now = read(&open);
        assert!(
            now == old || now == new,
            "kill {i}: open.toml is neither the old nor the new version"
        );
        became_new += usize::from(now == new);
        let now_bak = read(&bak);
        assert!(
            now_bak == old_bak || now_bak == old,
            "kill {i}: the .bak is not a whole earlier version"
        );
    }
    eprintln!(
        "{kills} kills: {mid_write} mid-write, {became_new} after the new version was in place"
    );
    assert!(
        mid_write * 2 > kills,
        "only {mid_write} of {kills} kills landed mid-write"
    );
    // No clean-up needed: the store reads and takes writes.
    assert_eq!(env.json(&["list", "--json"]).as_array().unwrap().len(), 31);
    env.add("After the storm", "Acme Oy", "friday");
}

#[test]
fn sigkill_while_closing_never_loses_the_promise() {
    let env = TestEnv::new();
    for i in 0..10 {
        env.add(&format!("Background {i}"), "Acme Oy", "friday");
    }
    let open = env.open_toml();
    let archive = env.data_dir().join("archive").join("2026.toml");
    let mark = env.data_dir().with_file_name("writing");
    let mut rng = Rng::seeded();
    let (mut kills, mut mid_write, mut half_moved) = (0, 0, 0);

    for i in 0..40 {
        let id = env.add(&format!("Closing {i}"), "Beta Ab", "friday");
        let args = ["done", id.as_str()];
        let old = (read(&archive), read(&open));
        let new = expected_after(&env, &args, &["archive/2026.toml", "open.toml"]);
        let mut child = spawn_slowed(&env, &args, 20, &mark);
        if wait_for(&mark, &mut child) {
            std::thread::sleep(Duration::from_millis(rng.below(50)));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        if mark.exists() {
            mid_write += 1;
            std::fs::remove_file(&mark).unwrap();
        }
        let now = (read(&archive), read(&open));
        let archive_ok = now.0 == old.0 || now.0 == new[0];
        let open_ok = now.1 == old.1 || now.1 == new[1];
        assert!(
            archive_ok && open_ok,
            "kill {i}: a file is neither old nor new"
        );
        // The archive is written first: open.toml never loses the promise before the archive has it.
        assert!(
            !(now.0 == old.0 && now.1 == new[1]),
            "kill {i}: the promise vanished"
        );
        if now.0 == new[0] && now.1 == old.1 {
            half_moved += 1;
        }
        // Wherever it is, it is there exactly once, and closing it again settles it.
        let all = env.json(&["list", "--all", "--json"]);
        let copies = all
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["id"] == id.as_str())
            .count();
        assert_eq!(copies, 1, "kill {i}");
        let _ = env.run(&["done", &id]);
        assert_eq!(env.json(&["show", &id, "--json"])["status"], "kept");
    }
    eprintln!(
        "{kills} kills while closing: {mid_write} mid-write, {half_moved} between the two files"
    );
    assert!(
        mid_write * 2 > kills,
        "only {mid_write} of {kills} kills landed mid-write"
    );
}

#[test]
fn a_crash_at_each_step_of_the_write_recipe_leaves_old_or_new() {
    for step in [
        "after-lock",
        "before-write",
        "after-backup",
        "mid-write",
        "before-commit",
        "after-commit",
    ] {
        let env = TestEnv::new();
        let id = env.add("Send proposal", "Acme Oy", "friday");
        let args = ["edit", id.as_str(), "--note", "changed"];
        let old = read(&env.open_toml());
        let new = expected_after(&env, &args, &["open.toml"]).remove(0);
        let out = env
            .command(args)
            .env("PROMISE_TEST_CRASH_AT", step)
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "{step}: the crash point was not reached"
        );
        let now = read(&env.open_toml());
        let want_new = step == "after-commit";
        assert!(
            if want_new { now == new } else { now == old },
            "{step}: unexpected bytes"
        );
        // The next command needs no clean-up.
        env.ok(&["edit", &id, "--note", "again"]);
        assert_eq!(
            env.json(&["show", &id, "--json"])["note"],
            "again",
            "{step}"
        );
    }
}

#[test]
fn a_crash_between_archive_and_open_keeps_the_promise_once() {
    let env = TestEnv::new();
    let id = env.add("Send proposal", "Acme Oy", "friday");
    let out = env
        .command(["done", id.as_str()])
        .env("PROMISE_TEST_CRASH_AT", "after-commit:2026.toml")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(env.read("archive/2026.toml").contains(&id));
    assert!(
        env.read("open.toml").contains(&id),
        "the crash came before open.toml was rewritten"
    );
    // Archive copy wins: one promise, kept.
    let all = env.json(&["list", "--all", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["status"], "kept");
    assert_eq!(env.json(&["show", &id, "--json"])["status"], "kept");
    // And the next write settles it.
    env.ok(&["done", &id]);
    assert!(!env.read("open.toml").contains(&id));
    assert_eq!(
        env.json(&["list", "--all", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
