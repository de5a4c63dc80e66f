//! `promise sync` and `promise sync init REMOTE` (SPEC section 7): the store shared through git.
//!
//! A sync goes in rounds, at most [`ROUNDS`] (another machine may push between this one's fetch
//! and its push):
//!
//! 1. under the store lock, commit what changed here (even when the remote is out of reach, so
//!    that a change's commit is dated close to when it was made: the newer commit is what wins a
//!    field both machines changed);
//! 2. fetch;
//! 3. the target: the remote's commit (a fast-forward), this one (nothing new there), or a merge
//!    commit made from the three versions' files by promise id, without touching the working
//!    files;
//! 4. push the target; rejected because another machine pushed first → the next round;
//! 5. under the store lock, write the target's files through the store's writer and move the
//!    branch to it.
//!
//! A failed fetch or push (no network, no credentials, a remote that is gone) therefore leaves
//! the store's files as they were. Step 5 is noted in `.git/promise-sync-apply` before it
//! starts, so a sync killed during it is finished by the next one, which merges what the files
//! had become (and anything changed since) with the target.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use serde::Serialize;

use super::to_json;
use crate::cli::{SyncArgs, SyncCommand};
use crate::context::{Context, emit};
use crate::error::usage;
use crate::merge::{Changes, Conflict, Side};
use crate::model::rfc3339;
use crate::store::Store;
use crate::store::sync::{self as store_sync, Snapshot, Version};
use crate::sync::repo::{REMOTE, Tree};
use crate::sync::steps::{Plan, apply, changes, finish_interrupted, host, merge, plan};
use crate::sync::{Identity, Repo, SyncLock, crash_point};

/// How many times a sync fetches and merges again when another machine pushed first.
const ROUNDS: usize = 5;

/// The line `sync init` puts in `.gitattributes`: every store file is merged by promise.
const ATTRIBUTES: &str = "*.toml merge=promise";

/// What a sync did, for people and (`--json`) for scripts.
#[derive(Debug, Serialize)]
struct Outcome {
    remote: String,
    branch: String,
    /// What came in from the other machines.
    brought: Changes,
    /// What this machine sent them.
    sent: Changes,
    /// Fields both sides changed: the value kept, the one replaced (now in the promise's
    /// history). `winner` is `ours` (this machine) or `theirs`.
    replaced: Vec<Conflict>,
    /// The commit the store is at now.
    commit: Option<String>,
    /// Fetch-merge-push rounds it took (more than 1: another machine pushed meanwhile).
    rounds: usize,
    warnings: Vec<String>,
    /// For `sync init`: how the merge driver is run.
    #[serde(skip_serializing_if = "Option::is_none")]
    merge_driver: Option<String>,
}

pub fn run(args: SyncArgs, ctx: &Context) -> Result<()> {
    let outcome = match args.command {
        Some(SyncCommand::Init(init)) => init_store(&init.remote, ctx)?,
        None => sync(ctx)?,
    };
    if args.json {
        return Ok(emit(&to_json(&outcome))?);
    }
    if args.quiet
        && outcome.brought.is_empty()
        && outcome.replaced.is_empty()
        && outcome.warnings.is_empty()
    {
        return Ok(());
    }
    Ok(emit(&describe(&outcome))?)
}

fn sync(ctx: &Context) -> Result<Outcome> {
    Repo::check_git()?;
    let repo = Repo::at(ctx.store.dir());
    if !repo.exists() {
        return Err(usage(format!(
            "the store in {} is not shared yet; `promise sync init REMOTE` shares it through a \
             git remote",
            ctx.store.dir().display()
        )));
    }
    let lock = SyncLock::acquire(ctx.store.dir())?;
    if lock.interrupted {
        repo.remove_stale_locks();
    }
    // Closed promises go to the archive before the store is shared: where they belong. A store
    // that cannot be tidied (a file that does not parse) is the sync's to report, below.
    let _ = ctx.store.tidy();
    let outcome = run_locked(&repo, ctx)?;
    // What the other machines brought into the archive is indexed now, by the sync that runs
    // from cron, rather than by the next `done` or `show` someone waits for.
    let _ = ctx.store.refresh_ids();
    Ok(outcome)
}

/// Sets sharing up: a git repository in the data directory (or the one there), the remote,
/// `.gitattributes`, `.gitignore`, the merge driver; on an empty store, the remote's promises
/// (a clone); then a first sync.
fn init_store(remote: &str, ctx: &Context) -> Result<Outcome> {
    let remote = remote.trim();
    if remote.is_empty() {
        return Err(usage(
            "sync init needs a git remote: an ssh or https URL, or a path",
        ));
    }
    Repo::check_git()?;
    let dir = ctx.store.dir();
    // A local path is made absolute: the repository's config must not depend on the directory
    // `sync init` was typed in.
    let remote = match Path::new(remote) {
        p if !remote.contains("://") && !is_scp_like(remote) && p.exists() => {
            std::fs::canonicalize(p)
                .with_context(|| format!("could not read the remote {remote}"))?
                .to_string_lossy()
                .into_owned()
        }
        _ => remote.to_string(),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let repo = Repo::at(dir);
    let created = !repo.exists();
    let had: Vec<bool> = [".gitattributes", ".gitignore"]
        .iter()
        .map(|name| dir.join(name).exists())
        .collect();
    let lock = SyncLock::acquire(dir)?;
    if lock.interrupted {
        repo.remove_stale_locks();
    }
    let result = (|| -> Result<Outcome> {
        if created {
            repo.init()?;
        }
        match repo.remote_url()? {
            None => repo.add_remote(&remote)?,
            Some(url) if url == remote => {}
            Some(url) => {
                return Err(usage(format!(
                    "the store in {} already syncs with {url}; to move it to {remote}: git -C {} \
                     remote set-url {REMOTE} {remote}",
                    dir.display(),
                    dir.display()
                )));
            }
        }
        let mut cloned = None;
        // A repository without commits yet takes the remote's branch.
        if created || repo.head()?.is_none() {
            repo.fetch()?;
            if let Some(branch) = repo.remote_branch()? {
                repo.set_branch(&branch)?;
                // An empty store takes the remote's promises as they are: a clone.
                if ctx.store.snapshot()?.files.is_empty()
                    && let Some(upstream) = repo.upstream(&branch)?
                {
                    apply(&repo, &ctx.store, &branch, None, &upstream, None, ctx.now)?;
                    cloned = Some(changes(&Tree::default(), &repo.read(Some(&upstream))?)?);
                }
            }
        }
        let branch = repo.branch()?;
        repo.track(&branch)?;
        ensure_lines(&dir.join(".gitattributes"), &[ATTRIBUTES])?;
        ensure_lines(&dir.join(".gitignore"), Store::not_shared())?;
        let driver = driver_command();
        repo.set_config("merge.promise.name", "promise: merge promises by id")?;
        repo.set_config(
            "merge.promise.driver",
            &format!("{driver} merge-driver %O %A %B %P"),
        )?;
        let mut outcome = run_locked(&repo, ctx)?;
        outcome.merge_driver = Some(driver);
        if let Some(cloned) = cloned
            && outcome.brought.is_empty()
        {
            outcome.brought = cloned;
        }
        Ok(outcome)
    })();
    if result.is_err() && created {
        // Nothing of a failed first set-up stays behind: the store is as it was.
        let _ = std::fs::remove_dir_all(repo.git_dir());
        for (name, had) in [".gitattributes", ".gitignore"].iter().zip(had) {
            if !had {
                let _ = std::fs::remove_file(dir.join(name));
            }
        }
    }
    result
}

/// `host:path`, git's short form of an ssh remote.
fn is_scp_like(remote: &str) -> bool {
    match remote.split_once(':') {
        Some((host, _)) => !host.is_empty() && !host.contains('/'),
        None => false,
    }
}

/// How git runs the merge driver: `promise` when the `promise` found on PATH is this very
/// binary (the name survives upgrades, and versioned install paths such as Homebrew's or Nix's
/// that change with each one); else this binary's absolute path (a development build, or an
/// install outside PATH, where the bare name would find nothing or another version).
fn driver_command() -> String {
    let me = std::env::current_exe().and_then(std::fs::canonicalize).ok();
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join("promise"))
            .find(|p| p.is_file())
            .and_then(|p| std::fs::canonicalize(p).ok())
    });
    match (me, on_path) {
        (Some(me), Some(found)) if me == found => "promise".to_string(),
        (Some(me), _) => shell_quote(&me.to_string_lossy()),
        (None, _) => "promise".to_string(),
    }
}

fn shell_quote(text: &str) -> String {
    if text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Adds to a text file the lines it lacks, keeping the ones it has.
fn ensure_lines(path: &Path, lines: &[&str]) -> Result<()> {
    let old = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("could not read {}", path.display())),
    };
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !old.lines().any(|have| have.trim() == *l))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut text = old;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(path, text).with_context(|| format!("could not write {}", path.display()))
}

/// The sync itself, under the sync lock.
fn run_locked(repo: &Repo, ctx: &Context) -> Result<Outcome> {
    let dir = ctx.store.dir();
    if let Some(what) = repo.operation_under_way() {
        bail!(
            "{what} started by hand is unfinished in {}; finish or abort it (git -C {} status \
             says how) and sync again; nothing was changed",
            dir.display(),
            dir.display()
        );
    }
    let Some(url) = repo.remote_url()? else {
        return Err(usage(format!(
            "the repository in {} has no remote {REMOTE}; `promise sync init REMOTE` sets one",
            dir.display()
        )));
    };
    if !repo.has_identity() {
        bail!(
            "git does not know who you are, and every commit records it; set it with git config \
             --global user.email you@example.com and git config --global user.name \"Your Name\""
        );
    }
    let branch = repo.branch()?;
    let mut outcome = Outcome {
        remote: url,
        branch: branch.clone(),
        brought: Changes::default(),
        sent: Changes::default(),
        replaced: Vec::new(),
        commit: None,
        rounds: 0,
        warnings: Vec::new(),
        merge_driver: None,
    };
    let (replaced, warning) = finish_interrupted(repo, &ctx.store, &branch, ctx.now)?;
    outcome.replaced.extend(replaced);
    outcome.warnings.extend(warning);
    let _ = Identity {
        email: repo.email(),
    }
    .save(dir);

    let date = rfc3339::format(&ctx.now);
    {
        let _held = ctx.store.hold()?;
        let staged = repo.stage_all()?;
        // A file that does not parse is never shared: the other machines could not read it.
        let mut changed = Snapshot::default();
        for rel in staged.iter().filter(|rel| Snapshot::is_store_file(rel)) {
            if let Ok(bytes) = std::fs::read(dir.join(rel)) {
                changed.files.insert(rel.clone(), bytes);
            }
        }
        if let Err(e) = store_sync::read(Version {
            name: &dir.display().to_string(),
            files: &changed,
        }) {
            repo.unstage()?;
            bail!("{e}; nothing was synced: fix the file and sync again");
        }
        if !staged.is_empty() {
            repo.commit_staged(&format!("promise: changes on {}", host()), &date)?;
        }
    }
    crash_point("sync-after-commit");

    for round in 1..=ROUNDS {
        outcome.rounds = round;
        repo.fetch()?;
        crash_point("sync-after-fetch");
        let head = repo.head()?;
        let upstream = repo.upstream(&branch)?;
        let (target, to_push) = match plan(repo, head.as_deref(), upstream.as_deref())? {
            Plan::Nothing => return Ok(outcome),
            Plan::UpToDate(h) => (h, false),
            Plan::Send(h) => {
                let remote = repo.read(upstream.as_deref())?;
                outcome.sent = changes(&remote, &repo.read(Some(&h))?)?;
                (h, true)
            }
            Plan::Take(u) => {
                outcome.brought = changes(&repo.read(head.as_deref())?, &repo.read(Some(&u))?)?;
                (u, false)
            }
            Plan::Merge(h, u) => (
                {
                    let m = merge(repo, &branch, &h, &u, ctx.now)?;
                    outcome.brought = m.brought;
                    outcome.sent = m.sent;
                    outcome.replaced = m.replaced;
                    outcome.warnings.extend(m.warnings);
                    m.commit
                },
                true,
            ),
        };
        if to_push {
            if let Err(e) = repo.push(&target, &branch) {
                // Rejected because another machine pushed first: fetch and merge again.
                repo.fetch()?;
                if repo.upstream(&branch)? != upstream && round < ROUNDS {
                    outcome.brought = Changes::default();
                    outcome.sent = Changes::default();
                    outcome.replaced.clear();
                    continue;
                }
                return Err(e.into());
            }
            crash_point("sync-after-push");
        }
        if head.as_deref() != Some(target.as_str()) {
            let more = apply(
                repo,
                &ctx.store,
                &branch,
                head.as_deref(),
                &target,
                head.as_deref(),
                ctx.now,
            )?;
            outcome.replaced.extend(more);
        }
        outcome.commit = Some(target);
        return Ok(outcome);
    }
    bail!(
        "another machine pushed to {REMOTE} between each of {ROUNDS} fetches and pushes; nothing \
         was lost, run promise sync again"
    )
}

/// Stored text as a terminal may show it: control and bidirectional-override characters
/// escaped.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
            {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn describe(o: &Outcome) -> String {
    let mut out = String::new();
    if let Some(driver) = &o.merge_driver {
        out.push_str(&format!(
            "Sharing this store through {} (branch {}); git merges its files with `{driver} \
             merge-driver`.\n",
            o.remote, o.branch
        ));
    }
    if o.brought.is_empty() && o.sent.is_empty() && o.replaced.is_empty() {
        out.push_str(&format!("Up to date with {} ({}).\n", o.remote, o.branch));
    } else {
        if !o.brought.is_empty() {
            out.push_str(&format!(
                "Brought in {} on the other machine.\n",
                o.brought.words()
            ));
        }
        if !o.sent.is_empty() {
            out.push_str(&format!("Sent {} to {}.\n", o.sent.words(), o.remote));
        }
    }
    for c in &o.replaced {
        let side = match c.winner {
            Side::Ours => "this machine's",
            Side::Theirs => "the other machine's",
        };
        let why = if c.field == "status" {
            "kept beats cancelled, and the first close a later one"
        } else {
            "newer"
        };
        let value = |v: &Option<String>| match v {
            Some(v) => format!("\"{}\"", shown(v)),
            None => "(unset)".to_string(),
        };
        out.push_str(&format!(
            "  {} \"{}\": {} was changed on both machines; kept {} ({side}, {why}), replaced {} \
             (now in the promise's history)\n",
            &c.id.as_str()[..c.id.as_str().len().min(4)],
            shown(&c.what),
            c.field,
            value(&c.kept),
            value(&c.replaced),
        ));
    }
    for w in &o.warnings {
        out.push_str(&format!("  warning: {}\n", shown(w)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scp_like_remotes_are_told_from_paths() {
        assert!(is_scp_like("git@github.com:me/promises.git"));
        assert!(is_scp_like("server:promises.git"));
        assert!(!is_scp_like("/mnt/share/promises.git"));
        assert!(!is_scp_like("./a:b"));
    }

    #[test]
    fn a_path_is_quoted_for_the_shell_only_when_it_must_be() {
        assert_eq!(
            shell_quote("/usr/local/bin/promise"),
            "/usr/local/bin/promise"
        );
        assert_eq!(shell_quote("/home/a b/promise"), "'/home/a b/promise'");
        assert_eq!(shell_quote("/it's/promise"), r"'/it'\''s/promise'");
    }

    #[test]
    fn controls_are_escaped() {
        assert_eq!(shown("a\u{1b}[31mb\u{202e}"), "a\\u{1b}[31mb\\u{202e}");
    }
}
