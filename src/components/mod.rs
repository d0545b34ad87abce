//! Reusable widgets. Each renders vendor data as text only (never as HTML).

pub mod attempt_timeline;
pub mod compare_attempts;
pub mod delivery_detail;
pub mod delivery_table;
pub mod error_banner;
pub mod json_view;
pub mod replay_many;
pub mod response_view;
pub mod windowed;
