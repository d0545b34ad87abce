//! What the deployment tests' servers ([`crate::nginx`], [`crate::caddy`], [`crate::team`])
//! share: a folder of this run holding the sub-path build, the shipped config with its
//! EDIT lines set, the test CA's root as the only CA the server trusts, and the running
//! server (started, waited for, stopped, its folder removed).

use crate::tls::test_ca;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const NGINX: &str = "/usr/sbin/nginx";
pub const CADDY: &str = "/usr/bin/caddy";

pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The sub-path build.
pub fn sub_path_dist() -> PathBuf {
    let d = repo().join("dist-hookscope");
    assert!(
        d.join("index.html").exists(),
        "dist-hookscope/ is missing: run `trunk build --release --public-url /hookscope/ --dist dist-hookscope` (scripts/test.sh does)"
    );
    d
}

/// Fails with the install hint when the server `name` is not at `path`.
pub(crate) fn assert_installed(path: &str, name: &str) {
    assert!(
        Path::new(path).exists(),
        "{name} is not installed: scripts/install-tools.sh --browser installs Debian's package"
    );
}

/// A new folder for this run of a `kind` server on `port` (any left from an earlier run is
/// removed), with the sub-path build in `www/hookscope/` and the `extra` files beside its
/// index.html (config.json). Returns the folder and its `www`.
pub(crate) fn run_folder(kind: &str, port: u16, extra: &[(&str, &str)]) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("hookscope-{kind}-{}-{port}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let www = dir.join("www");
    let site = www.join("hookscope");
    std::fs::create_dir_all(&site).unwrap();
    for entry in std::fs::read_dir(sub_path_dist()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), site.join(entry.file_name())).unwrap();
        }
    }
    for (name, text) in extra {
        std::fs::write(site.join(name), text).unwrap();
    }
    (dir, www)
}

/// Writes the test CA's root into `dir` (the CA file the server trusts) and returns its path.
pub(crate) fn write_test_ca(dir: &Path) -> PathBuf {
    let ca_file = dir.join("test-ca.pem");
    std::fs::write(&ca_file, &test_ca().root_pem).unwrap();
    ca_file
}

/// The shipped `file` (a path in the repo) with each `from` replaced by its `to`; each
/// `from` must be in the file, and every line holding it must be marked EDIT (a deployer's
/// line).
pub(crate) fn edit_shipped(file: &str, edits: &[(String, String)]) -> String {
    let mut text = std::fs::read_to_string(repo().join(file)).expect(file);
    for (from, to) in edits {
        assert!(
            text.contains(from.as_str()),
            "{file} must hold `{from}` (an EDIT line)"
        );
        for line in text.lines().filter(|l| l.contains(from.as_str())) {
            assert!(
                line.contains("# EDIT"),
                "{file}: `{line}` is not marked EDIT"
            );
        }
        text = text.replace(from.as_str(), to);
    }
    text
}

/// The main config nginx runs with here, without modules: Debian's, minus what would write
/// outside `dir`, including the site config `site`.
pub(crate) fn nginx_main_text(dir: &Path, site: &Path, access_log: bool) -> String {
    let d = dir.display();
    let site = site.display();
    let access_log = if access_log {
        format!("  access_log {d}/access.log;\n")
    } else {
        String::new()
    };
    format!(
        "worker_processes 1;\nerror_log {d}/error.log;\npid {d}/nginx.pid;\nevents {{ worker_connections 64; }}\n\
         http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n{access_log}\
         client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;\n\
         uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n  include {site};\n}}\n"
    )
}

/// Writes `dir/nginx.conf`: [`nginx_main_text`] for the site file `dir/site`, after the
/// brotli_static module's load line (the shipped configs need it); returns its path.
pub(crate) fn nginx_main(dir: &Path, site: &str, access_log: bool) -> PathBuf {
    let main = crate::nginx::load_modules() + &nginx_main_text(dir, &dir.join(site), access_log);
    let conf = dir.join("nginx.conf");
    std::fs::write(&conf, main).unwrap();
    conf
}

/// Writes `caddyfile` into `dir` after a global options block (no admin endpoint) and
/// returns the command that runs it: its home and data in `dir`, the CA file `ca_file` as
/// the only CA it trusts (an empty `SSL_CERT_DIR`), its log in `dir/caddy.log`.
pub(crate) fn caddy_command(dir: &Path, caddyfile: &str, ca_file: &Path) -> Command {
    let conf = dir.join("Caddyfile");
    std::fs::write(&conf, "{\n\tadmin off\n}\n\n".to_string() + caddyfile).unwrap();
    std::fs::create_dir_all(dir.join("no-more-cas")).unwrap();
    let mut cmd = Command::new(CADDY);
    cmd.args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&conf)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("SSL_CERT_FILE", ca_file)
        .env("SSL_CERT_DIR", dir.join("no-more-cas"))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("caddy.log")).unwrap());
    cmd
}

/// A server of a deployment test, running from its folder; dropping it stops the server
/// and removes the folder.
pub(crate) struct Running {
    child: Child,
    pub dir: PathBuf,
    /// nginx's main file: nginx is stopped with `-s stop` (a killed master would leave its
    /// workers listening).
    nginx_conf: Option<PathBuf>,
}

impl Running {
    /// Starts nginx in the foreground with the main file `conf` (in `dir`); what it says on
    /// standard error goes to `dir/stderr.log`.
    pub fn nginx(dir: PathBuf, conf: PathBuf) -> Running {
        let child = Command::new(NGINX)
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap())
            .spawn()
            .expect("start nginx");
        Running {
            child,
            dir,
            nginx_conf: Some(conf),
        }
    }

    /// Runs `cmd` (Caddy, from [`caddy_command`]) for the folder `dir`.
    pub fn caddy(dir: PathBuf, mut cmd: Command) -> Running {
        let child = cmd.spawn().expect("start caddy");
        Running {
            child,
            dir,
            nginx_conf: None,
        }
    }

    /// Waits until the server listens on `port`; fails with `logs` of its folder when it
    /// exits first or does not listen within `limit`.
    pub fn wait_until_listening(
        &mut self,
        what: &str,
        port: u16,
        limit: Duration,
        logs: impl Fn(&Path) -> String,
    ) {
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = matches!(self.child.try_wait(), Ok(Some(_)));
            assert!(
                !exited && start.elapsed() < limit,
                "{what} did not start: {}",
                logs(&self.dir)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(conf) = &self.nginx_conf {
            let _ = Command::new(NGINX)
                .arg("-p")
                .arg(&self.dir)
                .arg("-c")
                .arg(conf)
                .args(["-s", "stop"])
                .stderr(Stdio::null())
                .status();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(5) {
                if let Ok(Some(_)) = self.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
