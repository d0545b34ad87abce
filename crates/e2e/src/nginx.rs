//! Debian's nginx on loopback, serving the sub-path build (`dist-hookscope/`, built with
//! `trunk build --release --public-url /hookscope/`) with the config shipped in
//! `deploy/nginx/hookscope.conf`. Only its lines marked EDIT are changed here: the port,
//! the root, the vendors' addresses (a TLS "vendor" on loopback, [`crate::tls`], in front
//! of the simulator) and the CA file the proxy trusts (the test CA's root, and nothing
//! else). The vendors' host names stay as shipped: the test certificates are for them.
//! The main config (ours: nginx runs in a folder of its own) loads the brotli_static
//! module the shipped configs need, from where Debian's package puts it.
//!
//! Also the HTTP helpers every deployment test uses ([`get`], [`send`], [`get_encoded`])
//! and the check of the release build's precompressed copies ([`check_precompressed`]).

use crate::site::{edit_shipped, nginx_main, run_folder, write_test_ca, Running};
use crate::tls::{Cert, TlsVendor};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub use crate::site::{sub_path_dist, NGINX};

/// nginx's brotli_static module (`brotli_static on;` in the shipped configs), where Debian's
/// libnginx-mod-http-brotli-static puts it (its own load_module line, in
/// /usr/share/nginx/modules-available/, names it relative to nginx's prefix, which `-p`
/// moves: hence the full path).
pub const BROTLI_STATIC_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// The main context's `load_module` line for [`BROTLI_STATIC_MODULE`].
pub fn load_modules() -> String {
    assert!(
        Path::new(BROTLI_STATIC_MODULE).exists(),
        "{BROTLI_STATIC_MODULE} is missing: scripts/install-tools.sh --browser installs Debian's libnginx-mod-http-brotli-static"
    );
    format!("load_module {BROTLI_STATIC_MODULE};\n")
}

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

/// Debian's own /etc/nginx/nginx.conf, as a deployer has it (its modules-enabled/ included),
/// with what it would write (pid, logs) in `dir` and the site config `site` in place of
/// the sites it includes (conf.d/, sites-enabled/).
pub fn debians_main_config(dir: &Path, site: &Path) -> String {
    let mut main = std::fs::read_to_string("/etc/nginx/nginx.conf").expect("/etc/nginx/nginx.conf");
    let d = dir.display();
    for (from, to) in [
        (
            "pid /run/nginx.pid;".to_string(),
            format!("pid {d}/nginx.pid;"),
        ),
        (
            "error_log /var/log/nginx/error.log;".into(),
            format!("error_log {d}/error.log;"),
        ),
        (
            "access_log /var/log/nginx/access.log;".into(),
            format!("access_log {d}/access.log;"),
        ),
        (
            "include /etc/nginx/conf.d/*.conf;".into(),
            format!("include {};", site.display()),
        ),
        ("include /etc/nginx/sites-enabled/*;".into(), String::new()),
    ] {
        assert_eq!(
            main.matches(&from).count(),
            1,
            "/etc/nginx/nginx.conf is not Debian's: no `{from}`"
        );
        main = main.replacen(&from, &to, 1);
    }
    assert!(
        main.contains("\ninclude /etc/nginx/modules-enabled/*.conf;"),
        "/etc/nginx/nginx.conf is not Debian's: it does not include modules-enabled/"
    );
    main
}

/// `nginx -t` (the config is read and checked; nothing starts) of the shipped site config,
/// its EDIT lines set as for [`Nginx::start`], inside the main config `main(dir, site)`:
/// whether nginx accepts it, and what it said. nginx runs with its own prefix (no `-p`),
/// as a deployer's does.
pub fn check_config(main: impl FnOnce(&Path, &Path) -> String) -> (bool, String) {
    let dir = std::env::temp_dir().join(format!(
        "hookscope-nginx-t-{}-{}",
        std::process::id(),
        crate::free_port()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let ca_file = write_test_ca(&dir);
    let site = dir.join("hookscope.conf");
    let vendor = "127.0.0.1:9".parse().unwrap();
    std::fs::write(&site, site_config(8080, &dir.join("www"), vendor, &ca_file)).unwrap();
    let conf = dir.join("nginx.conf");
    std::fs::write(&conf, main(&dir, &site)).unwrap();
    let out = Command::new(NGINX)
        .arg("-t")
        .arg("-e")
        .arg(dir.join("startup.log"))
        .arg("-c")
        .arg(&conf)
        .output()
        .expect("nginx -t");
    let _ = std::fs::remove_dir_all(&dir);
    let said =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    (out.status.success(), said)
}

/// [`check_config`] with the main config the tests run nginx with, with no module loaded.
pub fn check_config_without_modules() -> (bool, String) {
    check_config(|dir, site| crate::site::nginx_main_text(dir, site, true))
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
    // A server that answers before reading the whole request (414 to a 33 kB path) and
    // closes may reset the connection, and the reset can drop its answer: asked again.
    let mut tries = 0;
    let (raw, split) = loop {
        tries += 1;
        let raw = exchange(origin, head, body).await;
        match raw.windows(4).position(|w| w == b"\r\n\r\n") {
            Some(split) => break (raw, split),
            None if tries < 3 => continue,
            None => panic!("no HTTP answer from {origin} in {tries} tries"),
        }
    };
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

/// Writes the request and reads until the server closes; a reset ends the answer as
/// received so far (the caller checks it is whole).
async fn exchange(origin: &str, head: &str, body: &str) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = origin.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    let wrote = s
        .write_all(format!("{head}Host: {host}\r\n\r\n{body}").as_bytes())
        .await;
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match s.read(&mut chunk).await {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("reading the answer from {origin}: {e}"),
        }
    }
    if raw.is_empty() {
        if let Err(e) = wrote {
            eprintln!("writing to {origin}: {e} (asking again)");
        }
    }
    raw
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

/// A GET over HTTP/1.1 (as browsers send it: nginx's gzip_static answers HTTP/1.1 only)
/// with `Accept-Encoding: accept` (None: no such header) and these other header lines.
/// The body as sent, before any Content-Encoding is undone: a chunked one is put back
/// together, and one with a Content-Length must have that length.
pub async fn get_encoded(
    origin: &str,
    path: &str,
    accept: Option<&str>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut head = format!("GET {path} HTTP/1.1\r\nConnection: close\r\n");
    if let Some(accept) = accept {
        head.push_str(&format!("Accept-Encoding: {accept}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let (status, headers, body) = request(origin, &head).await;
    let body = if header(&headers, "transfer-encoding") == "chunked" {
        dechunk(&body)
    } else {
        if let Ok(len) = header(&headers, "content-length").parse::<usize>() {
            assert_eq!(body.len(), len, "GET {path}: a body of its Content-Length");
        }
        body
    };
    (status, headers, body)
}

/// The body of a `Transfer-Encoding: chunked` answer.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let eol = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size line");
        let line = String::from_utf8_lossy(&raw[..eol]).to_string();
        let size = usize::from_str_radix(line.split(';').next().unwrap().trim(), 16)
            .unwrap_or_else(|_| panic!("a chunk size, not {line:?}"));
        raw = &raw[eol + 2..];
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&raw[..size]);
        assert_eq!(&raw[size..size + 2], b"\r\n", "the end of a chunk");
        raw = &raw[size + 2..];
    }
}

/// The security headers every answer of the shipped configs carries.
const SECURITY_HEADERS: [&str; 5] = [
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "strict-transport-security",
];

/// The release build writes `FILE.br` (brotli) and `FILE.gz` (gzip) beside index.html and
/// each hashed file; the server at `origin` (a shipped config on the sub-path build) must
/// send them in place of FILE. For the main wasm, a wasm chunk, the app's JavaScript, the
/// stylesheet, and index.html (as /hookscope/ and as a deep link's fallback), each asked
/// three ways, with `headers` added (a team's sign-in):
/// - `Accept-Encoding: br, gzip`: the bytes of FILE.br, `Content-Encoding: br`;
/// - `Accept-Encoding: gzip`: the bytes of FILE.gz, `Content-Encoding: gzip`;
/// - no Accept-Encoding: FILE's own bytes, no Content-Encoding;
///
/// and every time: FILE's type (`application/wasm` for wasm, which `instantiateStreaming`
/// requires), the Cache-Control FILE has always had (a year `immutable` for hashed names,
/// `no-cache` for index.html), `Vary: Accept-Encoding` (once), the same security headers,
/// and no two of the three answers with the same ETag (each is its own representation).
/// The copies asked for by their own name are a 404.
pub async fn check_precompressed(origin: &str, headers: &[(&str, &str)]) {
    let dist = sub_path_dist();
    let mut names: Vec<String> = std::fs::read_dir(&dist)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let find = |what: &str, is: &dyn Fn(&str) -> bool| -> String {
        names
            .iter()
            .find(|n| is(n))
            .unwrap_or_else(|| panic!("no {what} in dist-hookscope/: {names:?}"))
            .clone()
    };
    let main_wasm = find("main wasm", &|n| {
        n.starts_with("hookscope-") && n.ends_with("_bg.wasm")
    });
    let chunk = find("wasm chunk", &|n| {
        n.starts_with("split_") && n.ends_with(".wasm")
    });
    let js = find("app's JavaScript", &|n| {
        n.starts_with("hookscope-") && n.ends_with(".js")
    });
    let css = find("stylesheet", &|n| n.ends_with(".css"));
    const WASM: &[&str] = &["application/wasm"];
    // nginx's mime.types says application/javascript, Go's (Caddy) text/javascript.
    const JS: &[&str] = &["application/javascript", "text/javascript"];
    let cases: [(String, &str, &[&str]); 6] = [
        (format!("/hookscope/{main_wasm}"), &main_wasm, WASM),
        (format!("/hookscope/{chunk}"), &chunk, WASM),
        (format!("/hookscope/{js}"), &js, JS),
        (format!("/hookscope/{css}"), &css, &["text/css"]),
        ("/hookscope/".into(), "index.html", &["text/html"]),
        (
            "/hookscope/explorer?c=Demo%20Bland".into(),
            "index.html",
            &["text/html"],
        ),
    ];
    for (path, file, types) in &cases {
        let read = |name: String| {
            std::fs::read(dist.join(&name)).unwrap_or_else(|e| panic!("dist-hookscope/{name}: {e}"))
        };
        let raw = read(file.to_string());
        let br = read(format!("{file}.br"));
        let gz = read(format!("{file}.gz"));
        // Three different bodies, so that each answer says which one was sent.
        assert!(
            raw != br && raw != gz && br != gz && gz.starts_with(&[0x1f, 0x8b]),
            "{file}: .br and .gz are not compressed copies"
        );
        let cache = if crate::is_hashed_name(file) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let mut etags = Vec::new();
        let mut security: Option<Vec<Vec<String>>> = None;
        for (accept, encoding, body, copy) in [
            (Some("br, gzip"), Some("br"), &br, ".br"),
            (Some("gzip"), Some("gzip"), &gz, ".gz"),
            (None, None, &raw, ""),
        ] {
            let what = format!("GET {path} with Accept-Encoding {accept:?}");
            let (status, h, got) = get_encoded(origin, path, accept, headers).await;
            assert_eq!(status, 200, "{what}");
            assert_eq!(
                header_values(&h, "content-encoding"),
                encoding.into_iter().collect::<Vec<_>>(),
                "{what}"
            );
            assert!(
                got == *body,
                "{what}: {} bytes, not the {} of {file}{copy}",
                got.len(),
                body.len()
            );
            let ty = header(&h, "content-type");
            assert!(
                types
                    .iter()
                    .any(|t| ty == *t || ty.starts_with(&format!("{t};"))),
                "{what}: Content-Type {ty:?}, not one of {types:?}"
            );
            assert_eq!(header_values(&h, "cache-control"), [cache], "{what}");
            assert_eq!(header_values(&h, "vary"), ["Accept-Encoding"], "{what}");
            let these: Vec<Vec<String>> = SECURITY_HEADERS
                .iter()
                .map(|name| {
                    let v: Vec<String> = header_values(&h, name)
                        .into_iter()
                        .map(str::to_string)
                        .collect();
                    assert!(!v.is_empty(), "{what}: no {name}");
                    v
                })
                .collect();
            match &security {
                None => security = Some(these),
                Some(first) => assert_eq!(first, &these, "{what}: other security headers"),
            }
            let etag = header(&h, "etag");
            if !etag.is_empty() {
                assert!(
                    !etags.contains(&etag.to_string()),
                    "{what}: ETag {etag} again"
                );
                etags.push(etag.to_string());
            }
        }
    }
    // The copies by their own name: 404, whatever the client accepts.
    for name in [
        format!("{main_wasm}.br"),
        format!("{chunk}.gz"),
        format!("{js}.br"),
        "index.html.br".into(),
        "index.html.gz".into(),
    ] {
        for accept in [None, Some("br, gzip")] {
            let path = format!("/hookscope/{name}");
            let (status, _, _) = get_encoded(origin, &path, accept, headers).await;
            assert_eq!(status, 404, "GET {path} with Accept-Encoding {accept:?}");
        }
    }
}
