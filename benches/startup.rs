//! Start-up benchmark: `promise --version` and `promise prompt` (on a store of 20 open promises)
//! against a position-independent hello-world built with the same profile (`examples/hello.rs`).
//!
//!   bench/startup.sh                     (= cargo bench --bench startup)
//!   ROUNDS=1001 cargo bench --bench startup
//!   PROMISE_BIN=/tmp/old/promise bench/startup.sh     (another build of promise, to compare)
//!
//! Both programs are built here with `cargo build --release`, not taken from the bench build:
//! `cargo bench` builds the binary with the dev-dependencies' features unified in, which is not
//! the binary anyone installs (it has about 1,000 more relocations).
//!
//! The three commands run in turn within each round, in an order that rotates, so a change in
//! machine load hits all alike. Figures are medians of whole-process wall time (spawn to exit),
//! and ratios are medians of the per-round ratios. Targets: `--version` ≤ 1.3× hello,
//! `prompt` ≤ 1.2× `--version`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-23T10:30:00+02:00";

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(501);
    let bins = tempfile::tempdir().expect("temp dir");
    let promise = match std::env::var_os("PROMISE_BIN") {
        Some(bin) => PathBuf::from(bin),
        None => release_build(&["--bin", "promise"], Path::new("promise"), bins.path()),
    };
    let hello = release_build(
        &["--example", "hello"],
        &Path::new("examples").join("hello"),
        bins.path(),
    );
    let data = tempfile::tempdir().expect("temp dir");
    make_store(&promise, data.path());

    println!("machine: {}", machine());
    for (name, bin) in [("hello", &hello), ("promise", &promise)] {
        println!("{name}: {}", elf_facts(bin));
    }
    let prompt_output = run(&promise, &["prompt"], data.path());
    println!(
        "prompt prints {:?} on the 20-promise store",
        String::from_utf8_lossy(&prompt_output.stdout).trim()
    );

    let jobs: [(&str, &Path, &[&str]); 3] = [
        ("hello", &hello, &[]),
        ("promise --version", &promise, &["--version"]),
        ("promise prompt", &promise, &["prompt"]),
    ];
    let mut times = vec![Vec::with_capacity(rounds); jobs.len()];
    for round in 0..rounds + 5 {
        for k in 0..jobs.len() {
            let j = (round + k) % jobs.len();
            let (_, bin, args) = jobs[j];
            let elapsed = timed(bin, args, data.path());
            // The first rounds only warm the page cache.
            if round >= 5 {
                times[j].push(elapsed);
            }
        }
    }

    println!("\n{rounds} interleaved rounds; medians of whole-process wall time");
    println!("| command | median µs | min µs |");
    println!("|---|---:|---:|");
    for ((name, _, _), t) in jobs.iter().zip(&times) {
        println!(
            "| {name} | {:.0} | {:.0} |",
            us(median(t)),
            us(*t.iter().min().expect("at least one round"))
        );
    }
    let ratio = |a: &[Duration], b: &[Duration]| {
        let mut r: Vec<f64> = a.iter().zip(b).map(|(a, b)| us(*a) / us(*b)).collect();
        r.sort_by(f64::total_cmp);
        r[r.len() / 2]
    };
    println!(
        "\n--version / hello: {:.2} (target ≤ 1.3)",
        ratio(&times[1], &times[0])
    );
    println!(
        "prompt / --version: {:.2} (target ≤ 1.2)",
        ratio(&times[2], &times[1])
    );
}

/// Builds with `cargo build --release ARGS` and copies `target/release/OUTPUT` into `into`, out of
/// the way of the next build.
fn release_build(args: &[&str], output: &Path, into: &Path) -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--release"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run cargo");
    assert!(status.success(), "cargo build --release {args:?} failed");
    // The bench binary's own directory is the release directory.
    let release = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(Path::to_path_buf))
        .expect("the bench runs from target/release/deps");
    let copy = into.join(output.file_name().expect("a file name"));
    std::fs::copy(release.join(output), &copy).expect("copy the built binary");
    copy
}

/// 20 open promises: 3 overdue, 2 due within the prompt's 2 hours, the rest later.
fn make_store(promise: &Path, data: &Path) {
    let dues = [
        "yesterday 12:00",
        "today 9:00",
        "today 10:00",
        "today 11:00",
        "today 12:00",
        "tomorrow 12:00",
        "wednesday 10:00",
        "thursday 14:00",
        "friday 12:00",
        "monday 9:00",
        "in 8 days",
        "in 9 days",
        "in 10 days",
        "in 11 days",
        "in 12 days",
        "in 13 days",
        "in 14 days",
        "in 15 days",
        "in 16 days",
        "in 17 days",
    ];
    for (i, due) in dues.iter().enumerate() {
        let what = format!("Deliverable {i}");
        let customer = format!("Customer {}", i % 6);
        let out = run(
            promise,
            &[
                "add",
                &what,
                "--to",
                &customer,
                "--due",
                due,
                "--allow-past",
            ],
            data,
        );
        assert!(
            out.status.success(),
            "promise add --due {due:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn command(bin: &Path, args: &[&str], data: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .env("PROMISE_DATA_DIR", data)
        .env("PROMISE_NOW", NOW)
        .env("TZ", "Europe/Helsinki");
    cmd
}

fn run(bin: &Path, args: &[&str], data: &Path) -> std::process::Output {
    command(bin, args, data).output().expect("run promise")
}

fn timed(bin: &Path, args: &[&str], data: &Path) -> Duration {
    let mut cmd = command(bin, args, data);
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    let started = Instant::now();
    let status = cmd.status().expect("run benchmark command");
    let elapsed = started.elapsed();
    assert!(status.success(), "{cmd:?} failed");
    elapsed
}

/// "DYN, 585 dynamic relocations", from readelf where it is installed.
fn elf_facts(bin: &Path) -> String {
    let readelf = |flag: &str| {
        Command::new("readelf")
            .arg(flag)
            .arg(bin)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
    };
    let (Some(header), Some(relocations)) = (readelf("-h"), readelf("-r")) else {
        return "readelf not installed: ELF type and relocations not shown".into();
    };
    let kind = header
        .lines()
        .find_map(|l| l.trim().strip_prefix("Type:"))
        .unwrap_or("?")
        .trim()
        .to_string();
    let count = relocations
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .nth(2)
                .is_some_and(|t| t.starts_with("R_"))
        })
        .count();
    let size = std::fs::metadata(bin).map_or(0, |m| m.len());
    format!(
        "{kind}, {count} dynamic relocations, {:.1} MB",
        size as f64 / 1e6
    )
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn machine() -> String {
    format!("{}, {}", common::cpu(), std::env::consts::OS)
}
