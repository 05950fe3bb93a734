//! The few facts about an access token that the console and the command line rely on,
//! pulled leniently out of whatever JSON the server sent. The full token stays a
//! `serde_json::Value` for display; this summary never fails, it only knows less.

use std::fmt;

use serde_json::Value;

use crate::text::sanitize;

/// What CRM.COM numbers look like: a prefix and at least four digits, any case
/// (AT0000000671, ACR0000000069, RP0000000010). A number is not a key the API finds a token
/// by, so both front-ends say what to do instead when one is given as a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberKind {
    AccountsReceivable,
    RewardsParticipant,
    Token,
}

impl NumberKind {
    /// What `word` looks like the number of, if anything.
    pub fn of(word: &str) -> Option<NumberKind> {
        let upper = word.to_ascii_uppercase();
        [
            ("ACR", NumberKind::AccountsReceivable),
            ("RP", NumberKind::RewardsParticipant),
            ("AT", NumberKind::Token),
        ]
        .into_iter()
        .find_map(|(prefix, kind)| {
            let digits = upper.strip_prefix(prefix)?;
            (digits.len() >= 4 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(kind)
        })
    }
}

/// CRM.COM's life-cycle states of an access token, plus whatever else a server might say.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum LifeCycleState {
    Effective,
    NotEffective,
    PendingVerification,
    Other(String),
    /// Missing, null or not a string: a summary of nothing is still a summary.
    #[default]
    Unknown,
}

impl LifeCycleState {
    pub fn parse(raw: Option<&str>) -> LifeCycleState {
        match raw.map(str::trim) {
            None | Some("") => LifeCycleState::Unknown,
            Some(s) if s.eq_ignore_ascii_case("EFFECTIVE") => LifeCycleState::Effective,
            Some(s) if s.eq_ignore_ascii_case("NOT_EFFECTIVE") => LifeCycleState::NotEffective,
            Some(s) if s.eq_ignore_ascii_case("PENDING_VERIFICATION") => {
                LifeCycleState::PendingVerification
            }
            Some(s) => LifeCycleState::Other(crate::text::bounded(&sanitize(s)).into_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            LifeCycleState::Effective => "EFFECTIVE",
            LifeCycleState::NotEffective => "NOT_EFFECTIVE",
            LifeCycleState::PendingVerification => "PENDING_VERIFICATION",
            LifeCycleState::Other(s) => s,
            LifeCycleState::Unknown => "UNKNOWN",
        }
    }
}

impl fmt::Display for LifeCycleState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a clerk needs to recognise a token at a glance. Every text is sanitised.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TokenSummary {
    pub id: Option<String>,
    pub number: Option<String>,
    pub state: LifeCycleState,
    pub authentication_code: Option<String>,
    pub identifier: Option<String>,
    pub classification: Option<String>,
    pub account_number: Option<String>,
    pub account_name: Option<String>,
    pub participant_number: Option<String>,
}

impl TokenSummary {
    pub fn from_value(token: &Value) -> TokenSummary {
        let participant = first_object(token, &["rewards_participant", "reward_participant"]);
        // The token's own accounts receivable, else the participant's: some answers carry
        // only one of them.
        let account = first_object(token, &["accounts_receivable"])
            .or_else(|| participant.and_then(|p| first_object(p, &["accounts_receivable"])));
        let classification = first_object(token, &["classification"]);
        TokenSummary {
            id: text(token, "id"),
            number: text(token, "number"),
            state: LifeCycleState::parse(token.get("life_cycle_state").and_then(Value::as_str)),
            authentication_code: text(token, "authentication_code"),
            identifier: text(token, "identifier"),
            classification: classification
                .and_then(|c| text(c, "name").or_else(|| text(c, "alternative_code"))),
            account_number: account.and_then(|a| text(a, "number")),
            account_name: account.and_then(|a| {
                text(a, "name").or_else(|| {
                    first_object(a, &["account_owner"])
                        .and_then(|o| text(o, "name").or_else(|| text(o, "company_name")))
                })
            }),
            participant_number: participant.and_then(|p| text(p, "number")),
        }
    }

    /// The account as a clerk reads it: number and name, the number said once.
    pub fn account_label(&self) -> Option<String> {
        match (&self.account_number, &self.account_name) {
            (Some(n), Some(a)) => Some(crate::text::number_and_name(n, a)),
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            (None, None) => None,
        }
    }

    /// How the token is named to a clerk: its number, else its authentication code.
    /// Cut to about a kilobyte: it goes into sentences.
    pub fn display_name(&self) -> String {
        self.number
            .as_deref()
            .or(self.authentication_code.as_deref())
            .map_or_else(
                || "(unnumbered token)".to_owned(),
                |name| crate::text::bounded(name).into_owned(),
            )
    }
}

fn first_object<'a>(value: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .filter_map(|k| value.get(*k))
        .find(|v| v.is_object())
}

/// A field as display text: strings sanitised and trimmed, numbers as written; null, empty
/// and nested values count as absent.
fn text(value: &Value, key: &str) -> Option<String> {
    let text = match value.get(key)? {
        Value::String(s) => sanitize(s.trim()).into_owned(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixture(name: &str) -> Value {
        let raw = match name {
            "delete" => include_str!("../../tests/fixtures/delete.response.json"),
            _ => include_str!("../../tests/fixtures/set_as_not_effective.response.json"),
        };
        let envelope: Value = serde_json::from_str(raw).expect("fixture parses");
        envelope["data"].clone()
    }

    #[test]
    fn summary_of_the_set_as_not_effective_example() {
        let summary = TokenSummary::from_value(&fixture("set_as_not_effective"));
        assert_eq!(summary.number.as_deref(), Some("AT0000000671"));
        assert_eq!(summary.state, LifeCycleState::NotEffective);
        assert_eq!(summary.authentication_code.as_deref(), Some("99021047380"));
        assert_eq!(
            summary.classification.as_deref(),
            Some("Mobile Application")
        );
        assert_eq!(summary.account_number.as_deref(), Some("ACR0000000069"));
        assert_eq!(
            summary.account_name.as_deref(),
            Some("ACR0000000069 Polina Kestora")
        );
        assert_eq!(summary.participant_number.as_deref(), Some("RP0000000010"));
    }

    #[test]
    fn summary_of_the_delete_example_reads_reward_participant() {
        let summary = TokenSummary::from_value(&fixture("delete"));
        assert_eq!(summary.number.as_deref(), Some("35"));
        assert_eq!(summary.participant_number.as_deref(), Some("28"));
        assert_eq!(summary.classification, None);
        assert_eq!(summary.account_name.as_deref(), Some("Havier 6"));
    }

    #[test]
    fn account_labels_do_not_repeat_the_number() {
        let mut summary = TokenSummary::from_value(&fixture("set_as_not_effective"));
        assert_eq!(
            summary.account_label().as_deref(),
            Some("ACR0000000069 Polina Kestora")
        );
        summary.account_name = Some("Havier 6".into());
        assert_eq!(
            summary.account_label().as_deref(),
            Some("ACR0000000069 · Havier 6")
        );
        summary.account_number = None;
        assert_eq!(summary.account_label().as_deref(), Some("Havier 6"));
    }

    #[test]
    fn wrong_types_and_nulls_only_make_it_know_less() {
        let odd = json!({
            "number": 671,
            "life_cycle_state": ["EFFECTIVE"],
            "authentication_code": null,
            "classification": "Mobile",
            "accounts_receivable": null,
            "rewards_participant": {"accounts_receivable": {"number": "ACR9", "name": "  "}},
        });
        let summary = TokenSummary::from_value(&odd);
        assert_eq!(summary.number.as_deref(), Some("671"));
        assert_eq!(summary.state, LifeCycleState::Unknown);
        assert_eq!(summary.authentication_code, None);
        assert_eq!(summary.classification, None);
        assert_eq!(summary.account_number.as_deref(), Some("ACR9"));
        assert_eq!(summary.account_name, None);
        assert_eq!(
            TokenSummary::from_value(&json!(null)),
            TokenSummary::default()
        );
        assert_eq!(
            TokenSummary::from_value(&json!("x")).display_name(),
            "(unnumbered token)"
        );
    }

    #[test]
    fn server_text_is_sanitised() {
        let hostile = json!({"number": "AT\u{1b}[31m1", "life_cycle_state": "WEIRD\u{7}"});
        let summary = TokenSummary::from_value(&hostile);
        assert_eq!(summary.number.as_deref(), Some("AT1"));
        assert_eq!(summary.state, LifeCycleState::Other("WEIRD".into()));
    }
}
