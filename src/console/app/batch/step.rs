//! What one answer does to one token of a console batch, as a plain function: read first,
//! then the action only when the state read allows it; a lost answer is checked by a
//! re-read before anything is said; a busy server is waited out. This decides what reaches
//! the server, so it is kept apart from the state that applies it (`mod.rs`), and tested
//! answer by answer.

use crate::api::error::BUSY_RETRIES;
use crate::api::{Action, ApiError, Document, Operation, Reply, TokenSummary};
use crate::text::capitalised;

use super::run::{BatchItem, NO_CODE, Step};

/// How often a lost answer's re-read is tried again when it fails too.
const REREADS: u32 = 2;

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
            None => Next::Settle(Step::Refused(NO_CODE.into())),
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
        Err(lost) if lost.outcome_unknown() => match item.reread.take() {
            // The API task read it again for the audit log: that is the check.
            Some(Ok(token)) => {
                item.lost = Some(lost);
                checked(action, item, Ok(Reply::Token(token)))
            }
            _ => check(item, lost),
        },
        Err(busy) if busy.is_busy() => retry_or(item, busy, "Not done"),
        Err(unaudited @ ApiError::NotAudited(_)) => Advance::to(Next::Halt(Step::Failed(format!(
            "Not sent: {unaudited} Nothing more of the batch is sent."
        )))),
        Err(refused @ ApiError::Server { .. }) => match item.reread.take() {
            // The API task read it again after the refusal: the row shows it as it is now.
            Some(Ok(token)) => {
                let state = TokenSummary::from_value(&token.value).state;
                learn(item, &token);
                Advance {
                    next: Next::Settle(Step::Refused(format!("{refused} It is {state} now."))),
                    token: Some(token),
                    deleted: false,
                }
            }
            _ => Advance::to(Next::Settle(Step::Refused(refused.to_string()))),
        },
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
    // A re-read that failed on a flaky link is tried again before the row says "unknown".
    if let Err(unread) = &result
        && !(action == Action::Delete && unread.is_not_found())
        && item.rereads < REREADS
        && let Some(identifier) = item.identifier()
    {
        item.rereads += 1;
        return Advance::to(Next::Send(
            Operation::Show {
                identifier,
                fields: None,
            },
            Step::Checking,
        ));
    }
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

/// Each answer's decision on its own, where the batch's behaviour tests
/// (`tests/console_batch.rs`) would need a server failing in just that way at just that
/// step: what `cargo mutants` found them not to notice.
#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::api::AccessTokenIdentifier;
    use crate::console::app::batch::run::BatchPlan;

    /// One marked token, as the results page showed it.
    fn marked(action: Action, state: &str) -> BatchItem {
        let summary = TokenSummary::from_value(&json!({
            "id": "4f1c",
            "number": "AT0000000007",
            "authentication_code": "CODE7",
            "life_cycle_state": state,
        }));
        let mut items = BatchPlan::new(action, [summary]).items;
        assert_eq!(items[0].step, Step::Queued, "a token the batch acts on");
        items.remove(0)
    }

    /// An answer that shows only the token's state.
    fn token_in(state: &str) -> Result<Reply, ApiError> {
        Ok(Reply::Token(Document::from(
            json!({ "life_cycle_state": state }),
        )))
    }

    fn not_found() -> ApiError {
        ApiError::server("NOT_FOUND", "No such token.")
    }

    fn unreachable() -> ApiError {
        ApiError::Connect {
            host: "crm.example".into(),
            detail: "connection refused".into(),
        }
    }

    fn status(status: u16) -> ApiError {
        ApiError::HttpStatus {
            status,
            snippet: String::new(),
        }
    }

    fn timed_out() -> ApiError {
        ApiError::TimedOut {
            after: Duration::from_secs(30),
        }
    }

    /// The action sent for `item` was answered with `lost`: the token is read again.
    fn lost(action: Action, item: &mut BatchItem, lost: ApiError) {
        let advance = advance(action, "b1", item, &Step::Sending, Err(lost));
        assert!(
            matches!(
                advance.next,
                Next::Send(Operation::Show { .. }, Step::Checking)
            ),
            "{advance:?}"
        );
    }

    /// Every re-read of `item`'s lost answer fails with `error`: the re-reads tried again
    /// are reads, never the action, until the token settles.
    fn reread_until_settled(
        action: Action,
        item: &mut BatchItem,
        error: fn() -> ApiError,
    ) -> Advance {
        for _ in 0..REREADS {
            let again = advance(action, "b1", item, &Step::Checking, Err(error()));
            assert!(
                matches!(
                    again.next,
                    Next::Send(Operation::Show { .. }, Step::Checking)
                ),
                "{again:?}"
            );
        }
        advance(action, "b1", item, &Step::Checking, Err(error()))
    }

    #[test]
    fn a_read_that_finds_no_token_is_refused_and_one_that_fails_is_failed_neither_sent_again() {
        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        let gone = advance(
            Action::Deactivate,
            "b1",
            &mut item,
            &Step::Reading,
            Err(not_found()),
        );
        assert!(
            matches!(&gone.next, Next::Settle(Step::Refused(s)) if s.starts_with("Nothing sent: ")),
            "{gone:?}"
        );

        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        let failed = advance(
            Action::Deactivate,
            "b1",
            &mut item,
            &Step::Reading,
            Err(unreachable()),
        );
        assert!(
            matches!(&failed.next, Next::Settle(Step::Failed(s))
                if s.starts_with("Nothing sent: it could not be read.")),
            "{failed:?}"
        );
        assert_eq!(item.busy_retries, 0);
    }

    #[test]
    fn a_busy_server_is_waited_out_five_times_then_the_token_is_given_up() {
        for (was, consequence) in [(Step::Reading, "Nothing sent"), (Step::Sending, "Not done")] {
            let mut item = marked(Action::Deactivate, "EFFECTIVE");
            for retry in 1..=BUSY_RETRIES {
                let advance = advance(Action::Deactivate, "b1", &mut item, &was, Err(status(429)));
                assert!(matches!(advance.next, Next::Retry), "{was:?} {advance:?}");
                assert_eq!(item.busy_retries, retry, "{was:?}");
            }
            let given_up = advance(Action::Deactivate, "b1", &mut item, &was, Err(status(429)));
            assert!(
                matches!(&given_up.next, Next::Settle(Step::Failed(s))
                    if s.starts_with(&format!("{consequence}: the server stayed busy."))),
                "{was:?} {given_up:?}"
            );
        }
    }

    #[test]
    fn a_lost_delete_is_done_only_when_the_re_read_finds_no_token() {
        let mut item = marked(Action::Delete, "NOT_EFFECTIVE");
        lost(Action::Delete, &mut item, timed_out());
        let gone = advance(
            Action::Delete,
            "b1",
            &mut item,
            &Step::Checking,
            Err(not_found()),
        );
        assert!(
            matches!(&gone.next, Next::Settle(Step::Done(s))
                if s.starts_with("Deleted; checked after a lost answer.")),
            "{gone:?}"
        );
        assert!(gone.deleted && gone.token.is_none());

        // A re-read that fails otherwise proves nothing: tried again, then unknown.
        let mut item = marked(Action::Delete, "NOT_EFFECTIVE");
        lost(Action::Delete, &mut item, timed_out());
        let unread = reread_until_settled(Action::Delete, &mut item, unreachable);
        assert!(
            matches!(&unread.next, Next::Settle(Step::Unknown(s)) if s.contains("the re-read failed")),
            "{unread:?}"
        );
        assert!(!unread.deleted);

        // A token gone after a lost deactivation was not deactivated by it.
        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        lost(Action::Deactivate, &mut item, timed_out());
        let vanished = reread_until_settled(Action::Deactivate, &mut item, not_found);
        assert!(
            matches!(&vanished.next, Next::Settle(Step::Unknown(_))),
            "{vanished:?}"
        );
        assert!(!vanished.deleted);
    }

    #[test]
    fn a_busy_lost_answer_is_sent_again_only_while_the_token_still_needs_it() {
        let refused = |advance: &Advance| {
            matches!(&advance.next, Next::Settle(Step::Refused(s))
                if s.starts_with("Not deactivated (it is "))
        };

        // A 503 may or may not have been acted on; the re-read shows it was not.
        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        lost(Action::Deactivate, &mut item, status(503));
        let again = advance(
            Action::Deactivate,
            "b1",
            &mut item,
            &Step::Checking,
            token_in("EFFECTIVE"),
        );
        assert!(matches!(again.next, Next::Retry), "{again:?}");
        assert_eq!(item.busy_retries, 1);

        // Waited out five times already: given up.
        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        item.busy_retries = BUSY_RETRIES;
        lost(Action::Deactivate, &mut item, status(503));
        let given_up = advance(
            Action::Deactivate,
            "b1",
            &mut item,
            &Step::Checking,
            token_in("EFFECTIVE"),
        );
        assert!(refused(&given_up), "{given_up:?}");
        assert_eq!(item.busy_retries, BUSY_RETRIES);

        // Now in a state the action is not taken from: not sent again.
        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        lost(Action::Deactivate, &mut item, status(503));
        let changed = advance(
            Action::Deactivate,
            "b1",
            &mut item,
            &Step::Checking,
            token_in("PENDING_VERIFICATION"),
        );
        assert!(refused(&changed), "{changed:?}");
        assert_eq!(item.busy_retries, 0);
    }

    #[test]
    fn what_a_read_does_not_show_is_kept_from_the_page_for_the_action_and_its_audit() {
        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        let read = advance(
            Action::Deactivate,
            "b1",
            &mut item,
            &Step::Reading,
            token_in("EFFECTIVE"),
        );
        let Next::Send(
            Operation::Act {
                identifier, token, ..
            },
            Step::Sending,
        ) = read.next
        else {
            panic!("the action is sent: {read:?}");
        };
        assert!(identifier == AccessTokenIdentifier::AuthenticationCode("CODE7".into()));
        assert_eq!(token.number.as_deref(), Some("AT0000000007"));
        assert_eq!(token.id.as_deref(), Some("4f1c"));
        assert_eq!(token.authentication_code.as_deref(), Some("CODE7"));
    }

    #[test]
    fn the_api_tasks_re_read_of_a_lost_answer_is_the_check_and_a_failed_one_is_not() {
        // The task read it again for the audit log and found it done: no second read.
        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        item.reread = Some(Ok(Document::from(
            json!({ "life_cycle_state": "NOT_EFFECTIVE" }),
        )));
        let checked = advance(
            Action::Deactivate,
            "b1",
            &mut item,
            &Step::Sending,
            Err(timed_out()),
        );
        assert!(
            matches!(&checked.next, Next::Settle(Step::Done(s))
                if s.starts_with("Deactivated; checked after a lost answer.")),
            "{checked:?}"
        );
        assert!(item.reread.is_none());
        // Its re-read failed: the console reads it itself.
        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        item.reread = Some(Err(unreachable()));
        lost(Action::Deactivate, &mut item, timed_out());
    }

    #[test]
    fn a_refusal_however_worded_settles_with_the_state_the_api_task_read_after_it() {
        let refused = || {
            ApiError::server(
                "ERROR",
                "Only Effective access tokens can be set as Not Effective",
            )
        };
        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        item.reread = Some(Ok(Document::from(
            json!({ "number": "AT0000000007", "life_cycle_state": "NOT_EFFECTIVE" }),
        )));
        let settled = advance(
            Action::Deactivate,
            "b1",
            &mut item,
            &Step::Sending,
            Err(refused()),
        );
        assert!(
            matches!(&settled.next, Next::Settle(Step::Refused(s))
                if s.ends_with("(ERROR) It is NOT_EFFECTIVE now.")),
            "{settled:?}"
        );
        assert!(settled.token.is_some(), "the row follows the token");
        // Without the re-read, the server's words alone.
        let mut item = marked(Action::Deactivate, "EFFECTIVE");
        let settled = advance(
            Action::Deactivate,
            "b1",
            &mut item,
            &Step::Sending,
            Err(refused()),
        );
        assert!(
            matches!(&settled.next, Next::Settle(Step::Refused(s)) if s.ends_with("(ERROR)")),
            "{settled:?}"
        );
    }
}
