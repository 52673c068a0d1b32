//! Who is calling: every request's signature is checked as the real service
//! checks it (SigV4 for the AWS-style services, OCI's RSA signature for OCI),
//! then the caller's key is charged one token of its rate bucket.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use cloudlink_core::{Provider, Service};

use super::keys::FakeKeys;
use super::reply::Failure;
use super::seed;
use cloudlink_signing::{ReceivedRequest, VerifyClock, verify_oci, verify_sigv4};

/// How far a request's date may be from the sandbox's clock, as AWS and OCI allow.
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// The caller a signature proved, and the region a SigV4 scope named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub key_id: String,
    /// The SigV4 scope's region (AWS-style services); `None` for OCI.
    pub region: Option<String>,
}

/// The request as received, for signature checks.
pub type Received<'a> = ReceivedRequest<'a>;

/// The region named by a real endpoint host (`directconnect.us-east-1.amazonaws.com`),
/// when the request was sent to one.
fn host_region(service: Service, headers: &[(String, String)]) -> Option<String> {
    let host = cloudlink_core::wire::header(headers, "host")?;
    let host = host.split(':').next().unwrap_or(host);
    let prefix = format!("{}.", service.sigv4_name().unwrap_or("iaas"));
    let rest = host.strip_prefix(&prefix)?;
    let region = rest
        .strip_suffix(".amazonaws.com")
        .or_else(|| rest.strip_suffix(".outscale.com"))?;
    Some(region.to_owned())
}

/// The region in the `Credential=` scope of a SigV4 `Authorization` header.
fn scope_region(headers: &[(String, String)]) -> Option<String> {
    let auth = cloudlink_core::wire::header(headers, "authorization")?;
    let credential = auth.split("Credential=").nth(1)?.split([',', ' ']).next()?;
    credential.split('/').nth(2).map(str::to_owned)
}

/// Checks the signature of a request to `service`; the caller on success, the
/// provider's own refusal otherwise.
pub fn authenticate(
    keys: &FakeKeys,
    service: Service,
    now: SystemTime,
    req: &Received<'_>,
) -> Result<Caller, Failure> {
    match service.provider() {
        Provider::Aws | Provider::Outscale => {
            let name = service.sigv4_name().unwrap_or_default();
            // A real endpoint serves one region; the sandbox's single endpoint serves
            // every region the service has, so the scope picks one of them.
            let expected = host_region(service, req.headers).unwrap_or_else(|| {
                let scoped = scope_region(req.headers).unwrap_or_default();
                if seed::serves(service, &scoped) {
                    scoped
                } else {
                    service.default_region().to_owned()
                }
            });
            let verified = verify_sigv4(
                |key| {
                    keys.aws_lookup(key)
                        .filter(|_| key_belongs(keys, service, key))
                },
                name,
                &expected,
                VerifyClock {
                    now,
                    max_skew: MAX_SKEW,
                },
                req,
            )
            .map_err(|e| Failure::new(e.http_status(), e.code(), e.to_string()))?;
            Ok(Caller {
                key_id: verified.access_key_id,
                region: Some(expected),
            })
        }
        Provider::Oci => {
            let key_id = keys.oci_key_id();
            let public = keys.oci_public_der.clone();
            let verified = verify_oci(|id| (id == key_id).then(|| public.clone()), VerifyClock { now, max_skew: MAX_SKEW }, req)
            .map_err(|_| {
                // OCI never says which part failed beyond this sentence.
                Failure::new(
                    401,
                    "NotAuthenticated",
                    "The required information to complete authentication was not provided or was incorrect.",
                )
            })?;
            Ok(Caller {
                key_id: verified,
                region: None,
            })
        }
    }
}

/// An AWS key works for AWS's services, an OUTSCALE key for OUTSCALE's.
fn key_belongs(keys: &FakeKeys, service: Service, key: &str) -> bool {
    match service.provider() {
        Provider::Outscale => key == keys.outscale.access_key_id,
        Provider::Aws => key == keys.aws.access_key_id || key == keys.aws_lab.access_key_id,
        Provider::Oci => false,
    }
}

/// The rate limit: `burst` calls at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    pub burst: u32,
    pub per_second: f64,
}

impl Default for Throttle {
    /// Generous enough for a console polling a few lists at once.
    fn default() -> Self {
        Throttle {
            burst: 20,
            per_second: 10.0,
        }
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// One token bucket per caller key.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    /// Takes a token for `key`; false when the bucket is empty.
    pub fn allow(&self, key: &str, limit: Throttle, now: Instant) -> bool {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let burst = f64::from(limit.burst);
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * limit.per_second).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The provider's answer to a caller over its rate.
pub fn throttled(service: Service) -> Failure {
    match service {
        Service::DirectConnect | Service::DirectLink => {
            Failure::new(400, "ThrottlingException", "Rate exceeded")
        }
        Service::Outposts => Failure::new(429, "ThrottlingException", "Rate exceeded"),
        Service::OciCore => Failure::new(429, "TooManyRequests", "Too many requests for the user"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_a_burst_then_refills() {
        let limiter = RateLimiter::default();
        let limit = Throttle {
            burst: 3,
            per_second: 2.0,
        };
        let t0 = Instant::now();
        assert!((0..3).all(|_| limiter.allow("k", limit, t0)));
        assert!(!limiter.allow("k", limit, t0));
        assert!(limiter.allow("other", limit, t0), "buckets are per key");
        assert!(limiter.allow("k", limit, t0 + Duration::from_millis(500)));
        assert!(!limiter.allow("k", limit, t0 + Duration::from_millis(500)));
    }

    #[test]
    fn host_names_the_region_of_a_real_endpoint() {
        let h = |v: &str| vec![("Host".to_owned(), v.to_owned())];
        assert_eq!(
            host_region(
                Service::DirectConnect,
                &h("directconnect.eu-west-1.amazonaws.com")
            )
            .as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            host_region(Service::DirectLink, &h("directlink.eu-west-2.outscale.com")).as_deref(),
            Some("eu-west-2")
        );
        assert_eq!(
            host_region(Service::DirectConnect, &h("127.0.0.1:8080")),
            None
        );
    }
}
