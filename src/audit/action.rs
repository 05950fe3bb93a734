//! One life-cycle action, audited: refused unrecorded when the client is read-only (nothing
//! would be sent), else the intent on disk, then the request, then the outcome on disk, and
//! only then the answer back to the caller. The command line uses it as it is; the console's
//! API task can call it the same way.

use super::{AuditError, AuditLog, AuditToken, Outcome};
use crate::api::{AccessTokenIdentifier, Action, ApiError, Client, Document, FieldsSet};

/// What an audited action came to.
#[derive(Debug)]
pub struct Audited {
    /// The server's answer, as `Client::act` gives it.
    pub result: Result<Document, ApiError>,
    /// When the answer was lost: what reading the token again found.
    pub reread: Option<Result<Document, ApiError>>,
    /// The action ended but its outcome could not be recorded; the caller says so.
    pub unrecorded: Option<AuditError>,
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
    // A read-only client sends nothing, so there is nothing to record.
    if let Err(refused) = client.check_write(action) {
        return Ok(Audited {
            result: Err(refused),
            reread: None,
            unrecorded: None,
        });
    }
    let pending = log.intent(action, token)?;
    let result = client.act(action, identifier, fields).await;
    let (outcome, reread) = match &result {
        Err(lost) if lost.outcome_unknown() => {
            let reread = client.show(identifier, None).await;
            (Outcome::unknown(lost, &reread), Some(reread))
        }
        known => (Outcome::known(action, known), None),
    };
    let answered = match (&result, &reread) {
        (Ok(data), _) | (_, Some(Ok(data))) => {
            AuditToken::from_summary(&crate::api::TokenSummary::from_value(&data.value))
        }
        _ => AuditToken::default(),
    };
    let unrecorded = log.outcome(&pending, &answered, &outcome).err();
    Ok(Audited {
        result,
        reread,
        unrecorded,
    })
}
