//! Finnish: the same rules, with Finnish words (SPEC section 2, "Finnish").

use super::*;

#[test]
fn days_today_tomorrow_and_the_day_after() {
    accepted(&[
        ("tänään klo 14", "2026-11-23T14:00:00+02:00"),
        ("tänään", "2026-11-23T16:00:00+02:00"),
        ("huomenna", "2026-11-24T16:00:00+02:00"),
        ("Huomenna klo 9", "2026-11-24T09:00:00+02:00"),
        ("huomenna klo 9.30", "2026-11-24T09:30:00+02:00"),
        ("ylihuomenna", "2026-11-25T16:00:00+02:00"),
        ("ylihuomenna klo 12", "2026-11-25T12:00:00+02:00"),
        // Illative and translative: "by tomorrow", "for tomorrow".
        ("huomiseen mennessä", "2026-11-24T16:00:00+02:00"),
        ("huomiseksi", "2026-11-24T16:00:00+02:00"),
        ("ylihuomiseen klo 12 mennessä", "2026-11-25T12:00:00+02:00"),
    ]);
    refused(&[("eilen", Kind::Past), ("toissapäivänä", Kind::Past)]);
}

#[test]
fn weekdays_in_every_case_and_abbreviated() {
    accepted(&[
        ("maanantai", "2026-11-30T16:00:00+02:00"),
        ("maanantaina", "2026-11-30T16:00:00+02:00"),
        ("maanantaina klo 12 mennessä", "2026-11-30T12:00:00+02:00"),
        ("maanantaihin mennessä", "2026-11-30T16:00:00+02:00"),
        ("tiistaina", "2026-11-24T16:00:00+02:00"),
        ("tiistaihin klo 10 mennessä", "2026-11-24T10:00:00+02:00"),
        ("keskiviikkona", "2026-11-25T16:00:00+02:00"),
        ("keskiviikkoon mennessä", "2026-11-25T16:00:00+02:00"),
        ("keskiviikoksi", "2026-11-25T16:00:00+02:00"),
        ("torstaina", "2026-11-26T16:00:00+02:00"),
        ("torstaihin mennessä", "2026-11-26T16:00:00+02:00"),
        ("perjantaina", "2026-11-27T16:00:00+02:00"),
        ("perjantaihin klo 12 mennessä", "2026-11-27T12:00:00+02:00"),
        ("perjantaiksi", "2026-11-27T16:00:00+02:00"),
        (
            "perjantaina viimeistään klo 16",
            "2026-11-27T16:00:00+02:00",
        ),
        ("viimeistään perjantaina", "2026-11-27T16:00:00+02:00"),
        ("lauantaina", "2026-11-28T16:00:00+02:00"),
        ("sunnuntaihin mennessä", "2026-11-29T16:00:00+02:00"),
        ("ma", "2026-11-30T16:00:00+02:00"),
        ("ti klo 14", "2026-11-24T14:00:00+02:00"),
        ("ke 10:00", "2026-11-25T10:00:00+02:00"),
        ("to klo 9", "2026-11-26T09:00:00+02:00"),
        ("pe 14.00", "2026-11-27T14:00:00+02:00"),
        ("Pe. klo 12", "2026-11-27T12:00:00+02:00"),
        ("la", "2026-11-28T16:00:00+02:00"),
        ("SU", "2026-11-29T16:00:00+02:00"),
        ("PERJANTAINA", "2026-11-27T16:00:00+02:00"),
        // "ensi" is "next": the same two readings, agreeing on a Monday.
        ("ensi maanantaina", "2026-11-30T16:00:00+02:00"),
        ("ensi viikon perjantaina", "2026-12-04T16:00:00+02:00"),
        ("ensi viikon tiistaina klo 10", "2026-12-01T10:00:00+02:00"),
        ("tämän viikon perjantaina", "2026-11-27T16:00:00+02:00"),
        ("tänä perjantaina", "2026-11-27T16:00:00+02:00"),
    ]);
    refused(&[
        ("ensi perjantaina", Kind::Ambiguous),
        ("viime perjantaina", Kind::Past),
        ("tänä maanantaina", Kind::Ambiguous),
        ("ennen perjantaita", Kind::Ambiguous),
        ("perjantaisin", Kind::NotUnderstood),
    ]);
    says(
        MON,
        "ensi perjantaina",
        &[
            "Fri 27 Nov",
            "Fri 4 Dec",
            "\"tänä perjantaina\"",
            "\"ensi viikon perjantaina\"",
        ],
    );
    says(
        MON,
        "ennen perjantaita",
        &["\"torstaihin mennessä\"", "\"perjantaihin mennessä\""],
    );
    accepted(&[("ennen perjantaita klo 12", "2026-11-27T12:00:00+02:00")]);
}

#[test]
fn klo_times_are_24_hour_but_not_the_small_hours() {
    accepted(&[
        ("klo 14", "2026-11-23T14:00:00+02:00"),
        ("kello 14", "2026-11-23T14:00:00+02:00"),
        ("klo 14.30", "2026-11-23T14:30:00+02:00"),
        ("klo 9:30 huomenna", "2026-11-24T09:30:00+02:00"),
        ("kello 15.30", "2026-11-23T15:30:00+02:00"),
        ("klo 12 mennessä", "2026-11-23T12:00:00+02:00"),
        ("huomenna klo 7", "2026-11-24T07:00:00+02:00"),
        ("14.30", "2026-11-23T14:30:00+02:00"),
        ("keskipäivällä", "2026-11-23T12:00:00+02:00"),
        ("huomenna puoliltapäivin", "2026-11-24T12:00:00+02:00"),
        ("keskipäivään mennessä", "2026-11-23T12:00:00+02:00"),
        ("huomenna klo 00.00", "2026-11-24T00:00:00+02:00"),
        ("huomenna klo 14.", "2026-11-24T14:00:00+02:00"),
    ]);
    refused(&[
        ("klo 3", Kind::Ambiguous),
        ("huomenna klo 0", Kind::Ambiguous),
        ("huomenna klo 6", Kind::Ambiguous),
        ("klo 24", Kind::Ambiguous),
        ("keskiyöllä", Kind::Ambiguous),
        ("klo 25", Kind::Impossible),
        ("klo", Kind::NotUnderstood),
        ("klo perjantaina", Kind::NotUnderstood),
        ("aamulla", Kind::NotUnderstood),
        ("huomenna aamulla", Kind::NotUnderstood),
        ("iltapäivällä", Kind::NotUnderstood),
        ("perjantaina illalla", Kind::NotUnderstood),
        // Rule 14 applies without "klo".
        ("15.12", Kind::Ambiguous),
    ]);
    says(MON, "klo 3", &["\"klo 15\""]);
    says(MON, "huomenna aamulla", &["\"huomenna klo 9\""]);
    says(MON, "perjantaina illalla", &["\"perjantaina klo 18\""]);
}

#[test]
fn dates_with_month_names_in_the_partitive_and_genitive() {
    accepted(&[
        ("24.11.", "2026-11-24T16:00:00+02:00"),
        ("24.11.2026", "2026-11-24T16:00:00+02:00"),
        ("3. joulukuuta", "2026-12-03T16:00:00+02:00"),
        ("3. joulukuuta klo 14", "2026-12-03T14:00:00+02:00"),
        ("3. joulukuuta 2026", "2026-12-03T16:00:00+02:00"),
        ("joulukuun 3. päivä", "2026-12-03T16:00:00+02:00"),
        ("joulukuun 3. päivänä", "2026-12-03T16:00:00+02:00"),
        ("joulukuun 3. päivään mennessä", "2026-12-03T16:00:00+02:00"),
        ("5. tammikuuta", "2027-01-05T16:00:00+02:00"),
        ("tammikuun 5. päivänä klo 10", "2027-01-05T10:00:00+02:00"),
        ("1. helmikuuta 2027", "2027-02-01T16:00:00+02:00"),
        ("keskiviikkona 25.11.", "2026-11-25T16:00:00+02:00"),
        ("ke 25.11. klo 12", "2026-11-25T12:00:00+02:00"),
        ("perjantaina 27. marraskuuta", "2026-11-27T16:00:00+02:00"),
    ]);
    refused(&[
        ("torstaina 25.11.", Kind::Impossible),
        ("31. marraskuuta", Kind::Impossible),
        ("20. lokakuuta", Kind::Past),
        ("joulukuuta", Kind::NotUnderstood),
    ]);
    says(MON, "torstaina 25.11.", &["25 Nov 2026 is a Wednesday"]);
    says(MON, "20. lokakuuta", &["\"20.10.2027\""]);
}

#[test]
fn durations_with_paasta_and_sisalla() {
    accepted(&[
        ("viikon päästä", "2026-11-30T16:00:00+02:00"),
        ("tunnin päästä", "2026-11-23T11:30:00+02:00"),
        ("tunnin kuluttua", "2026-11-23T11:30:00+02:00"),
        ("kahden tunnin päästä", "2026-11-23T12:30:00+02:00"),
        ("2 tunnin päästä", "2026-11-23T12:30:00+02:00"),
        ("30 minuutin päästä", "2026-11-23T11:00:00+02:00"),
        ("kymmenen minuutin päästä", "2026-11-23T10:40:00+02:00"),
        ("kahden päivän päästä", "2026-11-25T16:00:00+02:00"),
        ("3 päivän päästä", "2026-11-26T16:00:00+02:00"),
        ("kolmen päivän kuluttua", "2026-11-26T16:00:00+02:00"),
        ("kahden viikon päästä", "2026-12-07T16:00:00+02:00"),
        ("kuukauden päästä", "2026-12-23T16:00:00+02:00"),
        ("viikon sisällä", "2026-11-30T16:00:00+02:00"),
        ("kahden päivän sisällä", "2026-11-25T16:00:00+02:00"),
        ("kolmen päivän kuluessa", "2026-11-26T16:00:00+02:00"),
        ("vartin päästä", "2026-11-23T10:45:00+02:00"),
        ("puolen tunnin päästä", "2026-11-23T11:00:00+02:00"),
        ("puolentoista tunnin päästä", "2026-11-23T12:00:00+02:00"),
        (
            "vuorokauden sisällä",
            "2026-11-23T10:30:00+02:00".replace("23T", "24T").leak(),
        ),
        ("kahden päivän päästä klo 14", "2026-11-25T14:00:00+02:00"),
        ("3 arkipäivän päästä", "2026-11-26T16:00:00+02:00"),
        ("kolmen työpäivän päästä", "2026-11-26T16:00:00+02:00"),
        ("viiden arkipäivän sisällä", "2026-11-30T16:00:00+02:00"),
        ("2 tuntia", "2026-11-23T12:30:00+02:00"),
    ]);
    refused(&[
        ("parin päivän päästä", Kind::Vague),
        ("muutaman tunnin päästä", Kind::Vague),
        ("viikon", Kind::NotUnderstood),
        ("sekunnin päästä", Kind::NotUnderstood),
    ]);
}

#[test]
fn ends_of_periods() {
    accepted(&[
        ("päivän loppuun mennessä", "2026-11-23T16:00:00+02:00"),
        ("työpäivän loppuun mennessä", "2026-11-23T16:00:00+02:00"),
        (
            "huomenna työpäivän loppuun mennessä",
            "2026-11-24T16:00:00+02:00",
        ),
        ("viikon loppuun mennessä", "2026-11-27T16:00:00+02:00"),
        ("viikonloppuun mennessä", "2026-11-27T16:00:00+02:00"),
        ("ensi viikon loppuun mennessä", "2026-12-04T16:00:00+02:00"),
        ("kuun loppuun mennessä", "2026-11-30T16:00:00+02:00"),
        ("kuukauden loppuun mennessä", "2026-11-30T16:00:00+02:00"),
        ("ensi kuun loppuun mennessä", "2026-12-31T16:00:00+02:00"),
    ]);
    accepted_at(
        "2026-11-27T17:00:00+02:00",
        &[("viikon loppuun mennessä", "2026-12-04T16:00:00+02:00")],
    );
}

#[test]
fn vague_finnish_is_refused_with_a_finnish_hint() {
    for phrase in [
        "pian",
        "mahdollisimman pian",
        "heti kun mahdollista",
        "heti kun ehdin",
        "lähipäivinä",
        "myöhemmin",
        "joskus",
        "ensi viikolla",
        "tällä viikolla",
        "ensi kuussa",
        "huomenna tai ylihuomenna pian",
    ] {
        let e = at_with(MON, phrase, &deadline()).unwrap_err();
        assert_eq!(e.kind, Kind::Vague, "{phrase}: {e}");
        let text = e.to_string();
        assert!(text.contains("; esim. \""), "{phrase}: {text}");
        assert!(
            text.contains("\"perjantaihin klo 12 mennessä\""),
            "{phrase}: {text}"
        );
        assert!(
            !text.contains("try"),
            "{phrase}: an English lead-in: {text}"
        );
    }
}

#[test]
fn the_languages_mix() {
    accepted(&[
        ("perjantaina 2pm", "2026-11-27T14:00:00+02:00"),
        ("friday klo 14", "2026-11-27T14:00:00+02:00"),
        ("huomenna at noon", "2026-11-24T12:00:00+02:00"),
        ("by perjantai 12:00", "2026-11-27T12:00:00+02:00"),
    ]);
}

#[test]
fn finnish_typos_are_named() {
    for (typo, meant) in [
        ("huomena", "huomenna"),
        ("perjantaihn", "perjantaihin"),
        ("torstaina klo 12 menessä", "mennessä"),
        ("kahden päivän pästä", "päästä"),
    ] {
        let e = at_with(MON, typo, &deadline()).unwrap_err();
        assert!(
            e.to_string().contains(&format!("did you mean \"{meant}\"")),
            "{typo}: {e}"
        );
    }
}

#[test]
fn next_week_beside_a_weekday_says_which_week() {
    accepted(&[
        ("tiistaina ensi viikolla", "2026-12-01T16:00:00+02:00"),
        (
            "perjantaina tällä viikolla klo 12",
            "2026-11-27T12:00:00+02:00",
        ),
    ]);
    refused(&[
        ("ensi viikolla", Kind::Vague),
        ("tällä viikolla", Kind::Vague),
    ]);
}
