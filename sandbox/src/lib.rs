//! cloudlink-sandbox: an in-process fake cloud for all four APIs, so the console
//! can be tried, demonstrated and tested end to end without an account.
//!
//! It is a fake *upstream*, not a shortcut in the proxy: the proxy signs its
//! calls with fake credentials made at start ([`Sandbox::credentials`]) and
//! sends them over HTTP; the sandbox checks every signature as the real
//! service does, parses the request with `cloudlink-core`, and answers in the
//! provider's wire format, errors included. Routes are prefixed by service id:
//! `/directconnect/`, `/directlink/`, `/outposts/connections[/{id}]`,
//! `/oci-core/20160918/instanceConsoleConnections[/{id}]`.
//!
//! State lives in memory behind one mutex; resource states are computed from
//! timestamps on the sandbox's [`clock`], so nothing runs in the background.
//!
//! It is its own crate so that a production proxy can be built without it
//! (`cloudlink-proxy`'s `sandbox` feature) and so that it depends on the proxy
//! for nothing: it answers HTTP, verifies with `cloudlink-signing`, parses with
//! `cloudlink-core`, and hands out its keys as [`FakeCredentials`].

mod auth;
pub mod clock;
mod dx;
mod ids;
mod keys;
mod oci;
mod outposts;
mod reply;
pub mod seed;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use cloudlink_core::call::CallError;
use cloudlink_core::contract::SandboxSeeds;
use cloudlink_core::{ApiRequest, IncomingCall, Service};

pub use auth::Throttle;
pub use clock::Timing;
pub use keys::FakeCredentials;

use auth::{RateLimiter, Received};
use clock::Clock;
use reply::Failure;

/// Largest body the fake services read.
const BODY_LIMIT: usize = 1024 * 1024;

#[derive(Debug)]
struct World {
    dx: dx::DxWorld,
    /// What the second AWS profile's account sees: another account, another estate.
    dx_lab: dx::DxWorld,
    outposts: outposts::OutpostsWorld,
    oci: oci::OciWorld,
}

impl Default for World {
    fn default() -> Self {
        World {
            dx: dx::DxWorld::default(),
            dx_lab: dx::DxWorld::lab(),
            outposts: outposts::OutpostsWorld::default(),
            oci: oci::OciWorld::default(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    timing: Timing,
    throttle: Throttle,
    /// Seconds the fake cloud's wall clock runs ahead of the machine's.
    skew_secs: i64,
}

#[derive(Debug)]
struct Inner {
    keys: keys::FakeKeys,
    clock: Clock,
    settings: Mutex<Settings>,
    limiter: RateLimiter,
    world: Mutex<World>,
}

/// The in-memory fake cloud. Clones share the same state.
#[derive(Debug, Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    /// A fresh cloud with new fake credentials, seeded data, default timings
    /// (a connection is available after 4 s) and the default rate limit.
    pub fn new() -> Self {
        Sandbox {
            inner: Arc::new(Inner {
                keys: keys::FakeKeys::generate(),
                clock: Clock::new(),
                settings: Mutex::new(Settings {
                    timing: Timing::DEFAULT,
                    throttle: Throttle::default(),
                    skew_secs: 0,
                }),
                limiter: RateLimiter::default(),
                world: Mutex::new(World::default()),
            }),
        }
    }

    /// For tests: [`Timing::FAST`].
    pub fn new_fast() -> Self {
        Self::new().with_timing(Timing::FAST)
    }

    /// How long each transitional state lasts.
    pub fn with_timing(self, timing: Timing) -> Self {
        self.settings().timing = timing;
        self
    }

    /// The rate limit of each key in each region.
    pub fn with_throttle(self, throttle: Throttle) -> Self {
        self.settings().throttle = throttle;
        self
    }

    /// Runs the fake cloud's wall clock `secs` ahead of the machine's (negative:
    /// behind): signature dates are checked against it and answers carry it in
    /// `Date`, as a real provider whose clock differs from the proxy's would.
    pub fn with_clock_skew(self, secs: i64) -> Self {
        self.settings().skew_secs = secs;
        self
    }

    /// The fake cloud's wall clock.
    pub fn wall_clock(&self) -> SystemTime {
        cloudlink_signing::shifted(
            SystemTime::now(),
            self.settings().skew_secs.saturating_mul(1000),
        )
    }

    /// Moves the sandbox's clock forward: resource states act as if `by` had passed.
    /// Signature dates are still checked against the real time.
    pub fn advance(&self, by: Duration) {
        self.inner.clock.advance(by);
    }

    fn settings(&self) -> std::sync::MutexGuard<'_, Settings> {
        self.inner
            .settings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The fake cloud, every service under its id.
    pub fn router(&self) -> Router {
        Router::new().fallback(handle).with_state(self.clone())
    }

    /// The fake keys to sign with, one per provider.
    pub fn credentials(&self) -> FakeCredentials {
        self.inner.keys.credentials()
    }

    /// What `GET /api/sandbox` lists: the seeded ids a user needs for every form.
    pub fn seeds(&self) -> SandboxSeeds {
        seed::seeds()
    }

    /// Seeds plus the fake credentials, for `--sandbox-only`: other tools can
    /// sign requests to this fake cloud with them. Fake keys, safe to print.
    pub fn describe(&self) -> serde_json::Value {
        let k = &self.inner.keys;
        serde_json::json!({
            "seeds": self.seeds(),
            "credentials": {
                "aws": {
                    "accessKeyId": k.aws.access_key_id,
                    "secretAccessKey": k.aws.secret_access_key,
                    "region": FakeCredentials::AWS_REGION,
                    "services": ["directconnect", "outposts"],
                },
                "awsLab": {
                    "profile": FakeCredentials::LAB_PROFILE,
                    "account": seed::LAB_ACCOUNT,
                    "accessKeyId": k.aws_lab.access_key_id,
                    "secretAccessKey": k.aws_lab.secret_access_key,
                    "region": FakeCredentials::AWS_REGION,
                    "services": ["directconnect", "outposts"],
                },
                "outscale": {
                    "accessKeyId": k.outscale.access_key_id,
                    "secretAccessKey": k.outscale.secret_access_key,
                    "region": FakeCredentials::OUTSCALE_REGION,
                    "services": ["directlink"],
                },
                "oci": {
                    "tenancy": k.oci_tenancy,
                    "user": k.oci_user,
                    "fingerprint": k.oci_fingerprint,
                    "keyId": k.oci_key_id(),
                    "region": FakeCredentials::OCI_REGION,
                    "privateKeyPem": k.oci_private_pem,
                    "publicKeyPem": k.oci_public_pem,
                },
            },
            "routes": {
                "directconnect": "/directconnect/",
                "directlink": "/directlink/",
                "outposts": "/outposts/connections",
                "oci-core": "/oci-core/20160918/instanceConsoleConnections",
            },
        })
    }
}

fn not_forwarded_failure(service: Service, what: &str) -> Failure {
    match service {
        Service::DirectConnect | Service::DirectLink => Failure::new(
            400,
            "UnknownOperationException",
            format!("Unknown operation {what}"),
        ),
        Service::Outposts => Failure::new(
            404,
            "UnknownOperationException",
            format!("Unknown operation {what}"),
        ),
        Service::OciCore => Failure::oci_not_found(),
    }
}

fn invalid_failure(service: Service, e: &CallError) -> Failure {
    let message = e.to_string();
    match service {
        Service::DirectConnect | Service::DirectLink => match e {
            CallError::Malformed(_) => Failure::new(400, "SerializationException", message),
            _ => Failure::dx(message),
        },
        Service::Outposts => Failure::new(400, "ValidationException", message),
        Service::OciCore => Failure::new(400, "InvalidParameter", message),
    }
}

async fn handle(State(sandbox): State<Sandbox>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let (service_id, rest) = match path.trim_start_matches('/').split_once('/') {
        Some((id, rest)) => (id.to_owned(), format!("/{rest}")),
        None => (path.trim_start_matches('/').to_owned(), "/".to_owned()),
    };
    let Some(service) = Service::from_id(&service_id) else {
        return (axum::http::StatusCode::NOT_FOUND, "no such sandbox service").into_response();
    };
    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return Failure::new(413, "RequestEntityTooLarge", "request body too large")
                .into_response(service);
        }
    };
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter_map(|(k, v)| {
            v.to_str()
                .ok()
                .map(|v| (k.as_str().to_owned(), v.to_owned()))
        })
        .collect();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or_else(|| path.clone(), |pq| pq.as_str().to_owned());
    let received = Received {
        method: parts.method.as_str(),
        path_and_query: &path_and_query,
        headers: &headers,
        body: &body,
    };
    let mut response = match sandbox.serve(service, &rest, parts.uri.query(), &received) {
        Ok(answer) => answer.into_response(service),
        Err(failure) => failure.into_response(service),
    };
    if let Ok(date) =
        axum::http::HeaderValue::from_str(&httpdate::fmt_http_date(sandbox.wall_clock()))
    {
        response
            .headers_mut()
            .insert(axum::http::header::DATE, date);
    }
    response
}

impl Sandbox {
    fn serve(
        &self,
        service: Service,
        rest: &str,
        query: Option<&str>,
        received: &Received<'_>,
    ) -> Result<reply::Answer, Failure> {
        let caller = auth::authenticate(&self.inner.keys, service, self.wall_clock(), received)?;
        let Settings {
            timing, throttle, ..
        } = *self.settings();
        let region = caller
            .region
            .clone()
            .unwrap_or_else(|| service.default_region().to_owned());
        // Per key and region, as AWS's API rate limits are per account and region: a sweep
        // of every region leaves each region's budget nearly whole.
        let bucket = format!("{}/{region}", caller.key_id);
        if !self.inner.limiter.allow(&bucket, throttle, Instant::now()) {
            return Err(auth::throttled(service));
        }
        let method = match received.method {
            "GET" => cloudlink_core::catalogue::Method::Get,
            "POST" => cloudlink_core::catalogue::Method::Post,
            "DELETE" => cloudlink_core::catalogue::Method::Delete,
            other => return Err(not_forwarded_failure(service, other)),
        };
        let decoded = percent_encoding::percent_decode_str(rest)
            .decode_utf8_lossy()
            .into_owned();
        let call = IncomingCall {
            service,
            method,
            path: &decoded,
            query,
            headers: received.headers,
            body: received.body,
        };
        let request = ApiRequest::parse(&call).map_err(|e| match &e {
            CallError::NotForwarded(what) => not_forwarded_failure(service, what),
            _ => invalid_failure(service, &e),
        })?;
        let now = self.inner.clock.now();
        let mut world = self
            .inner
            .world
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match &request {
            ApiRequest::DirectConnect(r) | ApiRequest::DirectLink(r) => {
                let lab = caller.key_id == self.inner.keys.aws_lab.access_key_id;
                let call = dx::DxCall {
                    service,
                    region: &region,
                    account: if lab {
                        seed::LAB_ACCOUNT
                    } else {
                        seed::OWN_ACCOUNT
                    },
                    now,
                    timing,
                };
                let dx = if lab {
                    &mut world.dx_lab
                } else {
                    &mut world.dx
                };
                dx.call(&call, r)
            }
            ApiRequest::Outposts(r) => world.outposts.call(&region, r),
            ApiRequest::Oci(r) => world.oci.call(r, now, timing),
        }
    }
}
