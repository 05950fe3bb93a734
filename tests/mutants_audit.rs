//! The audit writer, pinned where mutation testing found it unpinned (TESTING.md, "Mutation
//! testing"): a test here fails when a line of `src/audit` is changed to do something else.
//! Kept apart from the module's own tests, which other work edits.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokendesk::api::{Action, ApiError, Document};
use tokendesk::audit::{AuditContext, AuditLog, AuditToken, Outcome};

fn context() -> AuditContext {
    AuditContext {
        operator: Some("clerk".into()),
        host: "crm.example.com".into(),
        ..AuditContext::default()
    }
}

#[test]
fn a_lost_answer_whose_re_read_failed_says_why_not_not_found() {
    let lost = ApiError::TimedOut {
        after: Duration::from_secs(30),
    };
    let reread: Result<Document, ApiError> = Err(ApiError::Disconnected {
        detail: "reset".into(),
    });
    let Outcome::Unknown { reread, .. } = Outcome::unknown(&lost, &reread) else {
        panic!("a lost answer is unknown");
    };
    assert_eq!(
        reread,
        "could not re-read: The connection broke before the answer arrived."
    );
}

#[test]
fn an_outcome_that_cannot_be_written_did_not_prevent_the_action() {
    let log = AuditLog::new(Some(PathBuf::from("/dev/full")), context());
    let pending = tokendesk::audit::PendingAction {
        request: "1-2-3".into(),
        action: Action::Deactivate,
        token: AuditToken::default(),
    };
    let error = log
        .outcome(
            &pending,
            &AuditToken::default(),
            &Outcome::Done {
                state: "NOT_EFFECTIVE".into(),
            },
        )
        .expect_err("disk full");
    assert!(!error.prevented_the_action(), "the action was already sent");
    assert!(
        error
            .to_string()
            .starts_with("The action's result could not be written to the audit log /dev/full ("),
        "{error}"
    );
}

#[test]
fn the_log_says_where_it_is_and_whose_it_is() {
    let path = Path::new("/var/log/tokendesk/audit.jsonl");
    let log = AuditLog::new(Some(path.to_owned()), context());
    assert_eq!(log.path(), Some(path));
    assert_eq!(log.context(), &context());
    assert_eq!(AuditLog::new(None, context()).path(), None);
}
