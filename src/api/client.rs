//! `Client`: the CRM.COM methods tokendesk uses, over one reqwest connection pool.
//!
//! It keeps the session token, logs in when it has none, and when the server calls the
//! session invalid or expired (however it words it: `wire::read_envelope` decides) it logs
//! in again once (if it holds credentials) and repeats the request once. A request whose
//! session was refused was not acted on, so repeating it is safe even for the actions.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::{Url, header};
use serde_json::Value;
use tokio::sync::Mutex;

use super::action::Action;
use super::error::ApiError;
use super::json::Document;
use super::request::{Operation, Reply};
use super::secret::{Credentials, Secret, login_body};
use super::summary::{LifeCycleState, TokenSummary};
use super::transport;
use super::wire::{self, AccessTokenIdentifier, FieldsSet, ListQuery};
use crate::text::sanitize;

/// Answers larger than this are refused rather than held in memory.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// `https://HOST/crmapi/rest/v2`, or just `https://HOST` (the API path is then added).
    pub base_url: String,
    pub credentials: Option<Credentials>,
    /// A session token to start from instead of logging in.
    pub session_token: Option<Secret>,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Refuse every action before it reaches the network.
    pub read_only: bool,
    /// Plain `http://` to a host that is not loopback (only ever from the command line).
    pub allow_http: bool,
    /// A PEM file with a private CA to trust beside the system's trust store.
    pub ca_cert: Option<PathBuf>,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>) -> ClientConfig {
        ClientConfig {
            base_url: base_url.into(),
            credentials: None,
            session_token: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            read_only: false,
            allow_http: false,
            ca_cert: None,
        }
    }
}

/// Told of each log-in's result (the error, or `None` for success), and awaited before the
/// log-in's caller goes on: the audit log records it there. Never given the credentials.
pub type LoginObserver = std::sync::Arc<
    dyn Fn(Option<&ApiError>) -> futures_util::future::BoxFuture<'static, ()> + Send + Sync,
>;

pub struct Client {
    on_login: Option<LoginObserver>,
    http: reqwest::Client,
    base: Url,
    host: String,
    credentials: Option<Credentials>,
    session: Mutex<Option<Secret>>,
    connect_timeout: Duration,
    request_timeout: Duration,
    read_only: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// How one attempt ended, before the session rule decides whether to try again.
/// The base URL and the host it names, once the URL and its scheme are acceptable.
fn checked_base(config: &ClientConfig) -> Result<(Url, String), ApiError> {
    let base = parse_base_url(&config.base_url)?;
    let host = host_and_port(&base)?;
    transport::check_scheme(&base, config.allow_http)?;
    Ok((base, host))
}

/// The server a base URL names, as the console's header and every audit line name it: the
/// host, and the port when the URL gives one.
pub fn host_of(base_url: &str) -> Result<String, ApiError> {
    host_and_port(&parse_base_url(base_url)?)
}

fn host_and_port(base: &Url) -> Result<String, ApiError> {
    match (base.host_str(), base.port()) {
        (Some(h), Some(p)) => Ok(format!("{h}:{p}")),
        (Some(h), None) => Ok(h.to_owned()),
        (None, _) => Err(ApiError::Config(format!("The URL {base} names no host."))),
    }
}

enum Attempt {
    Done(Result<Document, ApiError>),
    /// The server's words about the session, for the sentence if it happens again.
    SessionRefused(String),
}

impl Client {
    /// The server `config` names, checked as `new` checks it (the URL, plain http, the
    /// private CA) but without setting up HTTPS: no TLS roots are read, so this costs
    /// nothing before the console's first frame.
    pub fn check(config: &ClientConfig) -> Result<String, ApiError> {
        let (_, host) = checked_base(config)?;
        if let Some(ca_cert) = &config.ca_cert {
            transport::private_ca(ca_cert)?;
        }
        Ok(host)
    }

    pub fn new(config: ClientConfig) -> Result<Client, ApiError> {
        let (base, host) = checked_base(&config)?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // A redirect is an answer to report, never a place to send the password or the
            // session to (see `transport`).
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("tokendesk/", env!("CARGO_PKG_VERSION")));
        if let Some(ca_cert) = &config.ca_cert {
            builder = builder.tls_certs_merge(transport::private_ca(ca_cert)?);
        }
        let http = builder
            .build()
            .map_err(|e| ApiError::Config(format!("Cannot set up HTTPS: {}", root_cause(&e))))?;
        Ok(Client {
            on_login: None,
            http,
            base,
            host,
            credentials: config.credentials,
            session: Mutex::new(config.session_token),
            connect_timeout: config.connect_timeout,
            request_timeout: config.request_timeout,
            read_only: config.read_only,
        })
    }

    /// The same client, telling `observer` of every log-in it makes.
    pub fn observing_logins(self, observer: LoginObserver) -> Client {
        Client {
            on_login: Some(observer),
            ..self
        }
    }

    /// The server as a clerk names it: host and, when not the default, port.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Logs in with the configured credentials and keeps the new session token.
    pub async fn login(&self) -> Result<(), ApiError> {
        let mut session = self.session.lock().await;
        *session = Some(self.fresh_session().await?);
        Ok(())
    }

    pub async fn show(
        &self,
        identifier: &AccessTokenIdentifier,
        fields: Option<&FieldsSet>,
    ) -> Result<Document, ApiError> {
        let data = self
            .post_token_method("access_tokens/show", identifier, fields)
            .await?;
        if data.value.is_object() {
            Ok(data)
        } else {
            Err(ApiError::UnexpectedData(format!(
                "it holds no access token for {identifier}"
            )))
        }
    }

    pub async fn list(
        &self,
        query: &ListQuery,
        fields: Option<&FieldsSet>,
    ) -> Result<Vec<Document>, ApiError> {
        let data = self
            .with_session(|session| async move {
                let url = self.url("access_tokens/list")?;
                let mut url = url;
                url.set_query(Some(&wire::list_query_string(
                    session.expose(),
                    query,
                    fields,
                )));
                self.send(self.http.get(url)).await
            })
            .await?;
        // Lenient: an empty answer is no tokens, and a lone object is a list of one.
        match data.value {
            Value::Array(_) | Value::Object(_) => Ok(data.into_items()),
            Value::Null => Ok(Vec::new()),
            _ => Err(ApiError::UnexpectedData(
                "the list of tokens is not a list".into(),
            )),
        }
    }

    /// `Err(ApiError::ReadOnly)` when this client may not carry out `action`.
    pub fn check_write(&self, action: Action) -> Result<(), ApiError> {
        if self.read_only {
            return Err(ApiError::ReadOnly { action });
        }
        Ok(())
    }

    /// One of the three life-cycle actions. The answer is the token as it now is. An answer
    /// that does not show the action done (no token, or a token in another state) is an
    /// error whose outcome is unknown: the caller must re-read to find out. A read-only client
    /// refuses here, before a log-in or anything else reaches the network.
    pub async fn act(
        &self,
        action: Action,
        identifier: &AccessTokenIdentifier,
        fields: Option<&FieldsSet>,
    ) -> Result<Document, ApiError> {
        self.check_write(action)?;
        let answer = self
            .post_token_method(action.method(), identifier, fields)
            .await?;
        match unproven(action, &answer.value) {
            Some(why) => Err(ApiError::Unconfirmed(why)),
            None => Ok(answer),
        }
    }

    /// Carries out one `Operation`, as the API task does for the console.
    pub async fn run(&self, operation: &Operation) -> Result<Reply, ApiError> {
        match operation {
            Operation::Show { identifier, fields } => self
                .show(identifier, fields.as_ref())
                .await
                .map(Reply::Token),
            Operation::List { query, fields } => {
                self.list(query, fields.as_ref()).await.map(Reply::Tokens)
            }
            Operation::Act {
                action,
                identifier,
                fields,
                ..
            } => self
                .act(*action, identifier, fields.as_ref())
                .await
                .map(Reply::Token),
            Operation::LogIn => self.login().await.map(|()| Reply::LoggedIn),
            Operation::Unlock { password } => self
                .check_password(password)
                .await
                .map(|()| Reply::LoggedIn),
        }
    }

    async fn post_token_method(
        &self,
        method: &str,
        identifier: &AccessTokenIdentifier,
        fields: Option<&FieldsSet>,
    ) -> Result<Document, ApiError> {
        self.with_session(|session| async move {
            let body = wire::token_body(session.expose(), identifier, fields);
            self.send(self.post_json(method, &body)?).await
        })
        .await
    }

    /// Runs `request` with the current session, logging in first when there is none, and
    /// once more when the server refuses the session.
    async fn with_session<F, Fut>(&self, request: F) -> Result<Document, ApiError>
    where
        F: Fn(Secret) -> Fut,
        Fut: Future<Output = Result<Document, ApiError>>,
    {
        let used = self.current_session().await?;
        match classify(request(used.clone()).await) {
            Attempt::Done(result) => return result,
            Attempt::SessionRefused(_) if self.credentials.is_none() => {
                return Err(ApiError::SessionExpired);
            }
            Attempt::SessionRefused(_) => {}
        }
        tracing::info!(host = %self.host, "session refused; logging in again");
        let renewed = {
            let mut session = self.session.lock().await;
            // Another request may already have renewed it while this one waited.
            match session.as_ref() {
                Some(current) if *current != used => current.clone(),
                _ => {
                    let fresh = self.fresh_session().await?;
                    *session = Some(fresh.clone());
                    fresh
                }
            }
        };
        match classify(request(renewed).await) {
            Attempt::Done(result) => result,
            Attempt::SessionRefused(message) => {
                tracing::warn!(host = %self.host, "the new session was refused too");
                Err(ApiError::NewSessionRefused { message })
            }
        }
    }

    async fn current_session(&self) -> Result<Secret, ApiError> {
        let mut session = self.session.lock().await;
        if let Some(existing) = session.as_ref() {
            return Ok(existing.clone());
        }
        let fresh = self.fresh_session().await?;
        *session = Some(fresh.clone());
        Ok(fresh)
    }

    /// Logs in as the configured user with `password` instead of the configured one: the
    /// idle lock's check that the clerk at the keyboard is the one who logged in. The new
    /// session replaces the old. Without credentials there is nobody to check.
    pub async fn check_password(&self, password: &Secret) -> Result<(), ApiError> {
        let Some(credentials) = &self.credentials else {
            return Err(ApiError::SessionExpired);
        };
        let typed = Credentials {
            password: password.clone(),
            ..credentials.clone()
        };
        let fresh = self.log_in_as(&typed).await?;
        *self.session.lock().await = Some(fresh);
        Ok(())
    }

    async fn fresh_session(&self) -> Result<Secret, ApiError> {
        let Some(credentials) = &self.credentials else {
            return Err(ApiError::SessionExpired);
        };
        let session = self.log_in_as(credentials).await;
        if let Some(observe) = &self.on_login {
            observe(session.as_ref().err()).await;
        }
        session
    }

    async fn log_in_as(&self, credentials: &Credentials) -> Result<Secret, ApiError> {
        let data = self
            .send(self.post_body("authentication/token", login_body(credentials))?)
            .await
            .map_err(|e| match e {
                // A log-in has no session to be refused: a refusal here means the credentials.
                ApiError::SessionRefused { message } => ApiError::invalid_credentials(&message),
                ApiError::NotJson { .. } => ApiError::LoginNotJson,
                // The request this log-in was for was never sent.
                unclear if unclear.outcome_unknown() => {
                    ApiError::LoginUnanswered(Box::new(unclear))
                }
                other => other,
            })?;
        let token = data
            .value
            .get("token")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::UnexpectedData("the log-in answer has no session token".into())
            })?;
        tracing::info!(host = %self.host, user = %credentials.username, "logged in");
        Ok(Secret::new(token))
    }

    fn url(&self, method: &str) -> Result<Url, ApiError> {
        self.base
            .join(method)
            .map_err(|e| ApiError::Config(format!("Cannot build the URL for {method}: {e}")))
    }

    fn post_json(&self, method: &str, body: &Value) -> Result<reqwest::RequestBuilder, ApiError> {
        self.post_body(method, body.to_string().into())
    }

    fn post_body(
        &self,
        method: &str,
        body: bytes::Bytes,
    ) -> Result<reqwest::RequestBuilder, ApiError> {
        Ok(self
            .http
            .post(self.url(method)?)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(body))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Document, ApiError> {
        let mut response = request.send().await.map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response.headers().get(header::LOCATION);
            return Err(ApiError::Redirected {
                status: status.as_u16(),
                location: transport::redirected_to(location.map(|l| l.as_bytes()), response.url()),
            });
        }
        if let Some(length) = response.content_length()
            && length > MAX_BODY_BYTES as u64
        {
            return Err(ApiError::TooLarge {
                limit_bytes: MAX_BODY_BYTES,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(&e))?
        {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(ApiError::TooLarge {
                    limit_bytes: MAX_BODY_BYTES,
                });
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(status = status.as_u16(), bytes = body.len(), "answer");
        wire::read_envelope(status.as_u16(), &body)
    }

    fn transport_error(&self, error: &reqwest::Error) -> ApiError {
        let detail = root_cause(error);
        tracing::warn!(host = %self.host, %detail, "transport error");
        if error.is_connect() {
            if error.is_timeout() {
                ApiError::ConnectTimedOut {
                    host: self.host.clone(),
                    after: self.connect_timeout,
                }
            } else {
                ApiError::Connect {
                    host: self.host.clone(),
                    detail,
                }
            }
        } else if error.is_timeout() {
            ApiError::TimedOut {
                after: self.request_timeout,
            }
        } else if error.is_builder() {
            ApiError::Config(format!("Cannot build the request: {detail}"))
        } else {
            ApiError::Disconnected { detail }
        }
    }
}

/// Why the answer to `action` does not show it done, or `None` when it does: a token must
/// come back, in the state the action leads to (any token, for delete).
fn unproven(action: Action, answer: &Value) -> Option<String> {
    let Some(fields) = answer.as_object() else {
        return Some(match answer {
            Value::Null => "sent no access token back".into(),
            _ => "sent back something that is not an access token".into(),
        });
    };
    if fields.is_empty() {
        return Some("sent back an empty access token".into());
    }
    let expected = action.resulting_state()?;
    match TokenSummary::from_value(answer).state {
        state if state == expected => None,
        LifeCycleState::Unknown => Some("the token it sent back has no life cycle state".into()),
        state => Some(format!("the token it sent back is {state}, not {expected}")),
    }
}

fn classify(result: Result<Document, ApiError>) -> Attempt {
    match result {
        Err(ApiError::SessionRefused { message }) => Attempt::SessionRefused(message),
        other => Attempt::Done(other),
    }
}

/// Accepts `https://host`, `https://host/crmapi/rest/v2` and the same with a trailing slash,
/// and always ends the path with `/` so that method names join under it.
fn parse_base_url(raw: &str) -> Result<Url, ApiError> {
    let raw = raw.trim();
    let mut url = Url::parse(raw).map_err(|e| {
        ApiError::Config(format!(
            "\"{}\" is not a URL ({e}); write it as https://HOST/crmapi/rest/v2.",
            sanitize(raw)
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ApiError::Config(format!(
            "The URL must start with https:// (or http:// for a local simulator), not {}://.",
            url.scheme()
        )));
    }
    if url.path() == "/" || url.path().is_empty() {
        url.set_path("/crmapi/rest/v2/");
    } else if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// The innermost cause of an error, which is where reqwest keeps the useful words
/// ("Connection refused (os error 111)"), cleaned for a terminal.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    sanitize(&cause.to_string()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised_to_the_api_path() {
        let cases = [
            (
                "https://crm.example.com",
                "https://crm.example.com/crmapi/rest/v2/",
            ),
            (
                "https://crm.example.com/",
                "https://crm.example.com/crmapi/rest/v2/",
            ),
            (
                "https://crm.example.com/crmapi/rest/v2",
                "https://crm.example.com/crmapi/rest/v2/",
            ),
            (
                "http://127.0.0.1:8080/crmapi/rest/v2/?x=1",
                "http://127.0.0.1:8080/crmapi/rest/v2/",
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_base_url(raw).expect(raw).as_str(), expected);
        }
        assert!(parse_base_url("crm.example.com").is_err());
        assert!(parse_base_url("ftp://crm.example.com").is_err());
    }

    #[test]
    fn debug_output_hides_secrets() {
        let mut config = ClientConfig::new("https://crm.example.com");
        config.credentials = Some(Credentials {
            username: "clerk".into(),
            password: Secret::new("hunter2"),
            organisation: "ORG".into(),
            unit: None,
        });
        config.session_token = Some(Secret::new("SESSION-XYZ"));
        let client = Client::new(config.clone()).expect("client builds");
        let printed = format!("{client:?} {config:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("SESSION-XYZ"), "{printed}");
        assert_eq!(client.host(), "crm.example.com");
    }
}

/// Pinned by mutation testing (TESTING.md): what the clerk is told an unproving answer was.
#[cfg(test)]
mod unproven_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_answer_that_proves_nothing_is_named_for_what_it_is() {
        let deactivate = |answer: Value| unproven(Action::Deactivate, &answer);
        assert_eq!(
            deactivate(Value::Null).as_deref(),
            Some("sent no access token back")
        );
        assert_eq!(
            deactivate(json!([])).as_deref(),
            Some("sent back something that is not an access token")
        );
        assert_eq!(
            deactivate(json!({})).as_deref(),
            Some("sent back an empty access token")
        );
        assert_eq!(
            deactivate(json!({"number": "AT1"})).as_deref(),
            Some("the token it sent back has no life cycle state")
        );
        assert_eq!(
            deactivate(json!({"life_cycle_state": "EFFECTIVE"})).as_deref(),
            Some("the token it sent back is EFFECTIVE, not NOT_EFFECTIVE")
        );
        assert_eq!(
            deactivate(json!({"life_cycle_state": "NOT_EFFECTIVE"})),
            None
        );
        assert_eq!(unproven(Action::Delete, &json!({"number": "AT1"})), None);
    }
}
