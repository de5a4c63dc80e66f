//! `promise init`: in real bash, zsh and fish, the segment lands in front of the user's own
//! prompt, once, however often the init code is loaded. `.ci/run` installs the shells; where one
//! is missing its test says it skipped.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::env::{TestEnv, have};

/// The shell, or None (and the test skips) when it is not installed.
fn shell(name: &str) -> Option<Command> {
    have(name, name).then(|| Command::new(name))
}

/// An environment with an overdue promise and `promise` on PATH.
fn overdue_env() -> TestEnv {
    let mut env = TestEnv::new();
    env.add("Send proposal", "Acme Oy", "11:00");
    env.now = "2026-11-23T12:00:00+02:00".into();
    env
}

/// `cmd` in `env`'s environment, with this build of `promise` first on PATH.
pub fn with_env(env: &TestEnv, mut cmd: Command) -> Command {
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_promise"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    cmd.env_clear()
        .env("PATH", path)
        .env("HOME", env.data_dir().parent().unwrap())
        .env("PROMISE_DATA_DIR", env.data_dir())
        .env("PROMISE_NOW", &env.now)
        .env("TZ", "Europe/Helsinki")
        .env("TERM", "dumb")
        .stdin(Stdio::piped());
    cmd
}

fn interactive(env: &TestEnv, mut cmd: Command, script: &str) -> String {
    use std::io::Write;
    cmd = with_env(env, cmd);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    // Interactive shells write their prompts to stderr.
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn bash_shows_the_segment_once_in_front_of_the_users_prompt() {
    let env = overdue_env();
    let Some(mut bash) = shell("bash") else {
        return;
    };
    bash.args(["--norc", "--noprofile", "-i"]);
    let out = interactive(
        &env,
        bash,
        "PS1='mine> '\neval \"$(promise init bash)\"\neval \"$(promise init bash)\"\necho one\n",
    );
    assert!(out.contains("!1 mine> echo one"), "{out}");
    assert!(!out.contains("!1 !1"), "segment twice: {out}");
}

#[test]
fn bash_leaves_the_prompt_alone_when_nothing_is_due() {
    let mut env = overdue_env();
    env.now = "2026-11-23T08:00:00+02:00".into();
    let Some(mut bash) = shell("bash") else {
        return;
    };
    bash.args(["--norc", "--noprofile", "-i"]);
    let out = interactive(
        &env,
        bash,
        "PS1='mine> '\neval \"$(promise init bash)\"\necho one\n",
    );
    assert!(
        out.contains("mine> echo one") && !out.contains('!'),
        "{out}"
    );
}

#[test]
fn zsh_shows_the_segment_once_in_front_of_the_users_prompt() {
    let env = overdue_env();
    let Some(mut zsh) = shell("zsh") else {
        return;
    };
    zsh.args(["-f", "-i"]);
    let out = interactive(
        &env,
        zsh,
        "PROMPT='mine> '\neval \"$(promise init zsh)\"\neval \"$(promise init zsh)\"\necho one\necho two\n",
    );
    assert!(out.contains("!1 mine> "), "{out}");
    assert!(!out.contains("!1 !1"), "segment twice: {out}");
}

#[test]
fn fish_shows_the_segment_once_in_front_of_the_users_prompt() {
    let env = overdue_env();
    let Some(fish) = shell("fish") else {
        return;
    };
    let mut fish = with_env(&env, fish);
    fish.args([
        "--no-config",
        "-c",
        "function fish_prompt; echo -n 'mine> '; end
         promise init fish | source
         promise init fish | source
         fish_prompt",
    ]);
    let out = fish.stdin(Stdio::null()).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "!1 mine> ",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
