//! Application state shared through context.

pub mod connections;
pub mod explorer;
pub mod lookups;
pub mod refresh;
pub mod results;
pub mod storage;
pub mod views;
