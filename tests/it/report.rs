//! `promise report`: histories built through the CLI, step by step with `PROMISE_NOW`, must give
//! exactly the figures of SPEC section 4.

use crate::env::TestEnv;

/// Runs `args` with the clock at `now`.
fn at(env: &mut TestEnv, now: &str, args: &[&str]) -> String {
    env.now = now.to_string();
    env.ok(args)
}

fn add(env: &mut TestEnv, now: &str, customer: &str, due: &str) -> String {
    at(
        env,
        now,
        &[
            "add",
            "Deliverable",
            "--to",
            customer,
            "--due",
            due,
            "--allow-past",
            "--quiet",
        ],
    )
    .trim()
    .to_string()
}

fn customer<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["customer"] == name)
        .expect("customer row")
}

const NOW: &str = "2026-11-23T16:00:00+02:00";

#[test]
fn nine_on_time_and_one_late_today_scores_83() {
    let mut env = TestEnv::new();
    for _ in 0..9 {
        let id = add(
            &mut env,
            "2026-11-20T09:00:00+02:00",
            "Acme Oy",
            "2026-11-23 15:00",
        );
        at(&mut env, "2026-11-23T14:00:00+02:00", &["done", &id]);
    }
    let late = add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Acme Oy",
        "2026-11-23 15:00",
    );
    at(&mut env, "2026-11-23T15:30:00+02:00", &["done", &late]);
    env.now = NOW.into();
    let report = env.json(&["report", "--format", "json"]);
    let acme = customer(&report, "Acme Oy");
    assert_eq!(acme["scored"], 10);
    assert_eq!(acme["on_time"], 9);
    assert_eq!(acme["late"], 1);
    assert_eq!(acme["broken"], 0);
    assert_eq!(acme["score"], 83);
    assert_eq!(acme["on_time_rate_agreed"], 0.9);
    assert_eq!(acme["avg_lateness_minutes"], 30.0);
    assert_eq!(report["total"]["score"], 83);
}

#[test]
fn an_old_success_and_a_new_lateness_score_43() {
    let mut env = TestEnv::new();
    let old = add(
        &mut env,
        "2026-08-20T09:00:00+03:00",
        "Acme Oy",
        "2026-08-25 16:00",
    );
    at(&mut env, "2026-08-25T12:00:00+03:00", &["done", &old]);
    let late = add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Acme Oy",
        "2026-11-23 15:00",
    );
    at(&mut env, "2026-11-23T15:30:00+02:00", &["done", &late]);
    env.now = NOW.into();
    assert_eq!(
        customer(&env.json(&["report", "--json"]), "Acme Oy")["score"],
        43
    );
}

#[test]
fn overdue_open_promises_count_as_broken_and_withdrawn_ones_are_not_scored() {
    let mut env = TestEnv::new();
    for _ in 0..3 {
        let id = add(
            &mut env,
            "2026-11-20T09:00:00+02:00",
            "Acme Oy",
            "2026-11-23 12:00",
        );
        at(&mut env, "2026-11-23T11:00:00+02:00", &["done", &id]);
    }
    add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Acme Oy",
        "2026-11-23 15:59",
    );
    let withdrawn = add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Acme Oy",
        "2026-11-24 12:00",
    );
    at(
        &mut env,
        "2026-11-21T09:00:00+02:00",
        &["cancel", &withdrawn],
    );
    add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Acme Oy",
        "2026-11-30 12:00",
    );
    env.now = NOW.into();
    let report = env.json(&["report", "--json"]);
    let acme = customer(&report, "Acme Oy");
    assert_eq!(
        (
            acme["scored"].as_i64(),
            acme["broken"].as_i64(),
            acme["open"].as_i64()
        ),
        (Some(4), Some(1), Some(2))
    );
    assert_eq!(acme["score"], 67);
    assert_eq!(report["overdue"].as_array().unwrap().len(), 1);
}

#[test]
fn a_slip_before_the_deadline_is_agreed_one_after_is_not() {
    let mut env = TestEnv::new();
    let early = add(
        &mut env,
        "2026-11-16T09:00:00+02:00",
        "Early Oy",
        "2026-11-18 12:00",
    );
    at(
        &mut env,
        "2026-11-18T11:59:00+02:00",
        &["slip", &early, "--to", "2026-11-20 12:00"],
    );
    at(&mut env, "2026-11-20T10:00:00+02:00", &["done", &early]);
    let late = add(
        &mut env,
        "2026-11-16T09:00:00+02:00",
        "Late Oy",
        "2026-11-18 12:00",
    );
    at(
        &mut env,
        "2026-11-18T12:01:00+02:00",
        &["slip", &late, "--to", "2026-11-20 12:00"],
    );
    at(&mut env, "2026-11-20T10:00:00+02:00", &["done", &late]);
    env.now = NOW.into();
    let report = env.json(&["report", "--json"]);
    let e = customer(&report, "Early Oy");
    assert_eq!(
        (e["on_time"].as_i64(), e["late"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(e["on_time_rate_agreed"], 1.0);
    assert_eq!(e["on_time_rate_original"], 0.0);
    let l = customer(&report, "Late Oy");
    assert_eq!(
        (l["on_time"].as_i64(), l["late"].as_i64()),
        (Some(0), Some(1))
    );
    // Late Oy: kept 2 days minus 2 hours after the agreed deadline.
    assert_eq!(l["avg_lateness_minutes"], 46.0 * 60.0);
    // Worst score first.
    assert_eq!(report["customers"][0]["customer"], "Late Oy");
}

#[test]
fn grace_from_the_config_counts_a_little_lateness_as_on_time() {
    let mut env = TestEnv::new();
    env.write_config("grace = \"15m\"\n");
    let id = add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Acme Oy",
        "2026-11-23 12:00",
    );
    at(&mut env, "2026-11-23T12:10:00+02:00", &["done", &id]);
    env.now = NOW.into();
    assert_eq!(
        customer(&env.json(&["report", "--json"]), "Acme Oy")["on_time"],
        1
    );
}

#[test]
fn since_and_customer_limit_the_report() {
    let mut env = TestEnv::new();
    let old = add(
        &mut env,
        "2026-09-01T09:00:00+03:00",
        "Acme Oy",
        "2026-09-02 12:00",
    );
    at(&mut env, "2026-09-03T09:00:00+03:00", &["done", &old]);
    let new = add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Acme Oy",
        "2026-11-21 12:00",
    );
    at(&mut env, "2026-11-21T09:00:00+02:00", &["done", &new]);
    add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Beta Ab",
        "2026-11-30 12:00",
    );
    env.now = NOW.into();
    assert_eq!(
        customer(&env.json(&["report", "--json"]), "Acme Oy")["scored"],
        2
    );
    assert_eq!(
        customer(
            &env.json(&["report", "--json", "--since", "30d"]),
            "Acme Oy"
        )["scored"],
        1
    );
    assert_eq!(
        customer(
            &env.json(&["report", "--json", "--since", "2026-11-01"]),
            "Acme Oy"
        )["scored"],
        1
    );
    let only = env.json(&["report", "--json", "--customer", "beta"]);
    assert_eq!(only["customers"].as_array().unwrap().len(), 1);
    assert_eq!(only["customers"][0]["score"], serde_json::Value::Null);
    env.fails(&["report", "--since", "whenever"], 2);
}

#[test]
fn the_trend_is_the_change_over_thirty_days() {
    let mut env = TestEnv::new();
    let good = add(
        &mut env,
        "2026-10-01T09:00:00+03:00",
        "Acme Oy",
        "2026-10-05 12:00",
    );
    at(&mut env, "2026-10-05T11:00:00+03:00", &["done", &good]);
    let late = add(
        &mut env,
        "2026-11-01T09:00:00+02:00",
        "Acme Oy",
        "2026-11-10 12:00",
    );
    at(&mut env, "2026-11-11T11:00:00+02:00", &["done", &late]);
    env.now = "2026-11-23T10:30:00+02:00".into();
    let acme = customer(&env.json(&["report", "--json"]), "Acme Oy").clone();
    // now: (w1 + 1) / (w1 + w2 + 2) = 47; 30 days ago only the first was known: 65.
    assert_eq!(acme["score"], 47);
    assert_eq!(acme["trend"], -18);
}

#[test]
fn text_csv_and_markdown_are_fit_for_pipes_and_mail() {
    let mut env = TestEnv::new();
    let id = add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Gamma, \"GmbH\"",
        "2026-11-23 12:00",
    );
    at(&mut env, "2026-11-23T11:00:00+02:00", &["done", &id]);
    add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Acme Oy",
        "2026-11-23 15:00",
    );
    env.now = NOW.into();
    let text = env.ok(&["report"]);
    assert!(!text.contains('\x1b'), "escape codes in a pipe");
    for needle in [
        "Overdue now (1)",
        "Closed in the last 24 hours (1)",
        "Due in the next 24 hours: none",
        "total",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    let csv = env.ok(&["report", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "customer,scored,on_time,late,broken,open,on_time_rate_agreed,on_time_rate_original,avg_lateness_minutes,score,trend,\
             weekly_on_time_rate_1,weekly_on_time_rate_2,weekly_on_time_rate_3,weekly_on_time_rate_4,\
             weekly_on_time_rate_5,weekly_on_time_rate_6,weekly_on_time_rate_7,weekly_on_time_rate_8"
        )
    );
    assert!(csv.contains("\"Gamma, \"\"GmbH\"\"\",1,1,0,0,0,"), "{csv}");
    // The weekly on-time rates of the table's sparkline, oldest week first.
    let gamma = csv.lines().find(|l| l.starts_with("\"Gamma")).unwrap();
    assert!(gamma.ends_with(",,,,,,,,1.0000"), "{gamma}");
    assert_eq!(csv.lines().count(), 4, "header, two customers, total");
    let md = env.ok(&["report", "--format", "markdown"]);
    assert!(
        md.contains("| customer | scored |") && md.contains("## Overdue now"),
        "{md}"
    );
}

#[test]
fn an_empty_store_reports_nothing_and_exits_0() {
    let env = TestEnv::new();
    let report = env.json(&["report", "--json"]);
    assert_eq!(report["customers"], serde_json::json!([]));
    assert_eq!(report["total"]["score"], serde_json::Value::Null);
    assert!(env.ok(&["report"]).contains("No promises yet"));
}

#[test]
fn one_on_time_scores_67_and_ten_score_92() {
    let mut env = TestEnv::new();
    for n in 1..=10 {
        let id = add(
            &mut env,
            "2026-11-20T09:00:00+02:00",
            "Acme Oy",
            "2026-11-23 15:00",
        );
        at(&mut env, "2026-11-23T14:00:00+02:00", &["done", &id]);
        env.now = NOW.into();
        let score = customer(&env.json(&["report", "--json"]), "Acme Oy")["score"].clone();
        match n {
            1 => assert_eq!(score, 67),
            10 => assert_eq!(score, 92),
            _ => {}
        }
    }
}

#[test]
fn an_overdue_promise_left_open_weighs_fully_months_later() {
    let mut env = TestEnv::new();
    add(
        &mut env,
        "2026-08-20T09:00:00+03:00",
        "Acme Oy",
        "2026-08-25 16:00",
    );
    let id = add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Acme Oy",
        "2026-11-23 15:00",
    );
    at(&mut env, "2026-11-23T14:00:00+02:00", &["done", &id]);
    env.now = NOW.into();
    // (1 + 1) / (1 + 1 + 2): the ignored promise counts as if it were due today.
    assert_eq!(
        customer(&env.json(&["report", "--json"]), "Acme Oy")["score"],
        50
    );
}

#[test]
fn closed_in_the_last_24_hours_says_when_it_was_closed() {
    let mut env = TestEnv::new();
    let id = add(
        &mut env,
        "2026-11-20T09:00:00+02:00",
        "Gamma GmbH",
        "2026-11-25 16:00",
    );
    at(&mut env, "2026-11-23T11:05:00+02:00", &["done", &id]);
    env.now = NOW.into();
    let text = env.ok(&["report"]);
    assert!(
        text.contains("Mon 23 Nov 11:05   kept on time   Deliverable — Gamma GmbH"),
        "{text}"
    );
    assert!(!text.contains("Wed 25 Nov"), "{text}");
}
