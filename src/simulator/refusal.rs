//! The simulator's refusals: CRM.COM's error codes and the sentence that goes with each.
//! Plain values, so the store and the parameter parsing can refuse without knowing HTTP.

/// The `status.code` values of CRMCOM-API.md's error table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorCode {
    InvalidToken,
    InvalidCredentials,
    MissingParameter,
    InvalidParameter,
    NotFound,
    InvalidLifeCycleState,
    InternalError,
}

impl ErrorCode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidToken => "INVALID_TOKEN",
            ErrorCode::InvalidCredentials => "INVALID_CREDENTIALS",
            ErrorCode::MissingParameter => "MISSING_PARAMETER",
            ErrorCode::InvalidParameter => "INVALID_PARAMETER",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::InvalidLifeCycleState => "INVALID_LIFE_CYCLE_STATE",
            ErrorCode::InternalError => "INTERNAL_ERROR",
        }
    }
}

/// A failed call: the code and the sentence that go into the envelope's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }
}
