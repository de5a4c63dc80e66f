//! The two kinds of failure the exit code tells apart: bad usage or input (2), and an operation
//! that failed (1).

use crate::deadline;
use crate::model::IdError;

/// Bad usage or bad input: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Usage(message.into()))
}

/// 2 for bad usage or input, 1 for everything else.
pub fn exit_code(e: &anyhow::Error) -> i32 {
    let bad_input = e
        .chain()
        .any(|c| c.is::<Usage>() || c.is::<deadline::Error>() || c.is::<IdError>());
    if bad_input { 2 } else { 1 }
}

/// True when the error is only that stdout's reader went away.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
