//! What the client agrees to talk over. HTTPS is verified against the system's trust store
//! (reqwest's rustls backend uses rustls-platform-verifier), to which a private CA can be
//! added; there is deliberately no way to skip verification. Plain HTTP carries the password
//! and the session token in clear, so it is refused unless the server is on this machine or
//! the person starting tokendesk asked for it. No redirect is followed: a 307 to the log-in
//! would carry the password to whatever host it names (`redirected_to` says where, for the
//! sentence).

use std::net::IpAddr;
use std::path::Path;

use reqwest::Url;
use reqwest::tls::Certificate;

use super::error::ApiError;
use crate::text::sanitize;

/// Refuses `http://` to anything but a loopback address, unless `allow_http`.
pub fn check_scheme(url: &Url, allow_http: bool) -> Result<(), ApiError> {
    if url.scheme() != "http" || allow_http || is_loopback(url) {
        return Ok(());
    }
    let host = url.host_str().unwrap_or_default();
    Err(ApiError::Config(format!(
        "Refusing plain http:// to {}: the password and the session token would cross the network unencrypted. Use https://, or add --allow-http on the command line if this network is trusted.",
        sanitize(host)
    )))
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // An IPv6 host comes in brackets, as it is written in a URL.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// How many characters of a redirect's target a sentence shows.
const LOCATION_CHARS: usize = 120;

/// Where a redirect pointed, as a clerk may read it: `location` resolved against the URL
/// that was asked for, without its user, query or fragment (a list's query holds the
/// session token, and a server may echo it back), cleaned for a terminal and shortened.
pub fn redirected_to(location: Option<&[u8]>, asked: &Url) -> Option<String> {
    let written = std::str::from_utf8(location?).ok()?.trim();
    if written.is_empty() {
        return None;
    }
    let shown = match asked.join(written) {
        Ok(mut target) => {
            let _ = target.set_username("");
            let _ = target.set_password(None);
            target.set_query(None);
            target.set_fragment(None);
            target.to_string()
        }
        Err(_) => written
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    Some(crate::text::truncate_chars(&sanitize(&shown), LOCATION_CHARS).into_owned())
}

/// The most a CA file may hold: a whole system bundle is a few hundred kilobytes.
pub const MAX_CA_CERT_BYTES: u64 = 4 * 1024 * 1024;

/// The certificates of a private CA, from a PEM file, to trust beside the system's. Only a
/// regular file is read, and only up to `MAX_CA_CERT_BYTES` (`/dev/zero` would never end,
/// a FIFO would block).
pub fn private_ca(path: &Path) -> Result<Vec<Certificate>, ApiError> {
    let shown = sanitize(&path.display().to_string()).into_owned();
    let pem = crate::safe_file::read_bounded(path, MAX_CA_CERT_BYTES)
        .map_err(|e| ApiError::Config(format!("Cannot read the CA certificate {shown}: {e}.")))?;
    let certificates = Certificate::from_pem_bundle(&pem).map_err(|_| {
        ApiError::Config(format!(
            "{shown} is not a PEM certificate (it should hold -----BEGIN CERTIFICATE----- blocks)."
        ))
    })?;
    if certificates.is_empty() {
        return Err(ApiError::Config(format!(
            "{shown} holds no certificate (no -----BEGIN CERTIFICATE----- block)."
        )));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(raw: &str) -> Url {
        Url::parse(raw).expect("a URL")
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        for local in [
            "http://127.0.0.1:8080/",
            "http://127.1.2.3/",
            "http://[::1]:8080/",
            "http://localhost/",
            "http://LOCALHOST:9/",
        ] {
            assert!(check_scheme(&url(local), false).is_ok(), "{local}");
        }
        let refused = check_scheme(&url("http://crm.example.com/"), false).expect_err("remote");
        assert_eq!(
            refused.to_string(),
            "Refusing plain http:// to crm.example.com: the password and the session token would cross the network unencrypted. Use https://, or add --allow-http on the command line if this network is trusted."
        );
        for remote in [
            "http://10.0.0.1/",
            "http://[2001:db8::1]/",
            "http://localhost.example.com/",
        ] {
            assert!(check_scheme(&url(remote), false).is_err(), "{remote}");
            assert!(check_scheme(&url(remote), true).is_ok(), "{remote}");
        }
        assert!(check_scheme(&url("https://crm.example.com/"), false).is_ok());
    }

    #[test]
    fn a_private_ca_must_be_a_readable_pem_file() {
        let missing = private_ca(Path::new("/no/such/ca.pem")).expect_err("missing");
        assert!(
            missing
                .to_string()
                .starts_with("Cannot read the CA certificate /no/such/ca.pem:"),
            "{missing}"
        );
        let dir = std::env::temp_dir().join(format!("tokendesk-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").expect("written");
        let refused = private_ca(&empty).expect_err("no certificate");
        assert!(
            refused.to_string().contains("holds no certificate"),
            "{refused}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
