//! The end-to-end tests: one binary (one link of the harness), one module per area.
//! Every test drives the release build in headless Chromium through the harness in
//! `crates/e2e/src`; run them with `cargo test -p hookscope-e2e --tests -- --test-threads=1`.

mod a11y;
mod bulk;
mod caddy;
mod chunks;
mod config;
mod defects;
mod detail;
mod explorer;
mod faults;
mod find;
mod hostile;
mod keys;
mod lookup;
mod nginx;
mod pacing;
mod screen;
mod team;
mod team_console;
