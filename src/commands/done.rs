use anyhow::Result;

use super::{check_close, not_open, optional, standing, to_json};
use crate::cli::DoneArgs;
use crate::context::{Context, emit};
use crate::deadline;
use crate::model::{Status, find};
use crate::render::agreed_if_different;
use crate::render::text::clean;
use crate::score;

pub fn run(args: DoneArgs, ctx: &Context) -> Result<()> {
    let note = optional("--note", args.note)?;
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
    let i = find(&tx.open.promises, &args.id).map_err(|e| not_open(ctx, &tx, &args.id, e))?;
    check_close(&tx.open.promises[i], at, ctx)?;
    let p = &mut tx.open.promises[i];
    p.status = Status::Kept;
    p.closed = Some(at);
    if let Some(note) = note {
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
    let clock = ctx.clock();
    let zone = clock.zone_of(&promise);
    let mut out = format!(
        "Kept: {} for {}, {}\n",
        clean(&promise.what),
        clean(&promise.customer),
        standing(&promise, ctx).label(),
    );
    // Judged against the agreed deadline, which a slip made too late did not move.
    match agreed_if_different(&promise) {
        Some(agreed) => out.push_str(&format!(
            "  agreed     {}\n  target     {} (set after the agreed deadline had passed)\n",
            clock.at(&agreed, &zone),
            clock.at(&promise.due, &zone)
        )),
        None => out.push_str(&format!(
            "  due        {}\n",
            clock.at(&score::agreed_due(&promise), &zone)
        )),
    }
    out.push_str(&format!("  delivered  {}\n", clock.at(&at, &zone)));
    Ok(emit(&out)?)
}
