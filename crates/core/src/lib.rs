//! hookscope-core: everything about webhook deliveries that does not need a browser.
//!
//! - [`domain`]: the vendor-neutral model (a delivery and its attempts, a call) that pages see.
//! - [`calls`]: finding a call from what a ticket holds (IDs, SIDs, phone numbers).
//! - [`vendors`]: one adapter per vendor: request builders, wire types as documented,
//!   mapping into the domain.
//! - [`request`] / [`response`]: the HTTP shapes every transport speaks, and the
//!   classification of an answer into a body or a typed [`error::ApiError`].
//! - [`demo`]: a deterministic in-process imitation of the three APIs, used by the
//!   console's demo mode and by the API simulator, so both run the real decode code.

#![warn(clippy::arithmetic_side_effects)]

pub mod bulk;
pub mod calls;
pub mod connection;
pub mod datetime;
pub mod demo;
pub mod diagnosis;
pub mod domain;
pub mod error;
pub mod har;
pub mod ids;
pub mod lookup;
pub mod pacing;
pub mod replay;
pub mod request;
pub mod response;
pub mod secret;
pub mod vendors;

pub use domain::{
    Attempt, Call, CallStatus, Delivery, DeliveryStatus, Name, Outcome, Payload, Vendor,
};
pub use error::{ApiError, ErrorKind};
pub use request::{ApiRequest, Method};
pub use secret::ApiKey;
