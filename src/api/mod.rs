//! Everything that speaks HTTP to CRM.COM. The console reaches it only through the API
//! task (`task`), with `Operation`s in and events out; the command line uses `Client`
//! directly.

pub mod client;
pub mod error;
pub mod json;
pub mod task;
pub mod token;
pub mod wire;

pub use client::{Client, ClientConfig, Credentials, Secret};
pub use error::ApiError;
pub use json::Document;
pub use token::{LifeCycleState, TokenSummary};
pub use wire::{AccessTokenIdentifier, FieldsSet, ListOwner, ListQuery};

/// The three life-cycle actions, each with the one state CRM.COM accepts it from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `set_as_not_effective`: EFFECTIVE -> NOT_EFFECTIVE.
    Deactivate,
    /// `set_as_effective`: NOT_EFFECTIVE -> EFFECTIVE.
    Activate,
    /// `delete`: only a NOT_EFFECTIVE token.
    Delete,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Deactivate, Action::Activate, Action::Delete];

    pub fn method(self) -> &'static str {
        match self {
            Action::Deactivate => "access_tokens/set_as_not_effective",
            Action::Activate => "access_tokens/set_as_effective",
            Action::Delete => "access_tokens/delete",
        }
    }

    /// The state a token must be in for the server to accept this action.
    pub fn required_state(self) -> LifeCycleState {
        match self {
            Action::Deactivate => LifeCycleState::Effective,
            Action::Activate | Action::Delete => LifeCycleState::NotEffective,
        }
    }

    /// The state the token is in once the action is done; `None` for delete, after which
    /// there is no token.
    pub fn resulting_state(self) -> Option<LifeCycleState> {
        match self {
            Action::Deactivate => Some(LifeCycleState::NotEffective),
            Action::Activate => Some(LifeCycleState::Effective),
            Action::Delete => None,
        }
    }

    /// Why this action cannot be taken on a token in `state`, or `None` when it can.
    pub fn refusal(self, state: &LifeCycleState) -> Option<String> {
        if *state == self.required_state() {
            return None;
        }
        Some(format!(
            "Only {} tokens can be {}; this one is {}.",
            self.required_state(),
            self.past_tense(),
            state
        ))
    }

    /// "deactivate", as in "Deactivate AT0000000671?".
    pub fn verb(self) -> &'static str {
        match self {
            Action::Deactivate => "deactivate",
            Action::Activate => "re-activate",
            Action::Delete => "delete",
        }
    }

    pub fn past_tense(self) -> &'static str {
        match self {
            Action::Deactivate => "deactivated",
            Action::Activate => "re-activated",
            Action::Delete => "deleted",
        }
    }
}

/// One request to CRM.COM, as a value: the console sends these to the API task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    Show {
        identifier: AccessTokenIdentifier,
        fields: Option<FieldsSet>,
    },
    List {
        query: ListQuery,
        fields: Option<FieldsSet>,
    },
    Act {
        action: Action,
        identifier: AccessTokenIdentifier,
        fields: Option<FieldsSet>,
    },
}

/// What a successful operation brought back.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// One token (show, or the token as an action left it).
    Token(Document),
    /// One page of `list`.
    Tokens(Vec<Document>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_is_allowed_from_exactly_one_state() {
        let states = [
            LifeCycleState::Effective,
            LifeCycleState::NotEffective,
            LifeCycleState::PendingVerification,
            LifeCycleState::Unknown,
        ];
        for action in Action::ALL {
            let allowed: Vec<_> = states
                .iter()
                .filter(|s| action.refusal(s).is_none())
                .collect();
            assert_eq!(allowed, vec![&action.required_state()], "{action:?}");
        }
        assert_eq!(
            Action::Delete
                .refusal(&LifeCycleState::Effective)
                .as_deref(),
            Some("Only NOT_EFFECTIVE tokens can be deleted; this one is EFFECTIVE.")
        );
    }
}
