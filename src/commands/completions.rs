//! Shell completion: subcommands and flags from the clap model, and ids and customer names
//! from the store, asked of `promise` itself at each TAB (clap_complete's dynamic engine).
//! `promise completions SHELL` prints the small script that wires a shell to it.

use std::ffi::OsStr;
use std::sync::OnceLock;

use anyhow::{Result, anyhow};
use clap::CommandFactory;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::Shells;

use crate::cli::{Cli, CompletionsArgs};
use crate::context::{self, emit};
use crate::customer::{self, Names};
use crate::model::Promise;
use crate::render::text::clean;
use crate::store::Store;

/// The variable the completion scripts set to ask `promise` for candidates; a name of our own,
/// so an unrelated `COMPLETE` in the environment never turns a normal run into a completion.
pub const VAR: &str = "_PROMISE_COMPLETE";

/// The shell asking, read before clap_complete clears the variable.
static SHELL: OnceLock<String> = OnceLock::new();

pub fn run(args: CompletionsArgs) -> Result<()> {
    Ok(emit(&script(args.shell)?)?)
}

/// The registration script for a shell.
pub fn script(shell: clap_complete::Shell) -> Result<String> {
    let name = shell.to_string();
    let shells = Shells::builtins();
    let completer = shells
        .completer(&name)
        .ok_or_else(|| anyhow!("no completion support for {name}"))?;
    let mut buf = Vec::new();
    completer.write_registration(VAR, "promise", "promise", "promise", &mut buf)?;
    Ok(String::from_utf8(buf)?)
}

/// When a completion script is asking, answers it and exits; otherwise returns at once.
pub fn answer_if_asked() {
    let Ok(shell) = std::env::var(VAR) else {
        return;
    };
    let _ = SHELL.set(shell);
    clap_complete::CompleteEnv::with_factory(command)
        .var(VAR)
        .bin("promise")
        .completer("promise")
        .complete();
}

/// The clap model with the store's ids and customers attached to the arguments that take them.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    // Subcommands define their arguments when first used (see `cli::Lazy`): all of them here.
    cmd.build();
    for sub in cmd.get_subcommands_mut() {
        let has = |id: &str| sub.get_arguments().any(|a| a.get_id() == id);
        let (id, customer) = (has("id"), has("customer"));
        // Closing and slipping take open promises; show, edit and the like any promise.
        let only_open = matches!(sub.get_name(), "done" | "slip" | "cancel");
        let mut built = std::mem::take(sub);
        if id {
            built = built.mut_arg("id", |a| {
                a.add(ArgValueCompleter::new(if only_open {
                    open_ids as fn(&OsStr) -> Vec<CompletionCandidate>
                } else {
                    all_ids
                }))
            });
        }
        if customer {
            built = built.mut_arg("customer", |a| a.add(ArgValueCompleter::new(customers)));
        }
        *sub = built;
    }
    cmd
}

/// The promises, read as any reader does: no lock, no writes. Nothing when unreadable.
fn promises(all: bool) -> Vec<Promise> {
    let Ok(dir) = context::data_dir() else {
        return Vec::new();
    };
    let store = Store::new(dir);
    let read = if all {
        store.read_all()
    } else {
        store.read_open().map(|f| f.promises)
    };
    read.unwrap_or_default()
}

fn open_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    ids(&promises(false), current)
}

fn all_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    ids(&promises(true), current)
}

/// Full ids starting with what was typed, each described by its customer and what.
fn ids(promises: &[Promise], current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = unquote(&current.to_string_lossy()).to_lowercase();
    let mut sorted: Vec<&Promise> = promises
        .iter()
        .filter(|p| p.id.as_str().starts_with(&typed))
        .collect();
    sorted.sort_by_key(|p| (!p.is_open(), p.due));
    sorted
        .into_iter()
        .map(|p| {
            let help = format!("{}: {}", clean(&p.customer), clean(&p.what));
            CompletionCandidate::new(p.id.as_str()).help(Some(one_line(&help).into()))
        })
        .collect()
}

/// Customer names, in their shown spelling, that start with what was typed (case and spacing
/// do not matter).
fn customers(current: &OsStr) -> Vec<CompletionCandidate> {
    let all = promises(true);
    let names = Names::of(&all);
    let typed = customer::key(&unquote(&current.to_string_lossy()));
    let mut shown: Vec<&str> = all
        .iter()
        .map(|p| names.shown(&p.customer))
        .filter(|name| customer::key(name).starts_with(&typed))
        .filter(|name| !name.chars().any(crate::render::text::is_hostile))
        .collect();
    shown.sort_by_key(|name| customer::key(name));
    shown.dedup();
    shown
        .into_iter()
        .map(|name| CompletionCandidate::new(for_shell(name)))
        .collect()
}

/// A word as typed on a command line, without the quoting around it: `"Acme O`, `Acme\ O`.
fn unquote(word: &str) -> String {
    let word = word.trim_start_matches(['"', '\'']);
    let mut out = String::new();
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// Bash inserts a candidate as it is, so a name with a space must come escaped; the other
/// shells quote candidates themselves.
fn for_shell(name: &str) -> String {
    if SHELL.get().map(String::as_str) != Some("bash") {
        return name.to_string();
    }
    name.chars()
        .flat_map(|c| {
            let plain = !c.is_ascii() || c.is_ascii_alphanumeric() || "._,+@%/-".contains(c);
            (!plain)
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

fn one_line(text: &str) -> String {
    let line: String = text.chars().take(60).collect();
    if line.len() < text.len() {
        format!("{line}…")
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_lose_their_shell_quoting() {
        assert_eq!(unquote("\"Acme O"), "Acme O");
        assert_eq!(unquote("Acme\\ O"), "Acme O");
        assert_eq!(unquote("'acme"), "acme");
    }

    #[test]
    fn every_shell_has_a_script_that_calls_promise() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::Elvish,
            clap_complete::Shell::PowerShell,
        ] {
            let text = script(shell).unwrap();
            assert!(text.contains(VAR) && text.contains("promise"), "{shell}");
        }
    }

    #[test]
    fn ids_and_customers_are_attached_where_they_are_taken() {
        let cmd = command();
        for (sub, arg) in [
            ("done", "id"),
            ("show", "id"),
            ("add", "customer"),
            ("list", "customer"),
            ("edit", "customer"),
        ] {
            let a = cmd
                .find_subcommand(sub)
                .and_then(|s| s.get_arguments().find(|a| a.get_id() == arg))
                .unwrap();
            assert!(a.get::<ArgValueCompleter>().is_some(), "{sub} {arg}");
        }
    }
}
