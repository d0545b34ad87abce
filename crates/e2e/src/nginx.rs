//! Debian's nginx on loopback, serving the sub-path build (`dist-hookscope/`, built with
//! `trunk build --release --public-url /hookscope/`) with the config shipped in
//! `deploy/nginx/hookscope.conf`. Only its lines marked EDIT are changed here: the port,
//! the root, the vendors' addresses (a TLS "vendor" on loopback, [`crate::tls`], in front
//! of the simulator) and the CA file the proxy trusts (the test CA's root, and nothing
//! else). The vendors' host names stay as shipped: the test certificates are for them.

use crate::site::{edit_shipped, nginx_main, run_folder, write_test_ca, Running};
use crate::tls::{Cert, TlsVendor};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

pub use crate::site::{sub_path_dist, NGINX};

/// A running nginx; dropping it stops nginx and removes its folder.
pub struct Nginx {
    running: Running,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    /// The TLS vendor this nginx proxies to, when [`Nginx::in_front_of`] started it.
    pub vendor: Option<TlsVendor>,
}

/// The EDIT lines the personal and the team config share, set for this run: the port, the
/// root, every vendor's upstream at `vendor` (one TLS listener answers for the three host
/// names), and `ca_file` as the CA file the proxy trusts.
pub(crate) fn shared_edits(
    port: u16,
    root: &Path,
    vendor: SocketAddr,
    ca_file: &Path,
) -> Vec<(String, String)> {
    let mut edits = vec![
        (
            "listen 127.0.0.1:8080;".to_string(),
            format!("listen 127.0.0.1:{port};"),
        ),
        ("root /var/www;".into(), format!("root {};", root.display())),
        (
            "proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;".into(),
            format!("proxy_ssl_trusted_certificate {};", ca_file.display()),
        ),
    ];
    for host in crate::tls::VENDOR_HOSTS {
        edits.push((format!("server {host}:443;"), format!("server {vendor};")));
    }
    edits
}

/// The shipped site config with its EDIT lines set for this run ([`shared_edits`]), each
/// of which it holds once.
pub fn site_config(port: u16, root: &Path, vendor: SocketAddr, ca_file: &Path) -> String {
    let file = "deploy/nginx/hookscope.conf";
    let edits = shared_edits(port, root, vendor, ca_file);
    let shipped = std::fs::read_to_string(crate::site::repo().join(file)).expect(file);
    for (from, _) in &edits {
        assert_eq!(
            shipped.matches(from.as_str()).count(),
            1,
            "{file} must hold `{from}` once (an EDIT line)"
        );
    }
    edit_shipped(file, &edits)
}

impl Nginx {
    /// Starts a TLS vendor with a trusted certificate in front of the simulator at `sim`
    /// (`http://127.0.0.1:PORT`), then nginx in front of that (see [`Nginx::start`]).
    pub async fn in_front_of(sim: &str, extra: &[(&str, &str)]) -> Nginx {
        let vendor = TlsVendor::in_front_of(sim, Cert::Trusted).await;
        let mut nginx = Nginx::start(vendor.addr, extra);
        nginx.vendor = Some(vendor);
        nginx
    }

    /// Starts nginx with the sub-path build, every vendor's proxy path going to `vendor`
    /// (a TLS listener) and the test CA as the only CA it trusts. `extra` files go beside
    /// index.html (config.json).
    pub fn start(vendor: SocketAddr, extra: &[(&str, &str)]) -> Nginx {
        crate::site::assert_installed(NGINX, "nginx");
        let port = crate::free_port();
        let (dir, www) = run_folder("nginx", port, extra);
        let ca_file = write_test_ca(&dir);
        std::fs::write(
            dir.join("hookscope.conf"),
            site_config(port, &www, vendor, &ca_file),
        )
        .unwrap();
        let conf = nginx_main(&dir, "hookscope.conf", true);
        let mut running = Running::nginx(dir, conf);
        running.wait_until_listening("nginx", port, Duration::from_secs(15), |dir| {
            std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
        });
        Nginx {
            running,
            origin: format!("http://127.0.0.1:{port}"),
            vendor: None,
        }
    }

    /// What nginx logged for requests (the access log), to check what it saw.
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.running.dir.join("access.log")).unwrap_or_default()
    }

    /// What nginx logged as errors (a refused upstream certificate, for one).
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.running.dir.join("error.log")).unwrap_or_default()
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
