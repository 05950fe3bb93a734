//! What the client refuses before anything reaches the network: every action when it is
//! read-only (whatever asks: its methods, an `Operation` built by hand, the API task), plain
//! `http://` to another machine, and a TLS server whose certificate no trusted CA signed;
//! and what a private CA (`--ca-cert`, `ca_cert`) makes it accept.

use std::sync::Arc;

use crate::support::start;
use tokendesk::api::{
    AccessTokenIdentifier, Action, ApiError, Client, ClientConfig, Credentials, Document,
    Operation, Reply, Secret, TokenSummary,
};
use tokendesk::audit::{AuditContext, AuditLog};
use tokendesk::console::api_task::{self, ApiCommand, ApiEventKind, RequestId};
use tokendesk::simulator::{
    DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_USERNAME, Simulator, SimulatorConfig,
};

/// AT0000000671, EFFECTIVE.
const EFFECTIVE_CODE: &str = "99021047380";
/// AT0000000723, NOT_EFFECTIVE.
const NOT_EFFECTIVE_CODE: &str = "99021863939";

async fn simulator() -> Simulator {
    start::simulator(SimulatorConfig::default()).await
}

fn credentials() -> Credentials {
    Credentials {
        username: DEMO_USERNAME.into(),
        password: Secret::new(DEMO_PASSWORD),
        organisation: DEMO_ORGANISATION.into(),
        unit: None,
    }
}

fn client(sim: &Simulator, read_only: bool) -> Client {
    let mut config = ClientConfig::new(sim.base_url());
    config.credentials = Some(credentials());
    config.read_only = read_only;
    Client::new(config).expect("client builds")
}

fn code(code: &str) -> AccessTokenIdentifier {
    AccessTokenIdentifier::AuthenticationCode(code.into())
}

fn assert_read_only(result: Result<Document, ApiError>, action: Action) {
    match result {
        Err(ApiError::ReadOnly { action: refused }) => assert_eq!(refused, action),
        other => panic!(
            "expected the read-only refusal for {action:?}, got {:?}",
            other.map(|_| "a token")
        ),
    }
}

async fn state_of(client: &Client, which: &str) -> String {
    let token = client.show(&code(which), None).await.expect("show works");
    TokenSummary::from_value(&token.value).state.to_string()
}

#[tokio::test]
async fn a_read_only_client_refuses_every_action_before_the_network() {
    let sim = simulator().await;
    let read_only = client(&sim, true);
    for (action, which) in [
        (Action::Deactivate, EFFECTIVE_CODE),
        (Action::Activate, NOT_EFFECTIVE_CODE),
        (Action::Delete, NOT_EFFECTIVE_CODE),
    ] {
        assert_read_only(read_only.act(action, &code(which), None).await, action);
        // an operation built by hand, as the console's API task runs it
        let operation = Operation::Act {
            action,
            identifier: code(which),
            fields: None,
            token: Box::default(),
            batch: None,
            reason: None,
        };
        match read_only.run(&operation).await {
            Err(ApiError::ReadOnly { action: refused }) => assert_eq!(refused, action),
            other => panic!(
                "expected the read-only refusal, got {:?}",
                other.map(|_| "a reply")
            ),
        }
    }
    assert_read_only(
        read_only
            .act(Action::Deactivate, &code(EFFECTIVE_CODE), None)
            .await,
        Action::Deactivate,
    );
    assert_read_only(
        read_only
            .act(Action::Activate, &code(NOT_EFFECTIVE_CODE), None)
            .await,
        Action::Activate,
    );
    assert_read_only(
        read_only
            .act(Action::Delete, &code(NOT_EFFECTIVE_CODE), None)
            .await,
        Action::Delete,
    );
    // Nothing reached the simulator: no write, not even a log-in.
    assert_eq!(sim.stats().actions, 0);
    assert_eq!(sim.stats().requests, 0);
    // Reading still works, and nothing changed.
    assert_eq!(state_of(&read_only, EFFECTIVE_CODE).await, "EFFECTIVE");
    assert_eq!(
        state_of(&read_only, NOT_EFFECTIVE_CODE).await,
        "NOT_EFFECTIVE"
    );
    // The same action from a client that may write does reach it (the counter counts).
    client(&sim, false)
        .act(Action::Deactivate, &code(EFFECTIVE_CODE), None)
        .await
        .expect("deactivated");
    assert_eq!(sim.stats().actions, 1);
}

#[tokio::test]
async fn the_api_task_of_a_read_only_client_refuses_too() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let audit_path = dir.path().join("audit.jsonl");
    let audit = AuditLog::new(Some(audit_path.clone()), AuditContext::default());
    let (api, mut events) = api_task::spawn(client(&sim, true), audit);
    assert!(api.send(ApiCommand::Send {
        id: RequestId(7),
        operation: Operation::Act {
            action: Action::Delete,
            identifier: code(NOT_EFFECTIVE_CODE),
            fields: None,
            token: Box::default(),
            batch: None,
            reason: None,
        },
    }));
    let outcome = loop {
        let event = events.recv().await.expect("an event");
        assert_eq!(event.id, RequestId(7));
        if let ApiEventKind::Finished(outcome) = event.kind {
            break outcome;
        }
    };
    match outcome {
        Err(error @ ApiError::ReadOnly { .. }) => assert_eq!(
            error.to_string(),
            "Read-only: nothing was sent, tokendesk does not delete tokens when started with --read-only or a read_only profile."
        ),
        other => panic!(
            "expected the read-only refusal, got {:?}",
            other.map(|_| "a reply")
        ),
    }
    assert_eq!(sim.stats().actions, 0);
    assert!(
        !audit_path.exists(),
        "nothing was sent, so there is nothing to audit"
    );
    // a read through the same task is answered
    assert!(api.send(ApiCommand::Send {
        id: RequestId(8),
        operation: Operation::Show {
            identifier: code(NOT_EFFECTIVE_CODE),
            fields: None,
        },
    }));
    loop {
        let event = events.recv().await.expect("an event");
        if let ApiEventKind::Finished(outcome) = event.kind {
            assert!(matches!(outcome, Ok(Reply::Token(_))), "{outcome:?}");
            break;
        }
    }
}

#[test]
fn plain_http_to_another_machine_is_refused_before_any_connection() {
    let refused = Client::new(ClientConfig::new("http://crm.example.com/crmapi/rest/v2"))
        .expect_err("refused");
    assert!(
        matches!(&refused, ApiError::Config(sentence) if sentence.contains("--allow-http")),
        "{refused:?}"
    );
    let mut allowed = ClientConfig::new("http://crm.example.com/crmapi/rest/v2");
    allowed.allow_http = true;
    assert!(Client::new(allowed).is_ok());
    assert!(Client::new(ClientConfig::new("http://127.0.0.1:9/crmapi/rest/v2")).is_ok());
}

// ---- TLS against a server with a certificate made here -------------------------------------

mod tls {
    use std::path::PathBuf;

    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

    /// A CA, and a certificate for 127.0.0.1 and localhost that it signed.
    pub struct Pki {
        pub ca_pem: String,
        pub server_chain: Vec<CertificateDer<'static>>,
        pub server_key: PrivateKeyDer<'static>,
    }

    fn ca(name: &str) -> (CertificateParams, KeyPair, String) {
        let key = KeyPair::generate().expect("CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let pem = params.self_signed(&key).expect("CA certificate").pem();
        (params, key, pem)
    }

    pub fn make() -> Pki {
        let (ca_params, ca_key, ca_pem) = ca("tokendesk test CA");
        let issuer = Issuer::new(ca_params, ca_key);
        let key = KeyPair::generate().expect("server key");
        let mut params = CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()])
            .expect("server params");
        params
            .distinguished_name
            .push(DnType::CommonName, "tokendesk test server");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let certificate = params.signed_by(&key, &issuer).expect("signed");
        Pki {
            ca_pem,
            server_chain: vec![certificate.der().clone()],
            server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        }
    }

    /// A CA that signed nothing the server holds.
    pub fn stranger_ca_pem() -> String {
        ca("someone else's CA").2
    }

    pub fn write(dir: &std::path::Path, name: &str, pem: &str) -> PathBuf {
        std::fs::create_dir_all(dir).expect("temp dir");
        let path = dir.join(name);
        std::fs::write(&path, pem).expect("PEM written");
        path
    }
}

/// An HTTPS server on loopback that answers every request with a CRM.COM log-in answer.
async fn tls_server(pki: &tls::Pki) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
        .expect("server certificate");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A refused handshake is what some tests expect: nothing more to do then.
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let body = r#"{"status":{"code":"OK","message":"","description":""},"data":{"token":"TLS-SESSION"}}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    addr
}

fn https_client(addr: std::net::SocketAddr, ca_cert: Option<std::path::PathBuf>) -> Client {
    let mut config = ClientConfig::new(format!("https://{addr}/crmapi/rest/v2"));
    config.credentials = Some(credentials());
    config.ca_cert = ca_cert;
    Client::new(config).expect("client builds")
}

#[tokio::test]
async fn an_unknown_ca_is_refused_and_a_private_ca_accepted() {
    let pki = tls::make();
    let addr = tls_server(&pki).await;
    let dir = std::env::temp_dir().join(format!("tokendesk-tls-{}", std::process::id()));

    // The system's trust store does not know the test CA.
    let refused = https_client(addr, None)
        .login()
        .await
        .expect_err("unknown CA");
    match &refused {
        ApiError::Connect { host, detail } => {
            assert_eq!(host, &addr.to_string());
            assert!(detail.to_lowercase().contains("certificate"), "{detail}");
        }
        other => panic!("expected a connection refused over the certificate, got {other:?}"),
    }

    // Another private CA does not help either.
    let stranger = tls::write(&dir, "stranger.pem", &tls::stranger_ca_pem());
    assert!(matches!(
        https_client(addr, Some(stranger)).login().await,
        Err(ApiError::Connect { .. })
    ));

    // With the CA that signed the server's certificate, the log-in goes through.
    let ca = tls::write(&dir, "ca.pem", &pki.ca_pem);
    https_client(addr, Some(ca))
        .login()
        .await
        .expect("accepted with --ca-cert");
    let _ = std::fs::remove_dir_all(&dir);
}
