//! Which reminder each open promise is owed now (SPEC section 6). Pure: `now` is an argument.
//!
//! Stages: each lead time before the deadline, the deadline itself, then every `overdue_every`
//! while the promise stays open. A promise is owed only its *latest* stage that has come: a run
//! that comes late (laptop asleep) sends the most urgent one, not a burst of stale ones, and the
//! earlier ones are never owed again because they are no longer the latest.

use chrono::TimeDelta;
use serde::Serialize;

use crate::model::{Id, Instant, Promise};
use crate::render::text::clean;
use crate::render::{Clock, compact};
use crate::score;

/// A reminder to deliver for one promise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    pub id: Id,
    /// The stage's name, recorded in the promise's `reminded` once delivered.
    pub stage: String,
    /// "Due in 2 h: Send revised proposal"
    pub summary: String,
    /// "Acme Oy, Tue 24 Nov 14:00"; in the customer's zone with the user's beside it.
    pub body: String,
    /// The deadline the reminder is about; a slip since makes the reminder moot.
    #[serde(with = "crate::model::rfc3339")]
    pub due: Instant,
    pub overdue: bool,
}

impl Reminder {
    /// One line, for stdout and cron mail.
    pub fn line(&self) -> String {
        format!("{} — {}", self.summary, self.body)
    }
}

/// When reminders are sent.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub lead: Vec<TimeDelta>,
    pub overdue_every: TimeDelta,
}

/// The reminder `p` is owed at the clock's now, if any. Its text is safe for a terminal.
pub fn owed(p: &Promise, schedule: &Schedule, clock: &Clock) -> Option<Reminder> {
    let now = clock.now;
    if !p.is_open() {
        return None;
    }
    let (stage, at) = latest_stage(p, now, schedule)?;
    // A stage from before the promise was made is news to nobody.
    if at < p.made || p.reminded.contains(&stage) {
        return None;
    }
    // Overdue is past the agreed deadline, which a slip made too late did not move.
    let agreed = score::agreed_due(p);
    let overdue = now > agreed;
    let what = clean(&p.what);
    let summary = if now > p.due {
        format!("Overdue by {}: {what}", span(now - agreed.min(p.due)))
    } else if overdue {
        format!("Overdue, new target in {}: {what}", span(p.due - now))
    } else if p.due - now < TimeDelta::minutes(1) {
        format!("Due now: {what}")
    } else {
        format!("Due in {}: {what}", span(p.due - now))
    };
    let body = format!(
        "{}, {}",
        clean(&p.customer),
        clock.at(&p.due, &clock.zone_of(p))
    );
    Some(Reminder {
        id: p.id.clone(),
        stage,
        summary,
        body,
        due: p.due,
        overdue,
    })
}

fn latest_stage(p: &Promise, now: Instant, schedule: &Schedule) -> Option<(String, Instant)> {
    if now >= p.due {
        let every = schedule.overdue_every.max(TimeDelta::minutes(1));
        let n = (now - p.due).num_seconds() / every.num_seconds();
        return Some(match n {
            0 => ("due".to_string(), p.due),
            n => (format!("overdue-{n}"), p.due + every * n as i32),
        });
    }
    schedule
        .lead
        .iter()
        .map(|lead| (format!("before-{}", compact(*lead)), p.due - *lead))
        .filter(|(_, at)| *at <= now)
        .max_by_key(|(_, at)| *at)
}

/// "2 h", "15 min", "1 day 3 h".
fn span(d: TimeDelta) -> String {
    let (days, hours, minutes) = (d.num_days(), d.num_hours() % 24, d.num_minutes() % 60);
    let day = |n: i64| format!("{n} day{}", if n == 1 { "" } else { "s" });
    match (days, hours, minutes) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => day(d),
        (d, h, _) => format!("{} {h} h", day(d)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;
    use crate::zone::Zone;

    fn at(s: &str) -> Instant {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn promise() -> Promise {
        Promise::new(
            Id("abc1111111".into()),
            "Acme Oy".into(),
            "Send revised proposal".into(),
            at("2026-11-20T10:00:00+02:00"),
            at("2026-11-24T14:00:00+02:00"),
        )
    }

    fn schedule() -> Schedule {
        Schedule {
            lead: vec![
                TimeDelta::days(1),
                TimeDelta::hours(2),
                TimeDelta::minutes(15),
            ],
            overdue_every: TimeDelta::days(1),
        }
    }

    fn helsinki() -> Zone {
        Zone::named("Europe/Helsinki").unwrap()
    }

    /// The reminder owed at `now` to a user in Helsinki.
    fn owed_at(p: &Promise, now: &str) -> Option<Reminder> {
        owed(p, &schedule(), &Clock::new(helsinki(), at(now)))
    }

    /// Steps the clock through a promise's life, recording what is sent, as `nag` does.
    #[test]
    fn each_stage_is_owed_once_through_a_promises_life() {
        let mut p = promise();
        let mut sent = Vec::new();
        for now in [
            "2026-11-22T14:00:00+02:00", // 2 days before
            "2026-11-23T14:00:00+02:00", // 1 day before
            "2026-11-23T14:05:00+02:00",
            "2026-11-24T12:00:00+02:00", // 2 h before
            "2026-11-24T13:45:00+02:00", // 15 min before
            "2026-11-24T14:00:00+02:00", // at
            "2026-11-24T15:00:00+02:00", // after
            "2026-11-25T14:00:00+02:00", // a day after
            "2026-11-25T14:05:00+02:00",
        ] {
            if let Some(r) = owed_at(&p, now) {
                p.reminded.push(r.stage.clone());
                sent.push((now, r.stage, r.summary));
            }
        }
        let stages: Vec<&str> = sent.iter().map(|(_, s, _)| s.as_str()).collect();
        assert_eq!(
            stages,
            ["before-1d", "before-2h", "before-15m", "due", "overdue-1"]
        );
        assert_eq!(sent[1].2, "Due in 2 h: Send revised proposal");
        assert_eq!(sent[3].2, "Due now: Send revised proposal");
        assert_eq!(sent[4].2, "Overdue by 1 day: Send revised proposal");
    }

    #[test]
    fn a_late_run_sends_only_the_most_urgent_stage() {
        let p = promise();
        let r = owed_at(&p, "2026-11-24T13:50:00+02:00").unwrap();
        assert_eq!(r.stage, "before-15m");
        let r = owed_at(&p, "2026-11-26T15:00:00+02:00").unwrap();
        assert_eq!(r.stage, "overdue-2");
        assert!(r.overdue);
    }

    #[test]
    fn the_message_says_what_to_whom_and_when() {
        let r = owed_at(&promise(), "2026-11-24T12:00:00+02:00").unwrap();
        assert_eq!(
            r.line(),
            "Due in 2 h: Send revised proposal — Acme Oy, Tue 24 Nov 14:00"
        );
    }

    #[test]
    fn nothing_is_owed_for_stages_before_the_promise_was_made_or_closed_promises() {
        let mut p = promise();
        p.made = at("2026-11-24T12:30:00+02:00");
        assert_eq!(owed_at(&p, "2026-11-24T12:40:00+02:00"), None);
        assert!(owed_at(&p, "2026-11-24T13:46:00+02:00").is_some());
        p.status = Status::Kept;
        assert_eq!(owed_at(&p, "2026-11-24T13:46:00+02:00"), None);
    }

    #[test]
    fn a_promise_in_another_zone_is_told_in_both() {
        let mut p = promise();
        p.tz = Some("America/New_York".into());
        p.due = at("2026-11-24T09:00:00-05:00");
        let r = owed_at(&p, "2026-11-24T16:00:00+02:00").unwrap();
        assert_eq!(
            r.line(),
            "Due now: Send revised proposal — Acme Oy, Tue 24 Nov 09:00 EST (16:00 EET here)"
        );
    }

    #[test]
    fn after_a_late_slip_the_reminder_still_says_overdue() {
        let mut p = promise();
        p.original_due = Some(p.due);
        p.slips.push(crate::model::Slip {
            at: at("2026-11-24T15:00:00+02:00"),
            from: p.due,
            to: at("2026-11-26T12:00:00+02:00"),
            reason: None,
            extra: Default::default(),
        });
        p.due = at("2026-11-26T12:00:00+02:00");
        let r = owed_at(&p, "2026-11-26T10:00:00+02:00").unwrap();
        assert_eq!(
            r.summary,
            "Overdue, new target in 2 h: Send revised proposal"
        );
        assert!(r.overdue);
        let r = owed_at(&p, "2026-11-27T12:00:00+02:00").unwrap();
        assert!(r.summary.starts_with("Overdue by 2 days 22 h"), "{r:?}");
    }

    #[test]
    fn stored_control_characters_are_escaped() {
        let mut p = promise();
        p.what = "Send\u{1b}[2J".into();
        p.customer = "Acme\u{202e}".into();
        let r = owed_at(&p, "2026-11-24T12:00:00+02:00").unwrap();
        assert_eq!(
            r.line(),
            "Due in 2 h: Send\\u{1b}[2J — Acme\\u{202e}, Tue 24 Nov 14:00"
        );
    }
}
