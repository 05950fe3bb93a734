//! The search line's grammar:
//! - a bare value, or `ac:VALUE`: one token by authentication code;
//! - `id:IDENTIFIER pass:PASS_CODE` (either order): one token by identifier. An identifier
//!   may hold spaces (a phone number): quoted (`id:"+357 99 134585" pass:0006`), or
//!   everything between `id:` and `pass:` (or to the end of the line when `id:` comes last);
//! - `acr:NUMBER`: the tokens of an accounts receivable; `rp:NUMBER`: of a rewards participant.
//!
//! Prefixes are case-insensitive. A malformed line gets a one-line hint and sends nothing, and
//! so does a bare account, participant or token number: CRM.COM finds a token by its code or
//! by identifier and pass code, and lists tokens by account or participant, so the hint names
//! what to type instead.

use std::fmt;

pub use crate::api::NumberKind;
use crate::api::{AccessTokenIdentifier, ListOwner, ListQuery};
use crate::mask::Mask;

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
    /// A quote opened and not closed.
    UnclosedQuote(String),
    /// A bare number of something the search does not find by itself.
    BareNumber(NumberKind, String),
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
                "One value at a time: a code, or id:ID pass:PASS (an identifier may hold spaces).",
            ),
            QueryError::UnclosedQuote(prefix) => {
                write!(
                    f,
                    "Close the quote after {prefix}:, as in id:\"+357 99 134585\"."
                )
            }
            QueryError::BareNumber(NumberKind::AccountsReceivable, n) => write!(
                f,
                "{n} is an accounts receivable number: type acr:{n} to list its tokens."
            ),
            QueryError::BareNumber(NumberKind::RewardsParticipant, n) => write!(
                f,
                "{n} is a rewards participant number: type rp:{n} to list its tokens."
            ),
            QueryError::BareNumber(NumberKind::Token, n) => write!(
                f,
                "{n} is a token number: search by its authentication code, id:ID pass:PASS, acr: or rp: (or ac:{n} if it is a code)."
            ),
        }
    }
}

/// `line` as the screen and the history show it once it has run: a pass code masked, as
/// the tree masks it (`id:250 pass:••••21`). Anything else is shown as typed.
pub fn shown(line: &str, mask: &Mask) -> String {
    let Some(pass) = word_start(line, "pass:") else {
        return line.to_owned();
    };
    if let Ok(Query::Show(AccessTokenIdentifier::Identifier {
        identifier,
        pass_code,
    })) = parse(line)
    {
        let identifier = if identifier.contains(char::is_whitespace) {
            format!("\"{identifier}\"")
        } else {
            identifier
        };
        return format!("id:{identifier} pass:{}", mask.hide(&pass_code));
    }
    // A line that does not parse: its pass: word masked where it stands.
    let start = pass + "pass:".len();
    let end = line[start..]
        .find(char::is_whitespace)
        .map_or(line.len(), |at| start + at);
    format!(
        "{}{}{}",
        &line[..start],
        mask.hide(&line[start..end]),
        &line[end..]
    )
}

/// Whether `query`'s pass code holds the mask's glyph: a masked line run again by hand,
/// which must not go to the server as a pass code.
pub fn holds_a_mask(query: &Query, mask: &Mask) -> bool {
    let glyph = mask.hide("?");
    matches!(query, Query::Show(AccessTokenIdentifier::Identifier { pass_code, .. }) if pass_code.contains(&glyph))
}

pub fn parse(line: &str) -> Result<Query, QueryError> {
    let line = line.trim();
    if line.is_empty() {
        return Err(QueryError::Empty);
    }
    // Where the words `id:` and `pass:` start, if the line has them.
    let id = word_start(line, "id:");
    let pass = word_start(line, "pass:");
    if id.is_some() || pass.is_some() {
        return parse_identifier(line, id, pass);
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [single] => parse_single(single),
        _ => Err(QueryError::TooManyWords),
    }
}

fn parse_single(word: &str) -> Result<Query, QueryError> {
    let Some((prefix, value)) = split_prefix(word) else {
        if let Some(kind) = NumberKind::of(word) {
            return Err(QueryError::BareNumber(kind, word.to_owned()));
        }
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
        other => Err(QueryError::UnknownPrefix(other.to_owned())),
    }
}

/// `id:` and `pass:` at byte offsets `id` and `pass` of `line`: whichever comes first runs
/// to the start of the other, the last to the end of the line.
fn parse_identifier(
    line: &str,
    id: Option<usize>,
    pass: Option<usize>,
) -> Result<Query, QueryError> {
    let (Some(id), Some(pass)) = (id, pass) else {
        return Err(if id.is_some() {
            QueryError::IdentifierWithoutPass
        } else {
            QueryError::PassWithoutIdentifier
        });
    };
    if id.min(pass) > 0 {
        // Something before the first of them.
        return Err(
            match split_prefix(line.split_whitespace().next().unwrap_or("")) {
                Some((p, _)) if !is_known(p) => QueryError::UnknownPrefix(p.to_owned()),
                _ => QueryError::TooManyWords,
            },
        );
    }
    let span = |start: usize, prefix: &str, end: usize| line[start + prefix.len()..end].trim();
    let (identifier, pass_code) = if id < pass {
        (span(id, "id:", pass), span(pass, "pass:", line.len()))
    } else {
        (span(id, "id:", line.len()), span(pass, "pass:", id))
    };
    let identifier = unquote(identifier, "id")?;
    let pass_code = unquote(pass_code, "pass")?;
    // An identifier may hold spaces; a pass code, unquoted, is one word.
    if !pass_code.quoted && pass_code.text.split_whitespace().nth(1).is_some() {
        return Err(QueryError::TooManyWords);
    }
    Ok(Query::Show(AccessTokenIdentifier::Identifier {
        identifier: non_empty(&identifier.text, "id")?,
        pass_code: non_empty(&pass_code.text, "pass")?,
    }))
}

/// The byte offset where a word starting with `prefix` (any case) begins.
fn word_start(line: &str, prefix: &str) -> Option<usize> {
    let mut offset = 0;
    for word in line.split_inclusive(char::is_whitespace) {
        let starts = word
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix));
        if starts {
            return Some(offset);
        }
        offset += word.len();
    }
    None
}

struct Part {
    text: String,
    quoted: bool,
}

fn unquote(value: &str, prefix: &str) -> Result<Part, QueryError> {
    match value.strip_prefix('"') {
        Some(rest) => match rest.strip_suffix('"') {
            Some(inner) => Ok(Part {
                text: inner.trim().to_owned(),
                quoted: true,
            }),
            None => Err(QueryError::UnclosedQuote(prefix.to_owned())),
        },
        None => Ok(Part {
            text: value.to_owned(),
            quoted: false,
        }),
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
        assert_eq!(parse("id:250 foo"), Err(QueryError::IdentifierWithoutPass));
        assert_eq!(parse("id:250 pass:1 2"), Err(QueryError::TooManyWords));
        assert_eq!(parse("foo id:1 pass:2"), Err(QueryError::TooManyWords));
        assert_eq!(
            parse("x:1 id:1 pass:2"),
            Err(QueryError::UnknownPrefix("x".into()))
        );
        assert_eq!(
            parse("id: pass:p1"),
            Err(QueryError::MissingValue("id".into()))
        );
    }

    #[test]
    fn identifiers_may_hold_spaces_quoted_or_up_to_the_pass_code() {
        let expected = Ok(Query::Show(AccessTokenIdentifier::Identifier {
            identifier: "+357 99 134585".into(),
            pass_code: "0006".into(),
        }));
        assert_eq!(parse(r#"id:"+357 99 134585" pass:0006"#), expected);
        assert_eq!(parse("id:+357 99 134585 pass:0006"), expected);
        assert_eq!(parse("pass:0006 id:+357 99 134585"), expected);
        assert_eq!(parse(r#"pass:"0006" id:"+357 99 134585""#), expected);
        assert_eq!(
            parse(r#"id:"+357 99 pass:0006"#),
            Err(QueryError::UnclosedQuote("id".into()))
        );
        assert_eq!(
            parse(r#"id:"" pass:1"#),
            Err(QueryError::MissingValue("id".into()))
        );
        // A colon inside an identifier is part of it.
        assert_eq!(
            parse("id:a:b pass:1"),
            Ok(Query::Show(AccessTokenIdentifier::Identifier {
                identifier: "a:b".into(),
                pass_code: "1".into(),
            }))
        );
    }

    #[test]
    fn bare_numbers_of_accounts_participants_and_tokens_name_what_to_type() {
        assert_eq!(
            parse("ACR0000000069"),
            Err(QueryError::BareNumber(
                NumberKind::AccountsReceivable,
                "ACR0000000069".into()
            ))
        );
        assert_eq!(
            parse("rp0000000010"),
            Err(QueryError::BareNumber(
                NumberKind::RewardsParticipant,
                "rp0000000010".into()
            ))
        );
        assert_eq!(
            parse("AT0000000671"),
            Err(QueryError::BareNumber(
                NumberKind::Token,
                "AT0000000671".into()
            ))
        );
        // Short, or not all digits: a code like any other.
        assert_eq!(parse("AT12"), Ok(code("AT12")));
        assert_eq!(parse("ATLAS1234"), Ok(code("ATLAS1234")));
        assert_eq!(parse("ac:AT0000000671"), Ok(code("AT0000000671")));
        assert!(
            QueryError::BareNumber(NumberKind::AccountsReceivable, "ACR1".into())
                .to_string()
                .contains("acr:ACR1")
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
