//! The client at the edges of the network, against bare local servers written here (the
//! simulator never misbehaves this way): the 32 MB limit on an answer, announced by
//! `Content-Length` and streamed chunked with no length at all (the server stops writing as
//! soon as the client hangs up, so neither side holds much more than the limit); a name
//! that does not resolve; a certificate from an unknown authority; and a server that
//! trickles its answer a byte at a time past the request time-out.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use tokendesk::api::client::MAX_BODY_BYTES;
use tokendesk::api::{AccessTokenIdentifier, ApiError, Client, ClientConfig, Secret};

const CHUNK: usize = 64 * 1024;

/// Reads one request: its head, then as many body bytes as its `Content-Length` says.
async fn read_request(stream: &mut TcpStream) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buffer).await.expect("reads the request");
        assert!(n > 0, "the client hung up before sending its request");
        request.extend_from_slice(&buffer[..n]);
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().expect("a length"));
    while request.len() < head_end + length {
        let n = stream.read(&mut buffer).await.expect("reads the body");
        assert!(n > 0, "the client hung up mid-request");
        request.extend_from_slice(&buffer[..n]);
    }
}

/// A server for one request: `respond` writes the answer and returns what it saw of the
/// client.
async fn serve_once<F, Fut, T>(respond: F) -> (String, JoinHandle<T>)
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T> + Send,
    T: Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let port = listener.local_addr().expect("address").port();
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        read_request(&mut stream).await;
        respond(stream).await
    });
    (format!("http://127.0.0.1:{port}/crmapi/rest/v2"), server)
}

fn client(base_url: String) -> Client {
    let mut config = ClientConfig::new(base_url);
    // A session to start from: one request, no log-in.
    config.session_token = Some(Secret::new("session-for-the-limit-test"));
    config.request_timeout = Duration::from_secs(60);
    Client::new(config).expect("client builds")
}

fn code() -> AccessTokenIdentifier {
    AccessTokenIdentifier::AuthenticationCode("99021047380".into())
}

/// Writes `body` as chunks of the chunked transfer coding until `limit` bytes are written or
/// the client hangs up; ends the stream properly when the whole body was written.
async fn write_chunked(stream: &mut TcpStream, mut next: impl FnMut(usize) -> Vec<u8>) -> usize {
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    if stream.write_all(head.as_bytes()).await.is_err() {
        return 0;
    }
    let mut written = 0;
    loop {
        let chunk = next(written);
        if chunk.is_empty() {
            let _ = stream.write_all(b"0\r\n\r\n").await;
            return written;
        }
        let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
        frame.extend_from_slice(&chunk);
        frame.extend_from_slice(b"\r\n");
        if stream.write_all(&frame).await.is_err() {
            return written;
        }
        written += chunk.len();
    }
}

/// How a server sends an answer over the limit.
#[derive(Clone, Copy)]
enum Oversized {
    /// `Content-Length` says so, and not one byte of the body follows.
    Announced,
    /// Chunked with no length, well past the limit unless the client hangs up first.
    Streamed,
}

/// What the server saw of the client while sending an oversized answer.
struct Served {
    /// Body bytes written before the client hung up or the server stopped.
    written: usize,
    /// The client hung up on its own: before the whole stream was written, or before the
    /// server stopped waiting for it.
    client_hung_up: bool,
}

/// Keep streaming this far past the limit, unless the client hangs up first.
const STREAM_CAP: usize = 2 * MAX_BODY_BYTES;

async fn serve_oversized(oversized: Oversized) -> (String, JoinHandle<Served>) {
    match oversized {
        Oversized::Announced => {
            serve_once(|mut stream| async move {
                let announced = MAX_BODY_BYTES + 1;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {announced}\r\n\r\n"
                );
                stream.write_all(head.as_bytes()).await.expect("head");
                // Not one byte of the body: the length alone must be enough to refuse. Wait
                // for the client to hang up (read gives 0 or an error), but not for ever.
                let mut buffer = [0u8; 64];
                let hung_up =
                    tokio::time::timeout(Duration::from_secs(20), stream.read(&mut buffer)).await;
                Served {
                    written: 0,
                    client_hung_up: hung_up.is_ok(),
                }
            })
            .await
        }
        Oversized::Streamed => {
            serve_once(|mut stream| async move {
                let written = write_chunked(&mut stream, |written| {
                    if written == 0 {
                        let mut start = br#"{"status":{"code":"OK"},"data":{"padding":""#.to_vec();
                        start.resize(CHUNK, b'x');
                        start
                    } else if written < STREAM_CAP {
                        vec![b'x'; CHUNK]
                    } else {
                        Vec::new()
                    }
                })
                .await;
                Served {
                    written,
                    client_hung_up: written < STREAM_CAP,
                }
            })
            .await
        }
    }
}

#[tokio::test]
async fn answers_over_the_limit_are_refused() {
    let cases = [
        ("a Content-Length over the limit", Oversized::Announced),
        (
            "a chunked answer that grows past the limit",
            Oversized::Streamed,
        ),
    ];
    for (case, oversized) in cases {
        let (url, server) = serve_oversized(oversized).await;
        let error = client(url).show(&code(), None).await.expect_err(case);
        assert_eq!(
            error,
            ApiError::TooLarge {
                limit_bytes: 32 * 1024 * 1024
            },
            "{case}"
        );
        assert_eq!(
            error.to_string(),
            "The server's answer is larger than 32 MB; tokendesk refused to read it.",
            "{case}"
        );
        let served = server.await.expect("the server ends");
        assert!(
            served.client_hung_up,
            "{case}: the client read all {} bytes instead of hanging up at the limit",
            served.written
        );
        if let Oversized::Streamed = oversized {
            assert!(
                served.written > MAX_BODY_BYTES,
                "{case}: the client gave up after {} bytes, before the limit",
                served.written
            );
        }
    }
}

/// The control: the same server and coding with an answer under the limit is read whole, so
/// the refusals above are the limit's doing and not a broken server's.
#[tokio::test]
async fn a_chunked_answer_under_the_limit_is_read() {
    let padding = 3 * 1024 * 1024;
    let (url, server) = serve_once(move |mut stream| async move {
        let mut body =
            br#"{"status":{"code":"OK"},"data":{"number":"AT0000000671","padding":""#.to_vec();
        body.extend(std::iter::repeat_n(b'x', padding));
        body.extend_from_slice(br#""}}"#);
        let mut rest = body.as_slice();
        write_chunked(&mut stream, |_| {
            let (chunk, tail) = rest.split_at(rest.len().min(CHUNK));
            rest = tail;
            chunk.to_vec()
        })
        .await
    })
    .await;
    let token = client(url)
        .show(&code(), None)
        .await
        .expect("read whole")
        .value;
    assert_eq!(token["number"], "AT0000000671");
    assert_eq!(token["padding"].as_str().map(str::len), Some(padding));
    assert!(server.await.expect("the server ends") > padding);
}

/// An envelope of exactly `length` bytes: a token padded to fill it.
fn envelope_of_length(length: usize) -> Vec<u8> {
    let mut body =
        br#"{"status":{"code":"OK"},"data":{"number":"AT0000000671","padding":""#.to_vec();
    let end = br#""}}"#;
    body.resize(length - end.len(), b'x');
    body.extend_from_slice(end);
    body
}

/// The limit is the limit: an answer of exactly 32 MB is read, announced by its
/// `Content-Length` or chunked; one byte more is refused either way.
#[tokio::test]
async fn an_answer_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
    for chunked in [false, true] {
        for length in [MAX_BODY_BYTES, MAX_BODY_BYTES + 1] {
            let (url, server) = serve_once(move |mut stream| async move {
                let body = envelope_of_length(length);
                if chunked {
                    let mut rest = body.as_slice();
                    write_chunked(&mut stream, |_| {
                        let (chunk, tail) = rest.split_at(rest.len().min(CHUNK));
                        rest = tail;
                        chunk.to_vec()
                    })
                    .await;
                } else {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n"
                    );
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(&body).await;
                }
            })
            .await;
            let answer = client(url).show(&code(), None).await;
            let case = format!("{length} bytes, chunked: {chunked}");
            if length == MAX_BODY_BYTES {
                let token = answer.expect(&case).value;
                assert_eq!(token["number"], "AT0000000671", "{case}");
            } else {
                assert_eq!(
                    answer.expect_err(&case),
                    ApiError::TooLarge {
                        limit_bytes: MAX_BODY_BYTES
                    },
                    "{case}"
                );
            }
            server.await.expect("the server ends");
        }
    }
}

// ---- names, certificates and slow servers ------------------------------------------------

fn client_with(base_url: String, request_timeout: Duration) -> Client {
    let mut config = ClientConfig::new(base_url);
    config.session_token = Some(Secret::new("session-for-the-network-test"));
    config.connect_timeout = Duration::from_secs(10);
    config.request_timeout = request_timeout;
    Client::new(config).expect("client builds")
}

/// Printable, one line, and says nothing happened on the server.
fn assert_nothing_sent(error: &ApiError) -> String {
    let sentence = error.to_string();
    assert!(!sentence.chars().any(char::is_control), "{sentence:?}");
    assert!(
        !error.outcome_unknown(),
        "nothing reached a server: {error:?}"
    );
    sentence
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_sentence_naming_it() {
    // `.invalid` is reserved: it never resolves (RFC 6761).
    let client = client_with(
        "https://no-such-crm.invalid/crmapi/rest/v2".into(),
        Duration::from_secs(30),
    );
    let error = client.show(&code(), None).await.expect_err("no such host");
    assert!(
        matches!(
            error,
            ApiError::Connect { .. } | ApiError::ConnectTimedOut { .. }
        ),
        "{error:?}"
    );
    let sentence = assert_nothing_sent(&error);
    assert!(sentence.contains("no-such-crm.invalid"), "{sentence}");
}

#[tokio::test]
async fn a_certificate_from_an_unknown_authority_is_refused_before_anything_is_sent() {
    use tokio_rustls::rustls;

    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("a certificate");
    let key = rustls::pki_types::PrivateKeyDer::try_from(certified.signing_key.serialize_der())
        .expect("the key as DER");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .expect("a server configuration");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let port = listener.local_addr().expect("address").port();
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&requests);
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("a connection");
        // The handshake fails on the client's side; had it not, a request would follow.
        if let Ok(mut tls) = acceptor.accept(stream).await {
            let mut buffer = [0u8; 1024];
            if matches!(tls.read(&mut buffer).await, Ok(n) if n > 0) {
                seen.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    let client = client_with(
        format!("https://localhost:{port}/crmapi/rest/v2"),
        Duration::from_secs(30),
    );
    let error = client.show(&code(), None).await.expect_err("unknown CA");
    assert!(matches!(error, ApiError::Connect { .. }), "{error:?}");
    let sentence = assert_nothing_sent(&error);
    assert!(
        sentence.starts_with(&format!("Cannot reach localhost:{port}: ")),
        "{sentence}"
    );
    assert!(
        sentence.to_ascii_lowercase().contains("certificate"),
        "the sentence says why: {sentence}"
    );
    let _ = server.await;
    assert_eq!(requests.load(Ordering::SeqCst), 0, "no request went out");
}

#[tokio::test]
async fn a_server_that_trickles_past_the_request_time_out_is_cut_off() {
    let (url, server) = serve_once(|mut stream| async move {
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4096\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return 0;
        }
        // One byte every 200 ms: the connection is never idle for long, but the whole
        // answer would take 13 minutes.
        let mut written = 0;
        while written < 4096 {
            if stream.write_all(b" ").await.is_err() {
                break;
            }
            written += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        written
    })
    .await;
    let client = client_with(url, Duration::from_secs(1));
    let error = client.show(&code(), None).await.expect_err("too slow");
    assert_eq!(
        error,
        ApiError::TimedOut {
            after: Duration::from_secs(1)
        }
    );
    assert_eq!(error.to_string(), "The server did not answer within 1 s.");
    assert!(
        error.outcome_unknown(),
        "the request went out: an action may have happened"
    );
    let written = server.await.expect("the server ends");
    assert!(
        written < 4096,
        "the client hung up instead of waiting for all of it"
    );
}
