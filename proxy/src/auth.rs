//! Access control: the token, login codes, browser sessions, the same-origin
//! rule and the slow-down of failed logins.
//!
//! Scripts send the token in `X-Cloudlink-Token`. Browsers open the login link
//! printed at start, which carries a login code (not the token), or paste the
//! token in the login form, and get a session cookie. Codes and cookies are
//! HMAC-SHA256 tags under keys derived with HKDF from the token and a purpose
//! label, so no server-side store is needed and every replica started with the
//! same `CLOUDLINK_TOKEN` accepts the codes and cookies of the others
//! (`CLOUDLINK_SESSION_KEY`, when set, keys the cookies instead, so a captured
//! cookie says nothing about the token).
//!
//! A cookie-authenticated request that is not a GET must also carry a
//! same-origin `Origin` and the custom header `X-Cloudlink-Request`, which no
//! other site can send without a CORS preflight this server never grants.
//!
//! Every function that depends on the time takes it as an argument, so the
//! expiry rules are tested without sleeping.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use ring::{hkdf, hmac};
use subtle::ConstantTimeEq;

pub use cloudlink_core::contract::{CSRF_HEADER, TOKEN_HEADER};
/// The session cookie's name over plain HTTP.
pub const SESSION_COOKIE: &str = "cloudlink_session";
/// The session cookie's name over HTTPS: browsers keep a `__Host-` cookie
/// only if it is `Secure`, has `Path=/` and no `Domain`, so no sibling
/// subdomain or plain-HTTP page can plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-cloudlink_session";
/// The shortest `CLOUDLINK_TOKEN` (and `CLOUDLINK_SESSION_KEY`) accepted.
pub const MIN_TOKEN_CHARS: usize = 32;
/// A session unused this long ends.
pub const SESSION_IDLE: Duration = Duration::from_secs(3600);
/// A session ends this long after its login, used or not.
pub const SESSION_ABSOLUTE: Duration = Duration::from_secs(12 * 3600);
/// A valid cookie older than this is replaced by a fresh one when used.
pub const SESSION_RENEW_AFTER: Duration = Duration::from_secs(5 * 60);
/// How long a printed login code works.
pub const LOGIN_CODE_LIFETIME: Duration = Duration::from_secs(5 * 60);
/// Most login codes remembered as used at once (each is forgotten when it expires).
pub const USED_CODES_MAX: usize = 10_000;
/// Failed-login delay: doubles from this with every failure of one client...
pub const BACKOFF_BASE: Duration = Duration::from_millis(100);
/// ...up to this.
pub const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// A client's failures are forgotten after this long without a new one.
pub const BACKOFF_FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
/// Most clients whose failures are remembered at once.
pub const BACKOFF_MAX_CLIENTS: usize = 4096;

const HKDF_SALT: &[u8] = b"cloudlink hkdf salt v1";
/// HKDF purpose label of the session cookie key.
pub const PURPOSE_SESSION: &[u8] = b"cloudlink session cookie v2";
/// HKDF purpose label of the login code key.
pub const PURPOSE_LOGIN_CODE: &[u8] = b"cloudlink login code v1";

/// Random bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    hex::encode(random_bytes(bytes))
}

fn random_bytes(bytes: usize) -> Vec<u8> {
    let mut buf = vec![0u8; bytes];
    SystemRandom::new()
        .fill(&mut buf)
        .expect("the system random source works");
    buf
}

/// An HMAC-SHA256 key derived from `secret` for one `purpose` with HKDF-SHA256.
pub fn derive_key(secret: &[u8], purpose: &[u8]) -> hmac::Key {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, HKDF_SALT).extract(secret);
    let info = [purpose];
    let okm = prk
        .expand(&info, hmac::HMAC_SHA256)
        .expect("one HMAC key is within HKDF's output limit");
    hmac::Key::from(okm)
}

/// Why a secret given at start is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{name} must be at least {MIN_TOKEN_CHARS} characters (it has {chars}); generate one with `openssl rand -hex 32`"
)]
pub struct WeakSecret {
    pub name: &'static str,
    pub chars: usize,
}

/// Checks the length floor of `CLOUDLINK_TOKEN` or `CLOUDLINK_SESSION_KEY`.
pub fn check_secret(name: &'static str, value: &str) -> Result<(), WeakSecret> {
    let chars = value.chars().count();
    if chars < MIN_TOKEN_CHARS {
        return Err(WeakSecret { name, chars });
    }
    Ok(())
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs()
}

/// The token, the keys derived from it, the login codes used here, and the
/// failed-login counts. `Debug` shows no secret.
pub struct Auth {
    token: String,
    session_key: hmac::Key,
    code_key: hmac::Key,
    used_codes: Mutex<HashMap<String, u64>>,
    pub throttle: Throttle,
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
    /// A wrong `X-Cloudlink-Token`: a failed login, slowed and audit-logged.
    WrongToken,
    /// No token and no valid session.
    Unauthenticated,
    /// A session, but a state-changing request without the same-origin proof.
    CrossSite,
}

/// Why a login code is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    /// Not a code this token issued (or mangled).
    Invalid,
    /// Issued more than [`LOGIN_CODE_LIFETIME`] ago.
    Expired,
    /// Already exchanged for a session on this replica.
    Used,
    /// More unexpired used codes than [`USED_CODES_MAX`]: refused rather than forgotten.
    Full,
}

impl CodeRefusal {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeRefusal::Invalid => "invalid",
            CodeRefusal::Expired => "expired",
            CodeRefusal::Used => "used",
            CodeRefusal::Full => "too many codes in use",
        }
    }
}

/// A valid session cookie, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    /// When the user logged in (unix seconds); fixes the absolute expiry.
    pub login: u64,
    /// When this cookie was issued (unix seconds); fixes the idle expiry.
    pub issued: u64,
}

impl Auth {
    /// Cookies keyed by the token.
    pub fn new(token: String) -> Self {
        Self::with_session_secret(token, None)
    }

    /// Cookies keyed by `session_secret` when given (`CLOUDLINK_SESSION_KEY`),
    /// else by the token.
    pub fn with_session_secret(token: String, session_secret: Option<&str>) -> Self {
        let session_key = derive_key(session_secret.unwrap_or(&token).as_bytes(), PURPOSE_SESSION);
        let code_key = derive_key(token.as_bytes(), PURPOSE_LOGIN_CODE);
        Self {
            token,
            session_key,
            code_key,
            used_codes: Mutex::new(HashMap::new()),
            throttle: Throttle::default(),
        }
    }

    /// The token, for the start-up message when it was generated.
    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn token_matches(&self, candidate: &str) -> bool {
        // Length is not secret (at least 32 characters, generated or chosen), content is.
        bool::from(self.token.as_bytes().ct_eq(candidate.as_bytes()))
    }

    fn tag(key: &hmac::Key, payload: &str) -> String {
        URL_SAFE_NO_PAD.encode(hmac::sign(key, payload.as_bytes()).as_ref())
    }

    fn verify(key: &hmac::Key, value: &str) -> Option<String> {
        let (payload, tag) = value.rsplit_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        hmac::verify(key, payload.as_bytes(), &tag).ok()?;
        Some(payload.to_owned())
    }

    /// A login code issued at `now`: `c1.<expiry>.<nonce>.<tag>`, valid for
    /// [`LOGIN_CODE_LIFETIME`] on every replica that shares the token.
    pub fn issue_login_code(&self, now: SystemTime) -> String {
        let expiry = unix(now) + LOGIN_CODE_LIFETIME.as_secs();
        let payload = format!("c1.{expiry}.{}", URL_SAFE_NO_PAD.encode(random_bytes(12)));
        let tag = Self::tag(&self.code_key, &payload);
        format!("{payload}.{tag}")
    }

    /// Takes a login code at `now`: valid, unexpired and not used here
    /// before. A code taken here is refused here from then on.
    pub fn take_login_code(&self, code: &str, now: SystemTime) -> Result<(), CodeRefusal> {
        let payload = Self::verify(&self.code_key, code).ok_or(CodeRefusal::Invalid)?;
        let mut parts = payload.split('.');
        let (Some("c1"), Some(expiry), Some(nonce), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CodeRefusal::Invalid);
        };
        let expiry: u64 = expiry.parse().map_err(|_| CodeRefusal::Invalid)?;
        let now = unix(now);
        if now >= expiry {
            return Err(CodeRefusal::Expired);
        }
        let mut used = self
            .used_codes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if used.contains_key(nonce) {
            return Err(CodeRefusal::Used);
        }
        if used.len() >= USED_CODES_MAX {
            used.retain(|_, exp| *exp > now);
            if used.len() >= USED_CODES_MAX {
                return Err(CodeRefusal::Full);
            }
        }
        used.insert(nonce.to_owned(), expiry);
        Ok(())
    }

    fn session_value(&self, login: u64, issued: u64) -> String {
        let payload = format!(
            "v2.{login}.{issued}.{}",
            URL_SAFE_NO_PAD.encode(random_bytes(12))
        );
        let tag = Self::tag(&self.session_key, &payload);
        format!("{payload}.{tag}")
    }

    /// A new session cookie value for a login at `now`.
    pub fn issue_session(&self, now: SystemTime) -> String {
        self.session_value(unix(now), unix(now))
    }

    /// The session a cookie value holds, if this key issued it and it has
    /// not ended at `now` (idle or absolute).
    pub fn session(&self, value: &str, now: SystemTime) -> Option<Session> {
        let payload = Self::verify(&self.session_key, value)?;
        let mut parts = payload.split('.');
        let (Some("v2"), Some(login), Some(issued), Some(_nonce), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let login: u64 = login.parse().ok()?;
        let issued: u64 = issued.parse().ok()?;
        let now = unix(now);
        // A minute of clock skew between replicas is tolerated.
        let fresh = issued >= login
            && issued <= now + 60
            && now.saturating_sub(issued) < SESSION_IDLE.as_secs()
            && now.saturating_sub(login) < SESSION_ABSOLUTE.as_secs();
        fresh.then_some(Session { login, issued })
    }

    pub fn session_valid(&self, value: &str, now: SystemTime) -> bool {
        self.session(value, now).is_some()
    }

    /// For a valid cookie issued more than [`SESSION_RENEW_AFTER`] ago, a
    /// fresh value with the same login time (the idle clock restarts, the
    /// absolute one does not).
    pub fn renewal(&self, value: &str, now: SystemTime) -> Option<String> {
        let s = self.session(value, now)?;
        (unix(now).saturating_sub(s.issued) >= SESSION_RENEW_AFTER.as_secs())
            .then(|| self.session_value(s.login, unix(now)))
    }

    /// The first valid session cookie of a request (either name), with its value.
    pub fn request_session<'a>(
        &self,
        headers: &'a HeaderMap,
        now: SystemTime,
    ) -> Option<(&'a str, Session)> {
        [SECURE_SESSION_COOKIE, SESSION_COOKIE]
            .iter()
            .flat_map(|name| cookies(headers, name))
            .find_map(|v| self.session(v, now).map(|s| (v, s)))
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
        if let Some(token) = headers.get(TOKEN_HEADER) {
            let token = token.to_str().unwrap_or_default();
            return if self.token_matches(token) {
                Ok(Credential::Token)
            } else {
                Err(Refusal::WrongToken)
            };
        }
        if self.request_session(headers, now).is_none() {
            return Err(Refusal::Unauthenticated);
        }
        if safe {
            return Ok(Credential::Session);
        }
        if !csrf_proof(headers, allowed_origins) {
            return Err(Refusal::CrossSite);
        }
        Ok(Credential::Session)
    }

    /// The `Set-Cookie` value for a session cookie `value` issued at `now`.
    /// `secure` when served over HTTPS. The browser keeps it until the idle or
    /// absolute end, whichever is first.
    pub fn cookie_header(&self, value: &str, secure: bool, now: SystemTime) -> String {
        let max_age = self.session(value, now).map_or(0, |s| {
            let absolute_left = (s.login + SESSION_ABSOLUTE.as_secs()).saturating_sub(unix(now));
            absolute_left.min(SESSION_IDLE.as_secs())
        });
        let name = cookie_name(secure);
        let secure = if secure { "; Secure" } else { "" };
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
    }
}

/// Whether a state-changing browser request proves it comes from the
/// console: the custom header and a same-origin `Origin`.
pub fn csrf_proof(headers: &HeaderMap, allowed_origins: &[String]) -> bool {
    headers.get(CSRF_HEADER).is_some() && same_origin(headers, allowed_origins)
}

/// The session cookie's name: `__Host-` over HTTPS.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// Every value of one cookie in the `Cookie` headers.
pub fn cookies<'a>(headers: &'a HeaderMap, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(move |(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The first value of one cookie in the `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &'a str) -> Option<&'a str> {
    cookies(headers, name).next()
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

/// The `Set-Cookie` values that end a session: the plain cookie, and over
/// HTTPS the `__Host-` one too (a browser drops a `Secure` cookie only when
/// told so with `Secure`).
pub fn clear_cookie_headers(secure: bool) -> Vec<String> {
    let mut out = vec![format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
    )];
    if secure {
        out.push(format!(
            "{SECURE_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
        ));
    }
    out
}

/// The delay before answering the `failures`-th failed login in a row of one
/// client: 100 ms, 200 ms, 400 ms, ... up to 5 s.
pub fn backoff(failures: u32) -> Duration {
    scaled_backoff(failures, BACKOFF_BASE, BACKOFF_MAX)
}

fn scaled_backoff(failures: u32, base: Duration, max: Duration) -> Duration {
    if failures == 0 {
        return Duration::ZERO;
    }
    let factor = 1u32 << (failures - 1).min(16);
    base.saturating_mul(factor).min(max)
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Failed logins per client address: each failure is answered after
/// [`backoff`] of that client's count. Only failures wait, so a right token
/// is never slowed, from any address; a client's count is forgotten after
/// [`BACKOFF_FORGET_AFTER`] without failures or at its next success; at most
/// [`BACKOFF_MAX_CLIENTS`] are remembered (the longest quiet go first).
#[derive(Debug)]
pub struct Throttle {
    clients: Mutex<HashMap<String, Failures>>,
    /// How many clients `clients` holds, readable without its lock: while it is zero (a
    /// proxy nobody failed at), a right token costs no lock and no formatted address.
    remembered: std::sync::atomic::AtomicUsize,
    base: Duration,
    max: Duration,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::with_delays(BACKOFF_BASE, BACKOFF_MAX)
    }
}

impl Throttle {
    /// A throttle whose delays start at `base` and stop at `max` (tests use
    /// small ones; the server uses [`BACKOFF_BASE`] and [`BACKOFF_MAX`]).
    pub fn with_delays(base: Duration, max: Duration) -> Self {
        Self {
            clients: Mutex::new(HashMap::new()),
            remembered: std::sync::atomic::AtomicUsize::new(0),
            base,
            max,
        }
    }

    /// Records a failure of `client` at `now`; the value is how long to wait
    /// before answering it, and the failures counted so far.
    pub fn failure(&self, client: &str, now: Instant) -> (Duration, u32) {
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let stale = |f: &Failures| now.saturating_duration_since(f.last) >= BACKOFF_FORGET_AFTER;
        if !clients.contains_key(client) && clients.len() >= BACKOFF_MAX_CLIENTS {
            clients.retain(|_, f| !stale(f));
            if clients.len() >= BACKOFF_MAX_CLIENTS {
                let oldest = clients
                    .iter()
                    .min_by_key(|(_, f)| f.last)
                    .map(|(k, _)| k.clone());
                if let Some(k) = oldest {
                    clients.remove(&k);
                }
            }
        }
        let entry = clients.entry(client.to_owned()).or_insert(Failures {
            count: 0,
            last: now,
        });
        if stale(entry) {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
        let counted = (
            scaled_backoff(entry.count, self.base, self.max),
            entry.count,
        );
        self.remembered
            .store(clients.len(), std::sync::atomic::Ordering::Relaxed);
        counted
    }

    /// A right token or code from `client`: its count starts again.
    pub fn success(&self, client: &str) {
        self.success_of(|| client.to_owned());
    }

    /// [`Throttle::success`] of the client `client` names, worked out only when some
    /// client is remembered at all.
    pub fn success_of(&self, client: impl FnOnce() -> String) {
        if self.remembered.load(std::sync::atomic::Ordering::Relaxed) == 0 {
            return;
        }
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        clients.remove(&client());
        self.remembered
            .store(clients.len(), std::sync::atomic::Ordering::Relaxed);
    }

    /// How many clients are remembered.
    pub fn len(&self) -> usize {
        self.clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const T: &str = "a-token-of-32-characters-or-more!";

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn hkdf_keys_differ_per_purpose_and_secret() {
        let tag = |k: &hmac::Key| hmac::sign(k, b"x").as_ref().to_vec();
        let session = tag(&derive_key(T.as_bytes(), PURPOSE_SESSION));
        let code = tag(&derive_key(T.as_bytes(), PURPOSE_LOGIN_CODE));
        assert_ne!(session, code);
        assert_eq!(session, tag(&derive_key(T.as_bytes(), PURPOSE_SESSION)));
        assert_ne!(
            session,
            tag(&derive_key(b"another secret", PURPOSE_SESSION))
        );
        // The key is not the token used directly as an HMAC key.
        assert_ne!(
            session,
            tag(&hmac::Key::new(hmac::HMAC_SHA256, T.as_bytes()))
        );
    }

    #[test]
    fn a_login_code_works_once_for_five_minutes_on_any_replica_of_the_token() {
        let auth = Auth::new(T.into());
        let code = auth.issue_login_code(now());
        assert!(!code.contains(T));
        assert_eq!(auth.take_login_code(&code, now() + secs(299)), Ok(()));
        assert_eq!(
            auth.take_login_code(&code, now() + secs(299)),
            Err(CodeRefusal::Used)
        );
        // Another replica with the same token takes it (once); another token does not.
        let replica = Auth::new(T.into());
        assert_eq!(replica.take_login_code(&code, now()), Ok(()));
        assert_eq!(
            replica.take_login_code(&code, now()),
            Err(CodeRefusal::Used)
        );
        let other = Auth::new("b".repeat(32));
        assert_eq!(
            other.take_login_code(&code, now()),
            Err(CodeRefusal::Invalid)
        );
        // Expiry, checked before single use.
        let late = auth.issue_login_code(now());
        assert_eq!(
            auth.take_login_code(&late, now() + LOGIN_CODE_LIFETIME),
            Err(CodeRefusal::Expired)
        );
        assert_eq!(auth.take_login_code(&late, now() + secs(1)), Ok(()));
        // A code is not a session and a session is not a code.
        let cookie = auth.issue_session(now());
        assert_eq!(
            auth.take_login_code(&cookie, now()),
            Err(CodeRefusal::Invalid)
        );
        assert!(!auth.session_valid(&auth.issue_login_code(now()), now()));
        // Tampering with the expiry breaks the tag.
        let fresh = auth.issue_login_code(now());
        let expiry = fresh.split('.').nth(1).unwrap();
        let forged = fresh.replacen(
            expiry,
            &(expiry.parse::<u64>().unwrap() + 3600).to_string(),
            1,
        );
        assert_eq!(
            auth.take_login_code(&forged, now() + secs(600)),
            Err(CodeRefusal::Invalid)
        );
        for junk in ["", "c1", "c1.1.2.3", "c1.x.y.z.w", T] {
            assert_eq!(auth.take_login_code(junk, now()), Err(CodeRefusal::Invalid));
        }
    }

    #[test]
    fn used_codes_are_forgotten_when_they_expire() {
        let auth = Auth::new(T.into());
        for i in 0..3 {
            let c = auth.issue_login_code(now() + secs(i));
            auth.take_login_code(&c, now() + secs(i)).unwrap();
        }
        assert_eq!(auth.used_codes.lock().unwrap().len(), 3);
        // Pruning happens when the set is full; fill it with expired entries.
        {
            let mut used = auth.used_codes.lock().unwrap();
            for i in 0..USED_CODES_MAX {
                used.insert(format!("old{i}"), unix(now()));
            }
        }
        let later = now() + LOGIN_CODE_LIFETIME + secs(10);
        let c = auth.issue_login_code(later);
        assert_eq!(auth.take_login_code(&c, later), Ok(()));
        assert_eq!(auth.used_codes.lock().unwrap().len(), 1);
        // Full of unexpired codes: refused, never forgotten early.
        {
            let mut used = auth.used_codes.lock().unwrap();
            for i in 0..USED_CODES_MAX {
                used.insert(format!("live{i}"), unix(later) + 100);
            }
        }
        let c = auth.issue_login_code(later);
        assert_eq!(auth.take_login_code(&c, later), Err(CodeRefusal::Full));
    }

    #[test]
    fn session_round_trips_and_other_keys_reject_it() {
        let auth = Auth::new(T.into());
        let cookie = auth.issue_session(now());
        assert!(auth.session_valid(&cookie, now()));
        assert!(!Auth::new("b".repeat(32)).session_valid(&cookie, now()));
        // Another replica with the same token accepts it.
        assert!(Auth::new(T.into()).session_valid(&cookie, now()));
        // With CLOUDLINK_SESSION_KEY, the token alone does not make the key.
        let keyed = Auth::with_session_secret(T.into(), Some(&"k".repeat(40)));
        let keyed_cookie = keyed.issue_session(now());
        assert!(keyed.session_valid(&keyed_cookie, now()));
        assert!(!auth.session_valid(&keyed_cookie, now()));
        assert!(!keyed.session_valid(&cookie, now()));
        assert!(
            Auth::with_session_secret("c".repeat(32), Some(&"k".repeat(40)))
                .session_valid(&keyed_cookie, now())
        );
    }

    #[test]
    fn a_session_ends_after_an_idle_hour_or_twelve_hours_in_all() {
        let auth = Auth::new(T.into());
        let cookie = auth.issue_session(now());
        assert!(auth.session_valid(&cookie, now() + SESSION_IDLE - secs(1)));
        assert!(!auth.session_valid(&cookie, now() + SESSION_IDLE));
        // Too young to renew.
        assert_eq!(auth.renewal(&cookie, now() + secs(60)), None);
        // Used every 50 minutes, it lives on through renewals...
        let mut current = cookie.clone();
        let mut t = now();
        let step = secs(50 * 60);
        while t + step < now() + SESSION_ABSOLUTE {
            t += step;
            current = auth.renewal(&current, t).expect("renewed while used");
            let s = auth.session(&current, t).unwrap();
            assert_eq!(s.login, unix(now()), "renewal keeps the login time");
            assert_eq!(s.issued, unix(t));
        }
        // ...but not past twelve hours after the login.
        assert!(auth.session_valid(&current, now() + SESSION_ABSOLUTE - secs(1)));
        assert!(!auth.session_valid(&current, now() + SESSION_ABSOLUTE));
        assert_eq!(auth.renewal(&current, now() + SESSION_ABSOLUTE), None);
        // The Max-Age the browser gets stops at the absolute end.
        let header = auth.cookie_header(&current, false, now() + SESSION_ABSOLUTE - secs(100));
        assert!(header.contains("Max-Age=100"), "{header}");
        let header = auth.cookie_header(&cookie, false, now());
        assert!(header.contains("Max-Age=3600"), "{header}");
    }

    #[test]
    fn session_tampering_is_caught() {
        let auth = Auth::new(T.into());
        let cookie = auth.issue_session(now());
        let login: u64 = cookie.split('.').nth(1).unwrap().parse().unwrap();
        let forged = cookie.replacen(&login.to_string(), &(login + 100_000).to_string(), 1);
        assert!(!auth.session_valid(&forged, now()));
        assert!(!auth.session_valid("v2.1.2.3", now()));
        assert!(!auth.session_valid("", now()));
    }

    #[test]
    fn the_https_cookie_has_the_host_prefix_and_both_names_are_read() {
        let auth = Auth::new(T.into());
        let value = auth.issue_session(now());
        let https = auth.cookie_header(&value, true, now());
        assert!(https.starts_with("__Host-cloudlink_session="), "{https}");
        assert!(https.contains("; Secure") && https.contains("Path=/"));
        assert!(!https.contains("Domain"));
        let http = auth.cookie_header(&value, false, now());
        assert!(http.starts_with("cloudlink_session=") && !http.contains("Secure"));
        for name in [SECURE_SESSION_COOKIE, SESSION_COOKIE] {
            let mut h = HeaderMap::new();
            h.insert(
                "cookie",
                HeaderValue::from_str(&format!("{name}=junk; {name}={value}")).unwrap(),
            );
            assert_eq!(auth.check(&h, true, &[], now()), Ok(Credential::Session));
        }
        assert_eq!(clear_cookie_headers(true).len(), 2);
        assert!(clear_cookie_headers(true)[1].starts_with("__Host-"));
        assert_eq!(clear_cookie_headers(false).len(), 1);
    }

    #[test]
    fn cookie_needs_origin_and_custom_header_to_change_anything() {
        let auth = Auth::new(T.into());
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
        let auth = Auth::new(T.into());
        let mut h = HeaderMap::new();
        h.insert(
            "cookie",
            HeaderValue::from_str(&format!("{SESSION_COOKIE}={}", auth.issue_session(now())))
                .unwrap(),
        );
        h.insert(TOKEN_HEADER, HeaderValue::from_static("wrong-token-wrong"));
        assert_eq!(auth.check(&h, true, &[], now()), Err(Refusal::WrongToken));
        h.insert(TOKEN_HEADER, HeaderValue::from_str(T).unwrap());
        assert_eq!(auth.check(&h, false, &[], now()), Ok(Credential::Token));
    }

    #[test]
    fn short_secrets_are_refused_with_the_rule() {
        let e = check_secret("CLOUDLINK_TOKEN", "a").unwrap_err();
        assert_eq!(e.chars, 1);
        let msg = e.to_string();
        assert!(
            msg.contains("CLOUDLINK_TOKEN") && msg.contains("32"),
            "{msg}"
        );
        assert!(
            !msg.contains(" a "),
            "the value itself is not repeated: {msg}"
        );
        assert!(check_secret("CLOUDLINK_TOKEN", &"é".repeat(31)).is_err());
        assert!(check_secret("CLOUDLINK_TOKEN", &"x".repeat(32)).is_ok());
    }

    #[test]
    fn backoff_doubles_per_failure_up_to_five_seconds() {
        let ms = |n| backoff(n).as_millis();
        assert_eq!(
            (ms(0), ms(1), ms(2), ms(3), ms(6), ms(7), ms(100)),
            (0, 100, 200, 400, 3200, 5000, 5000)
        );
    }

    #[test]
    fn backoff_grows_for_one_address_only_and_is_forgotten() {
        let t = Throttle::default();
        let t0 = Instant::now();
        let delays: Vec<u128> = (0..4)
            .map(|_| t.failure("10.0.0.1", t0).0.as_millis())
            .collect();
        assert_eq!(delays, [100, 200, 400, 800]);
        // Another address starts from the bottom.
        assert_eq!(t.failure("10.0.0.2", t0), (secs(0) + BACKOFF_BASE, 1));
        // A success clears only that address.
        t.success("10.0.0.2");
        assert_eq!(t.failure("10.0.0.1", t0).1, 5);
        // Quiet for long enough, the count starts again.
        assert_eq!(t.failure("10.0.0.1", t0 + BACKOFF_FORGET_AFTER).1, 1);
    }

    #[test]
    fn a_success_names_its_client_only_when_someone_is_remembered() {
        let t = Throttle::default();
        let asked = std::cell::Cell::new(0);
        let client = |name: &str| {
            asked.set(asked.get() + 1);
            name.to_owned()
        };
        t.success_of(|| client("10.0.0.1"));
        assert_eq!(
            asked.get(),
            0,
            "nobody failed: the address is not worked out"
        );
        t.failure("10.0.0.1", Instant::now());
        t.failure("10.0.0.2", Instant::now());
        t.success_of(|| client("10.0.0.1"));
        assert_eq!((asked.get(), t.len()), (1, 1), "only 10.0.0.1 is forgotten");
        t.success_of(|| client("10.0.0.2"));
        assert!(t.is_empty());
        t.success_of(|| client("10.0.0.2"));
        assert_eq!(asked.get(), 2, "empty again: not worked out");
    }

    #[test]
    fn throttle_memory_is_bounded() {
        let t = Throttle::default();
        let t0 = Instant::now();
        for i in 0..BACKOFF_MAX_CLIENTS + 50 {
            t.failure(&format!("client-{i}"), t0 + Duration::from_millis(i as u64));
        }
        assert_eq!(t.len(), BACKOFF_MAX_CLIENTS);
        // The newest stays, the quietest went first.
        let newest = format!("client-{}", BACKOFF_MAX_CLIENTS + 49);
        assert_eq!(t.failure(&newest, t0 + secs(10)).1, 2);
        assert_eq!(t.failure("client-0", t0 + secs(10)).1, 1);
    }
}
