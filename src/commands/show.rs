use anyhow::Result;

use super::{standing, to_json};
use crate::cli::ShowArgs;
use crate::context::{Context, emit};
use crate::customer::{self, Names};
use crate::model::{IdError, Instant, find};
use crate::render;

pub fn run(args: ShowArgs, ctx: &Context) -> Result<()> {
    // Prefixes match among open promises first, the ones `list` shows; then among closed ones,
    // found through the archive's id index, reading only the file that has the promise. An
    // open promise that the archive also has closed (a crash, a pull by hand) is the archive's.
    let open = ctx.store.read_open()?.promises;
    let promise = match find(&open, &args.id) {
        Ok(i) => match ctx.store.find_closed(open[i].id.as_str())? {
            Ok((closed, _)) if closed.id == open[i].id => closed,
            _ => open[i].clone(),
        },
        Err(IdError::Unknown(_)) => ctx.store.find_closed(&args.id)?.map(|(p, _)| p)?,
        Err(e) => return Err(e.into()),
    };
    if args.json {
        return Ok(emit(&to_json(&promise))?);
    }
    Ok(emit(&render::details(
        &promise,
        names(ctx)?.shown(&promise.customer),
        &ctx.clock(),
        standing(&promise, ctx),
        ctx.width,
    ))?)
}

/// Each customer's first spelling (that of its earliest promise, the first of equals), over the
/// whole store: from the report's lean records and its derived index, each spelling folded once.
fn names(ctx: &Context) -> Result<Names> {
    let far = chrono::DateTime::<chrono::Utc>::MAX_UTC.fixed_offset();
    let history = ctx.store.read_for_report(far)?;
    let mut keys: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let key_of: Vec<usize> = history
        .customers
        .iter()
        .map(|name| {
            let n = keys.len();
            *keys.entry(customer::key(name)).or_insert(n)
        })
        .collect();
    let mut first: Vec<Option<(Instant, u32)>> = vec![None; keys.len()];
    for r in &history.records {
        let slot = &mut first[key_of[r.customer as usize]];
        if slot.is_none_or(|(made, _)| r.made < made) {
            *slot = Some((r.made, r.customer));
        }
    }
    let mut names = Names::default();
    for (made, name) in first.into_iter().flatten() {
        names.offer(&history.customers[name as usize], made);
    }
    Ok(names)
}
