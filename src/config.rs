//! `config.toml`: checked once at start-up, so every command works with valid values.

use std::path::{Path, PathBuf};

use chrono::{NaiveTime, TimeDelta};
use serde::Deserialize;

/// The user's settings, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The time a deadline without a time gets.
    pub default_time: NaiveTime,
    /// How late still counts as on time.
    pub grace: TimeDelta,
    /// The age at which a promise weighs half as much in the score.
    pub half_life: TimeDelta,
    /// The prompt shows promises due within this.
    pub prompt_soon: TimeDelta,
    /// Reminders this long before a deadline.
    pub nag_lead: Vec<TimeDelta>,
    /// Reminders this often while a promise is overdue.
    pub nag_overdue_every: TimeDelta,
    /// Who you are in a store shared through `promise sync` (recorded as a new promise's `by`);
    /// unset, git's `user.email`.
    pub me: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            default_time: NaiveTime::from_hms_opt(16, 0, 0).expect("valid constant"),
            grace: TimeDelta::zero(),
            half_life: TimeDelta::days(90),
            prompt_soon: TimeDelta::hours(2),
            nag_lead: vec![
                TimeDelta::days(1),
                TimeDelta::hours(2),
                TimeDelta::minutes(15),
            ],
            nag_overdue_every: TimeDelta::days(1),
            me: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    default_time: Option<String>,
    grace: Option<String>,
    half_life: Option<String>,
    me: Option<String>,
    prompt: Option<RawPrompt>,
    nag: Option<RawNag>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrompt {
    soon: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNag {
    lead: Option<Vec<String>>,
    overdue_every: Option<String>,
}

impl Config {
    /// Reads the config at `path`. A missing file means the defaults, unless the user named it.
    pub fn load(path: &Path, named: bool) -> anyhow::Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => {
                return Ok(Config::default());
            }
            Err(e) => anyhow::bail!("could not read config {}: {e}", path.display()),
        };
        Config::parse(&text).map_err(|e| anyhow::anyhow!("invalid config {}: {e}", path.display()))
    }

    /// Parses config text; an error names the offending key and value.
    pub fn parse(text: &str) -> Result<Config, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| e.message().replace('\n', " "))?;
        let mut config = Config::default();
        if let Some(t) = raw.default_time {
            config.default_time = parse_time(&t).map_err(|e| format!("key `default_time`: {e}"))?;
        }
        if let Some(d) = raw.grace {
            config.grace = duration(&d).map_err(|e| format!("key `grace`: {e}"))?;
        }
        if let Some(d) = raw.half_life {
            config.half_life = positive(duration(&d), "half_life")?;
        }
        if let Some(me) = raw.me {
            let me = me.trim();
            if me.is_empty() {
                return Err("key `me`: must not be empty; write your name or email".into());
            }
            config.me = Some(me.to_string());
        }
        if let Some(soon) = raw.prompt.and_then(|p| p.soon) {
            config.prompt_soon = duration(&soon).map_err(|e| format!("key `prompt.soon`: {e}"))?;
        }
        if let Some(nag) = raw.nag {
            if let Some(lead) = nag.lead {
                config.nag_lead = lead
                    .iter()
                    .map(|d| positive(duration(d), "nag.lead"))
                    .collect::<Result<_, _>>()?;
            }
            if let Some(every) = nag.overdue_every {
                config.nag_overdue_every = positive(duration(&every), "nag.overdue_every")?;
            }
        }
        Ok(config)
    }
}

fn positive(d: Result<TimeDelta, String>, key: &str) -> Result<TimeDelta, String> {
    match d {
        Ok(d) if d > TimeDelta::zero() => Ok(d),
        Ok(_) => Err(format!("key `{key}`: must be longer than zero")),
        Err(e) => Err(format!("key `{key}`: {e}")),
    }
}

/// "16:00" → 16:00.
pub fn parse_time(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| format!("\"{text}\" is not a time of day; write it like \"16:00\""))
}

/// A length of time such as "90d", "2h", "15m", "2 hours" or "0m" (read by interim).
pub fn duration(text: &str) -> Result<TimeDelta, String> {
    let bad = || format!("\"{text}\" is not a duration; write it like \"2h\", \"90m\" or \"3d\"");
    match crate::deadline::interval(text.trim()) {
        Some(interim::Interval::Seconds(s)) if s >= 0 => Ok(TimeDelta::seconds(i64::from(s))),
        Some(interim::Interval::Days(d)) if d >= 0 => Ok(TimeDelta::days(i64::from(d))),
        Some(interim::Interval::Months(_)) => Err(format!(
            "\"{text}\": months vary in length; use days, as in \"30d\""
        )),
        _ => Err(bad()),
    }
}

/// `PROMISE_CONFIG`, else `config.toml` in the platform config directory.
pub fn path() -> (Option<PathBuf>, bool) {
    match std::env::var_os("PROMISE_CONFIG") {
        Some(p) if !p.is_empty() => (Some(PathBuf::from(p)), true),
        _ => (
            directories::ProjectDirs::from("", "", "promise")
                .map(|d| d.config_dir().join("config.toml")),
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_read() {
        let c = Config::parse(
            "default_time = \"09:30\"\ngrace = \"15m\"\nhalf_life = \"30d\"\n\
             [prompt]\nsoon = \"1h\"\n[nag]\nlead = [\"2d\"]\noverdue_every = \"4h\"\n",
        )
        .unwrap();
        assert_eq!(c.default_time, NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        assert_eq!(c.grace, TimeDelta::minutes(15));
        assert_eq!(c.half_life, TimeDelta::days(30));
        assert_eq!(c.prompt_soon, TimeDelta::hours(1));
        assert_eq!(c.nag_lead, vec![TimeDelta::days(2)]);
        assert_eq!(c.nag_overdue_every, TimeDelta::hours(4));
    }

    #[test]
    fn errors_name_the_key() {
        assert!(
            Config::parse("default_time = \"25:00\"")
                .unwrap_err()
                .contains("`default_time`")
        );
        assert!(
            Config::parse("grace = \"soon\"")
                .unwrap_err()
                .contains("`grace`")
        );
        assert!(
            Config::parse("[nag]\nlead = [\"0m\"]")
                .unwrap_err()
                .contains("`nag.lead`")
        );
        assert!(
            Config::parse("defualt_time = \"16:00\"")
                .unwrap_err()
                .contains("defualt_time")
        );
    }

    #[test]
    fn empty_means_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }
}
