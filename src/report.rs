//! The daily report (SPEC section 4) as data: what needs attention now, and each customer's
//! record. Pure: built from promises and `now`; rendered by `render::report`.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde::Serialize;

use crate::customer::{self, Keys, Names};
use crate::model::{Instant, Promise};
use crate::score::{self, Outcome, Params, Record};

/// How many weeks the per-customer sparkline covers.
pub const WEEKS: usize = 8;

#[derive(Debug, Serialize)]
pub struct Report<'a> {
    #[serde(with = "crate::model::rfc3339")]
    pub now: Instant,
    #[serde(with = "crate::model::rfc3339_opt")]
    pub since: Option<Instant>,
    /// Open promises past their agreed deadline, oldest first.
    pub overdue: Vec<&'a Promise>,
    /// Open promises due in the next 24 hours.
    pub due_soon: Vec<&'a Promise>,
    /// Promises kept or cancelled in the last 24 hours, with their outcome.
    pub closed_recently: Vec<Closed<'a>>,
    /// One record per customer, worst score first.
    pub customers: Vec<CustomerRecord>,
    pub total: Record,
    /// Each customer's name as shown: the first spelling stored.
    #[serde(skip)]
    pub names: Names,
}

#[derive(Debug, Serialize)]
pub struct Closed<'a> {
    #[serde(flatten)]
    pub promise: &'a Promise,
    pub outcome: Outcome,
}

#[derive(Debug, Serialize)]
pub struct CustomerRecord {
    #[serde(flatten)]
    pub record: Record,
    /// On-time rate of the promises due in each of the last weeks, oldest first; null where none.
    pub weekly_on_time_rate: Vec<Option<f64>>,
}

/// What to report on.
pub struct Scope<'s> {
    /// Score only promises whose agreed deadline is at or after this.
    pub since: Option<Instant>,
    /// Only customers whose name contains this, after folding (`customer::key`).
    pub customer: Option<&'s str>,
}

pub fn build<'a>(
    promises: &'a [Promise],
    now: Instant,
    params: Params,
    scope: &Scope<'_>,
) -> Report<'a> {
    let mut keys = Keys::default();
    let wanted = scope.customer.map(customer::key);
    let promises: Vec<&Promise> = promises
        .iter()
        .filter(|p| {
            wanted
                .as_deref()
                .is_none_or(|w| keys.key(&p.customer).contains(w))
        })
        .collect();
    let day = TimeDelta::days(1);

    // Overdue is past the agreed deadline: a slip made after it does not end the lateness.
    let mut overdue: Vec<&Promise> = promises
        .iter()
        .copied()
        .filter(|p| p.is_open() && score::agreed_due(p) < now)
        .collect();
    overdue.sort_by_key(|p| score::agreed_due(p));
    let mut due_soon: Vec<&Promise> = promises
        .iter()
        .copied()
        .filter(|p| {
            p.is_open() && score::agreed_due(p) >= now && p.due >= now && p.due <= now + day
        })
        .collect();
    due_soon.sort_by_key(|p| p.due);
    let mut closed_recently: Vec<Closed<'_>> = promises
        .iter()
        .filter(|p| p.closed.is_some_and(|c| c <= now && c > now - day))
        .map(|p| Closed {
            promise: p,
            outcome: score::outcome(p, now, params.grace),
        })
        .collect();
    closed_recently.sort_by_key(|c| c.promise.closed);

    let scored_since = |p: &&Promise| {
        scope
            .since
            .is_none_or(|since| score::agreed_due(p) >= since)
    };
    // One customer however the name was typed, shown in its first spelling.
    let names = Names::of(promises.iter().copied());
    let mut by_customer: BTreeMap<String, Vec<&Promise>> = BTreeMap::new();
    for p in &promises {
        let key = keys.key(&p.customer);
        match by_customer.get_mut(key) {
            Some(all) => all.push(p),
            None => {
                by_customer.insert(key.to_string(), vec![p]);
            }
        }
    }
    let mut customers: Vec<CustomerRecord> = by_customer
        .into_values()
        .map(|all| {
            let name = names.shown(&all[0].customer).to_string();
            let scored: Vec<&Promise> = all.iter().copied().filter(scored_since).collect();
            let mut record = score::record(Some(name), &scored, now, params);
            record.open = all.iter().filter(|p| p.is_open()).count();
            CustomerRecord {
                record,
                weekly_on_time_rate: weekly(&scored, now, params),
            }
        })
        .collect();
    // Worst first; customers with nothing scored yet last.
    customers.sort_by(|a, b| {
        let key = |r: &Record| r.score.unwrap_or(i64::MAX);
        key(&a.record)
            .cmp(&key(&b.record))
            .then_with(|| a.record.customer.cmp(&b.record.customer))
    });

    let scored: Vec<&Promise> = promises.iter().copied().filter(scored_since).collect();
    let mut total = score::record(None, &scored, now, params);
    total.open = promises.iter().filter(|p| p.is_open()).count();

    Report {
        now,
        since: scope.since,
        overdue,
        due_soon,
        closed_recently,
        customers,
        total,
        names,
    }
}

/// On-time rate per week over the last `WEEKS` weeks, by agreed deadline.
fn weekly(promises: &[&Promise], now: Instant, params: Params) -> Vec<Option<f64>> {
    let week = TimeDelta::weeks(1);
    let start = now - week * WEEKS as i32;
    let mut buckets = [(0usize, 0usize); WEEKS];
    for j in promises
        .iter()
        .filter_map(|p| score::judge(p, now, params.grace))
    {
        if !j.outcome.is_scored() || j.agreed < start || j.agreed >= now {
            continue;
        }
        let k = ((j.agreed - start).num_seconds() / week.num_seconds()) as usize;
        let bucket = &mut buckets[k.min(WEEKS - 1)];
        bucket.1 += 1;
        bucket.0 += usize::from(j.outcome == Outcome::OnTime);
    }
    buckets
        .iter()
        .map(|&(on_time, all)| (all > 0).then(|| on_time as f64 / all as f64))
        .collect()
}
