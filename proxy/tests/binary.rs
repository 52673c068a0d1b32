//! The `cloudlink-proxy` binary as a user runs it: exit codes for bad flags
//! and config, the login URL, and a SIGTERM that drains in-flight calls.

mod process_support;

use std::process::Command;
#[cfg(feature = "sandbox")]
use std::process::Stdio;
use std::time::Duration;

use process_support::{BIN, start_proxy};

fn run_to_end(args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("CLOUDLINK_TOKEN")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_flags_and_config_exit_with_2() {
    assert_eq!(run_to_end(&["--no-such-flag"]).0, 2);
    assert_eq!(run_to_end(&["--listen", "not-an-address"]).0, 2);
    let (code, err) = run_to_end(&["--upstream", "ec2=http://127.0.0.1:1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--upstream"), "{err}");
    let (code, err) = run_to_end(&["--upstream", "directconnect=ftp://x"]);
    assert_eq!(code, 2, "{err}");

    let dir = std::env::temp_dir().join(format!("cloudlink-binary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let typo = dir.join("typo.toml");
    std::fs::write(&typo, "lisen = \"127.0.0.1:1\"\n").unwrap();
    let (code, err) = run_to_end(&["--config", typo.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("typo.toml") && err.contains("lisen"), "{err}");
    let (code, err) = run_to_end(&["--config", dir.join("missing.toml").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.toml"), "{err}");
}

/// A proxy built without the `sandbox` feature (`cargo xtask test` runs this file so) refuses
/// every way of starting the fake cloud, flag or config key, with exit code 2 and says why,
/// instead of quietly reading real credentials.
#[cfg(not(feature = "sandbox"))]
#[test]
fn without_the_sandbox_feature_sandbox_flags_and_config_exit_with_2() {
    let dir = std::env::temp_dir().join(format!("cloudlink-no-sandbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("sandbox.toml");
    std::fs::write(&config, "sandbox = true\nlisten = \"127.0.0.1:0\"\n").unwrap();
    let config = config.to_str().unwrap();
    for (args, named) in [
        (&["--sandbox", "--listen", "127.0.0.1:0"][..], "--sandbox"),
        (
            &["--sandbox-only", "--listen", "127.0.0.1:0"][..],
            "--sandbox-only",
        ),
        (&["--config", config][..], "sandbox = true"),
    ] {
        let (code, err) = run_to_end(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("this build has no sandbox") && err.contains(named),
            "{args:?}: {err}"
        );
    }
    // Without a sandbox setting, the same build still starts past its settings: a bad one is
    // refused for its own reason, not for the missing sandbox.
    let (code, err) = run_to_end(&["--upstream", "ec2=http://127.0.0.1:1"]);
    assert_eq!(code, 2);
    assert!(!err.contains("sandbox"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_drains_in_flight_calls_then_exits_0() {
    // An upstream that takes a second to answer.
    let slow = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        (
            [("content-type", "application/x-amz-json-1.1")],
            r#"{"connections":[]}"#,
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, slow).await.unwrap() });

    let config = std::env::temp_dir().join(format!("cloudlink-drain-{}.toml", std::process::id()));
    std::fs::write(
        &config,
        format!("listen = \"127.0.0.1:0\"\n[upstream]\ndirectconnect = \"http://{upstream}\"\n"),
    )
    .unwrap();
    // AWS credentials from the environment: the standard chain's first source.
    let home = std::env::temp_dir();
    let (mut proxy, url) = start_proxy(
        &[
            "--config",
            config.to_str().unwrap(),
            "--web-dir",
            "/nonexistent",
        ],
        &[
            (
                "CLOUDLINK_TOKEN",
                Some("drain-token-1234567890-1234567890ab"),
            ),
            ("AWS_ACCESS_KEY_ID", Some("AKIDDRAINTEST")),
            ("AWS_SECRET_ACCESS_KEY", Some("drain-secret")),
            ("AWS_REGION", Some("us-east-1")),
            ("AWS_CONFIG_FILE", Some("/nonexistent/config")),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                Some("/nonexistent/credentials"),
            ),
            ("AWS_EC2_METADATA_DISABLED", Some("true")),
            ("HOME", home.to_str()),
        ],
    );
    let client = reqwest::Client::new();
    let call = client
        .post(format!("{url}/api/aws/directconnect/us-east-1/"))
        .header("x-cloudlink-token", "drain-token-1234567890-1234567890ab")
        .header("x-amz-target", "OvertureService.DescribeConnections")
        .header("content-type", "application/x-amz-json-1.1")
        .body("{}")
        .send();
    let in_flight = tokio::spawn(call);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = proxy.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let response = in_flight
        .await
        .unwrap()
        .expect("the in-flight call completes");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), r#"{"connections":[]}"#);
    let status = tokio::task::spawn_blocking(move || proxy.0.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[cfg(feature = "sandbox")]
#[test]
fn a_token_shorter_than_32_characters_exits_with_2() {
    let run = |token: &str| {
        Command::new(BIN)
            .args([
                "--sandbox",
                "--listen",
                "127.0.0.1:0",
                "--web-dir",
                "/nonexistent",
            ])
            .env("CLOUDLINK_TOKEN", token)
            .env_remove("CLOUDLINK_SESSION_KEY")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };
    for short in ["short-token-q7", "0123456789abcdef0123456789abcde"] {
        let out = run(short);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("CLOUDLINK_TOKEN must be at least 32 characters"),
            "{err}"
        );
        assert!(!err.contains(short), "the token is not echoed: {err}");
    }
    let out = Command::new(BIN)
        .args(["--sandbox", "--listen", "127.0.0.1:0"])
        .env("CLOUDLINK_TOKEN", "x".repeat(40))
        .env("CLOUDLINK_SESSION_KEY", "short")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CLOUDLINK_SESSION_KEY"));
}

#[cfg(feature = "sandbox")]
#[test]
fn the_login_link_goes_to_stderr_with_a_one_use_code_and_never_into_a_log_line() {
    let token = "binary-login-token-0123456789abcdef";
    let started = process_support::start(
        &[
            "--sandbox",
            "--listen",
            "127.0.0.1:0",
            "--web-dir",
            "/nonexistent",
        ],
        &[
            ("CLOUDLINK_TOKEN", Some(token)),
            ("CLOUDLINK_SESSION_KEY", None),
            ("RUST_LOG", Some("debug")),
        ],
    );
    let url = started.login_url.clone();
    assert!(url.contains("/login?code="), "{url}");
    assert!(
        !url.contains(token),
        "the link carries a code, not the token"
    );
    let code = url.split("code=").nth(1).unwrap().to_owned();
    assert!(started.generated_token.is_none());
    let base = started.base.clone();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let login = client.get(&url).send().await.unwrap();
        assert_eq!(login.status(), 303);
        assert_eq!(login.headers()["location"], "/");
        let cookie = login.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let profiles = client
            .get(format!("{base}/api/profiles"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(profiles.status(), 200);
        // The same link a second time: refused, no cookie.
        let again = client.get(&url).send().await.unwrap();
        assert_eq!(again.status(), 303);
        assert!(again.headers().get("set-cookie").is_none());
        assert!(
            again.headers()["location"]
                .to_str()
                .unwrap()
                .contains("failed=1")
        );
        // A wrong token header: refused (and audit-logged, see below).
        let wrong = client
            .get(format!("{base}/api/profiles"))
            .header("x-cloudlink-token", "not-the-token-not-the-token-not-the")
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);
        // The token still works for scripts.
        let scripted = client
            .get(format!("{base}/api/profiles"))
            .header("x-cloudlink-token", token)
            .send()
            .await
            .unwrap();
        assert_eq!(scripted.status(), 200);
    });
    // Logs (stdout) flush line by line; give the last ones a moment.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let logs = loop {
        let logs = started.stdout.lock().unwrap().join("\n");
        if logs.matches("login_refused").count() >= 2 || std::time::Instant::now() > deadline {
            break logs;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(logs.contains("cloudlink-proxy started"), "{logs}");
    assert!(
        logs.contains("via=\"code\"") && logs.contains("reason=\"used\""),
        "the reused code is audit-logged: {logs}"
    );
    assert!(logs.contains("via=\"header\""), "{logs}");
    assert!(logs.contains("client=\"127.0.0.1\""), "{logs}");
    for secret in [token, code.as_str(), "not-the-token-not-the-token-not-the"] {
        assert!(!logs.contains(secret), "a log line holds a secret: {logs}");
    }
    let err = started.stderr.lock().unwrap().clone();
    let holding_code: Vec<&String> = err.iter().filter(|l| l.contains(&code)).collect();
    assert_eq!(holding_code.len(), 1, "{err:?}");
    assert!(holding_code[0].starts_with("cloudlink console: "));
    assert!(err.iter().all(|l| !l.contains(token)), "{err:?}");
}

#[cfg(feature = "sandbox")]
#[test]
fn without_a_token_one_is_generated_printed_on_stderr_and_works() {
    let started = process_support::start(
        &[
            "--sandbox",
            "--listen",
            "127.0.0.1:0",
            "--web-dir",
            "/nonexistent",
        ],
        &[("CLOUDLINK_TOKEN", None)],
    );
    let token = started.generated_token.clone().expect("the token line");
    assert!(token.len() >= 32, "a random token of enough entropy");
    assert!(!started.login_url.contains(&token));
    let base = started.base.clone();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let client = reqwest::Client::new();
        let ok = client
            .get(format!("{base}/api/profiles"))
            .header("x-cloudlink-token", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        let body: serde_json::Value = ok.json().await.unwrap();
        assert_eq!(body["sandbox"], true);
        let refused = client
            .get(format!("{base}/api/profiles"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 401);
    });
    assert!(
        started
            .stdout
            .lock()
            .unwrap()
            .iter()
            .all(|l| !l.contains(&token))
    );
}

#[cfg(feature = "sandbox")]
#[tokio::test(flavor = "multi_thread")]
async fn sandbox_only_serves_the_fake_cloud_for_other_tools() {
    use cloudlink_signing::{AwsCredentials, RequestToSign, sign_sigv4};
    use process_support::Running;
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(BIN)
        .args(["--sandbox-only", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .strip_prefix("cloudlink sandbox listening on ")
        .expect(&first)
        .to_owned();
    let mut json = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        json.push_str(&line);
        if line == "}" {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let described: serde_json::Value = serde_json::from_str(&json).unwrap();
    let aws = &described["credentials"]["aws"];
    let creds = AwsCredentials {
        access_key_id: aws["accessKeyId"].as_str().unwrap().to_owned(),
        secret_access_key: aws["secretAccessKey"].as_str().unwrap().to_owned(),
        session_token: None,
    };
    let url = format!("{base}/directconnect/");
    let headers = vec![
        (
            "content-type".to_owned(),
            "application/x-amz-json-1.1".to_owned(),
        ),
        (
            "x-amz-target".to_owned(),
            "OvertureService.DescribeLocations".to_owned(),
        ),
    ];
    let call = |creds: AwsCredentials| {
        let url = url.clone();
        let headers = headers.clone();
        async move {
            let req = RequestToSign {
                method: "POST",
                url: &url,
                headers: &headers,
                body: b"{}",
            };
            let signed = sign_sigv4(
                &creds,
                "directconnect",
                "us-east-1",
                std::time::SystemTime::now(),
                &req,
            )
            .unwrap();
            let mut builder = reqwest::Client::new().post(&url).body("{}");
            for (k, v) in headers.iter().chain(signed.iter()) {
                builder = builder.header(k, v);
            }
            builder.send().await.unwrap()
        }
    };
    let ok = call(creds.clone()).await;
    assert_eq!(ok.status(), 200);
    let body: serde_json::Value = ok.json().await.unwrap();
    assert!(!body["locations"].as_array().unwrap().is_empty());
    let wrong = call(AwsCredentials {
        secret_access_key: "not-the-secret".into(),
        ..creds
    })
    .await;
    assert_eq!(wrong.status(), 403);
    assert_eq!(
        wrong.headers()["x-amzn-errortype"],
        "InvalidSignatureException"
    );
}
