//! Wire exactness: for every operation in the catalogue, the raw request cloudlink-proxy sends
//! upstream is compared with the raw request the provider's own SDK sends for the same call
//! (boto3 for Direct Connect and Outposts, the same botocore client signing as `directlink` for
//! OUTSCALE DirectLink, the `oci` SDK for OCI), both captured as bytes by a plain TCP server
//! on loopback. Compared: method, path, query, JSON body (semantically), header names, header
//! values that do not vary per request, duplicate headers, the signed-header list and the
//! signature's scope; and both signatures are verified over the bytes as they arrived. Every remaining difference is in [`ALLOWED`] with its reason; a new
//! difference, or an allowed one that no longer happens, fails the test.
//!
//! The SDK side is `tests/python/wire_capture.py`, run with the venv `cargo xtask setup`
//! makes (`CLOUDLINK_PYTHON`, else `.venv/bin/python`); without it the test fails.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::Request;
use cloudlink_core::Service;
use cloudlink_core::catalogue::catalogue;
use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::credentials::{CredentialStore, Profile, ProfileSigner, ProviderProfiles};
use cloudlink_proxy::{AppState, app};
use cloudlink_signing::{
    AwsCredentials, OciSigner, ReceivedRequest, VerifyClock, rsa_public_key_der_from_pem,
    verify_oci, verify_sigv4,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

const TOKEN: &str = "wire-exactness-token-0123456789abcdef";
const ACCESS_KEY: &str = "AKIDWIREEXACTNESS";
const SECRET_KEY: &str = "d2lyZS1leGFjdG5lc3Mtc2VjcmV0LWtleS1vbmx5";
const SESSION_TOKEN: &str = "wire-exactness-session-token";
const TENANCY: &str = "ocid1.tenancy.oc1..aaaaaaaawireexactness";
const USER: &str = "ocid1.user.oc1..aaaaaaaawireexactness";
const FINGERPRINT: &str = "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99";
const SSH_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmyoggxWNZNTrth8WarEp0mZHDTptFOHw+32/x+KLLR wire test";

/// Headers whose value differs on every request, so only their presence is compared:
/// - `authorization`: holds a signature over the time of signing;
/// - `x-amz-date`, `date`: the time of signing;
/// - `content-length`, `x-content-sha256`: follow the body's bytes (member order, spacing),
///   which are compared as JSON instead;
/// - `amz-sdk-invocation-id`, `opc-request-id`: a fresh random id per call;
/// - `user-agent`: names the SDK and its version.
const VARYING: [&str; 8] = [
    "authorization",
    "x-amz-date",
    "date",
    "content-length",
    "x-content-sha256",
    "amz-sdk-invocation-id",
    "opc-request-id",
    "user-agent",
];

/// The SigV4 services, as an [`ALLOWED`] service pattern.
const AWS: &str = "directconnect directlink outposts";

/// Differences that remain, as (services, operation or `*`, difference, reason); services are
/// space-separated ids. Each entry must still happen, or the test fails.
const ALLOWED: &[(&str, &str, &str, &str)] = &[
    (
        AWS,
        "*",
        "header only in sdk: amz-sdk-invocation-id",
        "botocore's own id of a call across its retries, for its retry bookkeeping; optional \
         and unsigned",
    ),
    (
        AWS,
        "*",
        "header only in sdk: amz-sdk-request",
        "botocore's attempt counter (`attempt=1; max=3`); optional and unsigned",
    ),
    (
        AWS,
        "*",
        "header only in proxy: accept",
        "the proxy's client sends `accept: */*` when core sets no `accept` (as reqwest, its \
         earlier client, did, and as the oci SDK does); botocore sends none; these services \
         answer JSON either way, and it is unsigned",
    ),
    (
        "oci-core",
        "*",
        "header only in sdk: opc-client-info",
        "the oci SDK names itself (`Oracle-PythonSDK/2.189.0`) for Oracle's statistics; \
         optional and unsigned; the proxy names itself in `user-agent`",
    ),
    (
        "oci-core",
        "*",
        "header only in sdk: opc-request-id",
        "the oci SDK makes up a client request id per call; optional: OCI assigns one when \
         none is sent and answers it in `opc-request-id`, which the proxy logs and passes back",
    ),
    (
        "oci-core",
        "*",
        "header only in sdk: connection",
        "requests says `connection: keep-alive`, the HTTP/1.1 default the proxy's client uses \
         without saying it; hop-by-hop and unsigned",
    ),
    (
        "oci-core",
        "*",
        "header value: accept-encoding",
        "requests asks for `gzip, deflate`; the proxy passes answers through without decoding \
         them, so it asks for `identity`, as botocore does",
    ),
    (
        "oci-core",
        "CreateInstanceConsoleConnection",
        "header only in proxy: opc-retry-token",
        "the proxy gives every create a retry token so that its own retries can never make a \
         second connection (the catalogue's `idempotent`); the oci SDK with its defaults sent \
         none; a token the client sends is kept",
    ),
    (
        "oci-core",
        "DeleteInstanceConsoleConnection",
        "header only in sdk: content-length",
        "requests declares `content-length: 0` on a DELETE without a body; hyper sends no length \
         there, which HTTP/1.1 reads as no body (RFC 9112 section 6.3); unsigned for DELETE",
    ),
];

/// One request as it arrived on the wire.
#[derive(Debug, Clone)]
struct Captured {
    method: String,
    /// Path and query, exactly as sent.
    target: String,
    /// Header lines in order, names lower-cased, duplicates kept.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Captured {
    fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn names(&self) -> BTreeSet<String> {
        self.headers.iter().map(|(n, _)| n.clone()).collect()
    }

    fn duplicates(&self) -> Vec<String> {
        let mut seen = BTreeMap::<&str, usize>::new();
        for (name, _) in &self.headers {
            *seen.entry(name).or_default() += 1;
        }
        seen.into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(name, _)| name.to_owned())
            .collect()
    }
}

type Log = Arc<Mutex<Vec<Captured>>>;

/// A loopback HTTP/1.1 server that records each request's raw head and body and answers 200
/// with a JSON body (`[]` for OCI's list, `{}` otherwise). Keep-alive connections are served
/// request after request.
async fn capture_server() -> (SocketAddr, Log) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Log = Arc::default();
    let log2 = log.clone();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            tokio::spawn(serve_connection(stream, log2.clone()));
        }
    });
    (addr, log)
}

async fn serve_connection(mut stream: tokio::net::TcpStream, log: Log) {
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default().to_owned();
        let target = request_line.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap_or((l, ""));
                (n.trim().to_ascii_lowercase(), v.trim().to_owned())
            })
            .collect();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buf[head_end..head_end + length].to_vec();
        buf.drain(..head_end + length);
        let chunked = headers.iter().any(|(n, _)| n == "transfer-encoding");
        let answer =
            if method == "GET" && target.split('?').next().unwrap().ends_with("Connections") {
                "[]"
            } else {
                "{}"
            };
        log.lock().unwrap().push(Captured {
            method,
            target,
            headers,
            body,
        });
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{}\r\n{answer}",
            answer.len(),
            if chunked { "connection: close\r\n" } else { "" },
        );
        if stream.write_all(reply.as_bytes()).await.is_err() || chunked {
            return;
        }
    }
}

/// One call, with the same input for the SDK and the proxy.
struct Case {
    service: Service,
    region: &'static str,
    operation: &'static str,
    /// The call's input: the API's own member names (the SDK's arguments for boto3; for OCI,
    /// camelCase names the script turns into the SDK's snake_case arguments).
    input: Value,
}

fn cases() -> Vec<Case> {
    let dx = |operation, input| Case {
        service: Service::DirectConnect,
        region: "us-east-1",
        operation,
        input,
    };
    let link = |operation, input| Case {
        service: Service::DirectLink,
        region: "eu-west-2",
        operation,
        input,
    };
    let arn = "arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fgabc123";
    let mut all = vec![
        dx(
            "CreateConnection",
            json!({"location": "EqDC2", "bandwidth": "1Gbps", "connectionName": "wire-check",
                   "tags": [{"key": "team", "value": "net"}]}),
        ),
        dx(
            "DeleteConnection",
            json!({"connectionId": "dxcon-fgabc123"}),
        ),
        dx(
            "DescribeConnections",
            json!({"connectionId": "dxcon-fgabc123"}),
        ),
        dx("DescribeLocations", json!({})),
        dx(
            "AllocatePrivateVirtualInterface",
            json!({"connectionId": "dxcon-fgabc123", "ownerAccount": "123456789012",
                   "newPrivateVirtualInterfaceAllocation": {
                       "virtualInterfaceName": "wire-alloc", "vlan": 102, "asn": 65002,
                       "authKey": "wire-bgp-key", "amazonAddress": "169.254.10.1/30",
                       "customerAddress": "169.254.10.2/30", "addressFamily": "ipv4", "mtu": 9001,
                       "tags": [{"key": "team", "value": "net"}]}}),
        ),
        dx(
            "ConfirmPrivateVirtualInterface",
            json!({"virtualInterfaceId": "dxvif-fgabc123", "virtualGatewayId": "vgw-12345678"}),
        ),
        dx(
            "CreatePrivateVirtualInterface",
            json!({"connectionId": "dxcon-fgabc123", "newPrivateVirtualInterface": {
                       "virtualInterfaceName": "wire-vif", "vlan": 101, "asn": 65001,
                       "authKey": "wire-bgp-key", "amazonAddress": "169.254.10.1/30",
                       "customerAddress": "169.254.10.2/30", "addressFamily": "ipv4",
                       "virtualGatewayId": "vgw-12345678", "mtu": 1500, "enableSiteLink": false,
                       "tags": [{"key": "team", "value": "net"}]}}),
        ),
        dx(
            "DeleteVirtualInterface",
            json!({"virtualInterfaceId": "dxvif-fgabc123"}),
        ),
        dx("DescribeVirtualGateways", json!({})),
        dx(
            "DescribeVirtualInterfaces",
            json!({"connectionId": "dxcon-fgabc123", "virtualInterfaceId": "dxvif-fgabc123"}),
        ),
        dx(
            "TagResource",
            json!({"resourceArn": arn, "tags": [{"key": "env", "value": "prod"}, {"key": "solo"}]}),
        ),
        dx(
            "UntagResource",
            json!({"resourceArn": arn, "tagKeys": ["env", "solo"]}),
        ),
        dx("DescribeTags", json!({"resourceArns": [arn]})),
        link(
            "CreateConnection",
            json!({"location": "PAR1", "bandwidth": "1Gbps", "connectionName": "wire-osc"}),
        ),
        link(
            "DeleteConnection",
            json!({"connectionId": "dxcon-fgabc123"}),
        ),
        link(
            "DescribeConnections",
            json!({"connectionId": "dxcon-fgabc123"}),
        ),
        link("DescribeLocations", json!({})),
        link(
            "AllocatePrivateVirtualInterface",
            json!({"connectionId": "dxcon-fgabc123", "ownerAccount": "123456789012",
                   "newPrivateVirtualInterfaceAllocation": {
                       "virtualInterfaceName": "wire-alloc", "vlan": 202, "asn": 65101}}),
        ),
        link(
            "ConfirmPrivateVirtualInterface",
            json!({"virtualInterfaceId": "dxvif-fgabc123", "virtualGatewayId": "vgw-12345678"}),
        ),
        link(
            "CreatePrivateVirtualInterface",
            json!({"connectionId": "dxcon-fgabc123", "newPrivateVirtualInterface": {
                       "virtualInterfaceName": "wire-vif", "vlan": 201, "asn": 65100,
                       "virtualGatewayId": "vgw-12345678"}}),
        ),
        link(
            "DeleteVirtualInterface",
            json!({"virtualInterfaceId": "dxvif-fgabc123"}),
        ),
        link("DescribeVirtualGateways", json!({})),
        link(
            "DescribeVirtualInterfaces",
            json!({"connectionId": "dxcon-fgabc123"}),
        ),
    ];
    let outposts = |operation, input| Case {
        service: Service::Outposts,
        region: "us-east-1",
        operation,
        input,
    };
    all.push(outposts(
        "StartConnection",
        json!({"DeviceSerialNumber": "GFQ2VBX1234", "AssetId": "1234567890abc",
               "ClientPublicKey": "xTbJ8sbBDsbcS0NPqYTpH3+Sye5Jy8y9DPJIvrhfMV4=",
               "NetworkInterfaceDeviceIndex": 0}),
    ));
    all.push(outposts(
        "GetConnection",
        json!({"ConnectionId": "Y29ubi0wYTFiMmMzZDRlNWY2YTdiOA+="}),
    ));
    let oci = |operation, input| Case {
        service: Service::OciCore,
        region: "us-ashburn-1",
        operation,
        input,
    };
    let instance = "ocid1.instance.oc1.iad.anuwcljrwireexactnessinstance";
    let connection = "ocid1.instanceconsoleconnection.oc1.iad.anuwcljrwireexactness";
    all.push(oci(
        "CreateInstanceConsoleConnection",
        json!({"instanceId": instance, "publicKey": SSH_KEY,
               "freeformTags": {"team": "net"}, "definedTags": {"ops": {"cost": "42"}}}),
    ));
    all.push(oci(
        "ListInstanceConsoleConnections",
        json!({"compartmentId": "ocid1.compartment.oc1..aaaaaaaawireexactness",
               "instanceId": instance, "limit": 5, "page": "page-2"}),
    ));
    all.push(oci(
        "GetInstanceConsoleConnection",
        json!({"instanceConsoleConnectionId": connection}),
    ));
    all.push(oci(
        "DeleteInstanceConsoleConnection",
        json!({"instanceConsoleConnectionId": connection, "ifMatch": "etag-1"}),
    ));
    all
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn python() -> PathBuf {
    let python = std::env::var_os("CLOUDLINK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask setup` (it creates the venv from tests/python/requirements.txt)",
        python.display()
    );
    python
}

fn oci_key_file() -> PathBuf {
    repo().join("signing/tests/vectors/oci-test-key.pem")
}

/// Runs the SDK side: every case, in order, against `endpoint`.
fn run_sdks(endpoint: &str, cases: &[Case]) {
    let calls: Vec<Value> = cases
        .iter()
        .map(|c| {
            json!({"service": c.service.id(), "region": c.region, "operation": c.operation,
                   "input": c.input})
        })
        .collect();
    let command = json!({
        "endpoint": endpoint,
        "aws": {"access_key_id": ACCESS_KEY, "secret_access_key": SECRET_KEY,
                "session_token": SESSION_TOKEN},
        "oci": {"tenancy": TENANCY, "user": USER, "fingerprint": FINGERPRINT,
                "key_file": oci_key_file()},
        "calls": calls,
    });
    let mut child = Command::new(python())
        .arg(repo().join("tests/python/wire_capture.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(command.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "wire_capture.py failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn proxy_state(addr: SocketAddr) -> Arc<AppState> {
    let mut settings = Settings::from_cli(Cli::default()).unwrap();
    for service in Service::ALL {
        settings.upstreams.insert(service, format!("http://{addr}"));
    }
    let aws = ProviderProfiles {
        profiles: vec![Profile {
            name: "default".into(),
            region: None,
            signer: ProfileSigner::Static(AwsCredentials {
                access_key_id: ACCESS_KEY.into(),
                secret_access_key: SECRET_KEY.into(),
                session_token: Some(SESSION_TOKEN.into()),
            }),
        }],
        problems: vec![],
    };
    let pem = std::fs::read(oci_key_file()).unwrap();
    let oci = ProviderProfiles {
        profiles: vec![Profile {
            name: "DEFAULT".into(),
            region: None,
            signer: ProfileSigner::Oci(Arc::new(
                OciSigner::from_pem(TENANCY, USER, FINGERPRINT, &pem).unwrap(),
            )),
        }],
        problems: vec![],
    };
    let store = CredentialStore {
        aws: aws.clone(),
        outscale: aws,
        oci,
    };
    Arc::new(AppState::new(settings, TOKEN.into(), store))
}

/// Sends the SDK's own request to the proxy, as the SDK pointed at the proxy would (every
/// header but `host` and `content-length`, plus the proxy's token), and returns what the proxy
/// answered.
async fn through_proxy(state: &Arc<AppState>, case: &Case, sdk: &Captured) -> (u16, String) {
    let uri = format!(
        "{}/{}{}",
        case.service.route_prefix(),
        case.region,
        sdk.target
    );
    let mut req = Request::builder().method(sdk.method.as_str()).uri(uri);
    for (name, value) in &sdk.headers {
        if name != "host" && name != "content-length" {
            req = req.header(name, value);
        }
    }
    let req = req
        .header("x-cloudlink-token", TOKEN)
        .body(Body::from(sdk.body.clone()))
        .unwrap();
    let resp = app(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// SigV4's `SignedHeaders` or OCI's `headers`, as a list of names in signing order.
fn signed_headers(authorization: &str) -> Vec<String> {
    let list = if let Some(rest) = authorization.strip_prefix("Signature ") {
        rest.split(',')
            .find_map(|p| p.trim().strip_prefix("headers="))
            .map(|v| v.trim_matches('"').replace(' ', ";"))
    } else {
        authorization
            .split(", ")
            .find_map(|p| p.trim().strip_prefix("SignedHeaders="))
            .map(str::to_owned)
    };
    list.unwrap_or_default()
        .split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What a signature binds apart from time: SigV4's credential scope without its date
/// (key id, region, service), or OCI's version, key id and algorithm.
fn signature_scope(authorization: &str) -> String {
    if let Some(rest) = authorization.strip_prefix("Signature ") {
        let mut parts: Vec<&str> = rest
            .split(',')
            .filter(|p| !p.starts_with("signature=") && !p.starts_with("headers="))
            .collect();
        parts.sort_unstable();
        parts.join(",")
    } else {
        let credential = authorization
            .split(", ")
            .find_map(|p| p.split("Credential=").nth(1))
            .unwrap_or_default();
        let mut parts: Vec<&str> = credential.split('/').collect();
        if parts.len() > 1 {
            parts.remove(1);
        }
        format!(
            "{} {}",
            authorization.split(' ').next().unwrap_or_default(),
            parts.join("/")
        )
    }
}

/// Every difference between the SDK's request and the proxy's, each with its detail.
fn differences(sdk: &Captured, proxy: &Captured) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut differ = |key: String, detail: String| out.push((key, detail));
    if sdk.method != proxy.method {
        differ(
            "method".into(),
            format!("sdk {} proxy {}", sdk.method, proxy.method),
        );
    }
    if sdk.path() != proxy.path() {
        differ(
            "path".into(),
            format!("sdk {} proxy {}", sdk.path(), proxy.path()),
        );
    }
    if sdk.query() != proxy.query() {
        differ(
            "query".into(),
            format!("sdk {:?} proxy {:?}", sdk.query(), proxy.query()),
        );
    }
    let json = |body: &[u8]| -> Option<Value> {
        (!body.is_empty()).then(|| serde_json::from_slice(body).expect("a JSON body"))
    };
    let (sdk_body, proxy_body) = (json(&sdk.body), json(&proxy.body));
    if sdk_body != proxy_body {
        differ(
            "body".into(),
            format!("sdk {sdk_body:?}\nproxy {proxy_body:?}"),
        );
    }
    for name in proxy.duplicates() {
        let values: Vec<_> = proxy.headers.iter().filter(|(n, _)| *n == name).collect();
        differ(format!("duplicate header: {name}"), format!("{values:?}"));
    }
    let (sdk_names, proxy_names) = (sdk.names(), proxy.names());
    for name in sdk_names.difference(&proxy_names) {
        differ(
            format!("header only in sdk: {name}"),
            sdk.header(name).unwrap_or_default().to_owned(),
        );
    }
    for name in proxy_names.difference(&sdk_names) {
        differ(
            format!("header only in proxy: {name}"),
            proxy.header(name).unwrap_or_default().to_owned(),
        );
    }
    for name in sdk_names.intersection(&proxy_names) {
        if !VARYING.contains(&name.as_str()) && sdk.header(name) != proxy.header(name) {
            differ(
                format!("header value: {name}"),
                format!(
                    "sdk {:?} proxy {:?}",
                    sdk.header(name).unwrap_or_default(),
                    proxy.header(name).unwrap_or_default()
                ),
            );
        }
    }
    let sdk_auth = sdk.header("authorization").unwrap_or_default();
    let proxy_auth = proxy.header("authorization").unwrap_or_default();
    let (sdk_signed, proxy_signed) = (signed_headers(sdk_auth), signed_headers(proxy_auth));
    let sdk_set: BTreeSet<_> = sdk_signed.iter().collect();
    let proxy_set: BTreeSet<_> = proxy_signed.iter().collect();
    for name in sdk_set.difference(&proxy_set) {
        differ(format!("signed only by sdk: {name}"), sdk_auth.to_owned());
    }
    for name in proxy_set.difference(&sdk_set) {
        differ(
            format!("signed only by proxy: {name}"),
            proxy_auth.to_owned(),
        );
    }
    if sdk_set == proxy_set && sdk_signed != proxy_signed {
        differ(
            "signed header order".into(),
            format!("sdk {sdk_signed:?} proxy {proxy_signed:?}"),
        );
    }
    if signature_scope(sdk_auth) != signature_scope(proxy_auth) {
        differ(
            "signature scope".into(),
            format!(
                "sdk {} proxy {}",
                signature_scope(sdk_auth),
                signature_scope(proxy_auth)
            ),
        );
    }
    out
}

/// Whether a captured request's signature holds over exactly the bytes that went on the wire,
/// checked with the verifiers the sandbox uses and the credentials both sides signed with.
fn signature_holds(case: &Case, request: &Captured) -> Result<(), String> {
    let now = std::time::SystemTime::now();
    let skew = std::time::Duration::from_secs(300);
    match case.service.sigv4_name() {
        Some(name) => verify_sigv4(
            |id| {
                (id == ACCESS_KEY).then(|| AwsCredentials {
                    access_key_id: ACCESS_KEY.into(),
                    secret_access_key: SECRET_KEY.into(),
                    session_token: Some(SESSION_TOKEN.into()),
                })
            },
            name,
            case.region,
            VerifyClock {
                now,
                max_skew: skew,
            },
            &ReceivedRequest {
                method: &request.method,
                path_and_query: &request.target,
                headers: &request.headers,
                body: &request.body,
            },
        )
        .map(|_| ())
        .map_err(|e| e.to_string()),
        None => {
            let public =
                std::fs::read(repo().join("signing/tests/vectors/oci-test-key.pub.pem")).unwrap();
            let der = rsa_public_key_der_from_pem(&public).unwrap();
            verify_oci(
                |_| Some(der.clone()),
                VerifyClock {
                    now,
                    max_skew: skew,
                },
                &ReceivedRequest {
                    method: &request.method,
                    path_and_query: &request.target,
                    headers: &request.headers,
                    body: &request.body,
                },
            )
            .map(|_| ())
            .map_err(|e| e.to_string())
        }
    }
}

fn allowed(service: Service, operation: &str, key: &str) -> Option<usize> {
    ALLOWED.iter().position(|(s, o, k, _)| {
        s.split(' ').any(|s| s == service.id()) && (*o == "*" || *o == operation) && *k == key
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_goes_upstream_as_the_providers_sdk_sends_it() {
    let cases = cases();
    for info in catalogue() {
        assert!(
            cases
                .iter()
                .any(|c| c.service == info.service && c.operation == info.name),
            "no case for {} {}",
            info.service,
            info.name
        );
    }

    let (addr, log) = capture_server().await;
    let endpoint = format!("http://{addr}");
    let sdk_cases: Vec<Case> = cases
        .iter()
        .map(|c| Case {
            service: c.service,
            region: c.region,
            operation: c.operation,
            input: c.input.clone(),
        })
        .collect();
    tokio::task::spawn_blocking(move || run_sdks(&endpoint, &sdk_cases))
        .await
        .unwrap();
    let sdk_requests: Vec<Captured> = std::mem::take(&mut *log.lock().unwrap());
    assert_eq!(
        sdk_requests.len(),
        cases.len(),
        "one request per SDK call (none retried): {sdk_requests:#?}"
    );

    let state = proxy_state(addr);
    let mut unexplained = Vec::new();
    let mut used = vec![false; ALLOWED.len()];
    let mut report = String::new();
    for (case, sdk) in cases.iter().zip(&sdk_requests) {
        let (status, answer) = through_proxy(&state, case, sdk).await;
        assert_eq!(
            status, 200,
            "{} {}: the proxy refused the SDK's request: {answer}",
            case.service, case.operation
        );
        let proxy = {
            let mut log = log.lock().unwrap();
            assert_eq!(log.len(), 1, "{} {}", case.service, case.operation);
            log.pop().unwrap()
        };
        report.push_str(&format!(
            "\n== {} {}\nsdk:   {} {} {:?}\nproxy: {} {} {:?}\n",
            case.service,
            case.operation,
            sdk.method,
            sdk.target,
            sdk.headers,
            proxy.method,
            proxy.target,
            proxy.headers
        ));
        if let Err(e) = signature_holds(case, sdk) {
            panic!(
                "{} {}: the SDK's own signature does not verify: {e}",
                case.service, case.operation
            );
        }
        if let Err(e) = signature_holds(case, &proxy) {
            unexplained.push(format!(
                "{} {}: the proxy's signature does not verify over what it sent: {e}",
                case.service, case.operation
            ));
        }
        for (key, detail) in differences(sdk, &proxy) {
            match allowed(case.service, case.operation, &key) {
                Some(i) => used[i] = true,
                None => unexplained.push(format!(
                    "{} {}: {key}\n    {detail}",
                    case.service, case.operation
                )),
            }
        }
    }
    let stale: Vec<_> = ALLOWED
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(entry, _)| format!("{entry:?}"))
        .collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "differences not in ALLOWED:\n{}\n\nALLOWED entries no longer seen:\n{}\n\nrequests:{report}",
        unexplained.join("\n"),
        stale.join("\n")
    );
}
