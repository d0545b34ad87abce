//! The browser around the app: where it is served from (`base`), the deployment's
//! `config.json`, code loaded on first use (`split`), storage shared with other tabs and
//! apps (`storage`), the clipboard and downloads. Knows nothing of vendors or views.

pub mod base;
pub mod clipboard;
pub mod config;
pub mod download;
pub mod panic;
pub mod session;
pub mod split;
pub mod storage;
