//! What one answer does to one token of a console batch, as a plain function: read first,
//! then the action only when the state read allows it; a lost answer is checked by a
//! re-read before anything is said; a busy server is waited out. This decides what reaches
//! the server, so it is kept apart from the state that applies it (`batch.rs`), and tested
//! answer by answer.

use crate::api::error::BUSY_RETRIES;
use crate::api::{Action, ApiError, Document, Operation, Reply, TokenSummary};
use crate::text::capitalised;

use super::batch_run::{BatchItem, Step};

/// What the app does next for a token, after an answer.
#[derive(Debug)]
pub enum Next {
    /// Nothing more: it ends here.
    Settle(Step),
    /// Send this request, and wait in this step for its answer.
    Send(Operation, Step),
    /// The server was busy: back in the queue, after a pause.
    Retry,
    /// The action's intent could not be written to the audit log: it ends here, and nothing
    /// more may be sent for the batch.
    Halt(Step),
}

/// What an answer brought: what to do next, and the token as the answer showed it, for
/// the results page.
#[derive(Debug)]
pub struct Advance {
    pub next: Next,
    pub token: Option<Document>,
    /// The token is gone (deleted).
    pub deleted: bool,
}

impl Advance {
    fn to(next: Next) -> Advance {
        Advance {
            next,
            token: None,
            deleted: false,
        }
    }
}

/// The answer `result` to the request `item` was waiting for in step `was`, in the batch
/// `batch` of `action`. Updates what the item knows of its token.
pub fn advance(
    action: Action,
    batch: &str,
    item: &mut BatchItem,
    was: &Step,
    result: Result<Reply, ApiError>,
) -> Advance {
    match was {
        Step::Reading => read(action, batch, item, result),
        Step::Sending => acted(action, item, result),
        Step::Checking => checked(action, item, result),
        // An answer for a token not waiting for one: nothing to act on.
        other => Advance::to(Next::Settle(other.clone())),
    }
}

fn read(
    action: Action,
    batch: &str,
    item: &mut BatchItem,
    result: Result<Reply, ApiError>,
) -> Advance {
    let token = match result {
        Ok(Reply::Token(token)) => token,
        Ok(_) => {
            return Advance::to(Next::Settle(Step::Failed(
                "Nothing sent: the read's answer was of the wrong kind.".into(),
            )));
        }
        Err(busy) if busy.is_busy() => return retry_or(item, busy, "Nothing sent"),
        Err(missing) if missing.is_not_found() => {
            return Advance::to(Next::Settle(Step::Refused(format!(
                "Nothing sent: {missing}"
            ))));
        }
        Err(failed) => {
            return Advance::to(Next::Settle(Step::Failed(format!(
                "Nothing sent: it could not be read. {failed}"
            ))));
        }
    };
    learn(item, &token);
    let state = item.summary.state.clone();
    let next = if action.resulting_state() == Some(state.clone()) {
        Next::Settle(Step::Skipped(format!("Already {state}; nothing sent.")))
    } else if action.refusal(&state).is_some() {
        // Its state allowed the action when the page was read: it changed since.
        Next::Settle(Step::Refused(format!(
            "Changed; needs {}. Not sent.",
            action.required_state()
        )))
    } else {
        match item.identifier() {
            Some(identifier) => Next::Send(
                Operation::Act {
                    action,
                    identifier,
                    fields: None,
                    token: Box::new(item.summary.clone()),
                    batch: Some(batch.to_owned()),
                },
                Step::Sending,
            ),
            None => Next::Settle(Step::Refused(
                "It has no authentication code to act on it by.".into(),
            )),
        }
    };
    Advance {
        next,
        token: Some(token),
        deleted: false,
    }
}

fn acted(action: Action, item: &mut BatchItem, result: Result<Reply, ApiError>) -> Advance {
    match result {
        Ok(Reply::Token(token)) => {
            let deleted = action == Action::Delete;
            if !deleted {
                learn(item, &token);
            }
            let sentence = format!("{}.", capitalised(action.past_tense()));
            Advance {
                next: Next::Settle(Step::Done(sentence)),
                token: (!deleted).then_some(token),
                deleted,
            }
        }
        Ok(_) => check(
            item,
            ApiError::UnexpectedData("an answer of the wrong kind".into()),
        ),
        Err(lost) if lost.outcome_unknown() => check(item, lost),
        Err(busy) if busy.is_busy() => retry_or(item, busy, "Not done"),
        Err(unaudited @ ApiError::NotAudited(_)) => Advance::to(Next::Halt(Step::Failed(format!(
            "Not sent: {unaudited} Nothing more of the batch is sent."
        )))),
        Err(refused @ ApiError::Server { .. }) => {
            Advance::to(Next::Settle(Step::Refused(refused.to_string())))
        }
        Err(failed) => Advance::to(Next::Settle(Step::Failed(format!(
            "Not {}: {failed}",
            action.past_tense()
        )))),
    }
}

/// The action's answer proved nothing: read the token to find out what happened.
fn check(item: &mut BatchItem, lost: ApiError) -> Advance {
    let Some(identifier) = item.identifier() else {
        return Advance::to(Next::Settle(Step::Unknown(lost.to_string())));
    };
    item.lost = Some(lost);
    Advance::to(Next::Send(
        Operation::Show {
            identifier,
            fields: None,
        },
        Step::Checking,
    ))
}

fn checked(action: Action, item: &mut BatchItem, result: Result<Reply, ApiError>) -> Advance {
    let lost = item.lost.take();
    let busy = lost.as_ref().is_some_and(ApiError::is_busy);
    let lost = lost.map_or_else(String::new, |lost| format!(" {lost}"));
    let past = action.past_tense();
    match result {
        Ok(Reply::Token(token)) => {
            learn(item, &token);
            let state = item.summary.state.clone();
            let next = if action.resulting_state() == Some(state.clone()) {
                Next::Settle(Step::Done(format!(
                    "{}; checked after a lost answer.{lost}",
                    capitalised(past)
                )))
            } else if busy && state == action.required_state() && item.busy_retries < BUSY_RETRIES {
                // A busy server did not take it, and it is still in the state the action
                // needs: sending it again cannot do it twice.
                item.busy_retries += 1;
                Next::Retry
            } else {
                Next::Settle(Step::Refused(format!(
                    "Not {past} (it is {state}); checked after a lost answer.{lost}"
                )))
            };
            Advance {
                next,
                token: Some(token),
                deleted: false,
            }
        }
        Err(gone) if action == Action::Delete && gone.is_not_found() => Advance {
            next: Next::Settle(Step::Done(format!(
                "Deleted; checked after a lost answer.{lost}"
            ))),
            token: None,
            deleted: true,
        },
        Err(unread) => Advance::to(Next::Settle(Step::Unknown(format!(
            "Not known whether it was {past}: the answer was lost and the re-read failed. {unread}{lost}"
        )))),
        Ok(_) => Advance::to(Next::Settle(Step::Unknown(format!(
            "Not known whether it was {past}: the answer was lost and the re-read's was of the wrong kind.{lost}"
        )))),
    }
}

/// A busy server: wait and send again, up to [`BUSY_RETRIES`] times, then give up.
fn retry_or(item: &mut BatchItem, busy: ApiError, consequence: &str) -> Advance {
    if item.busy_retries < BUSY_RETRIES {
        item.busy_retries += 1;
        return Advance::to(Next::Retry);
    }
    Advance::to(Next::Settle(Step::Failed(format!(
        "{consequence}: the server stayed busy. {busy}"
    ))))
}

/// What an answer shows of the token replaces what the item knew, except what it lacks.
fn learn(item: &mut BatchItem, token: &Document) {
    if !token.value.is_object() {
        return;
    }
    let fresh = TokenSummary::from_value(&token.value);
    let known = std::mem::take(&mut item.summary);
    item.summary = TokenSummary {
        number: fresh.number.clone().or(known.number),
        authentication_code: fresh
            .authentication_code
            .clone()
            .or(known.authentication_code),
        id: fresh.id.clone().or(known.id),
        ..fresh
    };
}
