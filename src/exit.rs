//! How a run of tokendesk ends: the exit statuses (documented in the README) and `Failure`,
//! the sentence and status that the subcommands and the console both end with.

use std::io::Write;
use std::process::ExitCode;

use crate::api::ApiError;
use crate::audit::AuditError;

pub const REFUSED: u8 = 1;
pub const USAGE: u8 = 2;
pub const UNREACHABLE: u8 = 3;
pub const AUTHENTICATION: u8 = 4;
pub const NOT_CONFIRMED: u8 = 5;
pub const READ_ONLY: u8 = 6;
pub const NOT_AUDITED: u8 = 7;
/// The console's terminal went away (the SSH link dropped); nothing is printed.
pub const TERMINAL_LOST: u8 = 8;
/// A list stopped at `--limit` or at the profile's `list_ceiling`: it holds more tokens
/// than were printed (or, for a batch, than it may act on, so nothing was sent).
pub const LIMITED: u8 = 9;
/// `tokendesk audit --verify` found no chain to verify (an empty log, or one an older
/// tokendesk wrote): nothing is proven, which is not the same as a chain that holds.
pub const UNVERIFIABLE: u8 = 10;

/// A command's failure: the sentence, and the exit status that classifies it.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub status: u8,
}

impl Failure {
    pub fn new(status: u8, message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            status,
        }
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        let status = match &error {
            ApiError::InvalidCredentials { .. }
            | ApiError::SessionRefused { .. }
            | ApiError::SessionExpired
            | ApiError::NewSessionRefused { .. } => AUTHENTICATION,
            ApiError::Server { .. } => REFUSED,
            // A server that redirects is a URL to fix, like one that does not parse.
            ApiError::Config(_) | ApiError::Redirected { .. } => USAGE,
            ApiError::ReadOnly { .. } => READ_ONLY,
            ApiError::NotAudited(_) => NOT_AUDITED,
            _ => UNREACHABLE,
        };
        Failure::new(status, error.to_string())
    }
}

impl From<AuditError> for Failure {
    fn from(error: AuditError) -> Failure {
        Failure::new(NOT_AUDITED, error.to_string())
    }
}

/// One line on standard error on the way to the result, as the failures are written. A
/// terminal that is gone is no reason to stop the work.
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "tokendesk: {text}");
}

/// The exit status, with the failure's sentence on standard error. A lost terminal has no
/// sentence (nobody is there to read it), and a standard error that cannot be written to
/// is no reason to panic.
pub fn report(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                let _ = writeln!(std::io::stderr().lock(), "tokendesk: {}", failure.message);
            }
            ExitCode::from(failure.status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_map_to_exit_statuses() {
        assert_eq!(
            Failure::from(ApiError::SessionExpired).status,
            AUTHENTICATION
        );
        assert_eq!(
            Failure::from(ApiError::server("NOT_FOUND", "")).status,
            REFUSED
        );
        assert_eq!(
            Failure::from(ApiError::Connect {
                host: "h".into(),
                detail: "refused".into()
            })
            .status,
            UNREACHABLE
        );
    }
}
