//! One token of a batch: read, then (when its state allows) the audited action, with a
//! back-off when the server says it is busy. Every step goes to the journal.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::time::Instant;

use super::input::Target;
use super::journal::{Journal, Unanswered};
use super::report::{Row, Status};
use crate::api::error::{BUSY_RETRIES, busy_back_off};
use crate::api::{AccessTokenIdentifier, Action, ApiError, Client, Document, TokenSummary};
use crate::audit::{self, AuditError, AuditLog, AuditToken, Outcome, PendingAction};
use crate::text::capitalised;

/// What every token of a batch shares: one client (one session, one re-login for all), the
/// audit log with the batch's id, the journal, and the back-off.
pub struct Shared {
    pub client: Client,
    pub audit: AuditLog,
    pub journal: Journal,
    pub action: Action,
    pub pause: Pause,
    /// Set when an audit line could not be written: nothing more may be sent.
    pub halted: AtomicBool,
    /// How long a request may take (the client's time-out): a request a killed run sent is
    /// given that long from its intent before its token is read again.
    pub settle: std::time::Duration,
}

/// The moment before which no request goes out: a busy answer to one request slows them all.
pub struct Pause(Mutex<Option<Instant>>);

impl Pause {
    pub fn new() -> Pause {
        Pause(Mutex::new(None))
    }

    async fn wait(&self) {
        loop {
            let until = *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match until {
                Some(until) if until > Instant::now() => tokio::time::sleep_until(until).await,
                _ => return,
            }
        }
    }

    /// Waits a quarter second, doubled each retry, up to eight seconds.
    fn back_off(&self, retry: u32) {
        let until = Instant::now() + busy_back_off(retry);
        let mut pause = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *pause = Some(pause.map_or(until, |p| p.max(until)));
    }
}

/// Carries `target` through the batch's action and says how it ended.
pub async fn process(shared: &Shared, target: Target) -> Row {
    let mut row = Row {
        key: target.key.clone(),
        code: match &target.identifier {
            Some(AccessTokenIdentifier::AuthenticationCode(code)) => Some(code.clone()),
            _ => None,
        },
        number: target.number.clone(),
        before: None,
        after: None,
        status: Status::Failed,
        sentence: String::new(),
    };
    // Only the run being resumed may leave a token alone unread; any other run reads it.
    if shared.journal.settled_in_this_run(&target.key) {
        row.status = Status::DoneBefore;
        row.number = shared
            .journal
            .number(&target.key)
            .map(str::to_owned)
            .or(row.number);
        row.sentence =
            "Done by the interrupted run this one resumes (its journal says so); not read again."
                .into();
        return row;
    }
    let (identifier, refusal) = (target.identifier.clone(), target.refusal.clone());
    let Some(identifier) = identifier else {
        row.status = Status::Refused;
        row.sentence = refusal.unwrap_or_default();
        return finish(shared, row);
    };
    if shared.halted.load(Ordering::SeqCst) {
        row.sentence = "Not sent: the audit log could not be written.".into();
        return row;
    }
    let in_flight = shared.journal.sent_before(&target.key);
    let unanswered = shared.journal.unanswered(&target.key).to_vec();
    // A request a killed run had in flight may still be under way at the server: give it
    // the time a live run would have waited for its answer before reading the token.
    if let Some(last) = unanswered.iter().map(|u| u.sent).max() {
        let left = settle_wait(last, std::time::SystemTime::now(), shared.settle);
        tokio::time::sleep(left).await;
    }
    let read = read(shared, &identifier).await;
    // What the killed run could not write: its requests' outcome lines, with what this read
    // found, so the audit log shows NO OUTCOME only for what nobody found out.
    let unrecorded = reconcile(shared, &target.key, &identifier, &read, &unanswered).await;
    let mut row = act_on_read(shared, identifier, read, in_flight, row).await;
    if let Some(unrecorded) = unrecorded {
        row.sentence.push_str(&format!(" {unrecorded}"));
    }
    row
}

/// How long, at `now`, a token whose last request a killed run sent at `sent` is still
/// left alone: until `settle` after it was sent, and never longer than `settle`, since the
/// journal's times are the wall clock's, and a clock set back since the killed run would
/// otherwise make the wait hours.
fn settle_wait(
    sent: std::time::SystemTime,
    now: std::time::SystemTime,
    settle: std::time::Duration,
) -> std::time::Duration {
    sent.checked_add(settle)
        .map_or(settle, |until| {
            until.duration_since(now).unwrap_or_default()
        })
        .min(settle)
}

/// Writes the outcome line of each request in `unanswered`: `unknown`, with what `read`
/// found, and notes each in the journal, so that a run killed after this does not leave
/// its successor to write it again. Says when a line could not be written.
async fn reconcile(
    shared: &Shared,
    key: &str,
    identifier: &AccessTokenIdentifier,
    read: &Result<Document, ApiError>,
    unanswered: &[Unanswered],
) -> Option<AuditError> {
    let token = match read {
        Ok(token) => AuditToken::from_summary(&TokenSummary::from_value(&token.value)),
        Err(_) => AuditToken::default(),
    }
    .or(&AuditToken::from_identifier(identifier));
    // A read that failed finds nothing out: the line says so, and `tokendesk audit` shows
    // the action as not known.
    let later = match read {
        Err(error) if !error.is_not_found() => "could not read the token",
        _ => "read the token again",
    };
    let outcome = Outcome::Unknown {
        reason: format!(
            "The run that sent it was cut short before the answer came; a later run {later}."
        ),
        reread: Outcome::found(read),
    };
    let mut unrecorded = None;
    for sent in unanswered {
        let Some(request) = &sent.request else {
            continue;
        };
        let pending = PendingAction {
            request: request.clone(),
            action: shared.action,
            token: token.clone(),
        };
        // Under the batch id the intent went out under, so the two lines read as one.
        let log = shared.audit.for_batch(&sent.batch);
        match log.outcome(&pending, &token, &outcome).await {
            // Unnoted, the line is written again by a later run: a repeat, never a loss.
            Ok(()) => {
                let _ = shared.journal.recorded(key, request);
            }
            Err(error) => unrecorded = Some(error),
        }
    }
    unrecorded
}

/// What the read found decides: done already, refused by its state, or the action.
async fn act_on_read(
    shared: &Shared,
    identifier: AccessTokenIdentifier,
    read: Result<Document, ApiError>,
    in_flight: bool,
    mut row: Row,
) -> Row {
    let token = match read {
        Ok(token) => token,
        Err(error) if error.is_not_found() && in_flight && shared.action == Action::Delete => {
            row.status = Status::Done;
            row.after = Some("DELETED".into());
            row.sentence = "Deleted by the earlier run that was cut short.".into();
            return finish(shared, row);
        }
        Err(error) => {
            row.status = if error.is_not_found() {
                Status::Refused
            } else {
                Status::Failed
            };
            row.sentence = error.to_string();
            return finish(shared, row);
        }
    };
    let summary = TokenSummary::from_value(&token.value);
    row.number = summary.number.clone().or(row.number);
    row.code = summary.authentication_code.clone().or(row.code);
    row.before = Some(summary.state.to_string());
    if shared.action.resulting_state() == Some(summary.state.clone()) {
        row.status = if in_flight {
            Status::Done
        } else {
            Status::Skipped
        };
        row.after = row.before.clone();
        row.sentence = if in_flight {
            format!(
                "Already {}: done by the earlier run that was cut short.",
                summary.state
            )
        } else {
            format!("Already {}; nothing sent.", summary.state)
        };
        return finish(shared, row);
    }
    if let Some(reason) = shared.action.refusal(&summary.state) {
        row.status = Status::Refused;
        row.after = row.before.clone();
        row.sentence = format!("{reason} Nothing sent.");
        return finish(shared, row);
    }
    let audit_token =
        AuditToken::from_summary(&summary).or(&AuditToken::from_identifier(&identifier));
    act(shared, &identifier, &audit_token, row).await
}

/// The action itself, sent again only when the server was busy and a re-read shows it
/// undone.
async fn act(
    shared: &Shared,
    identifier: &AccessTokenIdentifier,
    token: &AuditToken,
    mut row: Row,
) -> Row {
    let action = shared.action;
    let mut retry = 0;
    loop {
        shared.pause.wait().await;
        if shared.halted.load(Ordering::SeqCst) {
            row.sentence = "Not sent: the audit log could not be written.".into();
            return finish(shared, row);
        }
        // The journal names the audit request, so a run killed before the outcome can be
        // found out by the next one.
        let request = audit::new_request_id();
        if let Err(error) = shared.journal.intent(&row.key, &request) {
            row.sentence = format!("Not sent: the batch's journal could not be written ({error}).");
            return row;
        }
        let audited = match audit::audited::act_as(
            &shared.client,
            &shared.audit,
            request,
            action,
            identifier,
            token,
            None,
        )
        .await
        {
            Ok(audited) => audited,
            Err(unaudited) => {
                shared.halted.store(true, Ordering::SeqCst);
                row.sentence = unaudited.to_string();
                return finish(shared, row);
            }
        };
        let unrecorded = audited
            .unrecorded
            .map(|e| format!(" {e}"))
            .unwrap_or_default();
        match audited.result {
            Ok(answer) => {
                row.status = Status::Done;
                row.after = Some(state_after(action, &answer));
                row.sentence = format!("{}.{unrecorded}", capitalised(action.past_tense()));
            }
            Err(lost) if lost.outcome_unknown() => match audited.reread {
                Some(Ok(now)) => {
                    let state = TokenSummary::from_value(&now.value).state;
                    row.after = Some(state.to_string());
                    if action.resulting_state() == Some(state.clone()) {
                        row.status = Status::Done;
                        row.sentence = format!(
                            "{lost} Checked: it was {}; it is now {state}.{unrecorded}",
                            action.past_tense()
                        );
                    } else if lost.is_busy()
                        && state == action.required_state()
                        && retry < BUSY_RETRIES
                    {
                        shared.pause.back_off(retry);
                        retry += 1;
                        continue;
                    } else {
                        row.status = Status::Refused;
                        row.sentence = format!(
                            "{lost} Checked: it was not {}; it is {state}.{unrecorded}",
                            action.past_tense()
                        );
                    }
                }
                Some(Err(gone)) if action == Action::Delete && gone.is_not_found() => {
                    row.status = Status::Done;
                    row.after = Some("DELETED".into());
                    row.sentence = format!("{lost} Checked: it was deleted.{unrecorded}");
                }
                Some(Err(unread)) => {
                    row.status = Status::Unknown;
                    row.sentence = format!(
                        "{lost} Re-reading failed too ({unread}): whether it was {} is not known.{unrecorded}",
                        action.past_tense()
                    );
                }
                None => {
                    row.status = Status::Unknown;
                    row.sentence = format!("{lost}{unrecorded}");
                }
            },
            // A 429 says the server did not take the request: wait, and send it again.
            Err(refused) if refused.is_busy() && retry < BUSY_RETRIES => {
                shared.pause.back_off(retry);
                retry += 1;
                continue;
            }
            Err(refused @ ApiError::Server { .. }) => {
                row.status = Status::Refused;
                // Read again after the refusal (the audited action does, whatever the
                // server's words): the state it is in now.
                let now = match &audited.reread {
                    Some(Ok(now)) => {
                        let state = TokenSummary::from_value(&now.value).state;
                        row.after = Some(state.to_string());
                        format!(" It is {state} now.")
                    }
                    _ => String::new(),
                };
                row.sentence = format!("{refused}{now}{unrecorded}");
            }
            Err(failed) => {
                row.status = Status::Failed;
                row.sentence = format!("{failed}{unrecorded}");
            }
        }
        return finish(shared, row);
    }
}

/// Reads the token, waiting out a busy server.
async fn read(shared: &Shared, identifier: &AccessTokenIdentifier) -> Result<Document, ApiError> {
    let mut retry = 0;
    loop {
        shared.pause.wait().await;
        match shared.client.show(identifier, None).await {
            Err(error) if error.is_busy() && retry < BUSY_RETRIES => {
                shared.pause.back_off(retry);
                retry += 1;
            }
            other => return other,
        }
    }
}

fn state_after(action: Action, answer: &Document) -> String {
    match action.resulting_state() {
        None => "DELETED".to_owned(),
        Some(expected) => match TokenSummary::from_value(&answer.value).state {
            crate::api::LifeCycleState::Unknown => expected.to_string(),
            state => state.to_string(),
        },
    }
}

/// Records the row's outcome in the journal; a journal that cannot be written is said in
/// the row's sentence (the audit log has the outcome all the same).
fn finish(shared: &Shared, mut row: Row) -> Row {
    if let Err(error) = shared
        .journal
        .outcome(&row.key, row.status, row.number.as_deref())
    {
        row.sentence.push_str(&format!(
            " (The batch's journal could not be written: {error}.)"
        ));
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_request_a_killed_run_sent_is_waited_for_until_the_time_out_and_never_longer() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
        let settle = Duration::from_secs(30);
        let sent = |ago: i64| {
            let by = Duration::from_secs(ago.unsigned_abs());
            if ago >= 0 { now - by } else { now + by }
        };
        assert_eq!(settle_wait(sent(0), now, settle), settle);
        assert_eq!(settle_wait(sent(10), now, settle), Duration::from_secs(20));
        assert_eq!(settle_wait(sent(30), now, settle), Duration::ZERO);
        assert_eq!(settle_wait(sent(3600), now, settle), Duration::ZERO);
        // The clock was set back an hour since the killed run: its request looks sent in
        // the future. The wait is the time-out, not an hour and a half.
        assert_eq!(settle_wait(sent(-3600), now, settle), settle);
        // A journal whose time no clock reaches.
        let far = std::time::UNIX_EPOCH + Duration::from_millis(u64::MAX);
        assert_eq!(settle_wait(far, now, settle), settle);
    }

    #[tokio::test]
    async fn a_back_off_holds_requests_until_it_ends() {
        let pause = Pause::new();
        pause.back_off(0);
        let until = pause
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .expect("a busy answer sets a pause");
        pause.wait().await;
        // A postcondition, not a timing: whatever the machine's speed, `wait` may not
        // return before the pause it was given has ended.
        assert!(
            Instant::now() >= until,
            "wait returned before the pause ended"
        );
    }

    #[tokio::test]
    async fn each_retry_doubles_the_pause_up_to_eight_seconds() {
        let pause = Pause::new();
        let until = |retry: u32| {
            let before = Instant::now();
            pause.back_off(retry);
            let after = Instant::now();
            let until = pause
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .expect("a pause is set");
            (until - before, until - after)
        };
        // Bounds taken on either side of the call, so they hold on any machine.
        let (most, least) = until(2);
        assert!(least <= Duration::from_millis(1000) && most >= Duration::from_millis(1000));
        let (most, least) = until(9);
        assert!(least <= Duration::from_secs(8) && most >= Duration::from_secs(8));
    }
}
