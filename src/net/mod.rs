//! Everything that talks to a vendor: one transport (auth header, timeout,
//! cancellation, size cap, no redirects), lookups fanned out and paced, the call search's
//! requests, replays, bulk runs and their preflight. Vendor knowledge (paths, decoding) stays in the core crate.

pub mod bulk;
pub mod calls;
pub mod cancel;
pub mod lookup;
pub mod pacing;
pub mod preflight;
pub mod replay;
pub mod transport;
