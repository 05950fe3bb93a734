//! One life-cycle action, audited: refused unrecorded when the client is read-only (nothing
//! would be sent), else the intent on disk, then the request, then the outcome on disk, and
//! only then the answer back to the caller. The command line uses [`act`]; the console's API
//! task uses [`act_until`], whose request the clerk may abandon (Esc, quitting): the outcome
//! line then says `unknown`, and what a re-read found when there was time for one.

use tokio::sync::watch;

use super::{AuditError, AuditLog, AuditToken, Outcome};
use crate::api::{AccessTokenIdentifier, Action, ApiError, Client, Document, FieldsSet};

/// What an audited action came to.
#[derive(Debug)]
pub struct Audited {
    /// The server's answer, as `Client::act` gives it.
    pub result: Result<Document, ApiError>,
    /// When the answer was lost or the server refused: what reading the token again found.
    pub reread: Option<Result<Document, ApiError>>,
    /// The action ended but its outcome could not be recorded; the caller says so.
    pub unrecorded: Option<AuditError>,
}

/// Why an action was left before its answer came. Ordered: closing overrides cancelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Abandon {
    /// The clerk cancelled it (Esc): the token is read again, and the outcome line says what
    /// that found.
    Cancelled,
    /// The console is closing (the clerk quit, or the task is ending): the outcome line is
    /// written at once, without a re-read.
    Closing,
}

/// The outcome of an action given up while the audit log was still recording its intent.
const NEVER_SENT: &str = "Never sent: given up while the audit log was recording its intent.";

/// What an abandoned action's outcome line says instead of a re-read's finding.
fn not_reread() -> String {
    format!("{}the console closed", super::NOT_REREAD)
}

/// Carries out `action` on the token `identifier` names, recording it in `log`. `token` is
/// what the caller knows of the token (its number, once it has been read). An `Err` means
/// the intent could not be recorded, and so nothing was sent.
pub async fn act(
    client: &Client,
    log: &AuditLog,
    action: Action,
    identifier: &AccessTokenIdentifier,
    token: &AuditToken,
    fields: Option<&FieldsSet>,
) -> Result<Audited, AuditError> {
    let request = super::new_request_id();
    act_as(client, log, request, action, identifier, token, fields).await
}

/// [`act`], its audit lines under the `request` id the caller chose (a batch records it in
/// its journal first, so that a run killed before the outcome can be found out later).
pub async fn act_as(
    client: &Client,
    log: &AuditLog,
    request: String,
    action: Action,
    identifier: &AccessTokenIdentifier,
    token: &AuditToken,
    fields: Option<&FieldsSet>,
) -> Result<Audited, AuditError> {
    // Nobody can abandon it: the sender lives, unused, until the action has ended.
    let (_never, stop) = watch::channel(None);
    let what = ActionRequest {
        action,
        identifier,
        token,
        fields,
    };
    let audited = audited(client, log, request, &what, stop, || ()).await?;
    Ok(audited.expect("an action nobody can abandon ends with an answer"))
}

/// One action to audit: what, on which token (as the caller knows it), with which fields.
#[derive(Clone, Copy, Debug)]
pub struct ActionRequest<'a> {
    pub action: Action,
    pub identifier: &'a AccessTokenIdentifier,
    pub token: &'a AuditToken,
    pub fields: Option<&'a FieldsSet>,
}

/// [`act`], unless `stop` says to abandon it first: then the request is dropped, the outcome
/// line records `unknown` (with what a re-read found, when the clerk cancelled) and the
/// answer is `None`, as nobody waits for it any more. Abandoned while its intent is still
/// waiting for the audit log, it is never sent. `recorded` is called once the intent is on
/// disk and the request goes out.
pub async fn act_until(
    client: &Client,
    log: &AuditLog,
    what: &ActionRequest<'_>,
    stop: watch::Receiver<Option<Abandon>>,
    recorded: impl FnOnce(),
) -> Result<Option<Audited>, AuditError> {
    audited(client, log, super::new_request_id(), what, stop, recorded).await
}

async fn audited(
    client: &Client,
    log: &AuditLog,
    request: String,
    what: &ActionRequest<'_>,
    mut stop: watch::Receiver<Option<Abandon>>,
    recorded: impl FnOnce(),
) -> Result<Option<Audited>, AuditError> {
    let &ActionRequest {
        action,
        identifier,
        token,
        fields,
    } = what;
    // A read-only client sends nothing, so there is nothing to record.
    if let Err(refused) = client.check_write(action) {
        return Ok(Some(Audited {
            result: Err(refused),
            reread: None,
            unrecorded: None,
        }));
    }
    // A slow audit log holds the request back, but not a clerk who gives up on it: nothing
    // has been sent yet. The intent owns what it writes, so that it can outlive this.
    let mut intent = Box::pin({
        let (log, token) = (log.clone(), token.clone());
        async move {
            let written = log.intent_as(request, action, &token).await;
            (written, log, token)
        }
    });
    let pending = tokio::select! {
        (written, _, _) = &mut intent => written?,
        why = stopped(&mut stop, Abandon::Cancelled) => {
            tracing::info!(?why, "an action was given up before the audit log recorded its intent; nothing was sent");
            // The intent is still queued for the log: once it is written, so is an outcome
            // saying that nothing was sent, so the log never shows it as NO OUTCOME.
            tokio::spawn(async move {
                let (written, log, token) = intent.await;
                if let Ok(pending) = written {
                    let outcome = Outcome::Failed {
                        reason: NEVER_SENT.to_owned(),
                    };
                    if let Err(unrecorded) = log.outcome(&pending, &token, &outcome).await {
                        tracing::error!("{unrecorded}");
                    }
                }
            });
            return Ok(None);
        }
    };
    recorded();
    let result = tokio::select! {
        result = client.act(action, identifier, fields) => result,
        why = stopped(&mut stop, Abandon::Cancelled) => {
            let reread = match why {
                Abandon::Cancelled => tokio::select! {
                    reread = client.show(identifier, None) => Some(reread),
                    _ = stopped(&mut stop, Abandon::Closing) => None,
                },
                Abandon::Closing => None,
            };
            let reason = match why {
                Abandon::Cancelled => "Cancelled before the answer came.",
                Abandon::Closing => "The console closed before the answer came.",
            };
            let outcome = Outcome::Unknown {
                reason: reason.to_owned(),
                reread: reread.as_ref().map_or_else(not_reread, Outcome::found),
            };
            if let Err(unrecorded) = log.outcome(&pending, &answered(token, None, reread.as_ref()), &outcome).await {
                tracing::error!("{unrecorded}");
            }
            return Ok(None);
        }
    };
    let (outcome, reread) = match &result {
        Err(lost) if lost.outcome_unknown() => {
            let reread = tokio::select! {
                reread = client.show(identifier, None) => Some(reread),
                _ = stopped(&mut stop, Abandon::Closing) => None,
            };
            let outcome = match &reread {
                Some(reread) => Outcome::unknown(lost, reread),
                None => Outcome::Unknown {
                    reason: lost.to_string(),
                    reread: not_reread(),
                },
            };
            (outcome, reread)
        }
        // A refusal, however worded, may come of a token changed since it was read: read
        // it again, so the outcome line names it whole and the clerk sees its state now.
        Err(refused) if refused.is_refusal() => {
            let reread = tokio::select! {
                reread = client.show(identifier, None) => Some(reread),
                _ = stopped(&mut stop, Abandon::Closing) => None,
            };
            (Outcome::known(action, &result), reread)
        }
        known => (Outcome::known(action, known), None),
    };
    let unrecorded = log
        .outcome(
            &pending,
            &answered(token, Some(&result), reread.as_ref()),
            &outcome,
        )
        .await
        .err();
    Ok(Some(Audited {
        result,
        reread,
        unrecorded,
    }))
}

/// The token as the outcome line names it: all that is known once the answer, else the
/// re-read, is in, on top of how the clerk addressed it (the intent's `token`). So
/// `tokendesk audit --token NUMBER` finds an action given by code, and the other way round.
fn answered(
    token: &AuditToken,
    result: Option<&Result<Document, ApiError>>,
    reread: Option<&Result<Document, ApiError>>,
) -> AuditToken {
    let found = match (result, reread) {
        (Some(Ok(data)), _) | (_, Some(Ok(data))) => {
            AuditToken::from_summary(&crate::api::TokenSummary::from_value(&data.value))
        }
        _ => AuditToken::default(),
    };
    AuditToken {
        id: found.id.or_else(|| token.id.clone()),
        number: found.number.or_else(|| token.number.clone()),
        authentication_code: found
            .authentication_code
            .or_else(|| token.authentication_code.clone()),
        identifier: found.identifier.or_else(|| token.identifier.clone()),
    }
}

/// Waits until `stop` says `at_least` (or more); never, once nobody can say it any more.
async fn stopped(stop: &mut watch::Receiver<Option<Abandon>>, at_least: Abandon) -> Abandon {
    let said = stop
        .wait_for(|why| why.is_some_and(|why| why >= at_least))
        .await
        .map(|why| why.unwrap_or(at_least));
    match said {
        Ok(why) => why,
        Err(_) => std::future::pending().await,
    }
}
