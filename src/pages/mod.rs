//! One module per route.

pub mod connections;
pub mod explorer;
