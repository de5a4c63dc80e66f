//! The reliability score (SPEC section 4): what became of each promise, measured against the
//! deadline the customer agreed to, and a recency-weighted score per customer. Pure: `now` is
//! an argument.

use chrono::TimeDelta;

use crate::model::{Instant, Promise, Status};

/// The deadline the customer agreed to. A slip recorded before the agreed deadline passed is a
/// renegotiation and moves it; a slip after does not, so lateness cannot be laundered.
pub fn agreed_due(p: &Promise) -> Instant {
    if p.slips.is_empty() {
        return p.due;
    }
    let mut agreed = p.first_due();
    for slip in &p.slips {
        if slip.at <= agreed {
            agreed = slip.to;
        }
    }
    agreed
}

/// A promise's outcome as it stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Open, deadline (plus grace) not yet passed: not scored yet.
    Pending,
    /// Kept at or before the agreed deadline plus grace.
    OnTime,
    /// Kept after it.
    Late,
    /// Open past the agreed deadline (plus grace), or cancelled after the agreed deadline.
    Broken,
    /// Cancelled before the agreed deadline: withdrawn by agreement, not scored.
    Withdrawn,
}

impl Outcome {
    pub fn is_scored(self) -> bool {
        matches!(self, Outcome::OnTime | Outcome::Late | Outcome::Broken)
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pending => "open",
            Outcome::OnTime => "on time",
            Outcome::Late => "late",
            Outcome::Broken => "broken",
            Outcome::Withdrawn => "withdrawn",
        }
    }
}

/// The outcome against the agreed deadline. An open promise still inside its grace period can
/// yet be kept on time, so it counts as broken only once the grace has run out too.
pub fn outcome(p: &Promise, now: Instant, grace: TimeDelta) -> Outcome {
    outcome_against(p, agreed_due(p), now, grace)
}

/// The outcome measured against the first deadline ever given, as if nothing had been agreed since.
pub fn outcome_as_first_promised(p: &Promise, now: Instant, grace: TimeDelta) -> Outcome {
    outcome_against(p, p.first_due(), now, grace)
}

fn outcome_against(p: &Promise, deadline: Instant, now: Instant, grace: TimeDelta) -> Outcome {
    match (p.status, p.closed) {
        (Status::Kept, Some(at)) if at <= deadline + grace => Outcome::OnTime,
        (Status::Kept, _) => Outcome::Late,
        (Status::Cancelled, Some(at)) if at <= deadline => Outcome::Withdrawn,
        (Status::Cancelled, _) => Outcome::Broken,
        (Status::Open, _) if now > deadline + grace => Outcome::Broken,
        (Status::Open, _) => Outcome::Pending,
    }
}

/// The promise as it stood at `then`: not yet made, not yet closed, or with fewer slips.
/// None when it did not exist yet. Used for the trend ("what was known 30 days ago").
pub fn as_of(p: &Promise, then: Instant) -> Option<Promise> {
    if p.made > then {
        return None;
    }
    let mut past = p.clone();
    if past.closed.is_some_and(|c| c > then) {
        past.status = Status::Open;
        past.closed = None;
    }
    if past.slips.iter().any(|s| s.at > then) {
        past.slips.retain(|s| s.at <= then);
        past.due = past.slips.last().map_or(p.first_due(), |s| s.to);
        if past.slips.is_empty() {
            past.original_due = None;
        }
    }
    Some(past)
}

/// Scoring parameters from the config.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub grace: TimeDelta,
    pub half_life: TimeDelta,
}

/// The reliability score, 0–100: 100·(Σ wᵢ·oᵢ + 1)/(Σ wᵢ + 2) with wᵢ = 0.5^(ageᵢ/H). The +1/+2
/// prior means one success proves little; the half-life makes recent behaviour weigh more.
/// None when nothing is scored.
pub fn score<'a>(
    promises: impl IntoIterator<Item = &'a Promise>,
    now: Instant,
    params: Params,
) -> Option<i64> {
    let half_life_days = params.half_life.num_seconds() as f64 / 86_400.0;
    let (mut kept, mut weight, mut any) = (0.0, 0.0, false);
    for p in promises {
        let outcome = outcome(p, now, params.grace);
        if !outcome.is_scored() {
            continue;
        }
        any = true;
        let age_days = ((now - agreed_due(p)).num_seconds() as f64 / 86_400.0).max(0.0);
        let w = 0.5_f64.powf(age_days / half_life_days);
        weight += w;
        if outcome == Outcome::OnTime {
            kept += w;
        }
    }
    any.then(|| (100.0 * (kept + 1.0) / (weight + 2.0)).round() as i64)
}

/// How far back the trend looks.
pub const TREND_WINDOW: TimeDelta = TimeDelta::days(30);

/// The score now minus the score as it stood `TREND_WINDOW` ago; None if either is missing.
pub fn trend(promises: &[&Promise], now: Instant, params: Params) -> Option<i64> {
    let then = now - TREND_WINDOW;
    let past: Vec<Promise> = promises.iter().filter_map(|p| as_of(p, then)).collect();
    Some(score(promises.iter().copied(), now, params)? - score(&past, then, params)?)
}

/// One customer's record (or everyone's, for the total row).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Record {
    pub customer: Option<String>,
    pub scored: usize,
    pub on_time: usize,
    pub late: usize,
    pub broken: usize,
    /// Promises open now, overdue or not.
    pub open: usize,
    pub on_time_rate_agreed: Option<f64>,
    pub on_time_rate_original: Option<f64>,
    /// Mean of (delivered − agreed deadline) over the promises kept late.
    pub avg_lateness_minutes: Option<f64>,
    pub score: Option<i64>,
    pub trend: Option<i64>,
}

/// The record of a set of promises at `now`.
pub fn record(
    customer: Option<String>,
    promises: &[&Promise],
    now: Instant,
    params: Params,
) -> Record {
    let (mut scored, mut on_time, mut late, mut broken, mut first_on_time) = (0, 0, 0, 0, 0);
    let mut lateness = Vec::new();
    for p in promises {
        let outcome = outcome(p, now, params.grace);
        match outcome {
            Outcome::OnTime => on_time += 1,
            Outcome::Late => {
                late += 1;
                if let Some(closed) = p.closed {
                    lateness.push((closed - agreed_due(p)).num_seconds() as f64 / 60.0);
                }
            }
            Outcome::Broken => broken += 1,
            Outcome::Pending | Outcome::Withdrawn => {}
        }
        if outcome.is_scored() {
            scored += 1;
            if outcome_as_first_promised(p, now, params.grace) == Outcome::OnTime {
                first_on_time += 1;
            }
        }
    }
    let rate = |n: usize| (scored > 0).then(|| n as f64 / scored as f64);
    Record {
        customer,
        scored,
        on_time,
        late,
        broken,
        open: promises.iter().filter(|p| p.is_open()).count(),
        on_time_rate_agreed: rate(on_time),
        on_time_rate_original: rate(first_on_time),
        avg_lateness_minutes: (!lateness.is_empty())
            .then(|| lateness.iter().sum::<f64>() / lateness.len() as f64),
        score: score(promises.iter().copied(), now, params),
        trend: trend(promises, now, params),
    }
}

#[cfg(test)]
mod tests;
