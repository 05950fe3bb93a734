//! The CRM.COM wire format: identifiers, request bodies, query strings and the response
//! envelope. Kept apart from the client so that it can be tested on bytes alone.

use std::fmt;

use serde_json::{Map, Value, json};

use super::error::ApiError;
use super::json::Document;

/// Which access token a method acts on. CRM.COM takes exactly one of the semi-optional
/// fields; an identifier is only accepted together with its pass code.
#[derive(Clone, PartialEq, Eq)]
pub enum AccessTokenIdentifier {
    AuthenticationCode(String),
    Identifier {
        identifier: String,
        pass_code: String,
    },
}

impl AccessTokenIdentifier {
    pub fn to_json(&self) -> Value {
        match self {
            AccessTokenIdentifier::AuthenticationCode(code) => {
                json!({ "authentication_code": code })
            }
            AccessTokenIdentifier::Identifier {
                identifier,
                pass_code,
            } => json!({ "identifier": identifier, "pass_code": pass_code }),
        }
    }
}

/// Shows the identifier as a clerk would name it; the pass code is a secret and never shown.
impl fmt::Display for AccessTokenIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessTokenIdentifier::AuthenticationCode(code) => {
                write!(f, "authentication code {code}")
            }
            AccessTokenIdentifier::Identifier { identifier, .. } => {
                write!(f, "identifier {identifier}")
            }
        }
    }
}

impl fmt::Debug for AccessTokenIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessTokenIdentifier({self})")
    }
}

/// Whose tokens `access_tokens/list` returns: exactly one owner, by number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListOwner {
    AccountsReceivable(String),
    RewardsParticipant(String),
}

impl fmt::Display for ListOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListOwner::AccountsReceivable(n) => write!(f, "accounts receivable {n}"),
            ListOwner::RewardsParticipant(n) => write!(f, "rewards participant {n}"),
        }
    }
}

/// One page of `access_tokens/list`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    pub owner: ListOwner,
    pub number_of_results: u32,
    pub offset: u32,
}

impl ListQuery {
    pub const DEFAULT_PAGE: u32 = 20;

    pub fn first_page(owner: ListOwner) -> ListQuery {
        ListQuery {
            owner,
            number_of_results: Self::DEFAULT_PAGE,
            offset: 0,
        }
    }

    pub fn next_page(&self) -> ListQuery {
        ListQuery {
            offset: self.offset.saturating_add(self.number_of_results),
            ..self.clone()
        }
    }

    pub fn previous_page(&self) -> Option<ListQuery> {
        (self.offset > 0).then(|| ListQuery {
            offset: self.offset.saturating_sub(self.number_of_results),
            ..self.clone()
        })
    }

    /// The query string parameters, `token` excluded.
    fn parameters(&self) -> Vec<(&'static str, String)> {
        let owner = match &self.owner {
            ListOwner::AccountsReceivable(n) => ("accounts_receivable_identifier", n),
            ListOwner::RewardsParticipant(n) => ("rewards_participant_identifier", n),
        };
        vec![
            (owner.0, format!("number={}", owner.1)),
            ("number_of_results", self.number_of_results.to_string()),
            ("offset", self.offset.to_string()),
        ]
    }
}

/// `fields_set`: the top-level fields to return; all of them when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldsSet(Vec<String>);

impl FieldsSet {
    /// Reads a comma-separated list; `None` when it names no field.
    pub fn parse(list: &str) -> Option<FieldsSet> {
        let fields: Vec<String> = list
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect();
        (!fields.is_empty()).then_some(FieldsSet(fields))
    }

    /// The field names, in the order given.
    pub fn names(&self) -> &[String] {
        &self.0
    }

    pub fn as_wire(&self) -> String {
        self.0.join(",")
    }
}

/// The JSON body of a POST method on one access token.
pub fn token_body(
    session: &str,
    identifier: &AccessTokenIdentifier,
    fields: Option<&FieldsSet>,
) -> Value {
    let mut body = Map::new();
    body.insert("token".into(), Value::from(session));
    body.insert("access_token_identifier".into(), identifier.to_json());
    if let Some(fields) = fields {
        body.insert("fields_set".into(), Value::from(fields.as_wire()));
    }
    Value::Object(body)
}

/// The query string of `access_tokens/list`, session token first.
pub fn list_query_string(session: &str, query: &ListQuery, fields: Option<&FieldsSet>) -> String {
    let mut pairs = vec![("token", session.to_owned())];
    pairs.extend(query.parameters());
    if let Some(fields) = fields {
        pairs.push(("fields_set", fields.as_wire()));
    }
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode_query_value(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a query value but keeps `=` (and `,`) as they are: CRM.COM documents
/// nested identifiers written raw, as in `accounts_receivable_identifier=number=ACR1`.
fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'=' | b',' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Status of a response that parsed as the envelope.
#[derive(Debug, PartialEq, Eq)]
pub struct Status {
    pub code: String,
    pub message: String,
}

/// Reads a CRM.COM answer. A response has failed when the HTTP status is not 2xx, the body
/// is not the envelope, or `status.code` is not `OK`; the clerk then reads `status.message`,
/// else `status.description`, else the HTTP status line (CRMCOM-API.md, "Errors"). An
/// envelope that gives `status` or `data` twice (or a key inside `status`) is refused: which
/// of the two the server meant cannot be known.
pub fn read_envelope(http_status: u16, body: &[u8]) -> Result<Document, ApiError> {
    let success = (200..300).contains(&http_status);
    let parsed = Document::parse(body).ok();
    let status = parsed.as_ref().and_then(|d| envelope_status(&d.value));
    // HTTP 401 is about the session whatever the body says, unless it names the credentials.
    if http_status == 401 {
        return Err(match status {
            Some(s) if s.code.eq_ignore_ascii_case("INVALID_CREDENTIALS") => {
                ApiError::invalid_credentials(&s.message)
            }
            Some(s) => ApiError::session_refused(&s.message),
            None => ApiError::session_refused(""),
        });
    }
    let (parsed, status) = match (parsed, status) {
        (Some(parsed), Some(status)) => (parsed, status),
        (None, _) if success => return Err(ApiError::not_json(body)),
        (Some(_), None) if success => return Err(ApiError::NotEnvelope),
        _ => return Err(ApiError::http_status(http_status, body)),
    };
    if parsed.repeats_within("status") {
        return Err(ApiError::RepeatedField("status"));
    }
    if parsed.repeated.iter().any(|pointer| pointer == "/data") {
        return Err(ApiError::RepeatedField("data"));
    }
    if status.code.eq_ignore_ascii_case("OK") && success {
        return Ok(parsed.into_field("data"));
    }
    if status.code.eq_ignore_ascii_case("OK") {
        // An envelope that says OK under a failing HTTP status: the status line is the truth.
        return Err(ApiError::http_status(
            http_status,
            status.message.as_bytes(),
        ));
    }
    Err(match status.code.as_str() {
        "INVALID_CREDENTIALS" => ApiError::invalid_credentials(&status.message),
        code if says_session_refused(code, &status.message) => {
            ApiError::session_refused(&status.message)
        }
        code => ApiError::server(code, &status.message),
    })
}

/// Codes that by themselves say the session token is invalid or expired.
const SESSION_CODES: &[&str] = &[
    "INVALID_TOKEN",
    "EXPIRED_TOKEN",
    "TOKEN_EXPIRED",
    "INVALID_SESSION",
    "SESSION_EXPIRED",
    "UNAUTHORIZED",
    "UNAUTHORISED",
    "UNAUTHENTICATED",
    "NOT_AUTHENTICATED",
];

/// Codes that name no problem in particular: their message says what went wrong.
const GENERIC_CODES: &[&str] = &[
    "ERROR",
    "EXCEPTION",
    "FAILURE",
    "FAILED",
    "GENERAL_ERROR",
    "GENERIC_ERROR",
    "UNKNOWN_ERROR",
    "UNEXPECTED_ERROR",
    "INTERNAL_ERROR",
    "SYSTEM_ERROR",
    "SERVER_ERROR",
];

/// How servers say in English, under a generic code, that the session is no longer good
/// (compared in lower case, spaces collapsed).
const SESSION_PHRASES: &[&str] = &[
    "token is invalid",
    "token is not valid",
    "token not valid",
    "invalid token",
    "token has expired",
    "token is expired",
    "token expired",
    "expired token",
    "session has expired",
    "session is expired",
    "session expired",
    "session has timed out",
    "session timed out",
    "session is invalid",
    "session is not valid",
    "invalid session",
    "not authenticated",
    "authentication required",
    "please log in again",
    "please login again",
];

/// True when a refusal means the session token is invalid or expired: a session code, or a
/// generic code whose message says so.
fn says_session_refused(code: &str, message: &str) -> bool {
    let code = code.to_ascii_uppercase();
    if SESSION_CODES.contains(&code.as_str()) {
        return true;
    }
    if !GENERIC_CODES.contains(&code.as_str()) {
        return false;
    }
    let message = message
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    SESSION_PHRASES
        .iter()
        .any(|phrase| message.contains(phrase))
}

/// `status` of an envelope, leniently: `message` or `description` may be null, missing or
/// not a string; `code` must be a string or there is no envelope.
fn envelope_status(parsed: &Value) -> Option<Status> {
    let status = parsed.get("status")?;
    let code = status.get("code")?.as_str()?.trim().to_owned();
    let text = |name: &str| {
        status
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let message = text("message")
        .or_else(|| text("description"))
        .unwrap_or_default();
    Some(Status { code, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_serialise_to_exactly_one_semi_optional_field() {
        let by_code = AccessTokenIdentifier::AuthenticationCode("99021047380".into());
        assert_eq!(
            by_code.to_json(),
            json!({"authentication_code": "99021047380"})
        );
        let by_id = AccessTokenIdentifier::Identifier {
            identifier: "250".into(),
            pass_code: "secret".into(),
        };
        assert_eq!(
            by_id.to_json(),
            json!({"identifier": "250", "pass_code": "secret"})
        );
        assert!(!format!("{by_id:?} {by_id}").contains("secret"));
    }

    #[test]
    fn post_body_matches_the_seed_example() {
        let body = token_body(
            "A4F19B70D95D4DE09C3A9FC720A33A49",
            &AccessTokenIdentifier::AuthenticationCode("CCD4537CA4AD4EE8912FFBAE53110601".into()),
            None,
        );
        let example: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/delete.request.json"))
                .expect("fixture parses");
        assert_eq!(body, example);
    }

    #[test]
    fn list_query_writes_nested_identifiers_raw() {
        let query = ListQuery::first_page(ListOwner::AccountsReceivable("ACR0000000069".into()));
        assert_eq!(
            list_query_string(
                "T",
                &query,
                FieldsSet::parse("number, life_cycle_state").as_ref()
            ),
            "token=T&accounts_receivable_identifier=number=ACR0000000069&number_of_results=20&offset=0&fields_set=number,life_cycle_state"
        );
        let odd = ListQuery::first_page(ListOwner::RewardsParticipant("RP 1&x".into()));
        assert!(
            list_query_string("T", &odd, None)
                .contains("rewards_participant_identifier=number=RP%201%26x")
        );
    }

    #[test]
    fn fields_set_splits_and_trims() {
        let fields = FieldsSet::parse(" number, life_cycle_state,,").expect("names fields");
        assert_eq!(fields.names(), ["number", "life_cycle_state"]);
        assert_eq!(fields.as_wire(), "number,life_cycle_state");
        assert_eq!(FieldsSet::parse(" , "), None);
    }

    #[test]
    fn paging_moves_by_whole_pages_and_stops_at_zero() {
        let first = ListQuery::first_page(ListOwner::AccountsReceivable("A".into()));
        assert_eq!(first.previous_page(), None);
        let second = first.next_page();
        assert_eq!(second.offset, 20);
        assert_eq!(second.previous_page(), Some(first));
    }

    #[test]
    fn ok_envelope_yields_data() {
        let body = br#"{"status":{"code":"OK","message":null,"description":null},"data":{"number":"AT1"}}"#;
        assert_eq!(
            read_envelope(200, body),
            Ok(json!({"number": "AT1"}).into())
        );
        let no_data = br#"{"status":{"code":"OK"}}"#;
        assert_eq!(read_envelope(200, no_data), Ok(Value::Null.into()));
    }

    #[test]
    fn refusals_prefer_message_then_description() {
        let body = br#"{"status":{"code":"NOT_FOUND","message":"","description":"No such token"},"data":null}"#;
        assert_eq!(
            read_envelope(200, body),
            Err(ApiError::server("NOT_FOUND", "No such token"))
        );
        // the same envelope under a 4xx status still reads as the server's refusal
        assert_eq!(
            read_envelope(404, body),
            Err(ApiError::server("NOT_FOUND", "No such token"))
        );
    }

    #[test]
    fn hostile_bodies_become_sentences() {
        assert_eq!(read_envelope(200, b"[1,2,3]"), Err(ApiError::NotEnvelope));
        assert_eq!(
            read_envelope(200, br#"{"status":{"code":7}}"#),
            Err(ApiError::NotEnvelope)
        );
        assert_eq!(
            read_envelope(200, br#"{"data":{}}"#),
            Err(ApiError::NotEnvelope)
        );
        assert!(matches!(
            read_envelope(200, b"{\"status\":"),
            Err(ApiError::NotJson { .. })
        ));
        assert!(matches!(
            read_envelope(502, b"<html><title>502 Bad Gateway</title></html>"),
            Err(ApiError::HttpStatus { status: 502, .. })
        ));
        assert!(matches!(
            read_envelope(500, br#"{"status":{"code":"OK"},"data":{}}"#),
            Err(ApiError::HttpStatus { status: 500, .. })
        ));
    }

    #[test]
    fn an_envelope_that_says_status_or_data_twice_is_refused() {
        let twice = [
            (
                r#"{"status":{"code":"ERROR"},"data":null,"status":{"code":"OK"}}"#,
                "status",
            ),
            (r#"{"status":{"code":"ERROR","code":"OK"}}"#, "status"),
            (
                r#"{"status":{"code":"OK"},"data":{"state":"A"},"data":{"state":"B"}}"#,
                "data",
            ),
        ];
        for (body, field) in twice {
            let error = read_envelope(200, body.as_bytes()).expect_err(body);
            assert_eq!(error, ApiError::RepeatedField(field), "{body}");
            assert_eq!(
                error.to_string(),
                format!(
                    "The server's answer gives \"{field}\" twice; tokendesk cannot tell which one to believe."
                )
            );
        }
        // Inside the data, the last value is kept and the repeat is noted for the clerk.
        let body = br#"{"status":{"code":"OK"},"data":{"number":"AT1","life_cycle_state":"EFFECTIVE","life_cycle_state":"NOT_EFFECTIVE"}}"#;
        let data = read_envelope(200, body).expect("readable");
        assert_eq!(data.value["life_cycle_state"], "NOT_EFFECTIVE");
        assert_eq!(data.repeated, ["/life_cycle_state"]);
    }

    #[test]
    fn an_expired_session_is_recognised_however_it_is_worded() {
        let refused = |status: u16, body: &str| {
            matches!(
                read_envelope(status, body.as_bytes()),
                Err(ApiError::SessionRefused { .. })
            )
        };
        for code in [
            "INVALID_TOKEN",
            "invalid_token",
            "TOKEN_EXPIRED",
            "UNAUTHORIZED",
        ] {
            let body = format!(r#"{{"status":{{"code":"{code}"}},"data":null}}"#);
            assert!(refused(200, &body), "{code}");
        }
        for (code, message) in [
            ("ERROR", "Token is invalid or has expired"),
            ("EXCEPTION", "Session has expired. Please log in again."),
            ("Error", "The  session\ntoken   EXPIRED"),
            ("GENERAL_ERROR", "Invalid token"),
            ("FAILURE", "User not authenticated"),
        ] {
            let body = format!(
                r#"{{"status":{{"code":"{code}","message":{}}},"data":null}}"#,
                json!(message)
            );
            assert!(refused(200, &body), "{code} {message}");
        }
        // 401 says it whatever the body: an envelope with any code, HTML, nothing.
        assert!(refused(
            401,
            r#"{"status":{"code":"UNAUTHORISED_REQUEST","message":"Not allowed"}}"#
        ));
        assert!(refused(401, "<html><title>401 Unauthorized</title></html>"));
        assert!(refused(401, ""));
        // A generic code about something else, and a specific code that mentions a token,
        // are what they say.
        for (code, message) in [
            ("ERROR", "The access token identifier is not valid"),
            ("ERROR", "Something went wrong"),
            ("NOT_FOUND", "Token expired and was removed"),
            (
                "INVALID_LIFE_CYCLE_STATE",
                "The token is invalid for this action",
            ),
        ] {
            let body = format!(r#"{{"status":{{"code":"{code}","message":"{message}"}}}}"#);
            assert_eq!(
                read_envelope(200, body.as_bytes()),
                Err(ApiError::server(code, message)),
                "{code} {message}"
            );
        }
        // Credentials refused under 401 are still the credentials.
        let body = br#"{"status":{"code":"INVALID_CREDENTIALS","message":"Wrong"}}"#;
        assert_eq!(
            read_envelope(401, body),
            Err(ApiError::invalid_credentials("Wrong"))
        );
    }

    #[test]
    fn invalid_credentials_keep_the_servers_words() {
        let body =
            br#"{"status":{"code":"INVALID_CREDENTIALS","message":"Wrong password"},"data":null}"#;
        let err = read_envelope(200, body).expect_err("refused");
        assert_eq!(err.to_string(), "Log-in refused: Wrong password.");
        // Words that name nothing to check get the hint; words that do are said once.
        let body = br#"{"status":{"code":"INVALID_CREDENTIALS","message":"Denied"},"data":null}"#;
        assert_eq!(
            read_envelope(200, body).expect_err("refused").to_string(),
            "Log-in refused: Denied. Check the username, password and organisation."
        );
        let body = br#"{"status":{"code":"INVALID_CREDENTIALS","message":"The username, password or organisation is not valid."}}"#;
        assert_eq!(
            read_envelope(200, body).expect_err("refused").to_string(),
            "Log-in refused: The username, password or organisation is not valid."
        );
    }
}
