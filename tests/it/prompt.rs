//! The prompt segment: right counts, and calm in the face of any broken store.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::env::TestEnv;

/// Runs `promise prompt` and insists it returns promptly, exits 0 and says nothing on stderr.
fn prompt(env: &TestEnv, args: &[&str]) -> String {
    let mut child = env
        .command(["prompt"].iter().chain(args))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A hang (a FIFO read, a lock wait) is the failure this guards against, not a speed target.
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("promise prompt hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().count() <= 1 && text.len() <= 40,
        "not one short line: {text:?}"
    );
    text.trim_end().to_string()
}

#[test]
fn the_segment_counts_overdue_and_soon() {
    let mut env = TestEnv::new();
    env.add("Overdue", "Acme Oy", "11:00");
    env.add("Overdue too", "Acme Oy", "11:30");
    env.add("Soon", "Acme Oy", "13:30");
    env.add("Later", "Acme Oy", "friday");
    assert_eq!(prompt(&env, &[]), "⏳2");
    env.now = "2026-11-23T12:00:00+02:00".into();
    assert_eq!(prompt(&env, &[]), "!2 ⏳1");
    assert_eq!(
        prompt(&env, &["--format", "{overdue} late, next in {next}"]),
        "2 late, next in 1h30m"
    );
    env.write_config("[prompt]\nsoon = \"10m\"\n");
    assert_eq!(prompt(&env, &[]), "!2");
}

#[test]
fn nothing_pressing_prints_nothing() {
    let env = TestEnv::new();
    assert_eq!(prompt(&env, &[]), "", "missing store");
    env.add("Later", "Acme Oy", "friday");
    assert_eq!(prompt(&env, &[]), "");
}

#[test]
fn the_archive_does_not_change_the_segment() {
    let mut env = TestEnv::new();
    env.add("Overdue", "Acme Oy", "11:00");
    env.now = "2026-11-23T12:00:00+02:00".into();
    let before = prompt(&env, &[]);
    for i in 0..20 {
        let id = env.add(&format!("Old {i}"), "Acme Oy", "tomorrow 9:00");
        env.ok(&["done", &id]);
    }
    assert_eq!(prompt(&env, &[]), before);
}

#[test]
fn broken_stores_give_at_most_a_marker() {
    let env = TestEnv::new();
    let open = env.open_toml();
    std::fs::create_dir_all(env.data_dir()).unwrap();

    // A 0-byte file is a store cut short, never an empty one (SPEC 3).
    std::fs::write(&open, "").unwrap();
    assert_eq!(prompt(&env, &[]), "promise?", "empty");

    std::fs::write(&open, "version = 1\n[[promise]\nid = ").unwrap();
    assert_eq!(prompt(&env, &[]), "promise?", "corrupt");

    std::fs::write(&open, vec![b'#'; 30 * 1024 * 1024]).unwrap();
    assert_eq!(prompt(&env, &[]), "", "huge (all comment)");
    std::fs::write(&open, vec![0xff; 30 * 1024 * 1024]).unwrap();
    assert_eq!(prompt(&env, &[]), "promise?", "huge garbage");

    std::fs::remove_file(&open).unwrap();
    std::fs::create_dir(&open).unwrap();
    assert_eq!(prompt(&env, &[]), "promise?", "a directory");
    std::fs::remove_dir(&open).unwrap();

    let status = Command::new("mkfifo").arg(&open).status().expect("mkfifo");
    assert!(status.success());
    assert_eq!(prompt(&env, &[]), "promise?", "a FIFO");
    std::fs::remove_file(&open).unwrap();

    std::fs::write(&open, "version = 1\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o000)).unwrap();
    // As root the file is still readable; either way: exit 0, no stderr, one short line.
    prompt(&env, &[]);
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn a_held_lock_does_not_stop_the_prompt() {
    let mut env = TestEnv::new();
    env.add("Overdue", "Acme Oy", "11:00");
    let lock = std::fs::File::open(env.data_dir().join("promise.lock")).unwrap();
    lock.lock().unwrap();
    env.now = "2026-11-23T12:00:00+02:00".into();
    assert_eq!(prompt(&env, &[]), "!1");
}

#[test]
fn misuse_and_a_bad_environment_still_exit_0_quietly() {
    let mut env = TestEnv::new();
    assert_eq!(prompt(&env, &["--no-such-flag"]), "promise?");
    env.write_config("default_time = \"25:00\"\n");
    assert_eq!(prompt(&env, &[]), "promise?");
    env.write_config("");
    env.now = "not a time".into();
    assert_eq!(prompt(&env, &[]), "promise?");
}

#[test]
fn the_prompt_writes_nothing() {
    let mut env = TestEnv::new();
    env.add("Overdue", "Acme Oy", "11:00");
    let before = env.snapshot();
    env.now = "2026-11-23T12:00:00+02:00".into();
    prompt(&env, &[]);
    assert_eq!(env.snapshot(), before);
}
