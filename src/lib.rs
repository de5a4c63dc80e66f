//! `promise`: keep the promises you make to customers.
//!
//! The binary is a thin shell over these modules: the deadline language, the store, the model,
//! the score and the renderers are pure and tested on their own.

pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod customer;
pub mod deadline;
pub mod email;
pub mod error;
pub mod merge;
pub mod model;
pub mod notify;
pub mod reminder;
pub mod render;
pub mod report;
pub mod score;
pub mod store;
pub mod sync;
pub mod zone;
