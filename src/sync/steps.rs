//! The steps of a sync that take both git and the store: the merge commit of two versions,
//! and step 5, in which the store's files and the branch move to a commit (see
//! `commands/sync.rs` for the whole flow).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::repo::{Entry, REMOTE, Repo, Tree};
use super::{GitError, crash_point};
use crate::merge::{Changes, Conflict, Rules, Side};
use crate::model::{Instant, rfc3339};
use crate::store::sync::{self as store_sync, Version};
use crate::store::{Store, StoreError};

/// Why a step failed: git, the store, or a file of the repository's own.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A merge commit made, and what it holds.
pub struct MergeCommit {
    pub commit: String,
    /// What came from the other side, and what went to it.
    pub brought: Changes,
    pub sent: Changes,
    pub replaced: Vec<Conflict>,
    pub warnings: Vec<String>,
}

/// What a round does, from where this branch and the remote's stand.
pub enum Plan {
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

pub fn plan(repo: &Repo, head: Option<&str>, upstream: Option<&str>) -> Result<Plan, GitError> {
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
pub fn merge(
    repo: &Repo,
    branch: &str,
    head: &str,
    upstream: &str,
    now: Instant,
) -> Result<MergeCommit, SyncError> {
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
        &Rules { newer, at: now },
    )?;
    let mut warnings = Vec::new();
    let other = merge_other(
        repo,
        &b.other,
        &o.other,
        &t.other,
        &theirs_name,
        &mut warnings,
    )?;
    let brought = Changes::between(&merged.ours, &merged.result);
    let message = format!(
        "promise: merge {theirs_name} into {} ({})",
        host(),
        brought.words()
    );
    let commit = repo.commit(
        &merged.files,
        &other,
        &[&o, &t],
        &[head, upstream],
        &message,
        &rfc3339::format(&now),
    )?;
    Ok(MergeCommit {
        commit,
        sent: Changes::between(&merged.theirs, &merged.result),
        brought,
        replaced: merged.conflicts,
        warnings,
    })
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
    warnings: &mut Vec<String>,
) -> Result<BTreeMap<PathBuf, Entry>, GitError> {
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
            warnings.push(format!(
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
pub fn changes(before: &Tree, after: &Tree) -> Result<Changes, SyncError> {
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

/// Finishes the step 5 of a sync that was killed during it: the values it replaced, and a
/// warning where the branch moved since.
pub fn finish_interrupted(
    repo: &Repo,
    store: &Store,
    branch: &str,
    now: Instant,
) -> Result<(Vec<Conflict>, Option<String>), SyncError> {
    let Ok(text) = std::fs::read_to_string(marker(repo)) else {
        return Ok((Vec::new(), None));
    };
    let mut parts = text.split_whitespace();
    let (Some(from), Some(to)) = (parts.next(), parts.next()) else {
        let _ = std::fs::remove_file(marker(repo));
        return Ok((Vec::new(), None));
    };
    let from = (from != "-").then_some(from);
    let head = repo.head()?;
    if head.as_deref() == from || head.as_deref() == Some(to) {
        Ok((
            apply(repo, store, branch, from, to, head.as_deref(), now)?,
            None,
        ))
    } else {
        let _ = std::fs::remove_file(marker(repo));
        Ok((
            Vec::new(),
            Some(format!(
                "a sync killed earlier was to move {branch} to {to}, but the branch has moved \
                 since; left as it is"
            )),
        ))
    }
}

/// Step 5: the working files and the branch go from commit `from` to `to`. Under the store
/// lock; files the store's writer writes, in its crash-safe order. Store files changed since
/// `from` (a promise added while the sync was on the network, or a step 5 killed half-way) are
/// merged with `to`, not overwritten: what stays different is committed by the next sync.
pub fn apply(
    repo: &Repo,
    store: &Store,
    branch: &str,
    from: Option<&str>,
    to: &str,
    head: Option<&str>,
    at: Instant,
) -> Result<Vec<Conflict>, SyncError> {
    let held = store.hold()?;
    let marker = marker(repo);
    std::fs::write(&marker, format!("{} {to}\n", from.unwrap_or("-"))).map_err(|source| {
        SyncError::Io {
            path: marker.clone(),
            source,
        }
    })?;
    crash_point("sync-after-marker");
    let (was, will) = (repo.read(from)?, repo.read(Some(to))?);
    let now = store.snapshot()?;
    let (target, conflicts) = if now == was.store {
        (will.store.clone(), Vec::new())
    } else {
        let dir = store.dir().display().to_string();
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
                at,
            },
        )?;
        (merged.files, merged.conflicts)
    };
    store.write_snapshot(&held, &now, &target)?;
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
) -> Result<(), SyncError> {
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
                .map_err(|source| SyncError::Io {
                    path: dir.join(path),
                    source,
                })?,
            None => {
                let _ = std::fs::remove_file(dir.join(path));
            }
        }
    }
    Ok(())
}

/// This machine's name, for commit messages.
pub fn host() -> String {
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
