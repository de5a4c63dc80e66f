//! `config.toml`: checked once at start-up, so every command works with valid values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveTime, TimeDelta};
use serde::Deserialize;
use toml::Spanned;

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
            customers: BTreeMap::new(),
            me: None,
        }
    }
}

/// The file as written; values keep their place in the text, so an error can name its line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    default_time: Option<Spanned<String>>,
    grace: Option<Spanned<String>>,
    half_life: Option<Spanned<String>>,
    me: Option<Spanned<String>>,
    prompt: Option<RawPrompt>,
    nag: Option<RawNag>,
    customers: Option<BTreeMap<String, Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrompt {
    soon: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNag {
    lead: Option<Spanned<Vec<String>>>,
    overdue_every: Option<Spanned<String>>,
}

/// What is wrong with a config text, and on which line (1-based) when that is known.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub line: Option<usize>,
    pub message: String,
}

impl ConfigError {
    fn at(text: &str, span: std::ops::Range<usize>, message: String) -> ConfigError {
        ConfigError {
            line: Some(text[..span.start.min(text.len())].matches('\n').count() + 1),
            message,
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl Config {
    /// Reads the config at `path`. A missing file means the defaults, unless the user named it.
    /// An error names the file, the line and the key: `config.toml:3: key `grace`: ...`.
    pub fn load(path: &Path, named: bool) -> anyhow::Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => {
                return Ok(Config::default());
            }
            Err(e) => anyhow::bail!("could not read config {}: {e}", path.display()),
        };
        Config::parse(&text).map_err(|e| match e.line {
            Some(line) => {
                anyhow::anyhow!("invalid config {}:{line}: {}", path.display(), e.message)
            }
            None => anyhow::anyhow!("invalid config {}: {}", path.display(), e.message),
        })
    }

    /// Parses config text; an error names the offending key, its value and its line.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let mut message = e.message().replace('\n', " ").trim().to_string();
            let Some(span) = e.span() else {
                return ConfigError {
                    line: None,
                    message,
                };
            };
            let error = ConfigError::at(text, span.clone(), String::new());
            if let Some(key) = error.line.and_then(|line| key_on_line(text, line))
                && !message.contains(&key)
            {
                message = format!("key `{key}`: {message}");
            }
            ConfigError { message, ..error }
        })?;
        // Checks one value, naming its key and line when it is wrong.
        fn value<T>(
            text: &str,
            key: &str,
            v: &Spanned<String>,
            check: impl Fn(&str) -> Result<T, String>,
        ) -> Result<T, ConfigError> {
            check(v.get_ref())
                .map_err(|e| ConfigError::at(text, v.span(), format!("key `{key}`: {e}")))
        }
        let mut config = Config::default();
        if let Some(t) = &raw.default_time {
            config.default_time = value(text, "default_time", t, parse_time)?;
        }
        if let Some(d) = &raw.grace {
            config.grace = value(text, "grace", d, duration)?;
        }
        if let Some(d) = &raw.half_life {
            config.half_life = value(text, "half_life", d, positive)?;
        }
        if let Some(me) = &raw.me {
            config.me = Some(value(text, "me", me, |me| {
                let me = me.trim();
                if me.is_empty() {
                    return Err("must not be empty; write your name or email".into());
                }
                Ok(me.to_string())
            })?);
        }
        if let Some(soon) = raw.prompt.as_ref().and_then(|p| p.soon.as_ref()) {
            config.prompt_soon = value(text, "prompt.soon", soon, duration)?;
        }
        if let Some(nag) = &raw.nag {
            if let Some(lead) = &nag.lead {
                config.nag_lead = lead
                    .get_ref()
                    .iter()
                    .map(|d| {
                        positive(d).map_err(|e| {
                            ConfigError::at(text, lead.span(), format!("key `nag.lead`: {e}"))
                        })
                    })
                    .collect::<Result<_, _>>()?;
            }
            if let Some(every) = &nag.overdue_every {
                config.nag_overdue_every = value(text, "nag.overdue_every", every, positive)?;
            }
        }
        if let Some(customers) = &raw.customers {
            for (domain, name) in customers {
                let (clean, customer) = customer_entry(domain, name.get_ref())
                    .map_err(|e| ConfigError::at(text, name.span(), e))?;
                if config.customers.insert(clean.clone(), customer).is_some() {
                    return Err(ConfigError::at(
                        text,
                        name.span(),
                        format!(
                            "key `customers.\"{domain}\"`: {clean} is listed twice (domains match without case)"
                        ),
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

/// The dotted key assigned on a line ("nag.lead" under `[nag]`), for errors that name a value.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let key = lines.get(line - 1)?.split_once('=')?.0.trim();
    let table = lines[..line - 1]
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(['[', ']', ' ']));
    Some(match table {
        Some(table) => format!("{table}.{key}"),
        None => key.to_string(),
    })
}

/// A duration longer than zero.
fn positive(text: &str) -> Result<TimeDelta, String> {
    match duration(text) {
        Ok(d) if d > TimeDelta::zero() => Ok(d),
        Ok(_) => Err(format!("\"{text}\" must be longer than zero")),
        Err(e) => Err(e),
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
    fn errors_name_the_key_and_its_line() {
        let cases = [
            ("default_time = \"25:00\"", 1, "`default_time`"),
            ("# mine\n\ngrace = \"soon\"", 3, "`grace`"),
            ("grace = \"5m\"\n[nag]\nlead = [\"0m\"]", 3, "`nag.lead`"),
            (
                "grace = \"5m\"\n[nag]\noverdue_every = \"0m\"",
                3,
                "`nag.overdue_every`",
            ),
            (
                "half_life = \"1d\"\n[prompt]\nsoon = \"x\"",
                3,
                "`prompt.soon`",
            ),
            ("\ndefualt_time = \"16:00\"", 2, "defualt_time"),
            ("grace = 15", 1, "`grace`"),
            ("[nag]\nlead = \"1d\"", 2, "`nag.lead`"),
        ];
        for (text, line, key) in cases {
            let e = Config::parse(text).unwrap_err();
            assert_eq!(e.line, Some(line), "{text:?}: {e}");
            assert!(e.message.contains(key), "{text:?}: {e}");
        }
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
                .to_string()
                .contains("`customers.\"acme fi\"`")
        );
        assert!(
            Config::parse("[customers]\n\"acme.fi\" = \"\"")
                .unwrap_err()
                .to_string()
                .contains("name is empty")
        );
        assert!(Config::parse("[customers]\n\"acme.fi\" = 3").is_err());
        assert!(
            Config::parse("[customers]\n\"acme.fi\" = \"A\"\n\"ACME.fi\" = \"B\"")
                .unwrap_err()
                .to_string()
                .contains("listed twice")
        );
    }

    #[test]
    fn empty_means_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }
}
