//! Passwords and session tokens: held in buffers that are wiped when dropped, never printed,
//! never logged. The log-in body, which carries the password, is wiped the same way once
//! the HTTP stack has sent it.

use std::fmt;

use bytes::Bytes;
use serde::Serialize;
use zeroize::Zeroizing;

/// A password or a session token. Its memory is overwritten with zeros when the last copy
/// is dropped, so it does not linger in freed memory (a core dump, swap); `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(Zeroizing::new(value.into()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(hidden)")
    }
}

/// Who logs in: the password is held as a `Secret` for as long as re-login needs it.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub username: String,
    pub password: Secret,
    pub organisation: String,
    pub unit: Option<String>,
}

/// `authentication/token`'s body, serialised straight into a buffer that is wiped when the
/// HTTP stack lets go of it (no intermediate `serde_json::Value` holding a copy).
pub fn login_body(credentials: &Credentials) -> Bytes {
    #[derive(Serialize)]
    struct LoginBody<'a> {
        username: &'a str,
        password: &'a str,
        organisation: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<&'a str>,
    }
    let body = LoginBody {
        username: &credentials.username,
        password: credentials.password.expose(),
        organisation: &credentials.organisation,
        unit: credentials.unit.as_deref(),
    };
    // Room for everything up front, so that growing the buffer leaves no copy behind.
    let room = 128
        + 2 * (body.username.len()
            + body.password.len()
            + body.organisation.len()
            + body.unit.map_or(0, str::len));
    let mut buffer = Zeroizing::new(Vec::with_capacity(room));
    // Serialising string fields into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *buffer, &body);
    Bytes::from_owner(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(hidden)");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn the_login_body_is_the_credentials_as_json() {
        let credentials = Credentials {
            username: "clerk".into(),
            password: Secret::new("p\"w\\d"),
            organisation: "ACME".into(),
            unit: None,
        };
        let body: serde_json::Value =
            serde_json::from_slice(&login_body(&credentials)).expect("JSON");
        assert_eq!(
            body,
            serde_json::json!({"username": "clerk", "password": "p\"w\\d", "organisation": "ACME"})
        );
        let with_unit = Credentials {
            unit: Some("HQ".into()),
            ..credentials
        };
        let body: serde_json::Value =
            serde_json::from_slice(&login_body(&with_unit)).expect("JSON");
        assert_eq!(body["unit"], "HQ");
    }
}
