//! The proxy against moto's server with signature checking on
//! (`tests/python/moto_server.py`): moto recomputes every signature with
//! botocore and an access key made in its own IAM, so a create, describe and
//! delete that moto accepts were signed the way AWS expects; and with a wrong
//! secret moto's own refusal reaches the caller unchanged. Fails (never skips)
//! when the repository's `.venv` is missing.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use cloudlink_core::Service;
use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::credentials::{CredentialStore, Profile, ProfileSigner, ProviderProfiles};
use cloudlink_proxy::{AppState, app};
use cloudlink_signing::AwsCredentials;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "moto-test-token-7c41e2-0123456789abcdef";

/// moto 5.2.5's body for a signature it recomputes differently
/// (`moto.core.exceptions.SignatureDoesNotMatchError`, rendered by `_RESTError`).
const SIGNATURE_DOES_NOT_MATCH: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error>\
<Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you \
provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\
</Message><Type>Sender</Type></Error></Errors></ErrorResponse>";

/// moto 5.2.5's body for an access key its IAM does not know.
const INVALID_CLIENT_TOKEN_ID: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error>\
<Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message>\
<Type>Sender</Type></Error></Errors></ErrorResponse>";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The running moto server. Dropping it kills the Python process, also when
/// a test panics.
struct Moto {
    child: Child,
    port: u16,
    access_key_id: String,
    secret_access_key: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    fn start() -> Moto {
        let python = repo().join(".venv/bin/python");
        assert!(
            python.exists(),
            "{} is missing: this test needs moto from the repository's venv; run cargo xtask setup",
            python.display()
        );
        let mut child = Command::new(&python)
            .arg(repo().join("tests/python/moto_server.py"))
            .env_remove("AWS_PROFILE")
            .stdin(Stdio::piped()) // kept open: the server runs until it closes
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
        // Drain stderr (werkzeug logs a line per request) so the pipe never fills.
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut moto = Moto {
            child,
            port: 0,
            access_key_id: String::new(),
            secret_access_key: String::new(),
            stderr,
        };
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_default();
        let info: Value = serde_json::from_str(&line).unwrap_or_else(|_| {
            std::thread::sleep(Duration::from_millis(200));
            panic!(
                "moto_server.py did not print its JSON line (got {line:?}); run cargo xtask setup if moto is \
                 missing. stderr:\n{}",
                moto.stderr.lock().unwrap()
            )
        });
        moto.port = u16::try_from(info["port"].as_u64().unwrap()).unwrap();
        moto.access_key_id = info["access_key_id"].as_str().unwrap().to_owned();
        moto.secret_access_key = info["secret_access_key"].as_str().unwrap().to_owned();
        assert!(
            moto.access_key_id.starts_with("AKIA"),
            "an IAM user key: {}",
            moto.access_key_id
        );
        moto
    }

    /// A proxy whose only AWS profile signs with these keys, and whose Direct
    /// Connect calls go to this moto.
    fn proxy(&self, access_key_id: &str, secret_access_key: &str) -> Arc<AppState> {
        let cli = Cli {
            upstreams: vec![format!("directconnect=http://127.0.0.1:{}", self.port)],
            ..Cli::default()
        };
        let settings = Settings::from_cli(cli).unwrap();
        assert_eq!(
            settings.upstreams[&Service::DirectConnect],
            format!("http://127.0.0.1:{}", self.port)
        );
        let creds = AwsCredentials {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: secret_access_key.to_owned(),
            session_token: None,
        };
        let aws = ProviderProfiles {
            profiles: vec![Profile {
                name: "default".into(),
                region: None,
                signer: ProfileSigner::Static(creds),
            }],
            problems: vec![],
        };
        Arc::new(AppState::new(
            settings,
            TOKEN.into(),
            CredentialStore {
                aws,
                ..CredentialStore::default()
            },
        ))
    }
}

async fn dx(state: &Arc<AppState>, target: &str, body: Value) -> (StatusCode, HeaderMap, String) {
    let req = Request::post("/api/aws/directconnect/us-east-1/")
        .header("x-cloudlink-token", TOKEN)
        .header("x-amz-target", format!("OvertureService.{target}"))
        .header("content-type", "application/x-amz-json-1.1")
        .body(Body::from(body.to_string()))
        .unwrap();
    let resp = app(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[tokio::test]
async fn moto_accepts_the_proxys_signatures_and_its_refusals_pass_through() {
    let moto = Moto::start();
    let state = moto.proxy(&moto.access_key_id, &moto.secret_access_key);

    // "EqDC2" and "1Gbps": a location code and a dedicated bandwidth core accepts for AWS.
    let create =
        json!({"location": "EqDC2", "bandwidth": "1Gbps", "connectionName": "moto-office"});
    let (status, _, text) = dx(&state, "CreateConnection", create).await;
    assert_eq!(status, StatusCode::OK, "CreateConnection: {text}");
    let created = json_of(&text);
    let id = created["connectionId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("dxcon-"), "{id}");
    assert_eq!(created["connectionName"], "moto-office");
    assert_eq!(created["location"], "EqDC2");
    assert_eq!(created["bandwidth"], "1Gbps");
    assert_eq!(
        created["region"], "us-east-1",
        "moto took the region from the proxy's credential scope"
    );

    let (status, _, text) = dx(&state, "DescribeConnections", json!({})).await;
    assert_eq!(status, StatusCode::OK, "DescribeConnections: {text}");
    let listed = json_of(&text);
    let connections = listed["connections"].as_array().unwrap();
    assert_eq!(connections.len(), 1, "{text}");
    assert_eq!(connections[0]["connectionId"], id.as_str());
    assert_eq!(connections[0]["connectionState"], "available");

    let (status, _, text) = dx(&state, "DeleteConnection", json!({"connectionId": id})).await;
    assert_eq!(status, StatusCode::OK, "DeleteConnection: {text}");
    assert_eq!(json_of(&text)["connectionState"], "deleted");

    let (status, _, text) = dx(&state, "DescribeConnections", json!({"connectionId": id})).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(
        json_of(&text)["connections"][0]["connectionState"],
        "deleted"
    );

    // The right key with a wrong secret: moto's SignatureDoesNotMatch, untouched.
    let wrong_secret = moto.proxy(
        &moto.access_key_id,
        "wrongSecretKey/0123456789abcdefghijklmn",
    );
    let (status, headers, text) = dx(&wrong_secret, "DescribeConnections", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert_eq!(text, SIGNATURE_DOES_NOT_MATCH);
    // moto labels this XML text/html; the proxy does not relabel it.
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert!(
        !headers["x-amzn-requestid"].is_empty(),
        "moto's request id passes through"
    );
    let create = json!({"location": "EqDC2", "bandwidth": "1Gbps", "connectionName": "refused"});
    let (status, _, text) = dx(&wrong_secret, "CreateConnection", create).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert_eq!(text, SIGNATURE_DOES_NOT_MATCH);
    assert!(!text.contains("wrongSecretKey"));

    // A key moto's IAM never issued: moto's InvalidClientTokenId, untouched.
    let unknown_key = moto.proxy("AKIAUNKNOWNKEY000000", &moto.secret_access_key);
    let (status, _, text) = dx(&unknown_key, "DescribeConnections", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert_eq!(text, INVALID_CLIENT_TOKEN_ID);

    // The refused create made nothing: still only the deleted connection.
    let (status, _, text) = dx(&state, "DescribeConnections", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(
        json_of(&text)["connections"].as_array().unwrap().len(),
        1,
        "{text}"
    );
}
