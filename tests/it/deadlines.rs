//! The deadline language through the binary: `promise when PHRASE --json`, as scripts and the
//! checks of SPEC section 2 use it.

use crate::env::TestEnv;

fn due(env: &TestEnv, phrase: &str) -> String {
    let json = env.json(&["when", phrase, "--json"]);
    json["due"].as_str().expect("a due instant").to_string()
}

#[test]
fn english_and_finnish_phrases_resolve_to_exact_instants() {
    let env = TestEnv::new();
    for (phrase, want) in [
        ("Tuesday 14:00", "2026-11-24T14:00:00+02:00"),
        ("maanantaina klo 12 mennessä", "2026-11-30T12:00:00+02:00"),
        ("perjantaihin klo 12 mennessä", "2026-11-27T12:00:00+02:00"),
        ("3. joulukuuta klo 14", "2026-12-03T14:00:00+02:00"),
        ("viikon päästä", "2026-11-30T16:00:00+02:00"),
        ("in 3 business days", "2026-11-26T16:00:00+02:00"),
        ("friday 15.12", "2026-11-27T15:12:00+02:00"),
    ] {
        assert_eq!(due(&env, phrase), want, "{phrase}");
    }
}

#[test]
fn a_refused_phrase_exits_2_with_its_reason_and_a_hint_on_one_line() {
    let env = TestEnv::new();
    let e = env.fails(&["when", "15.12", "--json"], 2);
    assert!(e.contains("15 December") && e.contains("15:12"), "{e}");
    let e = env.fails(&["when", "mahdollisimman pian"], 2);
    assert!(
        e.contains("esim. \"") && e.contains("perjantaihin klo 12 mennessä"),
        "{e}"
    );
    let e = env.fails(&["when", "tommorrow"], 2);
    assert!(e.contains("did you mean \"tomorrow\"?"), "{e}");
    assert!(!env.data_dir().exists(), "when stores nothing");
}

#[test]
fn the_echo_of_when_reads_back_to_the_same_instant() {
    let env = TestEnv::new();
    for phrase in [
        "friday 12:00",
        "in 90 minutes",
        "ensi viikon perjantaina",
        "eom",
    ] {
        let echo = env.ok(&["when", phrase]);
        assert_eq!(
            due(&env, echo.trim()),
            due(&env, phrase),
            "{phrase} → {echo}"
        );
    }
    // In a customer's zone the echo has a second line with the zone and the time here.
    let tz = |phrase: &str| {
        env.json(&["when", phrase, "--tz", "America/New_York", "--json"])["due"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for phrase in ["friday 22:00", "tuesday 9:00"] {
        let echo = env.ok(&["when", phrase, "--tz", "America/New_York"]);
        assert!(echo.contains("here)"), "{echo}");
        assert_eq!(tz(echo.trim()), tz(phrase), "{phrase} → {echo}");
    }
}
