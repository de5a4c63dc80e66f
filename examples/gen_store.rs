//! Writes a synthetic store for benchmarks: `gen_store DIR CLOSED OPEN`.
//! Closed promises are spread over the archive years before 2026; open ones are due after now.

use chrono::{DateTime, Duration};
use promise::model::{Id, Promise, Slip, Status};
use promise::store::StoreFile;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, closed, open] = &args[..] else {
        eprintln!("usage: gen_store DIR CLOSED OPEN");
        std::process::exit(2);
    };
    let dir = std::path::Path::new(dir);
    let closed: usize = closed.parse().expect("CLOSED is a number");
    let open: usize = open.parse().expect("OPEN is a number");
    let base = DateTime::parse_from_rfc3339("2026-11-23T10:30:00+02:00").unwrap();
    let customers = [
        "Acme Oy",
        "Beta Ab",
        "Gamma GmbH",
        "Delta Ltd",
        "Epsilon SA",
        "Zeta Oy",
    ];

    let promise = |i: usize, due, status, closed_at| Promise {
        id: Id::random().unwrap(),
        customer: customers[i % customers.len()].to_string(),
        what: format!("Deliverable number {i} as promised in the email"),
        made: due - Duration::days(3),
        due,
        status,
        contact: i.is_multiple_of(3).then(|| "Liisa".to_string()),
        reference: i.is_multiple_of(4).then(|| format!("RFQ-{i}")),
        tz: None,
        note: None,
        closed: closed_at,
        cancel_reason: None,
        original_due: None,
        slips: Vec::<Slip>::new(),
        reminded: Vec::new(),
        extra: toml::Table::new(),
    };

    let mut years: std::collections::BTreeMap<i32, StoreFile> = Default::default();
    for i in 0..closed {
        // Roughly eight promises a day, going back from now.
        let due = base - Duration::minutes(180 * (i as i64 + 1));
        let late = if i.is_multiple_of(7) {
            Duration::hours(5)
        } else {
            -Duration::hours(2)
        };
        let status = if i.is_multiple_of(25) {
            Status::Cancelled
        } else {
            Status::Kept
        };
        let p = promise(i, due, status, Some(due + late));
        use chrono::Datelike;
        years
            .entry((due + late).year())
            .or_default()
            .promises
            .push(p);
    }
    std::fs::create_dir_all(dir.join("archive")).unwrap();
    for (year, file) in years {
        std::fs::write(
            dir.join("archive").join(format!("{year}.toml")),
            file.to_toml(),
        )
        .unwrap();
    }
    let mut file = StoreFile::default();
    for i in 0..open {
        // A couple overdue, the rest over the next weeks.
        let due = base + Duration::hours(7 * i as i64 - 4);
        file.promises.push(promise(i, due, Status::Open, None));
    }
    std::fs::write(dir.join("open.toml"), file.to_toml()).unwrap();
}
