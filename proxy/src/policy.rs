//! Headers on the proxy's answers that tell the browser what not to do: the
//! console's Content-Security-Policy and `Cache-Control: no-store` on the API.
//!
//! The policy allows scripts only from the proxy itself plus the inline
//! loader script trunk writes into `index.html`, by its SHA-256 hash, which
//! is computed from the page as served (trunk's file with its URLs made
//! absolute under the base path) when the router is built (rebuild the
//! console, restart the proxy). `'wasm-unsafe-eval'` lets that loader compile the
//! console's WebAssembly; nothing allows `eval` of strings or inline styles.
//! API answers can hold BGP keys and console connection strings, so no cache
//! (browser or shared) may keep them.

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use crate::AppState;

/// `'sha256-…'` sources for the inline `<script>` elements of an HTML page
/// (those without `src`), hashing each body exactly as written.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower`
    // index `html` too.
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let start = at + found;
        let after_name = start + "<script".len();
        if !lower[after_name..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            at = after_name;
            continue;
        }
        let Some(open_end) = lower[after_name..].find('>').map(|i| after_name + i) else {
            break;
        };
        let Some(close) = lower[open_end..].find("</script").map(|i| open_end + i) else {
            break;
        };
        let has_src = lower[after_name..open_end]
            .split(|c: char| c.is_ascii_whitespace())
            .any(|attr| attr == "src" || attr.starts_with("src="));
        if !has_src {
            let body = &html[open_end + 1..close];
            out.push(format!(
                "'sha256-{}'",
                STANDARD.encode(Sha256::digest(body.as_bytes()))
            ));
        }
        at = close;
    }
    out
}

/// The console's Content-Security-Policy, for the inline scripts of the
/// console's page as served (empty when the console is not built).
pub fn console_csp(served_html: &str) -> String {
    csp_for(&inline_script_hashes(served_html))
}

/// The policy with these script hashes.
pub fn csp_for(hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for h in hashes {
        script_src.push(' ');
        script_src.push_str(h);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; connect-src 'self'; \
         img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Whether a path is the API or the login link, whose answers are never
/// cached. Matched anywhere in the path, so it holds under a base path too
/// (`/PREFIX/api/...`, `/PREFIX/login`).
pub fn never_cached(path: &str) -> bool {
    path.ends_with("/api") || path.contains("/api/") || path.ends_with("/login")
}

/// What [`edge`] needs: the app's state (for the session) and the console's policy.
#[derive(Debug, Clone)]
pub struct Edge {
    pub state: Arc<AppState>,
    pub csp: HeaderValue,
}

/// The one middleware every answer passes (a single layer: each layer costs every
/// forwarded call a boxed service clone and a boxed future). On the way back, in this order:
/// the session cookie renewed when due ([`crate::login::renew_session`]);
/// `Cache-Control: no-store` on every answer of [`never_cached`] paths, errors and 401s
/// included; the console's script policy (no framing: a console that deletes things must not
/// be clickjacked), no MIME sniffing and no referrer, replacing any the answer had.
pub async fn edge(State(edge): State<Edge>, request: Request, next: Next) -> Response {
    let now = SystemTime::now();
    let no_store = never_cached(request.uri().path());
    let renewal = crate::login::session_renewal(&edge.state, request.headers(), now);
    let mut response = next.run(request).await;
    crate::login::renew_session(&edge.state, renewal, &mut response, now);
    let headers = response.headers_mut();
    if no_store {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, edge.csp);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(s: &str) -> String {
        format!("'sha256-{}'", STANDARD.encode(Sha256::digest(s.as_bytes())))
    }

    #[test]
    fn hashes_every_inline_script_body_and_skips_external_ones() {
        let loader = "\nimport init from '/app.js';\nawait init();\n";
        let html = format!(
            "<html><head><script src=\"/x.js\"></script>\
             <SCRIPT type=\"module\">{loader}</SCRIPT>\
             <scripted>no</scripted>\
             <script data-src=\"y\">one()</script></head></html>"
        );
        assert_eq!(inline_script_hashes(&html), vec![sha(loader), sha("one()")]);
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
        assert!(inline_script_hashes("<script>unterminated").is_empty());
    }

    #[test]
    fn the_policy_is_strict_and_carries_the_hashes() {
        let csp = csp_for(&[sha("a")]);
        for part in [
            "default-src 'self'",
            "style-src 'self';",
            "connect-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{part} missing: {csp}");
        }
        assert!(csp.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' {};",
            sha("a")
        )));
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
    }

    #[test]
    fn api_and_login_paths_are_never_cached() {
        for p in [
            "/api",
            "/api/profiles",
            "/api/aws/directconnect/us-east-1/",
            "/login",
        ] {
            assert!(never_cached(p), "{p}");
        }
        for p in [
            "/",
            "/index.html",
            "/apiary",
            "/cloudlink-web.wasm",
            "/healthz",
        ] {
            assert!(!never_cached(p), "{p}");
        }
    }
}
