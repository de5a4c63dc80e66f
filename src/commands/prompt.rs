//! The prompt segment. It runs on every prompt render: it reads only `open.toml`, takes no
//! lock, writes nothing, prints nothing on stderr and always succeeds.

use anyhow::Result;
use chrono::TimeDelta;

use crate::cli::PromptArgs;
use crate::config::{self, Config};
use crate::context::{self, emit};
use crate::model::{Instant, Promise};
use crate::render::compact;
use crate::score;
use crate::store::Store;
use crate::sync::Whose;

/// Shown instead of a segment when the store or the config cannot be read: short, and says whose.
pub const MARKER: &str = "promise?";

pub fn run(args: PromptArgs) -> Result<()> {
    let text = match counts() {
        Ok((promises, now, soon)) => segment(&promises, now, soon, args.format.as_deref()),
        Err(()) => MARKER.to_string(),
    };
    // A prompt that cannot be written has nowhere to report to.
    let _ = emit(&text);
    Ok(())
}

fn counts() -> Result<(Vec<Promise>, Instant, TimeDelta), ()> {
    let now = context::now().map_err(drop)?;
    let config = match config::path() {
        (Some(path), named) => Config::load(&path, named).map_err(drop)?,
        (None, _) => Config::default(),
    };
    let store = Store::new(context::data_dir().map_err(drop)?).quiet();
    let mut open = store.read_open().map_err(drop)?.promises;
    // In a shared store, your own promises (one small file read; no git).
    let whose = Whose::from_args(None, true, store.dir(), config.me.as_deref());
    open.retain(|p| whose.includes(p));
    Ok((open, now, config.prompt_soon))
}

/// "!2 ⏳1" for 2 overdue and 1 due within `soon`; empty when neither. A template fills in
/// {overdue}, {soon} and {next} (time to the next deadline not yet passed).
pub fn segment(
    promises: &[Promise],
    now: Instant,
    soon: TimeDelta,
    template: Option<&str>,
) -> String {
    let open = promises.iter().filter(|p| p.is_open());
    // Overdue is past the agreed deadline, as in `list` and `report`: a slip made after it does
    // not end the lateness.
    let late = |p: &&Promise| score::agreed_due(p) < now;
    let overdue = open.clone().filter(late).count();
    let due_soon = open
        .clone()
        .filter(|p| !late(p) && p.due >= now && p.due <= now + soon)
        .count();
    if overdue == 0 && due_soon == 0 {
        return String::new();
    }
    match template {
        Some(t) => {
            let next = open
                .filter(|p| p.due >= now)
                .map(|p| p.due)
                .min()
                .map(|d| compact(d - now))
                .unwrap_or_default();
            t.replace("{overdue}", &overdue.to_string())
                .replace("{soon}", &due_soon.to_string())
                .replace("{next}", &next)
        }
        None => {
            let mut parts = Vec::new();
            if overdue > 0 {
                parts.push(format!("!{overdue}"));
            }
            if due_soon > 0 {
                parts.push(format!("⏳{due_soon}"));
            }
            parts.join(" ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Id;

    fn at(s: &str) -> Instant {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn open(due: &str) -> Promise {
        Promise::new(
            Id::random().unwrap(),
            "Acme Oy".into(),
            "x".into(),
            at("2026-11-01T00:00:00+02:00"),
            at(due),
        )
    }

    const NOW: &str = "2026-11-23T10:30:00+02:00";

    #[test]
    fn counts_overdue_and_soon() {
        let ps = [
            open("2026-11-23T09:00:00+02:00"),
            open("2026-11-22T09:00:00+02:00"),
            open("2026-11-23T11:50:00+02:00"),
            open("2026-11-24T11:50:00+02:00"),
        ];
        assert_eq!(segment(&ps, at(NOW), TimeDelta::hours(2), None), "!2 ⏳1");
        assert_eq!(
            segment(
                &ps,
                at(NOW),
                TimeDelta::hours(2),
                Some("{overdue}/{soon} next {next}")
            ),
            "2/1 next 1h20m"
        );
    }

    #[test]
    fn nothing_pressing_prints_nothing() {
        let ps = [open("2026-11-24T11:50:00+02:00")];
        assert_eq!(segment(&ps, at(NOW), TimeDelta::hours(2), None), "");
        assert_eq!(
            segment(&ps, at(NOW), TimeDelta::hours(2), Some("{overdue}")),
            ""
        );
        assert_eq!(segment(&[], at(NOW), TimeDelta::hours(2), None), "");
    }

    #[test]
    fn a_slip_made_after_the_deadline_stays_overdue() {
        let mut p = open("2026-11-23T09:00:00+02:00");
        p.original_due = Some(p.due);
        p.slips.push(crate::model::Slip {
            at: at("2026-11-23T10:00:00+02:00"),
            from: p.due,
            to: at("2026-11-23T11:00:00+02:00"),
            reason: None,
            extra: Default::default(),
        });
        p.due = at("2026-11-23T11:00:00+02:00");
        assert_eq!(segment(&[p], at(NOW), TimeDelta::hours(2), None), "!1");
    }

    #[test]
    fn only_soon() {
        let ps = [open("2026-11-23T10:45:00+02:00")];
        assert_eq!(segment(&ps, at(NOW), TimeDelta::hours(2), None), "⏳1");
    }
}
