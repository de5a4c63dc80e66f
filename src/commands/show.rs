use anyhow::Result;

use super::{standing, to_json};
use crate::cli::ShowArgs;
use crate::context::{Context, emit};
use crate::model::{IdError, find};
use crate::render;

pub fn run(args: ShowArgs, ctx: &Context) -> Result<()> {
    // Prefixes match among open promises first, the ones `list` shows.
    let open = ctx.store.read_open()?.promises;
    let promise = match find(&open, &args.id) {
        Ok(i) => open[i].clone(),
        Err(IdError::Unknown(_)) => {
            let all = ctx.store.read_all()?;
            all[find(&all, &args.id)?].clone()
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        return Ok(emit(&to_json(&promise))?);
    }
    Ok(emit(&render::details(
        &promise,
        &ctx.zone_of(&promise),
        &ctx.zone,
        &ctx.now,
        standing(&promise, ctx),
    ))?)
}
