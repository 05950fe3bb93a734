//! The one rule for confirming an action, used by the console's modal and the command
//! line's prompt alike: deactivate and re-activate take a yes; delete cannot be undone, so
//! the clerk types the token's number (its authentication code when it has no number); and
//! the question names the server the same way in both places.

use crate::api::{Action, TokenSummary};
use crate::text::sanitize;

/// What the clerk must type to delete a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Typed {
    /// What the text is, for the prompt: "token number" or "authentication code".
    pub what: &'static str,
    pub text: String,
}

/// How an action is confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A yes: `y` in the console, `y` or `yes` on the command line.
    Yes,
    /// The text typed exactly (surrounding spaces aside), then Enter.
    Type(Typed),
    /// A delete of a token with neither a number nor a code: there is nothing the clerk
    /// could type that names it, so it cannot be confirmed.
    Impossible,
}

/// What confirms `action` on `token`.
pub fn answer(action: Action, token: &TokenSummary) -> Answer {
    if action != Action::Delete {
        return Answer::Yes;
    }
    let typed = |what, text: &str| {
        Answer::Type(Typed {
            what,
            text: text.to_owned(),
        })
    };
    match (&token.number, &token.authentication_code) {
        (Some(number), _) if !number.trim().is_empty() => typed("token number", number.trim()),
        (_, Some(code)) if !code.trim().is_empty() => typed("authentication code", code.trim()),
        _ => Answer::Impossible,
    }
}

/// What confirms `action` on a batch of `count` tokens: a yes, or for delete the count
/// typed, so that a clerk who meant three tokens cannot wave through three thousand.
pub fn batch_answer(action: Action, count: usize) -> Answer {
    match action {
        Action::Delete => Answer::Type(Typed {
            what: "number of tokens",
            text: count.to_string(),
        }),
        _ => Answer::Yes,
    }
}

impl Typed {
    /// Whether `entered` is the text asked for.
    pub fn matches(&self, entered: &str) -> bool {
        entered.trim() == self.text
    }
}

/// A command-line answer to a yes/no question.
pub fn is_yes(entered: &str) -> bool {
    let entered = entered.trim();
    entered.eq_ignore_ascii_case("y") || entered.eq_ignore_ascii_case("yes")
}

/// How every confirmation names the server: the demo simulator says so; a configured label
/// comes with its host, as the environment's label places it (`place`: "PROD-EU
/// (crm.example.com)"); otherwise the host. Sanitised: the host and label come from a
/// config file. The place is given, not the label, so the core needs nothing of start-up.
pub fn server_name(host: &str, demo: bool, place: Option<String>) -> String {
    let name = if demo {
        format!("{host} (demo simulator)")
    } else {
        place.unwrap_or_else(|| host.to_owned())
    };
    sanitize(&name).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(number: Option<&str>, code: Option<&str>) -> TokenSummary {
        TokenSummary {
            number: number.map(Into::into),
            authentication_code: code.map(Into::into),
            ..TokenSummary::default()
        }
    }

    #[test]
    fn delete_wants_the_number_else_the_code_and_the_others_a_yes() {
        let both = token(Some("AT0000000671"), Some("99021047380"));
        assert_eq!(answer(Action::Deactivate, &both), Answer::Yes);
        assert_eq!(answer(Action::Activate, &both), Answer::Yes);
        let Answer::Type(number) = answer(Action::Delete, &both) else {
            panic!("delete is typed");
        };
        assert_eq!(
            (number.what, number.text.as_str()),
            ("token number", "AT0000000671")
        );
        assert!(number.matches(" AT0000000671 "));
        assert!(!number.matches("99021047380"), "the code is not the number");
        assert!(!number.matches("at0000000671"));
        let Answer::Type(code) = answer(Action::Delete, &token(None, Some("99021047380"))) else {
            panic!("delete is typed");
        };
        assert_eq!(code.what, "authentication code");
        assert!(code.matches("99021047380"));
        assert_eq!(
            answer(Action::Delete, &token(None, Some(" "))),
            Answer::Impossible
        );
    }

    #[test]
    fn a_batch_delete_wants_the_count_typed() {
        assert_eq!(batch_answer(Action::Deactivate, 450), Answer::Yes);
        assert_eq!(batch_answer(Action::Activate, 450), Answer::Yes);
        let Answer::Type(count) = batch_answer(Action::Delete, 450) else {
            panic!("a batch delete is typed");
        };
        assert_eq!(count.what, "number of tokens");
        assert!(count.matches("450\n"));
        assert!(!count.matches("45"));
    }

    #[test]
    fn the_server_is_named_the_same_everywhere() {
        assert_eq!(
            server_name("127.0.0.1:4000", true, None),
            "127.0.0.1:4000 (demo simulator)"
        );
        assert_eq!(
            server_name("crm.example.com", false, None),
            "crm.example.com"
        );
        let prod = crate::setup::environment_label::Label::resolve(
            Some("PROD-EU"),
            None,
            "crm.example.com",
        );
        assert_eq!(
            server_name(
                "crm.example.com",
                false,
                Some(prod.place("crm.example.com"))
            ),
            "PROD-EU (crm.example.com)"
        );
        assert!(!server_name("a\u{1b}[2Jb", false, None).contains('\u{1b}'));
    }

    #[test]
    fn yes_is_y_or_yes_in_any_case() {
        for yes in ["y", "Y", " yes\n", "YES"] {
            assert!(is_yes(yes), "{yes:?}");
        }
        for no in ["", "n", "yep", "ja"] {
            assert!(!is_yes(no), "{no:?}");
        }
    }
}

/// Pinned by mutation testing (TESTING.md).
#[cfg(test)]
mod blank_tests {
    use super::*;

    #[test]
    fn a_blank_number_is_no_number_so_nothing_empty_confirms_a_delete() {
        let blank_number = TokenSummary {
            number: Some("  ".into()),
            authentication_code: Some("99021047380".into()),
            ..TokenSummary::default()
        };
        let Answer::Type(code) = answer(Action::Delete, &blank_number) else {
            panic!("the code is typed instead");
        };
        assert_eq!(code.what, "authentication code");
        assert!(!code.matches(""), "Enter alone does not delete");
        let neither = TokenSummary {
            number: Some(String::new()),
            authentication_code: None,
            ..TokenSummary::default()
        };
        assert_eq!(answer(Action::Delete, &neither), Answer::Impossible);
    }
}
