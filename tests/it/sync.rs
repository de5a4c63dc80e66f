//! `promise sync` and `promise merge-driver` (SPEC section 7) with the real git: bare remotes in
//! temporary directories, two or three machines, changes on each, synced in every order. Each
//! machine has a home of its own (no user's git config leaks in) and a pinned git identity.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use proptest::prelude::*;
use tempfile::TempDir;

use crate::env::TestEnv;

/// Whether git is missing; then the test says it skipped (`.ci/run` installs git).
fn no_git() -> bool {
    !crate::env::have("git", "git")
}

/// A bare repository: the shared drive, or the server.
struct Remote {
    dir: TempDir,
}

impl Remote {
    fn new() -> Remote {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("git")
            .args(["init", "-q", "--bare"])
            .arg(dir.path().join("promises.git"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir.path())
            .output()
            .expect("git is installed (the CI installs it)");
        assert!(out.status.success(), "{out:?}");
        Remote { dir }
    }

    fn url(&self) -> String {
        self.path().display().to_string()
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("promises.git")
    }
}

/// One machine: a home, a store, a git identity.
struct Machine {
    env: TestEnv,
    name: &'static str,
}

impl Machine {
    fn new(name: &'static str) -> Machine {
        Machine {
            env: TestEnv::new(),
            name,
        }
    }

    /// A machine sharing `remote`, set up with `sync init`.
    fn joined(name: &'static str, remote: &Remote) -> Machine {
        let m = Machine::new(name);
        m.ok(&["sync", "init", &remote.url()]);
        m
    }

    fn at(&mut self, now: &str) -> &mut Machine {
        self.env.now = now.to_string();
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = self.env.command(args);
        let email = format!("{}@example.com", self.name);
        cmd.env("GIT_AUTHOR_NAME", self.name)
            .env("GIT_AUTHOR_EMAIL", &email)
            .env("GIT_COMMITTER_NAME", self.name)
            .env("GIT_COMMITTER_EMAIL", &email)
            .env("GIT_CONFIG_NOSYSTEM", "1");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run promise")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{}: promise {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            self.name,
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn add(&self, what: &str, customer: &str) -> String {
        self.ok(&["add", what, "--to", customer, "--due", "friday", "--quiet"])
            .trim()
            .to_string()
    }

    fn sync(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["sync", "--json"])).unwrap()
    }

    fn show(&self, id: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["show", id, "--json"])).unwrap()
    }

    fn dir(&self) -> PathBuf {
        self.env.data_dir()
    }

    /// This machine's `open.toml`, which must be there.
    fn open_toml(&self) -> String {
        std::fs::read_to_string(self.dir().join("open.toml")).unwrap()
    }

    /// Commits everything in the data directory with plain git, as someone working by hand.
    fn commit_by_hand(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// git in the data directory, with this machine's identity.
    fn git(&self, args: &[&str]) -> String {
        let email = format!("{}@example.com", self.name);
        let out = Command::new("git")
            .arg("-C")
            .arg(self.dir())
            .args(args)
            .env("HOME", self.dir().parent().unwrap())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", self.name)
            .env("GIT_AUTHOR_EMAIL", &email)
            .env("GIT_COMMITTER_NAME", self.name)
            .env("GIT_COMMITTER_EMAIL", &email)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("PROMISE_NOW", &self.env.now)
            .env("TZ", "Europe/Helsinki")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The store's files (open.toml and the archive) with their bytes.
    fn store(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        for (path, bytes) in self.env.snapshot() {
            let rel = path.strip_prefix(self.dir()).unwrap().to_path_buf();
            let name = rel.to_string_lossy();
            if name == "open.toml" || (name.starts_with("archive/") && name.ends_with(".toml")) {
                files.insert(rel, bytes);
            }
        }
        files
    }

    /// Every file in the data directory outside `.git`, locks, backups and the cache, by its
    /// path there, with its text.
    fn everything(&self) -> BTreeMap<PathBuf, String> {
        self.env
            .snapshot()
            .into_iter()
            .map(|(p, bytes)| {
                let rel = p.strip_prefix(self.dir()).unwrap().to_path_buf();
                (rel, String::from_utf8_lossy(&bytes).into_owned())
            })
            .filter(|(rel, _)| {
                let name = rel.to_string_lossy();
                !rel.starts_with(".git")
                    && !rel.starts_with(".cache")
                    && !name.ends_with(".lock")
                    && !name.ends_with(".bak")
            })
            .collect()
    }

    /// Every promise with its id, open and closed, from `list --all --json`.
    fn all(&self) -> BTreeMap<String, serde_json::Value> {
        let list: serde_json::Value =
            serde_json::from_str(&self.ok(&["list", "--all", "--by", "all", "--json"])).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .map(|p| (p["id"].as_str().unwrap().to_string(), p.clone()))
            .collect()
    }

    /// How many times `id` is written down across the store's files.
    fn copies(&self, id: &str) -> usize {
        self.store()
            .values()
            .map(|b| {
                String::from_utf8_lossy(b)
                    .matches(&format!("id = \"{id}\""))
                    .count()
            })
            .sum()
    }
}

/// Two machines sharing a new remote, with `promises` (what, customer) made on the first and
/// synced to both; returns their ids too.
fn two_machines(promises: &[(&str, &str)]) -> (Remote, Machine, Machine, Vec<String>) {
    let remote = Remote::new();
    let a = Machine::joined("laptop", &remote);
    let b = Machine::joined("desktop", &remote);
    let ids = promises.iter().map(|(what, to)| a.add(what, to)).collect();
    a.sync();
    b.sync();
    (remote, a, b, ids)
}

/// Writes an executable script (a git hook).
fn script(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// No conflict marker in any file git tracks or the store holds.
fn assert_no_conflict_markers(m: &Machine) {
    for (path, text) in m.everything() {
        for marker in ["<<<<<<<", ">>>>>>>", "|||||||"] {
            assert!(!text.contains(marker), "{}: {path:?} has {marker}", m.name);
        }
    }
}

/// Both stores hold the same bytes, and their git histories end at the same commit.
fn assert_converged(machines: &[&Machine]) {
    let first = machines[0];
    for m in &machines[1..] {
        assert_eq!(
            first.everything(),
            m.everything(),
            "{} and {} differ",
            first.name,
            m.name
        );
        assert_eq!(
            first.git(&["rev-parse", "HEAD"]),
            m.git(&["rev-parse", "HEAD"])
        );
    }
    for m in machines {
        assert_no_conflict_markers(m);
        assert_eq!(
            m.git(&["status", "--porcelain"]),
            "",
            "{}: files differ from HEAD",
            m.name
        );
    }
}

/// Removes a promise's table from open.toml, as someone editing the file by hand would.
fn delete_by_hand(m: &Machine, id: &str) {
    let path = m.dir().join("open.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut doc: toml_edit::DocumentMut = text.parse().unwrap();
    let tables = doc["promise"].as_array_of_tables_mut().unwrap();
    let i = tables
        .iter()
        .position(|t| t.get("id").and_then(|v| v.as_str()) == Some(id))
        .unwrap();
    tables.remove(i);
    std::fs::write(path, doc.to_string()).unwrap();
}

#[test]
fn init_on_an_empty_store_clones_and_sets_git_up() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::new("laptop");
    let p = a.add("Send revised proposal", "Acme Oy");
    let out = a.ok(&["sync", "init", &remote.url()]);
    assert!(out.contains("Sent 1 new"), "{out}");

    let b = Machine::new("desktop");
    let out = b.ok(&["sync", "init", &remote.url()]);
    assert!(out.contains("Brought in 1 new"), "{out}");
    assert_eq!(b.show(&p)["what"], "Send revised proposal");
    assert_converged(&[&a, &b]);

    let attributes = std::fs::read_to_string(b.dir().join(".gitattributes")).unwrap();
    assert!(
        attributes.lines().any(|l| l == "*.toml merge=promise"),
        "{attributes}"
    );
    let ignore = std::fs::read_to_string(b.dir().join(".gitignore")).unwrap();
    for pattern in [".cache/", "*.bak", "*.lock", ".promise-tmp.*"] {
        assert!(
            ignore.lines().any(|l| l == pattern),
            "{pattern} not in {ignore}"
        );
    }
    let driver = b.git(&["config", "merge.promise.driver"]);
    assert!(
        driver.trim().ends_with("merge-driver %O %A %B %P"),
        "{driver}"
    );
    // Not on PATH in the tests: the absolute path of the binary that set it up.
    assert!(
        driver.starts_with(env!("CARGO_BIN_EXE_promise")),
        "{driver}"
    );
    // Nothing that must not be shared was committed.
    let tracked = a.git(&["ls-files"]);
    assert_eq!(
        tracked.lines().collect::<Vec<_>>(),
        [".gitattributes", ".gitignore", "open.toml"]
    );
}

#[test]
fn init_adopts_an_existing_store_and_merges_it_with_the_remote() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::new("laptop");
    let pa = a.add("From the laptop", "Acme Oy");
    a.ok(&["sync", "init", &remote.url()]);
    // The desktop had promises of its own before it was shared.
    let b = Machine::new("desktop");
    let pb = b.add("From the desktop", "Beta Ab");
    let out = b.ok(&["sync", "init", &remote.url()]);
    assert!(
        out.contains("Brought in 1 new") && out.contains("Sent 1 new"),
        "{out}"
    );
    a.sync();
    assert_converged(&[&a, &b]);
    assert_eq!(a.all().len(), 2);
    assert!(a.all().contains_key(&pb) && b.all().contains_key(&pa));
}

/// The scenario: on both machines, new promises; `done` on one and `slip` on the other;
/// the same field edited on both; a close on each in a different archive file; a promise
/// deleted by hand on one side and changed on the other; synced in the order given.
fn concurrent_changes(order: &[usize]) {
    let remote = Remote::new();
    let mut a = Machine::joined("laptop", &remote);
    let mut b = Machine::joined("desktop", &remote);
    let done_slip = a.add("Proposal", "Acme Oy");
    let same_field = a.add("Deck", "Beta Ab");
    let months = a.add("Figures", "Gamma GmbH");
    let deleted = a.add("Call back", "Delta Ltd");
    let both_close = a.add("Quote", "Zeta Oy");
    a.sync();
    b.sync();

    a.at("2026-11-23T11:00:00+02:00");
    let new_a = a.add("Laptop's new one", "Acme Oy");
    a.ok(&["done", &done_slip]);
    a.ok(&["edit", &same_field, "--what", "Deck (laptop)"]);
    a.ok(&["edit", &deleted, "--note", "they asked again"]);
    a.ok(&["cancel", &both_close, "--reason", "no longer needed"]);
    a.at("2026-11-30T23:30:00+02:00");
    a.ok(&["done", &months, "--at", "today 23:00"]);

    b.at("2026-11-23T11:30:00+02:00");
    let new_b = b.add("Desktop's new one", "Beta Ab");
    b.ok(&[
        "slip",
        &done_slip,
        "--to",
        "saturday 12:00",
        "--reason",
        "waiting",
    ]);
    b.ok(&["edit", &same_field, "--what", "Deck (desktop)"]);
    delete_by_hand(&b, &deleted);
    b.ok(&["done", &both_close]);
    b.at("2026-12-01T09:00:00+02:00");
    b.ok(&["cancel", &months]);

    let machines = [&a, &b];
    for &i in order {
        machines[i % 2].sync();
    }
    assert_converged(&[&a, &b]);

    let all = a.all();
    assert_eq!(all.len(), 7, "{all:#?}");
    for id in [
        &done_slip,
        &same_field,
        &months,
        &deleted,
        &both_close,
        &new_a,
        &new_b,
    ] {
        assert_eq!(a.copies(id), 1, "{id} is not exactly once in the store");
    }
    // Kept on the laptop, slipped on the desktop: kept, with the slip.
    let p = &all[&done_slip];
    assert_eq!(p["status"], "kept");
    assert_eq!(p["slips"].as_array().unwrap().len(), 1);
    // The same field on both: the desktop's commit is the newer one.
    let p = &all[&same_field];
    assert_eq!(p["what"], "Deck (desktop)");
    assert_eq!(p["replaced"][0]["field"], "what");
    assert_eq!(p["replaced"][0]["value"], "Deck (laptop)");
    // Deleted by hand on the desktop, changed on the laptop: kept.
    assert_eq!(all[&deleted]["note"], "they asked again");
    // Cancelled on one, kept on the other: kept, and the cancel in the history.
    let p = &all[&both_close];
    assert_eq!(p["status"], "kept");
    assert_eq!(p["replaced"][0]["value"], "cancelled");
    assert_eq!(p["replaced"][0]["cancel_reason"], "no longer needed");
    // Kept in November on one, cancelled in December on the other: kept, in November's file.
    assert_eq!(all[&months]["status"], "kept");
    let files = a.store();
    let nov = String::from_utf8_lossy(&files[Path::new("archive/2026/11.toml")]).into_owned();
    assert!(nov.contains(&months));
    assert!(!files.contains_key(Path::new("archive/2026/12.toml")));
    // Ordinary commits: a line of them and merges of two.
    for parents in a.git(&["log", "--format=%P"]).lines() {
        assert!(parents.split_whitespace().count() <= 2, "{parents}");
    }
}

#[test]
fn concurrent_changes_merge_by_promise_laptop_first() {
    if no_git() {
        return;
    }
    concurrent_changes(&[0, 1, 0]);
}

#[test]
fn concurrent_changes_merge_by_promise_desktop_first() {
    if no_git() {
        return;
    }
    concurrent_changes(&[1, 0, 1]);
}

#[test]
fn concurrent_changes_merge_by_promise_with_extra_rounds() {
    if no_git() {
        return;
    }
    concurrent_changes(&[1, 1, 0, 0, 1, 0]);
}

#[test]
fn three_machines_converge() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::joined("laptop", &remote);
    let b = Machine::joined("desktop", &remote);
    let c = Machine::joined("phone", &remote);
    let shared = a.add("Proposal", "Acme Oy");
    a.sync();
    b.sync();
    c.sync();
    let ids = [
        a.add("A", "Acme Oy"),
        b.add("B", "Beta Ab"),
        c.add("C", "Gamma GmbH"),
    ];
    b.ok(&["slip", &shared, "--to", "saturday 12:00"]);
    c.ok(&["slip", &shared, "--to", "sunday 12:00"]);
    for m in [&c, &a, &b, &c, &a] {
        m.sync();
    }
    assert_converged(&[&a, &b, &c]);
    let all = c.all();
    assert_eq!(all.len(), 4);
    assert!(ids.iter().all(|id| all.contains_key(id)));
    assert_eq!(all[&shared]["slips"].as_array().unwrap().len(), 2);
}

#[test]
fn sync_says_what_it_brought_and_what_it_replaced() {
    if no_git() {
        return;
    }
    let (_remote, mut a, mut b, ids) = two_machines(&[("Deck", "Beta Ab"), ("Quote", "Zeta Oy")]);
    let (p, q) = (&ids[0], &ids[1]);
    a.at("2026-11-23T11:00:00+02:00");
    a.ok(&["edit", p, "--what", "Deck (laptop)"]);
    for i in 0..3 {
        a.add(&format!("New {i}"), "Acme Oy");
    }
    a.ok(&["slip", q, "--to", "saturday 12:00"]);
    a.sync();
    b.at("2026-11-23T12:00:00+02:00");
    b.ok(&["edit", p, "--what", "Deck (desktop)"]);
    let out = b.ok(&["sync"]);
    assert!(
        out.contains("Brought in 3 new, 1 slipped on the other machine"),
        "{out}"
    );
    assert!(
        out.contains(
            "what was changed on both machines; kept \"Deck (desktop)\" (this machine's, newer), \
             replaced \"Deck (laptop)\""
        ),
        "{out}"
    );
    // Nothing new: says so, and --quiet says nothing.
    assert!(b.ok(&["sync"]).starts_with("Up to date"));
    assert_eq!(b.ok(&["sync", "--quiet"]), "");
    let json = a.sync();
    assert_eq!(json["brought"]["edited"], 1);
    assert_eq!(json["rounds"], 1);
}

#[test]
fn a_missing_remote_leaves_the_store_untouched() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::joined("laptop", &remote);
    let b = Machine::joined("desktop", &remote);
    b.add("From the desktop", "Beta Ab");
    b.sync();
    a.add("From the laptop", "Acme Oy");
    let before = a.everything();
    let moved = remote.dir.path().join("gone.git");
    std::fs::rename(remote.path(), &moved).unwrap();
    let out = a.run(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("promise: git fetch: ") && err.trim_end().lines().count() == 1,
        "{err}"
    );
    assert_eq!(a.everything(), before);
    // Back in place, the next sync does the work.
    std::fs::rename(&moved, remote.path()).unwrap();
    a.sync();
    b.sync();
    assert_converged(&[&a, &b]);
}

#[test]
fn a_failed_push_leaves_the_store_untouched() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::joined("laptop", &remote);
    let b = Machine::joined("desktop", &remote);
    b.add("From the desktop", "Beta Ab");
    b.sync();
    a.add("From the laptop", "Acme Oy");
    // The server refuses every push (a full disk, a permission taken away).
    let hook = remote.path().join("hooks").join("pre-receive");
    script(
        &hook,
        "#!/bin/sh
echo 'quota exceeded' >&2
exit 1
",
    );
    let before = a.everything();
    let out = a.run(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("quota exceeded"), "{err}");
    assert_eq!(
        a.everything(),
        before,
        "the desktop's promise came in though nothing was pushed"
    );
    std::fs::remove_file(&hook).unwrap();
    a.sync();
    b.sync();
    assert_converged(&[&a, &b]);
    assert_eq!(a.all().len(), 2);
}

#[test]
fn a_push_race_is_merged_again_in_another_round() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::joined("laptop", &remote);
    let c = Machine::joined("phone", &remote);
    a.add("From the laptop", "Acme Oy");
    // Between the laptop's fetch and its push, the phone pushes: a pre-push hook makes it so,
    // once.
    let phone = c.dir();
    let hook = a.dir().join(".git").join("hooks").join("pre-push");
    script(
        &hook,
        &format!(
            "#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\n\
             [ -e \"$0.done\" ] && exit 0\ntouch \"$0.done\"\n\
             git -C '{p}' commit -q --allow-empty -m race && git -C '{p}' push -q origin HEAD\n",
            p = phone.display()
        ),
    );
    let json = a.sync();
    assert_eq!(json["rounds"], 2, "{json}");
    c.sync();
    assert_converged(&[&a, &c]);
}

#[test]
fn a_file_that_does_not_parse_is_never_shared() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::joined("laptop", &remote);
    let b = Machine::joined("desktop", &remote);
    a.add("Proposal", "Acme Oy");
    a.sync();
    let path = a.dir().join("open.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("customer = \"Acme Oy\"", "customer = Acme Oy"),
    )
    .unwrap();
    let commits = a.git(&["rev-list", "--count", "HEAD"]);
    let out = a.run(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!("promise: {}:", path.display())),
        "{err}"
    );
    assert!(err.contains("nothing was synced"), "{err}");
    assert_eq!(a.git(&["rev-list", "--count", "HEAD"]), commits);
    assert_eq!(a.git(&["status", "--porcelain"]).trim(), "M open.toml");
    // The other machine never sees it.
    b.sync();
    assert_eq!(b.all().len(), 1);
}

#[test]
fn a_promise_added_while_a_sync_is_on_the_network_is_kept_and_sent_next_time() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::joined("laptop", &remote);
    let b = Machine::joined("desktop", &remote);
    b.add("From the desktop", "Beta Ab");
    b.sync();
    a.add("From the laptop", "Acme Oy");
    // While the laptop's sync pushes (holding no store lock), someone adds a promise there.
    let hook = a.dir().join(".git").join("hooks").join("pre-push");
    script(
        &hook,
        &format!(
            "#!/bin/sh\n'{}' add 'Added during the push' --to 'Gamma GmbH' --due friday --quiet >/dev/null\n",
            env!("CARGO_BIN_EXE_promise")
        ),
    );
    a.sync();
    std::fs::remove_file(&hook).unwrap();
    let all = a.all();
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all.values().any(|p| p["what"] == "Added during the push"));
    // Not in the commit just pushed: the next sync sends it.
    assert_eq!(a.git(&["status", "--porcelain"]).trim(), "M open.toml");
    a.sync();
    b.sync();
    assert_converged(&[&a, &b]);
    assert_eq!(b.all().len(), 3);
}

#[test]
fn without_git_sync_says_so_and_changes_nothing() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::joined("laptop", &remote);
    a.add("From the laptop", "Acme Oy");
    let before = a.everything();
    let out = a
        .command(&["sync"])
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("needs git") && err.contains("not installed"),
        "{err}"
    );
    assert_eq!(a.everything(), before);
}

#[test]
fn sync_before_init_says_how_to_set_it_up() {
    let a = Machine::new("laptop");
    a.add("Proposal", "Acme Oy");
    let out = a.run(&["sync"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("promise sync init REMOTE"), "{err}");
}

#[test]
fn init_with_an_unreachable_remote_leaves_nothing_behind() {
    if no_git() {
        return;
    }
    let a = Machine::new("laptop");
    a.add("Proposal", "Acme Oy");
    let before = a.everything();
    // A path that is not there, and servers that do not answer: an error, never a prompt.
    for remote in [
        "/nonexistent/promises.git",
        "https://127.0.0.1:9/promises.git",
        "ssh://127.0.0.1:9/promises.git",
    ] {
        let out = a.run(&["sync", "init", remote]);
        assert_eq!(out.status.code(), Some(1), "{remote}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("promise: ") && err.trim_end().lines().count() == 1,
            "{err}"
        );
        assert!(!a.dir().join(".git").exists(), "{remote}");
        assert_eq!(a.everything(), before, "{remote}");
    }
}

#[test]
fn git_pull_by_hand_merges_through_the_merge_driver() {
    if no_git() {
        return;
    }
    let (_remote, mut a, mut b, ids) =
        two_machines(&[("Proposal", "Acme Oy"), ("Deck", "Beta Ab")]);
    let (p, q) = (ids[0].clone(), ids[1].clone());
    a.at("2026-11-23T11:00:00+02:00");
    a.ok(&["slip", &p, "--to", "saturday 12:00"]);
    a.ok(&["edit", &q, "--note", "laptop"]);
    a.add("Laptop's", "Acme Oy");
    a.commit_by_hand("by hand");
    a.git(&["push", "-q", "origin", "HEAD"]);
    b.at("2026-11-23T12:00:00+02:00");
    b.ok(&["edit", &p, "--contact", "Liisa"]);
    b.ok(&["edit", &q, "--note", "desktop"]);
    b.add("Desktop's", "Beta Ab");
    b.commit_by_hand("by hand");
    b.git(&["pull", "-q", "--no-rebase", "--no-edit"]);
    assert_no_conflict_markers(&b);
    let all = b.all();
    assert_eq!(all.len(), 4);
    assert_eq!(all[&p]["contact"], "Liisa");
    assert_eq!(all[&p]["slips"].as_array().unwrap().len(), 1);
    assert_eq!(all[&q]["note"], "desktop");
    assert_eq!(all[&q]["replaced"][0]["value"], "laptop");
    // And sync carries on from there.
    b.sync();
    a.sync();
    assert_converged(&[&a, &b]);
}

/// A close is one write of open.toml and its move to the archive waits for housekeeping: a
/// close committed by hand before that (closed in open.toml) merges with a slip made on the
/// other machine into one closed promise, in its month's file, with the slip.
#[test]
fn a_close_still_in_open_toml_syncs_and_merges_with_a_slip() {
    if no_git() {
        return;
    }
    let (_remote, mut a, mut b, ids) =
        two_machines(&[("Proposal", "Acme Oy"), ("Other", "Acme Oy")]);
    let p = ids[0].clone();
    a.at("2026-11-23T11:00:00+02:00");
    a.ok(&["done", &p]);
    assert!(a.open_toml().contains("status = \"kept\""));
    a.commit_by_hand("closed, not moved yet");
    a.git(&["push", "-q", "origin", "HEAD"]);
    b.at("2026-11-23T12:00:00+02:00");
    b.ok(&[
        "slip",
        &p,
        "--to",
        "saturday 12:00",
        "--reason",
        "their figures",
    ]);
    b.sync();
    let shown = b.show(&p);
    assert_eq!(shown["status"], "kept");
    assert_eq!(shown["slips"].as_array().unwrap().len(), 1);
    assert_eq!(b.copies(&p), 1);
    assert!(!b.open_toml().contains(&p));
    // Both machines moved the closed promise on their own: the same bytes, two commits, so a's
    // sync merges them and b takes the merge on its next sync.
    a.sync();
    b.sync();
    assert_converged(&[&a, &b]);
    assert_eq!(a.show(&p)["slips"].as_array().unwrap().len(), 1);
    // A close not committed by hand is moved by the sync that shares it.
    let q = ids[1].clone();
    a.ok(&["done", &q]);
    a.sync();
    assert!(!a.open_toml().contains(&q));
    b.sync();
    assert_eq!(b.show(&q)["status"], "kept");
    assert_converged(&[&a, &b]);
}

/// A reopening from the archive is one write of open.toml; the archive's copy it supersedes
/// may reach the other machine before housekeeping takes it out (committed by hand). Either way
/// both machines see the promise open once, close it again once, and converge to one copy.
#[test]
fn a_reopening_from_the_archive_syncs_before_and_after_housekeeping() {
    if no_git() {
        return;
    }
    let (_remote, mut a, mut b, ids) =
        two_machines(&[("Proposal", "Acme Oy"), ("Other", "Acme Oy")]);
    let (p, q) = (ids[0].clone(), ids[1].clone());
    a.ok(&["done", &p]);
    a.ok(&["done", &q]);
    a.sync();
    b.sync();
    assert_eq!(b.show(&p)["status"], "kept");
    for m in [&mut a, &mut b] {
        m.at("2026-12-02T10:00:00+02:00");
    }

    // p reopened and committed by hand: November's file still has its closed copy.
    a.ok(&["reopen", &p]);
    assert_eq!(a.copies(&p), 2);
    a.commit_by_hand("reopened, not tidied");
    a.git(&["push", "-q", "origin", "HEAD"]);
    b.sync();
    assert_eq!(b.show(&p)["status"], "open");
    assert_eq!(b.all().len(), 2);
    // The next syncs' housekeeping takes the old copy out on both (the same bytes in two
    // commits: one more sync brings a the merge).
    a.sync();
    b.sync();
    a.sync();
    assert_converged(&[&a, &b]);
    assert_eq!(b.copies(&p), 1);

    // q reopened by a sync's own path, then closed again on the other machine.
    a.ok(&["reopen", &q]);
    a.sync();
    b.sync();
    assert_eq!(b.show(&q)["status"], "open");
    b.ok(&["cancel", &q, "--reason", "not needed"]);
    b.sync();
    a.sync();
    b.sync();
    assert_converged(&[&a, &b]);
    for m in [&a, &b] {
        assert_eq!(m.show(&q)["status"], "cancelled");
        assert_eq!(m.show(&q)["reopened"].as_array().unwrap().len(), 1);
        assert_eq!(m.copies(&q), 1);
        assert_eq!(m.show(&p)["status"], "open");
        assert_eq!(m.copies(&p), 1);
    }
}

#[test]
fn a_promise_closed_on_one_side_is_repaired_after_a_hand_pull() {
    if no_git() {
        return;
    }
    let (_remote, mut a, mut b, ids) =
        two_machines(&[("Proposal", "Acme Oy"), ("Other", "Acme Oy")]);
    let p = ids[0].clone();
    a.at("2026-11-23T11:00:00+02:00");
    a.ok(&["done", &p]);
    a.env.tidy();
    a.commit_by_hand("by hand");
    a.git(&["push", "-q", "origin", "HEAD"]);
    b.at("2026-11-23T12:00:00+02:00");
    b.ok(&["slip", &p, "--to", "saturday 12:00"]);
    b.commit_by_hand("by hand");
    b.git(&["pull", "-q", "--no-rebase", "--no-edit"]);
    // In both files now, closed in both; every command sees it closed, with the slip.
    let shown = b.show(&p);
    assert_eq!(shown["status"], "kept");
    assert_eq!(shown["slips"].as_array().unwrap().len(), 1);
    assert_eq!(b.all().len(), 2);
    assert!(
        !b.ok(&["list"]).contains("Proposal"),
        "the hot path shows it open"
    );
    assert_eq!(b.copies(&p), 2);
    // Housekeeping finishes the move, and sync carries it.
    b.add("Another", "Beta Ab");
    b.env.tidy();
    assert_eq!(b.copies(&p), 1);
    assert_eq!(b.show(&p)["slips"].as_array().unwrap().len(), 1);
    b.sync();
    a.sync();
    assert_converged(&[&a, &b]);
    assert_eq!(a.copies(&p), 1);
}

#[test]
fn a_sync_killed_at_any_step_is_completed_by_the_next() {
    if no_git() {
        return;
    }
    for step in [
        "sync-after-commit",
        "sync-after-fetch",
        "sync-after-push",
        "sync-after-marker",
        "before-write:11.toml",
        "sync-between-rounds",
        "mid-write:open.toml",
        "sync-after-files",
        "sync-after-branch",
    ] {
        let (_remote, mut a, mut b, ids) =
            two_machines(&[("Proposal", "Acme Oy"), ("Deck", "Beta Ab")]);
        let (p, q) = (ids[0].clone(), ids[1].clone());
        a.at("2026-11-23T11:00:00+02:00");
        a.ok(&["slip", &p, "--to", "saturday 12:00"]);
        let new_a = a.add("Laptop's", "Acme Oy");
        b.at("2026-11-23T12:00:00+02:00");
        b.ok(&["done", &p]);
        b.ok(&["edit", &q, "--note", "desktop"]);
        let new_b = b.add("Desktop's", "Beta Ab");
        b.sync();

        let out = a
            .command(&["sync"])
            .env("PROMISE_TEST_CRASH_AT", step)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{step}: the sync was not killed");
        // Between the kill and the next sync, the store is whole for every command.
        let all = a.all();
        assert!(
            all.contains_key(&p) && all.contains_key(&q) && all.contains_key(&new_a),
            "{step}: {all:#?}"
        );
        a.sync();
        b.sync();
        a.sync();
        assert_converged(&[&a, &b]);
        let all = a.all();
        assert_eq!(all.len(), 4, "{step}");
        assert_eq!(all[&p]["status"], "kept", "{step}");
        assert_eq!(all[&p]["slips"].as_array().unwrap().len(), 1, "{step}");
        assert_eq!(all[&q]["note"], "desktop", "{step}");
        assert!(all.contains_key(&new_b), "{step}");
        for id in [&p, &q, &new_a, &new_b] {
            assert_eq!(a.copies(id), 1, "{step}: {id}");
        }
        let left: Vec<_> = a
            .env
            .snapshot()
            .into_keys()
            .filter(|p| p.to_string_lossy().contains(".promise-tmp."))
            .collect();
        assert!(left.is_empty(), "{step}: {left:?}");
    }
}

#[test]
fn sigkill_at_random_moments_of_a_sync_loses_nothing() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let mut a = Machine::joined("laptop", &remote);
    let mut b = Machine::joined("desktop", &remote);
    let mut ids = Vec::new();
    let mut interrupted = 0;
    for (round, delay) in [0u64, 5, 15, 30, 60, 100, 150, 250].into_iter().enumerate() {
        a.at(&format!("2026-11-23T1{}:00:00+02:00", round % 10));
        b.at(&format!("2026-11-23T1{}:30:00+02:00", round % 10));
        ids.push(a.add(&format!("Laptop {round}"), "Acme Oy"));
        ids.push(b.add(&format!("Desktop {round}"), "Beta Ab"));
        b.sync();
        let mut child = a
            .command(&["sync"])
            .env("PROMISE_TEST_WRITE_DELAY_MS", "20")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        use std::os::unix::process::ExitStatusExt;
        interrupted += usize::from(child.wait().unwrap().signal().is_some());
        let all = a.all();
        for id in ids.iter().step_by(2) {
            assert!(
                all.contains_key(id),
                "kill after {delay} ms: {id} is missing"
            );
        }
    }
    assert!(
        interrupted >= 4,
        "only {interrupted} of 8 syncs were killed before they finished"
    );
    a.sync();
    b.sync();
    a.sync();
    assert_converged(&[&a, &b]);
    let all = a.all();
    assert_eq!(all.len(), ids.len());
    for id in &ids {
        assert_eq!(a.copies(id), 1, "{id}");
    }
}

#[test]
fn a_shared_store_records_who_made_each_promise_and_lists_your_own() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::new("liisa");
    let before = a.add("Made before sharing", "Acme Oy");
    a.ok(&["sync", "init", &remote.url()]);
    let b = Machine::joined("pekka", &remote);
    let mine = a.add("Liisa's", "Acme Oy");
    b.env.write_config("me = \"Pekka P\"\n");
    let his = b.add("Pekka's", "Beta Ab");
    a.sync();
    b.sync();
    a.sync();
    assert_eq!(a.show(&mine)["by"], "liisa@example.com");
    assert_eq!(a.show(&his)["by"], "Pekka P");
    assert!(a.show(&before)["by"].is_null());
    // `list`: yours (and those made before sharing) unless --by says otherwise.
    let ids = |out: String| -> Vec<String> {
        let list: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut ids: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        ids(a.ok(&["list", "--json"])),
        sorted(vec![before.clone(), mine.clone()])
    );
    assert_eq!(
        ids(b.ok(&["list", "--json"])),
        sorted(vec![before.clone(), his.clone()])
    );
    assert_eq!(
        ids(a.ok(&["list", "--json", "--by", "pekka"])),
        vec![his.clone()]
    );
    assert_eq!(ids(a.ok(&["list", "--json", "--by", "all"])).len(), 3);
    // `report`: everyone unless --by.
    let report: serde_json::Value = serde_json::from_str(&a.ok(&["report", "--json"])).unwrap();
    assert_eq!(report["total"]["open"], 3);
    let report: serde_json::Value =
        serde_json::from_str(&a.ok(&["report", "--json", "--by", "pekka"])).unwrap();
    assert_eq!(report["total"]["open"], 1);
}

#[test]
fn the_prompt_counts_your_own_promises_in_a_shared_store_without_running_git() {
    if no_git() {
        return;
    }
    let remote = Remote::new();
    let a = Machine::joined("liisa", &remote);
    let mut b = Machine::joined("pekka", &remote);
    b.env.now = "2026-11-23T10:30:00+02:00".into();
    b.ok(&[
        "add", "Pekka's", "--to", "Beta Ab", "--due", "11:00", "--quiet",
    ]);
    b.sync();
    a.sync();
    a.ok(&[
        "add", "Liisa's", "--to", "Acme Oy", "--due", "11:30", "--quiet",
    ]);
    assert_eq!(a.ok(&["prompt"]).trim(), "⏳1");
    // No git on PATH: the prompt needs none.
    let out = a
        .command(&["prompt"])
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "⏳1");
}

// --- The property: random changes on two or three machines, synced in random orders. -------

#[derive(Debug, Clone)]
enum Step {
    Add,
    Slip(usize),
    Done(usize),
    Edit(usize, &'static str),
    Sync,
}

fn step() -> impl Strategy<Value = (usize, Step)> {
    (
        0usize..3,
        prop_oneof![
            3 => Just(Step::Add),
            2 => (0usize..6).prop_map(Step::Slip),
            1 => (0usize..6).prop_map(Step::Done),
            1 => ((0usize..6), prop_oneof![Just("A"), Just("B")]).prop_map(|(i, w)| Step::Edit(i, w)),
            3 => Just(Step::Sync),
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn machines_converge_with_nothing_lost_or_duplicated(
        count in 2usize..=3,
        steps in proptest::collection::vec(step(), 4..14),
        order in proptest::collection::vec(0usize..3, 2..5),
    ) {
        if no_git() {
            return Ok(());
        }
        let remote = Remote::new();
        let names = ["laptop", "desktop", "phone"];
        let mut machines: Vec<Machine> = (0..count).map(|i| Machine::joined(names[i], &remote)).collect();
        let mut made = Vec::new();
        let mut slips = 0usize;
        for (n, (who, step)) in steps.into_iter().enumerate() {
            let m = &mut machines[who % count];
            m.at(&format!("2026-11-23T{:02}:{:02}:00+02:00", 11 + n / 60, n % 60));
            let open: Vec<String> = m.all().into_iter().filter(|(_, p)| p["status"] == "open").map(|(id, _)| id).collect();
            let pick = |i: usize| (!open.is_empty()).then(|| open[i % open.len()].clone());
            match step {
                Step::Add => made.push(m.add(&format!("Promise {n}"), "Acme Oy")),
                Step::Slip(i) => if let Some(id) = pick(i) {
                    m.ok(&["slip", &id, "--to", &format!("2026-12-{:02} 12:00", 1 + n % 28)]);
                    slips += 1;
                },
                Step::Done(i) => if let Some(id) = pick(i) { m.ok(&["done", &id]); },
                Step::Edit(i, what) => if let Some(id) = pick(i) { m.ok(&["edit", &id, "--what", what]); },
                Step::Sync => { m.sync(); }
            }
        }
        for who in order.iter().chain(&[0, 1, 2, 0, 1, 2]) {
            machines[who % count].sync();
        }
        let refs: Vec<&Machine> = machines.iter().collect();
        assert_converged(&refs);
        let all = machines[0].all();
        prop_assert_eq!(all.len(), made.len());
        for id in &made {
            prop_assert_eq!(machines[0].copies(id), 1, "{} lost or duplicated", id);
        }
        let slipped: usize = all.values().map(|p| p["slips"].as_array().map_or(0, Vec::len)).sum();
        prop_assert_eq!(slipped, slips, "a slip was lost");
    }
}
