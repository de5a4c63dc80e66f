use anyhow::Result;

use super::{standing, to_json};
use crate::cli::ShowArgs;
use crate::context::{Context, emit};
use crate::customer::Names;
use crate::model::{IdError, Promise, find};
use crate::render;

pub fn run(args: ShowArgs, ctx: &Context) -> Result<()> {
    // Read both files so that a promise caught between them (a crash while closing) shows as
    // its archive copy. Prefixes match among open promises first, the ones `list` shows.
    let all = ctx.store.read_all()?;
    let open: Vec<Promise> = all.iter().filter(|p| p.is_open()).cloned().collect();
    let promise = match find(&open, &args.id) {
        Ok(i) => open[i].clone(),
        Err(IdError::Unknown(_)) => all[find(&all, &args.id)?].clone(),
        Err(e) => return Err(e.into()),
    };
    if args.json {
        return Ok(emit(&to_json(&promise))?);
    }
    let names = Names::of(&all);
    Ok(emit(&render::details(
        &promise,
        names.shown(&promise.customer),
        &ctx.clock(),
        standing(&promise, ctx),
        ctx.width,
    ))?)
}
