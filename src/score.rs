//! The reliability score (SPEC section 4): what became of each promise, measured against the
//! deadline the customer agreed to, and a recency-weighted score per customer. Pure: `now` is
//! an argument.

use chrono::TimeDelta;

use crate::model::{Instant, Promise, Status};

/// What scoring reads of a promise: a whole [`Promise`], or the lean record a long history is
/// kept in for the report (no text, no allocation per promise).
pub trait Facts {
    fn made(&self) -> Instant;
    /// The deadline in force.
    fn due(&self) -> Instant;
    /// The first deadline ever given.
    fn first_due(&self) -> Instant;
    fn status(&self) -> Status;
    fn closed(&self) -> Option<Instant>;
    /// Whether it has slipped at all.
    fn slipped(&self) -> bool;
    /// Each slip's (recorded at, new deadline), in the order recorded.
    fn slips(&self) -> impl Iterator<Item = (Instant, Instant)>;
}

impl Facts for Promise {
    fn made(&self) -> Instant {
        self.made
    }
    fn due(&self) -> Instant {
        self.due
    }
    fn first_due(&self) -> Instant {
        Promise::first_due(self)
    }
    fn status(&self) -> Status {
        self.status
    }
    fn closed(&self) -> Option<Instant> {
        self.closed
    }
    fn slipped(&self) -> bool {
        !self.slips.is_empty()
    }
    fn slips(&self) -> impl Iterator<Item = (Instant, Instant)> {
        self.slips.iter().map(|s| (s.at, s.to))
    }
}

impl<P: Facts + ?Sized> Facts for &P {
    fn made(&self) -> Instant {
        (**self).made()
    }
    fn due(&self) -> Instant {
        (**self).due()
    }
    fn first_due(&self) -> Instant {
        (**self).first_due()
    }
    fn status(&self) -> Status {
        (**self).status()
    }
    fn closed(&self) -> Option<Instant> {
        (**self).closed()
    }
    fn slipped(&self) -> bool {
        (**self).slipped()
    }
    fn slips(&self) -> impl Iterator<Item = (Instant, Instant)> {
        (**self).slips()
    }
}

/// The deadline the customer agreed to. A slip recorded before the agreed deadline passed is a
/// renegotiation and moves it; a slip after does not, so lateness cannot be laundered.
pub fn agreed_due<P: Facts + ?Sized>(p: &P) -> Instant {
    agreed_as_of(p, None)
}

/// The agreed deadline counting only the slips recorded by `at` (all of them for None).
fn agreed_as_of<P: Facts + ?Sized>(p: &P, at: Option<Instant>) -> Instant {
    if !p.slipped() {
        return p.due();
    }
    let mut agreed = p.first_due();
    for (slip_at, to) in p.slips().filter(|(s, _)| at.is_none_or(|at| *s <= at)) {
        if slip_at <= agreed {
            agreed = to;
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
pub fn outcome<P: Facts + ?Sized>(p: &P, now: Instant, grace: TimeDelta) -> Outcome {
    judge(p, now, grace).map_or(Outcome::Pending, |j| j.outcome)
}

/// The outcome measured against the first deadline ever given, as if nothing had been agreed since.
pub fn outcome_as_first_promised<P: Facts + ?Sized>(
    p: &P,
    now: Instant,
    grace: TimeDelta,
) -> Outcome {
    outcome_of(p.status(), p.closed(), p.first_due(), now, grace)
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
pub fn judge<P: Facts + ?Sized>(p: &P, at: Instant, grace: TimeDelta) -> Option<Judged> {
    if p.made() > at {
        return None;
    }
    let closed = p.closed().filter(|c| *c <= at);
    let status = if closed.is_some() {
        p.status()
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
    // Adding a zero grace (the default) to an instant is not free; a long history asks this
    // four times a promise.
    let with_grace = || {
        if grace.is_zero() {
            deadline
        } else {
            deadline + grace
        }
    };
    match (status, closed) {
        (Status::Kept, Some(at)) if at <= with_grace() => Outcome::OnTime,
        (Status::Kept, _) => Outcome::Late,
        (Status::Cancelled, Some(at)) if at <= deadline => Outcome::Withdrawn,
        (Status::Cancelled, _) => Outcome::Broken,
        (Status::Open, _) if now > with_grace() => Outcome::Broken,
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
pub fn score<'a, P: Facts + 'a>(
    promises: impl IntoIterator<Item = &'a P>,
    now: Instant,
    params: Params,
) -> Option<i64> {
    let mut sum = Weighted::default();
    for j in promises
        .into_iter()
        .filter_map(|p| judge(p, now, params.grace))
    {
        sum.add(&j, now, params);
    }
    sum.score()
}

/// The sums of the score's formula, added one judged promise at a time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Weighted {
    kept: f64,
    weight: f64,
    any: bool,
}

impl Weighted {
    /// Adds a promise judged at `at`, if it is scored.
    pub fn add(&mut self, j: &Judged, at: Instant, params: Params) {
        if let Some(w) = weight(j, at, params) {
            self.add_weight(w, j.outcome == Outcome::OnTime);
        }
    }

    /// Adds a scored promise's weight, worked out once by [`weight`].
    pub fn add_weight(&mut self, w: f64, on_time: bool) {
        self.any = true;
        self.weight += w;
        if on_time {
            self.kept += w;
        }
    }

    pub fn score(&self) -> Option<i64> {
        self.any
            .then(|| (100.0 * (self.kept + 1.0) / (self.weight + 2.0)).round() as i64)
    }
}

/// A scored promise's weight at `at`: 0.5^(age/H); None for one not scored.
pub fn weight(j: &Judged, at: Instant, params: Params) -> Option<f64> {
    if !j.outcome.is_scored() {
        return None;
    }
    let half_life_days = params.half_life.num_seconds() as f64 / 86_400.0;
    let age_days = if j.open {
        0.0
    } else {
        ((at - j.agreed).num_seconds() as f64 / 86_400.0).max(0.0)
    };
    // 0.5^x as 2^-x: the same value to the last bit or one away, at a fifth of pow's cost
    // (a long history weighs every promise twice). Not f64::exp2: that links libm.so, whose
    // loading costs every start (see Cargo.toml).
    Some(libm::exp2(-(age_days / half_life_days)))
}

/// How far back the trend looks.
pub const TREND_WINDOW: TimeDelta = TimeDelta::days(30);

/// The score now minus the score as it stood `TREND_WINDOW` ago, counting only what was known
/// then; None if either is missing.
pub fn trend<P: Facts>(promises: &[&P], now: Instant, params: Params) -> Option<i64> {
    let then = now - TREND_WINDOW;
    Some(
        score(promises.iter().copied(), now, params)?
            - score(promises.iter().copied(), then, params)?,
    )
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

/// A [`Record`] in the making: promises added one at a time, each judged now and as it stood
/// `TREND_WINDOW` ago, in one pass over a history of any length.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    scored: usize,
    on_time: usize,
    late: usize,
    broken: usize,
    first_on_time: usize,
    lateness_minutes: f64,
    late_kept: usize,
    now: Weighted,
    then: Weighted,
}

impl Tally {
    /// Adds a promise: `now` is its judgement now, with its weight if scored; `then` its
    /// weight as it stood `TREND_WINDOW` ago, with whether it was on time then.
    pub fn add(&mut self, now: &Judged, w_now: Option<f64>, then: Option<(f64, bool)>) {
        match now.outcome {
            Outcome::OnTime => self.on_time += 1,
            Outcome::Late => self.late += 1,
            Outcome::Broken => self.broken += 1,
            _ => {}
        }
        if now.outcome.is_scored() {
            self.scored += 1;
            self.first_on_time += usize::from(now.first_on_time);
        }
        if let Some(d) = now.late_by {
            self.lateness_minutes += d.num_seconds() as f64 / 60.0;
            self.late_kept += 1;
        }
        if let Some(w) = w_now {
            self.now.add_weight(w, now.outcome == Outcome::OnTime);
        }
        if let Some((w, on_time)) = then {
            self.then.add_weight(w, on_time);
        }
    }

    /// Adds a promise not yet made now that was scored `TREND_WINDOW` ago (never, in time
    /// that runs forward; kept so the two sums count exactly what `judge` says).
    pub fn add_past(&mut self, (w, on_time): (f64, bool)) {
        self.then.add_weight(w, on_time);
    }

    /// Adds a promise judged at `now` and at `now − TREND_WINDOW`.
    pub fn add_promise<P: Facts + ?Sized>(&mut self, p: &P, now: Instant, params: Params) {
        let then = now - TREND_WINDOW;
        let past = judge(p, then, params.grace)
            .and_then(|j| weight(&j, then, params).map(|w| (w, j.outcome == Outcome::OnTime)));
        if let Some(j) = judge(p, now, params.grace) {
            self.add(&j, weight(&j, now, params), past);
        } else if let Some(past) = past {
            self.then.add_weight(past.0, past.1);
        }
    }

    pub fn record(&self, customer: Option<String>, open: usize) -> Record {
        let rate = |n: usize| (self.scored > 0).then(|| n as f64 / self.scored as f64);
        let score_now = self.now.score();
        let score_then = self.then.score();
        Record {
            customer,
            scored: self.scored,
            on_time: self.on_time,
            late: self.late,
            broken: self.broken,
            open,
            on_time_rate_agreed: rate(self.on_time),
            on_time_rate_original: rate(self.first_on_time),
            avg_lateness_minutes: (self.late_kept > 0)
                .then(|| self.lateness_minutes / self.late_kept as f64),
            score: score_now,
            trend: score_now.zip(score_then).map(|(a, b)| a - b),
        }
    }
}

/// The record of a set of promises at `now`.
pub fn record<P: Facts>(
    customer: Option<String>,
    promises: &[&P],
    now: Instant,
    params: Params,
) -> Record {
    let mut tally = Tally::default();
    for p in promises {
        tally.add_promise(*p, now, params);
    }
    let open = promises
        .iter()
        .filter(|p| p.status() == Status::Open)
        .count();
    tally.record(customer, open)
}

#[cfg(test)]
mod tests;
