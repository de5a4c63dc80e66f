use anyhow::Result;

use super::{optional, required, to_json};
use crate::cli::AddArgs;
use crate::context::{Context, emit};
use crate::deadline;
use crate::model::{Id, Promise, short_ids};
use crate::render;
use crate::sync::Identity;

pub fn run(args: AddArgs, ctx: &Context) -> Result<()> {
    let what = required("what you promised", &args.what)?;
    let customer = required("--to (the customer)", &args.customer)?;
    let zone = ctx.zone_arg(args.tz.as_deref())?;
    let options = deadline::Options {
        allow_past: args.allow_past,
        ..ctx.deadline_options()
    };
    let due = deadline::resolve(&args.due, ctx.now, &zone, &options)?;

    let mut tx = ctx.store.transaction()?;
    let id = loop {
        let id = Id::random()?;
        if tx.open.promises.iter().all(|p| p.id != id) {
            break id;
        }
    };
    let promise = Promise {
        contact: optional(args.contact),
        reference: optional(args.reference),
        tz: zone
            .name()
            .filter(|_| args.tz.is_some())
            .map(str::to_string),
        note: optional(args.note),
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
    Ok(emit(&format!(
        "Promised {}: {}\n  due  {}\n  id   {}\n",
        promise.customer,
        promise.what,
        render::deadline_in_words(&promise.due, &zone, &ctx.zone, &ctx.now),
        &promise.id.as_str()[..short]
    ))?)
}
