//! The time-zone database: the TZif data for a zone name, read from the system's copy (`TZDIR`,
//! else `/usr/share/zoneinfo`) one file at a time, else from the copy bundled at build time.
//!
//! Why not jiff's own database: on first use it walks the whole zoneinfo tree to list the names
//! (measured 0.7–4 ms, more than the whole start-up of `promise`), and a command needs one or
//! two zones. Reading `$TZDIR/Europe/Helsinki` and parsing it costs about 15 µs.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;

/// Where systems keep their TZif files, in the order glibc and jiff look.
const SYSTEM_DIRS: [&str; 3] = [
    "/usr/share/zoneinfo",
    "/usr/share/lib/zoneinfo",
    "/etc/zoneinfo",
];

/// The system's time-zone database, with the bundled copy behind it.
#[derive(Debug, Clone)]
pub struct Database {
    /// Directories to look in, in order; `TZDIR` alone when it is set.
    dirs: Vec<PathBuf>,
}

/// Why a name gave no zone.
#[derive(Debug, Clone, PartialEq)]
pub enum Missing {
    /// Not shaped like a zone name (`Area/Location`: letters, digits, `_`, `-`, `+`).
    NotAName,
    /// Neither the system's database nor the bundled copy has it.
    NotFound,
}

impl Database {
    /// `TZDIR` when set (as glibc honours it), else the usual places.
    pub fn from_env() -> Database {
        match std::env::var_os("TZDIR") {
            Some(dir) if !dir.is_empty() => Database::at(PathBuf::from(dir)),
            _ => Database {
                dirs: SYSTEM_DIRS.iter().map(PathBuf::from).collect(),
            },
        }
    }

    /// A database in one directory (which need not exist: then only the bundled copy answers).
    pub fn at(dir: PathBuf) -> Database {
        Database { dirs: vec![dir] }
    }

    /// The zone called `name`: the system's file when it has one, else the bundled copy's.
    /// The bundled copy also answers for names the system lacks, such as the old links
    /// (`US/Eastern`) that Debian moved to a separate package.
    pub fn load(&self, name: &str) -> Result<TimeZone, Missing> {
        if !is_zone_name(name) {
            return Err(Missing::NotAName);
        }
        let from_system = self
            .dirs
            .iter()
            .find_map(|dir| read_tzif(&dir.join(name)).ok())
            .and_then(|data| TimeZone::tzif(name, &data).ok());
        from_system
            .or_else(|| bundled::tzif(name).and_then(|data| TimeZone::tzif(name, data).ok()))
            .ok_or(Missing::NotFound)
    }

    /// The system's database directory, if it has one: for error messages.
    pub fn system_dir(&self) -> Option<&Path> {
        self.dirs.iter().map(PathBuf::as_path).find(|d| d.is_dir())
    }
}

/// The IANA spelling of a name given in another case ("europe/helsinki"), for a hint.
pub fn spelled(name: &str) -> Option<&'static str> {
    bundled::names().find(|known| known.eq_ignore_ascii_case(name))
}

/// The bundled TZif data for exactly `name`: to set up a database in tests.
pub fn bundled_tzif(name: &str) -> Option<&'static [u8]> {
    bundled::tzif(name)
}

/// The release of the bundled copy, such as "2026f".
pub const BUNDLED_VERSION: &str = env!("PROMISE_TZDB_VERSION");

/// The bytes of a zone file: a regular file, and no bigger than any TZif file is. `TZ` and
/// `TZDIR` come from the environment: `TZ=/dev/zero` or a FIFO must not hang or exhaust memory.
pub fn read_tzif(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // TZif files are a few KB (right/Europe/London, with leap seconds, is 4 KB here); a MiB is
    // room to spare for any "fat" build of the database.
    const LIMIT: u64 = 1 << 20;
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut data = Vec::new();
    std::fs::File::open(path)?
        .take(LIMIT)
        .read_to_end(&mut data)?;
    Ok(data)
}

/// A relative path of plain components, so a name can never reach outside the database
/// (`../../etc/passwd`, `/dev/zero`).
fn is_zone_name(name: &str) -> bool {
    name.len() <= 255
        && name.split('/').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+'))
        })
}

/// The copy of the database that build.rs bundles: byte arrays only, so it adds no relocation.
mod bundled {
    const INDEX: &str = include_str!(concat!(env!("OUT_DIR"), "/tzdb.index"));
    const TZIF: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/tzdb.tzif"));

    /// The TZif data for exactly `name`.
    pub fn tzif(name: &str) -> Option<&'static [u8]> {
        INDEX.lines().find_map(|line| {
            let mut fields = line.split(' ');
            if fields.next()? != name {
                return None;
            }
            let start = fields.next()?.parse().ok()?;
            let end = fields.next()?.parse().ok()?;
            TZIF.get(start..end)
        })
    }

    pub fn names() -> impl Iterator<Item = &'static str> {
        INDEX.lines().filter_map(|line| line.split(' ').next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database directory that exists and is empty: only the bundled copy answers.
    fn empty() -> (tempfile::TempDir, Database) {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::at(dir.path().to_path_buf());
        (dir, db)
    }

    #[test]
    fn names_that_could_leave_the_database_are_not_names() {
        for name in [
            "",
            "/etc/localtime",
            "../zoneinfo/Europe/Helsinki",
            "Europe/../Europe/Helsinki",
            "Europe//Helsinki",
            "Europe/Helsinki/",
            "Europe/Hel sinki",
            "Europe/Helsinki\0",
            "zone.tab",
        ] {
            assert!(!is_zone_name(name), "{name:?}");
        }
        for name in [
            "Europe/Helsinki",
            "America/Argentina/Buenos_Aires",
            "America/Port-au-Prince",
            "Etc/GMT+5",
            "EST5EDT",
            "UTC",
        ] {
            assert!(is_zone_name(name), "{name:?}");
        }
    }

    #[test]
    fn the_bundled_copy_answers_where_the_system_has_no_database() {
        let (_dir, db) = empty();
        let helsinki = db.load("Europe/Helsinki").unwrap();
        assert_eq!(helsinki.iana_name(), Some("Europe/Helsinki"));
        // Links are there too, with the data of the zone they point to.
        let link = db.load("US/Eastern").unwrap();
        let ts = jiff::Timestamp::from_second(1_795_000_000).unwrap();
        assert_eq!(
            link.to_offset(ts),
            db.load("America/New_York").unwrap().to_offset(ts)
        );
        let missing = Database::at(PathBuf::from("/nonexistent/zoneinfo"));
        assert!(missing.load("Asia/Tokyo").is_ok());
        assert_eq!(missing.load("Mars/Base"), Err(Missing::NotFound));
    }

    #[test]
    fn the_systems_file_comes_before_the_bundled_copy() {
        let (dir, db) = empty();
        // A "Europe/Helsinki" that is really Tokyo's data: the answer must be Tokyo's offset.
        std::fs::create_dir(dir.path().join("Europe")).unwrap();
        std::fs::write(
            dir.path().join("Europe/Helsinki"),
            bundled::tzif("Asia/Tokyo").unwrap(),
        )
        .unwrap();
        let ts = jiff::Timestamp::from_second(1_795_000_000).unwrap();
        let tz = db.load("Europe/Helsinki").unwrap();
        assert_eq!(tz.to_offset(ts).seconds(), 9 * 3600);
        assert_eq!(tz.iana_name(), Some("Europe/Helsinki"));
    }

    #[test]
    fn a_file_that_is_not_tzif_is_no_zone() {
        let (dir, db) = empty();
        std::fs::write(dir.path().join("leapseconds"), "# not TZif\n").unwrap();
        std::fs::create_dir(dir.path().join("Europe")).unwrap();
        assert_eq!(db.load("leapseconds"), Err(Missing::NotFound));
        // A directory is not a zone either.
        assert_eq!(db.load("Europe"), Err(Missing::NotFound));
    }

    #[test]
    fn only_regular_files_are_read() {
        assert!(read_tzif(Path::new("/dev/zero")).is_err());
        let (dir, db) = empty();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("Zero")).unwrap();
        let fifo = dir.path().join("Fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert_eq!(db.load("Zero"), Err(Missing::NotFound));
        if made.is_ok_and(|s| s.success()) {
            // Opening a FIFO would block until a writer came: it must not be opened at all.
            assert_eq!(db.load("Fifo"), Err(Missing::NotFound));
        }
    }

    #[test]
    fn unknown_names_and_hints() {
        let (_dir, db) = empty();
        assert_eq!(db.load("Mars/Base"), Err(Missing::NotFound));
        assert_eq!(db.load("../etc/passwd"), Err(Missing::NotAName));
        assert_eq!(spelled("europe/helsinki"), Some("Europe/Helsinki"));
        assert_eq!(spelled("Mars/Base"), None);
    }

    #[test]
    fn every_bundled_name_parses() {
        let names: Vec<_> = bundled::names().collect();
        assert!(names.len() > 500, "{}", names.len());
        for name in names {
            let data = bundled::tzif(name).unwrap_or_else(|| panic!("{name} has no data"));
            assert!(TimeZone::tzif(name, data).is_ok(), "{name}");
        }
    }
}
