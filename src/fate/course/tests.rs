//! Each answer's decision on its own, for every path a token can take: what `cargo
//! mutants` needs to see each rule pinned.

use serde_json::json;

use super::*;

const CODE: &str = "CODE7";

fn code() -> AccessTokenIdentifier {
    AccessTokenIdentifier::AuthenticationCode(CODE.into())
}

/// One token as a results page or a list showed it.
fn listed(state: LifeCycleState) -> TokenSummary {
    TokenSummary {
        id: Some("4f1c".into()),
        number: Some("AT0000000007".into()),
        authentication_code: Some(CODE.into()),
        state,
        ..TokenSummary::default()
    }
}

fn fresh(action: Action) -> Course {
    Course::read_first(action, Some(code()), listed(action.required_state()))
}

/// An answer that shows only the token's state.
fn token_in(state: &str) -> Result<Document, ApiError> {
    Ok(Document::from(json!({ "life_cycle_state": state })))
}

fn not_found() -> ApiError {
    ApiError::server("NOT_FOUND", "No such token.")
}

fn refusal() -> ApiError {
    ApiError::server(
        "ERROR",
        "Only Effective access tokens can be set as Not Effective",
    )
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

/// Read, found in the state the action needs: the action is to be sent.
fn to_act(action: Action) -> Course {
    let mut course = fresh(action);
    assert_eq!(course.proceed(), Next::Send(Request::Read));
    assert_eq!(course.out(), Some(Request::Read));
    let state = action.required_state().to_string();
    assert_eq!(course.answered(&token_in(&state)), Next::Send(Request::Act));
    assert_eq!(course.out(), Some(Request::Act));
    course
}

fn ended(next: Next) -> Outcome {
    match next {
        Next::End(outcome) => outcome,
        other => panic!("not ended: {other:?}"),
    }
}

/// The action was answered with `lost`: the token is to be read again.
fn lost(action: Action, error: ApiError) -> Course {
    let mut course = to_act(action);
    assert_eq!(course.acted(&Err(error), None), Next::Send(Request::Reread));
    assert_eq!(course.out(), Some(Request::Reread));
    course
}

#[test]
fn a_token_read_in_the_state_the_action_needs_is_acted_on_and_done() {
    let mut course = to_act(Action::Deactivate);
    let done = ended(course.acted(&token_in("NOT_EFFECTIVE"), None));
    assert_eq!(done.fate, Fate::Done);
    assert_eq!(done.sentence, "Deactivated.");
    assert_eq!(done.before.as_deref(), Some("EFFECTIVE"));
    assert_eq!(done.after.as_deref(), Some("NOT_EFFECTIVE"));
    assert_eq!(course.known().state, LifeCycleState::NotEffective);
    assert!(!course.deleted());
    assert_eq!(course.outcome(), Some(&done));
    assert_eq!(course.proceed(), Next::End(done), "ended stays ended");
    assert_eq!(course.out(), None);

    let mut course = to_act(Action::Delete);
    let deleted = ended(course.acted(&token_in("NOT_EFFECTIVE"), None));
    assert_eq!(
        (
            deleted.fate,
            deleted.sentence.as_str(),
            deleted.after.as_deref()
        ),
        (Fate::Done, "Deleted.", Some("DELETED"))
    );
    assert!(course.deleted());
    assert_eq!(
        course.known().state,
        LifeCycleState::NotEffective,
        "a deleted token's answer is not learnt"
    );
}

#[test]
fn a_token_whose_state_does_not_allow_the_action_is_left_out_unsent() {
    for (state, why) in [
        (
            "NOT_EFFECTIVE",
            LeftOut::Already(LifeCycleState::NotEffective),
        ),
        (
            "PENDING_VERIFICATION",
            LeftOut::Forbidden(LifeCycleState::PendingVerification),
        ),
    ] {
        let mut course = fresh(Action::Deactivate);
        course.proceed();
        let left_out = ended(course.answered(&token_in(state)));
        assert_eq!(left_out.fate, Fate::LeftOut, "{state}");
        assert_eq!(left_out.sentence, why.sentence(Action::Deactivate));
        assert_eq!(left_out.left_out, Some(why));
        assert_eq!(left_out.before.as_deref(), Some(state));
        assert_eq!(left_out.after.as_deref(), Some(state));
    }
}

#[test]
fn a_read_that_finds_no_token_leaves_it_out_and_one_that_fails_fails() {
    let mut course = fresh(Action::Deactivate);
    course.proceed();
    let gone = ended(course.answered(&Err(not_found())));
    assert_eq!(
        (gone.fate, gone.left_out),
        (Fate::LeftOut, Some(LeftOut::NotFound))
    );
    assert_eq!(gone.sentence, "Nothing sent: No such token. (NOT_FOUND)");

    let mut course = course_failing_read();
    let failed = ended(course.answered(&Err(unreachable())));
    assert_eq!(failed.fate, Fate::Failed);
    assert!(
        failed
            .sentence
            .starts_with("Nothing sent: it could not be read. Cannot reach"),
        "{failed:?}"
    );
    assert_eq!(failed.before, None);
}

fn course_failing_read() -> Course {
    let mut course = fresh(Action::Activate);
    course.proceed();
    course
}

#[test]
fn a_token_with_nothing_to_find_it_by_is_left_out_without_a_request() {
    let mut course = Course::read_first(
        Action::Delete,
        None,
        TokenSummary {
            state: LifeCycleState::NotEffective,
            ..TokenSummary::default()
        },
    );
    let left_out = ended(course.proceed());
    assert_eq!(left_out.left_out, Some(LeftOut::NoCode));
    assert_eq!(course.identifier(), None);
    assert_eq!(course.action(), Action::Delete);
}

#[test]
fn a_busy_server_is_waited_out_five_times_then_the_token_fails() {
    for (request, consequence) in [(Request::Read, "Nothing sent"), (Request::Act, "Not done")] {
        let mut course = match request {
            Request::Act => to_act(Action::Deactivate),
            _ => {
                let mut course = fresh(Action::Deactivate);
                course.proceed();
                course
            }
        };
        for retry in 0..BUSY_RETRIES {
            let next = match request {
                Request::Act => course.acted(&Err(status(429)), None),
                _ => course.answered(&Err(status(429))),
            };
            assert_eq!(next, Next::Pause(busy_back_off(retry)), "{request:?}");
            assert_eq!(course.out(), None, "nothing out during the pause");
            assert_eq!(course.proceed(), Next::Send(request), "the same again");
        }
        let given_up = match request {
            Request::Act => ended(course.acted(&Err(status(429)), None)),
            _ => ended(course.answered(&Err(status(429)))),
        };
        assert_eq!(given_up.fate, Fate::Failed);
        assert!(
            given_up
                .sentence
                .starts_with(&format!("{consequence}: the server stayed busy.")),
            "{given_up:?}"
        );
    }
}

#[test]
fn a_lost_answer_is_checked_by_a_re_read_never_by_sending_again() {
    let mut course = lost(Action::Deactivate, timed_out());
    let done = ended(course.answered(&token_in("NOT_EFFECTIVE")));
    assert_eq!(done.fate, Fate::Done);
    assert_eq!(
        done.sentence,
        "Deactivated. Checked after a lost answer: The server did not answer within 30 s."
    );
    assert_eq!(done.after.as_deref(), Some("NOT_EFFECTIVE"));

    let mut course = lost(Action::Activate, timed_out());
    let not_done = ended(course.answered(&token_in("NOT_EFFECTIVE")));
    assert_eq!(not_done.fate, Fate::Refused);
    assert!(
        not_done
            .sentence
            .starts_with("Not re-activated; it is NOT_EFFECTIVE. Checked after a lost answer:"),
        "{not_done:?}"
    );
    assert_eq!(not_done.before.as_deref(), Some("NOT_EFFECTIVE"));
    assert_eq!(not_done.after.as_deref(), Some("NOT_EFFECTIVE"));
}

#[test]
fn the_audited_actions_own_re_read_is_the_check_and_a_failed_one_is_tried_again() {
    let mut course = to_act(Action::Deactivate);
    let done = ended(course.acted(&Err(timed_out()), Some(&token_in("NOT_EFFECTIVE"))));
    assert_eq!(done.fate, Fate::Done);

    let mut course = to_act(Action::Deactivate);
    assert_eq!(
        course.acted(&Err(timed_out()), Some(&Err(unreachable()))),
        Next::Send(Request::Reread),
        "its re-read failed: read again"
    );
    assert_eq!(
        ended(course.answered(&token_in("NOT_EFFECTIVE"))).fate,
        Fate::Done
    );
}

#[test]
fn a_failed_re_read_is_tried_again_twice_then_the_outcome_is_unknown() {
    let mut course = lost(Action::Deactivate, timed_out());
    for _ in 0..REREADS {
        assert_eq!(
            course.answered(&Err(unreachable())),
            Next::Send(Request::Reread)
        );
    }
    let unknown = ended(course.answered(&Err(unreachable())));
    assert_eq!(unknown.fate, Fate::Unknown);
    assert!(
        unknown.sentence.starts_with(
            "Not known whether it was deactivated: the answer was lost, and reading it again failed. The server did not answer within 30 s. Cannot reach"
        ),
        "{unknown:?}"
    );
    assert_eq!(unknown.after, None);
}

#[test]
fn a_lost_delete_is_done_only_when_the_re_read_finds_no_token() {
    let mut course = lost(Action::Delete, timed_out());
    let gone = ended(course.answered(&Err(not_found())));
    assert_eq!(gone.fate, Fate::Done);
    assert!(
        gone.sentence
            .starts_with("Deleted. Checked after a lost answer:")
    );
    assert_eq!(gone.after.as_deref(), Some("DELETED"));
    assert!(course.deleted());

    // A deactivation's token gone: whether it was deactivated nobody knows.
    let mut course = lost(Action::Deactivate, timed_out());
    let vanished = ended(course.answered(&Err(not_found())));
    assert_eq!(vanished.fate, Fate::Unknown);
    assert!(vanished.sentence.contains("found no such token"));
    assert!(!course.deleted());

    // A delete's token still there, not deleted.
    let mut course = lost(Action::Delete, timed_out());
    let there = ended(course.answered(&token_in("NOT_EFFECTIVE")));
    assert_eq!(there.fate, Fate::Refused);
    assert!(!course.deleted());
}

#[test]
fn a_busy_lost_answer_is_sent_again_only_while_the_token_still_needs_it() {
    // A 503 may or may not have been acted on; the re-read shows it was not.
    let mut course = lost(Action::Deactivate, status(503));
    assert_eq!(
        course.answered(&token_in("EFFECTIVE")),
        Next::Pause(busy_back_off(0))
    );
    assert_eq!(course.proceed(), Next::Send(Request::Act));
    assert_eq!(
        ended(course.acted(&token_in("NOT_EFFECTIVE"), None)).fate,
        Fate::Done
    );

    // Now in a state the action is not taken from: not sent again.
    let mut course = lost(Action::Deactivate, status(503));
    let changed = ended(course.answered(&token_in("PENDING_VERIFICATION")));
    assert_eq!(changed.fate, Fate::Refused);

    // Not busy, only lost: never sent again.
    let mut course = lost(Action::Deactivate, timed_out());
    assert_eq!(
        ended(course.answered(&token_in("EFFECTIVE"))).fate,
        Fate::Refused
    );

    // Waited out five times already: given up.
    let mut course = to_act(Action::Deactivate);
    for _ in 0..BUSY_RETRIES {
        course.acted(&Err(status(429)), None);
        course.proceed();
    }
    assert_eq!(
        course.acted(&Err(status(503)), None),
        Next::Send(Request::Reread)
    );
    assert_eq!(
        ended(course.answered(&token_in("EFFECTIVE"))).fate,
        Fate::Refused
    );
}

#[test]
fn a_busy_re_read_is_waited_out_and_read_again() {
    let mut course = lost(Action::Deactivate, timed_out());
    assert_eq!(
        course.answered(&Err(status(429))),
        Next::Pause(busy_back_off(0))
    );
    assert_eq!(course.proceed(), Next::Send(Request::Reread));
    assert_eq!(
        ended(course.answered(&token_in("NOT_EFFECTIVE"))).fate,
        Fate::Done
    );
}

#[test]
fn any_refusal_however_worded_re_reads_and_says_the_state_now() {
    for refused in [
        refusal(),
        ApiError::server("INVALID_LIFE_CYCLE_STATE", "No."),
    ] {
        let mut course = to_act(Action::Deactivate);
        assert_eq!(
            course.acted(&Err(refused.clone()), None),
            Next::Send(Request::Reread),
            "{refused:?}"
        );
        let outcome = ended(course.answered(&token_in("NOT_EFFECTIVE")));
        assert_eq!(outcome.fate, Fate::Refused);
        assert_eq!(
            outcome.sentence,
            "Not deactivated: it is NOT_EFFECTIVE now, changed since it was read."
        );
        assert_eq!(outcome.after.as_deref(), Some("NOT_EFFECTIVE"));
        assert_eq!(course.known().state, LifeCycleState::NotEffective);
    }
    // The audited action read it again: that is the re-read.
    let mut course = to_act(Action::Deactivate);
    let outcome = ended(course.acted(&Err(refusal()), Some(&token_in("EFFECTIVE"))));
    assert_eq!(
        outcome.sentence,
        format!("{} It is EFFECTIVE now.", refusal()),
        "a state that allows it: the server's own words"
    );

    // Reading it again failed: tried again, then the refusal with the failure.
    let mut course = to_act(Action::Deactivate);
    assert_eq!(
        course.acted(&Err(refusal()), Some(&Err(unreachable()))),
        Next::Send(Request::Reread)
    );
    assert_eq!(
        course.answered(&Err(unreachable())),
        Next::Send(Request::Reread)
    );
    let outcome = ended(course.answered(&Err(unreachable())));
    assert_eq!(outcome.fate, Fate::Refused);
    assert!(
        outcome
            .sentence
            .contains("(ERROR) Reading it again failed: Cannot reach")
    );
    assert_eq!(outcome.after.as_deref(), Some("EFFECTIVE"), "as last read");

    // The token is gone since.
    let mut course = to_act(Action::Deactivate);
    let outcome = ended(course.acted(&Err(refusal()), Some(&Err(not_found()))));
    assert_eq!(outcome.fate, Fate::Refused);
    assert!(
        outcome
            .sentence
            .ends_with("Reading it again found no such token.")
    );
}

#[test]
fn an_action_that_failed_or_found_no_token_is_not_re_read() {
    let mut course = to_act(Action::Deactivate);
    let failed = ended(course.acted(&Err(unreachable()), None));
    assert_eq!(failed.fate, Fate::Failed);
    assert!(failed.sentence.starts_with("Not deactivated: Cannot reach"));
    assert_eq!(failed.after.as_deref(), Some("EFFECTIVE"));

    let mut course = to_act(Action::Deactivate);
    let refused = ended(course.acted(&Err(not_found()), None));
    assert_eq!(refused.fate, Fate::Refused);
    assert_eq!(refused.sentence, not_found().to_string());
}

#[test]
fn an_intent_the_audit_log_cannot_record_halts_the_batch() {
    let mut course = to_act(Action::Deactivate);
    let Next::Halt(outcome) =
        course.acted(&Err(ApiError::NotAudited("Cannot write.".into())), None)
    else {
        panic!("halts");
    };
    assert_eq!(outcome.fate, Fate::Failed);
    assert_eq!(outcome.sentence, "Cannot write.");
    assert_eq!(course.outcome(), Some(&outcome));
}

#[test]
fn stopping_leaves_out_only_what_has_not_gone_out_and_a_lost_answer_is_still_checked() {
    // Not started yet.
    let mut course = fresh(Action::Deactivate);
    let stopped = course.stop().expect("left out");
    assert_eq!(stopped.left_out, Some(LeftOut::Stopped));
    assert_eq!(course.proceed(), Next::End(stopped));
    // Read, its action not sent.
    let mut course = to_act(Action::Deactivate);
    let stopped = course.stop().expect("left out");
    assert_eq!(stopped.before.as_deref(), Some("EFFECTIVE"));
    assert_eq!(stopped.after.as_deref(), Some("EFFECTIVE"));
    // A read out: it ends on its own.
    let mut course = fresh(Action::Deactivate);
    course.proceed();
    assert_eq!(course.stop(), None);
    // Checking a lost answer: never given up.
    let mut course = lost(Action::Deactivate, timed_out());
    assert_eq!(course.stop(), None);
    assert_eq!(course.halt(), None);
    // Ended: stays as it ended.
    let mut course = to_act(Action::Deactivate);
    course.acted(&token_in("NOT_EFFECTIVE"), None);
    assert_eq!(course.stop(), None);

    let mut course = course_failing_read();
    assert_eq!(course.stop(), None);
    let mut course = to_act(Action::Activate);
    let halted = course.halt().expect("failed");
    assert_eq!(
        (halted.fate, halted.sentence.as_str()),
        (
            Fate::Failed,
            "Not sent: the audit log could not be written."
        )
    );
    // Paused after a busy read: its read is due again, and nothing is out.
    let mut course = fresh(Action::Deactivate);
    course.proceed();
    course.answered(&Err(status(429)));
    assert!(course.stop().is_some());
}

#[test]
fn an_action_the_clerk_cancelled_is_found_out_by_a_re_read() {
    let mut course = to_act(Action::Deactivate);
    assert_eq!(course.cancelled(), Next::Send(Request::Reread));
    assert_eq!(course.cancelled(), Next::Wait, "only an action out");
    let done = ended(course.answered(&token_in("NOT_EFFECTIVE")));
    assert_eq!(done.fate, Fate::Done);
    assert_eq!(
        done.sentence,
        format!("Deactivated. Checked after a lost answer: {CANCELLED}")
    );
    // Never sent again, even when it is still undone.
    let mut course = to_act(Action::Deactivate);
    course.cancelled();
    assert_eq!(
        ended(course.answered(&token_in("EFFECTIVE"))).fate,
        Fate::Refused
    );
}

#[test]
fn an_answer_not_awaited_changes_nothing() {
    let mut course = fresh(Action::Deactivate);
    assert_eq!(course.answered(&token_in("EFFECTIVE")), Next::Wait);
    assert_eq!(course.acted(&token_in("NOT_EFFECTIVE"), None), Next::Wait);
    course.proceed();
    assert_eq!(course.proceed(), Next::Wait, "its read is out");
    assert_eq!(course.acted(&token_in("NOT_EFFECTIVE"), None), Next::Wait);
    assert_eq!(
        course.answered(&token_in("EFFECTIVE")),
        Next::Send(Request::Act)
    );
    assert_eq!(course.answered(&token_in("EFFECTIVE")), Next::Wait);
}

#[test]
fn what_a_read_does_not_show_is_kept_from_what_was_known() {
    let mut course = to_act(Action::Deactivate);
    let known = course.known();
    assert_eq!(known.number.as_deref(), Some("AT0000000007"));
    assert_eq!(known.id.as_deref(), Some("4f1c"));
    assert_eq!(known.authentication_code.as_deref(), Some(CODE));
    // A fuller answer adds to it; a value that is not a token changes nothing.
    course.acted(
        &Ok(Document::from(json!({
            "number": "AT0000000008",
            "identifier": "250",
            "life_cycle_state": "NOT_EFFECTIVE",
        }))),
        None,
    );
    let known = course.known();
    assert_eq!(known.number.as_deref(), Some("AT0000000008"));
    assert_eq!(known.identifier.as_deref(), Some("250"));
    assert_eq!(known.id.as_deref(), Some("4f1c"));
    let mut course = fresh(Action::Deactivate);
    course.proceed();
    assert_eq!(
        course.answered(&Ok(Document::from(json!(["not a token"])))),
        Next::Send(Request::Act),
        "the state known stands"
    );
    assert_eq!(course.known().number.as_deref(), Some("AT0000000007"));
}

#[test]
fn a_resume_finds_what_the_killed_run_did() {
    let resumed =
        |action| Course::read_first(action, Some(code()), TokenSummary::default()).sent_before();
    let mut course = resumed(Action::Deactivate);
    course.proceed();
    let done = ended(course.answered(&token_in("NOT_EFFECTIVE")));
    assert_eq!(done.fate, Fate::Done);
    assert_eq!(
        done.sentence,
        "Already NOT_EFFECTIVE: done by the earlier run that was cut short."
    );
    let mut course = resumed(Action::Delete);
    course.proceed();
    let deleted = ended(course.answered(&Err(not_found())));
    assert_eq!(deleted.fate, Fate::Done);
    assert_eq!(deleted.after.as_deref(), Some("DELETED"));
    assert!(course.deleted());
    // Still needing it: acted on.
    let mut course = resumed(Action::Deactivate);
    course.proceed();
    assert_eq!(
        course.answered(&token_in("EFFECTIVE")),
        Next::Send(Request::Act)
    );
    // Without a killed run's request, already so is left out.
    let mut course = Course::read_first(Action::Deactivate, Some(code()), TokenSummary::default());
    course.proceed();
    assert_eq!(
        ended(course.answered(&token_in("NOT_EFFECTIVE"))).fate,
        Fate::LeftOut
    );
    let mut course = Course::read_first(Action::Delete, Some(code()), TokenSummary::default());
    course.proceed();
    assert_eq!(
        ended(course.answered(&Err(not_found()))).fate,
        Fate::LeftOut
    );
}

#[test]
fn a_confirmed_token_is_acted_on_at_once() {
    let mut course = Course::confirmed(
        Action::Deactivate,
        code(),
        listed(LifeCycleState::Effective),
    );
    assert_eq!(course.proceed(), Next::Send(Request::Act));
    let refused = ended(course.acted(&Err(unreachable()), None));
    assert_eq!(refused.before.as_deref(), Some("EFFECTIVE"));
    // Unread (`--yes`): no state to start from.
    let mut course = Course::confirmed(Action::Deactivate, code(), TokenSummary::default());
    assert_eq!(course.proceed(), Next::Send(Request::Act));
    assert_eq!(ended(course.acted(&Err(unreachable()), None)).before, None);
}

#[test]
fn a_refusal_of_a_token_never_read_is_said_as_a_state_refusal() {
    // `--yes`: nothing was read, so nothing "changed since it was read".
    let mut course = Course::confirmed(Action::Delete, code(), TokenSummary::default());
    course.proceed();
    course.acted(&Err(refusal()), None);
    let outcome = ended(course.answered(&token_in("EFFECTIVE")));
    assert_eq!(
        outcome.sentence,
        "Only NOT_EFFECTIVE tokens can be deleted; this one is EFFECTIVE."
    );
    assert_eq!(outcome.fate, Fate::Refused);
}

#[test]
fn a_re_read_busy_for_good_is_waited_out_five_times_then_counts_as_failed() {
    let mut course = lost(Action::Deactivate, timed_out());
    for retry in 0..BUSY_RETRIES {
        assert_eq!(
            course.answered(&Err(status(429))),
            Next::Pause(busy_back_off(retry))
        );
        assert_eq!(course.proceed(), Next::Send(Request::Reread));
    }
    // No sixth pause: a failed re-read, tried again by the one rule, then unknown.
    for _ in 0..REREADS {
        assert_eq!(
            course.answered(&Err(status(429))),
            Next::Send(Request::Reread)
        );
    }
    assert_eq!(
        ended(course.answered(&Err(status(429)))).fate,
        Fate::Unknown
    );
}

#[test]
fn an_identifier_known_before_is_kept_when_an_answer_lacks_it() {
    let known = TokenSummary {
        identifier: Some("250".into()),
        ..listed(LifeCycleState::Effective)
    };
    let mut course = Course::read_first(Action::Deactivate, Some(code()), known);
    course.proceed();
    course.answered(&token_in("EFFECTIVE"));
    assert_eq!(course.known().identifier.as_deref(), Some("250"));
}
