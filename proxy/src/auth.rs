//! Access control: the token, browser sessions, and the same-origin rule.
//!
//! Scripts send the token in `X-Cloudlink-Token`. Browsers open the login URL
//! once and get a session cookie: `v1.<issued>.<nonce>.<mac>`, an HMAC-SHA256
//! over issue time and nonce with a key derived from the token. No server-side
//! store is needed, so every replica started with the same `CLOUDLINK_TOKEN`
//! accepts the cookies of the others. A cookie-authenticated request that is
//! not a GET must also carry a same-origin `Origin` and the custom header
//! `X-Cloudlink-Request`, which no other site can send without a CORS
//! preflight this server never grants.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::HeaderMap;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use subtle::ConstantTimeEq;

pub const TOKEN_HEADER: &str = "x-cloudlink-token";
pub const CSRF_HEADER: &str = "x-cloudlink-request";
pub const SESSION_COOKIE: &str = "cloudlink_session";
/// How long a browser session lasts.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);

/// Random bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    SystemRandom::new()
        .fill(&mut buf)
        .expect("the system random source works");
    hex::encode(buf)
}

/// The access token and the session key derived from it. `Debug` shows neither.
pub struct Auth {
    token: String,
    session_key: hmac::Key,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Auth { token: <redacted> }")
    }
}

/// How a request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Token,
    Session,
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No token and no valid session.
    Unauthenticated,
    /// A session, but a state-changing request without the same-origin proof.
    CrossSite,
}

impl Auth {
    pub fn new(token: String) -> Self {
        let derive = hmac::Key::new(hmac::HMAC_SHA256, token.as_bytes());
        let material = hmac::sign(&derive, b"cloudlink session key v1");
        Self {
            token,
            session_key: hmac::Key::new(hmac::HMAC_SHA256, material.as_ref()),
        }
    }

    /// The token for the login URL printed at start.
    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn token_matches(&self, candidate: &str) -> bool {
        // Length is not secret (tokens are generated or chosen), content is.
        bool::from(self.token.as_bytes().ct_eq(candidate.as_bytes()))
    }

    /// A new session cookie value issued at `now`.
    pub fn issue_session(&self, now: SystemTime) -> String {
        let issued = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let payload = format!("v1.{issued}.{}", random_hex(16));
        let mac = hmac::sign(&self.session_key, payload.as_bytes());
        format!("{payload}.{}", hex::encode(mac.as_ref()))
    }

    /// Whether a cookie value is a session this token issued and not expired at `now`.
    pub fn session_valid(&self, value: &str, now: SystemTime) -> bool {
        let Some((payload, mac_hex)) = value.rsplit_once('.') else {
            return false;
        };
        let Ok(mac) = hex::decode(mac_hex) else {
            return false;
        };
        if hmac::verify(&self.session_key, payload.as_bytes(), &mac).is_err() {
            return false;
        }
        let mut parts = payload.split('.');
        let (Some("v1"), Some(issued), Some(_nonce), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Ok(issued) = issued.parse::<u64>() else {
            return false;
        };
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        issued <= now + 60 && now - issued.min(now) < SESSION_LIFETIME.as_secs()
    }

    /// Checks a request. `safe` is true for GET and HEAD, which change nothing;
    /// `allowed_origins` are extra public origins (behind a reverse proxy).
    pub fn check(
        &self,
        headers: &HeaderMap,
        safe: bool,
        allowed_origins: &[String],
        now: SystemTime,
    ) -> Result<Credential, Refusal> {
        if let Some(token) = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()) {
            return if self.token_matches(token) {
                Ok(Credential::Token)
            } else {
                Err(Refusal::Unauthenticated)
            };
        }
        let session = cookie(headers, SESSION_COOKIE).filter(|v| self.session_valid(v, now));
        if session.is_none() {
            return Err(Refusal::Unauthenticated);
        }
        if safe {
            return Ok(Credential::Session);
        }
        if headers.get(CSRF_HEADER).is_none() || !same_origin(headers, allowed_origins) {
            return Err(Refusal::CrossSite);
        }
        Ok(Credential::Session)
    }
}

/// The value of one cookie in the `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether `Origin` names this server: the `Host` it was reached at (or the
/// `X-Forwarded-Host` a reverse proxy set), or one of the configured origins.
pub fn same_origin(headers: &HeaderMap, allowed_origins: &[String]) -> bool {
    let Some(origin) = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    if allowed_origins
        .iter()
        .any(|o| o.trim_end_matches('/') == origin)
    {
        return true;
    }
    let Some(authority) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(axum::http::header::HOST))
        .and_then(|v| v.to_str().ok());
    host.is_some_and(|h| h.eq_ignore_ascii_case(authority))
}

/// The `Set-Cookie` value for a new session. `secure` when served over HTTPS.
pub fn session_cookie_header(value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_LIFETIME.as_secs()
    )
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_cookie_header() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    #[test]
    fn session_round_trips_and_other_tokens_reject_it() {
        let auth = Auth::new("a".repeat(32));
        let cookie = auth.issue_session(now());
        assert!(auth.session_valid(&cookie, now()));
        assert!(!Auth::new("b".repeat(32)).session_valid(&cookie, now()));
        // Another replica with the same token accepts it.
        assert!(Auth::new("a".repeat(32)).session_valid(&cookie, now()));
    }

    #[test]
    fn session_expires_and_tampering_is_caught() {
        let auth = Auth::new("token-1234567890".into());
        let cookie = auth.issue_session(now());
        assert!(!auth.session_valid(&cookie, now() + SESSION_LIFETIME + Duration::from_secs(1)));
        assert!(auth.session_valid(&cookie, now() + SESSION_LIFETIME - Duration::from_secs(1)));
        let issued: u64 = cookie.split('.').nth(1).unwrap().parse().unwrap();
        let forged = cookie.replacen(&issued.to_string(), &(issued + 100_000).to_string(), 1);
        assert!(!auth.session_valid(&forged, now()));
        assert!(!auth.session_valid("v1.1.2", now()));
        assert!(!auth.session_valid("", now()));
    }

    #[test]
    fn cookie_needs_origin_and_custom_header_to_change_anything() {
        let auth = Auth::new("t0ken-t0ken-t0ken".into());
        let session = auth.issue_session(now());
        let mut h = HeaderMap::new();
        h.insert(
            "cookie",
            HeaderValue::from_str(&format!("x=1; {SESSION_COOKIE}={session}")).unwrap(),
        );
        h.insert("host", HeaderValue::from_static("console.example:8080"));
        assert_eq!(auth.check(&h, true, &[], now()), Ok(Credential::Session));
        assert_eq!(auth.check(&h, false, &[], now()), Err(Refusal::CrossSite));
        h.insert(
            "origin",
            HeaderValue::from_static("http://console.example:8080"),
        );
        assert_eq!(auth.check(&h, false, &[], now()), Err(Refusal::CrossSite));
        h.insert(CSRF_HEADER, HeaderValue::from_static("1"));
        assert_eq!(auth.check(&h, false, &[], now()), Ok(Credential::Session));
        h.insert("origin", HeaderValue::from_static("https://evil.example"));
        assert_eq!(auth.check(&h, false, &[], now()), Err(Refusal::CrossSite));
        assert_eq!(
            auth.check(&h, false, &["https://evil.example".to_owned()], now()),
            Ok(Credential::Session)
        );
    }

    #[test]
    fn wrong_token_is_refused_even_with_a_session() {
        let auth = Auth::new("right-token-right".into());
        let mut h = HeaderMap::new();
        h.insert(TOKEN_HEADER, HeaderValue::from_static("wrong-token-wrong"));
        assert_eq!(
            auth.check(&h, true, &[], now()),
            Err(Refusal::Unauthenticated)
        );
        h.insert(TOKEN_HEADER, HeaderValue::from_static("right-token-right"));
        assert_eq!(auth.check(&h, false, &[], now()), Ok(Credential::Token));
    }
}
