//! The daily report as text: a terminal or mail layout, Markdown and CSV.

use comfy_table::{Cell, CellAlignment, Color};

use super::{compact, new_table, short_time, trim_lines};
use crate::model::Promise;
use crate::report::{CustomerRecord, Report};
use crate::score::{Outcome, Record};
use crate::zone::Zone;

const COLUMNS: [&str; 12] = [
    "customer",
    "scored",
    "on time",
    "late",
    "broken",
    "open",
    "on time % (agreed)",
    "on time % (first)",
    "avg late",
    "score",
    "trend",
    "last 8 weeks",
];

/// For a terminal or a cron mail: the sections, then the per-customer table.
pub fn text(report: &Report<'_>, zone: &Zone, color: bool) -> String {
    let now = &report.now;
    let mut out = format!(
        "Promises on {}\n",
        zone.localise(now).format("%A %-d %B %Y, %H:%M")
    );
    for (title, rows) in attention(report) {
        if rows.is_empty() {
            out.push_str(&format!("\n{title}: none\n"));
            continue;
        }
        out.push_str(&format!("\n{title} ({})\n", rows.len()));
        for (p, tail) in rows {
            out.push_str(&format!(
                "  {}  {tail}  {} — {}\n",
                short_time(&p.due, zone, now),
                p.what,
                p.customer
            ));
        }
    }

    out.push('\n');
    if report.customers.is_empty() {
        out.push_str("No promises yet: `promise add` records one.\n");
        return out;
    }
    let mut table = new_table(color);
    table.set_header(COLUMNS);
    for c in &report.customers {
        table.add_row(record_cells(&c.record, Some(sparkline(c)), color));
    }
    table.add_row(record_cells(&report.total, None, false));
    for i in 1..COLUMNS.len() - 1 {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    out.push_str(&trim_lines(&table.to_string()));
    out.push('\n');
    if let Some(since) = report.since {
        out.push_str(&format!(
            "Scored: promises due since {}.\n",
            short_time(&since, zone, now)
        ));
    }
    out
}

/// The parts of the report that need attention: a title and, for each promise, what to say
/// after its deadline.
fn attention<'r>(report: &'r Report<'_>) -> [(&'static str, Vec<(&'r Promise, String)>); 3] {
    let now = report.now;
    [
        (
            "Overdue now",
            report
                .overdue
                .iter()
                .map(|p| (*p, format!("{} overdue", compact(now - p.due))))
                .collect(),
        ),
        (
            "Due in the next 24 hours",
            report
                .due_soon
                .iter()
                .map(|p| (*p, format!("in {}", compact(p.due - now))))
                .collect(),
        ),
        (
            "Closed in the last 24 hours",
            report
                .closed_recently
                .iter()
                .map(|c| (c.promise, outcome_label(c.promise, c.outcome).to_string()))
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

fn record_cells(r: &Record, spark: Option<String>, color: bool) -> Vec<Cell> {
    let mut score = Cell::new(opt(r.score));
    if color && let Some(s) = r.score {
        score = score.fg(if s >= 80 {
            Color::Green
        } else if s >= 60 {
            Color::Yellow
        } else {
            Color::Red
        });
    }
    vec![
        Cell::new(r.customer.as_deref().unwrap_or("total")),
        Cell::new(r.scored),
        Cell::new(r.on_time),
        Cell::new(r.late),
        Cell::new(r.broken),
        Cell::new(r.open),
        Cell::new(percent(r.on_time_rate_agreed)),
        Cell::new(percent(r.on_time_rate_original)),
        Cell::new(r.avg_lateness_minutes.map_or("—".into(), |m| {
            compact(chrono::TimeDelta::minutes(m.round() as i64))
        })),
        score,
        Cell::new(trend(r.trend)),
        Cell::new(spark.unwrap_or_default()),
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
pub fn markdown(report: &Report<'_>, zone: &Zone) -> String {
    let now = &report.now;
    let mut out = format!(
        "# Promises on {}\n",
        zone.localise(now).format("%A %-d %B %Y, %H:%M")
    );
    for (title, rows) in attention(report) {
        out.push_str(&format!("\n## {title}\n\n"));
        if rows.is_empty() {
            out.push_str("None.\n");
        }
        for (p, tail) in rows {
            out.push_str(&format!(
                "- **{}** {tail}: {} — {}\n",
                short_time(&p.due, zone, now),
                md(&p.what),
                md(&p.customer)
            ));
        }
    }
    out.push_str("\n## Reliability by customer\n\n");
    out.push_str(&format!("| {} |\n", COLUMNS.join(" | ")));
    out.push_str(&format!(
        "|{}\n",
        COLUMNS
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { "---|" } else { "---:|" })
            .collect::<String>()
    ));
    let row = |r: &Record, spark: String| {
        let cells: Vec<String> = record_cells(r, None, false)
            .iter()
            .map(|c| md(&c.content()))
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
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('*', "\\*")
        .replace('\n', " ")
}

/// The per-customer records as CSV with a header row; the keys are the JSON ones.
pub fn csv(report: &Report<'_>) -> String {
    let mut out = String::from(
        "customer,scored,on_time,late,broken,open,on_time_rate_agreed,on_time_rate_original,avg_lateness_minutes,score,trend\n",
    );
    let records = report
        .customers
        .iter()
        .map(|c| &c.record)
        .chain(std::iter::once(&report.total));
    for r in records {
        let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.4}"));
        let int = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
        let fields = [
            csv_field(r.customer.as_deref().unwrap_or("(total)")),
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
