//! Debian's Caddy (2.6) on loopback, serving the sub-path build with the Caddyfile shipped
//! in `deploy/caddy/Caddyfile`. Only its lines marked EDIT are changed here: the address,
//! the root, and the vendors' addresses (a TLS "vendor" on loopback, [`crate::tls`]).
//! Caddy checks upstream certificates against the system's CAs by default; here that
//! store is the test CA's root alone (`SSL_CERT_FILE`, and an empty `SSL_CERT_DIR`), so
//! the shipped file's default verification is what is tested. A global options block
//! (no admin endpoint, nothing written outside this run's folder) goes before the file.

use crate::nginx::sub_path_dist;
use crate::tls::test_ca;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CADDY: &str = "/usr/bin/caddy";

/// A running Caddy; dropping it stops Caddy and removes its folder.
pub struct Caddy {
    child: Child,
    dir: PathBuf,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The vendors' addresses as the shipped Caddyfile names them (EDIT lines).
const VENDOR_ADDRESSES: [&str; 3] = [
    "https://api.bland.ai:443",
    "https://api.burki.dev:443",
    "https://app.talkover.ai:443",
];

/// The shipped Caddyfile with its EDIT lines set for this run, every vendor's address
/// being `vendor`.
pub fn caddyfile(port: u16, root: &Path, vendor: SocketAddr) -> String {
    let shipped = std::fs::read_to_string(repo().join("deploy/caddy/Caddyfile"))
        .expect("deploy/caddy/Caddyfile");
    let mut conf = shipped;
    let edits = [
        (
            ":8080 {\n\t# EDIT".to_string(),
            format!(":{port} {{\n\tbind 127.0.0.1\n\t# EDIT"),
        ),
        (
            "root * /var/www # EDIT".into(),
            format!("root * {} # EDIT", root.display()),
        ),
    ]
    .into_iter()
    .chain(
        VENDOR_ADDRESSES
            .iter()
            .map(|a| (a.to_string(), format!("https://{vendor}"))),
    );
    for (from, to) in edits {
        let lines: Vec<&str> = conf.lines().filter(|l| l.contains(&from)).collect();
        assert!(
            conf.contains(&from),
            "deploy/caddy/Caddyfile must hold `{from}` (an EDIT line)"
        );
        assert!(
            lines.iter().all(|l| l.contains("# EDIT")) || from.contains("# EDIT"),
            "`{from}` is not marked EDIT"
        );
        conf = conf.replace(&from, &to);
    }
    conf
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

impl Caddy {
    /// Starts Caddy with the sub-path build, every vendor's proxy path going to `vendor`
    /// (a TLS listener), and the test CA as the only CA it trusts.
    pub fn start(vendor: SocketAddr) -> Caddy {
        assert!(
            Path::new(CADDY).exists(),
            "caddy is not installed: scripts/install-tools.sh --browser installs Debian's package"
        );
        let port = crate::free_port();
        let dir =
            std::env::temp_dir().join(format!("hookscope-caddy-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let www = dir.join("www");
        copy_dir(&sub_path_dist(), &www.join("hookscope"));
        let ca_file = dir.join("test-ca.pem");
        std::fs::write(&ca_file, &test_ca().root_pem).unwrap();
        std::fs::create_dir_all(dir.join("no-more-cas")).unwrap();
        let global = "{\n\tadmin off\n}\n\n";
        let conf = dir.join("Caddyfile");
        std::fs::write(&conf, global.to_string() + &caddyfile(port, &www, vendor)).unwrap();
        let log = std::fs::File::create(dir.join("caddy.log")).unwrap();
        let child = Command::new(CADDY)
            .args(["run", "--adapter", "caddyfile", "--config"])
            .arg(&conf)
            .env("HOME", &dir)
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("SSL_CERT_FILE", &ca_file)
            .env("SSL_CERT_DIR", dir.join("no-more-cas"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start caddy");
        let mut caddy = Caddy {
            child,
            dir,
            origin: format!("http://127.0.0.1:{port}"),
        };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = matches!(caddy.child.try_wait(), Ok(Some(_)));
            assert!(
                !exited && start.elapsed() < Duration::from_secs(15),
                "caddy did not start: {}",
                caddy.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        caddy
    }

    /// What Caddy logged (its errors, with the requests they concern).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("caddy.log")).unwrap_or_default()
    }
}

impl Drop for Caddy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl crate::proxy::Proxy for Caddy {
    fn origin(&self) -> &str {
        &self.origin
    }
    fn logs(&self) -> String {
        self.log()
    }
}
