//! `promise reopen`: undo a `done` or `cancel` made by mistake.

use anyhow::Result;

use super::{closed_error, optional, standing, to_json};
use crate::cli::ReopenArgs;
use crate::context::{Context, emit};
use crate::error::usage;
use crate::model::find;
use crate::render;

pub fn run(args: ReopenArgs, ctx: &Context) -> Result<()> {
    let mut tx = ctx.store.transaction()?;
    if let Ok(i) = find(&tx.open.promises, &args.id) {
        let p = &tx.open.promises[i];
        return Err(usage(format!(
            "promise {} ({}) is open already",
            p.id, p.what
        )));
    }
    let promise = tx
        .reopen(&args.id, ctx.now, optional("--reason", args.reason)?)
        .map_err(closed_error)?;
    tx.commit()?;

    if args.json {
        return Ok(emit(&to_json(&promise))?);
    }
    let zone = ctx.zone_of(&promise);
    let was = promise.reopened.last().expect("just reopened");
    Ok(emit(&format!(
        "Reopened: {} for {} (was {}{}), {}, due {}",
        promise.what,
        promise.customer,
        was.from.as_str(),
        was.closed
            .map(|c| format!(" on {}", render::short_time(&c, &zone, &ctx.now)))
            .unwrap_or_default(),
        standing(&promise, ctx).label(),
        render::deadline_in_words(&promise.due, &zone, &ctx.zone, &ctx.now),
    ))?)
}
