//! `promise add --from-email`: a promise from an email the user sent. Reading the message is
//! pure (`email`); this glues it to the store and the config, then records it through `add`, so
//! a captured promise is checked, stored and said back exactly like a typed one.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context as _, Result};

use super::add;
use crate::cli::AddArgs;
use crate::context::{Context, emit};
use crate::email::{self, Customer, CustomerError, Found};
use crate::error::usage;
use crate::model::{Promise, rfc3339, short_ids};
use crate::render;
use crate::render::text::clean;

pub fn run(args: AddArgs, source: &Path, ctx: &Context) -> Result<()> {
    let raw = read(source)?;
    let name = if source == Path::new("-") {
        "from stdin".to_string()
    } else {
        source.display().to_string()
    };
    let message =
        email::parse(&raw).map_err(|e| usage(format!("cannot read the email {name}: {e}")))?;
    let zone = ctx.zone_arg(args.tz.as_deref())?;
    let earlier = ctx.store.read_all()?;

    if let Some(id) = &message.message_id
        && let Some(p) = earlier.iter().find(|p| {
            p.reference
                .as_deref()
                .is_some_and(|r| same_message_id(r, id))
        })
    {
        let short = short_ids(earlier.iter().map(|p| &p.id))[p.id.as_str()];
        return Err(usage(format!(
            "this email is already promise {} ({}: {}, {}): the same Message-ID <{}>",
            clean(p.id.as_str().get(..short).unwrap_or(p.id.as_str())),
            clean(&p.customer),
            clean(&p.what),
            p.status.as_str(),
            clean(id)
        )));
    }

    let what = match args.what.clone() {
        Some(what) => what,
        None => {
            let what = message
                .subject
                .as_deref()
                .map(email::what_from_subject)
                .unwrap_or_default();
            if what.is_empty() {
                return Err(usage(
                    "the email has no subject to take what you promised from: give it, as in \
                     promise add \"Send revised figures\" --from-email FILE",
                ));
            }
            what
        }
    };

    let customer = match args.customer.clone() {
        Some(customer) => customer,
        None => customer_of(&message, &earlier, ctx)?,
    };

    let sent = message.date.map(|d| zone.localise(&d));
    let (due, said) = match args.due.clone() {
        Some(phrase) => (phrase, None),
        None => {
            let text = email::own_text(&message.body);
            let options = ctx.deadline_options();
            let as_of = sent.unwrap_or(ctx.now);
            let found = match email::deadline(&text, as_of, &zone, &options) {
                Found::One(found) => found,
                Found::None => {
                    return Err(usage(
                        "found no concrete deadline in what you wrote in the email (such as \
                         \"by Tuesday 14:00\"); give it with --due PHRASE",
                    ));
                }
                Found::Several(all) => {
                    let listed: Vec<String> = all
                        .iter()
                        .map(|c| format!("{} (\"{}\")", exact(&c.due, &zone), clean(&c.sentence)))
                        .collect();
                    return Err(usage(format!(
                        "the email names {} different deadlines: {}; pick one with --due \"{}\"",
                        all.len(),
                        listed.join(", "),
                        exact(&all[0].due, &zone)
                    )));
                }
            };
            if found.due < ctx.now && !args.allow_past {
                return Err(usage(format!(
                    "the deadline in the email has already passed: {} (\"{}\"); add \
                     --allow-past to record it anyway, or give another with --due PHRASE",
                    render::deadline_in_words(&found.due, &zone, &ctx.zone, &ctx.now),
                    clean(&found.sentence)
                )));
            }
            (
                rfc3339::format(&found.due),
                Some((found.sentence, sent.is_none())),
            )
        }
    };

    let (quiet, json) = (args.quiet, args.json);
    add::run(
        AddArgs {
            what: Some(what),
            customer: Some(customer),
            due: Some(due),
            contact: args
                .contact
                .or(message.to.as_ref().map(email::Mailbox::contact)),
            reference: args.reference.or(message.message_id),
            from_email: None,
            ..args
        },
        ctx,
    )?;
    if let Some((sentence, undated)) = said
        && !quiet
        && !json
    {
        let note = if undated {
            " (the email has no Date:, so it was read as of now)"
        } else {
            ""
        };
        emit(&format!("  said \"{}\"{note}", clean(&sentence)))?;
    }
    Ok(())
}

/// The message's bytes, from a file or from stdin (`-`).
fn read(source: &Path) -> Result<Vec<u8>> {
    if source == Path::new("-") {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Err(usage(
                "--from-email reads the email from stdin, which is a terminal: pipe a message in \
                 (mutt: <pipe-message>) or give the file, as in --from-email message.eml",
            ));
        }
        let mut raw = Vec::new();
        stdin
            .lock()
            .read_to_end(&mut raw)
            .context("could not read the email from stdin")?;
        return Ok(raw);
    }
    match std::fs::read(source) {
        Ok(raw) => Ok(raw),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(usage(format!(
            "cannot read the email {}: no such file",
            source.display()
        ))),
        Err(e) => Err(anyhow::anyhow!(
            "could not read the email {}: {e}",
            source.display()
        )),
    }
}

/// The customer for the message's first recipient: earlier promises to that domain, then the
/// config's `[customers]`.
fn customer_of(message: &email::Message, earlier: &[Promise], ctx: &Context) -> Result<String> {
    let Some(to) = &message.to else {
        return Err(usage(
            "the email has no To: recipient to tell the customer by; add --to CUSTOMER",
        ));
    };
    let Some(domain) = to.domain() else {
        return Err(usage(format!(
            "cannot tell the customer of \"{}\": it has no address domain; add --to CUSTOMER",
            clean(&to.address)
        )));
    };
    match email::customer(&domain, earlier, &ctx.config.customers) {
        Ok(Customer::Earlier(name) | Customer::Configured(name)) => Ok(name),
        Err(CustomerError::Unknown { domain }) => Err(usage(format!(
            "no customer is known for {domain}: no earlier promise went to that domain and \
             [customers] in the config does not name it; add --to \"CUSTOMER\" (the next email \
             to {domain} then finds it), or put \"{domain}\" = \"CUSTOMER\" under [customers] \
             in the config"
        ))),
        Err(CustomerError::Several { domain, names }) => Err(usage(format!(
            "earlier promises to {domain} went to {}: say which with --to \"{}\", or put \
             \"{domain}\" = \"CUSTOMER\" under [customers] in the config",
            clean(&names.join(", ")),
            clean(&names[0])
        ))),
    }
}

/// Message-IDs compare without their angle brackets, as a --ref may have been typed either way.
fn same_message_id(reference: &str, id: &str) -> bool {
    reference
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        == id
}

/// "2026-11-24 14:00": exact, and read the same way by `--due`.
fn exact(t: &crate::model::Instant, zone: &crate::zone::Zone) -> String {
    zone.localise(t).format("%Y-%m-%d %H:%M").to_string()
}
