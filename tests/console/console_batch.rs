//! Acting on marked tokens in the console, driven through `App::update` as the event loop
//! would, with the test playing the server: the batch's confirmation counts what will
//! change and what is left out, each token is read before its action, at most four are in
//! flight, each row shows its own step, Esc stops new requests while those in flight are
//! reconciled, and a summary ends it. Snapshots at 80x24 show the modal and the rows.

use crate::support;

use std::collections::HashMap;

use serde_json::Value;
use support::{Harness, KeyCode, demo_tokens, labelled, secs, tokens_reply, with_state};
use tokendesk::api::request::RequestId;
use tokendesk::api::{AccessTokenIdentifier, Action, ApiError, Operation, Reply, TokenSummary};
use tokendesk::console::app::batch::run::BATCH_IN_FLIGHT;
use tokendesk::console::app::{Modal, Screen, Tone};

/// A results page of demo tokens in these states, in this order.
fn page_in(states: &[&str]) -> Vec<Value> {
    demo_tokens()
        .into_iter()
        .filter(|t| t["authentication_code"].is_string() && t["number"].is_string())
        .zip(states)
        .map(|(token, state)| with_state(token, state))
        .collect()
}

/// The test's server: the tokens by code, changed by the actions it is sent.
struct Crm {
    tokens: HashMap<String, Value>,
    /// Actions it was sent, by token number.
    acted: Vec<(Action, String)>,
}

impl Crm {
    fn new(page: &[Value]) -> Crm {
        Crm {
            tokens: page
                .iter()
                .map(|t| {
                    (
                        t["authentication_code"].as_str().unwrap().to_owned(),
                        t.clone(),
                    )
                })
                .collect(),
            acted: Vec::new(),
        }
    }

    fn answer(&mut self, operation: &Operation) -> Result<Reply, ApiError> {
        let code = |identifier: &AccessTokenIdentifier| match identifier {
            AccessTokenIdentifier::AuthenticationCode(code) => code.clone(),
            other => panic!("the batch finds tokens by code, not {other:?}"),
        };
        match operation {
            Operation::Show { identifier, .. } => self
                .tokens
                .get(&code(identifier))
                .map(|t| support::token_reply(t.clone()))
                .ok_or_else(|| ApiError::server("NOT_FOUND", "No such token.")),
            Operation::Act {
                action, identifier, ..
            } => {
                let code = code(identifier);
                let token = self.tokens.get_mut(&code).expect("acted on a known token");
                let number = token["number"].as_str().unwrap().to_owned();
                self.acted.push((*action, number));
                let state = TokenSummary::from_value(token).state;
                if action.refusal(&state).is_some() {
                    return Err(ApiError::server("INVALID_LIFE_CYCLE_STATE", "Not allowed."));
                }
                match action.resulting_state() {
                    Some(next) => {
                        token["life_cycle_state"] = Value::from(next.to_string());
                        Ok(support::token_reply(token.clone()))
                    }
                    None => Ok(support::token_reply(self.tokens.remove(&code).unwrap())),
                }
            }
            other => panic!("a batch sends no {other:?}"),
        }
    }
}

fn on_page(states: &[&str]) -> (Harness, Crm) {
    let page = page_in(states);
    assert_eq!(page.len(), states.len(), "enough demo tokens");
    let crm = Crm::new(&page);
    let mut h = Harness::new(80, 24);
    h.search("acr:ACR1");
    h.answer(Ok(tokens_reply(page)));
    assert_eq!(h.app.screen, Screen::Results);
    (h, crm)
}

/// The batch's requests in flight, oldest first.
fn batch_requests(h: &Harness) -> Vec<(RequestId, Operation)> {
    let Some(run) = &h.app.batch else {
        return Vec::new();
    };
    let ids: Vec<RequestId> = run.requests().collect();
    h.requests
        .iter()
        .filter(|(id, _)| ids.contains(id))
        .cloned()
        .collect()
}

/// Answers every request of the batch, and those they lead to, until none is in flight.
fn serve(h: &mut Harness, crm: &mut Crm) {
    loop {
        let requests = batch_requests(h);
        if requests.is_empty() {
            return;
        }
        for (id, operation) in requests {
            let answer = crm.answer(&operation);
            h.answer_to(id, answer);
        }
    }
}

fn steps(h: &Harness) -> Vec<&'static str> {
    h.app
        .batch
        .as_ref()
        .expect("a batch")
        .items
        .iter()
        .map(|i| i.step.word())
        .collect()
}

/// Marks the whole page, presses `d`, and answers `y` once the question takes keys.
fn deactivate_the_page(h: &mut Harness) {
    h.key('*').key('d');
    read_the_question(h);
    h.key('y');
}

/// Plays the server for the batch's requests in flight now, and only those.
fn answer_each(h: &mut Harness, crm: &mut Crm, requests: &[(RequestId, Operation)]) {
    for (id, operation) in requests {
        let answer = crm.answer(operation);
        h.answer_to(*id, answer);
    }
}

/// Waits out the confirmation's typed-ahead guard.
fn read_the_question(h: &mut Harness) {
    h.tick(secs(1.0));
}

#[test]
fn the_confirmation_counts_what_changes_and_what_is_left_out_and_why() {
    let (mut h, _) = on_page(&[
        "EFFECTIVE",
        "NOT_EFFECTIVE",
        "EFFECTIVE",
        "PENDING_VERIFICATION",
        "EFFECTIVE",
    ]);
    h.key('*');
    h.take();
    h.key('d');
    let Some(Modal::Batch(confirm)) = &h.app.modal else {
        panic!("d with marks asks about the batch: {:?}", h.app.modal);
    };
    assert_eq!(confirm.plan.to_change(), 3);
    let reasons: Vec<String> = confirm
        .plan
        .left_out
        .iter()
        .map(|(why, count)| format!("{count} {}", why.reason(Action::Deactivate)))
        .collect();
    assert_eq!(
        reasons,
        [
            "1 already NOT_EFFECTIVE",
            "1 PENDING_VERIFICATION: needs EFFECTIVE"
        ]
    );
    assert!(h.take().is_empty(), "asking sends nothing");
    read_the_question(&mut h);
    insta::assert_snapshot!("batch_confirm_deactivate_80x24", h.render());
    h.press(KeyCode::Esc);
    assert!(h.app.modal.is_none());
    assert_eq!(h.notice(), "Nothing was deactivated; the marks stay.");
    assert_eq!(h.results().marked.len(), 5);
    assert!(h.app.batch.is_none());
}

#[test]
fn a_y_typed_ahead_of_the_question_does_not_answer_it() {
    let (mut h, _) = on_page(&["EFFECTIVE", "EFFECTIVE"]);
    h.key('*');
    h.take();
    h.together("dy");
    assert!(matches!(h.app.modal, Some(Modal::Batch(_))));
    assert!(h.take().is_empty());
    h.key('y');
    assert!(
        h.app.batch.is_some(),
        "y read after the question answers it"
    );
}

#[test]
fn the_batch_reads_each_token_then_acts_four_at_a_time_and_ends_with_a_summary() {
    let states = ["EFFECTIVE"; 6];
    let (mut h, mut crm) = on_page(&states);
    h.key('*');
    h.key('d');
    read_the_question(&mut h);
    h.take();
    h.key('y');
    // The first four are read; nothing is acted on before it is read.
    let sent = batch_requests(&h);
    assert_eq!(sent.len(), BATCH_IN_FLIGHT);
    assert!(
        sent.iter()
            .all(|(_, op)| matches!(op, Operation::Show { .. })),
        "{sent:?}"
    );
    assert_eq!(
        steps(&h),
        [
            "reading", "reading", "reading", "reading", "queued", "queued"
        ]
    );
    insta::assert_snapshot!("batch_running_80x24", h.render());
    // One read answered: its action goes out, named for the audit log with the batch.
    let (first, read) = sent[0].clone();
    let answer = crm.answer(&read);
    h.answer_to(first, answer);
    let (_, act) = h.last_request();
    let Operation::Act {
        action,
        token,
        batch,
        ..
    } = act
    else {
        panic!("the action follows the read: {act:?}");
    };
    assert_eq!(action, Action::Deactivate);
    assert!(token.number.is_some(), "the audit log names it by number");
    let id = h.app.batch.as_ref().unwrap().id.clone();
    assert_eq!(batch.as_deref(), Some(id.as_str()));
    assert!(id.starts_with("console-"), "{id}");
    assert_eq!(steps(&h)[0], "sending");
    assert!(
        h.app
            .status_line()
            .unwrap()
            .text
            .starts_with("Deactivating 6 tokens: 0/6 handled"),
        "{:?}",
        h.app.status_line()
    );
    serve(&mut h, &mut crm);
    assert_eq!(steps(&h), ["done"; 6]);
    assert_eq!(crm.acted.len(), 6, "each token acted on once");
    assert_eq!(h.app.notice.as_ref().unwrap().tone, Tone::Success);
    assert!(
        h.notice()
            .starts_with("Deactivated 6 of 6 tokens. Esc goes back"),
        "{}",
        h.notice()
    );
    assert!(h.results().marked.is_empty(), "done tokens are unmarked");
    // The page shows what the batch did, once Esc goes back to it.
    h.press(KeyCode::Esc);
    assert!(h.app.batch.is_none());
    assert!(
        h.results()
            .rows
            .iter()
            .all(|r| r.summary.state.to_string() == "NOT_EFFECTIVE")
    );
}

/// With the mouse on, a click selects a batch's row and a double click says it whole, as
/// Enter does; the results under the batch are not touched.
#[test]
fn a_click_selects_a_batch_row_and_a_double_click_says_it_whole() {
    use tokendesk::console::app::mouse::{Mouse, MouseKind::Click};
    let click = |row| {
        tokendesk::console::app::Msg::Mouse(Mouse {
            kind: Click,
            column: 5,
            row,
        })
    };
    let states = ["EFFECTIVE"; 6];
    let (mut h, mut crm) = on_page(&states);
    deactivate_the_page(&mut h);
    serve(&mut h, &mut crm);
    h.app.mouse = true;
    let selected = |h: &Harness| h.app.batch.as_ref().expect("a batch").selected;
    let results_selected = h.results().selected;
    // Row 0 is the search line, 1 the table's titles: row 4 is the third token.
    h.send(click(4));
    assert_eq!(selected(&h), 2);
    assert_eq!(
        h.results().selected,
        results_selected,
        "the results untouched"
    );
    // Below the last row (the sixth token is on row 7), nothing.
    h.send(click(8));
    h.send(click(10));
    assert_eq!(selected(&h), 2);
    h.tick(secs(1.0));
    h.send(click(5));
    h.tick(secs(0.2));
    h.send(click(5));
    assert_eq!(selected(&h), 3);
    let said = h.notice();
    assert!(said.contains("Deactivated."), "{said}");
}

#[test]
fn a_token_changed_since_the_page_was_read_is_left_alone() {
    let (mut h, mut crm) = on_page(&["EFFECTIVE", "EFFECTIVE", "EFFECTIVE"]);
    // Another clerk deactivates the second and makes the third pending.
    let codes: Vec<String> = crm.tokens.keys().cloned().collect();
    let page_codes: Vec<String> = h
        .results()
        .rows
        .iter()
        .map(|r| r.summary.authentication_code.clone().unwrap())
        .collect();
    assert_eq!(codes.len(), 3);
    crm.tokens.get_mut(&page_codes[1]).unwrap()["life_cycle_state"] = "NOT_EFFECTIVE".into();
    crm.tokens.get_mut(&page_codes[2]).unwrap()["life_cycle_state"] = "PENDING_VERIFICATION".into();
    deactivate_the_page(&mut h);
    serve(&mut h, &mut crm);
    assert_eq!(steps(&h), ["done", "left out", "left out"]);
    assert_eq!(
        crm.acted.len(),
        1,
        "only the token still EFFECTIVE is sent the action"
    );
    let run = h.app.batch.as_ref().unwrap();
    assert_eq!(
        run.items[2].step.sentence(),
        "Only EFFECTIVE tokens can be deactivated; this one is PENDING_VERIFICATION. Nothing sent."
    );
    assert_eq!(h.app.notice.as_ref().unwrap().tone, Tone::Warning);
    assert!(
        h.notice().starts_with("Deactivated 1 of 3 tokens: 2 left out (1 already NOT_EFFECTIVE, 1 PENDING_VERIFICATION: needs EFFECTIVE).")
            && !h.notice().contains("refused")
            && h.notice().contains(" 1 still marked."),
        "{}",
        h.notice()
    );
    assert_eq!(h.results().marked.len(), 1);
    insta::assert_snapshot!("batch_finished_80x24", h.render());
    // Enter says a row's whole sentence; moving on brings the summary back.
    let summary = h.notice();
    h.press(KeyCode::End).press(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "AT0000000709: Left out. Only EFFECTIVE tokens can be deactivated; this one is PENDING_VERIFICATION. Nothing sent."
    );
    h.press(KeyCode::Up);
    assert_eq!(h.app.status_line().unwrap().text, summary);
}

#[test]
fn esc_stops_new_requests_and_reconciles_those_in_flight() {
    let (mut h, mut crm) = on_page(&["EFFECTIVE"; 7]);
    deactivate_the_page(&mut h);
    let reads = batch_requests(&h);
    assert_eq!(reads.len(), 4);
    // The first token's action is in flight when Esc comes.
    let answer = crm.answer(&reads[0].1);
    h.answer_to(reads[0].0, answer);
    let sent_before = h.request_count();
    h.press(KeyCode::Esc);
    assert_eq!(h.request_count(), sent_before, "Esc sends nothing new");
    assert!(h.cancelled.is_empty(), "those in flight are not abandoned");
    assert_eq!(
        steps(&h),
        [
            "sending", "reading", "reading", "reading", "left out", "left out", "left out"
        ]
    );
    assert!(
        h.app
            .status_line()
            .unwrap()
            .text
            .starts_with("Stopping: 4 already sent"),
        "{:?}",
        h.app.status_line()
    );
    insta::assert_snapshot!("batch_stopping_80x24", h.render());
    serve(&mut h, &mut crm);
    // The action in flight finished; the reads in flight led to no action.
    assert_eq!(
        steps(&h),
        [
            "done", "left out", "left out", "left out", "left out", "left out", "left out"
        ]
    );
    assert_eq!(crm.acted.len(), 1);
    assert!(
        h.notice().starts_with(
            "Deactivated 1 of 7 tokens: 6 left out (6 stopped before they were sent)."
        ),
        "{}",
        h.notice()
    );
    assert_eq!(
        h.app.notice.as_ref().unwrap().tone,
        Tone::Warning,
        "tokens not sent"
    );
    assert_eq!(
        h.results().marked.len(),
        6,
        "the tokens not done stay marked"
    );
}

#[test]
fn a_lost_answer_is_checked_by_a_read_before_the_row_says_anything() {
    let (mut h, mut crm) = on_page(&["EFFECTIVE", "EFFECTIVE"]);
    deactivate_the_page(&mut h);
    let reads = batch_requests(&h);
    answer_each(&mut h, &mut crm, &reads);
    let acts = batch_requests(&h);
    assert_eq!(acts.len(), 2);
    // The first action reaches the server, but its answer is lost; the second never
    // arrives either, and the server did not act on it.
    let done = crm.answer(&acts[0].1);
    assert!(done.is_ok());
    let timed_out = || ApiError::TimedOut {
        after: std::time::Duration::from_secs(30),
    };
    h.answer_to(acts[0].0, Err(timed_out()));
    h.answer_to(acts[1].0, Err(timed_out()));
    assert_eq!(steps(&h), ["checking", "checking"]);
    assert!(
        batch_requests(&h)
            .iter()
            .all(|(_, op)| matches!(op, Operation::Show { .. })),
        "the lost answers are checked by reading, never by acting again"
    );
    serve(&mut h, &mut crm);
    assert_eq!(steps(&h), ["done", "refused"]);
    let run = h.app.batch.as_ref().unwrap();
    let said = run.items[0].step.sentence();
    assert!(
        said.starts_with("Deactivated. Checked after a lost answer:"),
        "{said}"
    );
    let said = run.items[1].step.sentence();
    assert!(
        said.starts_with("Not deactivated; it is EFFECTIVE. Checked after a lost answer:"),
        "{said}"
    );
    assert_eq!(crm.acted.len(), 1, "no action was sent twice");
}

#[test]
fn a_busy_server_pauses_the_batch_and_the_token_is_read_again_after_it() {
    let (mut h, mut crm) = on_page(&["EFFECTIVE"; 5]);
    deactivate_the_page(&mut h);
    let reads = batch_requests(&h);
    let busy = ApiError::http_status(429, b"Too Many Requests");
    h.answer_to(reads[0].0, Err(busy));
    assert_eq!(steps(&h)[0], "queued");
    let sent = h.request_count();
    h.tick(secs(0.1));
    assert_eq!(h.request_count(), sent, "nothing goes out during the pause");
    h.tick(secs(0.3));
    assert_eq!(
        h.request_count(),
        sent + 1,
        "the token is read again after it"
    );
    serve(&mut h, &mut crm);
    assert_eq!(steps(&h), ["done"; 5]);
    assert_eq!(crm.acted.len(), 5);
}

#[test]
fn a_batch_delete_wants_the_count_typed() {
    let (mut h, mut crm) = on_page(&["NOT_EFFECTIVE", "NOT_EFFECTIVE", "EFFECTIVE"]);
    h.key('*').key('X');
    read_the_question(&mut h);
    insta::assert_snapshot!("batch_confirm_delete_80x24", h.render());
    h.key('y').press(KeyCode::Enter);
    assert!(h.app.batch.is_none(), "y is not the count");
    let Some(Modal::Batch(confirm)) = &h.app.modal else {
        panic!("still asking");
    };
    assert_eq!(
        confirm.question.mistake.as_deref(),
        Some("That is not 2; type it exactly, or Esc to cancel.")
    );
    h.ctrl('u').key('3').press(KeyCode::Enter);
    assert!(h.app.batch.is_none(), "3 marked, but 2 would be deleted");
    h.ctrl('u').key('2').press(KeyCode::Enter);
    assert!(h.app.batch.is_some());
    serve(&mut h, &mut crm);
    assert_eq!(steps(&h), ["done", "done", "left out"]);
    assert_eq!(crm.acted.len(), 2);
    assert!(h.app.batch.as_ref().unwrap().items[0].deleted());
    h.press(KeyCode::Esc);
    let deleted = h.results().rows.iter().filter(|r| r.deleted).count();
    assert_eq!(deleted, 2, "the page shows them deleted");
}

#[test]
fn quitting_mid_batch_asks_and_then_gives_up_what_is_in_flight() {
    let (mut h, _) = on_page(&["EFFECTIVE"; 5]);
    deactivate_the_page(&mut h);
    let in_flight: Vec<RequestId> = batch_requests(&h).iter().map(|(id, _)| *id).collect();
    h.key('q');
    assert!(matches!(h.app.modal, Some(Modal::QuitWhileBusy(_))));
    assert!(!h.quit);
    read_the_question(&mut h);
    assert!(
        h.render().contains("A batch of 5 tokens is running"),
        "{}",
        h.render()
    );
    h.key('y');
    assert!(h.quit);
    assert_eq!(h.cancelled, in_flight);
}

#[test]
fn while_a_batch_runs_nothing_else_is_sent_or_searched() {
    let (mut h, _) = on_page(&["EFFECTIVE"; 3]);
    deactivate_the_page(&mut h);
    h.take();
    h.assert_inert(|h| {
        h.key('/');
        h.press(KeyCode::PageDown);
        h.key('d');
        h.send(tokendesk::console::app::Msg::Paste("99021047380".into()));
    });
    assert!(!h.app.search.focused);
    assert_eq!(h.notice(), "Not while the batch runs.");
    let status = h.app.status_line().unwrap().text;
    assert!(
        status.ends_with("Esc stops sending. Not while the batch runs."),
        "said after the progress: {status}"
    );
    // Moving through the rows still works.
    h.press(KeyCode::Down);
    assert_eq!(h.app.batch.as_ref().unwrap().selected, 1);
}

#[test]
fn an_action_the_audit_log_cannot_record_halts_the_batch() {
    let (mut h, mut crm) = on_page(&["EFFECTIVE"; 6]);
    deactivate_the_page(&mut h);
    let reads = batch_requests(&h);
    let answer = crm.answer(&reads[0].1);
    h.answer_to(reads[0].0, answer);
    let (act, _) = h.last_request();
    h.answer_to(
        act,
        Err(ApiError::NotAudited("The audit log is full.".into())),
    );
    assert_eq!(steps(&h)[0], "failed");
    assert_eq!(&steps(&h)[4..], ["failed", "failed"]);
    serve(&mut h, &mut crm);
    assert!(crm.acted.is_empty(), "nothing reached the server");
    assert_eq!(h.app.notice.as_ref().unwrap().tone, Tone::Error);
    assert!(
        h.notice()
            .contains("Nothing more was sent: The audit log is full."),
        "{}",
        h.notice()
    );
}

#[test]
fn without_marks_or_with_nothing_to_change_no_question_is_asked() {
    let (mut h, _) = on_page(&["NOT_EFFECTIVE", "PENDING_VERIFICATION"]);
    h.take();
    h.assert_inert(|h| {
        h.key('d');
    });
    assert!(h.app.modal.is_none());
    assert_eq!(
        h.notice(),
        "No tokens are marked: Space marks the selected one, Enter opens it to deactivate it alone."
    );
    h.key('*');
    h.assert_inert(|h| {
        h.key('d');
    });
    assert!(h.app.modal.is_none());
    assert_eq!(
        h.notice(),
        "None of the 2 marked tokens can be deactivated: 1 already NOT_EFFECTIVE, 1 PENDING_VERIFICATION: needs EFFECTIVE. Nothing was sent."
    );
}

#[test]
fn a_read_only_console_asks_nothing() {
    let mut h = Harness::with_environment(labelled("PROD", true), 80, 24);
    h.search("acr:ACR1");
    h.answer(Ok(tokens_reply(page_in(&["EFFECTIVE", "EFFECTIVE"]))));
    h.key('*');
    h.take();
    h.assert_inert(|h| {
        h.key('d');
    });
    assert!(h.app.modal.is_none());
    assert!(h.notice().starts_with("Read-only"), "{}", h.notice());
}

#[test]
fn a_marked_row_read_again_counts_with_its_fresh_state() {
    let page = tokendesk::console::app::layout::results_rows(80, 24, 1);
    let states = vec!["EFFECTIVE"; page + 1];
    let tokens = page_in(&states);
    let (mut h, _) = on_page(&states[..page]);
    h.key(' ');
    h.press(KeyCode::PageDown);
    h.answer(Ok(tokens_reply(tokens[page..].to_vec())));
    // Back to the first page, read again: its first token is NOT_EFFECTIVE now.
    h.press(KeyCode::PageUp);
    let mut fresh = tokens[..page].to_vec();
    fresh[0] = with_state(fresh[0].clone(), "NOT_EFFECTIVE");
    h.answer(Ok(tokens_reply(fresh)));
    assert_eq!(h.results().marked.len(), 1);
    h.key('d');
    assert!(h.app.modal.is_none());
    assert_eq!(
        h.notice(),
        "The marked token cannot be deactivated: already NOT_EFFECTIVE. Nothing was sent."
    );
}

/// A server that words things its own way: a generic `ERROR` refusal with a sentence, an
/// HTML 502 from a proxy, a 503 while it is busy. The rows say what happened in words a
/// clerk reads, and nothing is sent twice.
#[test]
fn a_server_that_words_its_errors_differently() {
    let (mut h, mut crm) = on_page(&["EFFECTIVE"; 4]);
    deactivate_the_page(&mut h);
    let reads = batch_requests(&h);
    // The first read meets a proxy's HTML page: nothing is sent for that token.
    h.answer_to(
        reads[0].0,
        Err(ApiError::http_status(
            502,
            b"<html><title>502 Bad Gateway</title></html>",
        )),
    );
    answer_each(&mut h, &mut crm, &reads[1..]);
    let acts = batch_requests(&h);
    assert_eq!(acts.len(), 3);
    // A generic refusal, a busy server, and an answer that shows it done.
    h.answer_to(
        acts[0].0,
        Err(ApiError::server(
            "ERROR",
            "The token is locked by another process.",
        )),
    );
    h.answer_to(acts[1].0, Err(ApiError::http_status(503, b"busy")));
    let answer = crm.answer(&acts[2].1);
    h.answer_to(acts[2].0, answer);
    // The 503 is checked by a read (its outcome is not known), finds the token undone
    // and, the server having been busy, sends it again after the pause.
    serve(&mut h, &mut crm);
    h.tick(secs(1.0));
    serve(&mut h, &mut crm);
    assert_eq!(steps(&h), ["failed", "refused", "done", "done"]);
    let run = h.app.batch.as_ref().unwrap();
    let said = run.items[0].step.sentence();
    assert!(
        said.starts_with("Nothing sent: it could not be read."),
        "{said}"
    );
    let said = run.items[1].step.sentence();
    assert!(
        said.contains("The token is locked by another process."),
        "{said}"
    );
    assert_eq!(
        h.app.notice.as_ref().unwrap().tone,
        Tone::Warning,
        "one failed"
    );
    // The server acted on the last token, and on the busy one once it was not busy.
    assert_eq!(crm.acted.len(), 2);
}

/// A lost answer's re-read that fails on a flaky link is tried twice more; only when every
/// read fails does the row say unknown, and the token stays marked to be tried again.
#[test]
fn a_failing_re_read_is_tried_again_before_the_row_says_unknown() {
    let (mut h, mut crm) = on_page(&["EFFECTIVE", "EFFECTIVE"]);
    deactivate_the_page(&mut h);
    let reads = batch_requests(&h);
    answer_each(&mut h, &mut crm, &reads);
    let lost = || ApiError::Disconnected {
        detail: "connection reset".into(),
    };
    for (id, act) in batch_requests(&h) {
        let _ = crm.answer(&act);
        h.answer_to(id, Err(lost()));
    }
    // The first token's re-read fails twice, then reads it; the second's fails every time.
    for round in 0..3 {
        let rereads = batch_requests(&h);
        assert_eq!(rereads.len(), 2, "round {round}");
        assert!(
            rereads
                .iter()
                .all(|(_, op)| matches!(op, Operation::Show { .. })),
            "{rereads:?}"
        );
        let (first, read) = &rereads[0];
        if round == 2 {
            let answer = crm.answer(read);
            h.answer_to(*first, answer);
        } else {
            h.answer_to(*first, Err(lost()));
        }
        h.answer_to(rereads[1].0, Err(lost()));
    }
    assert_eq!(steps(&h), ["done", "unknown"]);
    let run = h.app.batch.as_ref().unwrap();
    let said = run.items[1].step.sentence();
    assert!(
        said.starts_with("Not known whether it was deactivated"),
        "{said}"
    );
    assert_eq!(h.app.notice.as_ref().unwrap().tone, Tone::Error);
    assert_eq!(h.results().marked.len(), 1, "the unknown one stays marked");
    assert_eq!(crm.acted.len(), 2, "no action was sent again");
}

/// `c` on a batch's rows copies the code of the row highlighted there, not of the page's
/// row behind them.
#[test]
fn c_on_a_batchs_rows_copies_the_highlighted_rows_code() {
    let (mut h, mut crm) = on_page(&["EFFECTIVE"; 3]);
    deactivate_the_page(&mut h);
    serve(&mut h, &mut crm);
    h.press(KeyCode::End);
    h.take();
    h.key('c');
    let copied: Vec<String> = h
        .take()
        .into_iter()
        .filter_map(|effect| match effect {
            tokendesk::console::app::Effect::Copy { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    let run = h.app.batch.as_ref().unwrap();
    let highlighted = run.items[2].summary().authentication_code.clone().unwrap();
    assert_eq!(h.results().selected, 0, "the page's own row is the first");
    assert_eq!(copied, [highlighted]);
}

/// Two batches of one console are told apart in the audit log; Home and End move through
/// a batch's rows.
#[test]
fn each_batch_has_its_own_id_and_home_and_end_move_through_its_rows() {
    let (mut h, mut crm) = on_page(&["EFFECTIVE"; 3]);
    deactivate_the_page(&mut h);
    serve(&mut h, &mut crm);
    let first = h.app.batch.as_ref().unwrap().id.clone();
    h.press(KeyCode::End);
    assert_eq!(h.app.batch.as_ref().unwrap().selected, 2);
    h.press(KeyCode::Home);
    assert_eq!(h.app.batch.as_ref().unwrap().selected, 0);
    h.press(KeyCode::Esc);
    // Back on the page, all three NOT_EFFECTIVE now: re-activate them.
    h.key('*').key('a');
    read_the_question(&mut h);
    h.key('y');
    serve(&mut h, &mut crm);
    assert_eq!(steps(&h), ["done"; 3]);
    let second = h.app.batch.as_ref().unwrap().id.clone();
    assert_ne!(first, second);
    let batches: std::collections::BTreeSet<Option<String>> = h
        .requests
        .iter()
        .filter_map(|(_, op)| match op {
            Operation::Act { batch, .. } => Some(batch.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        batches,
        [Some(first), Some(second)].into_iter().collect(),
        "every action names its own batch"
    );
}

/// A batch longer than the screen scrolls with its cursor: the row highlighted is always on
/// screen, and the rows keep their order.
#[test]
fn a_batch_longer_than_the_screen_scrolls_with_its_cursor() {
    let rows = tokendesk::console::app::layout::results_rows(80, 24, 1);
    let (mut h, mut crm) = on_page(&vec!["EFFECTIVE"; rows + 5]);
    deactivate_the_page(&mut h);
    serve(&mut h, &mut crm);
    let names: Vec<String> = h
        .app
        .batch
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|i| i.summary().display_name())
        .collect();
    let first_row = |h: &mut Harness| {
        h.render()
            .lines()
            .nth(2)
            .and_then(|line| line.split_whitespace().next())
            .unwrap_or_default()
            .trim_start_matches('>')
            .to_owned()
    };
    assert_eq!(first_row(&mut h), names[0]);
    for _ in 0..rows {
        h.press(KeyCode::Down);
    }
    // One row past the screen: the table moved up by one.
    assert_eq!(h.app.batch.as_ref().unwrap().offset, 1);
    assert_eq!(first_row(&mut h), names[1]);
    h.press(KeyCode::End);
    assert_eq!(
        h.app.batch.as_ref().unwrap().offset,
        5,
        "the last row at the bottom"
    );
    assert!(h.render().contains(names.last().unwrap().as_str()));
    h.press(KeyCode::Up);
    assert_eq!(h.app.batch.as_ref().unwrap().offset, 5, "still on screen");
    h.press(KeyCode::Home);
    assert_eq!(first_row(&mut h), names[0]);
}
