//! The team deployment as shipped: `deploy/nginx/hookscope-team.conf` (Debian's nginx) or
//! `deploy/caddy/Caddyfile.team` (Debian's Caddy 2.6) on loopback, serving the sub-path
//! build, in front of a TLS "vendor" ([`crate::tls`]) in front of the simulator. Only the
//! lines marked EDIT are changed: the address, the root, the log files, the sign-in list,
//! the role list, the key files (nginx, written by `deploy/nginx/hookscope-key.sh`) or the
//! key variables (Caddy), the vendors' addresses and the CA the proxy trusts.
//!
//! The people: [`ADMIN`] (admin), [`SUPPORT`] (support), [`ODD`] (support, with a name
//! that would break session.json's JSON) and [`NO_ROLE`] (a role that is neither), each
//! with a password made for this run.
//! The vendor key is [`crate::KEY`], the one the simulator accepts.
//!
//! For the browser tests: [`Team::start`] with the harness's simulator and a config.json,
//! then [`Team::sign_in`] a person and open a page (the browser keeps the password for the
//! origin, and sends it with the page's own requests).

use crate::nginx::{send, Answer};
use crate::site::{
    caddy_command, edit_shipped, nginx_main, run_folder, write_test_ca, Running, CADDY, NGINX,
};
use crate::tls::{Cert, TlsVendor};
use crate::KEY;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The admin (ana), in the role list as admin; her nginx hash is `openssl passwd -apr1`.
pub const ADMIN: &str = "ana@example.org";
/// The support person (sam), in the role list as support; his nginx hash is `openssl
/// passwd -5`.
pub const SUPPORT: &str = "sam@example.org";
/// Someone the role list gives a role that is neither support nor admin ("auditor").
pub const NO_ROLE: &str = "rex@example.org";
/// Someone whose name holds a quote and a backslash (htpasswd allows them): refused.
pub const ODD: &str = "eve\"\\x";

/// Which server runs the team recipe.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Server {
    Nginx,
    Caddy,
}

/// One person who may sign in.
#[derive(Clone, Debug)]
pub struct TeamUser {
    pub name: String,
    pub password: String,
    /// What the role list says ("admin", "support").
    pub role: String,
}

/// A running team deployment; dropping it stops the server and removes its folder.
pub struct Team {
    pub server: Server,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    pub users: Vec<TeamUser>,
    /// The audit log (POSTs only).
    pub audit_log: PathBuf,
    /// The TLS vendor, when [`Team::start`] started it.
    pub vendor: Option<TlsVendor>,
    /// The server, in a folder holding everything of this run: the config, the logs, the
    /// site (`www/`), the keys (`keys/`).
    running: Running,
}

/// Runs `cmd` with `input` on its standard input; its standard output, trimmed.
fn run_with_input(cmd: &mut Command, input: &str) -> String {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Standard base64 (the basic-auth header).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `Basic …` for `name` and `password`.
pub fn basic(name: &str, password: &str) -> String {
    format!("Basic {}", base64(format!("{name}:{password}").as_bytes()))
}

/// Writes one vendor's key file with the shipped script (no reload: nginx is not running
/// yet), as a deployer would.
pub fn write_key_file(dir: &Path, vendor: &str, key: &str) -> std::process::Output {
    let mut child = Command::new("sh")
        .arg(crate::site::repo().join("deploy/nginx/hookscope-key.sh"))
        .arg(vendor)
        .env("HOOKSCOPE_KEYS_DIR", dir)
        .env("HOOKSCOPE_NO_RELOAD", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The script may refuse (and exit) before it reads: a broken pipe is then expected.
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{key}\n").as_bytes());
    child.wait_with_output().unwrap()
}

impl Team {
    /// Starts a TLS vendor with a trusted certificate in front of the simulator at `sim`
    /// (`http://127.0.0.1:PORT`), then the team deployment in front of that. `extra` files
    /// go beside index.html (config.json). This is the entry point for browser tests.
    pub async fn start(server: Server, sim: &str, extra: &[(&str, &str)]) -> Team {
        let vendor = TlsVendor::in_front_of(sim, Cert::Trusted).await;
        let mut team = Team::with_vendor(server, vendor.addr, extra);
        team.vendor = Some(vendor);
        team
    }

    /// Starts the team deployment with every vendor at `vendor` (a TLS listener) and the
    /// test CA as the only CA it trusts.
    pub fn with_vendor(server: Server, vendor: SocketAddr, extra: &[(&str, &str)]) -> Team {
        Team::with_key(server, vendor, extra, KEY)
    }

    /// [`Team::with_vendor`] with another vendor key on the server (a key the vendor
    /// refuses, to see what the person gets).
    pub fn with_key(server: Server, vendor: SocketAddr, extra: &[(&str, &str)], key: &str) -> Team {
        let port = crate::free_port();
        let (dir, www) = run_folder("team", port, extra);
        let users: Vec<TeamUser> = [
            (ADMIN, "admin"),
            (SUPPORT, "support"),
            (ODD, "support"),
            (NO_ROLE, "auditor"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (name, role))| TeamUser {
            name: name.to_string(),
            password: format!("pw-{i}-{port}-{}", std::process::id()),
            role: role.to_string(),
        })
        .collect();
        let mut running = match server {
            Server::Nginx => start_nginx(dir.clone(), port, &www, vendor, &users, key),
            Server::Caddy => start_caddy(dir.clone(), port, &www, vendor, &users, key),
        };
        running.wait_until_listening(
            &format!("{server:?}"),
            port,
            Duration::from_secs(20),
            logs_of,
        );
        Team {
            server,
            origin: format!("http://127.0.0.1:{port}"),
            users,
            audit_log: dir.join("audit.log"),
            vendor: None,
            running,
        }
    }

    /// `name`'s password for this run.
    pub fn password(&self, name: &str) -> &str {
        &self
            .users
            .iter()
            .find(|u| u.name == name)
            .unwrap_or_else(|| panic!("no user {name}"))
            .password
    }

    /// The Authorization header `name` sends (`Basic …`).
    pub fn basic(&self, name: &str) -> String {
        basic(name, self.password(name))
    }

    /// `path` on this origin with `name`'s credentials in the address, for a browser's
    /// first navigation (it then keeps them for the origin).
    pub fn login_url(&self, name: &str, path: &str) -> String {
        let enc = |s: &str| {
            s.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        };
        let host = self.origin.trim_start_matches("http://");
        format!(
            "http://{}:{}@{host}{path}",
            enc(name),
            enc(self.password(name))
        )
    }

    /// Signs `name` in, in the browser of `client`, then opens `path` (e.g. a deep link).
    /// The first navigation carries the credentials in the address (Chromium then keeps
    /// them for the origin); the page itself is opened at a clean address, because a page
    /// whose address holds credentials cannot fetch a relative URL ("Request cannot be
    /// constructed from a URL that includes credentials").
    pub async fn sign_in(&self, client: &fantoccini::Client, name: &str, path: &str) {
        client
            .goto(&self.login_url(name, "/hookscope/session.json"))
            .await
            .unwrap();
        client
            .goto(&format!("{}{path}", self.origin))
            .await
            .unwrap();
    }

    /// A request as `user` (None: no credentials) with these other headers and body.
    pub async fn send_as(
        &self,
        user: Option<&str>,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Answer {
        let auth = user.map(|u| self.basic(u));
        let mut all: Vec<(&str, &str)> = auth
            .as_deref()
            .map(|a| ("Authorization", a))
            .into_iter()
            .collect();
        all.extend_from_slice(headers);
        send(&self.origin, method, path, &all, body).await
    }

    /// A GET as `user`, with no other headers.
    pub async fn get_as(&self, user: &str, path: &str) -> Answer {
        self.send_as(Some(user), "GET", path, &[], None).await
    }

    /// The audit log's lines.
    pub fn audit(&self) -> String {
        std::fs::read_to_string(&self.audit_log).unwrap_or_default()
    }

    /// The audit log once it holds `n` lines (or after 5 s, as it is): the server writes a
    /// request's line after its answer has gone, so a test reading at once may be early.
    pub async fn audit_of(&self, n: usize) -> String {
        let start = std::time::Instant::now();
        loop {
            let audit = self.audit();
            if audit.lines().count() >= n || start.elapsed() > std::time::Duration::from_secs(5) {
                return audit;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Every file the server wrote or read in this run except the site and the key files:
    /// its logs, its config, Caddy's saved config and data. Each as "== path\ntext".
    pub fn logs(&self) -> String {
        logs_of(&self.running.dir)
    }
}

/// [`Team::logs`] of the run folder `dir`.
fn logs_of(dir: &Path) -> String {
    fn walk(dir: &Path, skip: &[PathBuf], out: &mut String) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if skip.contains(&p) {
                continue;
            }
            if p.is_dir() {
                walk(&p, skip, out);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.push_str(&format!(
                    "== {}\n{}\n",
                    p.display(),
                    String::from_utf8_lossy(&bytes)
                ));
            }
        }
    }
    let mut out = String::new();
    walk(dir, &[dir.join("www"), dir.join("keys")], &mut out);
    out
}

fn start_nginx(
    dir: PathBuf,
    port: u16,
    www: &Path,
    vendor: SocketAddr,
    users: &[TeamUser],
    key: &str,
) -> Running {
    crate::site::assert_installed(NGINX, "nginx");
    // The sign-in list: ana's hash from `openssl passwd -apr1`, the others' from `-5`.
    let mut htpasswd = String::new();
    for u in users {
        let algo = if u.name == ADMIN { "-apr1" } else { "-5" };
        let hash = run_with_input(
            Command::new("openssl").args(["passwd", algo, "-stdin"]),
            &format!("{}\n", u.password),
        );
        htpasswd.push_str(&format!("{}:{hash}\n", u.name));
    }
    std::fs::write(dir.join("htpasswd"), htpasswd).unwrap();
    std::fs::write(
        dir.join("roles.conf"),
        format!("{ADMIN} admin;\n{SUPPORT} support;\n{NO_ROLE} auditor;\n"),
    )
    .unwrap();
    let keys = dir.join("keys");
    for vendor in ["bland", "burki", "talkover"] {
        let out = write_key_file(&keys, vendor, key);
        assert!(
            out.status.success(),
            "hookscope-key.sh: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let ca_file = write_test_ca(&dir);
    let d = dir.display();
    let mut edits = crate::nginx::shared_edits(port, www, vendor, &ca_file);
    edits.extend([
        (
            "access_log /var/log/nginx/access.log;".into(),
            format!("access_log {d}/access.log;"),
        ),
        (
            "/var/log/nginx/hookscope-audit.log".into(),
            format!("{d}/audit.log"),
        ),
        (
            "auth_basic_user_file /etc/nginx/hookscope/htpasswd;".into(),
            format!("auth_basic_user_file {d}/htpasswd;"),
        ),
        (
            "include /etc/nginx/hookscope/roles.conf;".into(),
            format!("include {d}/roles.conf;"),
        ),
    ]);
    for v in ["bland", "burki", "talkover"] {
        edits.push((
            format!("include /etc/nginx/hookscope-keys/{v}.conf;"),
            format!("include {}/{v}.conf;", keys.display()),
        ));
    }
    std::fs::write(
        dir.join("hookscope-team.conf"),
        edit_shipped("deploy/nginx/hookscope-team.conf", &edits),
    )
    .unwrap();
    // No http-level access_log: the shipped server names its own.
    let conf = nginx_main(&dir, "hookscope-team.conf", false);
    Running::nginx(dir, conf)
}

fn start_caddy(
    dir: PathBuf,
    port: u16,
    www: &Path,
    vendor: SocketAddr,
    users: &[TeamUser],
    key: &str,
) -> Running {
    crate::site::assert_installed(CADDY, "caddy");
    // The sign-in list: `caddy hash-password` (bcrypt) for each; a name in backquotes
    // (Caddyfile's raw quoting), so the odd one is read as it is.
    let mut list = String::new();
    for u in users {
        let out = Command::new(CADDY)
            .args(["hash-password", "--plaintext", &u.password])
            .output()
            .expect("caddy hash-password");
        assert!(out.status.success());
        let hash = String::from_utf8(out.stdout).unwrap().trim().to_string();
        list.push_str(&format!("`{}` {hash}\n", u.name));
    }
    std::fs::write(dir.join("users"), list).unwrap();
    std::fs::write(
        dir.join("roles"),
        format!("{ADMIN} admin\n{SUPPORT} support\n{NO_ROLE} auditor\n"),
    )
    .unwrap();
    let ca_file = write_test_ca(&dir);
    let d = dir.display();
    let mut edits = crate::caddy::shared_edits(port, www, vendor);
    edits.extend([
        (
            "import /etc/caddy/hookscope/users".into(),
            format!("import {d}/users"),
        ),
        (
            "import /etc/caddy/hookscope/roles".into(),
            format!("import {d}/roles"),
        ),
        (
            "/var/log/caddy/hookscope-audit.log".into(),
            format!("{d}/audit.log"),
        ),
    ]);
    let caddyfile = edit_shipped("deploy/caddy/Caddyfile.team", &edits);
    let mut cmd = caddy_command(&dir, &caddyfile, &ca_file);
    // What the systemd EnvironmentFile gives the service (deploy/TEAM.md).
    cmd.env("HOOKSCOPE_BLAND_KEY", key)
        .env("HOOKSCOPE_BURKI_KEY", key)
        .env("HOOKSCOPE_TALKOVER_KEY", key);
    Running::caddy(dir, cmd)
}

impl crate::proxy::Proxy for Team {
    fn origin(&self) -> &str {
        &self.origin
    }
    fn logs(&self) -> String {
        Team::logs(self)
    }
}
