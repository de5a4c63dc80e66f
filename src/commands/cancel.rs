use anyhow::Result;

use super::{not_open, optional, standing, to_json};
use crate::cli::CancelArgs;
use crate::context::{Context, emit};
use crate::model::{Status, find};

pub fn run(args: CancelArgs, ctx: &Context) -> Result<()> {
    let mut tx = ctx.store.transaction()?;
    let i = find(&tx.open.promises, &args.id).map_err(|e| not_open(ctx, &args.id, e))?;
    let p = &mut tx.open.promises[i];
    p.status = Status::Cancelled;
    p.closed = Some(ctx.now);
    p.cancel_reason = optional(args.reason);
    let promise = p.clone();
    tx.close(i);
    tx.commit()?;

    if args.json {
        return Ok(emit(&to_json(&promise))?);
    }
    Ok(emit(&format!(
        "Cancelled: {} for {} ({})",
        promise.what,
        promise.customer,
        standing(&promise, ctx).label()
    ))?)
}
