//! Turning promises into text for people: deadlines in words, relative times, tables.
//! Returns strings; no I/O.

pub mod report;

use chrono::TimeDelta;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, TableComponent, presets};

use crate::model::{Instant, Promise};
use crate::score::Outcome;
use crate::zone::Zone;

/// "Tuesday 24 November 2026 at 14:00 EET (in 1 day, 3 hours)": what `add` says back, so the
/// user can check it and paste it into the email. A deadline in the customer's zone also says
/// what that is in the user's own.
pub fn deadline_in_words(t: &Instant, zone: &Zone, home: &Zone, now: &Instant) -> String {
    let local = zone.localise(t);
    let mut text = format!(
        "{} at {} {}",
        local.format("%A %-d %B %Y"),
        local.format("%H:%M"),
        zone.abbreviation(t)
    );
    if zone != home {
        let mine = home.localise(t);
        let name = zone.name().unwrap_or("their zone");
        text.push_str(&format!(
            " in {name} ({} {} here)",
            mine.format("%a %H:%M"),
            home.abbreviation(t)
        ));
    }
    text.push_str(&format!(" ({})", relative(*t - *now)));
    text
}

/// "Tue 24 Nov 14:00", with the year when it is not `now`'s.
pub fn short_time(t: &Instant, zone: &Zone, now: &Instant) -> String {
    let local = zone.localise(t);
    if local.format("%Y").to_string() == zone.localise(now).format("%Y").to_string() {
        local.format("%a %-d %b %H:%M").to_string()
    } else {
        local.format("%a %-d %b %Y %H:%M").to_string()
    }
}

/// "in 1 day, 3 hours", "in 45 minutes", "2 hours ago", "now".
pub fn relative(delta: TimeDelta) -> String {
    let words = span_words(delta.abs());
    match delta.num_seconds() {
        s if s.abs() < 60 => "now".to_string(),
        s if s > 0 => format!("in {words}"),
        _ => format!("{words} ago"),
    }
}

fn span_words(d: TimeDelta) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let (days, hours, minutes) = (d.num_days(), d.num_hours() % 24, d.num_minutes() % 60);
    match (days, hours, minutes) {
        (0, 0, m) => plural(m, "minute"),
        (0, h, 0) => plural(h, "hour"),
        (0, h, m) => format!("{}, {}", plural(h, "hour"), plural(m, "minute")),
        (d, 0, _) => plural(d, "day"),
        (d, h, _) => format!("{}, {}", plural(d, "day"), plural(h, "hour")),
    }
}

/// "1d3h", "2h10m", "45m": for tables and the prompt.
pub fn compact(delta: TimeDelta) -> String {
    let d = delta.abs();
    let (days, hours, minutes) = (d.num_days(), d.num_hours() % 24, d.num_minutes() % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes}m"),
        (0, h) if minutes == 0 => format!("{h}h"),
        (0, h) => format!("{h}h{minutes}m"),
        (d, 0) => format!("{d}d"),
        (d, h) => format!("{d}d{h}h"),
    }
}

/// Where a promise stands, in a word or two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    OnTrack,
    DueSoon,
    Overdue,
    Closed(Outcome),
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::OnTrack => "on track",
            Standing::DueSoon => "due soon",
            Standing::Overdue => "overdue",
            Standing::Closed(Outcome::OnTime) => "kept on time",
            Standing::Closed(Outcome::Late) => "kept late",
            Standing::Closed(Outcome::Withdrawn) => "withdrawn",
            Standing::Closed(Outcome::Broken) => "cancelled late",
            Standing::Closed(Outcome::Pending) => "open",
        }
    }

    fn color(self) -> Option<Color> {
        match self {
            Standing::Overdue | Standing::Closed(Outcome::Broken) => Some(Color::Red),
            Standing::DueSoon | Standing::Closed(Outcome::Late) => Some(Color::Yellow),
            Standing::Closed(Outcome::OnTime) => Some(Color::Green),
            _ => None,
        }
    }
}

/// One row of `promise list`.
pub struct Row<'a> {
    pub promise: &'a Promise,
    pub short_id: &'a str,
    pub zone: Zone,
    pub standing: Standing,
}

pub fn list_table(rows: &[Row<'_>], now: &Instant, color: bool) -> String {
    let mut table = new_table(color);
    table.set_header(["id", "due", "when", "customer", "what", "state"]);
    for row in rows {
        let p = row.promise;
        let when = match row.standing {
            Standing::Closed(_) => p
                .closed
                .map(|c| short_time(&c, &row.zone, now))
                .unwrap_or_default(),
            Standing::Overdue => format!("{} overdue", compact(*now - p.due)),
            _ => format!("in {}", compact(p.due - *now)),
        };
        let mut state = Cell::new(row.standing.label());
        if let Some(c) = row.standing.color() {
            state = state.fg(c);
        }
        table.add_row(vec![
            Cell::new(row.short_id).add_attribute(Attribute::Bold),
            Cell::new(short_time(&p.due, &row.zone, now)),
            Cell::new(when),
            Cell::new(&p.customer),
            Cell::new(&p.what),
            state,
        ]);
    }
    trim_lines(&table.to_string())
}

/// Tables pad every cell; trailing blanks only get in the way in mail and diffs.
pub(crate) fn trim_lines(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The full story of one promise.
pub fn details(p: &Promise, zone: &Zone, home: &Zone, now: &Instant, standing: Standing) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: &str| out.push_str(&format!("{label:<13}{value}\n"));
    line("id", p.id.as_str());
    line("what", &p.what);
    line("customer", &p.customer);
    if let Some(c) = &p.contact {
        line("contact", c);
    }
    if let Some(r) = &p.reference {
        line("ref", r);
    }
    if let Some(by) = &p.by {
        line("by", by);
    }
    line(
        "status",
        &format!("{} ({})", p.status.as_str(), standing.label()),
    );
    line("due", &deadline_in_words(&p.due, zone, home, now));
    if let Some(first) = p.original_due {
        line("first due", &short_time(&first, zone, now));
    }
    line("made", &short_time(&p.made, zone, now));
    if let Some(closed) = p.closed {
        line("closed", &short_time(&closed, zone, now));
    }
    if let Some(reason) = &p.cancel_reason {
        line("why cancelled", reason);
    }
    if let Some(note) = &p.note {
        line("note", note);
    }
    if !p.slips.is_empty() {
        out.push_str("slips\n");
        for s in &p.slips {
            out.push_str(&format!(
                "  {}: {} → {}{}\n",
                short_time(&s.at, zone, now),
                short_time(&s.from, zone, now),
                short_time(&s.to, zone, now),
                s.reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            ));
        }
    }
    if !p.reminded.is_empty() {
        out.push_str(&format!("{:<13}{}\n", "reminded", p.reminded.join(", ")));
    }
    if !p.replaced.is_empty() {
        out.push_str("replaced by a sync\n");
        for r in &p.replaced {
            let value = match (&r.value, r.closed) {
                (Some(v), Some(closed)) => format!("{v} {}", short_time(&closed, zone, now)),
                (Some(v), None) => format!("\"{v}\""),
                (None, _) => "(unset)".to_string(),
            };
            out.push_str(&format!(
                "  {}: {} was {value}\n",
                short_time(&r.at, zone, now),
                r.field
            ));
        }
    }
    out
}

pub(crate) fn new_table(color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_style(TableComponent::HeaderLines, '─')
        .set_style(TableComponent::MiddleHeaderIntersections, '─')
        .set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(
            relative(TimeDelta::minutes(27 * 60 + 30)),
            "in 1 day, 3 hours"
        );
        assert_eq!(relative(TimeDelta::minutes(45)), "in 45 minutes");
        assert_eq!(relative(TimeDelta::hours(-2)), "2 hours ago");
        assert_eq!(relative(TimeDelta::seconds(20)), "now");
        assert_eq!(compact(TimeDelta::minutes(80)), "1h20m");
        assert_eq!(compact(TimeDelta::hours(27)), "1d3h");
    }
}
