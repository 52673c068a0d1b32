//! Deployment settings: the proxy under a path prefix (`--base-path`), the
//! JSON-protocol routes without their trailing slash, and where upstream calls
//! may go (`upstream-proxy`, no environment proxies, plain http only to
//! loopback).

#[allow(dead_code)] // only the binary's path and the child guard are used here
mod process_support;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use cloudlink_proxy::config::{Cli, ConfigError, Settings};
use cloudlink_proxy::sandbox::Sandbox;
use cloudlink_proxy::sandbox::{credential_store, sandbox_upstreams, start_sandbox};
use cloudlink_proxy::{AppState, app};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

const TOKEN: &str = "deploy-token-0123456789abcdef0123456789";

/// trunk's output with `public_url = "./"`, cut down to what matters here.
const INDEX: &str = r#"<!DOCTYPE html><html lang="en"><head>
<link rel="modulepreload" href="./cloudlink-web-abc.js" crossorigin="anonymous">
<script type="module">
import init, * as bindings from './cloudlink-web-abc.js';
const wasm = await init({ module_or_path: './cloudlink-web-abc_bg.wasm' });
</script></head><body></body></html>"#;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cloudlink-deploy-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn web_dir() -> PathBuf {
    let dir = temp_dir("web");
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join("cloudlink-web-abc.js"), "export default 1;").unwrap();
    dir
}

async fn sandbox_app(base_path: Option<&str>) -> axum::Router {
    let sandbox = Sandbox::new();
    let addr = start_sandbox(&sandbox, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let mut settings = Settings::from_cli(Cli {
        sandbox: true,
        web_dir: Some(web_dir()),
        base_path: base_path.map(str::to_owned),
        ..Cli::default()
    })
    .unwrap();
    sandbox_upstreams(&mut settings, addr);
    let mut state = AppState::new(
        settings,
        TOKEN.to_owned(),
        credential_store(&sandbox.credentials()),
    );
    state.sandbox_seeds = Some(sandbox.seeds());
    app(Arc::new(state))
}

struct Reply {
    status: u16,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map_or("", |v| v.to_str().unwrap_or(""))
    }
}

async fn send(router: &axum::Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

fn dx_call(path: &str, operation: &str, body: Value) -> Request<Body> {
    Request::post(path)
        .header("x-cloudlink-token", TOKEN)
        .header("x-amz-target", format!("OvertureService.{operation}"))
        .header("content-type", "application/x-amz-json-1.1")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn json_protocol_routes_answer_without_the_trailing_slash() {
    let router = sandbox_app(None).await;
    for (root, location) in [
        ("/api/aws/directconnect/us-east-1", "EqDC2"),
        ("/api/outscale/directlink/eu-west-2", "PAR1"),
    ] {
        let created = send(
            &router,
            dx_call(
                root,
                "CreateConnection",
                json!({"location": location, "bandwidth": "1Gbps", "connectionName": "no-slash"}),
            ),
        )
        .await;
        assert_eq!(created.status, 200, "{root}: {}", created.body);
        let id = created.json()["connectionId"].as_str().unwrap().to_owned();
        let listed = send(
            &router,
            dx_call(&format!("{root}/"), "DescribeConnections", json!({})),
        )
        .await;
        assert!(listed.body.contains(&id), "{root}/ lists {id}");
        let deleted = send(
            &router,
            dx_call(root, "DeleteConnection", json!({"connectionId": id})),
        )
        .await;
        assert_eq!(deleted.status, 200, "{}", deleted.body);
    }
    // Only the JSON protocol's root: a REST collection still needs its path.
    let outposts = send(
        &router,
        Request::get("/api/aws/outposts/us-east-1")
            .header("x-cloudlink-token", TOKEN)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(outposts.status, 400, "{}", outposts.body);
    assert!(outposts.body.contains("missing path after the region"));
}

#[tokio::test]
async fn everything_is_served_under_the_base_path() {
    let router = sandbox_app(Some("/cloudlink/")).await;

    // The console page, at the prefix and at a deep link, with absolute assets.
    for path in [
        "/cloudlink/",
        "/cloudlink/directconnect",
        "/cloudlink/index.html",
    ] {
        let page = send(&router, get(path)).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.header("content-type").starts_with("text/html"));
        assert!(
            page.body
                .contains(r#"<meta name="cloudlink-base" content="/cloudlink/">"#),
            "{path}: {}",
            page.body
        );
        assert!(page.body.contains("from '/cloudlink/cloudlink-web-abc.js'"));
        assert!(!page.body.contains("./cloudlink-web"), "{}", page.body);
    }
    let asset = send(&router, get("/cloudlink/cloudlink-web-abc.js")).await;
    assert_eq!(
        (asset.status, asset.body.as_str()),
        (200, "export default 1;")
    );
    // The prefix without its slash: relative links would break, so redirect.
    let bare = send(&router, get("/cloudlink?x=1")).await;
    assert_eq!(
        (bare.status, bare.header("location")),
        (307, "/cloudlink/?x=1")
    );

    // Nothing outside the prefix, not even what exists inside it.
    for path in [
        "/",
        "/cloudlink-web-abc.js",
        "/healthz",
        "/api/profiles",
        "/cloudlinkx/",
        "/other/cloudlink/",
    ] {
        let outside = send(&router, get(path)).await;
        assert_eq!(outside.status, 404, "{path}");
    }
    let outside = send(
        &router,
        dx_call(
            "/api/aws/directconnect/us-east-1/",
            "DescribeConnections",
            json!({}),
        ),
    )
    .await;
    assert_eq!(outside.status, 404);

    // The API and health under the prefix.
    assert_eq!(send(&router, get("/cloudlink/healthz")).await.body, "ok");
    let call = send(
        &router,
        dx_call(
            "/cloudlink/api/aws/directconnect/us-east-1",
            "DescribeLocations",
            json!({}),
        ),
    )
    .await;
    assert_eq!(call.status, 200, "{}", call.body);

    // The login link sends the browser back under the prefix.
    let login = send(&router, get(&format!("/cloudlink/login?token={TOKEN}"))).await;
    assert_eq!(login.status, 303);
    assert_eq!(login.header("location"), "/cloudlink/");
    assert!(login.header("set-cookie").contains("HttpOnly"));
    let refused = send(&router, get("/cloudlink/login?token=wrong")).await;
    assert!(
        refused.header("location").starts_with("/cloudlink/"),
        "{}",
        refused.header("location")
    );
}

#[tokio::test]
async fn at_the_root_the_page_has_root_relative_assets() {
    let router = sandbox_app(None).await;
    let page = send(&router, get("/oci")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"content="/""#));
    assert!(page.body.contains(r#"href="/cloudlink-web-abc.js""#));
    let login = send(&router, get(&format!("/login?token={TOKEN}"))).await;
    assert_eq!(login.header("location"), "/");
}

fn settings_from(toml: &str, cli: Cli) -> Result<Settings, ConfigError> {
    let path = temp_dir("config").join(format!("{:x}.toml", md5ish(toml)));
    std::fs::write(&path, toml).unwrap();
    Settings::from_cli(Cli {
        config: Some(path),
        ..cli
    })
}

/// A file name per config text, so parallel tests do not share one.
fn md5ish(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

fn upstream_cli(url: &str) -> Cli {
    Cli {
        upstreams: vec![format!("directconnect={url}")],
        ..Cli::default()
    }
}

#[test]
fn base_path_is_normalised_or_refused() {
    for (raw, expected) in [
        ("/cloudlink", "/cloudlink"),
        ("/cloudlink/", "/cloudlink"),
        ("/tools/cloud-link_2.0~x/", "/tools/cloud-link_2.0~x"),
        ("/", ""),
    ] {
        let s = Settings::from_cli(Cli {
            base_path: Some(raw.to_owned()),
            ..Cli::default()
        })
        .unwrap();
        assert_eq!(s.base_path, expected, "{raw}");
    }
    assert_eq!(Settings::from_cli(Cli::default()).unwrap().base_path, "");
    for bad in [
        "cloudlink",
        "/a//b",
        "/a/../b",
        "/./a",
        "/a b",
        "/a%2fb",
        "/a?x",
        "/é",
        "",
    ] {
        let err = Settings::from_cli(Cli {
            base_path: Some(bad.to_owned()),
            ..Cli::default()
        })
        .unwrap_err();
        assert!(matches!(err, ConfigError::BasePath(_)), "{bad}: {err}");
        assert!(err.to_string().starts_with("base-path"), "{err}");
    }
    let from_file = settings_from("base-path = \"/from-file\"\n", Cli::default()).unwrap();
    assert_eq!(from_file.base_path, "/from-file");
    let flag_wins = settings_from(
        "base-path = \"/from-file\"\n",
        Cli {
            base_path: Some("/from-flag".into()),
            ..Cli::default()
        },
    )
    .unwrap();
    assert_eq!(flag_wins.base_path, "/from-flag");
}

#[test]
fn plain_http_upstreams_only_to_loopback() {
    for url in [
        "http://127.0.0.1:9000",
        "http://127.8.9.10/x",
        "http://[::1]:9000",
        "http://localhost:9000",
        "http://LOCALHOST",
        "https://directconnect.example.com",
        "https://10.0.0.1",
    ] {
        assert!(Settings::from_cli(upstream_cli(url)).is_ok(), "{url}");
    }
    for url in [
        "http://10.0.0.1:9000",
        "http://directconnect.example.com",
        "http://localhost.example.com",
        "http://[::2]",
        "http://128.0.0.1",
    ] {
        let err = Settings::from_cli(upstream_cli(url)).unwrap_err();
        assert!(
            matches!(&err, ConfigError::PlainHttpUpstream { service } if service == "directconnect"),
            "{url}: {err}"
        );
        assert!(
            err.to_string().contains("allow-plain-http-upstream"),
            "{err}"
        );
        // The config file can opt in, for a private network.
        let allowed = settings_from("allow-plain-http-upstream = true\n", upstream_cli(url));
        assert!(allowed.is_ok(), "{url}");
    }
    // Upstreams from the config file are checked the same way.
    let err = settings_from(
        "[upstream]\noutposts = \"http://10.1.2.3\"\n",
        Cli::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, ConfigError::PlainHttpUpstream { .. }),
        "{err}"
    );
}

#[test]
fn upstream_proxy_must_be_an_http_url() {
    for good in ["http://10.0.0.1:3128", "https://proxy.example.com"] {
        let s = settings_from(&format!("upstream-proxy = \"{good}\"\n"), Cli::default()).unwrap();
        assert_eq!(s.upstream_proxy.as_deref(), Some(good));
    }
    for bad in [
        "10.0.0.1:3128",
        "ftp://proxy",
        "http://",
        "socks5://127.0.0.1:1080",
    ] {
        let err =
            settings_from(&format!("upstream-proxy = \"{bad}\"\n"), Cli::default()).unwrap_err();
        assert!(matches!(err, ConfigError::UpstreamProxy), "{bad}: {err}");
    }
}

/// A listener that records the first line of each connection, answers 502 and
/// closes: enough to see whether (and how) a client used it as its proxy.
async fn recording_proxy() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = stream.read(&mut buf).await.unwrap_or(0);
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                record
                    .lock()
                    .unwrap()
                    .push(text.lines().next().unwrap_or_default().to_owned());
                let _ = stream
                    .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                    .await;
            });
        }
    });
    (addr, seen)
}

#[tokio::test]
async fn the_configured_upstream_proxy_carries_non_loopback_calls() {
    let (proxy_addr, seen) = recording_proxy().await;
    let sandbox = Sandbox::new();
    let settings = settings_from(
        &format!(
            "upstream-proxy = \"http://{proxy_addr}\"\n[upstream]\ndirectconnect = \"https://directconnect.cloudlink.invalid\"\n"
        ),
        Cli {
            connect_timeout: Some(5),
            timeout: Some(10),
            ..Cli::default()
        },
    )
    .unwrap();
    let router = app(Arc::new(AppState::new(
        settings,
        TOKEN.to_owned(),
        credential_store(&sandbox.credentials()),
    )));
    let reply = send(
        &router,
        dx_call(
            "/api/aws/directconnect/us-east-1/",
            "DescribeLocations",
            json!({}),
        ),
    )
    .await;
    assert!(reply.status >= 500, "{}", reply.body);
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.iter()
            .any(|l| l.starts_with("CONNECT directconnect.cloudlink.invalid:443 ")),
        "{seen:?}"
    );
}

/// The binary with every proxy variable pointing at a recorder: a call to a
/// loopback upstream and one to a public-looking host both ignore them.
#[test]
fn environment_proxies_are_ignored() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (proxy_addr, seen) = rt.block_on(recording_proxy());
    let upstream = rt.block_on(async {
        let fake = axum::Router::new().fallback(|| async {
            (
                [("content-type", "application/x-amz-json-1.1")],
                r#"{"locations":[]}"#,
            )
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, fake).await.unwrap() });
        addr
    });
    let recorder = format!("http://{proxy_addr}");
    let listen = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let config = temp_dir("envproxy").join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[upstream]\ndirectconnect = \"http://{upstream}\"\noutposts = \"https://outposts.cloudlink.invalid\"\n"
        ),
    )
    .unwrap();
    let mut cmd = std::process::Command::new(process_support::BIN);
    cmd.args(["--web-dir", "/nonexistent", "--timeout", "10"])
        .args(["--listen", &listen.to_string()])
        .args(["--config", config.to_str().unwrap()])
        .env("CLOUDLINK_TOKEN", TOKEN)
        .env("AWS_ACCESS_KEY_ID", "AKIDENVPROXYTEST")
        .env("AWS_SECRET_ACCESS_KEY", "env-proxy-secret")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HOME", std::env::temp_dir())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env(var, &recorder);
    }
    cmd.env_remove("NO_PROXY").env_remove("no_proxy");
    let _proxy = process_support::Running(cmd.spawn().unwrap());
    rt.block_on(async {
        let base = format!("http://{listen}");
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let mut up = false;
        for _ in 0..150 {
            if client.get(format!("{base}/healthz")).send().await.is_ok() {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(up, "the proxy answers on {base}");
        let loopback = client
            .post(format!("{base}/api/aws/directconnect/us-east-1/"))
            .header("x-cloudlink-token", TOKEN)
            .header("x-amz-target", "OvertureService.DescribeLocations")
            .header("content-type", "application/x-amz-json-1.1")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(loopback.status(), 200);
        assert_eq!(loopback.text().await.unwrap(), r#"{"locations":[]}"#);
        // This one would go through an environment proxy if one were read;
        // instead it fails to resolve the name.
        let public = client
            .get(format!("{base}/api/aws/outposts/us-east-1/connections/abc"))
            .header("x-cloudlink-token", TOKEN)
            .send()
            .await
            .unwrap();
        assert!(public.status().is_server_error(), "{}", public.status());
    });
    assert_eq!(*seen.lock().unwrap(), Vec::<String>::new());
}

#[test]
fn the_binary_refuses_plain_http_and_bad_base_paths_with_exit_2() {
    for (args, named) in [
        (
            &["--upstream", "directconnect=http://10.0.0.1:9000"][..],
            "allow-plain-http-upstream",
        ),
        (&["--base-path", "/a/../b"][..], "base-path \"/a/../b\""),
    ] {
        let out = std::process::Command::new(process_support::BIN)
            .args(args)
            .args(["--listen", "127.0.0.1:0", "--web-dir", "/nonexistent"])
            .env("CLOUDLINK_TOKEN", TOKEN)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(named), "{args:?}: {stderr}");
    }
}

/// docs/SECURITY.md shows the reverse-proxy files the e2e scenarios run, as they are.
#[test]
fn the_security_doc_shows_the_tested_front_configurations() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let doc = std::fs::read_to_string(root.join("docs/SECURITY.md")).unwrap();
    for file in [
        "tests/e2e/nginx/cloudlink.conf",
        "tests/e2e/caddy/Caddyfile",
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(
            doc.contains(text.trim()),
            "docs/SECURITY.md lacks {file} as it is"
        );
    }
}
