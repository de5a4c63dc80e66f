//! One module per subcommand: load → pure logic → render → save.

pub mod add;
pub mod cancel;
pub mod completions;
pub mod done;
pub mod edit;
pub mod init;
pub mod list;
pub mod merge_driver;
pub mod nag;
pub mod prompt;
pub mod reopen;
pub mod report;
pub mod show;
pub mod slip;
pub mod sync;
pub mod when;

use anyhow::Result;

use crate::cli::Command;
use crate::context::Context;
use crate::error::usage;
use crate::model::{Promise, Status};
use crate::render::Standing;
use crate::score;

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Completions(args) => return completions::run(args),
        Command::Init(args) => return init::run(args),
        // The prompt must never fail, so it builds what it needs itself.
        Command::Prompt(args) => return prompt::run(args),
        // git runs it in a merge: it needs no store and no config.
        Command::MergeDriver(args) => return merge_driver::run(args),
        _ => {}
    }
    let ctx = Context::from_env()?;
    match command {
        Command::Add(args) => add::run(args, &ctx),
        Command::When(args) => when::run(args, &ctx),
        Command::List(args) => list::run(args, &ctx),
        Command::Show(args) => show::run(args, &ctx),
        Command::Done(args) => done::run(args, &ctx),
        Command::Slip(args) => slip::run(args, &ctx),
        Command::Cancel(args) => cancel::run(args, &ctx),
        Command::Edit(args) => edit::run(args, &ctx),
        Command::Reopen(args) => reopen::run(args, &ctx),
        Command::Report(args) => report::run(args, &ctx),
        Command::Nag(args) => nag::run(args, &ctx),
        Command::Sync(args) => sync::run(args, &ctx),
        Command::Completions(_)
        | Command::Init(_)
        | Command::Prompt(_)
        | Command::MergeDriver(_) => {
            unreachable!("handled above")
        }
    }
}

/// Where a promise stands at `now`.
pub fn standing(p: &Promise, ctx: &Context) -> Standing {
    match p.status {
        Status::Open if ctx.now > p.due => Standing::Overdue,
        Status::Open if p.due - ctx.now <= ctx.config.prompt_soon => Standing::DueSoon,
        Status::Open => Standing::OnTrack,
        _ => Standing::Closed(score::outcome(p, ctx.now, ctx.config.grace)),
    }
}

/// A required text field: trimmed, and not empty.
pub fn required(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(usage(format!("{field} cannot be empty")));
    }
    Ok(value.to_string())
}

/// An optional text field: empty clears it.
pub fn optional(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("promises always serialize to JSON")
}

/// The error for an id that is not among the open promises: says so plainly when the promise
/// exists but is already closed ("already kept on Tue 24 Nov 13:10"), and how to undo that.
pub fn not_open(ctx: &Context, prefix: &str, err: crate::model::IdError) -> anyhow::Error {
    if let crate::model::IdError::Unknown(_) = err
        && let Ok(archived) = ctx.store.read_archive()
        && let Ok(i) = crate::model::find(&archived, prefix)
    {
        let p = &archived[i];
        let when = p
            .closed
            .map(|c| {
                format!(
                    " on {}",
                    crate::render::short_time(&c, &ctx.zone_of(p), &ctx.now)
                )
            })
            .unwrap_or_default();
        return usage(format!(
            "promise {} ({}) is already {}{when}; `promise reopen {}` reopens it",
            p.id,
            p.what,
            p.status.as_str(),
            p.id
        ));
    }
    err.into()
}

/// A closed promise that could not be found (bad input) or read (a failed operation).
pub fn closed_error(e: crate::store::ClosedError) -> anyhow::Error {
    match e {
        crate::store::ClosedError::Id(e) => e.into(),
        crate::store::ClosedError::Store(e) => e.into(),
    }
}
