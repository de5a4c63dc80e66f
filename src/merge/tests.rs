use proptest::prelude::*;

use super::*;
use crate::model::{Reopening, Slip};

fn at(s: &str) -> Instant {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

const NOW: &str = "2026-11-25T12:00:00+02:00";

fn rules(newer: Side) -> Rules {
    Rules { newer, at: at(NOW) }
}

fn base() -> Promise {
    Promise::new(
        Id("abcdefghjk".into()),
        "Acme Oy".into(),
        "Send revised proposal".into(),
        at("2026-11-23T10:30:00+02:00"),
        at("2026-11-27T16:00:00+02:00"),
    )
}

fn slip(p: &mut Promise, when: &str, to: &str) {
    let to = at(to);
    p.original_due.get_or_insert(p.due);
    p.slips.push(Slip {
        at: at(when),
        from: p.due,
        to,
        reason: None,
        extra: toml::Table::new(),
    });
    p.due = to;
    p.reminded.clear();
}

fn close(p: &mut Promise, status: Status, when: &str) {
    p.status = status;
    p.closed = Some(at(when));
}

fn merged(
    b: Option<&Promise>,
    o: Option<&Promise>,
    t: Option<&Promise>,
    newer: Side,
) -> (Option<Promise>, Vec<Conflict>) {
    merge(b, o, t, &rules(newer))
}

#[test]
fn added_on_either_side_is_kept() {
    let p = base();
    assert_eq!(merged(None, Some(&p), None, Side::Ours).0, Some(p.clone()));
    assert_eq!(merged(None, None, Some(&p), Side::Ours).0, Some(p));
}

#[test]
fn a_change_on_one_side_is_taken() {
    let b = base();
    let mut t = b.clone();
    t.contact = Some("Liisa".into());
    let (p, conflicts) = merged(Some(&b), Some(&b), Some(&t), Side::Ours);
    assert_eq!(p, Some(t));
    assert!(conflicts.is_empty());
}

#[test]
fn different_fields_changed_on_each_side_are_both_taken() {
    let b = base();
    let mut o = b.clone();
    o.what = "Send the revised proposal".into();
    let mut t = b.clone();
    t.note = Some("call first".into());
    t.reference = Some("RFQ-118".into());
    let (p, conflicts) = merged(Some(&b), Some(&o), Some(&t), Side::Theirs);
    let p = p.unwrap();
    assert_eq!(p.what, "Send the revised proposal");
    assert_eq!(p.note.as_deref(), Some("call first"));
    assert_eq!(p.reference.as_deref(), Some("RFQ-118"));
    assert!(conflicts.is_empty() && p.replaced.is_empty());
}

#[test]
fn the_same_text_field_changed_on_both_sides_goes_to_the_newer_and_the_other_into_history() {
    let b = base();
    let mut o = b.clone();
    o.what = "Ours".into();
    let mut t = b.clone();
    t.what = "Theirs".into();
    for (newer, kept, lost) in [
        (Side::Ours, "Ours", "Theirs"),
        (Side::Theirs, "Theirs", "Ours"),
    ] {
        let (p, conflicts) = merged(Some(&b), Some(&o), Some(&t), newer);
        let p = p.unwrap();
        assert_eq!(p.what, kept);
        assert_eq!(p.replaced.len(), 1);
        assert_eq!(p.replaced[0].field, "what");
        assert_eq!(p.replaced[0].value.as_deref(), Some(lost));
        assert_eq!(p.replaced[0].at, at(NOW));
        assert_eq!(
            conflicts,
            [Conflict {
                id: b.id.clone(),
                what: kept.into(),
                field: "what".into(),
                winner: newer,
                kept: Some(kept.into()),
                replaced: Some(lost.into()),
            }]
        );
    }
}

#[test]
fn an_optional_field_cleared_on_one_side_and_changed_on_the_other_keeps_the_unset_in_history() {
    let mut b = base();
    b.note = Some("first".into());
    let mut o = b.clone();
    o.note = None;
    let mut t = b.clone();
    t.note = Some("second".into());
    let p = merged(Some(&b), Some(&o), Some(&t), Side::Theirs)
        .0
        .unwrap();
    assert_eq!(p.note.as_deref(), Some("second"));
    assert_eq!(p.replaced[0].field, "note");
    assert_eq!(p.replaced[0].value, None);
}

#[test]
fn slips_from_both_sides_are_united_in_time_order_and_the_last_one_is_due() {
    let b = base();
    let mut o = b.clone();
    slip(
        &mut o,
        "2026-11-24T09:00:00+02:00",
        "2026-11-30T12:00:00+02:00",
    );
    let mut t = b.clone();
    slip(
        &mut t,
        "2026-11-24T08:00:00+02:00",
        "2026-12-01T12:00:00+02:00",
    );
    slip(
        &mut t,
        "2026-11-25T08:00:00+02:00",
        "2026-12-02T12:00:00+02:00",
    );
    for newer in [Side::Ours, Side::Theirs] {
        let (p, conflicts) = merged(Some(&b), Some(&o), Some(&t), newer);
        let p = p.unwrap();
        let times: Vec<String> = p.slips.iter().map(|s| rfc3339::format(&s.at)).collect();
        assert_eq!(
            times,
            [
                "2026-11-24T08:00:00+02:00",
                "2026-11-24T09:00:00+02:00",
                "2026-11-25T08:00:00+02:00"
            ]
        );
        assert_eq!(p.due, at("2026-12-02T12:00:00+02:00"));
        assert_eq!(p.original_due, Some(b.due));
        assert!(conflicts.is_empty(), "{conflicts:?}");
    }
}

#[test]
fn a_slip_on_one_side_and_an_edit_on_the_other_are_both_kept() {
    let b = base();
    let mut o = b.clone();
    slip(
        &mut o,
        "2026-11-24T09:00:00+02:00",
        "2026-11-30T12:00:00+02:00",
    );
    let mut t = b.clone();
    t.what = "Proposal v2".into();
    let p = merged(Some(&b), Some(&o), Some(&t), Side::Theirs)
        .0
        .unwrap();
    assert_eq!(p.due, at("2026-11-30T12:00:00+02:00"));
    assert_eq!(p.slips.len(), 1);
    assert_eq!(p.what, "Proposal v2");
}

#[test]
fn closed_beats_open_whatever_side_is_newer() {
    let b = base();
    let mut o = b.clone();
    close(&mut o, Status::Kept, "2026-11-24T10:00:00+02:00");
    let mut t = b.clone();
    slip(
        &mut t,
        "2026-11-24T09:00:00+02:00",
        "2026-11-30T12:00:00+02:00",
    );
    for newer in [Side::Ours, Side::Theirs] {
        let (p, conflicts) = merged(Some(&b), Some(&o), Some(&t), newer);
        let p = p.unwrap();
        assert_eq!(p.status, Status::Kept);
        assert_eq!(p.closed, o.closed);
        assert_eq!(p.slips.len(), 1, "the slip made meanwhile is kept");
        assert!(conflicts.is_empty());
    }
}

#[test]
fn kept_beats_cancelled_and_the_cancel_goes_into_history() {
    let b = base();
    let mut o = b.clone();
    close(&mut o, Status::Cancelled, "2026-11-24T09:00:00+02:00");
    o.cancel_reason = Some("withdrawn".into());
    let mut t = b.clone();
    close(&mut t, Status::Kept, "2026-11-24T10:00:00+02:00");
    for newer in [Side::Ours, Side::Theirs] {
        let (p, conflicts) = merged(Some(&b), Some(&o), Some(&t), newer);
        let p = p.unwrap();
        assert_eq!((p.status, p.closed), (Status::Kept, t.closed));
        assert_eq!(p.cancel_reason, None);
        let r = &p.replaced[0];
        assert_eq!(r.field, "status");
        assert_eq!(r.value.as_deref(), Some("cancelled"));
        assert_eq!(r.closed, o.closed);
        assert_eq!(r.cancel_reason.as_deref(), Some("withdrawn"));
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].winner, Side::Theirs);
        assert_eq!(
            conflicts[0].replaced.as_deref(),
            Some("cancelled 2026-11-24T09:00:00+02:00")
        );
    }
}

#[test]
fn of_two_kept_closes_the_first_stays_and_the_later_is_noted() {
    let b = base();
    let mut o = b.clone();
    close(&mut o, Status::Kept, "2026-11-24T12:00:00+02:00");
    let mut t = b.clone();
    close(&mut t, Status::Kept, "2026-11-24T10:00:00+02:00");
    let p = merged(Some(&b), Some(&o), Some(&t), Side::Ours).0.unwrap();
    assert_eq!(p.closed, t.closed);
    assert_eq!(p.replaced[0].closed, o.closed);
}

#[test]
fn a_reopening_on_one_side_is_kept_and_a_close_on_the_other_wins_over_it() {
    let mut b = base();
    close(&mut b, Status::Kept, "2026-11-24T10:00:00+02:00");
    let mut o = b.clone();
    o.reopened.push(Reopening {
        at: at("2026-11-24T11:00:00+02:00"),
        from: Status::Kept,
        closed: b.closed,
        cancel_reason: None,
        reason: Some("by mistake".into()),
        extra: toml::Table::new(),
    });
    o.status = Status::Open;
    o.closed = None;
    // Reopened on one side only: open.
    let p = merged(Some(&b), Some(&o), Some(&b), Side::Theirs)
        .0
        .unwrap();
    assert_eq!(p.status, Status::Open);
    // Reopened on one side, cancelled after a reopening of its own on the other: closed.
    let mut t = o.clone();
    close(&mut t, Status::Cancelled, "2026-11-24T12:00:00+02:00");
    let p = merged(Some(&b), Some(&o), Some(&t), Side::Ours).0.unwrap();
    assert_eq!(p.status, Status::Cancelled);
    assert_eq!(p.reopened.len(), 1);
}

#[test]
fn deleted_on_one_side_and_changed_on_the_other_is_kept() {
    let b = base();
    let mut t = b.clone();
    t.note = Some("still wanted".into());
    assert_eq!(
        merged(Some(&b), None, Some(&t), Side::Ours).0,
        Some(t.clone())
    );
    assert_eq!(merged(Some(&b), Some(&t), None, Side::Ours).0, Some(t));
}

#[test]
fn deleted_on_one_side_and_untouched_or_only_reminded_on_the_other_is_gone() {
    let b = base();
    assert_eq!(merged(Some(&b), None, Some(&b), Side::Ours).0, None);
    let mut t = b.clone();
    t.reminded.push("before-1d".into());
    assert_eq!(merged(Some(&b), Some(&t), None, Side::Ours).0, None);
}

#[test]
fn reminders_are_united_for_the_deadline_in_force_only() {
    let b = base();
    let mut o = b.clone();
    o.reminded = vec!["before-1d".into(), "due".into()];
    let mut t = b.clone();
    t.reminded = vec!["before-2h".into()];
    let p = merged(Some(&b), Some(&o), Some(&t), Side::Ours).0.unwrap();
    assert_eq!(p.reminded, ["before-1d", "before-2h", "due"]);
    // A slip on the other side: the reminders sent here were about the old deadline.
    let mut t = b.clone();
    slip(
        &mut t,
        "2026-11-24T08:00:00+02:00",
        "2026-12-01T12:00:00+02:00",
    );
    t.reminded = vec!["before-1d".into()];
    let mut o = b.clone();
    o.reminded = vec!["before-2h".into(), "due".into(), "overdue-1".into()];
    let p = merged(Some(&b), Some(&o), Some(&t), Side::Ours).0.unwrap();
    assert_eq!(p.reminded, ["before-1d"]);
}

#[test]
fn unknown_fields_merge_key_by_key() {
    let mut b = base();
    b.extra.insert("priority".into(), toml::Value::Integer(1));
    let mut o = b.clone();
    o.extra
        .insert("colour".into(), toml::Value::String("blue".into()));
    let mut t = b.clone();
    t.extra.insert("priority".into(), toml::Value::Integer(3));
    let p = merged(Some(&b), Some(&o), Some(&t), Side::Ours).0.unwrap();
    assert_eq!(p.extra.get("priority"), Some(&toml::Value::Integer(3)));
    assert_eq!(p.extra.get("colour").and_then(|v| v.as_str()), Some("blue"));
}

#[test]
fn stage_names_sort_in_the_order_they_come() {
    let mut stages = vec![
        "overdue-2",
        "due",
        "before-15m",
        "before-1d3h",
        "overdue-1",
        "before-2h",
        "odd",
    ];
    stages.sort_by_key(|s| stage_rank(s));
    assert_eq!(
        stages,
        [
            "before-1d3h",
            "before-2h",
            "before-15m",
            "due",
            "overdue-1",
            "overdue-2",
            "odd"
        ]
    );
}

#[test]
fn changes_are_counted_by_kind() {
    let b = base();
    let mut kept = b.clone();
    close(&mut kept, Status::Kept, "2026-11-24T10:00:00+02:00");
    let mut slipped = b.clone();
    slipped.id = Id("slipped000".into());
    let mut reminded = b.clone();
    reminded.id = Id("reminded00".into());
    let mut gone = b.clone();
    gone.id = Id("gone000000".into());
    let before: BTreeMap<Id, Promise> = [&b, &slipped, &reminded, &gone]
        .into_iter()
        .map(|p| (p.id.clone(), p.clone()))
        .collect();
    let mut new = b.clone();
    new.id = Id("new0000000".into());
    slip(
        &mut slipped,
        "2026-11-24T08:00:00+02:00",
        "2026-12-01T12:00:00+02:00",
    );
    let mut r = reminded.clone();
    r.reminded.push("due".into());
    let after: BTreeMap<Id, Promise> = [&kept, &slipped, &r, &new]
        .into_iter()
        .map(|p| (p.id.clone(), p.clone()))
        .collect();
    let c = Changes::between(&before, &after);
    assert_eq!(c.words(), "1 new, 1 slipped, 1 kept, 1 removed");
    assert_eq!(Changes::default().words(), "nothing");
}

// --- Properties: whichever machine merges, the same three versions give the same promise. ---

fn instant() -> impl Strategy<Value = Instant> {
    (0i64..40).prop_map(|h| at("2026-11-23T10:00:00+02:00") + chrono::TimeDelta::hours(h))
}

/// A version of the base promise after a few random edits, as one machine would make them.
fn edited(b: Promise) -> impl Strategy<Value = Promise> {
    (
        proptest::option::of(prop_oneof!["A", "B", "C"]),
        proptest::option::of(proptest::option::of(prop_oneof!["x", "y"])),
        proptest::collection::vec(instant(), 0..3),
        proptest::option::of((
            prop_oneof![Just(Status::Kept), Just(Status::Cancelled)],
            instant(),
        )),
        proptest::collection::vec(prop_oneof!["before-1d", "before-2h", "due"], 0..3),
        proptest::option::of(0i64..3),
    )
        .prop_map(move |(what, note, slips, closed, reminded, priority)| {
            let mut p = b.clone();
            if let Some(w) = what {
                p.what = w;
            }
            if let Some(n) = note {
                p.note = n;
            }
            for (i, when) in slips.into_iter().enumerate() {
                let to = p.due + chrono::TimeDelta::hours(i as i64 + 1);
                p.original_due.get_or_insert(p.due);
                p.slips.push(Slip {
                    at: when,
                    from: p.due,
                    to,
                    reason: None,
                    extra: toml::Table::new(),
                });
                p.due = to;
            }
            p.slips.sort_by_key(|s| s.at);
            if let Some((status, when)) = closed {
                p.status = status;
                p.closed = Some(when);
            }
            for r in reminded {
                if !p.reminded.contains(&r.to_string()) {
                    p.reminded.push(r.to_string());
                }
            }
            if let Some(n) = priority {
                p.extra.insert("priority".into(), toml::Value::Integer(n));
            }
            p
        })
}

proptest! {
    #[test]
    fn swapping_the_sides_gives_the_same_promise(o in edited(base()), t in edited(base()), newer_is_ours in any::<bool>()) {
        let b = base();
        let newer = if newer_is_ours { Side::Ours } else { Side::Theirs };
        let swapped = if newer_is_ours { Side::Theirs } else { Side::Ours };
        let (one, _) = merged(Some(&b), Some(&o), Some(&t), newer);
        let (two, _) = merged(Some(&b), Some(&t), Some(&o), swapped);
        prop_assert_eq!(one, two);
    }

    #[test]
    fn nothing_either_side_recorded_is_lost(o in edited(base()), t in edited(base()), newer_is_ours in any::<bool>()) {
        let b = base();
        let newer = if newer_is_ours { Side::Ours } else { Side::Theirs };
        let p = merged(Some(&b), Some(&o), Some(&t), newer).0.unwrap();
        for s in o.slips.iter().chain(&t.slips) {
            prop_assert!(p.slips.contains(s));
        }
        prop_assert!(p.slips.windows(2).all(|w| w[0].at <= w[1].at));
        if o.status != Status::Open || t.status != Status::Open {
            prop_assert_ne!(p.status, Status::Open);
        }
        // Every value either side typed is in the promise or in its history.
        for side in [&o, &t] {
            if side.what != b.what {
                prop_assert!(p.what == side.what || p.replaced.iter().any(|r| r.field == "what" && r.value.as_deref() == Some(side.what.as_str())));
            }
            if side.note != b.note {
                prop_assert!(p.note == side.note || p.replaced.iter().any(|r| r.field == "note" && r.value == side.note));
            }
        }
    }

    #[test]
    fn a_side_that_changed_nothing_gives_the_other(o in edited(base())) {
        let b = base();
        prop_assert_eq!(merged(Some(&b), Some(&o), Some(&b), Side::Theirs).0, Some(o.clone()));
        prop_assert_eq!(merged(Some(&b), Some(&b), Some(&o), Side::Ours).0, Some(o.clone()));
        prop_assert_eq!(merged(Some(&b), Some(&o), Some(&o), Side::Theirs).0, Some(o));
    }
}
