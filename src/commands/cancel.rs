use anyhow::Result;

use super::{check_close, not_open, optional, standing, to_json};
use crate::cli::CancelArgs;
use crate::context::{Context, emit};
use crate::model::{Status, find};
use crate::render::text::clean;

pub fn run(args: CancelArgs, ctx: &Context) -> Result<()> {
    let reason = optional("--reason", args.reason)?;
    let mut tx = ctx.store.transaction()?;
    let i = find(&tx.open.promises, &args.id).map_err(|e| not_open(ctx, &tx, &args.id, e))?;
    check_close(&tx.open.promises[i], ctx.now, ctx)?;
    let p = &mut tx.open.promises[i];
    p.status = Status::Cancelled;
    p.closed = Some(ctx.now);
    p.cancel_reason = reason;
    let promise = p.clone();
    tx.close(i);
    tx.commit()?;

    if args.json {
        return Ok(emit(&to_json(&promise))?);
    }
    Ok(emit(&format!(
        "Cancelled: {} for {} ({})",
        clean(&promise.what),
        clean(&promise.customer),
        standing(&promise, ctx).label()
    ))?)
}
