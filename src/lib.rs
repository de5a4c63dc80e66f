//! `promise`: keep the promises you make to customers.
//!
//! The binary is a thin shell over these modules: the deadline language, the store, the model,
//! the score and the renderers are pure and tested on their own.

pub mod deadline;
pub mod model;
pub mod zone;
