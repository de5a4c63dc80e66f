//! The data directory as a git repository: the few things a sync asks of git, by name.
//!
//! Commits are read (`ls-tree`, `cat-file`) and made (`commit-tree` on a private index) without
//! touching the working files: the store's files are only ever written by the store's writer,
//! under its lock, so a reader never sees a half-written file.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::git::{Git, GitError};
use crate::store::sync::Snapshot;

/// One file of a commit that holds no promises (`.gitattributes`, a README): its mode and blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub mode: String,
    pub id: String,
}

/// A commit's files: the store's (as bytes), and the others (as blobs).
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub store: Snapshot,
    pub other: BTreeMap<PathBuf, Entry>,
    /// The blob of each store file, to reuse instead of writing it again.
    blobs: BTreeMap<PathBuf, String>,
}

pub struct Repo {
    git: Git,
    dir: PathBuf,
    /// Blobs already read: the commits a sync reads share most of their files.
    blobs: RefCell<HashMap<String, Vec<u8>>>,
}

/// The name of the remote promise syncs with.
pub const REMOTE: &str = "origin";

impl Repo {
    pub fn at(dir: &Path) -> Repo {
        let mut git = Git::new(dir);
        // The user's own ssh command, if they set one in git's config, wins over batch mode.
        if git
            .test(&["config", "--get", "core.sshCommand"])
            .unwrap_or(false)
        {
            git.keep_ssh_command();
        }
        Repo {
            git,
            dir: dir.to_path_buf(),
            blobs: RefCell::default(),
        }
    }

    /// The repository of the git that runs this process (a merge driver).
    pub fn calling() -> Repo {
        Repo {
            git: Git::calling(),
            dir: PathBuf::from("."),
            blobs: RefCell::default(),
        }
    }

    pub fn git(&self) -> &Git {
        &self.git
    }

    /// `.git` in the data directory.
    pub fn git_dir(&self) -> PathBuf {
        self.dir.join(".git")
    }

    /// Whether the data directory is a git repository of its own.
    pub fn exists(&self) -> bool {
        self.git_dir().exists()
    }

    /// Fails with `GitError::Missing` when there is no git to run.
    pub fn check_git() -> Result<(), GitError> {
        Git::new(Path::new("/")).run(&["--version"]).map(drop)
    }

    pub fn init(&self) -> Result<(), GitError> {
        self.git.run(&["init", "-q"]).map(drop)
    }

    pub fn remote_url(&self) -> Result<Option<String>, GitError> {
        let key = format!("remote.{REMOTE}.url");
        if self.git.test(&["config", "--get", &key])? {
            Ok(Some(self.git.run(&["config", "--get", &key])?))
        } else {
            Ok(None)
        }
    }

    pub fn add_remote(&self, url: &str) -> Result<(), GitError> {
        self.git.run(&["remote", "add", REMOTE, url]).map(drop)
    }

    pub fn set_config(&self, key: &str, value: &str) -> Result<(), GitError> {
        self.git.run(&["config", key, value]).map(drop)
    }

    pub fn get_config(&self, key: &str) -> Result<Option<String>, GitError> {
        if self.git.test(&["config", "--get", key])? {
            Ok(Some(self.git.run(&["config", "--get", key])?))
        } else {
            Ok(None)
        }
    }

    /// The branch HEAD is on; an error when it is on none.
    pub fn branch(&self) -> Result<String, GitError> {
        match self.git.run(&["symbolic-ref", "-q", "--short", "HEAD"]) {
            Ok(b) if !b.is_empty() => Ok(b),
            _ => Err(GitError::Failed {
                command: "symbolic-ref".into(),
                message: format!(
                    "the repository in {} is not on a branch (a detached HEAD); check one out \
                     (git -C {} switch main) and sync again",
                    self.dir.display(),
                    self.dir.display()
                ),
            }),
        }
    }

    /// Puts HEAD on `branch` (a repository without commits yet).
    pub fn set_branch(&self, branch: &str) -> Result<(), GitError> {
        let refname = format!("refs/heads/{branch}");
        self.git.run(&["symbolic-ref", "HEAD", &refname]).map(drop)
    }

    /// The branch to share, once fetched: the remote's default branch if it has one, else its
    /// only branch, else `main` or `master` (None: the remote has no commits yet).
    pub fn remote_branch(&self) -> Result<Option<String>, GitError> {
        let out = self.git.run(&["ls-remote", "--symref", REMOTE, "HEAD"])?;
        let fetched = self.git.run(&[
            "for-each-ref",
            "--format=%(refname:strip=3)",
            &format!("refs/remotes/{REMOTE}/"),
        ])?;
        let fetched: Vec<&str> = fetched.lines().filter(|b| *b != "HEAD").collect();
        let default = out.lines().find_map(|l| {
            l.strip_prefix("ref: refs/heads/")
                .and_then(|rest| rest.split('\t').next())
        });
        Ok(default
            .filter(|d| fetched.contains(d))
            .or_else(|| (fetched.len() == 1).then(|| fetched[0]))
            .or_else(|| ["main", "master"].into_iter().find(|b| fetched.contains(b)))
            .or_else(|| fetched.first().copied())
            .map(str::to_string))
    }

    pub fn head(&self) -> Result<Option<String>, GitError> {
        self.resolve("HEAD")
    }

    pub fn resolve(&self, rev: &str) -> Result<Option<String>, GitError> {
        let spec = format!("{rev}^{{commit}}");
        match self.git.run(&["rev-parse", "-q", "--verify", &spec]) {
            Ok(id) if !id.is_empty() => Ok(Some(id)),
            Ok(_) => Ok(None),
            Err(GitError::Failed { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The remote-tracking branch for `branch`, as last fetched.
    pub fn upstream(&self, branch: &str) -> Result<Option<String>, GitError> {
        self.resolve(&format!("refs/remotes/{REMOTE}/{branch}"))
    }

    pub fn fetch(&self) -> Result<(), GitError> {
        self.git
            .run(&["fetch", "-q", "--prune", "--no-tags", REMOTE])
            .map(drop)
    }

    /// Whether git knows who is committing; git refuses to commit otherwise.
    pub fn has_identity(&self) -> bool {
        self.git.run(&["var", "GIT_COMMITTER_IDENT"]).is_ok()
            && self.git.run(&["var", "GIT_AUTHOR_IDENT"]).is_ok()
    }

    /// The email git records as the author of a commit made here (config or environment).
    pub fn email(&self) -> Option<String> {
        let ident = self.git.run(&["var", "GIT_AUTHOR_IDENT"]).ok()?;
        let start = ident.find('<')? + 1;
        let end = start + ident[start..].find('>')?;
        Some(ident[start..end].trim().to_string()).filter(|e| !e.is_empty())
    }

    /// Stages every change in the working directory (what `.gitignore` leaves in); returns
    /// the paths that changed.
    pub fn stage_all(&self) -> Result<Vec<PathBuf>, GitError> {
        self.git.run(&["add", "-A", "--", "."])?;
        let names = self
            .git
            .run_with(&["diff", "--cached", "--name-only", "-z"], &[], None)?;
        Ok(names
            .split(|b| *b == 0)
            .filter(|n| !n.is_empty())
            .map(|n| PathBuf::from(String::from_utf8_lossy(n).into_owned()))
            .collect())
    }

    /// Takes back what [`stage_all`](Repo::stage_all) staged.
    pub fn unstage(&self) -> Result<(), GitError> {
        if self.head()?.is_some() {
            self.git.run(&["reset", "-q"]).map(drop)
        } else {
            self.git
                .run(&["rm", "-q", "-r", "--cached", "--", "."])
                .map(drop)
        }
    }

    /// Commits what is staged.
    pub fn commit_staged(&self, message: &str, date: &str) -> Result<(), GitError> {
        self.git
            .run_with(
                &["commit", "-q", "-m", message],
                &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
                None,
            )
            .map(drop)
    }

    pub fn is_ancestor(&self, ancestor: &str, of: &str) -> Result<bool, GitError> {
        self.git
            .test(&["merge-base", "--is-ancestor", ancestor, of])
    }

    pub fn merge_base(&self, a: &str, b: &str) -> Result<Option<String>, GitError> {
        match self.git.run(&["merge-base", a, b]) {
            Ok(id) if !id.is_empty() => Ok(Some(id)),
            Ok(_) => Ok(None),
            // Exit 1: no common ancestor (two histories begun apart).
            Err(GitError::Failed { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// When a commit was made (its committer time, seconds since the epoch).
    pub fn commit_time(&self, commit: &str) -> Result<i64, GitError> {
        let out = self.git.run(&["show", "-s", "--format=%ct", commit])?;
        Ok(out.trim().parse().unwrap_or(0))
    }

    /// The files of `commit` (an empty tree for None).
    pub fn read(&self, commit: Option<&str>) -> Result<Tree, GitError> {
        let Some(commit) = commit else {
            return Ok(Tree::default());
        };
        let listing =
            self.git
                .run_with(&["ls-tree", "-r", "-z", "--full-tree", commit], &[], None)?;
        let mut tree = Tree::default();
        for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
            let record = String::from_utf8_lossy(record);
            let Some((meta, path)) = record.split_once('\t') else {
                continue;
            };
            let mut meta = meta.split(' ');
            let (Some(mode), Some(kind), Some(id)) = (meta.next(), meta.next(), meta.next()) else {
                continue;
            };
            let path = PathBuf::from(path);
            if kind == "blob"
                && (mode == "100644" || mode == "100755")
                && Snapshot::is_store_file(&path)
            {
                tree.blobs.insert(path, id.to_string());
            } else {
                tree.other.insert(
                    path,
                    Entry {
                        mode: mode.to_string(),
                        id: id.to_string(),
                    },
                );
            }
        }
        let mut cache = self.blobs.borrow_mut();
        let mut missing: Vec<&str> = tree
            .blobs
            .values()
            .map(String::as_str)
            .filter(|id| !cache.contains_key(*id))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        for (id, bytes) in missing.iter().zip(self.git.objects(&missing)?) {
            cache.insert(id.to_string(), bytes);
        }
        tree.store.files = tree
            .blobs
            .iter()
            .map(|(path, id)| (path.clone(), cache[id].clone()))
            .collect();
        Ok(tree)
    }

    /// A blob's bytes.
    pub fn blob(&self, id: &str) -> Result<Vec<u8>, GitError> {
        Ok(self.git.objects(&[id])?.pop().unwrap_or_default())
    }

    pub fn write_blob(&self, bytes: &[u8]) -> Result<String, GitError> {
        let out = self
            .git
            .run_with(&["hash-object", "-w", "--stdin"], &[], Some(bytes))?;
        Ok(String::from_utf8_lossy(&out).trim().to_string())
    }

    /// Makes a commit of `store` and `other` with `parents`, without touching the working
    /// files, the index or any branch. `known` are trees whose blobs can be reused.
    pub fn commit(
        &self,
        store: &Snapshot,
        other: &BTreeMap<PathBuf, Entry>,
        known: &[&Tree],
        parents: &[&str],
        message: &str,
        date: &str,
    ) -> Result<String, GitError> {
        let mut lines = String::new();
        for (path, entry) in other {
            lines.push_str(&format!(
                "{} {}\t{}\0",
                entry.mode,
                entry.id,
                path.display()
            ));
        }
        for (path, bytes) in &store.files {
            let reused = known.iter().find_map(|t| {
                (t.store.files.get(path) == Some(bytes))
                    .then(|| t.blobs.get(path).cloned())
                    .flatten()
            });
            let id = match reused {
                Some(id) => id,
                None => self.write_blob(bytes)?,
            };
            lines.push_str(&format!("100644 {id}\t{}\0", path.display()));
        }
        let index = self.git_dir().join("promise-sync.index");
        let _ = fs::remove_file(&index);
        let index_env = index.to_string_lossy().into_owned();
        let env = [("GIT_INDEX_FILE", index_env.as_str())];
        let result = (|| {
            self.git.run_with(
                &["update-index", "-z", "--add", "--index-info"],
                &env,
                Some(lines.as_bytes()),
            )?;
            let tree = self.git.run_with(&["write-tree"], &env, None)?;
            let tree = String::from_utf8_lossy(&tree).trim().to_string();
            let mut args = vec!["commit-tree", tree.as_str(), "-m", message];
            for p in parents {
                args.push("-p");
                args.push(p);
            }
            let commit = self.git.run_with(
                &args,
                &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
                None,
            )?;
            Ok(String::from_utf8_lossy(&commit).trim().to_string())
        })();
        let _ = fs::remove_file(&index);
        result
    }

    /// Pushes `commit` to the remote's `branch`.
    pub fn push(&self, commit: &str, branch: &str) -> Result<(), GitError> {
        let refspec = format!("{commit}:refs/heads/{branch}");
        self.git.run(&["push", "-q", REMOTE, &refspec])?;
        // The remote-tracking branch follows, as after a fetch.
        let tracking = format!("refs/remotes/{REMOTE}/{branch}");
        self.git.run(&["update-ref", &tracking, commit]).map(drop)
    }

    /// Moves `branch` from `old` (None: it does not exist yet) to `new`.
    pub fn move_branch(&self, branch: &str, new: &str, old: Option<&str>) -> Result<(), GitError> {
        let refname = format!("refs/heads/{branch}");
        self.git
            .run(&[
                "update-ref",
                "-m",
                "promise sync",
                &refname,
                new,
                old.unwrap_or(""),
            ])
            .map(drop)
    }

    /// The index as HEAD has it, the working files left alone.
    pub fn reset_index(&self) -> Result<(), GitError> {
        self.git.run(&["reset", "-q"]).map(drop)
    }

    /// Lets `git pull` merge with the remote's branch too.
    pub fn track(&self, branch: &str) -> Result<(), GitError> {
        self.set_config(&format!("branch.{branch}.remote"), REMOTE)?;
        self.set_config(
            &format!("branch.{branch}.merge"),
            &format!("refs/heads/{branch}"),
        )
    }

    /// Whether a merge, rebase, cherry-pick or revert started by hand is unfinished: a sync
    /// must not commit over it.
    pub fn operation_under_way(&self) -> Option<&'static str> {
        let g = self.git_dir();
        [
            ("MERGE_HEAD", "a merge"),
            ("rebase-merge", "a rebase"),
            ("rebase-apply", "a rebase"),
            ("CHERRY_PICK_HEAD", "a cherry-pick"),
            ("REVERT_HEAD", "a revert"),
        ]
        .into_iter()
        .find(|(name, _)| g.join(name).exists())
        .map(|(_, what)| what)
    }

    /// Removes the lock files a killed git left (only called when a sync was killed: under the
    /// sync lock nothing else of promise's runs git here).
    pub fn remove_stale_locks(&self) {
        let g = self.git_dir();
        for name in [
            "index.lock",
            "HEAD.lock",
            "config.lock",
            "packed-refs.lock",
            "shallow.lock",
        ] {
            let _ = fs::remove_file(g.join(name));
        }
        let _ = fs::remove_file(g.join("promise-sync.index"));
        remove_locks_under(&g.join("refs"));
    }

    /// Writes `bytes` to `rel` in the working directory (files that hold no promises).
    pub fn write_work_file(&self, rel: &Path, bytes: &[u8], mode: &str) -> std::io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let temp = path.with_file_name(format!(
            ".promise-tmp.{}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("file")
        ));
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        let executable = mode == "100755";
        fs::set_permissions(
            &temp,
            fs::Permissions::from_mode(if executable { 0o755 } else { 0o644 }),
        )?;
        fs::rename(&temp, &path)
    }
}

fn remove_locks_under(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_locks_under(&path);
        } else if path.extension().is_some_and(|e| e == "lock") {
            let _ = fs::remove_file(path);
        }
    }
}
