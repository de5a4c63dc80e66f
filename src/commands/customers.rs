//! `promise customers`: who you have made promises to, one row per customer however the name
//! was typed.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use super::to_json;
use crate::cli::CustomersArgs;
use crate::context::{Context, emit};
use crate::customer::{self, Names};
use crate::model::Promise;
use crate::render::table::{self, Column};
use crate::render::text::clean;
use crate::score;

#[derive(Debug, Serialize)]
pub struct Customer {
    /// The first spelling stored.
    pub customer: String,
    /// Every spelling in the store, the shown one first.
    pub spellings: Vec<String>,
    pub open: usize,
    /// Promises scored now (SPEC 4): kept, or past their agreed deadline.
    pub scored: usize,
}

pub fn run(args: CustomersArgs, ctx: &Context) -> Result<()> {
    let promises = ctx.store.read_all()?;
    let customers = list(&promises, ctx);
    if args.json {
        return Ok(emit(&to_json(&customers))?);
    }
    if customers.is_empty() {
        return Ok(emit(
            "No customers yet: `promise add` records a promise to one.",
        )?);
    }
    let cells = |f: &dyn Fn(&Customer) -> String| -> Vec<(String, Option<comfy_table::Color>)> {
        customers.iter().map(|c| (f(c), None)).collect()
    };
    let columns = [
        Column {
            header: "customer",
            short: "customer",
            right: false,
            rank: 0,
            narrows: true,
            cells: cells(&|c| clean(&c.customer).into_owned()),
        },
        Column {
            header: "open",
            short: "open",
            right: true,
            rank: 0,
            narrows: false,
            cells: cells(&|c| c.open.to_string()),
        },
        Column {
            header: "scored",
            short: "scored",
            right: true,
            rank: 0,
            narrows: false,
            cells: cells(&|c| c.scored.to_string()),
        },
        Column {
            header: "also written as",
            short: "also as",
            right: false,
            rank: 1,
            narrows: false,
            cells: cells(&|c| {
                c.spellings[1..]
                    .iter()
                    .map(|s| clean(s).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        },
    ];
    Ok(emit(&table::fit(&columns, ctx.width, ctx.color))?)
}

/// The customers in `promises`, by name as shown.
pub fn list(promises: &[Promise], ctx: &Context) -> Vec<Customer> {
    let names = Names::of(promises);
    let mut by_key: BTreeMap<String, Customer> = BTreeMap::new();
    let mut sorted: Vec<&Promise> = promises.iter().collect();
    sorted.sort_by_key(|p| p.made);
    for p in sorted {
        let c = by_key
            .entry(customer::key(&p.customer))
            .or_insert_with(|| Customer {
                customer: names.shown(&p.customer).to_string(),
                spellings: vec![names.shown(&p.customer).to_string()],
                open: 0,
                scored: 0,
            });
        if !c.spellings.contains(&p.customer) {
            c.spellings.push(p.customer.clone());
        }
        c.open += usize::from(p.is_open());
        c.scored += usize::from(score::outcome(p, ctx.now, ctx.config.grace).is_scored());
    }
    let mut customers: Vec<Customer> = by_key.into_values().collect();
    customers.sort_by_key(|c| customer::key(&c.customer));
    customers
}
