//! `promise export --ics`: the promises as a calendar, on stdout or replacing a file atomically
//! (a calendar app subscribed to the file never reads half of one).

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::cli::ExportArgs;
use crate::context::{Context, emit};
use crate::render;

pub fn run(args: ExportArgs, ctx: &Context) -> Result<()> {
    let promises = if args.all {
        ctx.store.read_all()?
    } else {
        ctx.store
            .read_open()?
            .promises
            .into_iter()
            .filter(|p| p.is_open())
            .collect()
    };
    let ics = render::ics::calendar(&promises, &ctx.zone, &ctx.config.nag_lead);
    match args.output {
        None => Ok(emit(&ics)?),
        Some(path) => write(&path, ics.as_bytes())
            .with_context(|| format!("could not write {}", path.display())),
    }
}

/// Replaces `path` with the store's own write recipe (temp file, fsync, rename, fsync of the
/// directory): a calendar app subscribed to the file never reads half of one. A new file is
/// readable by the user only, as it names customers; an existing one keeps its mode, and a
/// symbolic link is followed and stays a link.
fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::store::replace_file(path, bytes, false)
}
