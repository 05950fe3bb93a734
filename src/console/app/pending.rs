//! What each request in flight is for: the answer of a request lands where its purpose says.

use std::time::Duration;

use crate::api::ListQuery;
use crate::api::request::{ApiCommand, RequestId};
use crate::api::{Action, ApiError, Document};

use super::results::page::Beyond;
use super::search::query::Query;

/// What a request in flight is for, so its answer lands in the right place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A search line's query, and the line as typed.
    Search { query: Query, line: String },
    /// Another page of the results on screen.
    Page(ListQuery),
    /// The page past the results' rows held, read as the cursor moves beyond them.
    ReadMore { query: ListQuery, beyond: Beyond },
    /// A token of the results page, read whole by its authentication code to open it;
    /// `name` is its row's.
    Open { code: String, name: String },
    /// `R`: read the token on screen again.
    Reread,
    /// An action on the token on screen.
    Act { action: Action, token_name: String },
    /// After an action whose answer proved nothing, or a refusal, read the token again (the
    /// action's course judges what it finds).
    Verify { action: Action, token_name: String },
    /// Before a confirmation asks about a token read long ago, read it again.
    Check { action: Action, token_name: String },
    /// `A`: a page of the whole list, to mark every token of it.
    MarkAll(MarkingAll),
}

impl Purpose {
    /// An action, or the check of an action's unknown outcome: while either is in flight
    /// the state on screen may be stale, and acting on it could send the same action twice.
    pub fn is_action(&self) -> bool {
        matches!(
            self,
            Purpose::Act { .. } | Purpose::Verify { .. } | Purpose::Check { .. }
        )
    }

    /// "Deactivating AT0000000671", for the spinner.
    pub fn describe(&self) -> String {
        match self {
            Purpose::Search {
                query: Query::List(query),
                ..
            }
            | Purpose::Page(query)
            | Purpose::ReadMore { query, .. } => {
                format!("Listing the tokens of {}", query.owner)
            }
            Purpose::Search {
                query: Query::Show(identifier),
                ..
            } => format!("Looking up {identifier}"),
            Purpose::Open { name, .. } => format!("Opening {name}"),
            Purpose::Reread => "Re-reading the token".into(),
            Purpose::Act { action, token_name } => {
                format!("{} {token_name}", gerund(*action))
            }
            Purpose::Verify { action, token_name } => {
                format!("Checking whether {token_name} was {}", action.past_tense())
            }
            Purpose::Check { action, token_name } => {
                format!("Checking {token_name} before it is {}", action.past_tense())
            }
            Purpose::MarkAll(marking) => marking.describe(),
        }
    }
}

/// Where marking the whole list has got to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkingAll {
    /// The page asked for now.
    pub query: ListQuery,
    /// How many tokens of the list the pages before it held.
    pub read: usize,
    /// How many the list holds, when known.
    pub total: Option<usize>,
}

impl MarkingAll {
    /// "Marking: 400 of 2,000", for the spinner.
    pub fn describe(&self) -> String {
        // A total read before may be stale: it says nothing once passed.
        match self.total.filter(|&total| total >= self.read) {
            Some(total) => format!(
                "Marking: {} of {}",
                crate::text::count(self.read),
                crate::text::count(total)
            ),
            None => format!("Marking: {} so far", crate::text::count(self.read)),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub id: RequestId,
    pub purpose: Purpose,
    /// When it was sent, on the app's clock.
    pub started: Duration,
    /// The audit log could not record how the action ended: said with its result.
    pub unrecorded: Option<String>,
    /// The action's answer was lost and the API task read the token again: what it found.
    pub reread: Option<Result<Document, ApiError>>,
    /// An action's intent is on disk and the request has gone out; until then it waits for
    /// the audit log.
    pub recorded: bool,
}

impl Pending {
    /// What the spinner says it waits for: an action, the audit log first, then the server.
    pub fn describe(&self) -> String {
        match &self.purpose {
            Purpose::Act { .. } if !self.recorded => {
                format!("Audit log first: {}", self.purpose.describe())
            }
            purpose => purpose.describe(),
        }
    }
}

pub(super) fn gerund(action: Action) -> &'static str {
    match action {
        Action::Deactivate => "Deactivating",
        Action::Activate => "Re-activating",
        Action::Delete => "Deleting",
    }
}

/// The log-in the console starts with, run on the API task behind the first frame, and
/// the request a clerk made meanwhile, held until the session exists.
#[derive(Debug)]
pub struct LogIn {
    pub id: RequestId,
    /// When it was sent, on the app's clock.
    pub started: Duration,
    /// The latest request made while logging in (a search); sent once, after the log-in,
    /// if it is still the one awaited.
    pub held: Option<ApiCommand>,
}
