use anyhow::Result;

use crate::cli::WhenArgs;
use crate::context::{Context, emit};
use crate::deadline;
use crate::model::rfc3339;

pub fn run(args: WhenArgs, ctx: &Context) -> Result<()> {
    let zone = ctx.zone_arg(args.tz.as_deref())?;
    let options = deadline::Options {
        allow_past: args.allow_past,
        ..ctx.deadline_options()
    };
    let due = deadline::resolve(&args.phrase, ctx.now, &zone, &options)?;
    if args.json {
        Ok(emit(
            &serde_json::json!({ "due": rfc3339::format(&due) }).to_string(),
        )?)
    } else {
        Ok(emit(&ctx.clock().words(&due, &zone))?)
    }
}
