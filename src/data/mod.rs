//! The explorer's data layer: the URL's typed state (`query`), typed filters, the
//! delivery index, the overview's figures and export lines, what a call search found
//! (`calls`) and the text copied for a ticket (`ticket`). Pure, host-tested.

pub mod axis;
pub mod calls;
pub mod export;
pub mod filters;
pub mod index;
pub mod overview;
pub mod query;
pub mod ticked;
pub mod ticket;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props;
