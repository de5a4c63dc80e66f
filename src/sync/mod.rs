//! The edge that shares a store between machines through git (SPEC section 7): it runs the
//! system `git` and knows the repository's layout. What a merge of promises is lives in
//! [`crate::merge`] (one promise) and [`crate::store::sync`] (the store's files); the flow of a
//! sync is `commands/sync.rs`.

pub mod git;
pub mod identity;
pub mod lock;
pub mod repo;
pub mod steps;

pub use git::GitError;
pub use identity::{Identity, Whose};
pub use lock::SyncLock;
pub use repo::Repo;

/// Aborts, as a crash or `kill -9` would, at the sync step `PROMISE_TEST_CRASH_AT` names (debug
/// builds only; the torture tests kill a sync at each of its steps).
#[inline]
pub fn crash_point(_step: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("PROMISE_TEST_CRASH_AT").is_ok_and(|w| w == _step) {
        std::process::abort();
    }
}
