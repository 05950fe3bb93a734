//! The three life-cycle actions and their rules: the state each needs and the state it leaves.

use super::summary::LifeCycleState;

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
