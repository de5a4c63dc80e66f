use anyhow::Result;

use super::{not_open, optional, to_json};
use crate::cli::SlipArgs;
use crate::context::{Context, emit};
use crate::deadline;
use crate::error::usage;
use crate::model::{Slip, find};
use crate::render;

pub fn run(args: SlipArgs, ctx: &Context) -> Result<()> {
    let mut tx = ctx.store.transaction()?;
    let i = find(&tx.open.promises, &args.id).map_err(|e| not_open(ctx, &args.id, e))?;
    let zone = ctx.zone_of(&tx.open.promises[i]);
    let to = deadline::resolve(&args.due, ctx.now, &zone, &ctx.deadline_options())?;
    let p = &mut tx.open.promises[i];
    if to == p.due {
        return Err(usage(format!(
            "promise {} is already due {}",
            p.id,
            render::short_time(&to, &zone, &ctx.now)
        )));
    }
    let late = ctx.now > p.due;
    let from = p.due;
    p.original_due.get_or_insert(from);
    p.slips.push(Slip {
        at: ctx.now,
        from,
        to,
        reason: optional(args.reason),
        extra: toml::Table::new(),
    });
    p.due = to;
    // Reminders were about the old deadline; the new one gets its own.
    p.reminded.clear();
    let promise = p.clone();
    tx.commit()?;

    if args.json {
        return Ok(emit(&to_json(&promise))?);
    }
    let mut out = format!(
        "Slipped: {} for {}\n  was  {}\n  now  {}\n",
        promise.what,
        promise.customer,
        render::short_time(&from, &zone, &ctx.now),
        render::deadline_in_words(&to, &zone, &ctx.zone, &ctx.now)
    );
    if late {
        out.push_str("  The old deadline had already passed: this promise is scored against it.\n");
    }
    Ok(emit(&out)?)
}
