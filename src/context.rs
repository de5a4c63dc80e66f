//! Everything a command needs from the outside world, read and checked once: the clock, the
//! zone, the config, the store and whether to use colour.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context as _;

use crate::cli::ColorChoice;
use crate::config::{self, Config};
use crate::deadline;
use crate::error::usage;
use crate::model::{Instant, Promise};
use crate::store::Store;
use crate::zone::{self, Zone};

pub struct Context {
    /// The one reading of the clock (or `PROMISE_NOW`), in the local zone.
    pub now: Instant,
    pub zone: Zone,
    pub config: Config,
    pub store: Store,
    /// Colour only on a terminal, and never with `NO_COLOR`, unless `--color` says otherwise.
    pub color: bool,
    /// The columns tables must fit in.
    pub width: usize,
}

impl Context {
    pub fn from_env() -> anyhow::Result<Context> {
        let zone = Zone::from_env().map_err(|e| usage(e.to_string()))?;
        let now = in_store_range(zone.localise(&now()?))?;
        let (config_path, named) = config::path();
        let config = match config_path {
            Some(path) => Config::load(&path, named)?,
            None => Config::default(),
        };
        let store = Store::new(data_dir()?);
        Ok(Context {
            now,
            zone,
            config,
            store,
            color: use_color(ColorChoice::Auto),
            width: width(),
        })
    }

    /// How `add`, `when` and `slip` read a deadline.
    pub fn deadline_options(&self) -> deadline::Options {
        deadline::Options {
            home: Some(self.zone.clone()),
            ..deadline::Options::deadline(self.config.default_time)
        }
    }

    /// How times are told to the user.
    pub fn clock(&self) -> crate::render::Clock {
        crate::render::Clock::new(self.zone.clone(), self.now)
    }

    /// The zone a promise's deadline is shown in: the customer's, else the local one.
    pub fn zone_of(&self, p: &Promise) -> Zone {
        self.clock().zone_of(p)
    }

    /// A `--tz` value, checked.
    pub fn zone_arg(&self, tz: Option<&str>) -> anyhow::Result<Zone> {
        match tz {
            Some(name) => Zone::named(name).map_err(|e| usage(e.to_string())),
            None => Ok(self.zone.clone()),
        }
    }
}

/// Whether to colour stdout: `--color always|never` decides; with `auto`, only a terminal gets
/// colour, and `NO_COLOR` (set and not empty) turns it off.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The columns tables must fit in: `COLUMNS`, else the terminal's width, else 80. A width of 0
/// (as some cron and CI environments report) means unknown.
pub fn width() -> usize {
    const FALLBACK: usize = 80;
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    columns
        .or_else(|| {
            terminal_size::terminal_size()
                .map(|(w, _)| usize::from(w.0))
                .filter(|&w| w > 0)
        })
        .unwrap_or(FALLBACK)
}

/// `PROMISE_NOW` when set (tests, "what will the report say on Friday"), else the clock.
pub fn now() -> anyhow::Result<Instant> {
    match std::env::var("PROMISE_NOW") {
        Ok(text) if !text.is_empty() => zone::parse_instant(&text)
            .map_err(|e| {
                usage(format!(
                    "PROMISE_NOW=\"{text}\" is not an RFC 3339 instant ({e}); write it like 2026-11-23T10:30:00+02:00"
                ))
            })
            .and_then(in_store_range),
        _ => Ok(zone::whole_seconds(chrono::Utc::now()).fixed_offset()),
    }
}

/// `now` if the store can hold it, in its own offset and in UTC: years 1970–9999. A later one
/// would make promises whose instants no RFC 3339 text can say, a file the binary cannot read.
fn in_store_range(now: Instant) -> anyhow::Result<Instant> {
    crate::model::rfc3339::check_year(&now)
        .and_then(|()| crate::model::rfc3339::check_year(&now.to_utc().fixed_offset()))
        .map_err(|e| usage(format!("PROMISE_NOW: {e}")))?;
    Ok(now)
}

/// `PROMISE_DATA_DIR`, else the platform data directory (`~/.local/share/promise` on Linux).
pub fn data_dir() -> anyhow::Result<PathBuf> {
    match std::env::var_os("PROMISE_DATA_DIR") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "promise")
            .map(|d| d.data_dir().to_path_buf())
            .context("cannot find a data directory: no home directory; set PROMISE_DATA_DIR"),
    }
}

/// Writes to stdout. A reader that went away (`promise list | head -1`) is not an error worth a
/// message; main turns it into a quiet exit.
pub fn emit(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.is_empty() && !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()
}
