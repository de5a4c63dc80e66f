//! `promise merge-driver %O %A %B %P`: git's merge driver for the store's files, for people who
//! `git pull` in the data directory themselves. The same rules as `promise sync`, one file at a
//! time: the result goes to %A, and the exit code is 0 (merged) or, for a file that does not
//! parse, 1, which git reports as a conflict with %A left as this side had it — never a
//! conflict marker. A promise that ends up both open and archived (closed on one side, changed
//! on the other) is then the archive's, by the store's integrity rule.

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::cli::MergeDriverArgs;
use crate::context;
use crate::merge::{Rules, Side};
use crate::store::sync::merge_file;
use crate::sync::git::Git;

pub fn run(args: MergeDriverArgs) -> Result<()> {
    let now = crate::zone::Zone::from_env().localise(&context::now()?);
    let read = |path: &Path| -> Result<String> {
        let bytes =
            std::fs::read(path).with_context(|| format!("could not read {}", path.display()))?;
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", path.display()))
    };
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let name = args.path.unwrap_or_else(|| args.ours.display().to_string());
    let rules = Rules {
        newer: newer_side(&Git::calling()),
        at: now,
    };
    let (text, conflicts) = merge_file(Path::new(&name), &base, &ours, &theirs, &rules)?;
    std::fs::write(&args.ours, text)
        .with_context(|| format!("could not write {}", args.ours.display()))?;
    for c in conflicts {
        eprintln!(
            "promise: {name}: {} of {} was changed on both sides; kept {:?} ({}), its other value is in the promise's history",
            c.field,
            c.id,
            c.kept.unwrap_or_default(),
            match c.winner {
                Side::Ours => "this side's",
                Side::Theirs => "the other side's",
            }
        );
    }
    Ok(())
}

/// The side whose commit is newer. git names the commits being merged in `GITHEAD_<id>`
/// variables (and `MERGE_HEAD` and the like); where it names none, this side.
fn newer_side(git: &Git) -> Side {
    let ours = git.run(&["rev-parse", "-q", "--verify", "HEAD"]).ok();
    let theirs = std::env::vars()
        .filter_map(|(k, _)| k.strip_prefix("GITHEAD_").map(str::to_string))
        .find(|id| Some(id) != ours.as_ref())
        .or_else(|| {
            ["MERGE_HEAD", "REBASE_HEAD", "CHERRY_PICK_HEAD"]
                .iter()
                .find_map(|r| git.run(&["rev-parse", "-q", "--verify", r]).ok())
        });
    let time = |commit: &str| -> Option<i64> {
        git.run(&["show", "-s", "--format=%ct", commit])
            .ok()?
            .trim()
            .parse()
            .ok()
    };
    match (
        ours.as_deref().and_then(time),
        theirs.as_deref().and_then(time),
    ) {
        (Some(o), Some(t)) if t > o => Side::Theirs,
        _ => Side::Ours,
    }
}
