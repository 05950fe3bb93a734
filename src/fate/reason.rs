//! The one rule for the reason a clerk gives for an action, for the console's confirmations
//! and the command line's `--reason` alike: whether one is asked for, whether one is needed,
//! whether the text given is acceptable, and the text as the audit log records it.
//!
//! A reason is the clerk's text and nothing else: it is cleaned of control characters (a
//! pasted newline becomes a space), trimmed and held to [`REASON_LIMIT`] characters. It is
//! only ever written as a JSON string and shown sanitised; never run, never put in a shell.

use std::fmt;

use crate::text::sanitize;

/// The most characters a reason may have: a ticket number and a sentence, not a letter.
pub const REASON_LIMIT: usize = 200;

/// The profile's `reason`: whether an action asks for one, and whether it may go without.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReasonRule {
    /// Not asked for; a `--reason` given anyway is checked and recorded.
    #[default]
    Off,
    /// Asked for; an empty one is accepted.
    Optional,
    /// Asked for; nothing is sent without one.
    Required,
}

impl ReasonRule {
    /// The config file's word: `off`, `optional` or `required`.
    pub fn parse(word: &str) -> Option<ReasonRule> {
        match word {
            "off" => Some(ReasonRule::Off),
            "optional" => Some(ReasonRule::Optional),
            "required" => Some(ReasonRule::Required),
            _ => None,
        }
    }
}

/// The profile's `reason_pattern`: a regular expression every reason must match.
#[derive(Clone, Debug)]
pub struct ReasonPattern {
    written: String,
    regex: regex_lite::Regex,
}

impl ReasonPattern {
    /// The pattern as written in the config file, or why it is not one.
    pub fn new(written: &str) -> Result<ReasonPattern, String> {
        regex_lite::Regex::new(written)
            .map(|regex| ReasonPattern {
                written: written.to_owned(),
                regex,
            })
            .map_err(|e| sanitize(&e.to_string()).into_owned())
    }

    /// The pattern as the config file gives it, cleaned for the screen.
    pub fn written(&self) -> String {
        sanitize(&self.written).into_owned()
    }
}

impl PartialEq for ReasonPattern {
    fn eq(&self, other: &ReasonPattern) -> bool {
        self.written == other.written
    }
}

/// What a profile asks of reasons: the rule and the pattern.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReasonPolicy {
    pub rule: ReasonRule,
    pub pattern: Option<ReasonPattern>,
}

/// A reason as recorded: cleaned, trimmed, within the limit, matching the pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Why a reason was not accepted, as a sentence for the clerk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReasonProblem {
    /// None was given and the profile requires one.
    Missing { pattern: Option<String> },
    /// It does not match the profile's pattern.
    NoMatch { pattern: String },
    /// It is longer than [`REASON_LIMIT`] characters.
    TooLong { length: usize },
}

impl fmt::Display for ReasonProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReasonProblem::Missing { pattern: None } => {
                write!(f, "This profile requires a reason for every action.")
            }
            ReasonProblem::Missing {
                pattern: Some(pattern),
            } => write!(
                f,
                "This profile requires a reason for every action, matching {pattern}."
            ),
            ReasonProblem::NoMatch { pattern } => {
                write!(f, "The reason must match {pattern}.")
            }
            ReasonProblem::TooLong { length } => write!(
                f,
                "A reason is at most {REASON_LIMIT} characters; this one has {length}."
            ),
        }
    }
}

impl std::error::Error for ReasonProblem {}

impl ReasonPolicy {
    /// Whether a confirmation asks for a reason.
    pub fn asks(&self) -> bool {
        self.rule != ReasonRule::Off
    }

    /// The reason `entered` comes to (`None`: no reason, and none is needed), or why it
    /// cannot be accepted. `entered` is the clerk's text as typed or pasted.
    pub fn check(&self, entered: Option<&str>) -> Result<Option<Reason>, ReasonProblem> {
        let cleaned = entered.map(clean).filter(|text| !text.is_empty());
        let Some(text) = cleaned else {
            return match self.rule {
                ReasonRule::Required => Err(ReasonProblem::Missing {
                    pattern: self.pattern.as_ref().map(ReasonPattern::written),
                }),
                ReasonRule::Off | ReasonRule::Optional => Ok(None),
            };
        };
        let length = text.chars().count();
        if length > REASON_LIMIT {
            return Err(ReasonProblem::TooLong { length });
        }
        if let Some(pattern) = &self.pattern
            && !pattern.regex.is_match(&text)
        {
            return Err(ReasonProblem::NoMatch {
                pattern: pattern.written(),
            });
        }
        Ok(Some(Reason(text)))
    }
}

/// The clerk's text without control characters (a pasted newline is a space), trimmed.
fn clean(entered: &str) -> String {
    sanitize(entered).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(rule: ReasonRule, pattern: Option<&str>) -> ReasonPolicy {
        ReasonPolicy {
            rule,
            pattern: pattern.map(|p| ReasonPattern::new(p).expect("a pattern")),
        }
    }

    fn reason(text: &str) -> Option<Reason> {
        Some(Reason(text.to_owned()))
    }

    #[test]
    fn off_asks_nothing_and_needs_nothing() {
        let off = policy(ReasonRule::Off, None);
        assert!(!off.asks());
        assert_eq!(off.check(None), Ok(None));
        assert_eq!(off.check(Some("  ")), Ok(None));
        assert_eq!(off.check(Some("TD-1")), Ok(reason("TD-1")));
    }

    #[test]
    fn optional_asks_and_may_be_empty() {
        let optional = policy(ReasonRule::Optional, Some("^[A-Z]+-[0-9]+$"));
        assert!(optional.asks());
        assert_eq!(optional.check(None), Ok(None));
        assert_eq!(optional.check(Some("")), Ok(None));
        assert_eq!(optional.check(Some(" TD-7 ")), Ok(reason("TD-7")));
        assert!(matches!(
            optional.check(Some("lost card")),
            Err(ReasonProblem::NoMatch { .. })
        ));
    }

    #[test]
    fn required_refuses_none_and_blank() {
        let required = policy(ReasonRule::Required, None);
        assert!(required.asks());
        let missing = Err(ReasonProblem::Missing { pattern: None });
        assert_eq!(required.check(None), missing);
        assert_eq!(required.check(Some(" \t\n")), missing);
        assert_eq!(
            required.check(Some("card stolen")),
            Ok(reason("card stolen"))
        );
    }

    #[test]
    fn the_pattern_is_named_in_the_sentence() {
        let required = policy(ReasonRule::Required, Some("^[A-Z]+-[0-9]+$"));
        let missing = required.check(None).expect_err("missing");
        assert_eq!(
            missing.to_string(),
            "This profile requires a reason for every action, matching ^[A-Z]+-[0-9]+$."
        );
        let wrong = required.check(Some("td-12")).expect_err("no match");
        assert_eq!(wrong.to_string(), "The reason must match ^[A-Z]+-[0-9]+$.");
        assert_eq!(required.check(Some("TD-12")), Ok(reason("TD-12")));
    }

    #[test]
    fn control_characters_go_and_a_pasted_newline_is_a_space() {
        let off = policy(ReasonRule::Off, None);
        assert_eq!(
            off.check(Some("TD-1\nstolen\u{1b}[31m card\u{7}")),
            Ok(reason("TD-1 stolen card"))
        );
        // Cleaned before the pattern sees it: a newline cannot split a match.
        let anchored = policy(ReasonRule::Required, Some("^TD-1 x$"));
        assert_eq!(anchored.check(Some("TD-1\nx")), Ok(reason("TD-1 x")));
    }

    #[test]
    fn a_reason_is_held_to_the_limit() {
        let off = policy(ReasonRule::Off, None);
        let longest = "x".repeat(REASON_LIMIT);
        assert_eq!(off.check(Some(&longest)), Ok(reason(&longest)));
        let over = "é".repeat(REASON_LIMIT + 1);
        assert_eq!(
            off.check(Some(&over)),
            Err(ReasonProblem::TooLong {
                length: REASON_LIMIT + 1
            })
        );
    }

    #[test]
    fn rules_and_patterns_from_the_config_file() {
        assert_eq!(ReasonRule::parse("off"), Some(ReasonRule::Off));
        assert_eq!(ReasonRule::parse("optional"), Some(ReasonRule::Optional));
        assert_eq!(ReasonRule::parse("required"), Some(ReasonRule::Required));
        assert_eq!(ReasonRule::parse("Required"), None);
        assert!(ReasonPattern::new("^[A-Z+$").is_err());
        assert_eq!(
            ReasonPattern::new("a\u{7}b").expect("a pattern").written(),
            "ab"
        );
    }
}
