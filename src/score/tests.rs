//! The worked examples of SPEC section 4, exactly, and the edges around them.

use chrono::{DateTime, TimeDelta};

use super::*;
use crate::model::{Id, Slip, Status};

const NOW: &str = "2026-11-23T10:30:00+02:00";

fn t(s: &str) -> Instant {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn now() -> Instant {
    t(NOW)
}

fn params() -> Params {
    Params {
        grace: TimeDelta::zero(),
        half_life: TimeDelta::days(90),
    }
}

fn promise(due: Instant, status: Status, closed: Option<Instant>) -> Promise {
    Promise {
        status,
        closed,
        ..Promise::new(
            Id::random().unwrap(),
            "Acme Oy".into(),
            "x".into(),
            due - TimeDelta::days(7),
            due,
        )
    }
}

/// Kept `delta` after a deadline that was `ago` before now.
fn kept(ago: TimeDelta, delta: TimeDelta) -> Promise {
    let due = now() - ago;
    promise(due, Status::Kept, Some(due + delta))
}

fn on_time_today() -> Promise {
    kept(TimeDelta::zero(), -TimeDelta::hours(1))
}

/// Due a minute ago, kept now.
fn late_today() -> Promise {
    promise(now() - TimeDelta::minutes(1), Status::Kept, Some(now()))
}

/// The promise as it stood at `then`, built by copying and undoing what came later: an
/// independent reference for `judge`, which works this out without copying.
fn as_of(p: &Promise, then: Instant) -> Option<Promise> {
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

fn slip(p: &mut Promise, at: Instant, to: Instant) {
    let from = p.due;
    p.original_due.get_or_insert(from);
    p.slips.push(Slip {
        at,
        from,
        to,
        reason: None,
        extra: Default::default(),
    });
    p.due = to;
}

#[test]
fn worked_example_one_on_time_scores_67() {
    assert_eq!(score(&[on_time_today()], now(), params()), Some(67));
}

#[test]
fn worked_example_ten_on_time_scores_92() {
    let ps: Vec<Promise> = (0..10).map(|_| on_time_today()).collect();
    assert_eq!(score(&ps, now(), params()), Some(92));
}

#[test]
fn worked_example_nine_on_time_one_late_scores_83() {
    let mut ps: Vec<Promise> = (0..9).map(|_| on_time_today()).collect();
    ps.push(late_today());
    assert_eq!(score(&ps, now(), params()), Some(83));
}

#[test]
fn worked_example_old_success_and_new_lateness_scores_43() {
    let old = kept(TimeDelta::days(90), -TimeDelta::hours(1));
    assert_eq!(score(&[old, late_today()], now(), params()), Some(43));
}

#[test]
fn worked_example_three_on_time_and_one_overdue_scores_67() {
    let mut ps: Vec<Promise> = (0..3).map(|_| on_time_today()).collect();
    ps.push(promise(now() - TimeDelta::minutes(1), Status::Open, None));
    assert_eq!(score(&ps, now(), params()), Some(67));
}

#[test]
fn an_overdue_promise_left_open_counts_fully_every_day() {
    let ignored = promise(now() - TimeDelta::days(90), Status::Open, None);
    // One on time today and one open since 90 days: (1 + 1) / (1 + 1 + 2) = 50. Had its weight
    // decayed from the deadline, ignoring it would have raised the score to 57.
    assert_eq!(
        score(&[on_time_today(), ignored.clone()], now(), params()),
        Some(50)
    );
    // Kept today, 90 days late, it weighs as old as its deadline: (1 + 1) / (1 + 0.5 + 2) = 57.
    let mut kept_late = ignored;
    kept_late.status = Status::Kept;
    kept_late.closed = Some(now());
    assert_eq!(
        score(&[on_time_today(), kept_late], now(), params()),
        Some(57)
    );
}

#[test]
fn the_score_of_an_ignored_promise_never_rises_while_it_waits() {
    // With a decaying weight this pair went from 43 to 45 in 90 days and on towards 50.
    let ignored = promise(now() - TimeDelta::minutes(1), Status::Open, None);
    let ps = [kept(TimeDelta::days(90), -TimeDelta::hours(1)), ignored];
    let scores: Vec<i64> = (0..200)
        .step_by(20)
        .map(|d| score(&ps, now() + TimeDelta::days(d), params()).unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[1] <= w[0]), "{scores:?}");
}

#[test]
fn nothing_scored_means_no_score() {
    assert_eq!(score::<Promise>(&[], now(), params()), None);
    let pending = promise(now() + TimeDelta::hours(1), Status::Open, None);
    let withdrawn = promise(now() + TimeDelta::hours(1), Status::Cancelled, Some(now()));
    assert_eq!(score(&[pending, withdrawn], now(), params()), None);
    let r = record::<Promise>(Some("Acme Oy".into()), &[], now(), params());
    assert_eq!(
        (r.scored, r.score, r.on_time_rate_agreed, r.trend),
        (0, None, None, None)
    );
}

#[test]
fn delivery_exactly_at_the_deadline_is_on_time() {
    let p = kept(TimeDelta::hours(1), TimeDelta::zero());
    assert_eq!(outcome(&p, now(), params().grace), Outcome::OnTime);
    let p = kept(TimeDelta::hours(1), TimeDelta::seconds(1));
    assert_eq!(outcome(&p, now(), params().grace), Outcome::Late);
}

#[test]
fn grace_extends_on_time() {
    let p = kept(TimeDelta::hours(1), TimeDelta::minutes(10));
    let grace = Params {
        grace: TimeDelta::minutes(15),
        ..params()
    };
    assert_eq!(outcome(&p, now(), grace.grace), Outcome::OnTime);
    assert_eq!(outcome(&p, now(), TimeDelta::minutes(5)), Outcome::Late);
}

#[test]
fn a_slip_one_minute_before_the_deadline_moves_it_one_minute_after_does_not() {
    let due = now() - TimeDelta::days(2);
    let new_due = now() - TimeDelta::days(1);
    let delivered = new_due - TimeDelta::hours(1);

    let mut before = promise(due, Status::Kept, Some(delivered));
    slip(&mut before, due - TimeDelta::minutes(1), new_due);
    assert_eq!(agreed_due(&before), new_due);
    assert_eq!(outcome(&before, now(), TimeDelta::zero()), Outcome::OnTime);
    assert_eq!(
        outcome_as_first_promised(&before, now(), TimeDelta::zero()),
        Outcome::Late
    );

    let mut after = promise(due, Status::Kept, Some(delivered));
    slip(&mut after, due + TimeDelta::minutes(1), new_due);
    assert_eq!(agreed_due(&after), due);
    assert_eq!(outcome(&after, now(), TimeDelta::zero()), Outcome::Late);
}

#[test]
fn a_late_slip_cannot_be_laundered_by_a_second_one() {
    let due = now() - TimeDelta::days(3);
    let mut p = promise(due, Status::Kept, Some(now() - TimeDelta::hours(1)));
    slip(
        &mut p,
        due + TimeDelta::hours(1),
        now() - TimeDelta::days(1),
    );
    // In force, but never agreed: the second slip is before the second deadline, after the agreed one.
    slip(&mut p, now() - TimeDelta::days(2), now());
    assert_eq!(agreed_due(&p), due);
    assert_eq!(outcome(&p, now(), TimeDelta::zero()), Outcome::Late);
}

#[test]
fn cancelling_before_the_deadline_withdraws_after_it_breaks() {
    let due = now() - TimeDelta::hours(1);
    let early = promise(due, Status::Cancelled, Some(due - TimeDelta::minutes(1)));
    let late = promise(due, Status::Cancelled, Some(due + TimeDelta::minutes(1)));
    assert_eq!(
        outcome(&early, now(), TimeDelta::zero()),
        Outcome::Withdrawn
    );
    assert_eq!(outcome(&late, now(), TimeDelta::zero()), Outcome::Broken);
}

#[test]
fn an_open_promise_is_broken_from_the_moment_it_is_overdue() {
    let p = promise(now(), Status::Open, None);
    assert_eq!(outcome(&p, now(), TimeDelta::zero()), Outcome::Pending);
    assert_eq!(
        outcome(&p, now() + TimeDelta::seconds(1), TimeDelta::zero()),
        Outcome::Broken
    );
}

#[test]
fn record_counts_rates_and_lateness() {
    let mut slipped = kept(TimeDelta::days(1), -TimeDelta::hours(1));
    let agreed = slipped.due;
    slipped.due = agreed - TimeDelta::days(1);
    let made = slipped.made;
    slip(&mut slipped, made, agreed);
    let ps = [
        on_time_today(),
        slipped,
        kept(TimeDelta::days(2), TimeDelta::minutes(30)),
        kept(TimeDelta::days(3), TimeDelta::minutes(90)),
        promise(now() - TimeDelta::hours(1), Status::Open, None),
        promise(now() + TimeDelta::hours(1), Status::Open, None),
    ];
    let refs: Vec<&Promise> = ps.iter().collect();
    let r = record(Some("Acme Oy".into()), &refs, now(), params());
    assert_eq!(
        (r.scored, r.on_time, r.late, r.broken, r.open),
        (5, 2, 2, 1, 2)
    );
    assert_eq!(r.on_time_rate_agreed, Some(0.4));
    assert_eq!(r.on_time_rate_original, Some(0.2));
    assert_eq!(r.avg_lateness_minutes, Some(60.0));
}

#[test]
fn the_trend_compares_with_what_was_known_thirty_days_ago() {
    // 30+ days ago: two on time. Since then: two late. The score fell.
    let ps = [
        kept(TimeDelta::days(40), -TimeDelta::hours(1)),
        kept(TimeDelta::days(35), -TimeDelta::hours(1)),
        kept(TimeDelta::days(5), TimeDelta::hours(1)),
        kept(TimeDelta::days(2), TimeDelta::hours(1)),
    ];
    let refs: Vec<&Promise> = ps.iter().collect();
    let then = now() - TREND_WINDOW;
    let known_then: Vec<Promise> = ps.iter().filter_map(|p| as_of(p, then)).collect();
    assert_eq!(
        known_then.len(),
        2,
        "the recent promises were made after then"
    );
    let (s_now, s_then) = (
        score(&ps, now(), params()).unwrap(),
        score(&known_then, then, params()).unwrap(),
    );
    assert!(s_now < s_then);
    assert_eq!(trend(&refs, now(), params()), Some(s_now - s_then));
}

#[test]
fn as_of_undoes_later_closing_and_slips() {
    let due = now() - TimeDelta::days(10);
    let mut p = promise(due, Status::Kept, Some(now() - TimeDelta::days(1)));
    slip(&mut p, due - TimeDelta::days(1), now() - TimeDelta::days(2));
    let past = as_of(&p, due - TimeDelta::days(2)).unwrap();
    assert_eq!(past.status, Status::Open);
    assert_eq!(past.closed, None);
    assert!(past.slips.is_empty());
    assert_eq!(past.due, due);
    assert_eq!(past.original_due, None);
}

#[test]
fn a_delivery_after_now_is_not_known_yet() {
    let p = promise(
        now() + TimeDelta::hours(1),
        Status::Kept,
        Some(now() + TimeDelta::minutes(30)),
    );
    assert_eq!(outcome(&p, now(), TimeDelta::zero()), Outcome::Pending);
    assert_eq!(
        outcome(&p, now() + TimeDelta::hours(2), TimeDelta::zero()),
        Outcome::OnTime
    );
}

#[test]
fn judging_the_past_agrees_with_the_copied_past() {
    let due = now() - TimeDelta::days(10);
    let mut p = promise(due, Status::Kept, Some(now() - TimeDelta::days(1)));
    slip(&mut p, due - TimeDelta::days(1), now() - TimeDelta::days(2));
    for then in [
        due - TimeDelta::days(2),
        due,
        now() - TimeDelta::days(1),
        now(),
    ] {
        let judged = judge(&p, then, TimeDelta::zero()).unwrap();
        let copied = as_of(&p, then).unwrap();
        assert_eq!(
            judged.outcome,
            outcome(&copied, then, TimeDelta::zero()),
            "at {then}"
        );
        assert_eq!(judged.agreed, agreed_due(&copied), "at {then}");
    }
    assert!(judge(&p, p.made - TimeDelta::seconds(1), TimeDelta::zero()).is_none());
}
