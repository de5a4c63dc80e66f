use anyhow::Result;

use crate::cli::{InitArgs, InitShell};
use crate::context::emit;

pub fn run(args: InitArgs) -> Result<()> {
    Ok(emit(script(args.shell))?)
}

/// The shell code for `eval "$(promise init SHELL)"`.
pub fn script(shell: InitShell) -> &'static str {
    match shell {
        InitShell::Bash => include_str!("../shell/promise.bash"),
        InitShell::Zsh => include_str!("../shell/promise.zsh"),
        InitShell::Fish => include_str!("../shell/promise.fish"),
    }
}
