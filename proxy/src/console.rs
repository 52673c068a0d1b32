//! The console's `index.html` as the proxy serves it, and the path prefix
//! (`--base-path`) everything is served under.
//!
//! trunk builds the console once with relative asset URLs (`public_url =
//! "./"` in Trunk.toml), so the same `dist/` works at any prefix. The page is
//! also served for deep links (`/cloudlink/directconnect`), where relative
//! URLs would resolve against the wrong directory, so [`console_html`] makes
//! them absolute under the prefix and tells the console its base in a
//! `<meta>` tag (the console reads it for its router and its API calls). A
//! `<base href>` would do the same but needs `base-uri` in the CSP, which
//! stays `'none'`.
//!
//! Anything that hashes the page's inline scripts (the CSP) must hash what
//! [`console_html`] returns: it is the exact HTML served.

use std::convert::Infallible;

use axum::Router;
use axum::extract::Request;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};

use crate::errors::{ErrorKind, ProxyError};

pub use cloudlink_core::contract::BASE_META;

/// The HTML served for the console: trunk's `index.html` with its relative
/// asset URLs (`./x.js`, in attributes and in the inline loader script) made
/// absolute under `base_path` (`""` or `/prefix`), and the base path given to
/// the console in `<meta name="cloudlink-base" content="/prefix/">`.
pub fn console_html(raw: &str, base_path: &str) -> String {
    let root = format!("{base_path}/");
    let html = raw
        .replace("\"./", &format!("\"{root}"))
        .replace("'./", &format!("'{root}"));
    let meta = format!("<meta name=\"{BASE_META}\" content=\"{root}\">");
    match html.find("<head>") {
        Some(at) => {
            let end = at + "<head>".len();
            format!("{}\n  {meta}{}", &html[..end], &html[end..])
        }
        None => format!("{meta}\n{html}"),
    }
}

/// Serves `inner` (the whole surface, written for `/`) under `base_path`:
/// `/prefix/x` reaches `inner` as `/x`, `/prefix` redirects to `/prefix/`,
/// anything else is 404. The root (`""`) serves `inner` as is.
pub fn under_base_path(inner: Router, base_path: &str) -> Router {
    if base_path.is_empty() {
        return inner;
    }
    let base = base_path.to_owned();
    Router::new().fallback_service(tower::service_fn(move |request: Request| {
        let inner = inner.clone();
        let base = base.clone();
        async move { Ok::<_, Infallible>(strip(inner, &base, request).await) }
    }))
}

async fn strip(inner: Router, base: &str, mut request: Request) -> Response {
    use tower::ServiceExt;
    let uri = request.uri();
    let Some(rest) = uri.path().strip_prefix(base) else {
        return not_found();
    };
    if rest.is_empty() {
        let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        return Redirect::temporary(&format!("{base}/{query}")).into_response();
    }
    if !rest.starts_with('/') {
        return not_found();
    }
    let path_and_query = match uri.query() {
        Some(q) => format!("{rest}?{q}"),
        None => rest.to_owned(),
    };
    let Ok(stripped) = path_and_query.parse::<Uri>() else {
        return not_found();
    };
    *request.uri_mut() = stripped;
    match inner.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

fn not_found() -> Response {
    ProxyError::new(None, ErrorKind::NotFound, "not under the proxy's base path").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape trunk 0.21 emits with `public_url = "./"`.
    const TRUNK_INDEX: &str = r#"<!DOCTYPE html><html lang="en"><head>
  <meta charset="utf-8">
<link rel="modulepreload" href="./cloudlink-web-1a2b.js" crossorigin="anonymous" integrity="sha384-x">
<link rel="preload" href="./cloudlink-web-1a2b_bg.wasm" crossorigin="anonymous" integrity="sha384-y" as="fetch" type="application/wasm">
<link rel="stylesheet" href="./style-3c4d.css" integrity="sha384-z"/>
<script type="module">
import init, * as bindings from './cloudlink-web-1a2b.js';
const wasm = await init({ module_or_path: './cloudlink-web-1a2b_bg.wasm' });
</script></head><body></body></html>"#;

    #[test]
    fn assets_become_absolute_under_the_prefix() {
        let html = console_html(TRUNK_INDEX, "/cloudlink");
        assert!(!html.contains("./"), "{html}");
        for url in [
            "href=\"/cloudlink/cloudlink-web-1a2b.js\"",
            "href=\"/cloudlink/cloudlink-web-1a2b_bg.wasm\"",
            "href=\"/cloudlink/style-3c4d.css\"",
            "from '/cloudlink/cloudlink-web-1a2b.js'",
            "module_or_path: '/cloudlink/cloudlink-web-1a2b_bg.wasm'",
            "<meta name=\"cloudlink-base\" content=\"/cloudlink/\">",
        ] {
            assert!(html.contains(url), "{url} in {html}");
        }
        assert!(html.find("cloudlink-base").unwrap() < html.find("<script").unwrap());
    }

    #[test]
    fn at_the_root_assets_are_absolute_from_slash() {
        let html = console_html(TRUNK_INDEX, "");
        assert!(html.contains("href=\"/style-3c4d.css\""));
        assert!(html.contains("from '/cloudlink-web-1a2b.js'"));
        assert!(html.contains("content=\"/\""));
    }
}
