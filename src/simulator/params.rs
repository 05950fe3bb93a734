//! Turning request bodies and query strings into typed parameters, with the API's error codes
//! for anything missing or malformed (never a framework rejection).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::refusal::{ApiError, ErrorCode};
use crate::api::{AccessTokenIdentifier, FieldsSet};

pub(crate) struct Credentials {
    pub(crate) username: String,
    pub(crate) password: String,
    pub(crate) organisation: String,
}

/// A nested `name=value` identifier such as `number=ACR0000000069`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NestedIdentifier {
    pub(crate) field: String,
    pub(crate) value: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ParticipantFilter {
    AccountsReceivable(NestedIdentifier),
    RewardsParticipant(NestedIdentifier),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ListQuery {
    pub(crate) owner: ParticipantFilter,
    pub(crate) classification: Option<NestedIdentifier>,
    pub(crate) number_of_results: usize,
    pub(crate) offset: usize,
}

/// Everything a single-token POST method carries. The body must parse as a JSON object
/// first; then the session is checked, and only then the identifier and `fields_set`.
pub(crate) struct TokenRequest {
    pub(crate) session_token: Option<String>,
    pub(crate) identifier: Result<AccessTokenIdentifier, ApiError>,
    pub(crate) fields_set: Result<Option<FieldsSet>, ApiError>,
}

/// Everything `access_tokens/list` carries. The query string must decode first (a malformed
/// one is refused before anything else); then the session is checked, and only then are
/// the list parameters judged.
pub(crate) struct ListRequest {
    pub(crate) session_token: Option<String>,
    pub(crate) query: Result<ListQuery, ApiError>,
    pub(crate) fields_set: Option<FieldsSet>,
}

const DEFAULT_NUMBER_OF_RESULTS: usize = 50;
const MAX_NUMBER_OF_RESULTS: usize = 1000;

fn missing(name: &str) -> ApiError {
    ApiError::new(
        ErrorCode::MissingParameter,
        format!("The parameter {name} is mandatory."),
    )
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidParameter, message)
}

/// Which of two semi-optional parameters was given.
enum OneOf<T> {
    First(T),
    Second(T),
}

/// The API's "exactly one of A and B" rule: both given is INVALID_PARAMETER, neither is
/// MISSING_PARAMETER. `both` names them, e.g. "a and b in c".
fn exactly_one<T>(first: Option<T>, second: Option<T>, both: &str) -> Result<OneOf<T>, ApiError> {
    match (first, second) {
        (Some(first), None) => Ok(OneOf::First(first)),
        (None, Some(second)) => Ok(OneOf::Second(second)),
        (Some(_), Some(_)) => Err(invalid(format!("Specify only one of {both}."))),
        (None, None) => Err(ApiError::new(
            ErrorCode::MissingParameter,
            format!("Specify one of {both}."),
        )),
    }
}

/// Parses a POST body that must be a JSON object.
pub(crate) fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(invalid("The request body must be a JSON object.")),
        Err(error) => Err(invalid(format!(
            "The request body is not valid JSON: {error}."
        ))),
    }
}

/// A string field; absent and `null` both count as not given.
fn optional_string(object: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(invalid(format!("The parameter {name} must be a string."))),
    }
}

fn required_string(object: &Map<String, Value>, name: &str) -> Result<String, ApiError> {
    optional_string(object, name)?.ok_or_else(|| missing(name))
}

pub(crate) fn credentials(body: &Map<String, Value>) -> Result<Credentials, ApiError> {
    let username = required_string(body, "username")?;
    let password = required_string(body, "password")?;
    // One old page of the documentation spells it the American way.
    let organisation = match optional_string(body, "organisation")? {
        Some(organisation) => organisation,
        None => optional_string(body, "organization")?.ok_or_else(|| missing("organisation"))?,
    };
    // The unit only picks a business unit on a real server; it must still be well-formed.
    optional_string(body, "unit")?;
    Ok(Credentials {
        username,
        password,
        organisation,
    })
}

fn session_token(body: &Map<String, Value>) -> Option<String> {
    body.get("token")
        .and_then(Value::as_str)
        .map(str::to_string)
}

pub(crate) fn token_request(body: &Map<String, Value>) -> TokenRequest {
    TokenRequest {
        session_token: session_token(body),
        identifier: token_identifier(body.get("access_token_identifier")),
        fields_set: match body.get("fields_set") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(fields)) => Ok(FieldsSet::parse(fields)),
            Some(_) => Err(invalid(
                "The parameter fields_set must be a comma-separated string.",
            )),
        },
    }
}

fn token_identifier(value: Option<&Value>) -> Result<AccessTokenIdentifier, ApiError> {
    let object = match value {
        None | Some(Value::Null) => return Err(missing("access_token_identifier")),
        Some(Value::Object(object)) => object,
        Some(_) => {
            return Err(invalid(
                "The parameter access_token_identifier must be an object.",
            ));
        }
    };
    let code = optional_string(object, "authentication_code")?;
    let identifier = optional_string(object, "identifier")?;
    match exactly_one(
        code,
        identifier,
        "authentication_code and identifier in access_token_identifier",
    )? {
        OneOf::First(code) => Ok(AccessTokenIdentifier::AuthenticationCode(code)),
        OneOf::Second(identifier) => {
            let pass_code = optional_string(object, "pass_code")?.ok_or_else(|| {
                ApiError::new(
                    ErrorCode::MissingParameter,
                    "The parameter pass_code is mandatory when the access token is identified by identifier.",
                )
            })?;
            Ok(AccessTokenIdentifier::Identifier {
                identifier,
                pass_code,
            })
        }
    }
}

/// Decodes an `application/x-www-form-urlencoded` query string. Each pair splits at its first
/// `=`, so a raw nested identifier (`a=number=ACR1`) survives intact.
pub(crate) fn parse_query(raw: &str) -> Result<HashMap<String, String>, ApiError> {
    let mut pairs = HashMap::new();
    for pair in raw.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = percent_decode(name)?;
        let value = percent_decode(value)?;
        if pairs.insert(name.clone(), value).is_some() {
            return Err(invalid(format!(
                "The parameter {name} is given more than once."
            )));
        }
    }
    Ok(pairs)
}

fn percent_decode(text: &str) -> Result<String, ApiError> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => decoded.push(b' '),
            b'%' => {
                // Two hex digits exactly: from_str_radix alone would also take a sign ("%+5").
                let byte = bytes
                    .get(index + 1..index + 3)
                    .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                    .ok_or_else(|| invalid("The query string has a malformed percent-escape."))?;
                decoded.push(byte);
                index += 2;
            }
            byte => decoded.push(byte),
        }
        index += 1;
    }
    String::from_utf8(decoded).map_err(|_| invalid("The query string is not valid UTF-8."))
}

pub(crate) fn list_request(query: &HashMap<String, String>) -> ListRequest {
    ListRequest {
        session_token: query.get("token").cloned(),
        query: list_query(query),
        fields_set: query
            .get("fields_set")
            .and_then(|fields| FieldsSet::parse(fields)),
    }
}

fn list_query(query: &HashMap<String, String>) -> Result<ListQuery, ApiError> {
    let participant_fields: &[&str] = &["number", "id"];
    let accounts = query
        .get("accounts_receivable_identifier")
        .map(|value| nested("accounts_receivable_identifier", value, participant_fields))
        .transpose()?;
    let participant = query
        .get("rewards_participant_identifier")
        .map(|value| nested("rewards_participant_identifier", value, participant_fields))
        .transpose()?;
    let owner = match exactly_one(
        accounts,
        participant,
        "accounts_receivable_identifier and rewards_participant_identifier",
    )? {
        OneOf::First(accounts) => ParticipantFilter::AccountsReceivable(accounts),
        OneOf::Second(participant) => ParticipantFilter::RewardsParticipant(participant),
    };
    let classification = query
        .get("classification_identifier")
        .map(|value| {
            nested(
                "classification_identifier",
                value,
                &["name", "id", "alternative_code"],
            )
        })
        .transpose()?;
    let number_of_results = match query.get("number_of_results") {
        None => DEFAULT_NUMBER_OF_RESULTS,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_NUMBER_OF_RESULTS).contains(n))
            .ok_or_else(|| {
                invalid(format!(
                    "The parameter number_of_results must be a whole number from 1 to {MAX_NUMBER_OF_RESULTS}, not {text:?}."
                ))
            })?,
    };
    let offset = match query.get("offset") {
        None => 0,
        Some(text) => text.parse::<usize>().map_err(|_| {
            invalid(format!(
                "The parameter offset must be a non-negative whole number, not {text:?}."
            ))
        })?,
    };
    Ok(ListQuery {
        owner,
        classification,
        number_of_results,
        offset,
    })
}

fn nested(parameter: &str, value: &str, allowed: &[&str]) -> Result<NestedIdentifier, ApiError> {
    let (field, field_value) = value.split_once('=').ok_or_else(|| {
        invalid(format!(
            "The parameter {parameter} must be written as name=value, e.g. {}=...",
            allowed[0]
        ))
    })?;
    if !allowed.contains(&field) {
        return Err(invalid(format!(
            "The parameter {parameter} cannot identify by {field}; use one of {}.",
            allowed.join(", ")
        )));
    }
    if field_value.is_empty() {
        return Err(invalid(format!(
            "The parameter {parameter} has an empty {field}."
        )));
    }
    Ok(NestedIdentifier {
        field: field.to_string(),
        value: field_value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code_of(result: Result<impl std::fmt::Debug, ApiError>) -> ErrorCode {
        result.expect_err("should be refused").code
    }

    #[test]
    fn identifier_rules() {
        assert_eq!(
            token_identifier(Some(&json!({"authentication_code": "99021047380"}))),
            Ok(AccessTokenIdentifier::AuthenticationCode(
                "99021047380".into()
            ))
        );
        assert_eq!(
            token_identifier(Some(&json!({"identifier": "250", "pass_code": "4821"}))),
            Ok(AccessTokenIdentifier::Identifier {
                identifier: "250".into(),
                pass_code: "4821".into()
            })
        );
        assert_eq!(code_of(token_identifier(None)), ErrorCode::MissingParameter);
        assert_eq!(
            code_of(token_identifier(Some(&json!({})))),
            ErrorCode::MissingParameter
        );
        assert_eq!(
            code_of(token_identifier(Some(&json!({"identifier": "250"})))),
            ErrorCode::MissingParameter
        );
        assert_eq!(
            code_of(token_identifier(Some(
                &json!({"authentication_code": "1", "identifier": "2", "pass_code": "3"})
            ))),
            ErrorCode::InvalidParameter
        );
        assert_eq!(
            code_of(token_identifier(Some(&json!("99021047380")))),
            ErrorCode::InvalidParameter
        );
        assert_eq!(
            code_of(token_identifier(Some(
                &json!({"authentication_code": 99021047380u64})
            ))),
            ErrorCode::InvalidParameter
        );
    }

    #[test]
    fn credentials_accept_both_spellings_of_organisation() {
        let british =
            json_object(br#"{"username":"u","password":"p","organisation":"O"}"#).expect("object");
        let american =
            json_object(br#"{"username":"u","password":"p","organization":"O","unit":"U"}"#)
                .expect("object");
        for body in [british, american] {
            assert_eq!(credentials(&body).expect("valid").organisation, "O");
        }
        let incomplete = json_object(br#"{"username":"u"}"#).expect("object");
        assert_eq!(
            code_of(credentials(&incomplete).map(|_| ())),
            ErrorCode::MissingParameter
        );
    }

    #[test]
    fn bodies_must_be_json_objects() {
        assert_eq!(
            code_of(json_object(b"{not json")),
            ErrorCode::InvalidParameter
        );
        assert_eq!(code_of(json_object(b"[1,2]")), ErrorCode::InvalidParameter);
    }

    #[test]
    fn nested_identifier_raw_or_percent_encoded() {
        for raw in [
            "token=T&accounts_receivable_identifier=number=ACR1",
            "token=T&accounts_receivable_identifier=number%3DACR1",
        ] {
            let query = parse_query(raw).expect("parses");
            let request = list_request(&query);
            assert_eq!(request.session_token.as_deref(), Some("T"));
            assert_eq!(
                request.query.expect("valid").owner,
                ParticipantFilter::AccountsReceivable(NestedIdentifier {
                    field: "number".into(),
                    value: "ACR1".into()
                })
            );
        }
    }

    #[test]
    fn list_parameter_rules() {
        let judge = |raw: &str| list_request(&parse_query(raw).expect("parses")).query;
        assert_eq!(code_of(judge("token=T")), ErrorCode::MissingParameter);
        assert_eq!(
            code_of(judge(
                "accounts_receivable_identifier=number=A&rewards_participant_identifier=number=R"
            )),
            ErrorCode::InvalidParameter
        );
        assert_eq!(
            code_of(judge("accounts_receivable_identifier=ACR1")),
            ErrorCode::InvalidParameter
        );
        assert_eq!(
            code_of(judge("accounts_receivable_identifier=colour=red")),
            ErrorCode::InvalidParameter
        );
        for bad in ["0", "1001", "-1", "ten"] {
            let raw = format!("rewards_participant_identifier=id=X&number_of_results={bad}");
            assert_eq!(code_of(judge(&raw)), ErrorCode::InvalidParameter, "{bad}");
        }
        for bad in ["-1", "1.5", ""] {
            let raw = format!("rewards_participant_identifier=id=X&offset={bad}");
            assert_eq!(code_of(judge(&raw)), ErrorCode::InvalidParameter, "{bad}");
        }
        let query = judge(
            "rewards_participant_identifier=id=X&number_of_results=1000&offset=7&classification_identifier=name%3DMobile+Application",
        )
        .expect("valid");
        assert_eq!((query.number_of_results, query.offset), (1000, 7));
        assert_eq!(
            query.classification.expect("given").value,
            "Mobile Application"
        );
        assert_eq!(
            judge("rewards_participant_identifier=id=X")
                .expect("valid")
                .number_of_results,
            50
        );
    }

    #[test]
    fn malformed_query_strings_are_refused() {
        assert_eq!(
            code_of(parse_query("token=%4")),
            ErrorCode::InvalidParameter
        );
        assert_eq!(
            code_of(parse_query("token=%FF")),
            ErrorCode::InvalidParameter
        );
        for signed in ["token=%+5", "token=%-5", "token=%+F"] {
            assert_eq!(
                code_of(parse_query(signed)),
                ErrorCode::InvalidParameter,
                "{signed}"
            );
        }
        assert_eq!(
            parse_query("token=%2b%2B").expect("hex digits of either case")["token"],
            "++"
        );
        assert_eq!(
            code_of(parse_query("token=a&token=b")),
            ErrorCode::InvalidParameter
        );
    }
}
