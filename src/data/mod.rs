//! The explorer's data layer: typed filters and the delivery index. Pure, host-tested.

pub mod filters;
pub mod index;
pub mod overview;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props;
