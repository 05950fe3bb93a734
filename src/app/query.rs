//! The search line's grammar:
//! - a bare value, or `ac:VALUE`: one token by authentication code;
//! - `id:IDENTIFIER pass:PASS_CODE` (either order): one token by identifier;
//! - `acr:NUMBER`: the tokens of an accounts receivable; `rp:NUMBER`: of a rewards participant.
//!
//! Prefixes are case-insensitive. A malformed line gets a one-line hint and sends nothing.

use std::fmt;

use crate::api::{AccessTokenIdentifier, ListOwner, ListQuery};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    Show(AccessTokenIdentifier),
    List(ListQuery),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    Empty,
    MissingValue(String),
    IdentifierWithoutPass,
    PassWithoutIdentifier,
    UnknownPrefix(String),
    TooManyWords,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Empty => f.write_str(
                "Type an authentication code, or ac:CODE, id:ID pass:PASS, acr:NUMBER, rp:NUMBER.",
            ),
            QueryError::MissingValue(prefix) => {
                write!(f, "Write a value after {prefix}: (no space).")
            }
            QueryError::IdentifierWithoutPass => {
                f.write_str("An identifier needs its pass code: id:IDENTIFIER pass:PASS_CODE.")
            }
            QueryError::PassWithoutIdentifier => {
                f.write_str("A pass code goes with an identifier: id:IDENTIFIER pass:PASS_CODE.")
            }
            QueryError::UnknownPrefix(p) => write!(
                f,
                "Unknown prefix \"{p}:\"; use ac:, id: with pass:, acr: or rp:."
            ),
            QueryError::TooManyWords => f.write_str(
                "One value at a time: a code, or id:ID pass:PASS (codes have no spaces).",
            ),
        }
    }
}

pub fn parse(line: &str) -> Result<Query, QueryError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [] => Err(QueryError::Empty),
        [single] => parse_single(single),
        [first, second] => parse_identifier_pair(first, second),
        _ => Err(QueryError::TooManyWords),
    }
}

fn parse_single(word: &str) -> Result<Query, QueryError> {
    let Some((prefix, value)) = split_prefix(word) else {
        return Ok(Query::Show(AccessTokenIdentifier::AuthenticationCode(
            word.to_owned(),
        )));
    };
    let value = non_empty(value, prefix)?;
    match prefix.to_ascii_lowercase().as_str() {
        "ac" => Ok(Query::Show(AccessTokenIdentifier::AuthenticationCode(
            value,
        ))),
        "acr" => Ok(Query::List(ListQuery::first_page(
            ListOwner::AccountsReceivable(value),
        ))),
        "rp" => Ok(Query::List(ListQuery::first_page(
            ListOwner::RewardsParticipant(value),
        ))),
        "id" => Err(QueryError::IdentifierWithoutPass),
        "pass" => Err(QueryError::PassWithoutIdentifier),
        other => Err(QueryError::UnknownPrefix(other.to_owned())),
    }
}

fn parse_identifier_pair(first: &str, second: &str) -> Result<Query, QueryError> {
    let mut identifier = None;
    let mut pass_code = None;
    for word in [first, second] {
        match split_prefix(word) {
            Some((p, v)) if p.eq_ignore_ascii_case("id") => identifier = Some(non_empty(v, "id")?),
            Some((p, v)) if p.eq_ignore_ascii_case("pass") => {
                pass_code = Some(non_empty(v, "pass")?)
            }
            Some((p, _)) if !is_known(p) => return Err(QueryError::UnknownPrefix(p.to_owned())),
            _ => return Err(QueryError::TooManyWords),
        }
    }
    match (identifier, pass_code) {
        (Some(identifier), Some(pass_code)) => Ok(Query::Show(AccessTokenIdentifier::Identifier {
            identifier,
            pass_code,
        })),
        (Some(_), None) => Err(QueryError::IdentifierWithoutPass),
        (None, _) => Err(QueryError::PassWithoutIdentifier),
    }
}

/// `ac:123` -> ("ac", "123"). A word whose part before `:` is not a short run of letters is
/// a bare value that happens to hold a colon.
fn split_prefix(word: &str) -> Option<(&str, &str)> {
    let (prefix, value) = word.split_once(':')?;
    let looks_like_prefix =
        (1..=5).contains(&prefix.len()) && prefix.chars().all(|c| c.is_ascii_alphabetic());
    looks_like_prefix.then_some((prefix, value))
}

fn is_known(prefix: &str) -> bool {
    ["ac", "id", "pass", "acr", "rp"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(prefix))
}

fn non_empty(value: &str, prefix: &str) -> Result<String, QueryError> {
    if value.is_empty() {
        Err(QueryError::MissingValue(prefix.to_owned()))
    } else {
        Ok(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> Query {
        Query::Show(AccessTokenIdentifier::AuthenticationCode(c.into()))
    }

    #[test]
    fn bare_values_and_ac_search_by_code() {
        assert_eq!(parse("99021047380"), Ok(code("99021047380")));
        assert_eq!(parse("  ac:99021047380 "), Ok(code("99021047380")));
        assert_eq!(parse("AC:x"), Ok(code("x")));
        // a colon deep inside a value is part of it
        assert_eq!(
            parse("urn:x:1"),
            Err(QueryError::UnknownPrefix("urn".into()))
        );
        assert_eq!(parse("12:34"), Ok(code("12:34")));
    }

    #[test]
    fn identifier_needs_its_pass_code_in_either_order() {
        let expected = Ok(Query::Show(AccessTokenIdentifier::Identifier {
            identifier: "250".into(),
            pass_code: "p1".into(),
        }));
        assert_eq!(parse("id:250 pass:p1"), expected);
        assert_eq!(parse("pass:p1 id:250"), expected);
        assert_eq!(parse("id:250"), Err(QueryError::IdentifierWithoutPass));
        assert_eq!(parse("pass:p1"), Err(QueryError::PassWithoutIdentifier));
        assert_eq!(parse("id:250 foo"), Err(QueryError::TooManyWords));
        assert_eq!(
            parse("id: pass:p1"),
            Err(QueryError::MissingValue("id".into()))
        );
    }

    #[test]
    fn acr_and_rp_list_from_the_first_page() {
        assert_eq!(
            parse("acr:ACR0000000069"),
            Ok(Query::List(ListQuery::first_page(
                ListOwner::AccountsReceivable("ACR0000000069".into())
            )))
        );
        assert_eq!(
            parse("rp:RP1"),
            Ok(Query::List(ListQuery::first_page(
                ListOwner::RewardsParticipant("RP1".into())
            )))
        );
        assert_eq!(parse("acr:"), Err(QueryError::MissingValue("acr".into())));
    }

    #[test]
    fn malformed_lines_get_hints() {
        assert_eq!(parse("   "), Err(QueryError::Empty));
        assert_eq!(parse("a b c"), Err(QueryError::TooManyWords));
        assert_eq!(parse("foo:1"), Err(QueryError::UnknownPrefix("foo".into())));
        for error in [
            QueryError::Empty,
            QueryError::TooManyWords,
            QueryError::IdentifierWithoutPass,
        ] {
            assert!(!error.to_string().contains('\n'));
        }
    }
}
