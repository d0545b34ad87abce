//! Debian's Caddy (2.6) on loopback, serving the sub-path build with the Caddyfile shipped
//! in `deploy/caddy/Caddyfile`. Only its lines marked EDIT are changed here: the address,
//! the root, and the vendors' addresses (a TLS "vendor" on loopback, [`crate::tls`]).
//! Caddy checks upstream certificates against the system's CAs by default; here that
//! store is the test CA's root alone (`SSL_CERT_FILE`, and an empty `SSL_CERT_DIR`), so
//! the shipped file's default verification is what is tested. A global options block
//! (no admin endpoint, nothing written outside this run's folder) goes before the file.

use crate::site::{caddy_command, edit_shipped, run_folder, write_test_ca, Running};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

pub use crate::site::CADDY;

/// A running Caddy; dropping it stops Caddy and removes its folder.
pub struct Caddy {
    running: Running,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
}

/// The vendors' addresses as the shipped Caddyfiles name them (EDIT lines).
pub(crate) const VENDOR_ADDRESSES: [&str; 3] = [
    "https://api.bland.ai:443",
    "https://api.burki.dev:443",
    "https://app.talkover.ai:443",
];

/// The EDIT lines the personal and the team Caddyfile share, set for this run: the
/// address, the root, and every vendor's address at `vendor`.
pub(crate) fn shared_edits(port: u16, root: &Path, vendor: SocketAddr) -> Vec<(String, String)> {
    let mut edits = vec![
        (
            ":8080 {\n\t# EDIT".to_string(),
            format!(":{port} {{\n\tbind 127.0.0.1\n\t# EDIT"),
        ),
        (
            "root * /var/www # EDIT".into(),
            format!("root * {} # EDIT", root.display()),
        ),
    ];
    for a in VENDOR_ADDRESSES {
        edits.push((a.to_string(), format!("https://{vendor}")));
    }
    edits
}

/// The shipped Caddyfile with its EDIT lines set for this run ([`shared_edits`]).
pub fn caddyfile(port: u16, root: &Path, vendor: SocketAddr) -> String {
    edit_shipped("deploy/caddy/Caddyfile", &shared_edits(port, root, vendor))
}

impl Caddy {
    /// Starts Caddy with the sub-path build, every vendor's proxy path going to `vendor`
    /// (a TLS listener), and the test CA as the only CA it trusts.
    pub fn start(vendor: SocketAddr) -> Caddy {
        crate::site::assert_installed(CADDY, "caddy");
        let port = crate::free_port();
        let (dir, www) = run_folder("caddy", port, &[]);
        let ca_file = write_test_ca(&dir);
        let cmd = caddy_command(&dir, &caddyfile(port, &www, vendor), &ca_file);
        let mut running = Running::caddy(dir, cmd);
        running.wait_until_listening("caddy", port, Duration::from_secs(15), caddy_log);
        Caddy {
            running,
            origin: format!("http://127.0.0.1:{port}"),
        }
    }

    /// What Caddy logged (its errors, with the requests they concern).
    pub fn log(&self) -> String {
        caddy_log(&self.running.dir)
    }
}

fn caddy_log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("caddy.log")).unwrap_or_default()
}

impl crate::proxy::Proxy for Caddy {
    fn origin(&self) -> &str {
        &self.origin
    }
    fn logs(&self) -> String {
        self.log()
    }
}
