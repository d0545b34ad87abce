//! Bulk create / resend of Bland post-call webhooks: the logic behind `pages/bulk`.

pub mod controller;
pub mod journal;
pub mod preflight;
pub mod run;
