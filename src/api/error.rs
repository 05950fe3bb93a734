//! Everything that can go wrong between tokendesk and a CRM.COM server, as one type whose
//! `Display` is the sentence a clerk reads. Server text is always sanitised and shortened
//! before it reaches a sentence, so a hostile or broken server cannot paint the terminal.

use std::fmt;
use std::time::Duration;

use super::action::Action;
use crate::text::{sanitize, truncate_chars};

/// How many characters of a server's own words (a message, an HTML title) a sentence keeps.
const SNIPPET_CHARS: usize = 120;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The base URL or another setting cannot work; nothing was sent.
    Config(String),
    /// No connection could be made; nothing was sent, so nothing happened on the server.
    Connect { host: String, detail: String },
    /// The connection was not made in time; nothing was sent.
    ConnectTimedOut { host: String, after: Duration },
    /// The request went out but no complete answer came back in time: the server may or may
    /// not have acted on it.
    TimedOut { after: Duration },
    /// The connection broke after the request was sent: the server may or may not have acted.
    Disconnected { detail: String },
    /// A non-2xx answer that was not the CRM.COM envelope (a proxy's HTML page, say).
    HttpStatus { status: u16, snippet: String },
    /// A 2xx answer whose body is not JSON (a cut-off body, an HTML page).
    NotJson { snippet: String },
    /// JSON, but not `{"status": {"code": ...}, "data": ...}`.
    NotEnvelope,
    /// The envelope was fine but `data` is not what the method returns.
    UnexpectedData(String),
    /// The envelope names `status` or `data` (or a key inside `status`) more than once.
    RepeatedField(&'static str),
    /// The server said OK to an action, but its answer does not show the action done.
    Unconfirmed(String),
    /// The answer is larger than tokendesk is willing to hold.
    TooLarge { limit_bytes: usize },
    /// A 3xx: the server pointed elsewhere instead of carrying the request out. No redirect
    /// is followed (the password or the session would go to a host the clerk never named),
    /// so nothing was done. `location` is where it pointed, without its query, or `None`.
    Redirected {
        status: u16,
        location: Option<String>,
    },
    /// The server said no: `status.code` other than `OK`.
    Server { code: String, message: String },
    /// Username, password or organisation were refused.
    InvalidCredentials { message: String },
    /// The server says the session token is invalid or expired (however it words it): the
    /// request was not acted on. The client logs in again and repeats it once.
    SessionRefused { message: String },
    /// The session token is invalid or expired and there is no way to log in again.
    SessionExpired,
    /// After logging in again, the server refused the new session too.
    NewSessionRefused { message: String },
    /// Logging in got no clear answer. Nothing else was sent, so unlike the same failure
    /// on an action, the outcome is known: nothing happened.
    LoginUnanswered(Box<ApiError>),
    /// The client is read-only and refused an action before anything was sent.
    ReadOnly { action: Action },
    /// The action's intent could not be written to the audit log, so nothing was sent: the
    /// audit log's sentence.
    NotAudited(String),
    /// The log-in answer is not JSON. Unlike `NotJson` it quotes nothing: a cut-off log-in
    /// answer starts with the new session token.
    LoginNotJson,
}

/// How often a busy server (429, 503) is waited out for one token before it is given up.
pub const BUSY_RETRIES: u32 = 5;

/// The wait after the `retry`-th busy answer: a quarter second, doubled each retry, up to
/// eight seconds.
pub fn busy_back_off(retry: u32) -> Duration {
    Duration::from_millis(250u64 << retry.min(5))
}

impl ApiError {
    /// True when the request may have reached the server and been acted on, so the caller
    /// must find out what happened (re-read the token) before saying anything about it:
    /// whenever an answer that would prove what happened did not arrive whole and readable.
    /// Only a clear refusal, or a failure before anything was sent, says nothing happened.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            ApiError::TimedOut { .. }
            | ApiError::Disconnected { .. }
            | ApiError::NotJson { .. }
            | ApiError::NotEnvelope
            | ApiError::UnexpectedData(_)
            | ApiError::RepeatedField(_)
            | ApiError::Unconfirmed(_)
            | ApiError::TooLarge { .. } => true,
            ApiError::HttpStatus { status, .. } => *status >= 500,
            ApiError::Config(_)
            | ApiError::Connect { .. }
            | ApiError::ConnectTimedOut { .. }
            | ApiError::Redirected { .. }
            | ApiError::Server { .. }
            | ApiError::InvalidCredentials { .. }
            | ApiError::SessionRefused { .. }
            | ApiError::SessionExpired
            | ApiError::NewSessionRefused { .. }
            | ApiError::ReadOnly { .. }
            | ApiError::NotAudited(_)
            | ApiError::LoginUnanswered(_)
            | ApiError::LoginNotJson => false,
        }
    }

    /// The CRM.COM status code behind a server refusal, if that is what this is.
    pub fn server_code(&self) -> Option<&str> {
        match self {
            ApiError::Server { code, .. } => Some(code),
            _ => None,
        }
    }

    /// A server too busy to take the request (429, 503): it may be sent again after a wait.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            ApiError::HttpStatus {
                status: 429 | 503,
                ..
            }
        )
    }

    /// True for answers that mean "no such token", which a clerk reads differently from a fault.
    pub fn is_not_found(&self) -> bool {
        self.server_code() == Some("NOT_FOUND")
    }

    /// True for a refusal because of the token's life-cycle state (the simulator says
    /// `INVALID_LIFE_CYCLE_STATE`; other servers word the code differently).
    pub fn is_state_refusal(&self) -> bool {
        self.server_code().is_some_and(|code| {
            let code = code.to_ascii_uppercase();
            code.contains("LIFE_CYCLE") || code.contains("STATE")
        })
    }

    /// The server said no to a request about a token that exists: whatever its code and
    /// words (`INVALID_LIFE_CYCLE_STATE`, a generic `ERROR` with a sentence), the token may
    /// not be what the clerk saw, so it is read again. A token not found is not refused.
    pub fn is_refusal(&self) -> bool {
        matches!(self, ApiError::Server { .. }) && !self.is_not_found()
    }

    /// Builds a server refusal from the envelope's words, cleaned and shortened.
    pub fn server(code: &str, message: &str) -> ApiError {
        ApiError::Server {
            code: clean(code),
            message: clean(message),
        }
    }

    pub fn session_refused(message: &str) -> ApiError {
        ApiError::SessionRefused {
            message: clean(message),
        }
    }

    pub fn invalid_credentials(message: &str) -> ApiError {
        ApiError::InvalidCredentials {
            message: clean(message),
        }
    }

    pub fn http_status(status: u16, body: &[u8]) -> ApiError {
        ApiError::HttpStatus {
            status,
            snippet: snippet_of(body),
        }
    }

    pub fn not_json(body: &[u8]) -> ApiError {
        ApiError::NotJson {
            snippet: snippet_of(body),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Config(why) | ApiError::NotAudited(why) => write!(f, "{why}"),
            // The transport's own words ("tcp connect error: Connection refused (os error
            // 111)") go to the diagnostic log where the error is made; a clerk reads what
            // they mean, when that is known.
            ApiError::Connect { host, detail } => match plain_reason(detail) {
                Some(reason) => write!(
                    f,
                    "Cannot reach {host}: {reason}. Check the URL and the network."
                ),
                None => write!(f, "Cannot reach {host}. Check the URL and the network."),
            },
            ApiError::ConnectTimedOut { host, after } => write!(
                f,
                "{host} did not accept a connection within {}. Nothing was sent; try again.",
                seconds(*after)
            ),
            ApiError::TimedOut { after } => {
                write!(f, "The server did not answer within {}.", seconds(*after))
            }
            ApiError::Disconnected { .. } => {
                write!(f, "The connection broke before the answer arrived.")
            }
            ApiError::HttpStatus { status, snippet } => {
                let reason = reqwest::StatusCode::from_u16(*status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("error");
                write!(f, "The server answered HTTP {status} {reason}")?;
                // A proxy's page usually just repeats the status line: say it once.
                let repeats = snippet
                    .to_ascii_lowercase()
                    .contains(&reason.to_ascii_lowercase());
                if !snippet.is_empty() && !repeats {
                    write!(f, ": {snippet}")?;
                }
                write!(f, ".")
            }
            ApiError::NotJson { snippet } if snippet.is_empty() => {
                write!(f, "The server sent an empty answer instead of JSON.")
            }
            ApiError::NotJson { snippet } => {
                write!(
                    f,
                    "The server's answer is not valid JSON (it starts \"{snippet}\")."
                )
            }
            ApiError::NotEnvelope => write!(
                f,
                "The server's answer is JSON but not a CRM.COM response (no status code). Is the URL right?"
            ),
            ApiError::UnexpectedData(what) => {
                write!(f, "The server's answer is incomplete: {what}.")
            }
            ApiError::RepeatedField(field) => write!(
                f,
                "The server's answer gives \"{field}\" twice; tokendesk cannot tell which one to believe."
            ),
            ApiError::Unconfirmed(why) => write!(f, "The server answered OK, but {why}."),
            ApiError::TooLarge { limit_bytes } => write!(
                f,
                "The server's answer is larger than {} MB; tokendesk refused to read it.",
                limit_bytes / (1024 * 1024)
            ),
            ApiError::Redirected { status, location } => {
                match location {
                    Some(location) => write!(
                        f,
                        "The server redirected the request to {location} (HTTP {status}) instead of carrying it out"
                    )?,
                    None => write!(
                        f,
                        "The server answered HTTP {status}, a redirect that names no place, instead of carrying out the request"
                    )?,
                }
                write!(
                    f,
                    "; tokendesk follows no redirect, so nothing was done. Fix the URL (--url, or the profile's url) to name the CRM.COM API itself."
                )
            }
            // A status code that was blank (or all control characters) names nothing.
            ApiError::Server { code, message } if code.is_empty() && message.is_empty() => {
                write!(f, "The server refused without saying why.")
            }
            ApiError::Server { code, message } if code.is_empty() => {
                write!(f, "{}", sentence(message))
            }
            ApiError::Server { code, message } if message.is_empty() => {
                write!(f, "The server refused: {code}.")
            }
            ApiError::Server { code, message } => write!(f, "{} ({code})", sentence(message)),
            ApiError::InvalidCredentials { message } if message.is_empty() => write!(
                f,
                "The server refused the username, password or organisation."
            ),
            // One sentence: the hint only when the server's words do not already say what
            // to check ("The username, password or organisation is not valid.").
            ApiError::InvalidCredentials { message } if names_the_credentials(message) => {
                write!(f, "Log-in refused: {}", sentence(message))
            }
            ApiError::InvalidCredentials { message } => write!(
                f,
                "Log-in refused: {} Check the username, password and organisation.",
                sentence(message)
            ),
            ApiError::LoginUnanswered(cause) => write!(f, "Logging in failed: {cause}"),
            ApiError::LoginNotJson => write!(
                f,
                "Logging in failed: the server's answer is not valid JSON."
            ),
            ApiError::SessionRefused { message } if message.is_empty() => {
                write!(f, "The server refused the session.")
            }
            ApiError::SessionRefused { message } => {
                write!(f, "The server refused the session: {}", sentence(message))
            }
            ApiError::NewSessionRefused { message } => {
                write!(
                    f,
                    "Logged in again, but the server refused the new session too"
                )?;
                if !message.is_empty() {
                    write!(f, " (\"{message}\")")?;
                }
                write!(f, ". Try again later, or ask whoever runs the server.")
            }
            ApiError::SessionExpired => write!(
                f,
                "The session expired and there is no password to log in again; start tokendesk with credentials."
            ),
            ApiError::ReadOnly { action } => write!(
                f,
                "Read-only: nothing was sent, tokendesk does not {} tokens when started with --read-only or a read_only profile.",
                action.verb()
            ),
        }
    }
}

impl std::error::Error for ApiError {}

/// What a failed connection's detail means, in a clerk's words, for the few causes that
/// are told apart reliably.
fn plain_reason(detail: &str) -> Option<&'static str> {
    let detail = detail.to_ascii_lowercase();
    if detail.contains("refused") {
        Some("it refused the connection")
    } else if detail.contains("dns") || detail.contains("lookup") {
        Some("the name was not found")
    } else if detail.contains("certificate") {
        Some("its certificate is not trusted")
    } else {
        None
    }
}

/// A duration as a clerk reads it: "30 s", "1.5 s".
pub fn seconds(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 10.0 && d.subsec_millis() != 0 {
        format!("{secs:.1} s")
    } else {
        format!("{} s", d.as_secs())
    }
}

/// Whether a server's refusal of a log-in already names what to check.
fn names_the_credentials(message: &str) -> bool {
    let message = message.to_lowercase();
    [
        "password",
        "username",
        "user name",
        "organisation",
        "organization",
        "credential",
    ]
    .iter()
    .any(|word| message.contains(word))
}

/// Ends a server message with a full stop unless it has its own punctuation.
fn sentence(message: &str) -> String {
    match message.chars().last() {
        Some('.' | '!' | '?') => message.to_owned(),
        _ => format!("{message}."),
    }
}

fn clean(text: &str) -> String {
    let cleaned = sanitize(text);
    truncate_chars(cleaned.trim(), SNIPPET_CHARS).into_owned()
}

/// A short, printable hint of what a body held: an HTML page's title or first words of text,
/// or the start of anything else. Never the whole page.
fn snippet_of(body: &[u8]) -> String {
    let head = &body[..body.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let looks_like_html = text.trim_start().starts_with('<');
    let picked = if looks_like_html {
        html_title(&text).unwrap_or_else(|| strip_tags(&text))
    } else {
        text.into_owned()
    };
    let words: Vec<&str> = picked.split_whitespace().collect();
    clean(&words.join(" "))
}

fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = lower[start..].find('>')? + start + 1;
    let close = lower[open_end..].find("</title")? + open_end;
    Some(html.get(open_end..close)?.to_owned())
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_pages_are_reduced_to_their_title() {
        let page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";
        let err = ApiError::http_status(502, page);
        assert_eq!(err.to_string(), "The server answered HTTP 502 Bad Gateway.");
    }

    #[test]
    fn html_without_title_keeps_only_text() {
        let err = ApiError::http_status(
            503,
            b"<html><body><p>Down for\n maintenance</p></body></html>",
        );
        assert_eq!(
            err.to_string(),
            "The server answered HTTP 503 Service Unavailable: Down for maintenance."
        );
    }

    #[test]
    fn snippets_are_short_and_free_of_control_characters() {
        let mut body = b"\x1b[2J\x1b]0;pwned\x07".to_vec();
        body.extend(std::iter::repeat_n(b'x', 10_000));
        let ApiError::NotJson { snippet } = ApiError::not_json(&body) else {
            panic!("expected NotJson");
        };
        assert!(snippet.chars().count() <= SNIPPET_CHARS);
        assert!(!snippet.chars().any(char::is_control));
    }

    #[test]
    fn server_messages_read_as_sentences() {
        let err = ApiError::server("NOT_FOUND", "No access token matches authentication code 1");
        assert_eq!(
            err.to_string(),
            "No access token matches authentication code 1. (NOT_FOUND)"
        );
        assert!(err.is_not_found());
        assert!(!err.is_state_refusal());
        assert!(ApiError::server("INVALID_LIFE_CYCLE_STATE", "").is_state_refusal());
        assert!(ApiError::server("InvalidState", "").is_state_refusal());
        assert_eq!(
            ApiError::server("INTERNAL_ERROR", "").to_string(),
            "The server refused: INTERNAL_ERROR."
        );
    }

    #[test]
    fn only_uncertain_failures_say_the_outcome_is_unknown() {
        assert!(
            ApiError::TimedOut {
                after: Duration::from_secs(30)
            }
            .outcome_unknown()
        );
        assert!(
            ApiError::Disconnected {
                detail: "reset".into()
            }
            .outcome_unknown()
        );
        assert!(
            !ApiError::Connect {
                host: "h".into(),
                detail: "refused".into()
            }
            .outcome_unknown()
        );
        assert!(!ApiError::server("NOT_FOUND", "").outcome_unknown());
        assert!(ApiError::http_status(502, b"").outcome_unknown());
        let login = ApiError::LoginUnanswered(Box::new(ApiError::TimedOut {
            after: Duration::from_secs(5),
        }));
        assert!(!login.outcome_unknown(), "a log-in changes no token");
        assert_eq!(
            login.to_string(),
            "Logging in failed: The server did not answer within 5 s."
        );
        assert!(!ApiError::http_status(404, b"").outcome_unknown());
    }
}
