//! Properties over generated phrases, English and Finnish: whatever is accepted can be said back
//! and read again to the same instant, and no unknown word slips through.

use proptest::prelude::*;

use super::*;

/// Phrases built from the grammar's own parts, in both languages; many are refused (past,
/// ambiguous), which the properties account for.
fn phrase() -> impl Strategy<Value = String> {
    let day = prop::sample::select(vec![
        "",
        "today",
        "tomorrow",
        "friday",
        "tue",
        "this thursday",
        "friday next week",
        "friday week",
        "3 December",
        "Dec 24",
        "15.12.",
        "25.11.2026",
        "the 30th",
        "eow",
        "end of next month",
        "day after tomorrow",
        "huomenna",
        "perjantaina",
        "ti",
        "ensi viikon maanantaina",
        "3. joulukuuta",
        "joulukuun 24. päivänä",
        "ylihuomenna",
        "keskiviikkoon mennessä",
        "viikon loppuun mennessä",
        "2027-03-28",
        "31.10.2027",
    ]);
    let time = prop::sample::select(vec![
        "",
        "14:00",
        "2pm",
        "9:30am",
        "noon",
        "16.45",
        "klo 12",
        "klo 9.30",
        "at 13:15",
        "eod",
        "1400",
        "12 noon",
        "03:30",
        "tomorrow 16h",
    ]);
    let duration = prop::sample::select(vec![
        "in 2 hours",
        "in 3 days",
        "90min",
        "within 24 hours",
        "in 2 weeks' time",
        "in 3 business days",
        "an hour and a half",
        "kahden päivän päästä",
        "tunnin päästä",
        "vartin päästä",
        "viikon sisällä",
        "in 125 days",
        "in 1h30m",
    ]);
    let filler = prop::sample::select(vec!["", "by", "no later than", "mennessä", "at the latest"]);
    prop_oneof![
        (filler.clone(), day, time).prop_map(|(f, d, t)| format!("{f} {d} {t}")),
        (filler, duration).prop_map(|(f, d)| format!("{d} {f}")),
    ]
    .prop_map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Clocks to say them at: a Monday morning, a Friday evening, a weekend, a month end, and the
/// days the clocks change.
fn clock() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        MON,
        "2026-11-27T17:00:00+02:00",
        "2026-11-28T10:00:00+02:00",
        "2026-11-30T17:00:00+02:00",
        "2027-03-27T10:00:00+02:00",
        "2027-10-30T23:30:00+03:00",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_echo_of_an_accepted_phrase_reads_back_to_the_same_instant(p in phrase(), now in clock()) {
        let zone = helsinki();
        if let Ok(t) = resolve(&p, instant(now), &zone, &deadline()) {
            let echo = crate::render::deadline_in_words(&t, &zone, &zone, &instant(now));
            let again = resolve(&echo, instant(now), &zone, &deadline());
            prop_assert_eq!(again.clone().ok(), Some(t), "{:?} → {:?} → {:?}", p, echo, again);
        }
    }

    #[test]
    fn the_echo_in_a_customer_s_zone_reads_back_to_the_same_instant(p in phrase(), now in clock()) {
        let (zone, home) = (Zone::named("America/New_York").unwrap(), helsinki());
        let options = Options { home: Some(home.clone()), ..deadline() };
        if let Ok(t) = resolve(&p, instant(now), &zone, &options) {
            let echo = crate::render::deadline_in_words(&t, &zone, &home, &instant(now));
            let again = resolve(&echo, instant(now), &zone, &options);
            prop_assert_eq!(again.clone().ok(), Some(t), "{:?} → {:?} → {:?}", p, echo, again);
        }
    }

    #[test]
    fn an_unknown_word_anywhere_refuses_the_phrase(
        p in phrase(),
        now in clock(),
        word in "[a-zäö]{3,9}",
        at in 0usize..8,
    ) {
        prop_assume!(words::lookup(std::slice::from_ref(&word)).is_none());
        prop_assume!(!["utc", "gmt", "eet", "est", "cet", "cst", "mst", "pst", "bst", "ist", "edt", "cdt", "mdt", "pdt", "hst", "jst", "kst", "msk"].iter().any(|z| word.starts_with(z) && word.len() <= 4));
        let mut words: Vec<&str> = p.split_whitespace().collect();
        let at = at.min(words.len());
        words.insert(at, &word);
        let spoiled = words.join(" ");
        let result = resolve(&spoiled, instant(now), &helsinki(), &deadline());
        prop_assert!(result.is_err(), "{:?} was accepted as {:?}", spoiled, result);
    }

    #[test]
    fn no_input_panics(text in "\\PC{0,40}", now in clock()) {
        let _ = resolve(&text, instant(now), &helsinki(), &deadline());
        let _ = resolve(&text, instant(now), &helsinki(), &past());
        let _ = mentions(&text, instant(now), &helsinki(), &deadline());
    }

    #[test]
    fn no_phrase_of_known_words_panics(
        words in prop::collection::vec(prop::sample::select(vec![
            "in", "2", "friday", "next", "week", "klo", "14", "15.12", "before", "the", "3rd",
            "of", "december", "päästä", "kahden", "ago", "(", ")", "at", "12", "am", "h", "m",
            "and", "a", "half", "0", "24", "2026", "31.12.", "eow", "eom", "this", "mennessä",
        ]), 0..7),
        now in clock(),
    ) {
        let phrase = words.join(" ");
        let _ = resolve(&phrase, instant(now), &helsinki(), &deadline());
        let _ = resolve(&phrase, instant(now), &helsinki(), &past());
    }
}
