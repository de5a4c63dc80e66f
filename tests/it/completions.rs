//! The committed completion scripts in `completions/` must match what the binary generates.
//! Refresh them with: for s in bash zsh fish elvish powershell; do ... (see README).

use crate::env::TestEnv;

const FILES: [(&str, &str); 5] = [
    ("bash", "promise.bash"),
    ("zsh", "_promise"),
    ("fish", "promise.fish"),
    ("elvish", "promise.elv"),
    ("powershell", "_promise.ps1"),
];

#[test]
fn committed_completions_are_fresh() {
    let env = TestEnv::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in FILES {
        let generated = env.ok(&["completions", shell]);
        let committed = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            generated == committed,
            "completions/{file} is stale; run: cargo run -q -- completions {shell} > completions/{file}"
        );
        assert!(
            generated.contains("slip"),
            "{shell} completions lack subcommands"
        );
    }
}
