//! `promise export --ics`: the promises as a calendar, on stdout or replacing a file atomically
//! (a calendar app subscribed to the file never reads half of one).

use std::io::Write;

use anyhow::{Context as _, Result};
use atomic_write_file::AtomicWriteFile;

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
        Some(path) => {
            let write = || -> std::io::Result<()> {
                let mut file = AtomicWriteFile::options().open(&path)?;
                file.write_all(ics.as_bytes())?;
                file.commit()
            };
            write().with_context(|| format!("could not write {}", path.display()))
        }
    }
}
