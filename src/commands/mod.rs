//! One module per subcommand: load → pure logic → render → save.

pub mod add;
pub mod add_email;
pub mod cancel;
pub mod completions;
pub mod customers;
pub mod done;
pub mod edit;
pub mod export;
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

use crate::cli::{Cli, Command};
use crate::context::{self, Context};
use crate::error::usage;
use crate::model::{Instant, Promise};
use crate::render::Standing;
use crate::render::text::{clean, first_hostile};

pub fn run(cli: Cli) -> Result<()> {
    // Bare `promise` is `promise list`.
    let command = cli
        .command
        .unwrap_or_else(|| Command::List(Default::default()));
    match command {
        Command::Completions(args) => return completions::run(args.0),
        Command::Init(args) => return init::run(args.0),
        // The prompt must never fail, so it builds what it needs itself.
        Command::Prompt(args) => return prompt::run(args.0),
        // git runs it in a merge: it needs no store and no config.
        Command::MergeDriver(args) => return merge_driver::run(args.0),
        _ => {}
    }
    let mut ctx = Context::from_env()?;
    ctx.color = context::use_color(cli.color);
    match command {
        // A promise from an email is read first, then recorded by `add` like a typed one.
        Command::Add(args) => match args.from_email.clone() {
            Some(source) => add_email::run(args.0, &source, &ctx),
            None => add::run(args.0, &ctx),
        },
        Command::When(args) => when::run(args.0, &ctx),
        Command::List(args) => list::run(args.0, &ctx),
        Command::Show(args) => show::run(args.0, &ctx),
        Command::Done(args) => done::run(args.0, &ctx),
        Command::Slip(args) => slip::run(args.0, &ctx),
        Command::Cancel(args) => cancel::run(args.0, &ctx),
        Command::Edit(args) => edit::run(args.0, &ctx),
        Command::Reopen(args) => reopen::run(args.0, &ctx),
        Command::Report(args) => report::run(args.0, &ctx),
        Command::Nag(args) => nag::run(args.0, &ctx),
        Command::Export(args) => export::run(args.0, &ctx),
        Command::Customers(args) => customers::run(args.0, &ctx),
        Command::Sync(args) => sync::run(args.0, &ctx),
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
    Standing::of(p, ctx.now, ctx.config.prompt_soon, ctx.config.grace)
}

/// A required text field: trimmed, not empty, and free of control characters.
pub fn required(field: &str, value: &str) -> Result<String> {
    let value = checked(field, value)?.trim();
    if value.is_empty() {
        return Err(usage(format!("{field} cannot be empty")));
    }
    Ok(value.to_string())
}

/// An optional text field: empty clears it; control characters are refused.
pub fn optional(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = value else {
        return Ok(None);
    };
    let value = checked(field, &value)?.trim();
    Ok((!value.is_empty()).then(|| value.to_string()))
}

/// Refuses text with a control character or a bidi override: stored, it could rewrite a
/// terminal's screen or hide text whenever the promise is shown.
fn checked<'v>(field: &str, value: &'v str) -> Result<&'v str> {
    match first_hostile(value) {
        Some(c) => Err(usage(format!(
            "{field} contains the control character U+{:04X} (\"{}\"); write it without",
            c as u32,
            clean(value)
        ))),
        None => Ok(value),
    }
}

/// Refuses to close a promise before it was made: the clock was set back, or `--at` went too
/// far; recorded, it would count as kept on time.
pub fn check_close(p: &Promise, at: Instant, ctx: &Context) -> Result<()> {
    if at < p.made {
        let clock = ctx.clock();
        let zone = clock.zone_of(p);
        return Err(usage(format!(
            "cannot close promise {} at {}: it was made later, at {}; check the clock or --at",
            p.id,
            clock.at(&at, &zone),
            clock.at(&p.made, &zone)
        )));
    }
    Ok(())
}

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("promises always serialize to JSON")
}

/// The error for an id that is not among the open promises: says so plainly when the promise
/// exists but is already closed ("already kept on Tue 24 Nov 13:10"), and how to undo that.
/// A prefix that only closed promises share is ambiguous, not unknown.
/// Looked up through the caller's transaction, which has read `open.toml` already.
pub fn not_open(
    ctx: &Context,
    tx: &crate::store::Transaction<'_>,
    prefix: &str,
    err: crate::model::IdError,
) -> anyhow::Error {
    let crate::model::IdError::Unknown(_) = err else {
        return err.into();
    };
    let found = tx.closed(prefix);
    if let Ok(Err(ambiguous @ crate::model::IdError::Ambiguous { .. })) = found {
        return ambiguous.into();
    }
    if let Ok(Ok((p, _))) = found {
        let clock = ctx.clock();
        let when = p
            .closed
            .map(|c| format!(" on {}", clock.at(&c, &clock.zone_of(&p))))
            .unwrap_or_default();
        return usage(format!(
            "promise {} ({}) is already {}{when}; `promise reopen {}` reopens it",
            p.id,
            clean(&p.what),
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
