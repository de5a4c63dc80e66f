//! Switches for the torture tests: slow a write down, mark while one is under way, crash at a
//! chosen step of the write recipe, fail one as a full disk would, shorten the lock wait. Read
//! from the environment in debug builds only; release builds compile them to nothing.

use std::path::Path;
#[cfg(debug_assertions)]
use std::sync::atomic::{AtomicUsize, Ordering};

/// Aborts, as a crash or `kill -9` would, when `PROMISE_TEST_CRASH_AT` names this step, alone
/// ("mid-write") or for one file ("mid-write:open.toml"), optionally the n-th time it is
/// reached ("mid-write:open.toml#2": the second write of open.toml).
#[inline]
pub fn crash_point(_step: &str, _file: &Path) {
    #[cfg(debug_assertions)]
    {
        static REACHED: AtomicUsize = AtomicUsize::new(0);
        if named("PROMISE_TEST_CRASH_AT", _step, _file, &REACHED) {
            std::process::abort();
        }
    }
}

/// Fails with "No space left on device", as a full disk would, when `PROMISE_TEST_FAIL_AT`
/// names this step, alone ("write") or for one file ("write:open.toml"), optionally the n-th
/// time ("write:open.toml#2").
#[inline]
pub fn fail_point(_step: &str, _file: &Path) -> std::io::Result<()> {
    #[cfg(debug_assertions)]
    {
        static REACHED: AtomicUsize = AtomicUsize::new(0);
        if named("PROMISE_TEST_FAIL_AT", _step, _file, &REACHED) {
            // ENOSPC on Linux.
            return Err(std::io::Error::from_raw_os_error(28));
        }
    }
    Ok(())
}

/// Whether the switch `var` names `step` (for `file`) and this is the n-th time it is reached,
/// counted in `reached`: "step", "step:name" or either with "#n".
#[cfg(debug_assertions)]
fn named(var: &str, step: &str, file: &Path, reached: &AtomicUsize) -> bool {
    let Ok(wanted) = std::env::var(var) else {
        return false;
    };
    let (wanted, nth) = match wanted.split_once('#') {
        Some((w, n)) => (w.to_string(), n.parse().unwrap_or(1)),
        None => (wanted, 1),
    };
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    (wanted == step || wanted == format!("{step}:{name}"))
        && reached.fetch_add(1, Ordering::SeqCst) + 1 == nth
}

/// Sleeps `PROMISE_TEST_WRITE_DELAY_MS` halfway through writing the new file, so that a kill
/// lands mid-write.
#[inline]
pub fn pause_mid_write() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("PROMISE_TEST_WRITE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Creates the file `PROMISE_TEST_WRITE_MARK` names when a write starts and removes it when the
/// write is done: if it is there after a kill, the kill landed mid-write.
#[inline]
pub fn mark_writing(_writing: bool) {
    #[cfg(debug_assertions)]
    if let Some(mark) = std::env::var_os("PROMISE_TEST_WRITE_MARK") {
        if _writing {
            let _ = std::fs::write(mark, b"");
        } else {
            let _ = std::fs::remove_file(mark);
        }
    }
}

/// `PROMISE_TEST_LOCK_TIMEOUT_MS` shortens the wait for the writer lock.
#[inline]
pub fn lock_timeout() -> Option<std::time::Duration> {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("PROMISE_TEST_LOCK_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return Some(std::time::Duration::from_millis(ms));
    }
    None
}
