//! Application state shared through context.

pub mod connections;
pub mod storage;
