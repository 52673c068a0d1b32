//! Our SigV4 signer against the `aws-sigv4` crate, the reference it replaced: on generated
//! requests (paths with dot segments, repeated slashes and escapes; queries with `+`, escapes
//! and repeated names; headers in any case, repeated, with runs of spaces, or refused by
//! signing; session tokens; S3-style payload signing; any time from 1970 to 2100) both give
//! the same headers, byte for byte, or both refuse. botocore's own vectors are checked in
//! `signing_vectors.rs`.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use cloudlink_signing::{
    AwsCredentials, RequestToSign, UNSIGNED_HEADERS, service_signs_payload_header, sign_sigv4,
};
use proptest::prelude::*;

/// SigV4 by `aws-sigv4` with botocore's settings: what `sign_sigv4` did before it was written
/// out. `None`: the crate refused the request.
fn reference(
    creds: &AwsCredentials,
    service: &str,
    region: &str,
    time: SystemTime,
    req: &RequestToSign,
) -> Option<Vec<(String, String)>> {
    let identity = aws_credential_types::Credentials::new(
        &creds.access_key_id,
        &creds.secret_access_key,
        creds.session_token.clone(),
        None,
        "reference",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = Some(UNSIGNED_HEADERS.iter().map(|h| (*h).into()).collect());
    if service_signs_payload_header(service) {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .ok()?
        .into();
    let replaced = ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];
    let headers = req
        .headers
        .iter()
        .filter(|(name, _)| !replaced.iter().any(|r| name.eq_ignore_ascii_case(r)))
        .map(|(name, value)| (name.as_str(), value.as_str()));
    let signable =
        SignableRequest::new(req.method, req.url, headers, SignableBody::Bytes(req.body)).ok()?;
    let (instructions, _) = sign(signable, &params).ok()?.into_parts();
    let mut out: Vec<(String, String)> = instructions
        .headers()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.to_owned()))
        .collect();
    out.sort();
    Some(out)
}

fn check(
    creds: &AwsCredentials,
    service: &str,
    region: &str,
    time: SystemTime,
    req: &RequestToSign,
) -> Result<(), TestCaseError> {
    let ours = sign_sigv4(creds, service, region, time, req);
    match (ours, reference(creds, service, region, time, req)) {
        (Ok(ours), Some(theirs)) => prop_assert_eq!(ours, theirs, "{:?}", req),
        (Err(_), None) => {}
        (ours, theirs) => prop_assert!(
            false,
            "disagree on {req:?}: ours {ours:?}, aws-sigv4 {theirs:?}"
        ),
    }
    Ok(())
}

fn hosts() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "https://directconnect.us-east-1.amazonaws.com",
        "https://directlink.eu-west-2.outscale.com",
        "https://outposts.us-west-2.amazonaws.com:443",
        "http://127.0.0.1:8080",
        "http://localhost:80",
        "https://[::1]:8443",
        "https://example.com:0443",
    ])
}

/// A path as a client sends it: segments of unreserved and sub-delim characters, escapes,
/// dot segments and empty segments.
fn paths() -> impl Strategy<Value = String> {
    let segment = prop::sample::select(vec![
        "",
        ".",
        "..",
        "connections",
        "conn%2F1",
        "a:b",
        "x,y",
        "%20",
        "caf%C3%A9",
        "~user",
        "a.b",
        "A-Z_0",
        "%41",
        "it's",
        "(1)",
        "$*",
        "!",
        "=",
        "@",
    ]);
    (prop::collection::vec(segment, 0..6), any::<bool>()).prop_map(|(segments, slash)| {
        let mut path = String::new();
        for s in segments {
            path.push('/');
            path.push_str(s);
        }
        if slash {
            path.push('/');
        }
        path
    })
}

fn queries() -> impl Strategy<Value = String> {
    let part = prop::sample::select(vec![
        "",
        "a",
        "b",
        "maxResults",
        "nextToken",
        "x+y",
        "x%2By",
        "%20",
        "A%3DB",
        "%",
        "%zz",
        "caf%C3%A9",
        "%C3",
        "v~1",
        "1.0",
        "a*b",
        "()",
        "~",
        "!",
    ]);
    let pair = (part.clone(), prop::option::of(part)).prop_map(|(k, v)| match v {
        Some(v) => format!("{k}={v}"),
        None => k.to_owned(),
    });
    prop::option::of(prop::collection::vec(pair, 0..5)).prop_map(|q| match q {
        Some(pairs) => format!("?{}", pairs.join("&")),
        None => String::new(),
    })
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop::sample::select(vec![
        "content-type",
        "Content-Type",
        "x-amz-target",
        "X-Amz-Target",
        "x-amz-date",
        "X-Amz-Security-Token",
        "x-amz-content-sha256",
        "user-agent",
        "Host",
        "authorization",
        "x-custom",
        "accept",
        "bad name",
        "",
    ]);
    let value = prop::sample::select(vec![
        "application/x-amz-json-1.1",
        "OvertureService.DescribeConnections",
        "  padded  ",
        "a  b   c",
        "tab\there",
        "",
        " ",
        "line\nbreak",
        "caf\u{e9}",
        "example.com:9000",
        "Bearer x",
    ]);
    prop::collection::vec(
        (name, value).prop_map(|(n, v)| (n.to_owned(), v.to_owned())),
        0..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn our_signer_agrees_with_aws_sigv4(
        method in prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH"]),
        host in hosts(),
        path in paths(),
        query in queries(),
        headers in headers(),
        body in prop::collection::vec(any::<u8>(), 0..200),
        service in prop::sample::select(vec!["directconnect", "directlink", "outposts", "s3"]),
        region in prop::sample::select(vec!["us-east-1", "eu-west-2", "ap-southeast-2"]),
        secs in 0u64..4_102_444_800,
        secret in "[A-Za-z0-9/+]{1,64}",
        token in prop::option::of("[A-Za-z0-9/+=]{1,300}"),
    ) {
        let creds = AwsCredentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: secret,
            session_token: token,
        };
        let url = format!("{host}{path}{query}");
        let req = RequestToSign { method, url: &url, headers: &headers, body: &body };
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
        check(&creds, service, region, time, &req)?;
    }

    /// Many calls on a few days with a few keys: the cached signing key is always the right one.
    #[test]
    fn cached_keys_sign_as_aws_sigv4_does(
        calls in prop::collection::vec(
            (0usize..3, 0u64..3 * 86_400, 0usize..3, 0usize..3),
            1..40,
        ),
    ) {
        let secrets = ["wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "second-secret", "third"];
        let regions = ["us-east-1", "eu-west-2", "us-west-2"];
        let services = ["directconnect", "directlink", "outposts"];
        let headers = vec![
            ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
            ("x-amz-target".to_owned(), "OvertureService.DescribeConnections".to_owned()),
        ];
        let req = RequestToSign {
            method: "POST",
            url: "https://directconnect.us-east-1.amazonaws.com/",
            headers: &headers,
            body: b"{}",
        };
        for (secret, offset, region, service) in calls {
            let creds = AwsCredentials {
                access_key_id: "AKIDEXAMPLE".into(),
                secret_access_key: secrets[secret].into(),
                session_token: None,
            };
            let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_532_000 + offset);
            check(&creds, services[service], regions[region], time, &req)?;
        }
    }
}

#[test]
fn invalid_headers_and_urls_are_refused_by_name() {
    let creds = AwsCredentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "secret".into(),
        session_token: None,
    };
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_532_000);
    let sign = |url: &str, headers: &[(String, String)]| {
        let req = RequestToSign {
            method: "POST",
            url,
            headers,
            body: b"{}",
        };
        sign_sigv4(&creds, "directconnect", "us-east-1", time, &req)
            .unwrap_err()
            .to_string()
    };
    let url = "https://directconnect.us-east-1.amazonaws.com/";
    let header = |n: &str, v: &str| vec![(n.to_owned(), v.to_owned())];
    assert_eq!(
        sign(url, &header("x-amz-target", "a\nb")),
        "invalid header to sign: \"x-amz-target\""
    );
    assert_eq!(
        sign(url, &header("bad name", "v")),
        "invalid header to sign: \"bad name\""
    );
    assert_eq!(sign("not a url", &[]), "invalid url to sign: \"not a url\"");
    assert_eq!(sign("/relative", &[]), "invalid url to sign: \"/relative\"");
}
