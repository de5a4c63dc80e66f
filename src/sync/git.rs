//! Running the system `git`: the user's own git, with their credentials, config and hooks.
//! Never interactive: a password prompt under cron would hang forever, so prompts are off
//! (`GIT_TERMINAL_PROMPT=0`, and ssh in batch mode when nothing else is configured) and a
//! missing credential is an error like any other.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What went wrong running git; the message is git's own, on one line.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error(
        "sync needs git, which is not installed or not on PATH; install it (apt-get install git) \
         and try again"
    )]
    Missing,
    #[error("git {command}: {message}")]
    Failed { command: String, message: String },
    #[error("could not run git {command}: {source}")]
    Io {
        command: String,
        #[source]
        source: std::io::Error,
    },
}

/// A finished git: its exit code (None: killed by a signal), stdout and stderr.
type Finished = (Option<i32>, Vec<u8>, Vec<u8>);

/// git, run in one working directory.
#[derive(Debug, Clone)]
pub struct Git {
    dir: PathBuf,
    env: Vec<(String, String)>,
    /// Whether git's own variables (`GIT_DIR`...) are passed on: only for a command git runs.
    inherit: bool,
}

/// Variables that would point git at another repository than the data directory's (set when
/// promise runs inside a git hook, say).
const REPOSITORY_VARIABLES: [&str; 7] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
];

impl Git {
    pub fn new(dir: &Path) -> Git {
        let mut env = vec![
            ("GIT_TERMINAL_PROMPT".to_string(), "0".to_string()),
            // Git Credential Manager's own prompt.
            ("GCM_INTERACTIVE".to_string(), "never".to_string()),
        ];
        if std::env::var_os("GIT_SSH_COMMAND").is_none() && std::env::var_os("GIT_SSH").is_none() {
            // Only where the user set no ssh command of their own (core.sshCommand is checked
            // by git after this variable, so it is looked up first in `Repo`).
            env.push((
                "GIT_SSH_COMMAND".to_string(),
                "ssh -o BatchMode=yes -o ConnectTimeout=30".to_string(),
            ));
        }
        Git {
            dir: dir.to_path_buf(),
            env,
            inherit: false,
        }
    }

    /// The repository of the git that runs this process (a merge driver), as that git set it up.
    pub fn calling() -> Git {
        Git {
            inherit: true,
            ..Git::new(Path::new("."))
        }
    }

    /// Leaves ssh as the user configured it (`core.sshCommand`).
    pub fn keep_ssh_command(&mut self) {
        self.env.retain(|(k, _)| k != "GIT_SSH_COMMAND");
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn command(&self, args: &[&str], extra_env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("-C").arg(&self.dir).args(args);
        if !self.inherit {
            for var in REPOSITORY_VARIABLES {
                cmd.env_remove(var);
            }
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs git; its stdout, or an error with its stderr.
    pub fn run(&self, args: &[&str]) -> Result<String, GitError> {
        self.run_with(args, &[], None)
            .map(|out| String::from_utf8_lossy(&out).trim_end().to_string())
    }

    /// Runs git with more environment and, optionally, bytes on stdin; its stdout as bytes.
    pub fn run_with(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
        input: Option<&[u8]>,
    ) -> Result<Vec<u8>, GitError> {
        let (code, stdout, stderr) = self.output(args, env, input)?;
        if code == Some(0) {
            Ok(stdout)
        } else {
            Err(failed(args, &stderr, code))
        }
    }

    /// Runs a git command that answers yes (exit 0) or no (exit 1).
    pub fn test(&self, args: &[&str]) -> Result<bool, GitError> {
        let (code, _, stderr) = self.output(args, &[], None)?;
        match code {
            Some(0) => Ok(true),
            Some(1) => Ok(false),
            _ => Err(failed(args, &stderr, code)),
        }
    }

    fn output(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
        input: Option<&[u8]>,
    ) -> Result<Finished, GitError> {
        let mut cmd = self.command(args, env);
        cmd.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| spawn_error(args, e))?;
        let mut stdin = child.stdin.take();
        let output = std::thread::scope(|scope| {
            if let (Some(mut pipe), Some(bytes)) = (stdin.take(), input) {
                // A writer of its own: git may fill its stdout before it has read all of stdin.
                scope.spawn(move || {
                    let _ = pipe.write_all(bytes);
                });
            }
            child.wait_with_output()
        })
        .map_err(|source| GitError::Io {
            command: args.first().unwrap_or(&"").to_string(),
            source,
        })?;
        Ok((output.status.code(), output.stdout, output.stderr))
    }

    /// The contents of objects, in the order asked for (`git cat-file --batch`, one process).
    pub fn objects(&self, ids: &[&str]) -> Result<Vec<Vec<u8>>, GitError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let args = ["cat-file", "--batch"];
        let mut child = self
            .command(&args, &[])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| spawn_error(&args, e))?;
        let request: String = ids.iter().map(|id| format!("{id}\n")).collect();
        let mut stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let io = |source| GitError::Io {
            command: "cat-file".into(),
            source,
        };
        let result: Result<Vec<Vec<u8>>, GitError> = std::thread::scope(|scope| {
            if let Some(mut pipe) = stdin.take() {
                let request = request.as_bytes();
                scope.spawn(move || {
                    let _ = pipe.write_all(request);
                });
            }
            let Some(stdout) = stdout else {
                return Ok(Vec::new());
            };
            let mut reader = BufReader::with_capacity(1 << 16, stdout);
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                let mut header = String::new();
                reader.read_line(&mut header).map_err(io)?;
                let mut parts = header.split_whitespace();
                let (_, kind, size) = (parts.next(), parts.next(), parts.next());
                let size: usize = match (kind, size.and_then(|s| s.parse().ok())) {
                    (Some(_), Some(size)) => size,
                    _ => {
                        return Err(GitError::Failed {
                            command: "cat-file".into(),
                            message: format!("object {id} is missing from the repository"),
                        });
                    }
                };
                let mut bytes = vec![0; size + 1];
                reader.read_exact(&mut bytes).map_err(io)?;
                bytes.pop();
                out.push(bytes);
            }
            Ok(out)
        });
        let _ = child.wait();
        result
    }
}

fn spawn_error(args: &[&str], e: std::io::Error) -> GitError {
    if e.kind() == std::io::ErrorKind::NotFound {
        GitError::Missing
    } else {
        GitError::Io {
            command: args.first().unwrap_or(&"").to_string(),
            source: e,
        }
    }
}

fn failed(args: &[&str], stderr: &[u8], code: Option<i32>) -> GitError {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("hint:"))
        .map(|l| {
            l.trim_start_matches("fatal: ")
                .trim_start_matches("error: ")
                .trim_start_matches("remote: ")
                .trim_end_matches('.')
        })
        .collect();
    let message = if lines.is_empty() {
        match code {
            Some(code) => format!("exited with {code}"),
            None => "killed by a signal".to_string(),
        }
    } else {
        lines.join("; ")
    };
    GitError::Failed {
        command: args.first().unwrap_or(&"").to_string(),
        message,
    }
}
