//! `promise nag` end to end: stdout delivery stepped through a promise's life, and the real
//! desktop path against a fake org.freedesktop.Notifications service on a private D-Bus.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::OwnedVariant;

use crate::env::{TestEnv, have};

const DUE: &str = "2026-11-24 14:00";

fn env_with_promise() -> TestEnv {
    let mut env = TestEnv::new();
    env.now = "2026-11-20T10:00:00+02:00".into();
    env.add("Send revised proposal", "Acme Oy", DUE);
    env
}

fn nag(env: &TestEnv, args: &[&str], bus: Option<&str>) -> (String, i32) {
    let mut cmd = env.command(["nag"].iter().chain(args));
    cmd.env("XDG_RUNTIME_DIR", env.data_dir().parent().unwrap());
    if let Some(address) = bus {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", address);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn stepping_through_a_promises_life_sends_each_stage_once() {
    let mut env = env_with_promise();
    let mut lines = Vec::new();
    for now in [
        "2026-11-22T14:00:00+02:00", // 2 days before: nothing
        "2026-11-23T14:00:00+02:00", // 1 day before
        "2026-11-23T14:00:00+02:00", // again: nothing
        "2026-11-24T12:00:00+02:00", // 2 h before
        "2026-11-24T14:00:00+02:00", // at the deadline
        "2026-11-24T15:00:00+02:00", // after: nothing new
        "2026-11-25T14:00:00+02:00", // a day after
    ] {
        env.now = now.into();
        let (out, code) = nag(&env, &["--via", "stdout"], None);
        assert_eq!(code, 0);
        lines.extend(out.lines().map(|l| format!("{now} {l}")));
    }
    assert_eq!(
        lines,
        [
            "2026-11-23T14:00:00+02:00 Due in 1 day: Send revised proposal — Acme Oy, Tue 24 Nov 14:00",
            "2026-11-24T12:00:00+02:00 Due in 2 h: Send revised proposal — Acme Oy, Tue 24 Nov 14:00",
            "2026-11-24T14:00:00+02:00 Due now: Send revised proposal — Acme Oy, Tue 24 Nov 14:00",
            "2026-11-25T14:00:00+02:00 Overdue by 1 day: Send revised proposal — Acme Oy, Tue 24 Nov 14:00",
        ]
    );
    assert!(
        env.read("open.toml")
            .contains("reminded = [\"before-1d\", \"before-2h\", \"due\", \"overdue-1\"]")
    );
}

#[test]
fn dry_run_shows_and_records_nothing() {
    let mut env = env_with_promise();
    env.now = "2026-11-24T12:00:00+02:00".into();
    let before = env.snapshot();
    let (out, code) = nag(&env, &["--dry-run"], None);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "would send: Due in 2 h: Send revised proposal — Acme Oy, Tue 24 Nov 14:00\n"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_slip_starts_the_reminders_over_for_the_new_deadline() {
    let mut env = env_with_promise();
    env.now = "2026-11-24T12:00:00+02:00".into();
    assert!(!nag(&env, &["--via", "stdout"], None).0.is_empty());
    let list = env.json(&["list", "--json"]);
    env.ok(&[
        "slip",
        list[0]["id"].as_str().unwrap(),
        "--to",
        "2026-11-26 14:00",
    ]);
    env.now = "2026-11-26T12:00:00+02:00".into();
    assert!(
        nag(&env, &["--via", "stdout"], None)
            .0
            .contains("Due in 2 h")
    );
}

#[test]
fn without_a_session_bus_the_reminder_is_printed_once_and_recorded() {
    let mut env = env_with_promise();
    env.now = "2026-11-24T12:00:00+02:00".into();
    // Asked for the desktop only, failing is an error, and nothing is recorded.
    assert_eq!(nag(&env, &["--via", "desktop"], None), (String::new(), 1));
    assert!(!env.read("open.toml").contains("reminded"));
    // Under cron, with no session: printed (cron mails it), recorded, and not repeated.
    let (out, code) = nag(&env, &[], None);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "Due in 2 h: Send revised proposal — Acme Oy, Tue 24 Nov 14:00\n"
    );
    assert!(env.read("open.toml").contains("reminded = [\"before-2h\"]"));
    assert_eq!(nag(&env, &[], None), (String::new(), 0));
    // The next stage is printed in its turn.
    env.now = "2026-11-24T14:00:00+02:00".into();
    assert!(
        nag(&env, &[], None)
            .0
            .starts_with("Due now: Send revised proposal")
    );
}

#[test]
fn a_reminder_in_the_customers_zone_says_the_zone_and_the_local_time() {
    let mut env = TestEnv::new();
    env.ok(&[
        "add",
        "Quarterly figures",
        "--to",
        "NY Inc",
        "--due",
        "tuesday 9:00",
        "--tz",
        "America/New_York",
    ]);
    env.now = "2026-11-24T16:00:00+02:00".into();
    let (out, _) = nag(&env, &["--via", "stdout"], None);
    assert_eq!(
        out,
        "Due now: Quarterly figures — NY Inc, Tue 24 Nov 09:00 EST (16:00 EET here)\n"
    );
}

/// A private session bus, ended on drop.
struct Bus {
    daemon: Child,
    address: String,
}

impl Bus {
    /// A private bus, or None (and the test skips) without dbus-daemon.
    fn start() -> Option<Bus> {
        if !have("dbus-daemon", "dbus") {
            return None;
        }
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is installed (.ci/run installs the dbus package)");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        Some(Bus {
            daemon,
            address: address.trim().to_string(),
        })
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

#[derive(Debug, Clone)]
struct Shown {
    app: String,
    summary: String,
    body: String,
    urgency: Option<u8>,
}

/// The fake notification daemon: logs each Notify call, or hangs when told to.
struct FakeNotifications {
    shown: Arc<Mutex<Vec<Shown>>>,
    hang: bool,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakeNotifications {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        hints: HashMap<String, OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        if self.hang {
            std::thread::sleep(Duration::from_secs(6));
        }
        let urgency = hints.get("urgency").and_then(|v| u8::try_from(v).ok());
        let mut shown = self.shown.lock().unwrap();
        shown.push(Shown {
            app: app_name,
            summary,
            body,
            urgency,
        });
        shown.len() as u32
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "fake".into(),
            "promise tests".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

fn serve(bus: &Bus, hang: bool) -> (zbus::Connection, Arc<Mutex<Vec<Shown>>>) {
    let shown = Arc::new(Mutex::new(Vec::new()));
    let fake = FakeNotifications {
        shown: shown.clone(),
        hang,
    };
    let connection = zbus::block_on(async {
        zbus::connection::Builder::address(bus.address.as_str())
            .name("org.freedesktop.Notifications")
            .serve_at("/org/freedesktop/Notifications", fake)
            .build()
            .await
    })
    .expect("serve the fake notification service");
    (connection, shown)
}

#[test]
fn a_bus_without_a_notification_service_falls_back_to_stdout() {
    let Some(bus) = Bus::start() else {
        return;
    };
    let mut env = env_with_promise();
    env.now = "2026-11-24T12:00:00+02:00".into();
    let (out, code) = nag(&env, &[], Some(&bus.address));
    assert_eq!(code, 0);
    assert!(out.contains("Due in 2 h: Send revised proposal"), "{out}");
    assert!(env.read("open.toml").contains("before-2h"));
    assert_eq!(nag(&env, &[], Some(&bus.address)), (String::new(), 0));
}

#[test]
fn the_desktop_gets_one_notification_per_stage() {
    let Some(bus) = Bus::start() else {
        return;
    };
    let (_connection, shown) = serve(&bus, false);
    let mut env = env_with_promise();
    env.add("Call back", "Beta Ab", "2026-11-23 12:00");

    env.now = "2026-11-24T12:00:00+02:00".into();
    let (out, code) = nag(&env, &[], Some(&bus.address));
    assert_eq!((out.as_str(), code), ("", 0));
    {
        let shown = shown.lock().unwrap();
        assert_eq!(shown.len(), 2, "{shown:?}");
        let due_soon = shown
            .iter()
            .find(|s| s.summary.contains("Send revised proposal"))
            .unwrap();
        assert_eq!(due_soon.summary, "Due in 2 h: Send revised proposal");
        assert_eq!(due_soon.body, "Acme Oy, Tue 24 Nov 14:00");
        assert_eq!(due_soon.app, "promise");
        let overdue = shown
            .iter()
            .find(|s| s.summary.contains("Call back"))
            .unwrap();
        assert!(
            overdue.summary.starts_with("Overdue by 1 day"),
            "{overdue:?}"
        );
        assert_eq!(overdue.urgency, Some(2), "overdue reminders are critical");
    }

    // A second run sends nothing.
    assert_eq!(nag(&env, &[], Some(&bus.address)), (String::new(), 0));
    assert_eq!(shown.lock().unwrap().len(), 2);

    env.now = "2026-11-24T14:00:00+02:00".into();
    nag(&env, &[], Some(&bus.address));
    let shown = shown.lock().unwrap();
    assert_eq!(shown.len(), 3);
    assert_eq!(shown[2].summary, "Due now: Send revised proposal");
}

#[test]
fn concurrent_runs_do_not_send_a_reminder_twice() {
    let Some(bus) = Bus::start() else {
        return;
    };
    let (_connection, shown) = serve(&bus, false);
    let mut env = env_with_promise();
    env.now = "2026-11-24T12:00:00+02:00".into();
    let runs: Vec<_> = (0..8)
        .map(|_| {
            env.command(["nag"])
                .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for run in runs {
        assert!(run.wait_with_output().unwrap().status.success());
    }
    assert_eq!(shown.lock().unwrap().len(), 1);
}

#[test]
fn a_hung_notification_service_does_not_hang_nag() {
    let Some(bus) = Bus::start() else {
        return;
    };
    let (_connection, _shown) = serve(&bus, true);
    let mut env = env_with_promise();
    env.now = "2026-11-24T12:00:00+02:00".into();
    let started = Instant::now();
    let (out, code) = nag(&env, &[], Some(&bus.address));
    // nag gives the service 2 s; 5 s leaves room for a slow machine but catches a hang.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "nag took {:?}",
        started.elapsed()
    );
    assert_eq!(code, 0);
    assert!(out.contains("Due in 2 h"), "{out}");
    // Printed instead, and so delivered: cron mails it once.
    assert!(env.read("open.toml").contains("before-2h"));
}
