use anyhow::Result;

use super::{standing, to_json};
use crate::cli::ListArgs;
use crate::config;
use crate::context::{Context, emit};
use crate::customer::{self, Names};
use crate::error::usage;
use crate::model::short_ids;
use crate::render::{self, Row, Standing};
use crate::sync::Whose;

pub fn run(args: ListArgs, ctx: &Context) -> Result<()> {
    let within = args
        .due_within
        .as_deref()
        .map(|d| config::duration(d).map_err(|e| usage(format!("--due-within {e}"))))
        .transpose()?;
    let mut promises = if args.all {
        ctx.store.read_all()?
    } else {
        ctx.store.read_open()?.promises
    };
    let shorts = short_ids(promises.iter().map(|p| &p.id))
        .into_iter()
        .map(|(id, len)| (id.to_string(), len))
        .collect::<std::collections::HashMap<_, _>>();

    // Spellings are chosen among all the promises read, not only those the filters keep.
    let names = Names::of(&promises);
    let whose = Whose::from_args(
        args.by.as_deref(),
        true,
        ctx.store.dir(),
        ctx.config.me.as_deref(),
    );
    promises.retain(|p| {
        whose.includes(p)
            && args
                .customer
                .as_deref()
                .is_none_or(|c| customer::matches(&p.customer, c))
            && (!args.overdue || standing(p, ctx) == Standing::Overdue)
            && within.is_none_or(|w| p.is_open() && p.due <= ctx.now + w)
    });
    promises.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));

    if args.json {
        return Ok(emit(&to_json(&promises))?);
    }
    if promises.is_empty() {
        let what = if args.all {
            "promises"
        } else {
            "open promises"
        };
        return Ok(emit(&format!(
            "No {what}{}.",
            if args.customer.is_some() || args.overdue || within.is_some() || args.by.is_some() {
                " match"
            } else {
                ""
            }
        ))?);
    }
    let clock = ctx.clock();
    let rows: Vec<Row<'_>> = promises
        .iter()
        .map(|p| Row {
            promise: p,
            short_id: &p.id.as_str()[..shorts[p.id.as_str()]],
            customer: names.shown(&p.customer),
            zone: clock.zone_of(p),
            standing: standing(p, ctx),
        })
        .collect();
    let overdue = rows
        .iter()
        .filter(|r| r.standing == Standing::Overdue)
        .count();
    let mut out = render::list_table(&rows, &clock, ctx.color, ctx.width);
    if overdue > 0 && !args.overdue {
        let hint = format!(
            "{overdue} overdue: keep them with `promise done ID`. A slip now only sets a new \
             target: they stay late until kept."
        );
        // Prose reads best in short lines, whatever the width of the table above it.
        for line in render::text::wrap(&hint, ctx.width.min(80)) {
            out.push('\n');
            out.push_str(&line);
        }
    }
    Ok(emit(&out)?)
}
