//! Debian's nginx on loopback, serving the sub-path build (`dist-hookscope/`, built with
//! `trunk build --release --public-url /hookscope/`) with the config shipped in
//! `deploy/nginx/hookscope.conf`. Only its lines marked EDIT are changed here: the port,
//! the root, and the proxied vendor (the simulator).

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

/// The shipped site config with its EDIT lines set for this run.
pub fn site_config(port: u16, root: &Path, upstream: &str) -> String {
    let shipped = std::fs::read_to_string(repo().join("deploy/nginx/hookscope.conf"))
        .expect("deploy/nginx/hookscope.conf");
    let mut conf = shipped;
    for (from, to) in [
        (
            "listen 127.0.0.1:8080;",
            format!("listen 127.0.0.1:{port};"),
        ),
        ("root /var/www;", format!("root {};", root.display())),
        (
            "proxy_pass https://api.bland.ai/;",
            format!("proxy_pass {upstream}/;"),
        ),
    ] {
        assert_eq!(
            conf.matches(from).count(),
            1,
            "deploy/nginx/hookscope.conf must hold `{from}` once (an EDIT line)"
        );
        conf = conf.replacen(from, &to, 1);
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
    /// Starts nginx with the sub-path build and `upstream` (an origin) behind
    /// `/hookscope/proxy/bland/`. `extra` files go beside index.html (config.json).
    pub fn start(upstream: &str, extra: &[(&str, &str)]) -> Nginx {
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
        std::fs::write(
            dir.join("hookscope.conf"),
            site_config(port, &www, upstream),
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

async fn request(origin: &str, head: &str) -> Answer {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = origin.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    s.write_all(format!("{head}Host: {host}\r\n\r\n").as_bytes())
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

/// The value of header `name` (lowercase), or "" when absent.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}
