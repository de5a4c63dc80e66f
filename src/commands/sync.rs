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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde::Serialize;

use super::to_json;
use crate::cli::{SyncArgs, SyncCommand};
use crate::context::{Context, emit};
use crate::error::usage;
use crate::merge::{Changes, Conflict, Rules, Side};
use crate::model::rfc3339;
use crate::store::Store;
use crate::store::sync::{self as store_sync, Snapshot, Version};
use crate::sync::repo::{Entry, REMOTE, Tree};
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
    run_locked(&repo, ctx)
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
        if created {
            repo.fetch()?;
            if let Some(branch) = repo.remote_branch()? {
                repo.set_branch(&branch)?;
                // An empty store takes the remote's promises as they are: a clone.
                if ctx.store.snapshot()?.files.is_empty()
                    && let Some(upstream) = repo.upstream(&branch)?
                {
                    apply(&repo, ctx, &branch, None, &upstream, None)?;
                    cloned = Some(changes(&Tree::default(), &repo.read(Some(&upstream))?)?);
                }
            }
        }
        let branch = repo.branch()?;
        repo.track(&branch)?;
        ensure_lines(&dir.join(".gitattributes"), &[ATTRIBUTES])?;
        ensure_lines(&dir.join(".gitignore"), Store::not_shared())?;
        ensure_lines(&dir.join(".gitignore"), &["sync.lock"])?;
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
        for name in [".gitattributes", ".gitignore"] {
            let _ = std::fs::remove_file(dir.join(name));
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
    finish_interrupted(repo, ctx, &branch, &mut outcome)?;
    let _ = Identity {
        email: repo.email(),
    }
    .save(dir);

    let date = rfc3339::format(&ctx.now);
    {
        let _held = ctx.store.hold()?;
        let staged = repo.stage_all()?;
        // A file that does not parse is never shared: the other machines could not read it.
        let here = ctx.store.snapshot()?;
        let changed = Snapshot {
            files: here
                .files
                .into_iter()
                .filter(|(rel, _)| staged.contains(rel))
                .collect(),
        };
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
            Plan::Nothing => break,
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
                merge(repo, ctx, &branch, &h, &u, &date, &mut outcome)?,
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
                ctx,
                &branch,
                head.as_deref(),
                &target,
                head.as_deref(),
            )?;
            outcome.replaced.extend(more);
        }
        outcome.commit = Some(target);
        return Ok(outcome);
    }
    if outcome.rounds == 0 {
        return Ok(outcome);
    }
    bail!(
        "another machine pushed to {REMOTE} between each of {ROUNDS} fetches and pushes; nothing \
         was lost, run promise sync again"
    )
}

/// What a round does, from where this branch and the remote's stand.
enum Plan {
    /// Neither has a commit.
    Nothing,
    UpToDate(String),
    /// The remote has nothing this one lacks.
    Send(String),
    /// This one has nothing the remote lacks: a fast-forward.
    Take(String),
    /// Both have something new: (this one, the remote's).
    Merge(String, String),
}

fn plan(repo: &Repo, head: Option<&str>, upstream: Option<&str>) -> Result<Plan> {
    Ok(match (head, upstream) {
        (None, None) => Plan::Nothing,
        (Some(h), None) => Plan::Send(h.to_string()),
        (None, Some(u)) => Plan::Take(u.to_string()),
        (Some(h), Some(u)) if h == u => Plan::UpToDate(h.to_string()),
        (Some(h), Some(u)) if repo.is_ancestor(u, h)? => Plan::Send(h.to_string()),
        (Some(h), Some(u)) if repo.is_ancestor(h, u)? => Plan::Take(u.to_string()),
        (Some(h), Some(u)) => Plan::Merge(h.to_string(), u.to_string()),
    })
}

/// The merge commit of `head` and `upstream`, made from their files and their merge base's.
fn merge(
    repo: &Repo,
    ctx: &Context,
    branch: &str,
    head: &str,
    upstream: &str,
    date: &str,
    outcome: &mut Outcome,
) -> Result<String> {
    let base = repo.merge_base(head, upstream)?;
    let (b, o, t) = (
        repo.read(base.as_deref())?,
        repo.read(Some(head))?,
        repo.read(Some(upstream))?,
    );
    // The newer commit wins a field both changed; the same instant, the greater id (so that
    // either machine would decide alike).
    let (ours_at, theirs_at) = (repo.commit_time(head)?, repo.commit_time(upstream)?);
    let newer = if (ours_at, head) > (theirs_at, upstream) {
        Side::Ours
    } else {
        Side::Theirs
    };
    let base_name = match &base {
        Some(id) => format!("merge base {}", &id[..id.len().min(10)]),
        None => "merge base (none)".to_string(),
    };
    let theirs_name = format!("{REMOTE}/{branch}");
    let merged = store_sync::merge(
        Version {
            name: &base_name,
            files: &b.store,
        },
        Version {
            name: "HEAD",
            files: &o.store,
        },
        Version {
            name: &theirs_name,
            files: &t.store,
        },
        &Rules { newer, at: ctx.now },
    )?;
    let other = merge_other(repo, &b.other, &o.other, &t.other, &theirs_name, outcome)?;
    outcome.brought = Changes::between(&merged.ours, &merged.result);
    outcome.sent = Changes::between(&merged.theirs, &merged.result);
    outcome.replaced = merged.conflicts;
    let message = format!(
        "promise: merge {theirs_name} into {} ({})",
        host(),
        outcome.brought.words()
    );
    Ok(repo.commit(
        &merged.files,
        &other,
        &[&o, &t],
        &[head, upstream],
        &message,
        date,
    )?)
}

/// Files that hold no promises, merged by file: a change on one side is taken; `.gitignore`
/// and `.gitattributes` changed on both get the lines of both; any other file changed on both
/// keeps this machine's version, with a warning.
fn merge_other(
    repo: &Repo,
    base: &BTreeMap<PathBuf, Entry>,
    ours: &BTreeMap<PathBuf, Entry>,
    theirs: &BTreeMap<PathBuf, Entry>,
    theirs_name: &str,
    outcome: &mut Outcome,
) -> Result<BTreeMap<PathBuf, Entry>> {
    let mut out = BTreeMap::new();
    let paths: BTreeSet<&PathBuf> = ours.keys().chain(theirs.keys()).collect();
    for path in paths {
        let (b, o, t) = (base.get(path), ours.get(path), theirs.get(path));
        let entry = if o == t || b == t {
            o.cloned()
        } else if b == o {
            t.cloned()
        } else if let (Some(o), Some(t), true) = (o, t, is_line_list(path)) {
            let mut text = String::from_utf8_lossy(&repo.blob(&o.id)?).into_owned();
            let theirs_text = String::from_utf8_lossy(&repo.blob(&t.id)?).into_owned();
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            for line in theirs_text.lines() {
                if !text.lines().any(|l| l == line) {
                    text.push_str(line);
                    text.push('\n');
                }
            }
            Some(Entry {
                mode: o.mode.clone(),
                id: repo.write_blob(text.as_bytes())?,
            })
        } else {
            outcome.warnings.push(format!(
                "{} was changed on both sides; kept this machine's version ({theirs_name} has the \
                 other)",
                path.display()
            ));
            o.cloned()
        };
        if let Some(entry) = entry {
            out.insert(path.clone(), entry);
        }
    }
    Ok(out)
}

fn is_line_list(path: &Path) -> bool {
    matches!(path.to_str(), Some(".gitignore" | ".gitattributes"))
}

/// The changes from one commit's promises to another's.
fn changes(before: &Tree, after: &Tree) -> Result<Changes> {
    Ok(store_sync::changes(
        Version {
            name: "before",
            files: &before.store,
        },
        Version {
            name: "after",
            files: &after.store,
        },
    )?)
}

/// The file that notes a step 5 under way: "FROM TO" (FROM is `-` for a branch yet to be born).
fn marker(repo: &Repo) -> PathBuf {
    repo.git_dir().join("promise-sync-apply")
}

/// Finishes the step 5 of a sync that was killed during it.
fn finish_interrupted(
    repo: &Repo,
    ctx: &Context,
    branch: &str,
    outcome: &mut Outcome,
) -> Result<()> {
    let Ok(text) = std::fs::read_to_string(marker(repo)) else {
        return Ok(());
    };
    let mut parts = text.split_whitespace();
    let (Some(from), Some(to)) = (parts.next(), parts.next()) else {
        let _ = std::fs::remove_file(marker(repo));
        return Ok(());
    };
    let from = (from != "-").then_some(from);
    let head = repo.head()?;
    if head.as_deref() == from || head.as_deref() == Some(to) {
        let more = apply(repo, ctx, branch, from, to, head.as_deref())?;
        outcome.replaced.extend(more);
    } else {
        outcome.warnings.push(format!(
            "a sync killed earlier was to move {branch} to {to}, but the branch has moved since; \
             left as it is"
        ));
        let _ = std::fs::remove_file(marker(repo));
    }
    Ok(())
}

/// Step 5: the working files and the branch go from commit `from` to `to`. Under the store
/// lock; files the store's writer writes, in its crash-safe order. Store files changed since
/// `from` (a promise added while the sync was on the network, or a step 5 killed half-way) are
/// merged with `to`, not overwritten: what stays different is committed by the next sync.
fn apply(
    repo: &Repo,
    ctx: &Context,
    branch: &str,
    from: Option<&str>,
    to: &str,
    head: Option<&str>,
) -> Result<Vec<Conflict>> {
    let held = ctx.store.hold()?;
    let marker = marker(repo);
    std::fs::write(&marker, format!("{} {to}\n", from.unwrap_or("-")))
        .with_context(|| format!("could not write {}", marker.display()))?;
    crash_point("sync-after-marker");
    let (was, will) = (repo.read(from)?, repo.read(Some(to))?);
    let now = ctx.store.snapshot()?;
    let (target, conflicts) = if now == was.store {
        (will.store.clone(), Vec::new())
    } else {
        let dir = ctx.store.dir().display().to_string();
        let merged = store_sync::merge(
            Version {
                name: "the commit before",
                files: &was.store,
            },
            Version {
                name: &dir,
                files: &now,
            },
            Version {
                name: to,
                files: &will.store,
            },
            // What was changed here during the sync is the newest change there is.
            &Rules {
                newer: Side::Ours,
                at: ctx.now,
            },
        )?;
        (merged.files, merged.conflicts)
    };
    ctx.store.write_snapshot(&held, &now, &target)?;
    crash_point("sync-after-files");
    apply_other(repo, &was.other, &will.other)?;
    repo.move_branch(branch, to, head)?;
    crash_point("sync-after-branch");
    repo.reset_index()?;
    let _ = std::fs::remove_file(&marker);
    drop(held);
    Ok(conflicts)
}

/// Files that hold no promises, from `was` to `will`, where the working copy is as `was` had it
/// (one changed by hand since stays, and is committed next time).
fn apply_other(
    repo: &Repo,
    was: &BTreeMap<PathBuf, Entry>,
    will: &BTreeMap<PathBuf, Entry>,
) -> Result<()> {
    let dir = repo.git().dir().to_path_buf();
    let paths: BTreeSet<&PathBuf> = was.keys().chain(will.keys()).collect();
    for path in paths {
        let (old, new) = (was.get(path), will.get(path));
        if old == new || new.is_some_and(|e| e.mode == "160000" || e.mode == "120000") {
            continue;
        }
        let current = std::fs::read(dir.join(path)).ok();
        let expected = old.map(|e| repo.blob(&e.id)).transpose()?;
        if current != expected {
            continue;
        }
        match new {
            Some(e) => repo
                .write_work_file(path, &repo.blob(&e.id)?, &e.mode)
                .with_context(|| format!("could not write {}", dir.join(path).display()))?,
            None => {
                let _ = std::fs::remove_file(dir.join(path));
            }
        }
    }
    Ok(())
}

/// This machine's name, for commit messages.
fn host() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length, and gethostname writes at most that much.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    let name = if rc == 0 {
        let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
        String::from_utf8_lossy(&buf[..end]).into_owned()
    } else {
        String::new()
    };
    if name.is_empty() {
        "this machine".to_string()
    } else {
        name
    }
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
