use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use promise::cli::Cli;
use promise::{commands, error};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && std::env::args_os().nth(1).is_some_and(|a| a == "prompt") => {
            // The prompt segment never fails and never writes to stderr, even when misused.
            let _ = writeln!(std::io::stdout(), "{}", promise::commands::prompt::MARKER);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // Help and version go to stdout, usage errors to stderr; a closed pipe is no panic.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    match commands::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if error::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let message = format!("{e:#}").replace('\n', " ");
            let _ = writeln!(std::io::stderr(), "promise: {message}");
            ExitCode::from(error::exit_code(&e) as u8)
        }
    }
}
