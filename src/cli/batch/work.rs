//! One token of a batch, driven through the core's course (`fate::Course`: read, then when
//! its state allows the audited action, the re-read, the back-off) over the async client.
//! Every step goes to the journal.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::time::Instant;

use super::input::Target;
use super::journal::{Journal, Status, Unanswered};
use super::report::Row;
use crate::api::{AccessTokenIdentifier, Action, ApiError, Client, Document, TokenSummary};
use crate::audit::{self, AuditError, AuditLog, AuditToken, PendingAction};
use crate::fate::{Course, LeftOut, Next, Outcome, Request};

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

    /// Holds every request back for `wait` (the core's back-off) from now.
    fn hold(&self, wait: std::time::Duration) {
        let until = Instant::now() + wait;
        let mut pause = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *pause = Some(pause.map_or(until, |p| p.max(until)));
    }
}

/// Carries `target` through the batch's action and says how it ended: the core
/// (`fate::Course`) decides each step, this sends what it asks for.
pub async fn process(shared: &Shared, target: Target) -> Row {
    let action = shared.action;
    // Only the run being resumed may leave a token alone unread; any other run reads it.
    if shared.journal.settled_in_this_run(&target.key) {
        let number = shared.journal.number(&target.key).map(str::to_owned);
        return row(&target, number, None, Outcome::done_before());
    }
    let Some(identifier) = target.identifier.clone() else {
        let outcome = Outcome::not_addressable(target.refusal.clone().unwrap_or_default());
        return finish(shared, row(&target, None, None, outcome));
    };
    let in_flight = shared.journal.sent_before(&target.key);
    let unanswered = shared.journal.unanswered(&target.key).to_vec();
    // Left out by the state its list showed a moment ago, as the confirmation counted it;
    // unless a killed run sent it, which a read must find out.
    if let Some(why) = target
        .state
        .as_ref()
        .and_then(|state| LeftOut::by_state(action, state))
        .filter(|_| !in_flight && unanswered.is_empty())
    {
        return finish(
            shared,
            row(&target, None, None, Outcome::left_out(action, why)),
        );
    }
    if shared.halted.load(Ordering::SeqCst) {
        let outcome = Outcome::not_sent("the audit log could not be written.");
        return row(&target, None, None, outcome);
    }
    // A request a killed run had in flight may still be under way at the server: give it
    // the time a live run would have waited for its answer before reading the token.
    if let Some(last) = unanswered.iter().map(|u| u.sent).max() {
        let left = settle_wait(last, std::time::SystemTime::now(), shared.settle);
        tokio::time::sleep(left).await;
    }
    let known = TokenSummary {
        number: target.number.clone(),
        ..TokenSummary::default()
    };
    let mut course = Course::read_first(action, Some(identifier.clone()), known);
    if in_flight {
        course = course.sent_before();
    }
    let mut notes = Vec::new();
    let mut first_read = true;
    let mut next = course.proceed();
    let outcome = loop {
        next = match next {
            Next::Send(Request::Read | Request::Reread) => {
                shared.pause.wait().await;
                let read = shared.client.show(&identifier, None).await;
                if std::mem::take(&mut first_read) {
                    // What the killed run could not write: its requests' outcome lines,
                    // with what this read found, so the audit log shows NO OUTCOME only
                    // for what nobody found out.
                    let unrecorded =
                        reconcile(shared, &target.key, &identifier, &read, &unanswered).await;
                    notes.extend(unrecorded.map(|e| e.to_string()));
                }
                course.answered(&read)
            }
            Next::Send(Request::Act) => {
                if shared.halted.load(Ordering::SeqCst) {
                    break course.halt().unwrap_or_else(|| {
                        Outcome::not_sent("the audit log could not be written.")
                    });
                }
                // The journal names the audit request, so a run killed before the outcome
                // can be found out by the next one.
                let request = audit::new_request_id();
                if let Err(error) = shared.journal.intent(&target.key, &request) {
                    let why = format!("the batch's journal could not be written ({error}).");
                    return row(&target, None, Some(&course), Outcome::not_sent(&why));
                }
                let summary = course.known().clone();
                let token = AuditToken::from_summary(&summary)
                    .or(&AuditToken::from_identifier(&identifier));
                match audit::audited::act_as(
                    &shared.client,
                    &shared.audit,
                    request,
                    action,
                    &identifier,
                    &token,
                    None,
                )
                .await
                {
                    Ok(audited) => {
                        notes.extend(audited.unrecorded.map(|e| e.to_string()));
                        course.acted(&audited.result, audited.reread.as_ref())
                    }
                    Err(unaudited) => {
                        course.acted(&Err(ApiError::NotAudited(unaudited.to_string())), None)
                    }
                }
            }
            Next::Pause(wait) => {
                // A busy answer to one request slows them all.
                shared.pause.hold(wait);
                course.proceed()
            }
            Next::Halt(outcome) => {
                shared.halted.store(true, Ordering::SeqCst);
                break outcome;
            }
            Next::End(outcome) => break outcome,
            // Never asked of this loop, which hands back only the answers it awaits.
            Next::Wait => break Outcome::not_sent("no request was due for it."),
        };
    };
    let notes = notes.join(" ");
    let outcome = outcome.noting(Some(notes.as_str()).filter(|n| !n.is_empty()));
    finish(shared, row(&target, None, Some(&course), outcome))
}

/// The row of `target`, named by all that is known of it: what the course learnt, else
/// what the input (or the journal, `number`) said.
fn row(target: &Target, number: Option<String>, course: Option<&Course>, outcome: Outcome) -> Row {
    let known = course.map(Course::known);
    let code = match &target.identifier {
        Some(AccessTokenIdentifier::AuthenticationCode(code)) => Some(code.clone()),
        _ => None,
    };
    Row {
        key: target.key.clone(),
        code: known.and_then(|k| k.authentication_code.clone()).or(code),
        number: known
            .and_then(|k| k.number.clone())
            .or(number)
            .or_else(|| target.number.clone()),
        outcome,
    }
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
    let outcome = audit::Outcome::Unknown {
        reason: format!(
            "The run that sent it was cut short before the answer came; a later run {later}."
        ),
        reread: audit::Outcome::found(read),
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
            // The journal keeps no reason: the earlier run's is not known, and this run's
            // was not the one it was sent with.
            reason: None,
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

/// Records the row's outcome in the journal; a journal that cannot be written is said in
/// the row's sentence (the audit log has the outcome all the same).
fn finish(shared: &Shared, mut row: Row) -> Row {
    let status = Status::of(&row.outcome);
    if let Err(error) = shared
        .journal
        .outcome(&row.key, status, row.number.as_deref())
    {
        row.outcome.sentence.push_str(&format!(
            " (The batch's journal could not be written: {error}.)"
        ));
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::error::busy_back_off;
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
        pause.hold(busy_back_off(0));
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
            pause.hold(busy_back_off(retry));
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
