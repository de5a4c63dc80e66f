//! `promise nag`: deliver the reminders that are owed now, then record them.
//!
//! Delivery is at-least-once: a stage is recorded only after it was delivered, and the slow part
//! (notifications) happens outside the store lock. A separate nag lock keeps two runs from
//! delivering the same reminder twice.

use std::fs::{OpenOptions, TryLockError};

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::cli::{NagArgs, Via};
use crate::context::{Context, emit};
use crate::error::usage;
use crate::notify::{Desktop, Notifier};
use crate::reminder::{self, Reminder, Schedule};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    Desktop,
    Stdout,
    /// Not delivered; tried again next run.
    Failed,
    /// --dry-run or PROMISE_NOTIFY=none.
    Skipped,
}

#[derive(Debug, Serialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub reminder: Reminder,
    pub delivery: Delivery,
}

impl Outcome {
    fn recorded(&self) -> bool {
        matches!(self.delivery, Delivery::Desktop | Delivery::Stdout)
    }
}

pub fn run(args: NagArgs, ctx: &Context) -> Result<()> {
    let via = match args.via {
        Some(via) => via,
        None => via_from_env()?,
    };
    let schedule = Schedule {
        lead: ctx.config.nag_lead.clone(),
        overdue_every: ctx.config.nag_overdue_every,
    };
    let clock = ctx.clock();
    let owed = |ctx: &Context| -> Result<Vec<Reminder>> {
        let open = ctx.store.read_open()?;
        Ok(open
            .promises
            .iter()
            .filter_map(|p| reminder::owed(p, &schedule, &clock))
            .collect())
    };

    if args.dry_run {
        let outcomes: Vec<Outcome> = owed(ctx)?
            .into_iter()
            .map(|reminder| Outcome {
                reminder,
                delivery: Delivery::Skipped,
            })
            .collect();
        let text = if args.json {
            super::to_json(&outcomes)
        } else {
            outcomes
                .iter()
                .map(|o| format!("would send: {}\n", o.reminder.line()))
                .collect()
        };
        return Ok(emit(&text)?);
    }

    std::fs::create_dir_all(ctx.store.dir())
        .with_context(|| format!("could not create {}", ctx.store.dir().display()))?;
    let lock_path = ctx.store.dir().join("nag.lock");
    let nag_lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("could not open {}", lock_path.display()))?;
    match nag_lock.try_lock() {
        Ok(()) => {}
        // Another run is delivering right now; it will send what is owed.
        Err(TryLockError::WouldBlock) => return Ok(()),
        Err(TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("could not lock {}", lock_path.display()));
        }
    }

    // Read under the nag lock: a run that just finished has recorded what it sent.
    let reminders = owed(ctx)?;
    if reminders.is_empty() {
        return tidy(ctx);
    }
    let desktop = Desktop::connect();
    let mut printed = String::new();
    let outcomes = deliver(reminders, via, &desktop, &mut printed);
    record(ctx, &outcomes)?;

    if args.json {
        emit(&super::to_json(&outcomes))?;
    } else if !printed.is_empty() {
        emit(&printed)?;
    }
    tidy(ctx)?;
    let failed = outcomes
        .iter()
        .filter(|o| o.delivery == Delivery::Failed)
        .count();
    if via == Via::Desktop && failed > 0 {
        anyhow::bail!(
            "{failed} reminder(s) could not be shown on the desktop; they will be tried again"
        );
    }
    Ok(())
}

/// Housekeeping, after the reminders are out: closed promises to the archive, a yearly archive
/// into months (`Store::tidy`). Its failure is said and fails the run, but never holds a
/// reminder back.
fn tidy(ctx: &Context) -> Result<()> {
    Ok(ctx.store.tidy()?)
}

fn via_from_env() -> Result<Via> {
    match std::env::var("PROMISE_NOTIFY").as_deref() {
        Err(_) | Ok("") | Ok("auto") => Ok(Via::Auto),
        Ok("desktop") => Ok(Via::Desktop),
        Ok("stdout") => Ok(Via::Stdout),
        Ok("none") => Ok(Via::None),
        Ok(other) => Err(usage(format!(
            "PROMISE_NOTIFY=\"{other}\" is not one of auto, desktop, stdout, none"
        ))),
    }
}

/// Delivers each reminder the chosen way. With `auto`, a reminder the desktop could not show is
/// printed instead, and that counts as delivered: cron mails what a job prints, so the next run
/// must not print (and mail) it again.
pub fn deliver(
    reminders: Vec<Reminder>,
    via: Via,
    desktop: &dyn Notifier,
    printed: &mut String,
) -> Vec<Outcome> {
    reminders
        .into_iter()
        .map(|reminder| {
            let delivery = match via {
                Via::None => Delivery::Skipped,
                Via::Stdout => {
                    printed.push_str(&format!("{}\n", reminder.line()));
                    Delivery::Stdout
                }
                Via::Desktop | Via::Auto => match desktop.notify(&reminder) {
                    Ok(()) => Delivery::Desktop,
                    Err(why) => {
                        if via == Via::Desktop {
                            eprintln!("promise: could not show a reminder: {why}");
                            Delivery::Failed
                        } else {
                            printed.push_str(&format!("{}\n", reminder.line()));
                            Delivery::Stdout
                        }
                    }
                },
            };
            Outcome { reminder, delivery }
        })
        .collect()
}

/// Records delivered stages, under the store lock, in promises that still have that deadline.
fn record(ctx: &Context, outcomes: &[Outcome]) -> Result<()> {
    if !outcomes.iter().any(Outcome::recorded) {
        return Ok(());
    }
    let mut tx = ctx.store.transaction()?;
    for o in outcomes.iter().filter(|o| o.recorded()) {
        let r = &o.reminder;
        if let Some(p) = tx
            .open
            .promises
            .iter_mut()
            .find(|p| p.id == r.id && p.due == r.due && p.is_open())
            && !p.reminded.contains(&r.stage)
        {
            p.reminded.push(r.stage.clone());
        }
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Id;
    use crate::notify::fake::Recorder;

    fn reminder() -> Reminder {
        Reminder {
            id: Id("abc1111111".into()),
            stage: "before-2h".into(),
            summary: "Due in 2 h: Send".into(),
            body: "Acme Oy, Tue 24 Nov 14:00".into(),
            due: chrono::DateTime::parse_from_rfc3339("2026-11-24T14:00:00+02:00").unwrap(),
            overdue: false,
        }
    }

    #[test]
    fn auto_uses_the_desktop_when_it_answers() {
        let desktop = Recorder::default();
        let mut printed = String::new();
        let out = deliver(vec![reminder()], Via::Auto, &desktop, &mut printed);
        assert_eq!(out[0].delivery, Delivery::Desktop);
        assert_eq!(desktop.sent.borrow().len(), 1);
        assert!(printed.is_empty());
    }

    #[test]
    fn auto_prints_when_the_desktop_fails_and_that_counts_as_sent() {
        let desktop = Recorder {
            fail: true,
            ..Default::default()
        };
        let mut printed = String::new();
        let out = deliver(vec![reminder()], Via::Auto, &desktop, &mut printed);
        assert_eq!(out[0].delivery, Delivery::Stdout);
        assert!(out[0].recorded());
        assert_eq!(printed, "Due in 2 h: Send — Acme Oy, Tue 24 Nov 14:00\n");
    }

    #[test]
    fn desktop_only_records_nothing_when_the_desktop_fails() {
        let desktop = Recorder {
            fail: true,
            ..Default::default()
        };
        let mut printed = String::new();
        let out = deliver(vec![reminder()], Via::Desktop, &desktop, &mut printed);
        assert_eq!(out[0].delivery, Delivery::Failed);
        assert!(!out[0].recorded());
        assert!(printed.is_empty());
    }

    #[test]
    fn stdout_counts_as_delivered_and_never_touches_the_desktop() {
        let desktop = Recorder::default();
        let mut printed = String::new();
        let out = deliver(vec![reminder()], Via::Stdout, &desktop, &mut printed);
        assert!(out[0].recorded());
        assert!(desktop.sent.borrow().is_empty());
    }
}
