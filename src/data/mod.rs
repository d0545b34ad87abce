//! The explorer's data layer: the URL's typed state (`query`), typed filters, the
//! delivery index, the overview's figures and export lines. Pure, host-tested.

pub mod axis;
pub mod export;
pub mod filters;
pub mod index;
pub mod overview;
pub mod query;
pub mod ticked;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props;
