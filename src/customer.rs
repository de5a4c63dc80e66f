//! Customers are one name however they are typed: "acme oy", "Acme Oy" and "ACME  OY" are the
//! same customer. Names match after Unicode case folding and collapsing white space; the first
//! spelling stored is the one shown.

use std::collections::HashMap;

use crate::model::Promise;

/// The form two names are compared in: white space collapsed to single spaces, trimmed, and
/// case-folded (full Unicode folding, so "STRASSE" matches "Straße").
pub fn key(name: &str) -> String {
    let collapsed = name.split_whitespace().collect::<Vec<_>>().join(" ");
    unicase::UniCase::new(collapsed).to_folded_case()
}

/// [`key`] for many promises, folding each distinct spelling once: a long history names the
/// same few customers over and over.
#[derive(Debug, Default)]
pub struct Keys<'a> {
    folded: HashMap<&'a str, String>,
}

impl<'a> Keys<'a> {
    pub fn key(&mut self, name: &'a str) -> &str {
        self.folded.entry(name).or_insert_with(|| key(name))
    }
}

/// True when `query` (folded the same way) is part of `name`: how `--customer` filters.
pub fn matches(name: &str, query: &str) -> bool {
    key(name).contains(&key(query))
}

/// The spelling shown for each customer: the one of its earliest promise.
#[derive(Debug, Default)]
pub struct Names {
    first: HashMap<String, (crate::model::Instant, String)>,
}

impl Names {
    pub fn of<'a>(promises: impl IntoIterator<Item = &'a Promise>) -> Names {
        let mut names = Names::default();
        let mut keys = Keys::default();
        for p in promises {
            let key = keys.key(&p.customer);
            names.offer_keyed(key, &p.customer, p.made);
        }
        names
    }

    /// Counts a promise to `name` made at `made`: its spelling is shown if it is the earliest
    /// so far (the first offered wins a tie).
    pub fn offer(&mut self, name: &str, made: crate::model::Instant) {
        self.offer_keyed(&key(name), name, made);
    }

    fn offer_keyed(&mut self, key: &str, name: &str, made: crate::model::Instant) {
        match self.first.get_mut(key) {
            Some(first) if made < first.0 => *first = (made, name.to_string()),
            Some(_) => {}
            None => {
                self.first.insert(key.to_string(), (made, name.to_string()));
            }
        }
    }

    /// The spelling shown for `name`: the first one stored for that customer, else `name`.
    pub fn shown<'a>(&'a self, name: &'a str) -> &'a str {
        self.first
            .get(&key(name))
            .map_or(name, |(_, first)| first.as_str())
    }

    /// The customer's known spelling, when there is one.
    pub fn known(&self, name: &str) -> Option<&str> {
        self.first.get(&key(name)).map(|(_, first)| first.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Id;

    fn at(s: &str) -> crate::model::Instant {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn promise(customer: &str, made: &str) -> Promise {
        Promise::new(
            Id::random().unwrap(),
            customer.into(),
            "x".into(),
            at(made),
            at("2026-12-01T16:00:00+02:00"),
        )
    }

    #[test]
    fn case_and_white_space_do_not_make_another_customer() {
        assert_eq!(key("acme oy"), key("Acme Oy"));
        assert_eq!(key("ACME  OY"), key(" Acme\tOy "));
        assert_eq!(key("Straße GmbH"), key("STRASSE GMBH"));
        assert_eq!(key("ÅLAND ÖY"), key("åland öy"));
        assert_ne!(key("Acme Oy"), key("Acme Ab"));
        assert!(matches("Acme  Oy", "ACME o"));
        assert!(!matches("Beta Ab", "acme"));
    }

    #[test]
    fn the_first_spelling_stored_is_shown() {
        let names = Names::of(&[
            promise("ACME OY", "2026-11-20T10:00:00+02:00"),
            promise("Acme Oy", "2026-11-01T10:00:00+02:00"),
            promise("Beta Ab", "2026-11-21T10:00:00+02:00"),
        ]);
        assert_eq!(names.shown("acme  oy"), "Acme Oy");
        assert_eq!(names.shown("ACME OY"), "Acme Oy");
        assert_eq!(names.shown("Gamma"), "Gamma");
        assert_eq!(names.known("gamma"), None);
    }
}
