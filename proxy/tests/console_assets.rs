//! Serving the console's files: the `.br` / `.gz` copies made at build time
//! when the browser accepts them (with `Vary`), identity otherwise or when no
//! copy exists, the page compressed and revalidated, trunk's hashed files
//! immutable, and the security headers on all of it. Through the router with
//! `oneshot`, no socket.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::console::{IMMUTABLE, REVALIDATE, console_html};
use cloudlink_proxy::credentials::CredentialStore;
use cloudlink_proxy::{AppState, app};
use tower::ServiceExt;

const TOKEN: &str = "assets-test-token-0123456789abcdef-xyz";
const JS: &str = "cloudlink-web-0123456789abcdef.js";
const WASM: &str = "cloudlink-web-0123456789abcdef_bg.wasm";
const CSS: &str = "style-fedcba9876543210.css";
const INDEX: &str = r#"<!DOCTYPE html><html lang="en"><head>
  <meta charset="utf-8">
<link rel="modulepreload" href="./cloudlink-web-0123456789abcdef.js" crossorigin="anonymous">
<link rel="preload" href="./cloudlink-web-0123456789abcdef_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">
<link rel="stylesheet" href="./style-fedcba9876543210.css"/>
<script type="module">
import init, * as bindings from './cloudlink-web-0123456789abcdef.js';
const wasm = await init({ module_or_path: './cloudlink-web-0123456789abcdef_bg.wasm' });
</script></head><body></body></html>"#;

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams::default();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).unwrap();
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn unbrotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(data, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn ungzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn js() -> Vec<u8> {
    (0..300)
        .map(|i| format!("export function f{i}(x) {{ return x * {i}; }}\n"))
        .collect::<String>()
        .into_bytes()
}

fn wasm() -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend((0..4000u32).map(|i| (i % 7) as u8));
    bytes
}

/// A built console: the JS with both copies, the wasm with a gzip copy only
/// (the brotli one missing), the CSS and an unhashed icon with none.
fn web_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cloudlink-assets-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let write = |file: &str, bytes: &[u8]| std::fs::write(dir.join(file), bytes).unwrap();
    write("index.html", INDEX.as_bytes());
    write(JS, &js());
    write(&format!("{JS}.br"), &brotli(&js()));
    write(&format!("{JS}.gz"), &gzip(&js()));
    write(WASM, &wasm());
    write(&format!("{WASM}.gz"), &gzip(&wasm()));
    write(CSS, b"body { margin: 0; }");
    write(
        "favicon.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    dir
}

fn router(dir: &Path, base_path: Option<&str>) -> axum::Router {
    let settings = Settings::from_cli(Cli {
        web_dir: Some(dir.to_owned()),
        base_path: base_path.map(str::to_owned),
        ..Cli::default()
    })
    .unwrap();
    app(Arc::new(AppState::new(
        settings,
        TOKEN.to_owned(),
        CredentialStore::default(),
    )))
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }
}

async fn send(router: &axum::Router, req: Request<Body>) -> Reply {
    let mut req = req;
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 22)
        .await
        .unwrap()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

fn request(method: Method, uri: &str, accept: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(accept) = accept {
        builder = builder.header("accept-encoding", accept);
    }
    builder.body(Body::empty()).unwrap()
}

fn get(uri: &str, accept: Option<&str>) -> Request<Body> {
    request(Method::GET, uri, accept)
}

/// The headers every console answer keeps, whatever its encoding.
fn assert_security_headers(reply: &Reply, what: &str) {
    assert!(
        reply
            .header("content-security-policy")
            .contains("frame-ancestors 'none'"),
        "{what}"
    );
    assert_eq!(reply.header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(reply.header("referrer-policy"), "no-referrer", "{what}");
}

#[tokio::test]
async fn a_hashed_file_comes_in_the_best_accepted_encoding_and_is_immutable() {
    let dir = web_dir("encodings");
    let router = router(&dir, None);
    let path = format!("/{JS}");
    for (accept, encoding) in [
        (Some("gzip, deflate, br, zstd"), "br"),
        (Some("br"), "br"),
        (Some("gzip;q=1, br;q=0.9"), "gzip"),
        (Some("gzip"), "gzip"),
        (Some("GZIP"), "gzip"),
        (None, ""),
        (Some("identity"), ""),
        (Some("br;q=0, gzip;q=0"), ""),
        (Some("deflate, zstd"), ""),
    ] {
        let what = format!("{accept:?}");
        let reply = send(&router, get(&path, accept)).await;
        assert_eq!(reply.status, StatusCode::OK, "{what}");
        assert_eq!(reply.header("content-encoding"), encoding, "{what}");
        assert!(
            reply.header("content-type").contains("javascript"),
            "{what}: {}",
            reply.header("content-type")
        );
        assert_eq!(reply.header("vary"), "accept-encoding", "{what}");
        assert_eq!(reply.header("cache-control"), IMMUTABLE, "{what}");
        assert_eq!(
            reply.header("content-length"),
            reply.body.len().to_string(),
            "{what}"
        );
        assert_security_headers(&reply, &what);
        let (sent, decoded) = match encoding {
            "br" => (brotli(&js()), unbrotli(&reply.body)),
            "gzip" => (gzip(&js()), ungzip(&reply.body)),
            _ => (js(), reply.body.clone()),
        };
        assert_eq!(reply.body, sent, "{what}: the copy from disk, as is");
        assert_eq!(decoded, js(), "{what}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_missing_copy_falls_back_to_the_next_encoding_then_to_identity() {
    let dir = web_dir("fallback");
    let router = router(&dir, None);
    let path = format!("/{WASM}");
    // No `.br` for the wasm: gzip when accepted, else the file itself.
    let reply = send(&router, get(&path, Some("br, gzip"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-encoding"), "gzip");
    assert_eq!(reply.header("content-type"), "application/wasm");
    assert_eq!(ungzip(&reply.body), wasm());
    let reply = send(&router, get(&path, Some("br"))).await;
    assert_eq!(reply.header("content-encoding"), "");
    assert_eq!(reply.body, wasm());
    // No copy at all.
    let reply = send(&router, get(&format!("/{CSS}"), Some("br, gzip"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-encoding"), "");
    assert_eq!(reply.header("content-type"), "text/css");
    assert_eq!(reply.body, b"body { margin: 0; }");
    assert_eq!(reply.header("cache-control"), IMMUTABLE);
    assert_eq!(reply.header("vary"), "accept-encoding");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_page_is_compressed_revalidated_and_never_immutable() {
    let dir = web_dir("page");
    let router = router(&dir, None);
    let html = console_html(INDEX, "");
    for path in ["/", "/index.html", "/directconnect/connections"] {
        let mut etags = Vec::new();
        for (accept, encoding) in [(Some("gzip, br"), "br"), (Some("gzip"), "gzip"), (None, "")] {
            let what = format!("{path} {accept:?}");
            let reply = send(&router, get(path, accept)).await;
            assert_eq!(reply.status, StatusCode::OK, "{what}");
            assert_eq!(
                reply.header("content-type"),
                "text/html; charset=utf-8",
                "{what}"
            );
            assert_eq!(reply.header("content-encoding"), encoding, "{what}");
            assert_eq!(reply.header("cache-control"), REVALIDATE, "{what}");
            assert_eq!(reply.header("vary"), "accept-encoding", "{what}");
            assert_security_headers(&reply, &what);
            let decoded = match encoding {
                "br" => unbrotli(&reply.body),
                "gzip" => ungzip(&reply.body),
                _ => reply.body.clone(),
            };
            assert_eq!(String::from_utf8(decoded).unwrap(), html, "{what}");
            let etag = reply.header("etag").to_owned();
            assert!(
                etag.starts_with('"') && etag.ends_with('"'),
                "{what}: {etag}"
            );
            etags.push(etag.clone());

            // Revalidation: the same tag answers 304 without a body.
            let again = Request::get(path)
                .header("accept-encoding", accept.unwrap_or("identity"))
                .header("if-none-match", &etag)
                .body(Body::empty())
                .unwrap();
            let reply = send(&router, again).await;
            assert_eq!(reply.status, StatusCode::NOT_MODIFIED, "{what}");
            assert!(reply.body.is_empty(), "{what}");
            assert_eq!(reply.header("etag"), etag, "{what}");
            assert_eq!(reply.header("cache-control"), REVALIDATE, "{what}");
        }
        etags.dedup();
        assert_eq!(etags.len(), 3, "one tag per encoding: {etags:?}");
    }
    // A tag of another page (an older build) gets the whole page.
    let stale = Request::get("/")
        .header("if-none-match", "\"0123\"")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&router, stale).await.status, StatusCode::OK);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn only_hashed_files_found_on_disk_are_immutable() {
    let dir = web_dir("cache");
    let router = router(&dir, None);
    // Unhashed: kept, but revalidated.
    let icon = send(&router, get("/favicon.svg", Some("br"))).await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.header("cache-control"), REVALIDATE);
    assert!(!icon.header("last-modified").is_empty());
    // A hashed name that is not there gets the page (a deep link), which must
    // not be cached for a year under that name.
    let missing = send(&router, get("/style-00000000deadbeef.css", None)).await;
    assert_eq!(missing.status, StatusCode::OK);
    assert!(missing.header("content-type").starts_with("text/html"));
    assert_eq!(missing.header("cache-control"), REVALIDATE);
    // The API stays uncacheable, whatever it answers.
    for path in ["/api/profiles", "/api/aws/us-east-1/directconnect"] {
        let api = send(&router, get(path, Some("br, gzip"))).await;
        assert_eq!(api.header("cache-control"), "no-store", "{path}");
        assert_eq!(api.header("content-encoding"), "", "{path}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn head_answers_the_same_headers_without_a_body() {
    let dir = web_dir("head");
    let router = router(&dir, None);
    let get_js = send(&router, get(&format!("/{JS}"), Some("br"))).await;
    let head_js = send(
        &router,
        request(Method::HEAD, &format!("/{JS}"), Some("br")),
    )
    .await;
    assert_eq!(head_js.status, StatusCode::OK);
    assert!(head_js.body.is_empty());
    for name in [
        "content-encoding",
        "content-length",
        "content-type",
        "cache-control",
        "vary",
    ] {
        assert_eq!(head_js.header(name), get_js.header(name), "{name}");
    }
    assert_eq!(
        head_js.header("content-length"),
        brotli(&js()).len().to_string()
    );

    let head_page = send(&router, request(Method::HEAD, "/", Some("gzip"))).await;
    assert_eq!(head_page.status, StatusCode::OK);
    assert!(head_page.body.is_empty());
    assert_eq!(head_page.header("content-encoding"), "gzip");
    assert_eq!(head_page.header("cache-control"), REVALIDATE);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn under_a_base_path_the_copies_and_headers_are_the_same() {
    let dir = web_dir("base");
    let router = router(&dir, Some("/cloudlink"));
    let reply = send(&router, get(&format!("/cloudlink/{JS}"), Some("gzip, br"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-encoding"), "br");
    assert_eq!(unbrotli(&reply.body), js());
    assert_eq!(reply.header("cache-control"), IMMUTABLE);
    assert_eq!(reply.header("vary"), "accept-encoding");

    let page = send(&router, get("/cloudlink/", Some("br"))).await;
    assert_eq!(page.header("content-encoding"), "br");
    assert_eq!(page.header("cache-control"), REVALIDATE);
    let html = String::from_utf8(unbrotli(&page.body)).unwrap();
    assert_eq!(html, console_html(INDEX, "/cloudlink"));
    assert!(html.contains(&format!("from '/cloudlink/{JS}'")));
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_session_is_renewed_on_the_page_but_never_on_a_publicly_cached_file() {
    let dir = web_dir("cookie");
    let settings = Settings::from_cli(Cli {
        web_dir: Some(dir.clone()),
        ..Cli::default()
    })
    .unwrap();
    let state = Arc::new(AppState::new(
        settings,
        TOKEN.to_owned(),
        CredentialStore::default(),
    ));
    let router = app(state.clone());
    // A session old enough to be renewed on use.
    let issued = std::time::SystemTime::now() - std::time::Duration::from_secs(30 * 60);
    let value = state.auth.issue_session(issued);
    let with_session = |path: &str| {
        Request::get(path)
            .header("cookie", format!("cloudlink_session={value}"))
            .body(Body::empty())
            .unwrap()
    };
    let page = send(&router, with_session("/")).await;
    assert!(page.headers.get("set-cookie").is_some(), "the page renews");
    let asset = send(&router, with_session(&format!("/{JS}"))).await;
    assert_eq!(asset.header("cache-control"), IMMUTABLE);
    assert!(
        asset.headers.get("set-cookie").is_none(),
        "a public answer carries no cookie"
    );
    std::fs::remove_dir_all(&dir).ok();
}
