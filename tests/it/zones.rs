//! Time zones through the binary: zones from the system's database (honouring `TZDIR`) with the
//! bundled copy behind it, unknown zones refused, DST gaps and overlaps, abbreviations, and the
//! binary itself position-independent.

use std::path::Path;
use std::process::Output;

use crate::env::TestEnv;

/// Runs with some variables set (`Some`) or removed (`None`) on top of the pinned environment.
fn run_with(env: &TestEnv, vars: &[(&str, Option<&str>)], args: &[&str]) -> Output {
    let mut cmd = env.command(args);
    for (name, value) in vars {
        match value {
            Some(value) => cmd.env(name, value),
            None => cmd.env_remove(name),
        };
    }
    cmd.output().expect("run promise")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The deadline `when --json` resolves `phrase` to.
fn due(env: &TestEnv, vars: &[(&str, Option<&str>)], phrase: &str) -> String {
    let out = stdout(&run_with(env, vars, &["when", phrase, "--json"]));
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    json["due"].as_str().expect("a due").to_string()
}

/// A one-line error on stderr with exit 2, nothing on stdout.
fn refused(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn an_unknown_tz_zone_is_refused_by_add_and_when() {
    let env = TestEnv::new();
    env.add("Existing", "Acme Oy", "friday");
    let before = env.snapshot();
    for args in [
        &[
            "add",
            "Call",
            "--to",
            "X",
            "--due",
            "friday",
            "--tz",
            "Mars/Base",
        ][..],
        &["when", "friday", "--tz", "Mars/Base"],
        &["when", "friday", "--tz", "Mars/Base", "--json"],
    ] {
        let e = env.fails(args, 2);
        assert!(
            e.starts_with("promise: unknown time zone \"Mars/Base\": "),
            "{e}"
        );
        assert!(
            e.trim_end()
                .ends_with("; use an IANA name such as Europe/Helsinki or America/New_York"),
            "{e}"
        );
    }
    let e = env.fails(&["when", "friday", "--tz", "europe/helsinki"], 2);
    assert!(
        e.trim_end().ends_with("did you mean Europe/Helsinki?"),
        "{e}"
    );
    let e = env.fails(&["when", "friday", "--tz", "../../../etc/passwd"], 2);
    assert!(e.contains("not an IANA zone name"), "{e}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn an_unknown_tz_variable_is_an_error_not_utc() {
    let env = TestEnv::new();
    env.add("Existing", "Acme Oy", "friday");
    let before = env.snapshot();
    for tz in ["Mars/Base", ":Mars/Base"] {
        for args in [
            &["when", "friday"][..],
            &["add", "Call", "--to", "X", "--due", "friday"],
            &["list"],
        ] {
            let e = refused(&run_with(&env, &[("TZ", Some(tz))], args));
            assert!(
                e.starts_with("promise: unknown time zone \"Mars/Base\" in TZ: "),
                "{e}"
            );
            assert!(
                e.contains("use an IANA name such as Europe/Helsinki"),
                "{e}"
            );
        }
    }
    // A path that is no zone file must neither hang nor read forever.
    let e = refused(&run_with(
        &env,
        &[("TZ", Some("/dev/zero"))],
        &["when", "friday"],
    ));
    assert!(e.contains("/dev/zero is not a readable TZif file"), "{e}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn the_prompt_ignores_a_bad_tz_and_stays_quiet() {
    let env = TestEnv::new();
    env.ok(&[
        "add",
        "Late",
        "--to",
        "Acme Oy",
        "--due",
        "today 9:00",
        "--allow-past",
    ]);
    let out = run_with(&env, &[("TZ", Some("Mars/Base"))], &["prompt"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "!1");
}

#[test]
fn tz_takes_iana_names_posix_rules_and_paths() {
    let env = TestEnv::new();
    let at = |tz: Option<&str>| due(&env, &[("TZ", tz)], "tuesday 9:00");
    assert_eq!(at(Some("Europe/Helsinki")), "2026-11-24T09:00:00+02:00");
    assert_eq!(at(Some(":America/New_York")), "2026-11-24T09:00:00-05:00");
    assert_eq!(at(Some("EST5EDT")), "2026-11-24T09:00:00-05:00");
    assert_eq!(
        at(Some("EST5EDT,M3.2.0,M11.1.0")),
        "2026-11-24T09:00:00-05:00"
    );
    assert_eq!(at(Some("UTC0")), "2026-11-24T09:00:00+00:00");
    assert_eq!(at(Some("UTC")), "2026-11-24T09:00:00+00:00");
    assert_eq!(at(Some("")), "2026-11-24T09:00:00+00:00");

    // A path to a TZif file, as some systems set it.
    let dir = tempfile::tempdir().unwrap();
    let tokyo = install(dir.path(), "Asia/Tokyo", "Asia/Tokyo");
    assert_eq!(at(tokyo.to_str()), "2026-11-24T09:00:00+09:00");
    let words = stdout(&run_with(
        &env,
        &[("TZ", tokyo.to_str())],
        &["when", "tuesday 9:00", "--tz", "Europe/Helsinki"],
    ));
    assert!(
        words.contains("09:00 EET (in 22 hours, 30 minutes)\n(Europe/Helsinki; 16:00 JST here)"),
        "{words}"
    );
}

#[test]
fn without_tz_the_local_zone_is_the_systems() {
    let Ok(target) = std::fs::read_link("/etc/localtime") else {
        eprintln!("skipped: /etc/localtime is not a symbolic link on this machine");
        return;
    };
    let target = target.to_string_lossy().to_string();
    let Some((_, name)) = target.rsplit_once("zoneinfo/") else {
        eprintln!("skipped: /etc/localtime links to {target}, outside a zoneinfo directory");
        return;
    };
    let env = TestEnv::new();
    assert_eq!(
        due(&env, &[("TZ", None)], "tuesday 9:00"),
        due(&env, &[("TZ", Some(name))], "tuesday 9:00"),
    );
}

#[test]
fn zones_come_from_tzdir_first() {
    let env = TestEnv::new();
    // A database whose "Europe/Helsinki" holds Tokyo's rules: the answer must be Tokyo's.
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), "Europe/Helsinki", "Asia/Tokyo");
    let tzdir = [("TZDIR", dir.path().to_str())];
    assert_eq!(
        due(&env, &tzdir, "tuesday 9:00"),
        "2026-11-24T09:00:00+09:00"
    );
    let words = stdout(&run_with(&env, &tzdir, &["when", "tuesday 9:00"]));
    assert!(words.contains("09:00 JST"), "{words}");
}

#[test]
fn the_bundled_zones_answer_where_the_system_has_none() {
    let env = TestEnv::new();
    for tzdir in ["/nonexistent/zoneinfo", ""] {
        let empty = tempfile::tempdir().unwrap();
        let dir = if tzdir.is_empty() {
            empty.path().to_str().unwrap()
        } else {
            tzdir
        };
        let vars = [("TZDIR", Some(dir))];
        assert_eq!(
            due(&env, &vars, "tuesday 9:00"),
            "2026-11-24T09:00:00+02:00"
        );
        let words = stdout(&run_with(
            &env,
            &vars,
            &["when", "tuesday 9:00", "--tz", "America/New_York"],
        ));
        assert!(
            words.contains("09:00 EST (in 1 day, 5 hours)\n(America/New_York; 16:00 EET here)"),
            "{words}"
        );
        let e = refused(&run_with(
            &env,
            &vars,
            &["when", "friday", "--tz", "Mars/Base"],
        ));
        assert!(e.contains("unknown time zone \"Mars/Base\""), "{e}");
    }
}

#[test]
fn abbreviations_say_which_side_of_dst() {
    let env = TestEnv::new();
    let when = |args: &[&str]| stdout(&run_with(&env, &[], args));
    assert!(
        when(&["when", "tuesday 9:00", "--tz", "America/New_York"]).starts_with(
            "Tuesday 24 November 2026 at 09:00 EST (in 1 day, 5 hours)\n(America/New_York; 16:00 EET here)"
        ),
    );
    assert!(when(&["when", "2027-07-01 12:00"]).starts_with("Thursday 1 July 2027 at 12:00 EEST"),);
    assert!(
        when(&["when", "2027-07-01 12:00", "--tz", "America/New_York"])
            .contains("at 12:00 EDT (in 220 days, 7 hours)\n(America/New_York; 19:00 EEST here)"),
    );
}

#[test]
fn dst_gaps_are_refused_and_overlaps_take_the_first_in_helsinki_and_new_york() {
    let env = TestEnv::new();
    let e = env.fails(&["when", "2027-03-28 03:30"], 2);
    assert!(
        e.contains("Sun 28 Mar 2027 03:30 does not exist in Europe/Helsinki"),
        "{e}"
    );
    let e = env.fails(&["when", "2027-03-14 02:30", "--tz", "America/New_York"], 2);
    assert!(
        e.contains("Sun 14 Mar 2027 02:30 does not exist in America/New_York"),
        "{e}"
    );
    let json = |args: &[&str]| env.json(args)["due"].as_str().unwrap().to_string();
    assert_eq!(
        json(&["when", "2027-10-31 03:30", "--json"]),
        "2027-10-31T03:30:00+03:00"
    );
    assert_eq!(
        json(&[
            "when",
            "2027-11-07 01:30",
            "--tz",
            "America/New_York",
            "--json"
        ]),
        "2027-11-07T01:30:00-04:00"
    );
}

/// The binary must be position-independent (ASLR for a program that reads untrusted text). The
/// test binary is the debug build, linked with the same settings as the release one.
#[test]
fn the_binary_is_position_independent() {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: ELF checks are for Linux");
        return;
    }
    if !crate::env::have("readelf", "binutils") {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_promise");
    let readelf = |flag: &str| {
        std::process::Command::new("readelf")
            .args([flag, "-W", bin])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
    };
    let (Some(header), Some(dynamic)) = (readelf("-h"), readelf("-d")) else {
        panic!("readelf could not read {bin}");
    };
    let kind = header
        .lines()
        .find(|l| l.trim_start().starts_with("Type:"))
        .unwrap_or_default();
    assert!(
        kind.contains("DYN"),
        "{bin} is not position-independent: {kind}"
    );
    let flags = dynamic
        .lines()
        .find(|l| l.contains("(FLAGS_1)"))
        .unwrap_or_default();
    assert!(flags.contains("PIE"), "{bin}: {flags}");
}

/// Writes the bundled TZif data of `data_of` as `name` under `dir`; returns its path.
fn install(dir: &Path, name: &str, data_of: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, promise::zone::bundled_tzif(data_of).unwrap()).unwrap();
    path
}
