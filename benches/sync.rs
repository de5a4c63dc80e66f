//! Sync benchmark: `promise sync` on a store of 10,000 promises (9,900 closed across the monthly
//! archive, 100 open) shared by two machines through a bare repository on the local disk (a
//! file remote), with 10 changes on each side between syncs.
//!
//!   cargo bench --bench sync               # or bench/sync.sh
//!   PROMISES=100000 ROUNDS=5 cargo bench --bench sync
//!   WORK_DIR=/tmp/sync-bench ROUNDS=1 cargo bench --bench sync   # keep the stores
//!
//! Each round: 10 changes on the laptop (4 new, 3 kept, 3 slipped) and 10 on the desktop, made
//! with the binary and not timed; then, timed as whole processes, the laptop's sync (it only
//! sends), the desktop's (a merge of 10 changes on each side), the laptop's again (a
//! fast-forward), and one more with nothing to do. Prints the median, minimum and maximum.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Duration as Span, FixedOffset};
use promise::model::{Id, Promise, Status};
use promise::store::StoreFile;

const NOW: &str = "2026-11-23T10:30:00+02:00";
const OPEN: usize = 100;

struct Machine {
    name: &'static str,
    home: PathBuf,
    data: PathBuf,
}

impl Machine {
    fn new(work: &Path, name: &'static str) -> Machine {
        let home = work.join(format!("home-{name}"));
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(home.join("config.toml"), "").unwrap();
        Machine {
            name,
            data: home.join("data"),
            home,
        }
    }

    fn command(&self, now: &DateTime<FixedOffset>, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_promise"));
        let email = format!("{}@example.com", self.name);
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("PROMISE_DATA_DIR", &self.data)
            .env("PROMISE_CONFIG", self.home.join("config.toml"))
            .env("PROMISE_NOW", now.to_rfc3339())
            .env("TZ", "Europe/Helsinki")
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", self.name)
            .env("GIT_AUTHOR_EMAIL", &email)
            .env("GIT_COMMITTER_NAME", self.name)
            .env("GIT_COMMITTER_EMAIL", &email);
        cmd
    }

    fn run(&self, now: &DateTime<FixedOffset>, args: &[&str]) -> Duration {
        let started = Instant::now();
        let out = self.command(now, args).output().expect("run promise");
        let elapsed = started.elapsed();
        assert!(
            out.status.success(),
            "{} {args:?}: {}",
            self.name,
            String::from_utf8_lossy(&out.stderr)
        );
        elapsed
    }

    /// Ten changes: four new promises, three kept, three slipped (of the open ones given).
    fn ten_changes(&self, now: &mut DateTime<FixedOffset>, open: &mut Vec<String>) {
        for i in 0..4 {
            *now += Span::minutes(1);
            let what = format!("New from {} {i}", self.name);
            let out = self
                .command(
                    now,
                    &[
                        "add",
                        &what,
                        "--to",
                        "Acme Oy",
                        "--due",
                        "friday 12:00",
                        "--quiet",
                    ],
                )
                .output()
                .expect("run promise");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            open.insert(0, String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        for _ in 0..3 {
            *now += Span::minutes(1);
            let id = open.pop().expect("enough open promises");
            self.run(now, &["done", &id]);
        }
        for _ in 0..3 {
            *now += Span::minutes(1);
            let id = open.pop().expect("enough open promises");
            self.run(now, &["slip", &id, "--to", "2027-01-15 12:00"]);
        }
    }
}

fn main() {
    let total: usize = std::env::var("PROMISES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(9);
    // WORK_DIR keeps the machines' stores and the remote there, to look at or profile.
    let temp = tempfile::tempdir().expect("temp dir");
    let work_dir = std::env::var_os("WORK_DIR").map(PathBuf::from);
    let work = work_dir.as_deref().unwrap_or(temp.path());
    let remote = work.join("promises.git");
    let git = Command::new("git")
        .args(["init", "-q", "--bare"])
        .arg(&remote)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", work)
        .status()
        .expect("git is installed");
    assert!(git.success());

    let laptop = Machine::new(work, "laptop");
    let desktop = Machine::new(work, "desktop");
    let mut open = generate(&laptop.data, total);
    let mut now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let remote = remote.display().to_string();

    println!("machine: {}", machine());
    println!(
        "store: {total} promises ({} closed in {} archive files, {OPEN} open); file remote; {rounds} rounds",
        total - OPEN,
        archive_files(&laptop.data)
    );
    println!();
    let first = laptop.run(&now, &["sync", "init", &remote]);
    let clone = desktop.run(&now, &["sync", "init", &remote]);
    println!("| job | ms |");
    println!("|---|---:|");
    println!(
        "| sync init, first machine (commit and push all) | {:.0} |",
        ms(first)
    );
    println!("| sync init, second machine (clone) | {:.0} |", ms(clone));
    println!();

    // The laptop changes the last 50 open promises, the desktop the first 50.
    let mut desktop_open: Vec<String> = open.drain(..OPEN / 2).collect();
    let mut laptop_open = open;
    let mut times: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    for _ in 0..rounds {
        laptop.ten_changes(&mut now, &mut laptop_open);
        desktop.ten_changes(&mut now, &mut desktop_open);
        now += Span::minutes(1);
        times
            .entry("1 send: laptop, 10 changes, nothing new there")
            .or_default()
            .push(laptop.run(&now, &["sync"]));
        times
            .entry("2 merge: desktop, 10 changes here and 10 there")
            .or_default()
            .push(desktop.run(&now, &["sync"]));
        times
            .entry("3 fast-forward: laptop takes the merge")
            .or_default()
            .push(laptop.run(&now, &["sync"]));
        times
            .entry("4 nothing to do")
            .or_default()
            .push(laptop.run(&now, &["sync"]));
    }
    println!("| sync | median ms | min ms | max ms |");
    println!("|---|---:|---:|---:|");
    for (job, t) in &mut times {
        t.sort();
        println!(
            "| {} | {:.0} | {:.0} | {:.0} |",
            &job[2..],
            ms(t[t.len() / 2]),
            ms(t[0]),
            ms(t[t.len() - 1])
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn machine() -> String {
    let git = Command::new("git")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{}, {}, {git}", common::cpu(), std::env::consts::OS)
}

fn archive_files(data: &Path) -> usize {
    let mut n = 0;
    for year in std::fs::read_dir(data.join("archive")).unwrap().flatten() {
        n += std::fs::read_dir(year.path()).map_or(0, |d| d.count());
    }
    n
}

/// Writes a store of `total` promises, `OPEN` of them open; returns the open ones' ids.
fn generate(dir: &Path, total: usize) -> Vec<String> {
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let promise = |i: usize, due: DateTime<FixedOffset>| Promise {
        contact: i.is_multiple_of(3).then(|| "Liisa".to_string()),
        ..Promise::new(
            Id::random().unwrap(),
            ["Acme Oy", "Beta Ab", "Gamma GmbH", "Delta Ltd"][i % 4].to_string(),
            format!("Deliverable number {i} as promised in the email"),
            due - Span::days(3),
            due,
        )
    };
    let mut months: BTreeMap<(i32, u32), StoreFile> = BTreeMap::new();
    for i in 0..total.saturating_sub(OPEN) {
        // About eight a day going back from now, one in seven late, one in 25 cancelled.
        let due = now - Span::minutes(180 * (i as i64 + 1));
        let closed = due
            + if i.is_multiple_of(7) {
                Span::hours(5)
            } else {
                -Span::hours(2)
            };
        let mut p = promise(i, due);
        p.status = if i.is_multiple_of(25) {
            Status::Cancelled
        } else {
            Status::Kept
        };
        p.closed = Some(closed);
        months
            .entry((closed.year(), closed.month()))
            .or_default()
            .promises
            .push(p);
    }
    for ((year, month), file) in &months {
        let path = dir
            .join("archive")
            .join(format!("{year:04}"))
            .join(format!("{month:02}.toml"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.to_toml().unwrap()).unwrap();
    }
    let mut open = StoreFile::default();
    for i in 0..OPEN {
        let mut p = promise(i, now + Span::hours(5 * i as i64 + 2));
        p.made = now - Span::days(1);
        open.promises.push(p);
    }
    std::fs::write(dir.join("open.toml"), open.to_toml().unwrap()).unwrap();
    open.promises.iter().map(|p| p.id.to_string()).collect()
}
