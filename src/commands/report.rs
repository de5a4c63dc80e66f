use anyhow::Result;

use super::to_json;
use crate::cli::{ReportArgs, ReportFormat};
use crate::config;
use crate::context::{Context, emit};
use crate::deadline;
use crate::error::usage;
use crate::model::Instant;
use crate::render;
use crate::report::{self, Scope};
use crate::score::Params;
use crate::sync::Whose;

pub fn run(args: ReportArgs, ctx: &Context) -> Result<()> {
    let since = args.since.as_deref().map(|s| since(s, ctx)).transpose()?;
    // The archive is read once, here; everything after is in memory. Only promises closed in
    // the last day are shown in full; scoring the rest needs only their dates and customer.
    let history = ctx
        .store
        .read_for_report(ctx.now - chrono::TimeDelta::days(1))?;
    let whose = Whose::from_args(
        args.by.as_deref(),
        false,
        ctx.store.dir(),
        ctx.config.me.as_deref(),
    );
    let params = Params {
        grace: ctx.config.grace,
        half_life: ctx.config.half_life,
    };
    let report = report::build(
        &history,
        ctx.now,
        params,
        &Scope {
            since,
            customer: args.customer.as_deref(),
        },
        &|by| whose.includes_by(by),
    );
    let format = if args.json {
        ReportFormat::Json
    } else {
        args.format
    };
    let text = match format {
        ReportFormat::Table => render::report::text(&report, &ctx.clock(), ctx.color, ctx.width),
        ReportFormat::Markdown => render::report::markdown(&report, &ctx.clock()),
        ReportFormat::Csv => render::report::csv(&report),
        ReportFormat::Json => to_json(&report),
    };
    Ok(emit(&text)?)
}

/// "30d" is 30 days back from now; anything else is a past moment ("2026-01-01", "monday").
fn since(text: &str, ctx: &Context) -> Result<Instant> {
    if let Ok(back) = config::duration(text) {
        return Ok(ctx.now - back);
    }
    // A date without a time means from the start of that day.
    deadline::resolve(
        text,
        ctx.now,
        &ctx.zone,
        &deadline::Options::past(chrono::NaiveTime::MIN),
    )
    .map_err(|e| usage(format!("--since: {e}")))
}
