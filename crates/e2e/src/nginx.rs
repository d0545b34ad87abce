//! Debian's nginx on loopback, serving the sub-path build (`dist-hookscope/`, built with
//! `trunk build --release --public-url /hookscope/`) with the config shipped in
//! `deploy/nginx/hookscope.conf`. Only its lines marked EDIT are changed here: the port,
//! the root, the vendors' addresses (a TLS "vendor" on loopback, [`crate::tls`], in front
//! of the simulator) and the CA file the proxy trusts (the test CA's root, and nothing
//! else). The vendors' host names stay as shipped: the test certificates are for them.

use crate::tls::{test_ca, Cert, TlsVendor};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const NGINX: &str = "/usr/sbin/nginx";

/// A running nginx; dropping it stops nginx and removes its folder.
pub struct Nginx {
    child: Child,
    dir: PathBuf,
    conf: PathBuf,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    /// The TLS vendor this nginx proxies to, when [`Nginx::in_front_of`] started it.
    pub vendor: Option<TlsVendor>,
}

fn repo() -> PathBuf {
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

/// The shipped site config with its EDIT lines set for this run: every vendor's upstream
/// is `vendor` (one TLS listener answers for the three host names), and the CA file the
/// proxy trusts is `ca_file`.
pub fn site_config(port: u16, root: &Path, vendor: SocketAddr, ca_file: &Path) -> String {
    let shipped = std::fs::read_to_string(repo().join("deploy/nginx/hookscope.conf"))
        .expect("deploy/nginx/hookscope.conf");
    let mut conf = shipped;
    for (from, to) in [
        (
            "listen 127.0.0.1:8080;".to_string(),
            format!("listen 127.0.0.1:{port};"),
        ),
        ("root /var/www;".into(), format!("root {};", root.display())),
        (
            "proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;".into(),
            format!("proxy_ssl_trusted_certificate {};", ca_file.display()),
        ),
    ]
    .into_iter()
    .chain(
        crate::tls::VENDOR_HOSTS
            .iter()
            .map(|host| (format!("server {host}:443;"), format!("server {vendor};"))),
    ) {
        assert_eq!(
            conf.matches(&from).count(),
            1,
            "deploy/nginx/hookscope.conf must hold `{from}` once (an EDIT line)"
        );
        let line = conf.lines().find(|l| l.contains(&from)).unwrap();
        assert!(line.contains("# EDIT"), "`{from}` is not marked EDIT");
        conf = conf.replacen(&from, &to, 1);
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

impl Nginx {
    /// Starts a TLS vendor with a trusted certificate in front of the simulator at `sim`
    /// (`http://127.0.0.1:PORT`), then nginx in front of that (see [`Nginx::start`]).
    pub async fn in_front_of(sim: &str, extra: &[(&str, &str)]) -> Nginx {
        let sim: SocketAddr = sim
            .trim_start_matches("http://")
            .parse()
            .expect("the simulator's origin");
        let vendor = TlsVendor::start(sim, Cert::Trusted).await;
        let mut nginx = Nginx::start(vendor.addr, extra);
        nginx.vendor = Some(vendor);
        nginx
    }

    /// Starts nginx with the sub-path build, every vendor's proxy path going to `vendor`
    /// (a TLS listener) and the test CA as the only CA it trusts. `extra` files go beside
    /// index.html (config.json).
    pub fn start(vendor: SocketAddr, extra: &[(&str, &str)]) -> Nginx {
        assert!(
            Path::new(NGINX).exists(),
            "nginx is not installed: scripts/install-tools.sh --nginx installs Debian's package"
        );
        let port = crate::free_port();
        let dir =
            std::env::temp_dir().join(format!("hookscope-nginx-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let www = dir.join("www");
        copy_dir(&sub_path_dist(), &www.join("hookscope"));
        for (name, text) in extra {
            std::fs::write(www.join("hookscope").join(name), text).unwrap();
        }
        let ca_file = dir.join("test-ca.pem");
        std::fs::write(&ca_file, &test_ca().root_pem).unwrap();
        std::fs::write(
            dir.join("hookscope.conf"),
            site_config(port, &www, vendor, &ca_file),
        )
        .unwrap();
        let d = dir.display();
        let main = format!(
            "worker_processes 1;\nerror_log {d}/error.log;\npid {d}/nginx.pid;\nevents {{ worker_connections 64; }}\n\
             http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log {d}/access.log;\n\
             client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;\n\
             uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n  include {d}/hookscope.conf;\n}}\n"
        );
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, main).unwrap();
        let child = Command::new(NGINX)
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nginx");
        let nginx = Nginx {
            child,
            dir,
            conf,
            origin: format!("http://127.0.0.1:{port}"),
            vendor: None,
        };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "nginx did not start: {}",
                std::fs::read_to_string(nginx.dir.join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    /// What nginx logged for requests (the access log), to check what it saw.
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("access.log")).unwrap_or_default()
    }

    /// What nginx logged as errors (a refused upstream certificate, for one).
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // `-s stop` ends the workers too (a killed master would leave them listening).
        let _ = Command::new(NGINX)
            .arg("-p")
            .arg(&self.dir)
            .arg("-c")
            .arg(&self.conf)
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
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub type Answer = (u16, Vec<(String, String)>, Vec<u8>);

/// One plain HTTP/1.0 GET: status, headers (names lowercased) and body.
pub async fn get(origin: &str, path: &str) -> Answer {
    request(origin, &format!("GET {path} HTTP/1.0\r\n")).await
}

/// A GET as browsers send it (HTTP/1.1, gzip accepted): for its headers only, since the
/// body may come in chunks.
pub async fn get_gzip(origin: &str, path: &str) -> Answer {
    request(
        origin,
        &format!("GET {path} HTTP/1.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n"),
    )
    .await
}

/// One HTTP/1.0 request with these extra header lines and body (`Content-Length` is added
/// when there is a body). `path` goes on the request line as it is (no encoding).
pub async fn send(
    origin: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Answer {
    let mut head = format!("{method} {path} HTTP/1.0\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request_with_body(origin, &head, body.unwrap_or("")).await
}

async fn request(origin: &str, head: &str) -> Answer {
    request_with_body(origin, head, "").await
}

async fn request_with_body(origin: &str, head: &str, body: &str) -> Answer {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = origin.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    s.write_all(format!("{head}Host: {host}\r\n\r\n{body}").as_bytes())
        .await
        .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

/// Every value of header `name` (lowercase), in order.
pub fn header_values<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The value of header `name` (lowercase), or "" when absent.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}
