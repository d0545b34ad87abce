//! See tests/e2e.rs.
