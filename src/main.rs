use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use promise::cli::Cli;
use promise::render::text::clean;
use promise::{commands, error};

fn main() -> ExitCode {
    // A completion script asking for candidates is answered here, and the process ends.
    commands::completions::answer_if_asked();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && std::env::args_os().nth(1).is_some_and(|a| a == "prompt") => {
            // The prompt segment never fails and never writes to stderr, even when misused.
            let _ = writeln!(std::io::stdout(), "{}", promise::commands::prompt::MARKER);
            return ExitCode::SUCCESS;
        }
        Err(e) if e.use_stderr() => {
            // A usage error may quote what was typed: each line is cleaned of control characters.
            let text = e.render().to_string();
            let mut err = std::io::stderr().lock();
            for line in text.lines() {
                let _ = writeln!(err, "{}", clean(line));
            }
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
        Err(e) => {
            // Help and version go to stdout; a closed pipe is no panic.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if error::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, and nothing in it can steer the terminal: errors quote user text.
            let message = one_line(&e);
            let _ = writeln!(std::io::stderr(), "promise: {}", clean(&message));
            ExitCode::from(error::exit_code(&e) as u8)
        }
    }
}

/// The error and its causes on one line, each said once: a cause whose text its parent already
/// quotes ("could not write x: Permission denied") is not repeated.
fn one_line(e: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message.replace('\n', " ")
}
