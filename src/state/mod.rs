//! Application state shared through context: the shell's, the connections, the
//! explorer's (URL, loaded lookups, derived rows, refresh, saved views), the call
//! search's and bulk runs'.

pub mod bulk;
pub mod calls;
pub mod connections;
pub mod explorer;
pub mod follow;
pub mod lookups;
pub mod refresh;
pub mod results;
pub mod shell;
pub mod views;
