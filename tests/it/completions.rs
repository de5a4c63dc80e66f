//! Generated files kept fresh (the completion scripts in `completions/`, the man pages in
//! `man/`), and completion of ids and customer names from the store, as a shell asks for it.
//!
//! Refresh the generated files after changing the CLI with:
//! `UPDATE_GENERATED=1 cargo test --test it generated`

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

use crate::env::{TestEnv, have};

const FILES: [(&str, &str); 5] = [
    ("bash", "promise.bash"),
    ("zsh", "_promise"),
    ("fish", "promise.fish"),
    ("elvish", "promise.elv"),
    ("powershell", "_promise.ps1"),
];

fn repo(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)
}

/// Compares generated files with the committed ones, or writes them with UPDATE_GENERATED=1.
fn check_fresh(dir: &str, generated: &BTreeMap<String, String>) {
    let dir = repo(dir);
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in generated {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let committed: BTreeMap<String, String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    (name, std::fs::read_to_string(e.path()).unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default();
    for (name, text) in generated {
        assert!(
            committed.get(name) == Some(text),
            "{}/{name} is stale; run: UPDATE_GENERATED=1 cargo test --test it generated",
            dir.display()
        );
    }
    for name in committed.keys() {
        assert!(
            generated.contains_key(name),
            "{}/{name} is no longer generated; remove it",
            dir.display()
        );
    }
}

#[test]
fn generated_completion_scripts_are_fresh() {
    let env = TestEnv::new();
    let generated: BTreeMap<String, String> = FILES
        .iter()
        .map(|(shell, file)| (file.to_string(), env.ok(&["completions", shell])))
        .collect();
    for text in generated.values() {
        // Each script asks `promise` itself for candidates, so they follow the store.
        assert!(text.contains("_PROMISE_COMPLETE"), "{text}");
    }
    check_fresh("completions", &generated);
}

#[test]
fn generated_man_pages_are_fresh() {
    let out = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(promise::cli::Cli::command(), out.path()).unwrap();
    let generated: BTreeMap<String, String> = std::fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    let main = &generated["promise.1"];
    for needle in ["promise\\-add(1)", "\\-\\-color", "PROMISE_DATA_DIR"] {
        assert!(main.contains(needle), "{needle} missing from promise.1");
    }
    assert!(generated["promise-add.1"].contains("\\-\\-allow\\-past"));
    check_fresh("man", &generated);
}

/// A store with open and closed promises for two customers.
fn store() -> (TestEnv, String, String) {
    let env = TestEnv::new();
    let open = env.add("Send revised proposal", "Acme Oy", "tuesday 14:00");
    let closed = env.add("Call back", "Suomen Pitkä Oy", "friday 12:00");
    env.ok(&["done", &closed]);
    (env, open, closed)
}

/// What `promise` answers a shell that asks for candidates for `words` (the last is the word
/// being completed), one candidate a line.
fn candidates(env: &TestEnv, shell: &str, words: &[&str]) -> Vec<String> {
    let out = env
        .command(["--", "promise"].iter().chain(words))
        .env("_PROMISE_COMPLETE", shell)
        .env("_CLAP_COMPLETE_INDEX", words.len().to_string())
        .env("_CLAP_IFS", "\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split(['\t', ':']).next().unwrap().to_string())
        .collect()
}

#[test]
fn ids_complete_from_the_store() {
    let (env, open, closed) = store();
    let done = candidates(&env, "fish", &["done", ""]);
    assert!(done.contains(&open) && !done.contains(&closed), "{done:?}");
    let show = candidates(&env, "fish", &["show", ""]);
    assert!(show.contains(&open) && show.contains(&closed), "{show:?}");
    let prefix = candidates(&env, "fish", &["show", &open[..3]]);
    assert!(prefix.contains(&open), "{prefix:?}");
    // Completing reads the store and changes nothing.
    let before = env.snapshot();
    candidates(&env, "fish", &["done", ""]);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn customers_complete_however_they_are_typed() {
    let (env, _, _) = store();
    assert_eq!(
        candidates(&env, "fish", &["list", "--customer", "suomen p"]),
        ["Suomen Pitkä Oy"]
    );
    assert_eq!(
        candidates(&env, "fish", &["add", "x", "--to", "ACME"]),
        ["Acme Oy"]
    );
    // Bash inserts candidates as they are: the space comes escaped.
    assert_eq!(
        candidates(&env, "bash", &["report", "--customer", "su"]),
        ["Suomen\\ Pitkä\\ Oy"]
    );
}

#[test]
fn bash_completes_ids_and_customers_through_the_script() {
    if !have("bash", "bash") {
        return;
    }
    let (env, open, _) = store();
    let script = format!(
        r#"source {}
COMP_WORDS=(promise done ""); COMP_CWORD=2; COMP_TYPE=9
_clap_complete_promise promise "" done
printf '[%s]\n' "${{COMPREPLY[@]}}"
COMP_WORDS=(promise list --customer acme); COMP_CWORD=3
_clap_complete_promise promise acme --customer
printf '[%s]\n' "${{COMPREPLY[@]}}"
"#,
        repo("completions").join("promise.bash").display()
    );
    let out = crate::shells::with_env(&env, std::process::Command::new("bash"))
        .args(["--norc", "--noprofile", "-c", &script])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("[{open}]")), "{stdout}");
    assert!(stdout.contains("[Acme\\ Oy]"), "{stdout}");
}
