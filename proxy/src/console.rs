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
//!
//! Bytes on the wire: `cargo xtask` writes `NAME.br` and `NAME.gz` next to every
//! compressible file of `dist/` at build time, and `ServeDir` sends them when the
//! browser accepts the encoding; [`static_headers`] adds `Vary` and the cache
//! policy (trunk's content-hashed files are immutable, anything else is
//! revalidated). The page is rewritten here, so [`Page`] compresses it once at
//! start instead.

use std::convert::Infallible;
use std::io::Write;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

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

/// `Cache-Control` of trunk's content-hashed files: a new build has new names.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of the page and of files without a hash in their name: the
/// browser may keep them but asks first (`ETag` / `Last-Modified`).
pub const REVALIDATE: &str = "no-cache";

/// A content coding the console's files are kept in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Identity,
    Gzip,
    Brotli,
}

impl Coding {
    fn token(self) -> Option<&'static str> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some("gzip"),
            Coding::Brotli => Some("br"),
        }
    }
}

/// The coding to answer in, as `ServeDir` chooses it for the files: the highest
/// `q` among `br` and `gzip` in `Accept-Encoding`, brotli on a tie, identity when
/// neither is accepted (absent, `q=0`, or only other codings).
pub fn preferred_coding(headers: &HeaderMap) -> Coding {
    let mut best = (0u16, Coding::Identity);
    let items = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','));
    for item in items {
        let mut parts = item.split(';');
        let coding = match parts.next().unwrap_or("").trim() {
            c if c.eq_ignore_ascii_case("br") => Coding::Brotli,
            c if c.eq_ignore_ascii_case("gzip") || c.eq_ignore_ascii_case("x-gzip") => Coding::Gzip,
            _ => continue,
        };
        let Some(q) = parts.next().map_or(Some(1000), quality) else {
            continue;
        };
        let rank = |c: Coding| c == Coding::Brotli;
        if q > 0 && (q, rank(coding)) > (best.0, rank(best.1)) {
            best = (q, coding);
        }
    }
    best.1
}

/// `q=0.8` as thousandths (800); `None` when malformed, which drops the item.
fn quality(param: &str) -> Option<u16> {
    let (name, value) = param.trim().split_once('=')?;
    if !name.trim().eq_ignore_ascii_case("q") {
        return None;
    }
    let value: f32 = value.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

/// The console's page as served: the HTML of [`console_html`] and its brotli and
/// gzip forms, made once at start (it is a couple of kilobytes), with an `ETag`.
#[derive(Debug)]
pub struct Page {
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
    /// The page's hash, the base of each coding's `ETag`.
    digest: String,
}

impl Page {
    pub fn new(html: String) -> Page {
        let digest = hex::encode(&Sha256::digest(html.as_bytes())[..12]);
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(html.as_bytes())
            .expect("compressing into memory cannot fail");
        let gzip = gzip.finish().expect("compressing into memory cannot fail");
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut html.as_bytes(), &mut brotli, &params)
            .expect("compressing from memory into memory cannot fail");
        Page {
            identity: Bytes::from(html),
            gzip: Bytes::from(gzip),
            brotli: Bytes::from(brotli),
            digest,
        }
    }

    /// A strong `ETag` per coding: each coding is its own representation.
    fn etag(&self, coding: Coding) -> String {
        match coding.token() {
            Some(token) => format!("\"{}-{token}\"", self.digest),
            None => format!("\"{}\"", self.digest),
        }
    }

    /// The page for a request with these headers: in the coding it prefers,
    /// `304` when its `If-None-Match` names the current page.
    pub fn response(&self, request: &HeaderMap) -> Response {
        let coding = preferred_coding(request);
        let body = match coding {
            Coding::Identity => &self.identity,
            Coding::Gzip => &self.gzip,
            Coding::Brotli => &self.brotli,
        };
        let etag = self.etag(coding);
        let fresh = request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|tag| tag.trim() == etag || tag.trim() == "*");
        let mut response = if fresh {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            body.clone().into_response()
        };
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        if let Some(token) = coding.token() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(token));
        }
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
        headers.insert(
            header::ETAG,
            HeaderValue::from_str(&etag).expect("a quoted hex string is a valid header value"),
        );
        response
    }
}

/// Whether trunk named this path after its content: a segment whose name
/// (before its extensions and a wasm-bindgen `_bg`) ends in `-` and a 64-bit
/// hash in hex (`cloudlink-web-1a2b3c4d5e6f7a8b_bg.wasm`, `style-….css`), or a
/// snippets directory named so. Hashes shorter than 8 digits are not trusted.
pub fn is_hashed_asset(path: &str) -> bool {
    path.split('/').any(|segment| {
        let stem = segment.split('.').next().unwrap_or("");
        let stem = stem.strip_suffix("_bg").unwrap_or(stem);
        stem.split('-').skip(1).any(|token| {
            (8..=16).contains(&token.len())
                && token
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
    })
}

/// Middleware on the console's files: `Vary: Accept-Encoding` (`ServeDir` may
/// answer with a `.br` or `.gz` copy), and unless the answer set its own,
/// [`IMMUTABLE`] for a content-hashed file found, [`REVALIDATE`] otherwise.
pub async fn static_headers(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let found = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        let policy = if hashed && found {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
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

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn the_coding_is_the_highest_q_with_brotli_on_a_tie() {
        for (value, expected) in [
            ("gzip, deflate, br, zstd", Coding::Brotli),
            ("br;q=0.5, gzip;q=0.6", Coding::Gzip),
            ("br;q=0.6, gzip;q=0.6", Coding::Brotli),
            ("BR ; Q=1", Coding::Brotli),
            ("x-gzip", Coding::Gzip),
            ("br;q=0", Coding::Identity),
            ("br;q=0.000, gzip;q=0.001", Coding::Gzip),
            ("br;q=2, gzip", Coding::Gzip),
            ("br;q=abc", Coding::Identity),
            ("br;level=1", Coding::Identity),
            ("*", Coding::Identity),
            ("identity, deflate", Coding::Identity),
            ("", Coding::Identity),
        ] {
            assert_eq!(preferred_coding(&accept(value)), expected, "{value:?}");
        }
        assert_eq!(preferred_coding(&HeaderMap::new()), Coding::Identity);
        // Several headers count as one list.
        let mut two = accept("gzip;q=0.5");
        two.append(header::ACCEPT_ENCODING, HeaderValue::from_static("br"));
        assert_eq!(preferred_coding(&two), Coding::Brotli);
    }

    #[test]
    fn trunk_hashed_names_are_recognised_and_others_are_not() {
        for path in [
            "/cloudlink-web-e87e19d3ae0e81ae.js",
            "/cloudlink-web-e87e19d3ae0e81ae_bg.wasm",
            "/style-6feebad37993be27.css",
            "/x-1a2b3c4d.css",
            "/snippets/cloudlink-web-e87e19d3ae0e81ae/inline0.js",
        ] {
            assert!(is_hashed_asset(path), "{path}");
        }
        for path in [
            "/",
            "/index.html",
            "/favicon.svg",
            "/cloudlink-web.js",
            "/cloudlink-web-abc.js",
            "/style-6FEEBAD37993BE27.css",
            "/style-6feebad37993be27ff.css",
            "/e87e19d3ae0e81ae.js",
            "/app-e87e19d3ae0e81ax.js",
            "/directconnect/connections",
        ] {
            assert!(!is_hashed_asset(path), "{path}");
        }
    }

    #[test]
    fn at_the_root_assets_are_absolute_from_slash() {
        let html = console_html(TRUNK_INDEX, "");
        assert!(html.contains("href=\"/style-3c4d.css\""));
        assert!(html.contains("from '/cloudlink-web-1a2b.js'"));
        assert!(html.contains("content=\"/\""));
    }
}
