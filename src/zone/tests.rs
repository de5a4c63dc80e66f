use chrono::{Datelike, NaiveDate, TimeZone as _};

use super::*;

fn named(name: &str) -> Zone {
    Zone::named(name).unwrap()
}

fn wall(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn at(text: &str) -> Instant {
    parse_instant(text).unwrap()
}

/// Every instant a wall-clock time means, as RFC 3339.
fn meanings(zone: &Zone, local: &str) -> Vec<String> {
    match zone.from_local(&wall(local)) {
        LocalResult::Single(t) => vec![t.to_rfc3339()],
        LocalResult::Ambiguous(a, b) => vec![a.to_rfc3339(), b.to_rfc3339()],
        LocalResult::None => vec![],
    }
}

/// A database with nothing in it but the bundled copy, whatever this machine has.
fn bundled_only() -> tzdb::Database {
    tzdb::Database::at("/nonexistent/zoneinfo".into())
}

#[test]
fn zones_are_found_by_iana_name() {
    let helsinki = named("Europe/Helsinki");
    assert_eq!(helsinki.name(), Some("Europe/Helsinki"));
    assert_eq!(
        helsinki.localise(&at("2026-11-23T08:30:00Z")).to_rfc3339(),
        "2026-11-23T10:30:00+02:00"
    );
    let ny = named("America/New_York");
    assert_eq!(
        ny.localise(&at("2026-11-23T08:30:00Z")).to_rfc3339(),
        "2026-11-23T03:30:00-05:00"
    );
    assert_ne!(helsinki, ny);
    assert_eq!(helsinki, named("Europe/Helsinki"));
}

#[test]
fn unknown_zones_are_refused_with_a_hint() {
    let e = Zone::named("Mars/Base").unwrap_err().to_string();
    assert!(
        e.starts_with("unknown time zone \"Mars/Base\": ") && e.contains("the bundled database"),
        "{e}"
    );
    assert!(
        e.ends_with("; use an IANA name such as Europe/Helsinki or America/New_York"),
        "{e}"
    );
    let e = Zone::named("europe/helsinki").unwrap_err().to_string();
    assert!(e.ends_with("; did you mean Europe/Helsinki?"), "{e}");
    let e = Zone::named("../../etc/passwd").unwrap_err().to_string();
    assert!(e.contains("not an IANA zone name"), "{e}");
    let e = load("Mars/Base", &bundled_only())
        .map_err(|m| not_found("Mars/Base", "", m, &bundled_only()))
        .unwrap_err()
        .to_string();
    assert!(e.contains("this system has no time-zone database"), "{e}");
}

#[test]
fn helsinki_dst_gap_has_no_instant_and_the_overlap_has_two() {
    let helsinki = named("Europe/Helsinki");
    // Spring forward 2027-03-28 03:00 → 04:00; fall back 2027-10-31 04:00 → 03:00.
    assert!(meanings(&helsinki, "2027-03-28 03:30").is_empty());
    assert_eq!(
        meanings(&helsinki, "2027-03-28 02:59"),
        ["2027-03-28T02:59:00+02:00"]
    );
    assert_eq!(
        meanings(&helsinki, "2027-03-28 04:00"),
        ["2027-03-28T04:00:00+03:00"]
    );
    // Earlier first, as chrono-tz gave them and the deadline rules rely on.
    assert_eq!(
        meanings(&helsinki, "2027-10-31 03:30"),
        ["2027-10-31T03:30:00+03:00", "2027-10-31T03:30:00+02:00"]
    );
    assert_eq!(
        meanings(&helsinki, "2027-10-31 04:00"),
        ["2027-10-31T04:00:00+02:00"]
    );
}

#[test]
fn new_york_dst_gap_has_no_instant_and_the_overlap_has_two() {
    let ny = named("America/New_York");
    // Spring forward 2027-03-14 02:00 → 03:00; fall back 2027-11-07 02:00 → 01:00.
    assert!(meanings(&ny, "2027-03-14 02:30").is_empty());
    assert_eq!(
        meanings(&ny, "2027-03-14 03:00"),
        ["2027-03-14T03:00:00-04:00"]
    );
    assert_eq!(
        meanings(&ny, "2027-11-07 01:30"),
        ["2027-11-07T01:30:00-04:00", "2027-11-07T01:30:00-05:00"]
    );
    assert_eq!(
        meanings(&ny, "2027-11-07 02:00"),
        ["2027-11-07T02:00:00-05:00"]
    );
}

#[test]
fn abbreviations_come_from_the_zone_data() {
    let helsinki = named("Europe/Helsinki");
    let ny = named("America/New_York");
    let winter = at("2026-11-24T12:00:00Z");
    let summer = at("2027-07-01T12:00:00Z");
    assert_eq!(helsinki.abbreviation(&winter), "EET");
    assert_eq!(helsinki.abbreviation(&summer), "EEST");
    assert_eq!(ny.abbreviation(&winter), "EST");
    assert_eq!(ny.abbreviation(&summer), "EDT");
    // Zones without letters carry their offset as the abbreviation.
    assert_eq!(named("Asia/Dubai").abbreviation(&winter), "+04");
    assert_eq!(Zone::utc().abbreviation(&winter), "UTC");
}

/// The zone code this replaced answered from chrono-tz's tables; the answers must not change.
/// Every half hour of 2026–2028 as wall time and as instant, in zones with DST north and south,
/// none, and a half-hour DST (Lord Howe).
#[test]
fn answers_match_chrono_tz_hour_by_hour() {
    for name in [
        "Europe/Helsinki",
        "America/New_York",
        "Australia/Sydney",
        "Australia/Lord_Howe",
        "Asia/Kolkata",
        "Pacific/Chatham",
    ] {
        let ours = named(name);
        let theirs: chrono_tz::Tz = name.parse().unwrap();
        let mut local = NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        while local.year() < 2029 {
            let expected = theirs.from_local_datetime(&local).map(|t| t.fixed_offset());
            assert_eq!(ours.from_local(&local), expected, "{name} {local}");
            let instant = local.and_utc().fixed_offset();
            let there = instant.with_timezone(&theirs);
            assert_eq!(
                ours.localise(&instant),
                there.fixed_offset(),
                "{name} {instant}"
            );
            assert_eq!(
                ours.abbreviation(&instant),
                there.format("%Z").to_string(),
                "{name} {instant}"
            );
            local += chrono::TimeDelta::minutes(30);
        }
    }
}

#[test]
fn tz_takes_names_paths_and_posix_rules() {
    let db = tzdb::Database::from_env();
    let tz = |value: &str| from_tz(value, &db);
    assert_eq!(
        tz("Europe/Helsinki").unwrap().name(),
        Some("Europe/Helsinki")
    );
    assert_eq!(
        tz(":Europe/Helsinki").unwrap().name(),
        Some("Europe/Helsinki")
    );
    // An empty TZ is UTC, as every Unix tool reads it.
    assert_eq!(tz("").unwrap(), Zone::utc());
    let winter = at("2026-11-24T12:00:00Z");
    let summer = at("2027-07-01T12:00:00Z");
    for (value, offset, abbreviation) in [
        ("UTC", "+00:00", "UTC"),
        ("UTC0", "+00:00", "UTC"),
        ("EST5EDT", "-05:00", "EST"),
        ("EST5EDT,M3.2.0,M11.1.0", "-05:00", "EST"),
        ("<+03>-3", "+03:00", "+03"),
    ] {
        let zone = tz(value).unwrap_or_else(|e| panic!("{value}: {e}"));
        assert_eq!(
            zone.localise(&winter).offset().to_string(),
            offset,
            "{value}"
        );
        assert_eq!(zone.abbreviation(&winter), abbreviation, "{value}");
    }
    let rule = tz("EST5EDT,M3.2.0,M11.1.0").unwrap();
    assert_eq!(rule.name(), None);
    assert_eq!(rule.abbreviation(&summer), "EDT");
    let e = tz("Mars/Base").unwrap_err().to_string();
    assert!(
        e.starts_with("unknown time zone \"Mars/Base\" in TZ: ") && e.contains("POSIX"),
        "{e}"
    );
    let e = tz(":Mars/Base").unwrap_err().to_string();
    assert!(
        e.starts_with("unknown time zone \"Mars/Base\" in TZ: "),
        "{e}"
    );
    let e = tz("/nonexistent/zoneinfo/Europe/Helsinki")
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a readable TZif file"), "{e}");
}

#[test]
fn tz_may_be_a_path_to_a_tzif_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zoneinfo").join("Asia").join("Tokyo");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bundled_tzif("Asia/Tokyo").unwrap()).unwrap();
    let zone = from_tz(path.to_str().unwrap(), &bundled_only()).unwrap();
    assert_eq!(zone.name(), Some("Asia/Tokyo"));
    assert_eq!(zone.abbreviation(&at("2026-11-24T12:00:00Z")), "JST");
}

#[test]
fn the_local_zone_is_named_after_the_file_etc_localtime_links_to() {
    let Ok(target) = std::fs::read_link(LOCALTIME) else {
        eprintln!("skipped: {LOCALTIME} is not a symbolic link here");
        return;
    };
    let local = system(&tzdb::Database::from_env()).unwrap();
    let target = target.to_string_lossy().to_string();
    let expected = target.rsplit_once("zoneinfo/").map(|(_, name)| name);
    assert_eq!(local.name(), expected, "{target}");
}

#[test]
fn instants_beyond_the_tz_library_years_do_not_panic() {
    let helsinki = named("Europe/Helsinki");
    let far = NaiveDate::from_ymd_opt(20000, 6, 1)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let LocalResult::Single(t) = helsinki.from_local(&far) else {
        panic!("a far date has one meaning");
    };
    assert_eq!(t.naive_local(), far);
    let _ = helsinki.abbreviation(&t);
    assert_eq!(helsinki.localise(&t).naive_local(), far);
}
