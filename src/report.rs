//! The daily report (SPEC section 4) as data: what needs attention now, and each customer's
//! record. Pure: built from promises and `now`; rendered by `render::report`.

use std::collections::HashMap;

use chrono::TimeDelta;
use serde::Serialize;

use crate::customer::{self, Names};
use crate::model::{Instant, Promise, Status};
use crate::score::{self, Outcome, Params, Tally};
use crate::store::{History, NONE, Record};

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
    pub total: score::Record,
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
    pub record: score::Record,
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

impl score::Facts for Record {
    fn made(&self) -> Instant {
        self.made
    }
    fn due(&self) -> Instant {
        self.due
    }
    fn first_due(&self) -> Instant {
        self.original_due.unwrap_or(self.due)
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
        self.slips.iter().map(|&(at, _, to)| (at, to))
    }
}

/// One customer's figures in the making.
#[derive(Default)]
struct Customer {
    tally: Tally,
    open: usize,
    weeks: [(usize, usize); WEEKS],
}

/// The report on `history` at `now`: of the promises `includes` keeps by their `by`, and of the
/// customers `scope` names. One pass over the history: each promise judged now and as it
/// stood `TREND_WINDOW` ago, once, for its customer's row and the total alike.
pub fn build<'a>(
    history: &'a History,
    now: Instant,
    params: Params,
    scope: &Scope<'_>,
    includes: &dyn Fn(Option<&str>) -> bool,
) -> Report<'a> {
    // Each spelling folded once, each customer numbered once.
    let mut key_numbers: HashMap<String, usize> = HashMap::new();
    let mut keys: Vec<String> = Vec::new();
    let key_of: Vec<usize> = history
        .customers
        .iter()
        .map(|name| {
            let key = customer::key(name);
            *key_numbers.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                keys.len() - 1
            })
        })
        .collect();
    let wanted = scope.customer.map(customer::key);
    let key_wanted: Vec<bool> = keys
        .iter()
        .map(|k| wanted.as_deref().is_none_or(|w| k.contains(w)))
        .collect();
    let by_wanted: Vec<bool> = history.bys.iter().map(|b| includes(Some(b))).collect();
    let no_by_wanted = includes(None);
    let selected = |r: &Record| {
        key_wanted[key_of[r.customer as usize]]
            && if r.by == NONE {
                no_by_wanted
            } else {
                by_wanted[r.by as usize]
            }
    };
    let day = TimeDelta::days(1);
    let then = now - score::TREND_WINDOW;
    let week = TimeDelta::weeks(1);
    let weeks_start = now - week * WEEKS as i32;

    let mut overdue: Vec<&Promise> = Vec::new();
    let mut due_soon: Vec<&Promise> = Vec::new();
    let mut closed_recently: Vec<Closed<'_>> = Vec::new();
    // Per customer: the spelling of its earliest promise (first spelling stored), its figures.
    let mut first: Vec<Option<(Instant, u32)>> = vec![None; keys.len()];
    let mut customers: Vec<Customer> = Vec::new();
    customers.resize_with(keys.len(), Customer::default);
    let mut total = Tally::default();
    let mut total_open = 0;
    for r in history.records.iter().filter(|r| selected(r)) {
        let k = key_of[r.customer as usize];
        match first[k] {
            Some((made, _)) if r.made >= made => {}
            _ => first[k] = Some((r.made, r.customer)),
        }
        let whole = history.whole_of(r);
        let agreed = score::agreed_due(r);
        if r.is_open() {
            customers[k].open += 1;
            total_open += 1;
            if let Some(p) = whole {
                // Overdue is past the agreed deadline: a slip made after it does not end the
                // lateness.
                if agreed < now {
                    overdue.push(p);
                } else if p.due >= now && p.due <= now + day {
                    due_soon.push(p);
                }
            }
        }
        if let Some(p) = whole
            && r.closed.is_some_and(|c| c <= now && c > now - day)
        {
            closed_recently.push(Closed {
                promise: p,
                outcome: score::outcome(r, now, params.grace),
            });
        }
        if scope.since.is_some_and(|since| agreed < since) {
            continue;
        }
        let past = score::judge(r, then, params.grace).and_then(|j| {
            score::weight(&j, then, params).map(|w| (w, j.outcome == Outcome::OnTime))
        });
        let customer = &mut customers[k];
        let Some(j) = score::judge(r, now, params.grace) else {
            if let Some(past) = past {
                customer.tally.add_past(past);
                total.add_past(past);
            }
            continue;
        };
        let w = score::weight(&j, now, params);
        customer.tally.add(&j, w, past);
        total.add(&j, w, past);
        if j.outcome.is_scored() && j.agreed >= weeks_start && j.agreed < now {
            let n = ((j.agreed - weeks_start).num_seconds() / week.num_seconds()) as usize;
            let bucket = &mut customer.weeks[n.min(WEEKS - 1)];
            bucket.1 += 1;
            bucket.0 += usize::from(j.outcome == Outcome::OnTime);
        }
    }
    overdue.sort_by_key(|p| score::agreed_due(*p));
    due_soon.sort_by_key(|p| p.due);
    closed_recently.sort_by_key(|c| c.promise.closed);

    let mut names = Names::default();
    for (made, name) in first.iter().flatten() {
        names.offer(&history.customers[*name as usize], *made);
    }
    // In the order of their folded names, as a sorted map gives them; then worst first.
    let mut order: Vec<usize> = (0..keys.len()).filter(|&k| first[k].is_some()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut customers: Vec<CustomerRecord> = order
        .into_iter()
        .map(|k| {
            let c = &customers[k];
            let name =
                first[k].map_or_else(String::new, |(_, n)| history.customers[n as usize].clone());
            CustomerRecord {
                record: c.tally.record(Some(name), c.open),
                weekly_on_time_rate: c
                    .weeks
                    .iter()
                    .map(|&(on_time, all)| (all > 0).then(|| on_time as f64 / all as f64))
                    .collect(),
            }
        })
        .collect();
    // Worst first; customers with nothing scored yet last.
    customers.sort_by(|a, b| {
        let key = |r: &score::Record| r.score.unwrap_or(i64::MAX);
        key(&a.record)
            .cmp(&key(&b.record))
            .then_with(|| a.record.customer.cmp(&b.record.customer))
    });

    Report {
        now,
        since: scope.since,
        overdue,
        due_soon,
        closed_recently,
        customers,
        total: total.record(None, total_open),
        names,
    }
}
