use anyhow::Result;

use super::{not_open, optional, to_json};
use crate::cli::SlipArgs;
use crate::context::{Context, emit};
use crate::deadline;
use crate::error::usage;
use crate::model::{Slip, find};
use crate::render::text::clean;
use crate::score;

pub fn run(args: SlipArgs, ctx: &Context) -> Result<()> {
    let reason = optional("--reason", args.reason)?;
    let mut tx = ctx.store.transaction()?;
    let i = find(&tx.open.promises, &args.id).map_err(|e| not_open(ctx, &tx, &args.id, e))?;
    let clock = ctx.clock();
    let zone = clock.zone_of(&tx.open.promises[i]);
    let to = deadline::resolve(&args.due, ctx.now, &zone, &ctx.deadline_options()).map_err(
        |mut e| {
            // A new deadline must lie ahead; `slip` has no --allow-past to offer.
            if e.kind == deadline::Kind::Past {
                e.hint = Some("a deadline still ahead: a slip sets the new target".into());
            }
            e
        },
    )?;
    let p = &mut tx.open.promises[i];
    if to == p.due {
        return Err(usage(format!(
            "promise {} is already due {}",
            p.id,
            clock.at(&to, &zone)
        )));
    }
    let late = ctx.now > score::agreed_due(p);
    let from = p.due;
    p.original_due.get_or_insert(from);
    p.slips.push(Slip {
        at: ctx.now,
        from,
        to,
        reason,
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
        clean(&promise.what),
        clean(&promise.customer),
        clock.at(&from, &zone),
        clock.words(&to, &zone).replace('\n', "\n       ")
    );
    if late {
        out.push_str(&format!(
            "  The agreed deadline, {}, had already passed: the new one is a target, and the \
             promise stays overdue until kept.\n",
            clock.at(&score::agreed_due(&promise), &zone)
        ));
    }
    Ok(emit(&out)?)
}
