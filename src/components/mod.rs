//! Reusable widgets. Each renders vendor data as text only (never as HTML); helpers that
//! serve one widget live beside it.

pub mod call_card;
pub mod delivery_detail;
pub mod delivery_table;
pub mod diagnosis_note;
pub mod error_banner;
pub mod menu;
pub mod pace;
pub mod replay_many;
pub mod side_sheet;
pub mod time_chart;
pub mod window;
pub mod windowed;
