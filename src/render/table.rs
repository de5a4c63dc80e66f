//! Tables that fit the terminal by dropping and narrowing columns instead of wrapping rows: a
//! report row that wraps at 80 columns is noise.

use comfy_table::{Cell, CellAlignment, Color, ContentArrangement};

use super::text::{truncate, width};
use super::{new_table, trim_lines};

/// One column: its headers, its cells, and how readily it gives way.
pub struct Column {
    pub header: &'static str,
    /// The header when space is short.
    pub short: &'static str,
    pub right: bool,
    /// Columns with a lower rank are dropped first; rank 0 is never dropped.
    pub rank: u8,
    /// Cut with "…" when the table is still too wide with everything else dropped.
    pub narrows: bool,
    pub cells: Vec<(String, Option<Color>)>,
}

/// Below this a narrowing column is cut no further.
const NARROWEST: usize = 10;
/// A narrowing column is cut to this before anything is dropped.
const NARROW: usize = 24;

/// The columns as a table of at most `max` columns (terminal cells), if they can be made to fit:
/// first the short headers, then a narrowing column cut to a moderate width, then the columns of
/// lowest rank dropped one by one, then the narrowing column cut further.
pub fn fit(columns: &[Column], max: usize, color: bool) -> String {
    let mut short = false;
    let mut kept: Vec<bool> = vec![true; columns.len()];
    let mut narrow_to: Option<usize> = None;
    loop {
        // Measured without colour: escape sequences take no columns on a terminal.
        let plain = render(columns, &kept, short, narrow_to, false);
        let overflow = width(&plain).saturating_sub(max);
        if overflow == 0 {
            return render(columns, &kept, short, narrow_to, color);
        }
        if !short {
            short = true;
            continue;
        }
        let narrow_width = columns
            .iter()
            .zip(&kept)
            .filter(|(c, k)| **k && c.narrows)
            .map(|(c, _)| natural(c, short).min(narrow_to.unwrap_or(usize::MAX)))
            .max();
        if narrow_to.is_none() && narrow_width.is_some_and(|w| w > NARROW) {
            narrow_to = Some(NARROW);
            continue;
        }
        let droppable = columns
            .iter()
            .enumerate()
            .filter(|(i, c)| kept[*i] && c.rank > 0)
            .min_by_key(|(i, c)| (c.rank, std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        if let Some(i) = droppable {
            kept[i] = false;
            continue;
        }
        match narrow_width {
            Some(w) if w > NARROWEST => {
                narrow_to = Some(w.saturating_sub(overflow).max(NARROWEST));
            }
            _ => return render(columns, &kept, short, narrow_to, color),
        }
    }
}

fn natural(c: &Column, short: bool) -> usize {
    let header = if short { c.short } else { c.header };
    c.cells
        .iter()
        .map(|(text, _)| width(text))
        .chain(std::iter::once(width(header)))
        .max()
        .unwrap_or(0)
}

fn render(
    columns: &[Column],
    kept: &[bool],
    short: bool,
    narrow_to: Option<usize>,
    color: bool,
) -> String {
    let shown: Vec<&Column> = columns
        .iter()
        .zip(kept)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c)
        .collect();
    let mut table = new_table(color);
    table.set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(
        shown
            .iter()
            .map(|c| if short { c.short } else { c.header })
            .collect::<Vec<_>>(),
    );
    let rows = shown.iter().map(|c| c.cells.len()).max().unwrap_or(0);
    for r in 0..rows {
        table.add_row(shown.iter().map(|c| {
            let (text, fg) = c.cells.get(r).cloned().unwrap_or_default();
            let text = match narrow_to {
                Some(w) if c.narrows => truncate(&text, w).into_owned(),
                _ => text,
            };
            let cell = Cell::new(text);
            match fg {
                Some(fg) if color => cell.fg(fg),
                _ => cell,
            }
        }));
    }
    for (i, c) in shown.iter().enumerate() {
        if c.right
            && let Some(col) = table.column_mut(i)
        {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    trim_lines(&table.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(header: &'static str, rank: u8, narrows: bool, cells: &[&str]) -> Column {
        Column {
            header,
            short: header,
            right: false,
            rank,
            narrows,
            cells: cells.iter().map(|c| (c.to_string(), None)).collect(),
        }
    }

    #[test]
    fn a_table_that_fits_is_left_whole_and_one_that_does_not_drops_the_lowest_rank_first() {
        let columns = [
            column("customer", 0, true, &["Acme Corporation International Oy"]),
            column("score", 0, false, &["67"]),
            column("detail", 1, false, &["xxxxxxxxxxxxxxxxxxxx"]),
            column("more", 2, false, &["yyyyyyyyyy"]),
        ];
        let wide = fit(&columns, 200, false);
        assert!(wide.contains("detail") && wide.contains("Acme Corporation International Oy"));
        let narrow = fit(&columns, 50, false);
        assert!(narrow.lines().all(|l| width(l) <= 50), "{narrow}");
        assert!(
            !narrow.contains("detail") && narrow.contains("more"),
            "{narrow}"
        );
        let tiny = fit(&columns, 20, false);
        assert!(tiny.lines().all(|l| width(l) <= 20), "{tiny}");
        assert!(tiny.contains('…') && tiny.contains("67"), "{tiny}");
    }

    #[test]
    fn colour_takes_no_room() {
        let mut columns = vec![
            column("customer", 0, true, &["Acme Oy"]),
            column("score", 0, false, &["67"]),
            column("more", 1, false, &["yyyyyyyyyy"]),
        ];
        columns[1].cells[0].1 = Some(Color::Red);
        let plain = fit(&columns, 40, false);
        let colored = fit(&columns, 40, true);
        assert!(
            colored.contains("\x1b[") && colored.contains("more"),
            "{colored}"
        );
        assert_eq!(plain.lines().count(), colored.lines().count());
    }
}
