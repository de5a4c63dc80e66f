//! The daily report as text: a terminal or mail layout, Markdown and CSV.

use comfy_table::{Cell, Color, ColumnConstraint, ContentArrangement};

use super::table::{self, Column};
use super::text::{clean, csv_text};
use super::{Clock, agreed_if_different, compact, new_table, short_time, trim_lines, until};
use crate::customer::Names;
use crate::model::{Instant, Promise};
use crate::report::{CustomerRecord, Report, WEEKS};
use crate::score::{self, Outcome, Record};

/// The per-customer columns: header, header when space is short, and rank (lowest is dropped
/// first when the terminal is narrow; 0 never).
const COLUMNS: [(&str, &str, u8); 12] = [
    ("customer", "customer", 0),
    ("scored", "scored", 0),
    ("on time", "on time", 5),
    ("late", "late", 0),
    ("broken", "broken", 0),
    ("open", "open", 4),
    ("on time % (agreed)", "agreed %", 0),
    ("on time % (first)", "first %", 2),
    ("avg late", "avg late", 3),
    ("score", "score", 0),
    ("trend", "trend", 6),
    ("last 8 weeks", "8 weeks", 1),
];

/// A promise that needs attention, and what to say about it.
struct Item<'r> {
    promise: &'r Promise,
    /// The time that matters: the agreed deadline, the deadline, or when it was closed.
    at: Instant,
    state: String,
    /// Said after the state, such as a new target set after the deadline had passed.
    more: Option<String>,
}

/// For a terminal or a cron mail: the sections, then the per-customer table, in `width` columns.
pub fn text(report: &Report<'_>, clock: &Clock, color: bool, width: usize) -> String {
    let mut out = format!(
        "Promises on {}\n",
        clock
            .home
            .localise(&report.now)
            .format("%A %-d %B %Y, %H:%M")
    );
    for (title, items) in attention(report, clock) {
        if items.is_empty() {
            out.push_str(&format!("\n{title}: none\n"));
            continue;
        }
        out.push_str(&format!("\n{title} ({})\n", items.len()));
        out.push_str(&attention_table(&items, &report.names, clock, color, width));
        out.push('\n');
    }

    out.push('\n');
    if report.customers.is_empty() {
        out.push_str("No promises yet: `promise add` records one.\n");
        return out;
    }
    let mut rows: Vec<Vec<(String, Option<Color>)>> = report
        .customers
        .iter()
        .map(|c| record_cells(&c.record, Some(sparkline(c))))
        .collect();
    rows.push(record_cells(&report.total, None));
    let columns: Vec<Column> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, &(header, short, rank))| Column {
            header,
            short,
            right: i > 0 && i < COLUMNS.len() - 1,
            rank,
            narrows: i == 0,
            cells: rows.iter().map(|r| r[i].clone()).collect(),
        })
        .collect();
    out.push_str(&table::fit(&columns, width, color));
    out.push('\n');
    if let Some(since) = report.since {
        out.push_str(&format!(
            "Scored: promises due since {}.\n",
            short_time(&since, &clock.home, &report.now)
        ));
    }
    out
}

/// The attention rows aligned in three columns; the text column wraps to fit `width`.
fn attention_table(
    items: &[Item<'_>],
    names: &Names,
    clock: &Clock,
    color: bool,
    width: usize,
) -> String {
    let mut table = new_table(color);
    table
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.min(u16::MAX as usize) as u16);
    for item in items {
        let p = item.promise;
        let mut text = format!("{} — {}", clean(&p.what), clean(names.shown(&p.customer)));
        if let Some(more) = &item.more {
            text.push_str(&format!("\n{more}"));
        }
        table.add_row(vec![
            Cell::new(clock.cell(&item.at, &clock.zone_of(p))),
            Cell::new(&item.state),
            Cell::new(text),
        ]);
    }
    for i in 0..2 {
        if let Some(col) = table.column_mut(i) {
            col.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    if let Some(col) = table.column_mut(0) {
        col.set_padding((2, 1));
    }
    trim_lines(&table.to_string())
}

/// The parts of the report that need attention, with a title each.
fn attention<'r>(report: &'r Report<'_>, clock: &Clock) -> [(&'static str, Vec<Item<'r>>); 3] {
    let now = report.now;
    [
        (
            "Overdue now",
            report
                .overdue
                .iter()
                .map(|p| {
                    let agreed = score::agreed_due(p);
                    Item {
                        promise: p,
                        at: agreed,
                        state: format!("{} overdue", compact(now - agreed)),
                        more: agreed_if_different(p)
                            .map(|_| format!("new target {}", clock.at(&p.due, &clock.zone_of(p)))),
                    }
                })
                .collect(),
        ),
        (
            "Due in the next 24 hours",
            report
                .due_soon
                .iter()
                .map(|p| Item {
                    promise: p,
                    at: p.due,
                    state: until(p.due - now),
                    more: None,
                })
                .collect(),
        ),
        (
            "Closed in the last 24 hours",
            report
                .closed_recently
                .iter()
                .map(|c| Item {
                    promise: c.promise,
                    at: c.promise.closed.unwrap_or(c.promise.due),
                    state: outcome_label(c.promise, c.outcome).to_string(),
                    more: None,
                })
                .collect(),
        ),
    ]
}

fn outcome_label(p: &Promise, outcome: Outcome) -> &'static str {
    match (outcome, p.status) {
        (Outcome::OnTime, _) => "kept on time",
        (Outcome::Late, _) => "kept late",
        (Outcome::Broken, crate::model::Status::Cancelled) => "cancelled after the deadline",
        (Outcome::Withdrawn, _) => "withdrawn",
        (o, _) => o.label(),
    }
}

fn record_cells(r: &Record, spark: Option<String>) -> Vec<(String, Option<Color>)> {
    let score_color = r.score.map(|s| {
        if s >= 80 {
            Color::Green
        } else if s >= 60 {
            Color::Yellow
        } else {
            Color::Red
        }
    });
    let plain = |text: String| (text, None);
    vec![
        plain(
            r.customer
                .as_deref()
                .map_or("total".into(), |c| clean(c).into_owned()),
        ),
        plain(r.scored.to_string()),
        plain(r.on_time.to_string()),
        plain(r.late.to_string()),
        plain(r.broken.to_string()),
        plain(r.open.to_string()),
        plain(percent(r.on_time_rate_agreed)),
        plain(percent(r.on_time_rate_original)),
        plain(r.avg_lateness_minutes.map_or("—".into(), |m| {
            compact(chrono::TimeDelta::minutes(m.round() as i64))
        })),
        (opt(r.score), score_color.filter(|_| r.customer.is_some())),
        plain(trend(r.trend)),
        plain(spark.unwrap_or_default()),
    ]
}

/// One block per week: the taller, the more promises kept on time; a dot where none were due.
pub fn sparkline(c: &CustomerRecord) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    c.weekly_on_time_rate
        .iter()
        .map(|rate| match rate {
            Some(r) => BLOCKS[(r * 7.0).round().clamp(0.0, 7.0) as usize],
            None => '·',
        })
        .collect()
}

fn opt(v: Option<i64>) -> String {
    v.map_or("—".into(), |v| v.to_string())
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("—".into(), |r| format!("{:.0}%", r * 100.0))
}

fn trend(t: Option<i64>) -> String {
    match t {
        None => "—".into(),
        Some(0) => "→ 0".into(),
        Some(d) if d > 0 => format!("↑ +{d}"),
        Some(d) => format!("↓ {d}"),
    }
}

/// For mail clients and notes that render Markdown.
pub fn markdown(report: &Report<'_>, clock: &Clock) -> String {
    let mut out = format!(
        "# Promises on {}\n",
        clock
            .home
            .localise(&report.now)
            .format("%A %-d %B %Y, %H:%M")
    );
    for (title, items) in attention(report, clock) {
        out.push_str(&format!("\n## {title}\n\n"));
        if items.is_empty() {
            out.push_str("None.\n");
        }
        for item in items {
            let p = item.promise;
            let more = item.more.map(|m| format!(" ({m})")).unwrap_or_default();
            out.push_str(&format!(
                "- **{}** {}{more}: {} — {}\n",
                clock.at(&item.at, &clock.zone_of(p)),
                item.state,
                md(&p.what),
                md(report.names.shown(&p.customer))
            ));
        }
    }
    out.push_str("\n## Reliability by customer\n\n");
    out.push_str(&format!(
        "| {} |\n",
        COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>().join(" | ")
    ));
    out.push_str(&format!(
        "|{}\n",
        COLUMNS
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { "---|" } else { "---:|" })
            .collect::<String>()
    ));
    let row = |r: &Record, spark: String| {
        let cells: Vec<String> = record_cells(r, None)
            .into_iter()
            .map(|(text, _)| md(&text))
            .collect();
        format!("| {} | {} |\n", cells[..cells.len() - 1].join(" | "), spark)
    };
    for c in &report.customers {
        out.push_str(&row(&c.record, sparkline(c)));
    }
    out.push_str(&row(&report.total, String::new()));
    out
}

/// Escapes what would break a Markdown table or emphasis.
fn md(text: &str) -> String {
    clean(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('*', "\\*")
        .replace('\n', " ")
}

/// The per-customer records as CSV with a header row; the keys are the JSON ones, and the
/// weekly on-time rates (oldest first) are one column each. Text cells never start a formula.
pub fn csv(report: &Report<'_>) -> String {
    let mut header = String::from(
        "customer,scored,on_time,late,broken,open,on_time_rate_agreed,on_time_rate_original,avg_lateness_minutes,score,trend",
    );
    for week in 1..=WEEKS {
        header.push_str(&format!(",weekly_on_time_rate_{week}"));
    }
    let mut out = header + "\n";
    let records = report
        .customers
        .iter()
        .map(|c| (&c.record, c.weekly_on_time_rate.as_slice()))
        .chain(std::iter::once((&report.total, &[][..])));
    let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.4}"));
    let int = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    for (r, weekly) in records {
        let mut fields = vec![
            csv_field(&r.customer.as_deref().map_or("(total)".into(), csv_text)),
            r.scored.to_string(),
            r.on_time.to_string(),
            r.late.to_string(),
            r.broken.to_string(),
            r.open.to_string(),
            num(r.on_time_rate_agreed),
            num(r.on_time_rate_original),
            num(r.avg_lateness_minutes),
            int(r.score),
            int(r.trend),
        ];
        fields.extend((0..WEEKS).map(|w| num(weekly.get(w).copied().flatten())));
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
