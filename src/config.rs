//! `config.toml`: checked once at start-up, so every command works with valid values.

use std::collections::BTreeMap;
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
    /// `[customers]`: mail domain (lowercase) → customer, for `add --from-email`.
    pub customers: BTreeMap<String, String>,
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
            customers: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    default_time: Option<String>,
    grace: Option<String>,
    half_life: Option<String>,
    prompt: Option<RawPrompt>,
    nag: Option<RawNag>,
    customers: Option<BTreeMap<String, String>>,
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
        if let Some(customers) = raw.customers {
            for (domain, name) in customers {
                let (clean, name) = customer_entry(&domain, &name)?;
                if config.customers.insert(clean.clone(), name).is_some() {
                    return Err(format!(
                        "key `customers.\"{domain}\"`: {clean} is listed twice (domains match without case)"
                    ));
                }
            }
        }
        Ok(config)
    }
}

/// `"acme.fi" = "Acme Oy"` under `[customers]`: the domain is matched exactly and without case.
fn customer_entry(domain: &str, name: &str) -> Result<(String, String), String> {
    let key = format!("key `customers.\"{domain}\"`");
    let clean = domain.trim().trim_start_matches('@').to_lowercase();
    let valid = !clean.is_empty()
        && clean
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if !valid {
        return Err(format!(
            "{key}: \"{domain}\" is not a mail domain; write it like \"acme.fi\" = \"Acme Oy\""
        ));
    }
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(format!("{key}: the customer's name is empty"));
    }
    Ok((clean, name))
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

/// A length of time such as "90d", "2h", "15m", "1h30m" or "0m".
pub fn duration(text: &str) -> Result<TimeDelta, String> {
    crate::deadline::span(text.trim()).ok_or_else(|| {
        format!("\"{text}\" is not a duration; write it like \"2h\", \"90m\" or \"3d\"")
    })
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
    fn customers_map_mail_domains_to_customers() {
        let c = Config::parse(
            "[customers]\n\"Acme.FI\" = \"Acme Oy\"\n\"@beta.se\" = \" Beta  AB \"\n",
        )
        .unwrap();
        assert_eq!(c.customers["acme.fi"], "Acme Oy");
        assert_eq!(c.customers["beta.se"], "Beta AB");
        assert!(
            Config::parse("[customers]\n\"acme fi\" = \"Acme\"")
                .unwrap_err()
                .contains("`customers.\"acme fi\"`")
        );
        assert!(
            Config::parse("[customers]\n\"acme.fi\" = \"\"")
                .unwrap_err()
                .contains("name is empty")
        );
        assert!(Config::parse("[customers]\n\"acme.fi\" = 3").is_err());
        assert!(
            Config::parse("[customers]\n\"acme.fi\" = \"A\"\n\"ACME.fi\" = \"B\"")
                .unwrap_err()
                .contains("listed twice")
        );
    }

    #[test]
    fn empty_means_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }
}
