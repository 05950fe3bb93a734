//! What travels between the console and the API task, as plain values: `Operation`s with
//! their `RequestId` in, `ApiEvent`s carrying a `Reply` or an `ApiError` out. No tokio here,
//! so the app can name requests and answers without knowing how they travel.

use super::json::Document;
use super::secret::Secret;

use super::action::Action;
use super::error::ApiError;
use super::summary::TokenSummary;
use super::wire::{AccessTokenIdentifier, FieldsSet, ListQuery};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

#[derive(Debug)]
pub enum ApiCommand {
    Send { id: RequestId, operation: Operation },
    Cancel(RequestId),
}

#[derive(Debug)]
pub struct ApiEvent {
    pub id: RequestId,
    pub kind: ApiEventKind,
}

#[derive(Debug)]
pub enum ApiEventKind {
    /// The request has been handed to the client (sent, or waiting for a log-in).
    Started,
    /// An action's intent is on disk in the audit log, and the request goes out: until
    /// then the console is waiting for the audit log, not the server.
    Recorded,
    /// The action ended, but its outcome line could not be written to the audit log: the
    /// sentence that says so. `Finished` follows with the answer.
    Unrecorded(String),
    /// The action's answer was lost, and the token was read again for its audit line: what
    /// that found, so the console need not read it a second time. `Finished` follows with
    /// the lost answer.
    Reread(Result<Document, ApiError>),
    Finished(Result<Reply, ApiError>),
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
        /// The token as the clerk confirmed it: the audit log names it by its id, number
        /// and code. Boxed: it is large beside the other requests.
        token: Box<TokenSummary>,
        /// The console batch it belongs to: every audit line of it names the batch.
        batch: Option<String>,
        /// The clerk's reason, for the audit log's lines (already held to the profile's
        /// rule); never sent to the server.
        reason: Option<String>,
    },
    /// Log in with the configured credentials: the console starts with this, behind its
    /// first frame.
    LogIn,
    /// Log in again as the configured user with `password`, as typed to unlock the idle
    /// lock: its answer says whether it was the right one. The password is wiped when the
    /// operation is dropped, once the check is made.
    Unlock { password: Secret },
}

/// What a successful operation brought back.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// One token (show, or the token as an action left it).
    Token(Document),
    /// One page of `list`.
    Tokens(Vec<Document>),
    /// A session, from `LogIn`.
    LoggedIn,
}
