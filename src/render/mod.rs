//! Turning promises into text for people: deadlines in words, relative times, tables.
//! Returns strings; no I/O.
//!
//! Two rules hold for everything here: text from the store goes through [`text::clean`] (no
//! stored control character reaches a terminal raw), and a time of a promise kept in another
//! zone says that zone and the user's own ("Tue 24 Nov 09:00 EST (16:00 EET here)").

pub mod ics;
pub mod report;
pub mod table;
pub mod text;

use chrono::{Datelike, TimeDelta};
use comfy_table::{
    Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, TableComponent, presets,
};

use crate::model::{Instant, Promise};
use crate::score::{self, Outcome};
use crate::zone::Zone;
use text::clean;

/// How times are told: in a promise's own zone, with the user's zone beside it when they differ.
#[derive(Debug, Clone)]
pub struct Clock {
    /// The user's zone.
    pub home: Zone,
    pub now: Instant,
}

impl Clock {
    pub fn new(home: Zone, now: Instant) -> Clock {
        Clock { home, now }
    }

    /// The zone a promise's times are told in: its customer's, else the user's.
    pub fn zone_of(&self, p: &Promise) -> Zone {
        p.tz.as_deref()
            .and_then(|name| Zone::named(name).ok())
            .unwrap_or_else(|| self.home.clone())
    }

    /// "Tue 24 Nov 14:00"; in another zone, the zone's time and name, and the user's time apart:
    /// ("Tue 24 Nov 09:00 EST", Some("16:00 EET here")), with the weekday when the day differs.
    pub fn parts(&self, t: &Instant, zone: &Zone) -> (String, Option<String>) {
        let main = short_time(t, zone, &self.now);
        if *zone == self.home {
            return (main, None);
        }
        let there = zone.localise(t);
        let here = self.home.localise(t);
        let time = if there.date_naive() == here.date_naive() {
            here.format("%H:%M").to_string()
        } else if here.year() == self.home.localise(&self.now).year() {
            here.format("%a %-d %b %H:%M").to_string()
        } else {
            here.format("%a %-d %b %Y %H:%M").to_string()
        };
        (
            format!("{main} {}", zone.abbreviation(t)),
            Some(format!("{time} {} here", self.home.abbreviation(t))),
        )
    }

    /// A time on one line: "Tue 24 Nov 09:00 EST (16:00 EET here)".
    pub fn at(&self, t: &Instant, zone: &Zone) -> String {
        match self.parts(t, zone) {
            (main, Some(here)) => format!("{main} ({here})"),
            (main, None) => main,
        }
    }

    /// A time for a table cell: the user's equivalent on a second line, to keep columns narrow.
    pub fn cell(&self, t: &Instant, zone: &Zone) -> String {
        match self.parts(t, zone) {
            (main, Some(here)) => format!("{main}\n({here})"),
            (main, None) => main,
        }
    }

    /// A deadline said back in full, as `add` and `when` do; see [`deadline_in_words`].
    pub fn words(&self, t: &Instant, zone: &Zone) -> String {
        deadline_in_words(t, zone, &self.home, &self.now)
    }
}

/// "Tuesday 24 November 2026 at 14:00 EET (in 1 day, 3 hours)": what `add` says back, so the
/// user can check it and paste it into the email. A deadline in the customer's zone also says,
/// on a second line so that both fit a terminal, which zone and what that is in the user's own:
/// "Tuesday 24 November 2026 at 09:00 EST (in 1 day, 12 hours)\n(America/New_York; 16:00 EET
/// here)".
pub fn deadline_in_words(t: &Instant, zone: &Zone, home: &Zone, now: &Instant) -> String {
    let local = zone.localise(t);
    let mut text = format!(
        "{} at {} {} ({})",
        local.format("%A %-d %B %Y"),
        local.format("%H:%M"),
        zone.abbreviation(t),
        relative(*t - *now)
    );
    if let (Some(here), Some(name)) = (Clock::new(home.clone(), *now).parts(t, zone).1, zone.name())
    {
        text.push_str(&format!("\n({name}; {here})"));
    }
    text
}

/// "Tue 24 Nov 14:00", with the year when it is not `now`'s.
pub fn short_time(t: &Instant, zone: &Zone, now: &Instant) -> String {
    let local = zone.localise(t);
    if local.year() == zone.localise(now).year() {
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

/// "in 1d3h", or "now" within the minute: for tables.
pub fn until(delta: TimeDelta) -> String {
    if delta < TimeDelta::minutes(1) {
        "now".to_string()
    } else {
        format!("in {}", compact(delta))
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
    /// Open past its agreed deadline (SPEC 4): a slip made after that deadline sets a new
    /// target but does not end this.
    Overdue,
    Closed(Outcome),
}

impl Standing {
    /// Where `p` stands at `now`; `soon` is how close a deadline counts as due soon.
    pub fn of(p: &Promise, now: Instant, soon: TimeDelta, grace: TimeDelta) -> Standing {
        if !p.is_open() {
            return Standing::Closed(score::outcome(p, now, grace));
        }
        if now > score::agreed_due(p) {
            Standing::Overdue
        } else if p.due - now <= soon {
            Standing::DueSoon
        } else {
            Standing::OnTrack
        }
    }

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

/// The agreed deadline when it is not the deadline in force: after a slip made too late.
pub fn agreed_if_different(p: &Promise) -> Option<Instant> {
    let agreed = score::agreed_due(p);
    (agreed != p.due).then_some(agreed)
}

/// One row of `promise list`.
pub struct Row<'a> {
    pub promise: &'a Promise,
    pub short_id: &'a str,
    /// The customer as shown: the first spelling stored.
    pub customer: &'a str,
    pub zone: Zone,
    pub standing: Standing,
}

/// Below this width `list` has no state column: the "when" column says it, in colour.
const LIST_STATE_COLUMN: usize = 100;

/// The `list` table, fitted to `width` columns: long text wraps inside its cell.
pub fn list_table(rows: &[Row<'_>], clock: &Clock, color: bool, width: usize) -> String {
    let now = clock.now;
    let state_column = width >= LIST_STATE_COLUMN;
    let mut table = new_table(color);
    table.set_width(width.min(u16::MAX as usize) as u16);
    let mut header = vec!["id", "due", "when", "customer", "what"];
    if state_column {
        header.push("state");
    }
    table.set_header(header);
    for row in rows {
        let p = row.promise;
        let agreed = agreed_if_different(p);
        let mut due = clock.cell(&p.due, &row.zone);
        if let Some(agreed) = agreed {
            due.push_str(&format!("\nagreed:\n{}", clock.cell(&agreed, &row.zone)));
        }
        let mut when = match row.standing {
            Standing::Closed(_) => p
                .closed
                .map(|c| clock.cell(&c, &row.zone))
                .unwrap_or_default(),
            Standing::Overdue => {
                format!("{} overdue", compact(now - agreed.unwrap_or(p.due)))
            }
            _ => until(p.due - now),
        };
        if !state_column && let Standing::Closed(_) = row.standing {
            when = format!("{}\n{when}", row.standing.label());
        }
        let colored = |text: &str| {
            let cell = Cell::new(text);
            match row.standing.color() {
                Some(c) => cell.fg(c),
                None => cell,
            }
        };
        let mut cells = vec![
            Cell::new(row.short_id).add_attribute(Attribute::Bold),
            Cell::new(due),
            if state_column {
                Cell::new(when)
            } else {
                colored(&when)
            },
            Cell::new(clean(row.customer)),
            Cell::new(clean(&p.what)),
        ];
        if state_column {
            cells.push(colored(row.standing.label()));
        }
        table.add_row(cells);
    }
    // Ids, times and states keep their lines; customer and what wrap to fit.
    for i in [0, 1, 2, 5] {
        if let Some(col) = table.column_mut(i) {
            col.set_constraint(ColumnConstraint::ContentWidth);
        }
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

/// Where the values of `show` start.
const LABEL: usize = 14;

/// The full story of one promise, in lines of at most `width` columns. Every time is told like
/// the deadline: in the promise's zone, with the user's beside it when that differs.
pub fn details(
    p: &Promise,
    customer: &str,
    clock: &Clock,
    standing: Standing,
    width: usize,
) -> String {
    let zone = clock.zone_of(p);
    let at = |t: &Instant| clock.at(t, &zone);
    let mut out = String::new();
    let room = width.saturating_sub(LABEL).max(20);
    let mut line = |label: &str, value: &str| {
        let mut lines = value.split('\n').flat_map(|l| text::wrap(l, room));
        out.push_str(&format!(
            "{label:<LABEL$}{}\n",
            lines.next().unwrap_or_default()
        ));
        for more in lines {
            out.push_str(&format!("{:<LABEL$}{more}\n", ""));
        }
    };
    line("id", p.id.as_str());
    line("what", &clean(&p.what));
    line("customer", &clean(customer));
    if let Some(c) = &p.contact {
        line("contact", &clean(c));
    }
    if let Some(r) = &p.reference {
        line("ref", &clean(r));
    }
    if let Some(by) = &p.by {
        line("by", &clean(by));
    }
    let agreed = agreed_if_different(p);
    let status = match (standing, agreed) {
        (Standing::Overdue, Some(agreed)) => format!(
            "{} (overdue since the agreed deadline, {})",
            p.status.as_str(),
            at(&agreed)
        ),
        // "kept late" says both; "cancelled (withdrawn)" needs the status.
        (Standing::Closed(Outcome::OnTime | Outcome::Late), _) => standing.label().to_string(),
        _ => format!("{} ({})", p.status.as_str(), standing.label()),
    };
    line("status", &status);
    line("due", &clock.words(&p.due, &zone));
    if let Some(agreed) = agreed {
        line(
            "agreed due",
            &format!("{} (a later slip came after it had passed)", at(&agreed)),
        );
    }
    if let Some(first) = p.original_due.filter(|f| Some(*f) != agreed) {
        line("first due", &at(&first));
    }
    line("made", &at(&p.made));
    if let Some(closed) = p.closed {
        let verb = match p.status {
            crate::model::Status::Cancelled => "cancelled",
            _ => "kept",
        };
        line(verb, &at(&closed));
    }
    if let Some(reason) = &p.cancel_reason {
        line("why cancelled", &clean(reason));
    }
    if let Some(note) = &p.note {
        // A note keeps its lines (done --note adds one); each line is cleaned on its own.
        line(
            "note",
            &note
                .lines()
                .map(|l| clean(l).into_owned())
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    if !p.reminded.is_empty() {
        let stages: Vec<String> = p.reminded.iter().map(|r| clean(r).into_owned()).collect();
        line("reminded", &stages.join(", "));
    }
    let mut deadline = p.first_due();
    for (i, s) in p.slips.iter().enumerate() {
        let after = s.at > deadline;
        if !after {
            deadline = s.to;
        }
        let mut story = format!("{}\nfrom {}\nto   {}", at(&s.at), at(&s.from), at(&s.to));
        if after {
            story.push_str("\nafter the deadline had passed: a new target, still late");
        }
        if let Some(reason) = &s.reason {
            story.push_str(&format!("\nwhy  {}", clean(reason)));
        }
        line(if i == 0 { "slipped" } else { "" }, &story);
    }
    for (i, r) in p.reopened.iter().enumerate() {
        let mut story = format!("{}\nwas  {}", at(&r.at), r.from.as_str());
        if let Some(closed) = r.closed {
            story.push_str(&format!(" on {}", at(&closed)));
        }
        if let Some(reason) = &r.reason {
            story.push_str(&format!("\nwhy  {}", clean(reason)));
        }
        line(if i == 0 { "reopened" } else { "" }, &story);
    }
    for (i, r) in p.replaced.iter().enumerate() {
        let value = match (&r.value, r.closed) {
            (Some(v), Some(closed)) => format!("{} {}", clean(v), at(&closed)),
            (Some(v), None) => format!("\"{}\"", clean(v)),
            (None, _) => "(unset)".to_string(),
        };
        let story = format!("{}\n{} was {value}", at(&r.at), clean(&r.field));
        line(if i == 0 { "replaced" } else { "" }, &story);
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
