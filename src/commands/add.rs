use anyhow::Result;

use super::{optional, required, to_json};
use crate::cli::AddArgs;
use crate::context::{Context, emit};
use crate::customer::Names;
use crate::deadline;
use crate::model::{Id, Promise, short_ids};
use crate::render::text::clean;
use crate::sync::Identity;

pub fn run(args: AddArgs, ctx: &Context) -> Result<()> {
    // Present unless --from-email: clap requires them.
    let what = required(
        "what you promised",
        args.what.as_deref().unwrap_or_default(),
    )?;
    let typed = required(
        "--to (the customer)",
        args.customer.as_deref().unwrap_or_default(),
    )?;
    let contact = optional("--contact", args.contact)?;
    let reference = optional("--ref", args.reference)?;
    let note = optional("--note", args.note)?;
    let zone = ctx.zone_arg(args.tz.as_deref())?;
    let options = deadline::Options {
        allow_past: args.allow_past,
        ..ctx.deadline_options()
    };
    let due = deadline::resolve(
        args.due.as_deref().unwrap_or_default(),
        ctx.now,
        &zone,
        &options,
    )?;

    let mut tx = ctx.store.transaction()?;
    let id = loop {
        let id = Id::random()?;
        if tx.open.promises.iter().all(|p| p.id != id) {
            break id;
        }
    };
    // One customer however it is typed: a name that matches an open promise's customer is
    // stored in that spelling. (Only open.toml is read: `add` must not grow with history.)
    let customer = Names::of(&tx.open.promises)
        .known(&typed)
        .map_or_else(|| typed.clone(), str::to_string);
    let promise = Promise {
        contact,
        reference,
        tz: zone
            .name()
            .filter(|_| args.tz.is_some())
            .map(str::to_string),
        note,
        // In a shared store, who made it (SPEC 7).
        by: Identity::of(ctx.store.dir()).and_then(|i| i.me(ctx.config.me.as_deref())),
        ..Promise::new(id, customer, what, ctx.now, due)
    };
    tx.open.promises.push(promise.clone());
    let short = short_ids(tx.open.promises.iter().map(|p| &p.id))[promise.id.as_str()];
    tx.commit()?;

    if args.quiet {
        return Ok(emit(promise.id.as_str())?);
    }
    if args.json {
        return Ok(emit(&to_json(&promise))?);
    }
    let mut out = format!(
        "Promised {}: {}\n",
        clean(&promise.customer),
        clean(&promise.what)
    );
    if promise.customer != typed {
        out.push_str(&format!(
            "  (the customer you already have as \"{}\"; you typed \"{}\")\n",
            clean(&promise.customer),
            clean(&typed)
        ));
    }
    out.push_str(&format!(
        "  due  {}\n  id   {}\n",
        ctx.clock()
            .words(&promise.due, &zone)
            .replace('\n', "\n       "),
        &promise.id.as_str()[..short]
    ));
    Ok(emit(&out)?)
}
