//! Whole-process benchmark: `promise` against its own floor (`promise --version`) and against
//! Taskwarrior on the same data, at 0, 1,000, 10,000 and 100,000 closed promises plus 20 open.
//!
//!   cargo bench --bench whole_process             # every size
//!   SIZES=0,10000 ROUNDS=11 cargo bench --bench whole_process
//!
//! Jobs are interleaved round by round (one run of each job, then the next round), so a change
//! in machine load hits every job alike; each job's figure is its median. Mutating jobs start
//! every run from the same files, restored outside the timing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Duration as Span};
use promise::model::{Id, Promise, Status};
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

struct Job {
    name: &'static str,
    /// The Taskwarrior command doing the same work, if any.
    peer: Option<&'static str>,
}

const JOBS: [Job; 6] = [
    Job {
        name: "--version",
        peer: Some("--version"),
    },
    Job {
        name: "prompt",
        peer: Some("+OVERDUE count"),
    },
    Job {
        name: "add",
        peer: Some("add"),
    },
    Job {
        name: "done",
        peer: Some("done"),
    },
    Job {
        name: "list",
        peer: Some("list"),
    },
    Job {
        name: "report",
        peer: Some("summary"),
    },
];

fn main() {
    let sizes: Vec<usize> = std::env::var("SIZES")
        .unwrap_or_else(|_| "0,1000,10000,100000".into())
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .expect("SIZES is a comma-separated list of numbers")
        })
        .collect();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let taskwarrior = Command::new("task")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let work = tempfile::tempdir().expect("temp dir");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_promise"));

    println!("machine: {}", machine());
    println!("rounds per job: {rounds} (fewer for jobs slower than 1 s); medians in ms");
    if !taskwarrior {
        println!(
            "taskwarrior: not installed (apt-get install taskwarrior), measuring promise only"
        );
    }
    println!();
    println!(
        "| closed | job | promise ms | × --version | taskwarrior ms | promise ÷ taskwarrior |"
    );
    println!("|---:|---|---:|---:|---:|---:|");

    for &size in &sizes {
        let dir = work.path().join(format!("promise-{size}"));
        let open_ids = generate_promise_store(&dir, size);
        let tw = taskwarrior
            .then(|| generate_taskwarrior(&work.path().join(format!("task-{size}")), size));
        let mut times: BTreeMap<(&str, bool), Vec<Duration>> = BTreeMap::new();
        let mut slow: BTreeMap<(&str, bool), bool> = BTreeMap::new();

        for round in 0..rounds {
            for job in &JOBS {
                for peer in [false, true] {
                    if slow.get(&(job.name, peer)).copied().unwrap_or(false) && round >= 5 {
                        continue;
                    }
                    let elapsed = if peer {
                        let (Some(tw), Some(args)) = (&tw, job.peer) else {
                            continue;
                        };
                        run_taskwarrior(tw, job.name, args, round)
                    } else {
                        run_promise(&bin, &dir, job.name, &open_ids[round % open_ids.len()])
                    };
                    slow.insert((job.name, peer), elapsed > Duration::from_secs(1));
                    times.entry((job.name, peer)).or_default().push(elapsed);
                }
            }
        }

        let floor = median(&times[&("--version", false)]);
        for job in &JOBS {
            let ours = median(&times[&(job.name, false)]);
            let theirs = times.get(&(job.name, true)).map(|t| median(t));
            println!(
                "| {size} | {} | {:.2} | {:.2} | {} | {} |",
                job.name,
                ms(ours),
                ours.as_secs_f64() / floor.as_secs_f64(),
                theirs.map_or("—".into(), |t| format!("{:.2}", ms(t))),
                theirs.map_or("—".into(), |t| format!(
                    "{:.2}",
                    ours.as_secs_f64() / t.as_secs_f64()
                )),
            );
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores, {}", std::env::consts::OS)
}

fn timed(cmd: &mut Command) -> Duration {
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    let started = Instant::now();
    let status = cmd.status().expect("run benchmark command");
    let elapsed = started.elapsed();
    assert!(status.success(), "{cmd:?} failed");
    elapsed
}

fn run_promise(bin: &Path, dir: &Path, job: &str, done_id: &str) -> Duration {
    // Every run starts from the same open promises (restored outside the timing). The archive
    // is left to grow by the few promises `done` closes, as it would in use: it stays the file
    // promise last wrote, so closing takes the append path, as it does day to day.
    if job == "add" || job == "done" {
        std::fs::copy(dir.join("open.pristine"), dir.join("open.toml")).unwrap();
    }
    let mut cmd = Command::new(bin);
    cmd.env("PROMISE_DATA_DIR", dir)
        .env("PROMISE_NOW", NOW)
        .env("PROMISE_CONFIG", dir.join("config.toml"))
        .env("TZ", "Europe/Helsinki")
        .env("NO_COLOR", "1");
    match job {
        "--version" => cmd.arg("--version"),
        "add" => cmd.args([
            "add",
            "Benchmark promise",
            "--to",
            "Acme Oy",
            "--due",
            "friday 12:00",
            "--quiet",
        ]),
        "done" => cmd.args(["done", done_id]),
        other => cmd.arg(other),
    };
    timed(&mut cmd)
}

fn promise(
    i: usize,
    due: DateTime<chrono::FixedOffset>,
    status: Status,
    closed: Option<DateTime<chrono::FixedOffset>>,
) -> Promise {
    Promise {
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
    }
}

/// Deadline and delivery of the i-th closed promise: about eight a day going back from now,
/// one in seven late, one in 25 cancelled.
fn history(
    i: usize,
) -> (
    DateTime<chrono::FixedOffset>,
    DateTime<chrono::FixedOffset>,
    bool,
    bool,
) {
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let due = now - Span::minutes(180 * (i as i64 + 1));
    let late = i.is_multiple_of(7);
    let closed = due
        + if late {
            Span::hours(5)
        } else {
            -Span::hours(2)
        };
    (due, closed, late, i.is_multiple_of(25))
}

/// Writes the store; returns the ids of the open promises, for `done`.
fn generate_promise_store(dir: &Path, closed: usize) -> Vec<String> {
    std::fs::create_dir_all(dir.join("archive")).unwrap();
    std::fs::write(dir.join("config.toml"), "").unwrap();
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let mut years: BTreeMap<i32, StoreFile> = BTreeMap::new();
    for i in 0..closed {
        let (due, at, _, cancelled) = history(i);
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
    std::fs::write(dir.join("open.pristine"), open.to_toml().unwrap()).unwrap();
    open.promises.iter().map(|p| p.id.to_string()).collect()
}

struct Taskwarrior {
    rc: PathBuf,
    data: PathBuf,
}

/// The same history in Taskwarrior 2.x's own data files: customers as projects.
fn generate_taskwarrior(data: &Path, closed: usize) -> Taskwarrior {
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
            let (due, at, _, cancelled) = history(i);
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
    for (name, text) in [("completed", &completed), ("pending", &pending)] {
        std::fs::write(data.join(format!("{name}.data")), text).unwrap();
        std::fs::write(data.join(format!("{name}.pristine")), text).unwrap();
    }
    Taskwarrior {
        rc,
        data: data.to_path_buf(),
    }
}

fn run_taskwarrior(tw: &Taskwarrior, job: &str, args: &str, round: usize) -> Duration {
    // As for promise: the same pending tasks every run, the history left to grow.
    if job == "add" || job == "done" {
        std::fs::copy(
            tw.data.join("pending.pristine"),
            tw.data.join("pending.data"),
        )
        .unwrap();
        let _ = std::fs::remove_file(tw.data.join("undo.data"));
        let _ = std::fs::remove_file(tw.data.join("backlog.data"));
    }
    let task_number = (round % OPEN + 1).to_string();
    let mut cmd = Command::new("task");
    cmd.env("TASKRC", &tw.rc).env("TZ", "Europe/Helsinki");
    match job {
        "add" => cmd.args(["add", "Benchmark promise", "project:Acme_Oy", "due:friday"]),
        "done" => cmd.args([task_number.as_str(), "done"]),
        _ => cmd.args(args.split(' ')),
    };
    timed(&mut cmd)
}
