//! Signed calls to a `Sandbox::router()`, for the sandbox tests.

#![allow(dead_code)]

use std::time::SystemTime;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request};
use cloudlink_sandbox::{FakeCredentials, Sandbox};
use cloudlink_signing::{AwsCredentials, OciSigner, RequestToSign, sign_sigv4};
use serde_json::Value;
use tower::ServiceExt;

pub const HOST: &str = "sandbox.test";

/// An RSA ssh key line OCI accepts (from core's test data, ed25519).
pub const SSH_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmyoggxWNZNTrth8WarEp0mZHDTptFOHw+32/x+KLLR cloudlink test ed25519";

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The AWS error code (`x-amzn-ErrorType`) or OCI's `code`.
    pub fn code(&self) -> String {
        self.header("x-amzn-errortype")
            .map(str::to_owned)
            .or_else(|| self.json["code"].as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn message(&self) -> String {
        self.json["message"].as_str().unwrap_or_default().to_owned()
    }
}

pub fn aws_creds(store: &FakeCredentials) -> AwsCredentials {
    store.aws.clone()
}

pub fn outscale_creds(store: &FakeCredentials) -> AwsCredentials {
    store.outscale.clone()
}

pub fn oci_signer(store: &FakeCredentials) -> std::sync::Arc<OciSigner> {
    store.oci.clone()
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    };
    Reply {
        status,
        headers,
        json,
    }
}

/// How a SigV4 test request is signed; each field can be spoiled by a test.
#[derive(Debug, Clone)]
pub struct SigV4Call {
    pub creds: AwsCredentials,
    pub signing_name: &'static str,
    pub region: String,
    pub time: SystemTime,
    pub host: String,
    /// Sent instead of the signed body when set.
    pub sent_body: Option<Vec<u8>>,
    pub unsigned: bool,
}

impl SigV4Call {
    pub fn new(creds: AwsCredentials, signing_name: &'static str, region: &str) -> Self {
        SigV4Call {
            creds,
            signing_name,
            region: region.to_owned(),
            time: SystemTime::now(),
            host: HOST.to_owned(),
            sent_body: None,
            unsigned: false,
        }
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Request<Body> {
        let url = format!("http://{}{path}", self.host);
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let signed = if self.unsigned {
            Vec::new()
        } else {
            let req = RequestToSign {
                method,
                url: &url,
                headers: &headers,
                body,
            };
            sign_sigv4(
                &self.creds,
                self.signing_name,
                &self.region,
                self.time,
                &req,
            )
            .expect("signs")
        };
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host);
        for (k, v) in headers.iter().chain(signed.iter()) {
            builder = builder.header(k, v);
        }
        let body = self.sent_body.clone().unwrap_or_else(|| body.to_vec());
        builder.body(Body::from(body)).expect("request builds")
    }

    /// An AWS JSON 1.1 call to Direct Connect or DirectLink.
    pub fn dx(&self, service_id: &str, operation: &str, body: &Value) -> Request<Body> {
        let target = format!("OvertureService.{operation}");
        let body = serde_json::to_vec(body).expect("json");
        self.request(
            "POST",
            &format!("/{service_id}/"),
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", &target),
            ],
            &body,
        )
    }
}

/// An OCI-signed call; `path` starts at `/20160918/`.
pub fn oci_request(
    signer: &OciSigner,
    time: SystemTime,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: Option<&Value>,
) -> Request<Body> {
    let full = format!("/oci-core{path}");
    let url = format!("http://{HOST}{full}");
    let body = body
        .map(|b| serde_json::to_vec(b).expect("json"))
        .unwrap_or_default();
    let mut headers: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    if method == "POST" {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
    }
    let req = RequestToSign {
        method,
        url: &url,
        headers: &headers,
        body: &body,
    };
    let signed = signer.sign(time, &req).expect("signs");
    let mut builder = Request::builder()
        .method(method)
        .uri(&full)
        .header("host", HOST);
    for (k, v) in &headers {
        if !signed.iter().any(|(s, _)| s.eq_ignore_ascii_case(k)) {
            builder = builder.header(k, v);
        }
    }
    for (k, v) in &signed {
        builder = builder.header(k, v);
    }
    builder.body(Body::from(body)).expect("request builds")
}

/// A sandbox and its fake credentials.
pub struct Cloud {
    pub sandbox: Sandbox,
    pub router: Router,
    pub store: FakeCredentials,
}

impl Cloud {
    pub fn new(sandbox: Sandbox) -> Self {
        let router = sandbox.router();
        let store = sandbox.credentials();
        Cloud {
            sandbox,
            router,
            store,
        }
    }

    pub async fn dx(&self, service_id: &str, operation: &str, body: Value) -> Reply {
        let (creds, name, region) = if service_id == "directlink" {
            (outscale_creds(&self.store), "directlink", "eu-west-2")
        } else {
            (aws_creds(&self.store), "directconnect", "us-east-1")
        };
        send(
            &self.router,
            SigV4Call::new(creds, name, region).dx(service_id, operation, &body),
        )
        .await
    }

    pub async fn outposts(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let call = SigV4Call::new(aws_creds(&self.store), "outposts", "us-east-1");
        let (headers, bytes): (&[(&str, &str)], Vec<u8>) = match &body {
            Some(b) => (
                &[("content-type", "application/json")],
                serde_json::to_vec(b).expect("json"),
            ),
            None => (&[], Vec::new()),
        };
        send(
            &self.router,
            call.request(method, &format!("/outposts{path}"), headers, &bytes),
        )
        .await
    }

    pub async fn oci(
        &self,
        method: &str,
        path: &str,
        extra: &[(&str, &str)],
        body: Option<Value>,
    ) -> Reply {
        let signer = oci_signer(&self.store);
        send(
            &self.router,
            oci_request(
                &signer,
                SystemTime::now(),
                method,
                path,
                extra,
                body.as_ref(),
            ),
        )
        .await
    }
}
