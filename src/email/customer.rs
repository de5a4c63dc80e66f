//! Which customer a message went to, from its recipient's address domain.

use std::collections::BTreeMap;

use crate::model::Promise;

/// The customer found for a domain, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Customer {
    /// The customer of earlier promises whose contacts have this domain.
    Earlier(String),
    /// `[customers]` in the config.
    Configured(String),
}

impl Customer {
    pub fn name(&self) -> &str {
        match self {
            Customer::Earlier(name) | Customer::Configured(name) => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerError {
    #[error("no customer is known for {domain}")]
    Unknown { domain: String },
    /// Earlier promises to this domain went to different customers (a shared mail provider).
    #[error("earlier promises to {domain} went to {}", names.join(", "))]
    Several { domain: String, names: Vec<String> },
}

/// The domain of an address or a stored contact ("Liisa <liisa@Acme.fi>" → "acme.fi"), lowercase.
pub fn domain_of(contact: &str) -> Option<String> {
    let address = match (contact.rfind('<'), contact.rfind('>')) {
        (Some(open), Some(close)) if open < close => &contact[open + 1..close],
        _ => contact
            .split_whitespace()
            .find(|w| w.contains('@'))
            .unwrap_or_default(),
    };
    let (local, domain) = address.trim().rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.').to_lowercase();
    let valid = !local.is_empty()
        && !domain.is_empty()
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    valid.then_some(domain)
}

/// The customer for mail to `domain`: the customer of earlier promises (open or closed) whose
/// contact has exactly this domain (a subdomain is another domain), else `[customers]` in the
/// config. Spellings of one customer that differ only in case and spacing count as one; the
/// first one stored is used, as everywhere (SPEC section 1).
pub fn customer(
    domain: &str,
    earlier: &[Promise],
    configured: &BTreeMap<String, String>,
) -> Result<Customer, CustomerError> {
    let domain = domain.to_lowercase();
    let mut matching: Vec<&Promise> = earlier
        .iter()
        .filter(|p| p.contact.as_deref().and_then(domain_of).as_deref() == Some(&domain))
        .collect();
    matching.sort_by_key(|p| p.made);
    let mut names: Vec<String> = Vec::new();
    for p in &matching {
        if !names.iter().any(|n| same_customer(n, &p.customer)) {
            names.push(p.customer.clone());
        }
    }
    match (names.len(), configured.get(&domain)) {
        (1, _) => Ok(Customer::Earlier(names.remove(0))),
        (_, Some(name)) => Ok(Customer::Configured(name.clone())),
        (0, None) => Err(CustomerError::Unknown { domain }),
        _ => Err(CustomerError::Several { domain, names }),
    }
}

/// Case and white space do not make another customer (SPEC section 1).
fn same_customer(a: &str, b: &str) -> bool {
    crate::customer::key(a) == crate::customer::key(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, Promise};

    fn promise(customer: &str, contact: Option<&str>, made: &str) -> Promise {
        let t = chrono::DateTime::parse_from_rfc3339(made).unwrap();
        Promise {
            contact: contact.map(str::to_string),
            ..Promise::new(Id("x".into()), customer.into(), "w".into(), t, t)
        }
    }

    #[test]
    fn domains_come_from_addresses_and_contacts() {
        assert_eq!(domain_of("liisa@Acme.FI").as_deref(), Some("acme.fi"));
        assert_eq!(
            domain_of("Liisa Virtanen <liisa@acme.fi>").as_deref(),
            Some("acme.fi")
        );
        assert_eq!(
            domain_of("\"a@b\" <liisa@sub.acme.fi>").as_deref(),
            Some("sub.acme.fi")
        );
        assert_eq!(domain_of("Liisa liisa@acme.fi").as_deref(), Some("acme.fi"));
        assert_eq!(domain_of("Liisa"), None);
        assert_eq!(domain_of("@acme.fi"), None);
        assert_eq!(domain_of("liisa@"), None);
    }

    #[test]
    fn earlier_promises_name_the_customer_exactly_by_domain() {
        let earlier = [
            promise(
                "Acme Oy",
                Some("Liisa <liisa@ACME.fi>"),
                "2026-01-01T00:00:00Z",
            ),
            promise(
                "Acme Sub",
                Some("Pekka <pekka@sub.acme.fi>"),
                "2026-01-02T00:00:00Z",
            ),
            promise("Nobody", Some("Pekka"), "2026-01-02T00:00:00Z"),
        ];
        let none = BTreeMap::new();
        assert_eq!(
            customer("acme.fi", &earlier, &none),
            Ok(Customer::Earlier("Acme Oy".into()))
        );
        assert_eq!(
            customer("Sub.Acme.fi", &earlier, &none),
            Ok(Customer::Earlier("Acme Sub".into()))
        );
        assert_eq!(
            customer("cme.fi", &earlier, &none),
            Err(CustomerError::Unknown {
                domain: "cme.fi".into()
            })
        );
    }

    #[test]
    fn the_config_names_customers_no_promise_has_named_yet() {
        let configured = BTreeMap::from([("beta.se".to_string(), "Beta AB".to_string())]);
        assert_eq!(
            customer("BETA.se", &[], &configured),
            Ok(Customer::Configured("Beta AB".into()))
        );
    }

    #[test]
    fn one_customer_under_two_spellings_is_one_and_two_customers_are_refused() {
        let same = [
            promise("acme  oy", Some("a@acme.fi"), "2026-01-01T00:00:00Z"),
            promise("Acme Oy", Some("b@acme.fi"), "2026-02-01T00:00:00Z"),
        ];
        assert_eq!(
            customer("acme.fi", &same, &BTreeMap::new()),
            Ok(Customer::Earlier("acme  oy".into()))
        );
        let shared = [
            promise("Acme Oy", Some("a@gmail.com"), "2026-01-01T00:00:00Z"),
            promise("Beta Ab", Some("b@gmail.com"), "2026-02-01T00:00:00Z"),
        ];
        assert_eq!(
            customer("gmail.com", &shared, &BTreeMap::new()),
            Err(CustomerError::Several {
                domain: "gmail.com".into(),
                names: vec!["Acme Oy".into(), "Beta Ab".into()]
            })
        );
    }
}
