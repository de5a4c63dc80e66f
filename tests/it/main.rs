//! Integration tests: the real binary, driven as a user or a script would, in a hermetic
//! environment (temp data dir, pinned clock and zone, no colour).

mod env;

mod commands;
mod completions;
mod deadlines;
mod email;
mod ics;
mod nag;
mod prompt;
mod properties;
mod reopen;
mod report;
mod robustness;
mod screens;
mod shells;
mod store_safety;
mod sync;
mod torture;
mod zones;
