//! `promise merge-driver %O %A %B %P`: git's merge driver for the store's files, for people who
//! `git pull` in the data directory themselves. The same rules as `promise sync`, one file at a
//! time: the result goes to %A, and the exit code is 0 (merged) or, for a file that does not
//! parse, 1, which git reports as a conflict with %A left as this side had it — never a
//! conflict marker. A promise closed on one side (moved to its archive) and changed on the
//! other stays in `open.toml`, closed, with both sides' changes; the next writer moves it (the
//! store's integrity rule).

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::cli::MergeDriverArgs;
use crate::context;
use crate::merge::{Rules, Side};
use crate::store::sync::{Closed, OPEN, Version, merge_file};
use crate::sync::Repo;

pub fn run(args: MergeDriverArgs) -> Result<()> {
    let zone = crate::zone::Zone::from_env().map_err(|e| crate::error::usage(e.to_string()))?;
    let now = zone.localise(&context::now()?);
    let read = |path: &Path| -> Result<String> {
        let bytes =
            std::fs::read(path).with_context(|| format!("could not read {}", path.display()))?;
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", path.display()))
    };
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let name = args.path.unwrap_or_else(|| args.ours.display().to_string());
    let repo = Repo::calling();
    let heads = heads(&repo);
    let closed = match &heads {
        Some((ours, theirs)) if Path::new(&name) == Path::new(OPEN) => {
            let (o, t) = (repo.read(Some(ours))?, repo.read(Some(theirs))?);
            Closed::of(
                Version {
                    name: "HEAD",
                    files: &o.store,
                },
                Version {
                    name: theirs,
                    files: &t.store,
                },
            )?
        }
        _ => Closed::default(),
    };
    let rules = Rules {
        newer: newer_side(&repo, heads.as_ref()),
        at: now,
    };
    let (text, conflicts) = merge_file(Path::new(&name), &base, &ours, &theirs, &closed, &rules)?;
    std::fs::write(&args.ours, text)
        .with_context(|| format!("could not write {}", args.ours.display()))?;
    for c in conflicts {
        eprintln!(
            "promise: {name}: {} of {} was changed on both sides; kept {:?} ({}), the other value \
             is in the promise's history",
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

/// The two commits being merged: HEAD, and the one git names in a `GITHEAD_<id>` variable (or
/// `MERGE_HEAD` and the like). None where git names none.
fn heads(repo: &Repo) -> Option<(String, String)> {
    let ours = repo.head().ok().flatten()?;
    let theirs = std::env::vars()
        .filter_map(|(k, _)| k.strip_prefix("GITHEAD_").map(str::to_string))
        .find(|id| *id != ours)
        .or_else(|| {
            ["MERGE_HEAD", "REBASE_HEAD", "CHERRY_PICK_HEAD"]
                .iter()
                .find_map(|r| repo.resolve(r).ok().flatten())
        })?;
    Some((ours, theirs))
}

/// The side whose commit is newer; this side where that cannot be told.
fn newer_side(repo: &Repo, heads: Option<&(String, String)>) -> Side {
    let Some((ours, theirs)) = heads else {
        return Side::Ours;
    };
    match (repo.commit_time(ours), repo.commit_time(theirs)) {
        (Ok(o), Ok(t)) if t > o => Side::Theirs,
        _ => Side::Ours,
    }
}
