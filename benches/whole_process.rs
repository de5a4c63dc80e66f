//! Whole-process benchmark: `promise` against its own floor (`promise --version`), a PIE
//! hello-world and Taskwarrior on the same data, on stores written in the format of promise 0.1
//! (yearly archive files), so that the migration to monthly files is exercised too.
//!
//!   bench/run.sh                                          # every store
//!   STORES=0,100000 ROUNDS=11 bench/run.sh
//!
//! Stores: N closed promises plus 20 open, N = 0, 1,000, 10,000, 100,000 closed about eight a
//! day going back from now (34 years at 100,000); "100000/5y", the same number over five years;
//! "heavy", 20,000 closed this year. Housekeeping (`nag`) migrates the yearly archive once,
//! timed, before the rounds. Jobs run interleaved round by round, one run of each job and then
//! the next round, so that machine load hits every job alike; each figure is the median, with
//! the largest peak memory (maximum resident set) of the runs. Every round closes promises of
//! its own (nothing is closed twice), and the slow paths are set up outside the timing and
//! named:
//!
//! - done: the usual close, one write of `open.toml`;
//! - done, first close: the derived data (`.cache/`) deleted first;
//! - done, touched archive: this month's file changed by someone else (an editor, a sync);
//! - nag: housekeeping appends the round's closes to this month's file, rewrites `open.toml`
//!   and brings the ids index up to date;
//! - done, id archived: `done` on a promise already closed and moved (refused, exit 2), after
//!   that housekeeping; and with `.cache/` deleted first (the ids index built then);
//! - report, after a close / warm / right after an archive file changed / cold (the derived
//!   index deleted first);
//! - reopen (a `done` just made, in `open.toml`) and reopen, from the archive;
//! - the old layout restored: a second copy of the store, put back as promise 0.1 wrote it
//!   before each run (open.toml and the yearly archive, its derived indexes kept), then `done`
//!   and `report`; and `report` with the indexes deleted too.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Duration as Span, FixedOffset};
use promise::model::{Id, Promise, Slip, Status};
use promise::store::StoreFile;

const NOW: &str = "2026-11-23T10:30:00+02:00";
const OPEN: usize = 20;
const CUSTOMERS: [&str; 6] = [
    "Acme Oy",
    "Beta Ab",
    "Gamma GmbH",
    "Delta Ltd",
    "Epsilon SA",
    "Zeta Oy",
];

/// A job: its name, and the Taskwarrior command doing the same work, if any.
const JOBS: [(&str, Option<&str>); 23] = [
    ("hello-world (PIE)", None),
    ("--version", Some("--version")),
    ("prompt", Some("+OVERDUE count")),
    ("list", Some("list")),
    ("add", Some("add")),
    ("done", Some("done")),
    ("report, after a close", Some("summary")),
    ("report, warm", None),
    ("cancel", Some("delete")),
    ("reopen", None),
    ("done, first close", None),
    ("done, touched archive", None),
    ("nag: housekeeping moves the round's closes", None),
    ("done, id archived", None),
    ("report, right after an archive file changed", None),
    ("reopen, from the archive", None),
    ("show, closed", None),
    ("report, cold", None),
    ("done, id archived, no .cache", None),
    ("list --all", Some("all")),
    ("done, old layout restored", None),
    ("report, old layout restored", None),
    ("report, old layout, cold", None),
];

#[derive(Clone, Copy)]
enum History {
    /// About eight a day going back from now.
    Spread,
    /// Evenly over the last five years.
    FiveYears,
    /// All this year.
    ThisYear,
}

fn main() {
    let stores: Vec<(String, usize, History)> = std::env::var("STORES")
        .unwrap_or_else(|_| "0,1000,10000,100000,100000/5y,heavy".into())
        .split(',')
        .map(|s| match s.trim() {
            "heavy" => ("20000 this year".to_string(), 20_000, History::ThisYear),
            s if s.ends_with("/5y") => {
                let n = s
                    .trim_end_matches("/5y")
                    .parse()
                    .expect("a number before /5y");
                (format!("{n} over 5 years"), n, History::FiveYears)
            }
            s => (
                s.to_string(),
                s.parse().expect("STORES: numbers, N/5y or heavy"),
                History::Spread,
            ),
        })
        .collect();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let taskwarrior = Command::new("task")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if let Ok(spec) = std::env::var("BENCH_GENERATE") {
        return generate(&spec);
    }
    let temp = tempfile::tempdir().expect("temp dir");
    // BENCH_DIR keeps the stores for a look afterwards.
    let work =
        std::env::var_os("BENCH_DIR").map_or_else(|| temp.path().to_path_buf(), PathBuf::from);
    let work = work.as_path();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_promise"));

    println!("machine: {}", machine(work));
    println!(
        "promise {}, release build; rounds per job: {rounds}; medians in ms; peak = largest maximum resident set of the runs",
        env!("CARGO_PKG_VERSION")
    );
    match &taskwarrior {
        Some(v) => println!("taskwarrior {v}, same data, same rounds"),
        None => println!(
            "taskwarrior: not installed (apt-get install taskwarrior), measuring promise only"
        ),
    }

    for (label, size, history) in stores {
        let dir = work.join(format!("promise-{}", label.replace(' ', "-")));
        let tw_dir = work.join(format!("task-{}", label.replace(' ', "-")));
        // Generated by a child process: this one stays small, so that the peak memory a child
        // reports (which counts what it shared with its parent before exec) is its own.
        let shape = match history {
            History::Spread => "spread",
            History::FiveYears => "5y",
            History::ThisYear => "year",
        };
        let status = Command::new(std::env::current_exe().unwrap())
            .env(
                "BENCH_GENERATE",
                format!(
                    "{}|{}|{size}|{shape}|{}",
                    dir.display(),
                    tw_dir.display(),
                    taskwarrior.is_some()
                ),
            )
            .status()
            .unwrap();
        assert!(status.success(), "generating the stores failed");
        let tw = taskwarrior.as_ref().map(|_| Taskwarrior {
            rc: tw_dir.join("taskrc"),
        });
        let promise = Promise_ {
            bin: &bin,
            dir: &dir,
        };

        // The store as written by promise 0.1 (yearly archive), kept for the jobs that restore it.
        let pristine = dir.with_file_name(format!(
            "{}-0.1",
            dir.file_name().unwrap().to_string_lossy()
        ));
        copy_dir(&dir, &pristine);
        let old = dir.with_file_name(format!(
            "{}-old",
            dir.file_name().unwrap().to_string_lossy()
        ));
        copy_dir(&pristine, &old);
        let old_layout = Promise_ {
            bin: &bin,
            dir: &old,
        };
        // A promise of its own for each round to close on the restored store.
        let pristine_open: Vec<String> = {
            let on_pristine = Promise_ {
                bin: &bin,
                dir: &pristine,
            };
            (0..rounds).map(|round| on_pristine.add(round)).collect()
        };

        // Housekeeping (`nag`, from cron) moves the yearly archive into months, once.
        let (migration, migration_peak, _, _) = promise.run(&["nag"]);
        let years = std::fs::read_dir(dir.join("archive")).map_or(0, |d| d.count());
        // The derived indexes made once, outside the rounds, as any first report would.
        promise.run(&["report"]);
        old_layout.run(&["report"]);
        let hello = hello_world();

        let mut times: BTreeMap<(&str, bool), Vec<(Duration, u64)>> = BTreeMap::new();
        for (round, pristine_id) in pristine_open.iter().enumerate() {
            let mut closed_this_round = String::new();
            let mut reopen_id = String::new();
            let mut moved = String::new();
            for (job, peer) in JOBS {
                let (elapsed, peak) = match job {
                    "hello-world (PIE)" => match &hello {
                        Some(hello) => {
                            let (t, p, _, _) = timed(&mut Command::new(hello), false);
                            (t, p)
                        }
                        None => continue,
                    },
                    "--version" | "prompt" | "list" => {
                        let (t, p, _, _) = promise.run(&[job]);
                        (t, p)
                    }
                    "list --all" => {
                        let (t, p, _, _) = promise.run(&["list", "--all"]);
                        (t, p)
                    }
                    "add" => {
                        let (t, p, out, _) = promise.run(&[
                            "add",
                            &format!("Benchmark promise {round}"),
                            "--to",
                            "Acme Oy",
                            "--due",
                            "friday 12:00",
                            "--quiet",
                        ]);
                        closed_this_round = out.trim().to_string();
                        (t, p)
                    }
                    "done" => {
                        let (t, p, _, _) = promise.run(&["done", &closed_this_round]);
                        reopen_id = closed_this_round.clone();
                        (t, p)
                    }
                    "report, after a close" | "report, warm" => {
                        let (t, p, _, _) = promise.run(&["report"]);
                        (t, p)
                    }
                    "report, cold" => {
                        let _ = std::fs::remove_dir_all(dir.join(".cache"));
                        let (t, p, _, _) = promise.run(&["report"]);
                        (t, p)
                    }
                    "cancel" => {
                        let id = promise.add(round);
                        let (t, p, _, _) = promise.run(&["cancel", &id]);
                        (t, p)
                    }
                    "reopen" => {
                        let (t, p, _, _) = promise.run(&["reopen", &reopen_id]);
                        (t, p)
                    }
                    "done, first close" => {
                        let id = promise.add(round);
                        let _ = std::fs::remove_dir_all(dir.join(".cache"));
                        let (t, p, _, _) = promise.run(&["done", &id]);
                        // The derived data made again, untimed, as the next report and lookup
                        // would: the jobs after this one measure the store as it is every day.
                        promise.run(&["report"]);
                        // (A lookup of an id no promise has reads the whole ids index.)
                        promise.run_expecting(&["show", "zzzzzzzzzz"], 2);
                        (t, p)
                    }
                    "done, touched archive" => {
                        let id = promise.add(round);
                        touch_this_month(&dir);
                        let (t, p, _, _) = promise.run(&["done", &id]);
                        closed_this_round = id;
                        (t, p)
                    }
                    "done, id archived" | "done, id archived, no .cache" => {
                        // Closed and moved to the archive by the housekeeping just before,
                        // which left the ids index up to date; or, after the cold report, with
                        // `.cache` deleted (a first lookup after an upgrade, before any
                        // housekeeping): the ids index is built then.
                        let cold = job.ends_with("no .cache");
                        if cold {
                            let _ = std::fs::remove_dir_all(dir.join(".cache"));
                        }
                        let (t, p, _, code) = promise.run_expecting(&["done", &moved], 2);
                        assert_eq!(code, 2);
                        if cold {
                            // The report's index made again, untimed, for the jobs after.
                            promise.run(&["report"]);
                        }
                        (t, p)
                    }
                    "nag: housekeeping moves the round's closes" => {
                        let (t, p, _, _) = promise.run(&["nag"]);
                        moved = closed_this_round.clone();
                        (t, p)
                    }
                    "report, right after an archive file changed" => {
                        let (t, p, _, _) = promise.run(&["report"]);
                        (t, p)
                    }
                    "reopen, from the archive" => {
                        let (t, p, _, _) = promise.run(&["reopen", &moved]);
                        // Closed again: the next round refuses it as archived.
                        promise.run(&["done", &moved]);
                        promise.run(&["nag"]);
                        (t, p)
                    }
                    "show, closed" => {
                        let (t, p, _, _) = promise.run(&["show", &moved]);
                        (t, p)
                    }
                    "done, old layout restored" => {
                        // The store as promise 0.1 left it, copied back before the run (its
                        // derived indexes kept): no migration, no archive read on a close.
                        restore(&pristine, &old);
                        let id = pristine_id;
                        let (t, p, _, _) = old_layout.run(&["done", id]);
                        (t, p)
                    }
                    "report, old layout restored" => {
                        restore(&pristine, &old);
                        let (t, p, _, _) = old_layout.run(&["report"]);
                        (t, p)
                    }
                    "report, old layout, cold" => {
                        restore(&pristine, &old);
                        let _ = std::fs::remove_dir_all(old.join(".cache"));
                        let (t, p, _, _) = old_layout.run(&["report"]);
                        (t, p)
                    }
                    other => unreachable!("{other}"),
                };
                times.entry((job, false)).or_default().push((elapsed, peak));
                if let (Some(tw), Some(args)) = (&tw, peer) {
                    let (t, p) = run_taskwarrior(tw, job, args, round);
                    times.entry((job, true)).or_default().push((t, p));
                }
            }
        }

        println!();
        println!(
            "### {label} closed{}",
            if size > 0 {
                format!(
                    " (housekeeping after the upgrade moved {years} yearly files into months, once: {:.0} ms, peak {:.0} MiB)",
                    ms(migration),
                    mib(migration_peak)
                )
            } else {
                String::new()
            }
        );
        println!();
        println!(
            "| job | promise ms | × --version | peak MiB | taskwarrior ms | peak MiB | promise ÷ taskwarrior |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|");
        let floor = median(&times[&("--version", false)]).0;
        for (job, _) in JOBS {
            let Some(runs) = times.get(&(job, false)) else {
                continue;
            };
            let (ours, our_peak) = median(runs);
            let theirs = times.get(&(job, true)).map(|t| median(t));
            println!(
                "| {job} | {:.2} | {:.2} | {:.1} | {} | {} | {} |",
                ms(ours),
                ours.as_secs_f64() / floor.as_secs_f64(),
                mib(our_peak),
                theirs.map_or("—".into(), |(t, _)| format!("{:.2}", ms(t))),
                theirs.map_or("—".into(), |(_, p)| format!("{:.1}", mib(p))),
                theirs.map_or("—".into(), |(t, _)| format!(
                    "{:.2}",
                    ours.as_secs_f64() / t.as_secs_f64()
                )),
            );
        }
    }
}

#[allow(non_camel_case_types)]
struct Promise_<'a> {
    bin: &'a Path,
    dir: &'a Path,
}

impl Promise_<'_> {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(self.bin);
        cmd.args(args)
            .env("PROMISE_DATA_DIR", self.dir)
            .env("PROMISE_NOW", NOW)
            .env("PROMISE_CONFIG", self.dir.join("config.toml"))
            .env("TZ", "Europe/Helsinki")
            .env("NO_COLOR", "1");
        cmd
    }

    fn run(&self, args: &[&str]) -> (Duration, u64, String, i32) {
        self.run_expecting(args, 0)
    }

    fn run_expecting(&self, args: &[&str], code: i32) -> (Duration, u64, String, i32) {
        let capture = args.first() == Some(&"add");
        let (t, peak, out, got) = timed(&mut self.command(args), capture);
        assert_eq!(got, code, "promise {args:?} exited {got}");
        (t, peak, out, got)
    }

    /// A fresh open promise, outside the timing.
    fn add(&self, round: usize) -> String {
        let (_, _, out, _) = self.run(&[
            "add",
            &format!("Set-up promise {round}"),
            "--to",
            "Beta Ab",
            "--due",
            "friday 12:00",
            "--quiet",
        ]);
        out.trim().to_string()
    }
}

/// In the child: writes the stores BENCH_GENERATE names (dir|task dir|size|shape|taskwarrior).
fn generate(spec: &str) {
    let parts: Vec<&str> = spec.split('|').collect();
    let size: usize = parts[2].parse().unwrap();
    let shape = match parts[3] {
        "5y" => History::FiveYears,
        "year" => History::ThisYear,
        _ => History::Spread,
    };
    generate_promise_store(Path::new(parts[0]), size, shape);
    if parts[4] == "true" {
        generate_taskwarrior(Path::new(parts[1]), size, shape);
    }
}

/// The PIE hello-world `bench/run.sh` builds (`examples/hello.rs`), if it is there.
fn hello_world() -> Option<PathBuf> {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_promise"));
    let hello = bin.parent()?.join("examples").join("hello");
    hello.exists().then_some(hello)
}

/// Copies a directory tree (new files: new inodes and times, the same bytes).
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

/// Puts the store files of `pristine` back into `dir` (its `.cache/` stays): `open.toml` and
/// the archive, as a restore from a backup would.
fn restore(pristine: &Path, dir: &Path) {
    std::fs::copy(pristine.join("open.toml"), dir.join("open.toml")).unwrap();
    copy_dir(&pristine.join("archive"), &dir.join("archive"));
}

/// An editor's save of this month's archive file: a comment added at the end.
fn touch_this_month(dir: &Path) {
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let path = dir
        .join("archive")
        .join(format!("{:04}", now.year()))
        .join(format!("{:02}.toml", now.month()));
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|_| "version = 1\n".into());
    text.push_str("# looked at this\n");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The median time, and the largest peak memory.
fn median(runs: &[(Duration, u64)]) -> (Duration, u64) {
    let mut sorted: Vec<Duration> = runs.iter().map(|r| r.0).collect();
    sorted.sort();
    (
        sorted[sorted.len() / 2],
        runs.iter().map(|r| r.1).max().unwrap_or(0),
    )
}

fn machine(work: &Path) -> String {
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or("?".into(), |kib| {
            format!("{:.0} GiB", kib as f64 / 1048576.0)
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .unwrap_or_default()
        .trim()
        .to_string();
    let fs = Command::new("stat")
        .args(["-f", "-c", "%T"])
        .arg(work)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!(
        "{}, {memory}, Linux {kernel}, store on {fs}, {}",
        common::cpu(),
        chrono::Local::now().format("%Y-%m-%d")
    )
}

/// Runs a whole process: wall time, its own peak memory (KiB, from wait4), stdout (when
/// `capture`: a child's peak counts its parent's memory, so a long list is not read in here),
/// exit code. The child is reaped by wait4 itself, which std's `wait` cannot give the rusage of.
#[allow(clippy::zombie_processes)]
fn timed(cmd: &mut Command, capture: bool) -> (Duration, u64, String, i32) {
    use std::io::Read;
    let stdout = if capture {
        Stdio::piped()
    } else {
        Stdio::null()
    };
    cmd.stdout(stdout).stderr(Stdio::null());
    let started = Instant::now();
    let mut child = cmd.spawn().expect("run benchmark command");
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut out);
    }
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it in for this child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child's, not yet reaped; status and usage are valid pointers.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    assert!(pid > 0, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (elapsed, usage.ru_maxrss as u64, out, code)
}

fn promise(
    i: usize,
    due: DateTime<FixedOffset>,
    status: Status,
    closed: Option<DateTime<FixedOffset>>,
) -> Promise {
    let mut p = Promise {
        status,
        closed,
        contact: i.is_multiple_of(3).then(|| "Liisa".to_string()),
        reference: i.is_multiple_of(4).then(|| format!("RFQ-{i}")),
        ..Promise::new(
            Id::random().unwrap(),
            CUSTOMERS[i % CUSTOMERS.len()].to_string(),
            format!("Deliverable number {i} as promised in the email"),
            due - Span::days(3),
            due,
        )
    };
    if i.is_multiple_of(10) && closed.is_some() {
        let first = due - Span::days(1);
        p.original_due = Some(first);
        p.slips.push(Slip {
            at: due - Span::days(2),
            from: first,
            to: due,
            reason: Some("waiting for their figures".into()),
            extra: toml::Table::new(),
        });
    }
    p
}

/// Deadline and delivery of the i-th of n closed promises, whether it was late and cancelled.
fn history(
    i: usize,
    n: usize,
    shape: History,
) -> (DateTime<FixedOffset>, DateTime<FixedOffset>, bool, bool) {
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let minutes = match shape {
        History::Spread => 180,
        History::FiveYears => (5 * 365 * 24 * 60 / n.max(1)) as i64,
        History::ThisYear => {
            let start = DateTime::parse_from_rfc3339("2026-01-01T12:00:00+02:00").unwrap();
            ((now - start).num_minutes() / n.max(1) as i64).max(1)
        }
    };
    let due = now - Span::minutes(minutes * (i as i64 + 1)) - Span::hours(6);
    let late = i.is_multiple_of(7);
    let closed = due
        + if late {
            Span::hours(5)
        } else {
            -Span::hours(2)
        };
    (due, closed, late, i.is_multiple_of(25))
}

/// Writes the store as promise 0.1 did: `archive/YYYY.toml` by the year of closing.
fn generate_promise_store(dir: &Path, closed: usize, shape: History) {
    std::fs::create_dir_all(dir.join("archive")).unwrap();
    std::fs::write(dir.join("config.toml"), "").unwrap();
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let mut years: BTreeMap<i32, StoreFile> = BTreeMap::new();
    for i in 0..closed {
        let (due, at, _, cancelled) = history(i, closed, shape);
        let status = if cancelled {
            Status::Cancelled
        } else {
            Status::Kept
        };
        years
            .entry(at.year())
            .or_default()
            .promises
            .push(promise(i, due, status, Some(at)));
    }
    for (year, file) in &years {
        std::fs::write(
            dir.join("archive").join(format!("{year}.toml")),
            file.to_toml().unwrap(),
        )
        .unwrap();
    }
    let mut open = StoreFile::default();
    for i in 0..OPEN {
        // Two overdue, one due soon, the rest over the coming days.
        open.promises.push(promise(
            i,
            now + Span::hours(7 * i as i64 - 4) + Span::minutes(30),
            Status::Open,
            None,
        ));
    }
    std::fs::write(dir.join("open.toml"), open.to_toml().unwrap()).unwrap();
}

struct Taskwarrior {
    rc: PathBuf,
}

/// The same history in Taskwarrior 2.x's own data files: customers as projects.
fn generate_taskwarrior(data: &Path, closed: usize, shape: History) -> Taskwarrior {
    std::fs::create_dir_all(data).unwrap();
    let rc = data.join("taskrc");
    std::fs::write(
        &rc,
        format!(
            "data.location={}\nconfirmation=off\nverbose=nothing\nhooks=off\nnews.version=2.6.0\n",
            data.display()
        ),
    )
    .unwrap();
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let line = |i: usize, status: &str, due: i64, end: Option<i64>| {
        let end = end.map_or(String::new(), |e| format!(" end:\"{e}\""));
        format!(
            "[description:\"Deliverable number {i} as promised in the email\" due:\"{due}\"{end} entry:\"{}\" modified:\"{}\" project:\"{}\" status:\"{status}\" uuid:\"{:08x}-0000-4000-8000-{:012x}\"]\n",
            due - 3 * 86_400,
            due - 3 * 86_400,
            CUSTOMERS[i % CUSTOMERS.len()].replace(' ', "_"),
            i,
            i + if status == "pending" { 1 << 40 } else { 0 },
        )
    };
    let completed: String = (0..closed)
        .map(|i| {
            let (due, at, _, cancelled) = history(i, closed, shape);
            line(
                i,
                if cancelled { "deleted" } else { "completed" },
                due.timestamp(),
                Some(at.timestamp()),
            )
        })
        .collect();
    let pending: String = (0..OPEN)
        .map(|i| {
            line(
                i,
                "pending",
                (now + Span::hours(7 * i as i64 - 4) + Span::minutes(30)).timestamp(),
                None,
            )
        })
        .collect();
    std::fs::write(data.join("completed.data"), completed).unwrap();
    std::fs::write(data.join("pending.data"), pending).unwrap();
    Taskwarrior { rc }
}

/// Taskwarrior doing the job's counterpart. As for promise, each round adds the task it then
/// completes or deletes (the add outside the timing), so nothing is closed twice.
fn run_taskwarrior(tw: &Taskwarrior, job: &str, args: &str, round: usize) -> (Duration, u64) {
    let task = |args: &[&str]| {
        let mut cmd = Command::new("task");
        cmd.env("TASKRC", &tw.rc)
            .env("TZ", "Europe/Helsinki")
            .args(args);
        cmd
    };
    let title = format!("Benchmark task {round} {job}");
    let (t, peak, _, _) = match job {
        "add" => timed(
            &mut task(&["add", &title, "project:Acme_Oy", "due:friday"]),
            false,
        ),
        "done" | "cancel" => {
            timed(
                &mut task(&["add", &title, "project:Beta_Ab", "due:friday"]),
                false,
            );
            let (_, _, out, _) = timed(&mut task(&["+LATEST", "ids"]), true);
            let id = out.trim().to_string();
            let verb = if job == "done" { "done" } else { "delete" };
            timed(&mut task(&[&id, verb]), false)
        }
        _ => timed(&mut task(&args.split(' ').collect::<Vec<_>>()), false),
    };
    (t, peak)
}
