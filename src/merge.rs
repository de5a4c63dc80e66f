//! The three-way merge of one promise (SPEC section 7): what two machines made of a promise since
//! the version they last shared, made one. Pure: the store's files, git and the clock are
//! elsewhere (`store::sync`, `sync/`, the caller's `now`).
//!
//! Field by field, against the base:
//!
//! - changed on one side → that change; the same change on both → it;
//! - `slips`, `reopened` and `replaced` (the history) → the union in time order; `reminded` →
//!   the union of the stages recorded for the deadline that ends up in force (a stage recorded
//!   for a deadline that a slip on the other machine replaced is about nothing any more, and
//!   keeping it would silence the new deadline's reminder);
//! - `due` → the last slip's `to` when both sides slipped (or both changed it);
//! - the close (`status`, `closed`, `cancel_reason`) → closed beats open; kept beats cancelled;
//!   of two closes with one status, the first; the close that lost goes into `replaced`;
//! - any other field changed differently on both sides → the side whose commit is newer, and
//!   the other value goes into `replaced`, so nothing anyone typed is lost;
//! - added on either side → kept; deleted on one side and changed on the other → kept;
//!   deleted on one side and untouched on the other → deleted.
//!
//! The result never depends on anything but its inputs, so a merge made on either machine of
//! the same three versions says the same.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Id, Instant, Promise, Replaced, Status, rfc3339};

/// One of the two versions being merged. Ours is this machine's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Ours,
    Theirs,
}

/// What decides what the fields cannot.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// The side whose commit is newer: its value wins where both sides changed a field.
    pub newer: Side,
    /// When the merge runs: the time of the history entries it writes.
    pub at: Instant,
}

/// A field both sides changed to different values: the value that stayed, and the one that went
/// into the promise's history (`replaced`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub id: Id,
    /// The promise's `what` after the merge, to name it to a person.
    pub what: String,
    pub field: String,
    /// The side whose value stayed.
    pub winner: Side,
    pub kept: Option<String>,
    pub replaced: Option<String>,
}

/// The merge of one promise: the base (the version both sides last shared, if it existed then)
/// and each side's version (None: not there, never made or deleted). None: the promise is gone.
pub fn merge(
    base: Option<&Promise>,
    ours: Option<&Promise>,
    theirs: Option<&Promise>,
    rules: &Rules,
) -> (Option<Promise>, Vec<Conflict>) {
    match (ours, theirs) {
        (None, None) => (None, Vec::new()),
        (Some(one), None) | (None, Some(one)) => {
            // Deleted on the other side: gone, unless this side changed it since.
            let deleted = base.is_some_and(|b| same_but_reminders(b, one));
            ((!deleted).then(|| one.clone()), Vec::new())
        }
        (Some(o), Some(t)) if o == t => (Some(o.clone()), Vec::new()),
        (Some(o), Some(t)) => {
            let (p, conflicts) = both(base, o, t, rules);
            (Some(p), conflicts)
        }
    }
}

/// Whether `a` and `b` differ at most in the reminders recorded: a reminder sent is no reason
/// to bring back a promise someone deleted.
fn same_but_reminders(a: &Promise, b: &Promise) -> bool {
    a == b
        || Promise {
            reminded: Vec::new(),
            ..a.clone()
        } == Promise {
            reminded: Vec::new(),
            ..b.clone()
        }
}

/// The outcome of one field: agreed (or changed on one side), or changed differently on both.
enum Pick<T> {
    Agreed(T),
    Both,
}

fn pick<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> Pick<T> {
    if ours == theirs || base == Some(theirs) {
        Pick::Agreed(ours.clone())
    } else if base == Some(ours) {
        Pick::Agreed(theirs.clone())
    } else {
        Pick::Both
    }
}

/// Collects the conflicts of one promise and its history entries while its fields are merged.
struct Merger<'a> {
    rules: &'a Rules,
    conflicts: Vec<Conflict>,
    replaced: Vec<Replaced>,
}

impl Merger<'_> {
    /// A field both sides changed: the newer side's value, the other one noted.
    fn newer<T: Clone>(
        &mut self,
        field: &str,
        ours: &T,
        theirs: &T,
        show: impl Fn(&T) -> Option<String>,
    ) -> T {
        let kept = by_side(self.rules.newer, ours, theirs);
        let lost = by_side(other(self.rules.newer), ours, theirs);
        self.note(field, self.rules.newer, show(kept), show(lost), None, None);
        kept.clone()
    }

    fn note(
        &mut self,
        field: &str,
        winner: Side,
        kept: Option<String>,
        lost: Option<String>,
        closed: Option<Instant>,
        cancel_reason: Option<String>,
    ) {
        self.replaced.push(Replaced {
            at: self.rules.at,
            field: field.to_string(),
            value: lost.clone(),
            closed,
            cancel_reason,
            extra: toml::Table::new(),
        });
        self.conflicts.push(Conflict {
            id: Id(String::new()),
            what: String::new(),
            field: field.to_string(),
            winner,
            kept,
            replaced: lost,
        });
    }

    fn text(
        &mut self,
        field: &str,
        base: Option<&String>,
        ours: &String,
        theirs: &String,
    ) -> String {
        match pick(base, ours, theirs) {
            Pick::Agreed(v) => v,
            Pick::Both => self.newer(field, ours, theirs, |v| Some(v.clone())),
        }
    }

    fn optional(
        &mut self,
        field: &str,
        base: Option<&Option<String>>,
        ours: &Option<String>,
        theirs: &Option<String>,
    ) -> Option<String> {
        match pick(base, ours, theirs) {
            Pick::Agreed(v) => v,
            Pick::Both => self.newer(field, ours, theirs, Clone::clone),
        }
    }

    fn instant(
        &mut self,
        field: &str,
        base: Option<&Instant>,
        ours: &Instant,
        theirs: &Instant,
    ) -> Instant {
        match pick(base, ours, theirs) {
            Pick::Agreed(v) => v,
            Pick::Both => self.newer(field, ours, theirs, |t| Some(rfc3339::format(t))),
        }
    }
}

fn both(
    base: Option<&Promise>,
    o: &Promise,
    t: &Promise,
    rules: &Rules,
) -> (Promise, Vec<Conflict>) {
    let mut m = Merger {
        rules,
        conflicts: Vec::new(),
        replaced: Vec::new(),
    };
    let b = base;
    let customer = m.text("customer", b.map(|b| &b.customer), &o.customer, &t.customer);
    let what = m.text("what", b.map(|b| &b.what), &o.what, &t.what);
    let made = m.instant("made", b.map(|b| &b.made), &o.made, &t.made);
    let contact = m.optional("contact", b.map(|b| &b.contact), &o.contact, &t.contact);
    let reference = m.optional("ref", b.map(|b| &b.reference), &o.reference, &t.reference);
    let tz = m.optional("tz", b.map(|b| &b.tz), &o.tz, &t.tz);
    let note = m.optional("note", b.map(|b| &b.note), &o.note, &t.note);
    let by = m.optional("by", b.map(|b| &b.by), &o.by, &t.by);

    let slips = union(
        b.map(|b| b.slips.as_slice()),
        &o.slips,
        &t.slips,
        |s| (s.at, s.from, s.to),
        rules.newer,
    );
    let due = match pick(b.map(|b| &b.due), &o.due, &t.due) {
        Pick::Agreed(due) if slips == o.slips || slips == t.slips => due,
        _ => match slips.last() {
            Some(last) => last.to,
            None => m.instant("due", None, &o.due, &t.due),
        },
    };
    let original_due = match pick(b.map(|b| &b.original_due), &o.original_due, &t.original_due) {
        Pick::Agreed(v) => v,
        Pick::Both => slips.first().map(|s| s.from).or(*by_side(
            rules.newer,
            &o.original_due,
            &t.original_due,
        )),
    };

    let (status, closed, cancel_reason) = close(&mut m, b, o, t);

    let reminded = reminders(o, t, due);
    let reopened = union(
        b.map(|b| b.reopened.as_slice()),
        &o.reopened,
        &t.reopened,
        |r| (r.at, r.from.as_str(), r.closed),
        rules.newer,
    );
    let extra = extra(&mut m, b.map(|b| &b.extra), &o.extra, &t.extra);
    let mut replaced = union(
        b.map(|b| b.replaced.as_slice()),
        &o.replaced,
        &t.replaced,
        replaced_key,
        rules.newer,
    );
    for r in std::mem::take(&mut m.replaced) {
        if !replaced.contains(&r) {
            replaced.push(r);
        }
    }
    replaced.sort_by_key(replaced_key);

    let promise = Promise {
        id: o.id.clone(),
        customer,
        what,
        made,
        due,
        status,
        contact,
        reference,
        tz,
        note,
        by,
        closed,
        cancel_reason,
        original_due,
        slips,
        reminded,
        reopened,
        replaced,
        extra,
    };
    let conflicts = m
        .conflicts
        .into_iter()
        .map(|c| Conflict {
            id: promise.id.clone(),
            what: promise.what.clone(),
            ..c
        })
        .collect();
    (promise, conflicts)
}

fn other(side: Side) -> Side {
    match side {
        Side::Ours => Side::Theirs,
        Side::Theirs => Side::Ours,
    }
}

fn replaced_key(r: &Replaced) -> (Instant, String, Option<String>, Option<Instant>) {
    (r.at, r.field.clone(), r.value.clone(), r.closed)
}

fn by_side<'a, T>(side: Side, ours: &'a T, theirs: &'a T) -> &'a T {
    match side {
        Side::Ours => ours,
        Side::Theirs => theirs,
    }
}

type Close = (Status, Option<Instant>, Option<String>);

/// The close: closed beats open, kept beats cancelled, the first close beats a later one.
fn close(m: &mut Merger<'_>, b: Option<&Promise>, o: &Promise, t: &Promise) -> Close {
    let of = |p: &Promise| -> Close { (p.status, p.closed, p.cancel_reason.clone()) };
    let (ours, theirs) = (of(o), of(t));
    if let Pick::Agreed(c) = pick(b.map(of).as_ref(), &ours, &theirs) {
        return c;
    }
    // Closed first, kept before cancelled, then the earlier close; the newer side breaks a tie.
    let rank = |c: &Close| match c.0 {
        Status::Kept => 0,
        Status::Cancelled => 1,
        Status::Open => 2,
    };
    let order = rank(&ours)
        .cmp(&rank(&theirs))
        .then_with(|| match (ours.1, theirs.1) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    let winner = match order {
        std::cmp::Ordering::Less => Side::Ours,
        std::cmp::Ordering::Greater => Side::Theirs,
        std::cmp::Ordering::Equal => m.rules.newer,
    };
    let (kept, lost) = match winner {
        Side::Ours => (ours, theirs),
        Side::Theirs => (theirs, ours),
    };
    // An open promise that lost to a close leaves no trace: its reopening, if it was one, is in
    // `reopened` already.
    if lost.0 != Status::Open {
        m.note(
            "status",
            winner,
            Some(describe_close(&kept)),
            Some(lost.0.as_str().to_string()),
            lost.1,
            lost.2.clone(),
        );
        if let Some(c) = m.conflicts.last_mut() {
            c.replaced = Some(describe_close(&lost));
        }
    }
    kept
}

fn describe_close(c: &Close) -> String {
    match c.1 {
        Some(at) => format!("{} {}", c.0.as_str(), rfc3339::format(&at)),
        None => c.0.as_str().to_string(),
    }
}

/// The reminders recorded for the deadline in force (`due`), from both sides: one side's list
/// as it is when it has them all, else all of them in stage order.
fn reminders(o: &Promise, t: &Promise, due: Instant) -> Vec<String> {
    let valid = |p: &Promise| {
        if p.due == due {
            p.reminded.clone()
        } else {
            Vec::new()
        }
    };
    let (ours, theirs) = (valid(o), valid(t));
    let mut all: Vec<String> = ours.clone();
    for s in &theirs {
        if !all.contains(s) {
            all.push(s.clone());
        }
    }
    let has_all = |list: &[String]| list.len() == all.len();
    match (has_all(&ours), has_all(&theirs)) {
        (true, false) => return ours,
        (false, true) => return theirs,
        (true, true) if ours == theirs => return ours,
        _ => {}
    }
    all.sort_by(|a, b| stage_rank(a).cmp(&stage_rank(b)).then_with(|| a.cmp(b)));
    all
}

/// Stages in the order they come: `before-1d`, `before-2h`, `before-15m`, `due`, `overdue-1`,
/// `overdue-2`; anything else after them, in the order found.
fn stage_rank(stage: &str) -> (u8, i64) {
    if let Some(lead) = stage.strip_prefix("before-") {
        return match minutes(lead) {
            Some(m) => (0, -m),
            None => (3, 0),
        };
    }
    if stage == "due" {
        return (1, 0);
    }
    match stage.strip_prefix("overdue-").and_then(|n| n.parse().ok()) {
        Some(n) => (2, n),
        None => (3, 0),
    }
}

/// "1d3h" → 1620; the compact lengths reminder stages are named with.
fn minutes(text: &str) -> Option<i64> {
    let mut total = 0i64;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        total += n * match c {
            'd' => 24 * 60,
            'h' => 60,
            'm' => 1,
            _ => return None,
        };
    }
    number.is_empty().then_some(total)
}

/// The union of two histories, each entry once (by `key`, which also orders them: time
/// first). An entry both sides have but changed differently (a reason edited by hand) is merged
/// like a field.
fn union<T, K>(
    base: Option<&[T]>,
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
    newer: Side,
) -> Vec<T>
where
    T: Clone + PartialEq,
    K: Ord,
{
    let mut out: Vec<T> = ours.to_vec();
    for entry in theirs {
        match out.iter().position(|e| key(e) == key(entry)) {
            Some(i) if out[i] != *entry => {
                let before = base.and_then(|b| b.iter().find(|e| key(e) == key(entry)));
                let take_theirs = match before {
                    Some(b) if *b == out[i] => true,
                    Some(b) if b == entry => false,
                    _ => newer == Side::Theirs,
                };
                if take_theirs {
                    out[i] = entry.clone();
                }
            }
            Some(_) => {}
            None => out.push(entry.clone()),
        }
    }
    out.sort_by_key(|e| key(e));
    out
}

/// Fields this version does not know, key by key.
fn extra(
    m: &mut Merger<'_>,
    base: Option<&toml::Table>,
    ours: &toml::Table,
    theirs: &toml::Table,
) -> toml::Table {
    let mut out = toml::Table::new();
    let keys: std::collections::BTreeSet<&String> = ours.keys().chain(theirs.keys()).collect();
    for key in keys {
        let (o, t) = (ours.get(key), theirs.get(key));
        let b = base.map(|b| b.get(key));
        let value = match b {
            Some(b) => match pick(Some(&b), &o, &t) {
                Pick::Agreed(v) => v.cloned(),
                Pick::Both => m.newer(key, &o, &t, |v| v.map(|v| v.to_string())).cloned(),
            },
            // No base: both sides added it; the same value or the newer one.
            None if o == t => o.cloned(),
            None => match (o, t) {
                (Some(_), None) => o.cloned(),
                (None, Some(_)) => t.cloned(),
                _ => m.newer(key, &o, &t, |v| v.map(|v| v.to_string())).cloned(),
            },
        };
        if let Some(v) = value {
            out.insert(key.clone(), v);
        }
    }
    out
}

/// What a change to the store brought: counts by kind, for "3 new, 1 slipped, 1 kept".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub new: usize,
    pub slipped: usize,
    pub kept: usize,
    pub cancelled: usize,
    pub reopened: usize,
    pub edited: usize,
    pub removed: usize,
}

impl Changes {
    /// The changes from `before` to `after`, promise by promise. Reminders recorded are not
    /// worth a word (they change every few minutes and say nothing new about a promise), nor
    /// is a value a merge replaced (that is told on its own).
    pub fn between(before: &BTreeMap<Id, Promise>, after: &BTreeMap<Id, Promise>) -> Changes {
        let mut c = Changes::default();
        for (id, p) in after {
            let Some(was) = before.get(id) else {
                c.new += 1;
                continue;
            };
            let quiet = Promise {
                replaced: was.replaced.clone(),
                ..p.clone()
            };
            if same_but_reminders(was, &quiet) {
                continue;
            }
            match (was.status, p.status) {
                (a, Status::Kept) if a != Status::Kept => c.kept += 1,
                (a, Status::Cancelled) if a != Status::Cancelled => c.cancelled += 1,
                (a, Status::Open) if a != Status::Open => c.reopened += 1,
                _ if p.slips.len() > was.slips.len() => c.slipped += 1,
                _ => c.edited += 1,
            }
        }
        c.removed = before.keys().filter(|id| !after.contains_key(*id)).count();
        c
    }

    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// "3 new, 1 slipped, 1 kept"; "nothing" when empty.
    pub fn words(&self) -> String {
        let parts: Vec<String> = [
            (self.new, "new"),
            (self.slipped, "slipped"),
            (self.kept, "kept"),
            (self.cancelled, "cancelled"),
            (self.reopened, "reopened"),
            (self.edited, "edited"),
            (self.removed, "removed"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}"))
        .collect();
        if parts.is_empty() {
            "nothing".to_string()
        } else {
            parts.join(", ")
        }
    }
}

#[cfg(test)]
mod tests;
