//! What became of a promise, measured against the deadline that was agreed (SPEC section 4).
//! Pure: `now` is an argument.

use chrono::TimeDelta;

use crate::model::{Instant, Promise, Status};

/// The deadline the customer agreed to. A slip recorded before the agreed deadline passed is a
/// renegotiation and moves it; a slip after does not, so lateness cannot be laundered.
pub fn agreed_due(p: &Promise) -> Instant {
    let mut agreed = p.first_due();
    for slip in &p.slips {
        if slip.at <= agreed {
            agreed = slip.to;
        }
    }
    if p.slips.is_empty() { p.due } else { agreed }
}

/// A promise's outcome as it stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Open, deadline not yet passed.
    Pending,
    /// Kept at or before the agreed deadline plus grace.
    OnTime,
    /// Kept after it.
    Late,
    /// Open past the agreed deadline, or cancelled after it.
    Broken,
    /// Cancelled before the agreed deadline: withdrawn by agreement, not scored.
    Withdrawn,
}

pub fn outcome(p: &Promise, now: Instant, grace: TimeDelta) -> Outcome {
    let agreed = agreed_due(p);
    match (p.status, p.closed) {
        (Status::Kept, Some(at)) if at <= agreed + grace => Outcome::OnTime,
        (Status::Kept, _) => Outcome::Late,
        (Status::Cancelled, Some(at)) if at <= agreed => Outcome::Withdrawn,
        (Status::Cancelled, _) => Outcome::Broken,
        (Status::Open, _) if now > agreed + grace => Outcome::Broken,
        (Status::Open, _) => Outcome::Pending,
    }
}
