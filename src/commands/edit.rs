use anyhow::Result;

use super::{closed_error, optional, required, to_json};
use crate::cli::EditArgs;
use crate::context::{Context, emit};
use crate::error::usage;
use crate::model::{IdError, Promise, find};
use crate::render::text::clean;

pub fn run(args: EditArgs, ctx: &Context) -> Result<()> {
    if args.to.is_some() {
        return Err(usage(
            "edit has no --to: for the customer use --customer NAME; to move the deadline use \
             `promise slip ID --to PHRASE`",
        ));
    }
    if args.due.is_some() {
        return Err(usage(
            "edit does not change deadlines: use `promise slip ID --to PHRASE`, which keeps the first deadline on record",
        ));
    }
    if args.what.is_none()
        && args.customer.is_none()
        && args.contact.is_none()
        && args.reference.is_none()
        && args.note.is_none()
    {
        return Err(usage(
            "nothing to change; give --what, --customer, --contact, --ref or --note",
        ));
    }
    let what = args
        .what
        .as_deref()
        .map(|w| required("--what", w))
        .transpose()?;
    let customer = args
        .customer
        .as_deref()
        .map(|c| required("--customer", c))
        .transpose()?;
    let contact = args
        .contact
        .map(|c| optional("--contact", Some(c)))
        .transpose()?;
    let reference = args
        .reference
        .map(|r| optional("--ref", Some(r)))
        .transpose()?;
    let note = args.note.map(|n| optional("--note", Some(n))).transpose()?;

    let mut tx = ctx.store.transaction()?;
    let p: &mut Promise = match find(&tx.open.promises, &args.id) {
        Ok(i) => &mut tx.open.promises[i],
        // A closed promise is edited where it lives, in the archive.
        Err(IdError::Unknown(_)) => tx.closed_mut(&args.id).map_err(closed_error)?,
        Err(e) => return Err(e.into()),
    };
    if let Some(what) = what {
        p.what = what;
    }
    if let Some(customer) = customer {
        p.customer = customer;
    }
    if let Some(contact) = contact {
        p.contact = contact;
    }
    if let Some(reference) = reference {
        p.reference = reference;
    }
    if let Some(note) = note {
        p.note = note;
    }
    let promise = p.clone();
    tx.commit()?;

    if args.json {
        return Ok(emit(&to_json(&promise))?);
    }
    Ok(emit(&format!(
        "Edited {}: {} for {}",
        promise.id,
        clean(&promise.what),
        clean(&promise.customer)
    ))?)
}
