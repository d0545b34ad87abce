//! One module per route.

pub mod bulk;
pub mod connections;
pub mod explorer;
