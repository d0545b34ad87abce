//! A TLS "vendor" on loopback for the deployment tests: a TLS listener in front of the
//! simulator, holding a certificate for the vendors' host names. The certificates come
//! from a test CA made here (a root, an intermediate, then the server's certificate, the
//! shape of a real vendor's chain); the proxy under test is told to trust that root,
//! and only that root, where its config names the CA file (an EDIT line).
//!
//! The listener records what it sees, so a test can tell "the proxy never connected"
//! from "the proxy connected, did not like the certificate and sent nothing": the
//! connections accepted, the name the proxy asked for (SNI) on each finished handshake,
//! and how many connections carried a request (any plaintext byte after the handshake).
//! It never stores or prints those bytes (they hold the API key).

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;

/// The vendors' API host names, as the shipped configs name them.
pub const VENDOR_HOSTS: [&str; 3] = ["api.bland.ai", "api.burki.dev", "app.talkover.ai"];

/// The test CA: a root (what the proxy trusts) and an intermediate that signs servers'
/// certificates.
pub struct TestCa {
    /// The root's certificate, PEM: the proxy's trusted CA file in the tests.
    pub root_pem: String,
    intermediate: Issuer<'static, KeyPair>,
    intermediate_der: rustls::pki_types::CertificateDer<'static>,
}

/// The one test CA of this process (made on first use; a key pair each, in memory).
pub fn test_ca() -> &'static TestCa {
    static CA: OnceLock<TestCa> = OnceLock::new();
    CA.get_or_init(|| {
        let ca_params = |cn: &str| {
            let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            p.distinguished_name.push(DnType::CommonName, cn);
            p.key_usages = vec![
                rcgen::KeyUsagePurpose::KeyCertSign,
                rcgen::KeyUsagePurpose::CrlSign,
            ];
            p
        };
        let root_key = KeyPair::generate().unwrap();
        let root_params = ca_params("hookscope test root CA");
        let root = root_params.self_signed(&root_key).unwrap();
        let root_issuer = Issuer::new(root_params, root_key);
        let int_key = KeyPair::generate().unwrap();
        let int_params = ca_params("hookscope test intermediate CA");
        let int = int_params.signed_by(&int_key, &root_issuer).unwrap();
        TestCa {
            root_pem: root.pem(),
            intermediate: Issuer::new(int_params, int_key),
            intermediate_der: int.der().clone(),
        }
    })
}

/// The certificate a [`TlsVendor`] shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cert {
    /// Issued by the test CA for the vendors' host names: what a proxy must accept.
    Trusted,
    /// For the vendors' host names, but signed by its own key (a machine in between
    /// that made its own "api.bland.ai"): what a proxy must refuse.
    SelfSigned,
    /// Issued by the test CA, but for another name (someone's real certificate for a
    /// host of their own): what a proxy must refuse.
    WrongName,
}

/// What a [`TlsVendor`] saw.
#[derive(Default)]
pub struct Seen {
    /// TCP connections accepted.
    pub connections: AtomicUsize,
    /// The server name (SNI) asked for on each completed handshake ("" when none).
    pub handshakes: Mutex<Vec<String>>,
    /// Connections that carried a request after the handshake (relayed to the backend;
    /// one connection may carry several requests).
    pub requests: AtomicUsize,
}

impl Seen {
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
    pub fn server_names(&self) -> Vec<String> {
        self.handshakes.lock().unwrap().clone()
    }
}

/// A TLS listener on loopback relaying every connection to `backend` (the simulator);
/// it stops when dropped.
pub struct TlsVendor {
    pub addr: SocketAddr,
    pub seen: Arc<Seen>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsVendor {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn server_config(cert: Cert) -> rustls::ServerConfig {
    let key = KeyPair::generate().unwrap();
    let names: Vec<String> = match cert {
        Cert::WrongName => vec!["vendor.example.net".into()],
        _ => VENDOR_HOSTS.iter().map(|h| h.to_string()).collect(),
    };
    let mut params = CertificateParams::new(names).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "hookscope test vendor");
    let chain = match cert {
        Cert::SelfSigned => vec![params.self_signed(&key).unwrap().der().clone()],
        Cert::Trusted | Cert::WrongName => {
            let ca = test_ca();
            vec![
                params
                    .signed_by(&key, &ca.intermediate)
                    .unwrap()
                    .der()
                    .clone(),
                ca.intermediate_der.clone(),
            ]
        }
    };
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
    rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .unwrap()
}

impl TlsVendor {
    pub async fn start(backend: SocketAddr, cert: Cert) -> TlsVendor {
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config(cert)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Seen::default());
        let s = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                s.connections.fetch_add(1, Ordering::SeqCst);
                let (acceptor, s) = (acceptor.clone(), s.clone());
                tokio::spawn(async move {
                    // A refused certificate ends here (the proxy sends an alert) or just
                    // after (the proxy closes without a request).
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let sni = tls.get_ref().1.server_name().unwrap_or("").to_string();
                    s.handshakes.lock().unwrap().push(sni);
                    let mut first = vec![0u8; 16 * 1024];
                    let n = match tls.read(&mut first).await {
                        Ok(n) if n > 0 => n,
                        _ => return,
                    };
                    s.requests.fetch_add(1, Ordering::SeqCst);
                    let Ok(mut up) = tokio::net::TcpStream::connect(backend).await else {
                        return;
                    };
                    if up.write_all(&first[..n]).await.is_err() {
                        return;
                    }
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        TlsVendor { addr, seen, task }
    }

    /// [`TlsVendor::start`] in front of the simulator at `sim` (`http://127.0.0.1:PORT`).
    pub async fn in_front_of(sim: &str, cert: Cert) -> TlsVendor {
        let sim: SocketAddr = sim
            .trim_start_matches("http://")
            .parse()
            .expect("the simulator's origin");
        TlsVendor::start(sim, cert).await
    }
}
