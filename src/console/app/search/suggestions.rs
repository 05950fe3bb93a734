//! The search lines the empty screen suggests on the demo: an EFFECTIVE token to
//! deactivate, a NOT_EFFECTIVE one to re-activate or delete, an account and a rewards
//! participant with several tokens. They follow what happens in the session: a token
//! deactivated is offered for what its new state allows, a deleted one is no longer
//! suggested, and its account and participant count one token fewer.

use serde_json::Value;

use crate::api::{Action, LifeCycleState, TokenSummary};
use crate::keys::{Command, Context, KeyMap};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// What to type in the search line.
    pub line: String,
    about: About,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum About {
    Token {
        name: String,
        code: String,
        state: LifeCycleState,
    },
    Account {
        number: String,
        tokens: usize,
    },
    Participant {
        number: String,
        tokens: usize,
    },
}

impl Suggestion {
    /// What the line finds, and what the clerk can try on it, in the keys of the key map (`crate::keys`).
    pub fn meaning(&self, keymap: &KeyMap) -> String {
        let key = |action: Action| {
            keymap
                .key_for(Context::Actions, Command::Act(action))
                .map_or_else(|| action.verb().to_owned(), |k| k.to_string())
        };
        match &self.about {
            About::Token { name, state, .. } => match state {
                LifeCycleState::Effective => {
                    format!(
                        "{name} EFFECTIVE: try {} to deactivate",
                        key(Action::Deactivate)
                    )
                }
                LifeCycleState::NotEffective => format!(
                    "{name} NOT_EFFECTIVE: {} to re-activate, {} to delete",
                    key(Action::Activate),
                    key(Action::Delete)
                ),
                other => format!("{name} {other}"),
            },
            About::Account { tokens, .. } => {
                format!("the {tokens} token{} of one account", plural(*tokens))
            }
            About::Participant { tokens, .. } => format!(
                "the {tokens} token{} of one rewards participant",
                plural(*tokens)
            ),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A few search lines that show the range of `tokens` (the demo's data).
pub fn for_demo(tokens: &[Value]) -> Vec<Suggestion> {
    let summaries: Vec<TokenSummary> = tokens.iter().map(TokenSummary::from_value).collect();
    let mut suggestions = Vec::new();
    for state in [LifeCycleState::Effective, LifeCycleState::NotEffective] {
        let found = summaries
            .iter()
            .find_map(|s| Some((s, s.authentication_code.clone()?)).filter(|_| s.state == state));
        if let Some((summary, code)) = found {
            suggestions.push(Suggestion {
                line: code.clone(),
                about: About::Token {
                    name: summary.display_name(),
                    code,
                    state,
                },
            });
        }
    }
    if let Some((number, tokens)) =
        most_common(summaries.iter().map(|s| s.account_number.as_deref()))
    {
        suggestions.push(Suggestion {
            line: format!("acr:{number}"),
            about: About::Account {
                number: number.to_owned(),
                tokens,
            },
        });
    }
    if let Some((number, tokens)) =
        most_common(summaries.iter().map(|s| s.participant_number.as_deref()))
    {
        suggestions.push(Suggestion {
            line: format!("rp:{number}"),
            about: About::Participant {
                number: number.to_owned(),
                tokens,
            },
        });
    }
    suggestions
}

/// Keeps `suggestions` in step with a token as the server last showed it.
pub fn follow_token(suggestions: &mut Vec<Suggestion>, token: &TokenSummary, deleted: bool) {
    let Some(code) = &token.authentication_code else {
        return;
    };
    let suggested = |s: &Suggestion| matches!(&s.about, About::Token { code: c, .. } if c == code);
    if !deleted {
        for suggestion in suggestions.iter_mut().filter(|s| suggested(s)) {
            if let About::Token { state, .. } = &mut suggestion.about {
                *state = token.state.clone();
            }
        }
        return;
    }
    suggestions.retain(|s| !suggested(s));
    for suggestion in suggestions.iter_mut() {
        match &mut suggestion.about {
            About::Account { number, tokens } if token.account_number.as_ref() == Some(number) => {
                *tokens = tokens.saturating_sub(1);
            }
            About::Participant { number, tokens }
                if token.participant_number.as_ref() == Some(number) =>
            {
                *tokens = tokens.saturating_sub(1);
            }
            _ => {}
        }
    }
}

/// The value that occurs most often, with its count; the first such on a tie.
fn most_common<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Option<(&'a str, usize)> {
    let mut sorted: Vec<&str> = values.flatten().collect();
    sorted.sort_unstable();
    sorted
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len()))
        .fold(None, |best: Option<(&str, usize)>, candidate| match best {
            Some(b) if b.1 >= candidate.1 => Some(b),
            _ => Some(candidate),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Vec<Value> {
        crate::simulator::demo_tokens()
            .into_iter()
            .map(|t| t.data)
            .collect()
    }

    #[test]
    fn demo_suggestions_cover_each_kind_of_search() {
        let suggestions = for_demo(&demo());
        let lines: Vec<&str> = suggestions.iter().map(|s| s.line.as_str()).collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines[0].chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(lines[2].starts_with("acr:"));
        assert!(lines[3].starts_with("rp:"));
    }

    #[test]
    fn most_common_counts_and_prefers_the_first_on_a_tie() {
        let values = [Some("b"), Some("a"), None, Some("b"), Some("a"), Some("c")];
        assert_eq!(most_common(values.into_iter()), Some(("a", 2)));
        assert_eq!(most_common([None, None].into_iter()), None);
    }
}
