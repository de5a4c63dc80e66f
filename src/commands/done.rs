use anyhow::Result;

use super::{not_open, optional, standing, to_json};
use crate::cli::DoneArgs;
use crate::context::{Context, emit};
use crate::deadline;
use crate::model::{Status, find};
use crate::render;

pub fn run(args: DoneArgs, ctx: &Context) -> Result<()> {
    let at = match &args.at {
        Some(phrase) => deadline::resolve(
            phrase,
            ctx.now,
            &ctx.zone,
            &deadline::Options::past(ctx.config.default_time),
        )?,
        None => ctx.now,
    };
    let mut tx = ctx.store.transaction()?;
    let i = find(&tx.open.promises, &args.id).map_err(|e| not_open(ctx, &args.id, e))?;
    let p = &mut tx.open.promises[i];
    p.status = Status::Kept;
    p.closed = Some(at);
    if let Some(note) = optional(args.note) {
        p.note = Some(match p.note.take() {
            Some(old) => format!("{old}\n{note}"),
            None => note,
        });
    }
    let promise = p.clone();
    tx.close(i);
    tx.commit()?;

    if args.json {
        return Ok(emit(&to_json(&promise))?);
    }
    let zone = ctx.zone_of(&promise);
    Ok(emit(&format!(
        "Kept: {} for {}, {} (due {}, delivered {})",
        promise.what,
        promise.customer,
        standing(&promise, ctx).label(),
        render::short_time(&promise.due, &zone, &ctx.now),
        render::short_time(&at, &zone, &ctx.now),
    ))?)
}
