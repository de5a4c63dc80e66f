//! Property tests: any store value survives save → load unchanged; the deadline parser never
//! panics and never accepts a phrase with words it did not understand.

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone};
use proptest::prelude::*;

use promise::deadline::{self, Options};
use promise::model::{Id, Promise, Slip, Status};
use promise::store::StoreFile;
use promise::zone::Zone;

fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    // Offsets are whole minutes: RFC 3339 has no seconds in an offset.
    (
        // Years 1970–2096 in any offset: the store holds years 1970–9999 as written.
        86_400i64..4_000_000_000,
        0u32..1_000_000_000,
        -(23 * 60 + 59)..=(23 * 60 + 59),
        any::<bool>(),
    )
        .prop_map(|(secs, nanos, offset_min, whole)| {
            let offset = FixedOffset::east_opt(offset_min * 60).unwrap();
            offset
                .timestamp_opt(secs, if whole { 0 } else { nanos })
                .unwrap()
        })
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,40}",
        Just(String::new()),
        Just("\"]] [[promise]]\n\\".to_string())
    ]
}

fn extra() -> impl Strategy<Value = toml::Table> {
    proptest::collection::btree_map(
        "x_[a-z]{1,8}",
        prop_oneof![
            any::<i64>().prop_map(toml::Value::Integer),
            any::<bool>().prop_map(toml::Value::Boolean),
            text().prop_map(toml::Value::String),
        ],
        0..3,
    )
    .prop_map(|m| m.into_iter().collect())
}

fn slip() -> impl Strategy<Value = Slip> {
    (
        instant(),
        instant(),
        instant(),
        proptest::option::of(text()),
        extra(),
    )
        .prop_map(|(at, from, to, reason, extra)| Slip {
            at,
            from,
            to,
            reason,
            extra,
        })
}

prop_compose! {
    fn promise()(
        id in "[0-9a-z]{10}",
        customer in text(),
        what in text(),
        made in instant(),
        due in instant(),
        status in prop_oneof![Just(Status::Open), Just(Status::Kept), Just(Status::Cancelled)],
        contact in proptest::option::of(text()),
        reference in proptest::option::of(text()),
        tz in proptest::option::of(Just("Europe/Helsinki".to_string())),
        note in proptest::option::of(text()),
        closed in proptest::option::of(instant()),
        cancel_reason in proptest::option::of(text()),
        original_due in proptest::option::of(instant()),
        slips in proptest::collection::vec(slip(), 0..3),
        reminded in proptest::collection::vec("[a-z0-9-]{1,12}", 0..4),
        extra in extra(),
    ) -> Promise {
        Promise {
            id: Id(id), customer, what, made, due, status, contact, reference, tz, note, closed,
            cancel_reason, original_due, slips, reminded, reopened: Vec::new(), by: None,
            replaced: Vec::new(), extra,
        }
    }
}

proptest! {
    #[test]
    fn any_store_survives_save_and_load(promises in proptest::collection::vec(promise(), 0..6), top in extra()) {
        let file = StoreFile { version: 1, promises, extra: top };
        let text = file.to_toml().unwrap();
        let loaded = StoreFile::parse(std::path::Path::new("open.toml"), &text);
        prop_assert_eq!(loaded.as_ref().ok(), Some(&file), "{}", text);
    }

    /// Editing a file in place (as every writer does) gives exactly the promises asked for: the
    /// ones kept in the file's order, then the new ones, whatever was changed, removed or added.
    #[test]
    fn a_file_edited_in_place_says_exactly_what_it_was_told(
        before in proptest::collection::vec(promise(), 0..5),
        changes in proptest::collection::vec((any::<bool>(), any::<bool>(), promise()), 0..5),
        added in proptest::collection::vec(promise(), 0..3),
    ) {
        let mut before = before;
        dedup(&mut before);
        let path = std::path::Path::new("open.toml");
        let text = StoreFile { promises: before.clone(), ..StoreFile::default() }.to_toml().unwrap();
        let mut doc = promise::store::Doc::parse(path, text).unwrap();
        let mut wanted = Vec::new();
        for (i, p) in before.iter().enumerate() {
            let (keep, change, other) = changes.get(i).cloned().unwrap_or((true, false, p.clone()));
            if keep {
                wanted.push(if change { Promise { id: p.id.clone(), ..other } } else { p.clone() });
            }
        }
        for p in added {
            if !wanted.iter().any(|w| w.id == p.id) && !before.iter().any(|b| b.id == p.id) {
                wanted.push(p);
            }
        }
        let text = doc.render(&wanted).unwrap();
        let again = StoreFile::parse(path, &text);
        prop_assert_eq!(again.as_ref().map(|f| &f.promises).ok(), Some(&wanted), "{}", text);
        // And once more from what it wrote: a second edit knows where the first put everything.
        let text = doc.render(&wanted[..wanted.len() / 2]).unwrap();
        let again = StoreFile::parse(path, &text).unwrap();
        prop_assert_eq!(&again.promises[..], &wanted[..wanted.len() / 2]);
    }

    #[test]
    fn the_parser_never_panics(phrase in any::<String>(), grammarish in "[a-z0-9:./ -]{0,30}") {
        let (now, zone, options) = clock();
        let _ = deadline::resolve(&phrase, now, &zone, &options);
        let _ = deadline::resolve(&grammarish, now, &zone, &options);
        let _ = deadline::resolve(&grammarish, now, &zone, &Options::past(options.default_time));
    }

    #[test]
    fn a_word_the_parser_does_not_know_rejects_the_phrase(
        phrase in prop_oneof![
            Just("tuesday 14:00"), Just("tomorrow noon"), Just("in 3 days"), Just("25.11. 14:00"),
            Just("Dec 3 2pm"), Just("friday next week"), Just("eow"), Just("in 90 minutes"),
            Just("2026-12-01T09:00"), Just("2pm tomorrow"), Just("3rd of december"),
        ],
        junk in "[qxzjk]{3,8}",
        front in any::<bool>(),
    ) {
        let (now, zone, options) = clock();
        prop_assert!(deadline::resolve(phrase, now, &zone, &options).is_ok(), "{} should be valid", phrase);
        let with_junk = if front { format!("{junk} {phrase}") } else { format!("{phrase} {junk}") };
        prop_assert!(deadline::resolve(&with_junk, now, &zone, &options).is_err(), "accepted {:?}", with_junk);
    }
}

fn dedup(promises: &mut Vec<Promise>) {
    let mut seen = std::collections::HashSet::new();
    promises.retain(|p| seen.insert(p.id.clone()));
}

fn clock() -> (DateTime<FixedOffset>, Zone, Options) {
    (
        DateTime::parse_from_rfc3339("2026-11-23T10:30:00+02:00").unwrap(),
        Zone::named("Europe/Helsinki").unwrap(),
        Options::deadline(NaiveTime::from_hms_opt(16, 0, 0).unwrap()),
    )
}
