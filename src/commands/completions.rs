use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::context::emit;

pub fn run(args: CompletionsArgs) -> Result<()> {
    Ok(emit(&script(args.shell))?)
}

/// The completion script for a shell, generated from the clap model.
pub fn script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "promise", &mut buf);
    String::from_utf8(buf).expect("completion scripts are UTF-8")
}
