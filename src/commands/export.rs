//! `promise export --ics`: the promises as a calendar, on stdout or replacing a file atomically
//! (a calendar app subscribed to the file never reads half of one).

use std::io::Write;
use std::path::{Path, PathBuf};

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
        Some(path) => write(&path, ics.as_bytes())
            .with_context(|| format!("could not write {}", path.display())),
    }
}

/// Replaces `path` atomically. A new file is readable by the user only, as it names customers
/// (like the store); an existing one keeps its mode, so a `chmod` for a web server sticks. A
/// symbolic link is followed, so a link into a served directory stays a link.
fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target: PathBuf = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    };
    let mut options = AtomicWriteFile::options();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&target)?;
    file.write_all(bytes)?;
    file.commit()
}
