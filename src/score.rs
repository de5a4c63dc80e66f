//! The reliability score (SPEC section 4): what became of each promise, measured against the
//! deadline the customer agreed to, and a recency-weighted score per customer. Pure: `now` is
//! an argument.

use chrono::TimeDelta;

use crate::model::{Instant, Promise, Status};

/// The deadline the customer agreed to. A slip recorded before the agreed deadline passed is a
/// renegotiation and moves it; a slip after does not, so lateness cannot be laundered.
pub fn agreed_due(p: &Promise) -> Instant {
    agreed_as_of(p, None)
}

/// The agreed deadline counting only the slips recorded by `at` (all of them for None).
fn agreed_as_of(p: &Promise, at: Option<Instant>) -> Instant {
    if p.slips.is_empty() {
        return p.due;
    }
    let mut agreed = p.first_due();
    for slip in p.slips.iter().filter(|s| at.is_none_or(|at| s.at <= at)) {
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

/// The outcome against the agreed deadline, as things stand at `now`. An open promise still
/// inside its grace period can yet be kept on time, so it counts as broken only once the grace
/// has run out too.
pub fn outcome(p: &Promise, now: Instant, grace: TimeDelta) -> Outcome {
    judge(p, now, grace).map_or(Outcome::Pending, |j| j.outcome)
}

/// The outcome measured against the first deadline ever given, as if nothing had been agreed since.
pub fn outcome_as_first_promised(p: &Promise, now: Instant, grace: TimeDelta) -> Outcome {
    outcome_of(p.status, p.closed, p.first_due(), now, grace)
}

/// What scoring needs of one promise at one instant, computed once.
#[derive(Debug, Clone, Copy)]
pub struct Judged {
    pub outcome: Outcome,
    pub agreed: Instant,
    pub first_on_time: bool,
    /// Delivered minus agreed deadline, for a promise kept late.
    pub late_by: Option<TimeDelta>,
    /// Still open at the instant judged: an overdue one then weighs fully, however old.
    pub open: bool,
}

/// Judges `p` as it was known at `at` (what had been made, slipped and closed by then), without
/// copying it. None when it had not been made yet.
pub fn judge(p: &Promise, at: Instant, grace: TimeDelta) -> Option<Judged> {
    if p.made > at {
        return None;
    }
    let closed = p.closed.filter(|c| *c <= at);
    let status = if closed.is_some() {
        p.status
    } else {
        Status::Open
    };
    let agreed = agreed_as_of(p, Some(at));
    let outcome = outcome_of(status, closed, agreed, at, grace);
    let first_on_time = outcome_of(status, closed, p.first_due(), at, grace) == Outcome::OnTime;
    let late_by = (outcome == Outcome::Late)
        .then(|| closed.map(|c| c - agreed))
        .flatten();
    Some(Judged {
        outcome,
        agreed,
        first_on_time,
        late_by,
        open: status == Status::Open,
    })
}

fn outcome_of(
    status: Status,
    closed: Option<Instant>,
    deadline: Instant,
    now: Instant,
    grace: TimeDelta,
) -> Outcome {
    match (status, closed) {
        (Status::Kept, Some(at)) if at <= deadline + grace => Outcome::OnTime,
        (Status::Kept, _) => Outcome::Late,
        (Status::Cancelled, Some(at)) if at <= deadline => Outcome::Withdrawn,
        (Status::Cancelled, _) => Outcome::Broken,
        (Status::Open, _) if now > deadline + grace => Outcome::Broken,
        (Status::Open, _) => Outcome::Pending,
    }
}

/// Scoring parameters from the config.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub grace: TimeDelta,
    pub half_life: TimeDelta,
}

/// The reliability score, 0–100: 100·(Σ wᵢ·oᵢ + 1)/(Σ wᵢ + 2) with wᵢ = 0.5^(ageᵢ/H). The +1/+2
/// prior means one success proves little; the half-life makes recent behaviour weigh more.
/// An overdue promise still open has age 0: ignoring it must never make the score rise.
/// None when nothing is scored.
pub fn score<'a>(
    promises: impl IntoIterator<Item = &'a Promise>,
    now: Instant,
    params: Params,
) -> Option<i64> {
    score_judged(
        promises
            .into_iter()
            .filter_map(|p| judge(p, now, params.grace)),
        now,
        params,
    )
}

fn score_judged(judged: impl Iterator<Item = Judged>, now: Instant, params: Params) -> Option<i64> {
    let half_life_days = params.half_life.num_seconds() as f64 / 86_400.0;
    let (mut kept, mut weight, mut any) = (0.0, 0.0, false);
    for j in judged.filter(|j| j.outcome.is_scored()) {
        any = true;
        let age_days = if j.open {
            0.0
        } else {
            ((now - j.agreed).num_seconds() as f64 / 86_400.0).max(0.0)
        };
        // Not f64::powf: that links libm.so, whose loading costs every start (see Cargo.toml).
        let w = libm::pow(0.5, age_days / half_life_days);
        weight += w;
        if j.outcome == Outcome::OnTime {
            kept += w;
        }
    }
    any.then(|| (100.0 * (kept + 1.0) / (weight + 2.0)).round() as i64)
}

/// How far back the trend looks.
pub const TREND_WINDOW: TimeDelta = TimeDelta::days(30);

/// The score now minus the score as it stood `TREND_WINDOW` ago, counting only what was known
/// then; None if either is missing.
pub fn trend(promises: &[&Promise], now: Instant, params: Params) -> Option<i64> {
    let then = now - TREND_WINDOW;
    let past = promises.iter().filter_map(|p| judge(p, then, params.grace));
    Some(score(promises.iter().copied(), now, params)? - score_judged(past, then, params)?)
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
    let judged: Vec<Judged> = promises
        .iter()
        .filter_map(|p| judge(p, now, params.grace))
        .collect();
    let count = |o: Outcome| judged.iter().filter(|j| j.outcome == o).count();
    let scored = judged.iter().filter(|j| j.outcome.is_scored()).count();
    let first_on_time = judged
        .iter()
        .filter(|j| j.outcome.is_scored() && j.first_on_time)
        .count();
    let lateness: Vec<f64> = judged
        .iter()
        .filter_map(|j| j.late_by)
        .map(|d| d.num_seconds() as f64 / 60.0)
        .collect();
    let rate = |n: usize| (scored > 0).then(|| n as f64 / scored as f64);
    let score_now = score_judged(judged.iter().copied(), now, params);
    let then = now - TREND_WINDOW;
    let score_then = score_judged(
        promises.iter().filter_map(|p| judge(p, then, params.grace)),
        then,
        params,
    );
    Record {
        customer,
        scored,
        on_time: count(Outcome::OnTime),
        late: count(Outcome::Late),
        broken: count(Outcome::Broken),
        open: promises.iter().filter(|p| p.is_open()).count(),
        on_time_rate_agreed: rate(count(Outcome::OnTime)),
        on_time_rate_original: rate(first_on_time),
        avg_lateness_minutes: (!lateness.is_empty())
            .then(|| lateness.iter().sum::<f64>() / lateness.len() as f64),
        score: score_now,
        trend: score_now.zip(score_then).map(|(a, b)| a - b),
    }
}

#[cfg(test)]
mod tests;
