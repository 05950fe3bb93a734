//! `tokendesk list` streams, against a CRM.COM of our own that never runs out: every page
//! it is asked for is full of new tokens. The first page is on standard output while the
//! second is still held back by the server (text, `--jsonl` and `--json` alike), and a list
//! that never ends stops at the ceiling, 100,000 tokens by default, with a sentence and
//! exit 9 rather than growing until the host gives out.

use std::io::{BufRead, BufReader, Read};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use crate::support::start;
use axum::Router;
use axum::extract::RawQuery;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};

const LIMITED: i32 = tokendesk::exit::LIMITED as i32;

/// The pages from this offset on wait until the test opens the gate.
struct Gate {
    from_offset: u64,
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().expect("lock") = true;
        self.opened.notify_all();
    }

    fn wait(&self, offset: u64) {
        if offset < self.from_offset {
            return;
        }
        let mut open = self.open.lock().expect("lock");
        while !*open {
            open = self.opened.wait(open).expect("lock");
        }
    }
}

struct Endless {
    url: String,
    gate: Arc<Gate>,
    pages: Arc<AtomicU32>,
}

impl Endless {
    /// A server whose pages from `gated_from` on wait for [`Gate::open`].
    fn start(gated_from: u64) -> Endless {
        let gate = Arc::new(Gate {
            from_offset: gated_from,
            open: Mutex::new(false),
            opened: Condvar::new(),
        });
        let pages = Arc::new(AtomicU32::new(0));
        let (ready, address) = std::sync::mpsc::channel();
        let (gate_in, pages_in) = (gate.clone(), pages.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("binds");
                ready
                    .send(listener.local_addr().expect("address"))
                    .expect("the test waits");
                let list = move |RawQuery(query): RawQuery| {
                    let (gate, pages) = (gate_in.clone(), pages_in.clone());
                    async move {
                        let query = query.unwrap_or_default();
                        let number = |name: &str| {
                            query
                                .split('&')
                                .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                                .and_then(|v| v.parse::<u64>().ok())
                                .unwrap_or(0)
                        };
                        let (offset, count) = (number("offset"), number("number_of_results"));
                        tokio::task::spawn_blocking(move || gate.wait(offset))
                            .await
                            .expect("waited");
                        pages.fetch_add(1, Ordering::SeqCst);
                        let tokens: Vec<String> = (offset + 1..=offset + count)
                            .map(|n| format!(r#"{{"number":"AT{n:010}"}}"#))
                            .collect();
                        envelope(&format!("[{}]", tokens.join(",")))
                    }
                };
                let app = Router::new()
                    .route(
                        "/crmapi/rest/v2/authentication/token",
                        post(|| async { envelope(r#"{"token":"endless-session"}"#) }),
                    )
                    .route("/crmapi/rest/v2/access_tokens/list", get(list));
                axum::serve(listener, app).await.expect("serves");
            });
        });
        let address = address.recv().expect("the server starts");
        Endless {
            url: format!("http://{address}/crmapi/rest/v2"),
            gate,
            pages,
        }
    }
}

fn envelope(data: &str) -> axum::response::Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!(r#"{{"status":{{"code":"OK","message":null}},"data":{data}}}"#),
    )
        .into_response()
}

fn tokendesk(server: &Endless, state: &std::path::Path, args: &[&str]) -> Command {
    let mut command = start::tokendesk(state);
    command
        .args([
            "--url",
            &server.url,
            "--username",
            "clerk",
            "--organisation",
            "X",
        ])
        .args(args)
        .env("TOKENDESK_PASSWORD", "pw");
    command
}

#[test]
fn each_page_is_printed_as_it_arrives_before_the_next_is_answered() {
    for (format, first_page_lines) in [
        (None, 201),            // the header and 200 rows
        (Some("--jsonl"), 200), // 200 lines
        // "[", then each token's "{", number and "}" lines; the last "}" waits for what
        // comes after it (a comma or the end of the array).
        (Some("--json"), 200 * 3),
    ] {
        let server = Endless::start(200);
        let state = tempfile::tempdir().expect("temp dir");
        let mut args = vec!["list", "--acr", "ACR1", "--limit", "250"];
        args.extend(format);
        let mut child = tokendesk(&server, state.path(), &args)
            .spawn()
            .expect("tokendesk runs");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        // The second page is held back by the server until these lines are read: were the
        // list printed only at its end, this would wait for ever.
        let mut first = Vec::new();
        for _ in 0..first_page_lines {
            let mut line = String::new();
            stdout
                .read_line(&mut line)
                .expect("a line of the first page");
            first.push(line);
        }
        assert_eq!(server.pages.load(Ordering::SeqCst), 1, "{format:?}");
        assert!(
            first.concat().contains("AT0000000200"),
            "{format:?}: {}",
            first.concat()
        );
        server.gate.open();
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).expect("the rest");
        let status = child.wait().expect("ends");
        assert_eq!(status.code(), Some(LIMITED), "{format:?}");
        assert!(
            rest.contains("AT0000000250") && !rest.contains("AT0000000251"),
            "{rest}"
        );
        if format == Some("--json") {
            let whole: serde_json::Value =
                serde_json::from_str(&(first.concat() + &rest)).expect("one JSON array");
            assert_eq!(whole.as_array().map(Vec::len), Some(250));
        }
    }
}

/// Without `--limit`, the default ceiling: 100,000 tokens, then a sentence and exit 9.
#[test]
fn a_server_that_never_ends_is_stopped_at_the_default_ceiling() {
    let server = Endless::start(u64::MAX);
    let state = tempfile::tempdir().expect("temp dir");
    let output = tokendesk(&server, state.path(), &["list", "--acr", "ACR1", "--jsonl"])
        .output()
        .expect("tokendesk runs");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(LIMITED), "{err}");
    assert_eq!(
        err,
        "tokendesk: Stopped after 100000 access tokens of accounts receivable ACR1 (the ceiling of 100000 tokens a list may have; list_ceiling in the profile raises it); it holds more: --offset 100000 goes on from there.\n"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 100_000);
    assert!(
        stdout.ends_with("{\"number\":\"AT0000100000\"}\n"),
        "the last line whole"
    );
    assert_eq!(
        server.pages.load(Ordering::SeqCst),
        501,
        "500 full pages and the one that shows there is more"
    );
}
