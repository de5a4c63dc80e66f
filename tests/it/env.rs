//! `TestEnv`: a temporary home for one test, and helpers to run `promise` in it.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

/// Monday 23 November 2026, 10:30 in Helsinki: the clock of the spec's examples.
pub const MONDAY: &str = "2026-11-23T10:30:00+02:00";

pub struct TestEnv {
    dir: TempDir,
    pub now: String,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
            now: MONDAY.to_string(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn open_toml(&self) -> PathBuf {
        self.data_dir().join("open.toml")
    }

    pub fn config_file(&self) -> PathBuf {
        self.dir
            .path()
            .join("config")
            .join("promise")
            .join("config.toml")
    }

    pub fn write_config(&self, text: &str) {
        let path = self.config_file();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn write_open(&self, text: &str) {
        std::fs::create_dir_all(self.data_dir()).unwrap();
        std::fs::write(self.open_toml(), text).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.data_dir().join(relative)).unwrap_or_default()
    }

    /// The command, with the environment pinned.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_promise"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("PROMISE_DATA_DIR", self.data_dir())
            .env("PROMISE_NOW", &self.now)
            .env("TZ", "Europe/Helsinki")
            .env("NO_COLOR", "1");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run promise")
    }

    /// Housekeeping as the `nag` timer does it (no reminder shown): the closed promises in
    /// `open.toml` move to their months' archive files, a yearly archive into months.
    pub fn tidy(&self) {
        let out = self.nag();
        assert!(
            out.status.success(),
            "promise nag failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Where the store holds a table for `id`: each file (relative to the data directory, in
    /// path order) once per copy in it.
    pub fn copies(&self, id: &str) -> Vec<String> {
        fn walk(dir: &Path, root: &Path, id: &str, found: &mut Vec<String>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .collect();
            entries.sort_by_key(|e| e.path());
            for entry in entries {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, root, id, found);
                } else if path.extension().is_some_and(|e| e == "toml") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    for _ in text.matches(&format!("id = \"{id}\"")) {
                        found.push(path.strip_prefix(root).unwrap().display().to_string());
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(&self.data_dir(), &self.data_dir(), id, &mut found);
        found
    }

    /// `promise nag` with no reminder shown, whatever its outcome.
    pub fn nag(&self) -> Output {
        self.command(["nag"])
            .env("PROMISE_NOTIFY", "none")
            .output()
            .expect("run promise")
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "promise {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// Runs and expects exit `code` with one line on stderr and nothing on stdout; returns it.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(
            out.status.code(),
            Some(code),
            "promise {args:?}: stderr: {stderr}"
        );
        assert!(
            stderr.starts_with("promise: ") || stderr.starts_with("error: "),
            "{stderr}"
        );
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "one-line error expected: {stderr}"
        );
        assert!(
            out.stdout.is_empty(),
            "stdout on failure: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        stderr
    }

    /// Adds a promise and returns its full id.
    pub fn add(&self, what: &str, customer: &str, due: &str) -> String {
        self.ok(&["add", what, "--to", customer, "--due", due, "--quiet"])
            .trim()
            .to_string()
    }

    /// Every file under the data dir with its bytes: "changes nothing on disk" is this, unchanged.
    /// The sidecar lock file is left out: it is created empty by the first would-be writer, holds
    /// no data and is never deleted. So is `.cache/`: derived data (the archive's index), which
    /// readers may rebuild, never the store's truth.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(&self.data_dir(), &mut files);
        files
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON")
    }
}

fn collect(dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.ends_with(".cache") {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else if !path.ends_with("promise.lock") {
            files.insert(path.clone(), std::fs::read(&path).unwrap_or_default());
        }
    }
}

/// True when `tool` is on PATH. When it is not, the test that needs it is skipped, and says so
/// on the real stderr (past the test harness's capture, so `cargo test` shows it), except under
/// CI (`PROMISE_TEST_ALL_TOOLS` set by `.ci/run`, which installs every tool), where a missing one
/// is a failure. Not the generic `CI` variable: a machine with only the Rust toolchain may well
/// set that, and the README promises the suite passes there.
pub fn have(tool: &str, package: &str) -> bool {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false);
    if found {
        return true;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    if std::env::var_os("PROMISE_TEST_ALL_TOOLS").is_some_and(|v| !v.is_empty()) {
        panic!("{tool} is not installed; .ci/run installs it (apt-get install {package})");
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED {test}: needs {tool}, not installed here (apt-get install {package}; .ci/run does)"
    );
    false
}
