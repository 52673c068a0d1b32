//! The verifiers refuse what the real services refuse: each case breaks one thing in a
//! request our signer signed, and names the rejection it must get.

use std::path::Path;
use std::time::{Duration, SystemTime};

use cloudlink_signing::{
    AwsCredentials, OciRejection, OciSigner, ReceivedRequest, RequestToSign, SigV4Rejection,
    VerifyClock, rsa_public_key_der_from_pem, sign_sigv4, verify_oci, verify_sigv4,
};

const SKEW: Duration = Duration::from_secs(300);

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_532_000)
}

fn creds(token: Option<&str>) -> AwsCredentials {
    AwsCredentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        session_token: token.map(String::from),
    }
}

/// A Direct Connect call signed at `t0`, as the service receives it.
struct SignedCall {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn signed_dx_call(token: Option<&str>) -> SignedCall {
    let body = br#"{"connectionId":"dxcon-fgabc123"}"#.to_vec();
    let mut headers = vec![
        (
            "content-type".to_owned(),
            "application/x-amz-json-1.1".to_owned(),
        ),
        (
            "x-amz-target".to_owned(),
            "OvertureService.DescribeConnections".to_owned(),
        ),
    ];
    let req = RequestToSign {
        method: "POST",
        url: "https://directconnect.us-east-1.amazonaws.com/",
        headers: &headers,
        body: &body,
    };
    let added = sign_sigv4(&creds(token), "directconnect", "us-east-1", t0(), &req).unwrap();
    headers.extend(added);
    headers.push((
        "host".to_owned(),
        "directconnect.us-east-1.amazonaws.com".to_owned(),
    ));
    SignedCall { headers, body }
}

fn verify_dx(
    call: &SignedCall,
    known: Option<AwsCredentials>,
    region: &str,
    now: SystemTime,
) -> Result<String, SigV4Rejection> {
    verify_sigv4(
        |id| known.clone().filter(|c| c.access_key_id == id),
        "directconnect",
        region,
        VerifyClock {
            now,
            max_skew: SKEW,
        },
        &ReceivedRequest {
            method: "POST",
            path_and_query: "/",
            headers: &call.headers,
            body: &call.body,
        },
    )
    .map(|v| v.access_key_id)
}

fn set(headers: &mut Vec<(String, String)>, name: &str, value: Option<&str>) {
    headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    if let Some(value) = value {
        headers.push((name.to_owned(), value.to_owned()));
    }
}

#[test]
fn sigv4_accepts_an_untouched_request() {
    let call = signed_dx_call(None);
    assert_eq!(
        verify_dx(&call, Some(creds(None)), "us-east-1", t0()),
        Ok("AKIDEXAMPLE".to_owned())
    );
    let call = signed_dx_call(Some("token-1"));
    assert_eq!(
        verify_dx(
            &call,
            Some(creds(Some("token-1"))),
            "us-east-1",
            t0() + SKEW
        ),
        Ok("AKIDEXAMPLE".to_owned())
    );
}

#[test]
fn sigv4_rejections() {
    type Breaker = fn(&mut SignedCall, &mut Option<AwsCredentials>, &mut String, &mut SystemTime);
    let cases: &[(&str, Breaker, &str)] = &[
        (
            "tampered body",
            |c, _, _, _| c.body[5] ^= 1,
            "InvalidSignatureException",
        ),
        (
            "tampered signed header",
            |c, _, _, _| {
                set(
                    &mut c.headers,
                    "x-amz-target",
                    Some("OvertureService.DeleteConnection"),
                )
            },
            "InvalidSignatureException",
        ),
        (
            "wrong region in scope",
            |_, _, region, _| *region = "eu-west-1".into(),
            "InvalidSignatureException",
        ),
        (
            "wrong secret",
            |_, known, _, _| known.as_mut().unwrap().secret_access_key.push('x'),
            "InvalidSignatureException",
        ),
        (
            "stale date",
            |_, _, _, now| *now += SKEW + Duration::from_secs(1),
            "InvalidSignatureException",
        ),
        (
            "date in the future",
            |_, _, _, now| *now -= SKEW + Duration::from_secs(1),
            "InvalidSignatureException",
        ),
        (
            "unknown key",
            |_, known, _, _| *known = None,
            "UnrecognizedClientException",
        ),
        (
            "token sent but none expected",
            |c, _, _, _| set(&mut c.headers, "x-amz-security-token", Some("t")),
            "UnrecognizedClientException",
        ),
        (
            "token expected but none sent",
            |_, known, _, _| known.as_mut().unwrap().session_token = Some("t".into()),
            "UnrecognizedClientException",
        ),
        (
            "no authorization",
            |c, _, _, _| set(&mut c.headers, "authorization", None),
            "MissingAuthenticationTokenException",
        ),
        (
            "no x-amz-date",
            |c, _, _, _| set(&mut c.headers, "x-amz-date", None),
            "IncompleteSignatureException",
        ),
        (
            "signed header missing",
            |c, _, _, _| set(&mut c.headers, "x-amz-target", None),
            "IncompleteSignatureException",
        ),
        (
            "no signature parameter",
            |c, _, _, _| {
                let auth = c
                    .headers
                    .iter()
                    .find(|(n, _)| n == "authorization")
                    .unwrap()
                    .1
                    .clone();
                let cut = auth.split(", Signature=").next().unwrap().to_owned();
                set(&mut c.headers, "authorization", Some(&cut));
            },
            "IncompleteSignatureException",
        ),
        (
            "other algorithm",
            |c, _, _, _| set(&mut c.headers, "authorization", Some("AWS3 Credential=x")),
            "IncompleteSignatureException",
        ),
    ];
    for (name, breaker, code) in cases {
        let mut call = signed_dx_call(None);
        let mut known = Some(creds(None));
        let mut region = "us-east-1".to_owned();
        let mut now = t0();
        breaker(&mut call, &mut known, &mut region, &mut now);
        let err = verify_dx(&call, known, &region, now).expect_err(name);
        assert_eq!(err.code(), *code, "{name}: {err:?}");
        let message = err.to_string();
        assert!(
            !message.contains("wJalrXUtnFEMI"),
            "{name}: secret in {message}"
        );
    }
}

#[test]
fn sigv4_wrong_service_and_rejection_messages() {
    let call = signed_dx_call(None);
    let err = verify_sigv4(
        |_| Some(creds(None)),
        "outposts",
        "us-east-1",
        VerifyClock {
            now: t0(),
            max_skew: SKEW,
        },
        &ReceivedRequest {
            method: "POST",
            path_and_query: "/",
            headers: &call.headers,
            body: &call.body,
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "InvalidSignatureException");
    assert_eq!(err.query_code(), "SignatureDoesNotMatch");
    assert!(err.to_string().contains("'outposts'"), "{err}");

    let err = verify_dx(&call, Some(creds(None)), "eu-west-1", t0()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Credential should be scoped to a valid region, not 'us-east-1'."
    );
    let err = verify_dx(&call, Some(creds(None)), "us-east-1", t0() + SKEW * 2).unwrap_err();
    assert_eq!(err.query_code(), "RequestExpired");
    assert!(
        err.to_string()
            .starts_with("Signature expired: 20260303T100000Z"),
        "{err}"
    );
    let err = verify_dx(&call, None, "us-east-1", t0()).unwrap_err();
    assert_eq!(err.query_code(), "InvalidClientTokenId");
    assert_eq!(err.http_status(), 403);
    assert_eq!(
        err.to_string(),
        "The security token included in the request is invalid."
    );
}

#[test]
fn debug_never_shows_secrets() {
    let text = format!("{:?}", creds(Some("session-token-value")));
    assert!(text.contains("AKIDEXAMPLE"));
    assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
    assert!(!text.contains("session-token-value"), "{text}");

    let signer = test_signer();
    let text = format!("{signer:?}");
    assert!(text.contains("ocid1.tenancy"), "{text}");
    assert!(
        !text.to_lowercase().contains("modulus") && text.len() < 300,
        "{text}"
    );
}

fn vectors() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn test_signer() -> OciSigner {
    let pem = std::fs::read(vectors().join("oci-test-key.pem")).unwrap();
    OciSigner::from_pem(
        "ocid1.tenancy.oc1..aaaaaaaatest",
        "ocid1.user.oc1..aaaaaaaatest",
        "11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00",
        &pem,
    )
    .unwrap()
}

const OCI_URL: &str =
    "https://iaas.us-ashburn-1.oraclecloud.com/20160918/instanceConsoleConnections";
const OCI_PATH: &str = "/20160918/instanceConsoleConnections";

fn signed_oci_call(method: &str) -> SignedCall {
    let body = if method == "POST" {
        br#"{"instanceId":"ocid1.instance.oc1.iad.x","publicKey":"ssh-rsa AAAA"}"#.to_vec()
    } else {
        Vec::new()
    };
    let req = RequestToSign {
        method,
        url: OCI_URL,
        headers: &[],
        body: &body,
    };
    let mut headers = test_signer().sign(t0(), &req).unwrap();
    headers.push(("host".into(), "iaas.us-ashburn-1.oraclecloud.com".into()));
    SignedCall { headers, body }
}

fn verify_oci_call(
    call: &SignedCall,
    method: &str,
    public_key: Option<Vec<u8>>,
    now: SystemTime,
) -> Result<String, OciRejection> {
    verify_oci(
        |_| public_key.clone(),
        VerifyClock {
            now,
            max_skew: SKEW,
        },
        &ReceivedRequest {
            method,
            path_and_query: OCI_PATH,
            headers: &call.headers,
            body: &call.body,
        },
    )
}

fn test_public_key() -> Vec<u8> {
    test_signer().public_key_der()
}

#[test]
fn oci_accepts_untouched_requests() {
    for method in ["GET", "POST", "DELETE"] {
        let call = signed_oci_call(method);
        let key_id = verify_oci_call(&call, method, Some(test_public_key()), t0()).unwrap();
        assert_eq!(key_id, test_signer().key_id());
    }
    // The public key from its PEM is the signer's.
    let pem = std::fs::read(vectors().join("oci-test-key.pub.pem")).unwrap();
    assert_eq!(rsa_public_key_der_from_pem(&pem), Some(test_public_key()));
}

#[test]
fn oci_post_adds_body_headers_and_defaults_content_type() {
    let call = signed_oci_call("POST");
    let get = |name: &str| {
        call.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("content-type").as_deref(), Some("application/json"));
    assert_eq!(get("content-length"), Some(call.body.len().to_string()));
    assert_eq!(
        get("date").as_deref(),
        Some("Tue, 03 Mar 2026 10:00:00 GMT")
    );
    let auth = get("authorization").unwrap();
    assert!(
        auth.contains(
            r#"headers="date (request-target) host content-length content-type x-content-sha256""#
        ),
        "{auth}"
    );
    let get_call = signed_oci_call("GET");
    assert_eq!(get_call.headers.len(), 3, "{:?}", get_call.headers);
}

#[test]
fn oci_rejections() {
    type Breaker = fn(&mut SignedCall, &mut Option<Vec<u8>>, &mut SystemTime);
    let cases: &[(&str, &str, Breaker, OciRejection)] = &[
        ("POST", "tampered body", |c, _, _| c.body[3] ^= 1, OciRejection::BodyHashMismatch),
        (
            "POST",
            "tampered body with a matching hash",
            |c, _, _| {
                use base64::Engine as _;
                use sha2::Digest;
                c.body[3] ^= 1;
                let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&c.body));
                set(&mut c.headers, "x-content-sha256", Some(&hash));
            },
            OciRejection::BadSignature,
        ),
        (
            "POST",
            "content-length does not match",
            |c, _, _| set(&mut c.headers, "content-length", Some("999")),
            OciRejection::ContentLengthMismatch("999".into()),
        ),
        (
            "GET",
            "stale date",
            |_, _, now| *now += SKEW + Duration::from_secs(1),
            OciRejection::DateSkew("Tue, 03 Mar 2026 10:00:00 GMT".into()),
        ),
        (
            "GET",
            "unknown key",
            |_, key, _| *key = None,
            OciRejection::UnknownKey(
                "ocid1.tenancy.oc1..aaaaaaaatest/ocid1.user.oc1..aaaaaaaatest/11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00".into(),
            ),
        ),
        (
            "GET",
            "signed by another key",
            |_, key, _| {
                let pem = std::fs::read(vectors().join("oci-other-key.pub.pem")).unwrap();
                *key = rsa_public_key_der_from_pem(&pem);
            },
            OciRejection::BadSignature,
        ),
        (
            "GET",
            "no authorization",
            |c, _, _| set(&mut c.headers, "authorization", None),
            OciRejection::MissingAuthorization,
        ),
        (
            "GET",
            "signed header missing",
            |c, _, _| set(&mut c.headers, "host", None),
            OciRejection::MissingHeader("host".into()),
        ),
        (
            "GET",
            "host not signed",
            |c, _, _| {
                let auth = c.headers.iter().find(|(n, _)| n == "authorization").unwrap().1.clone();
                let auth = auth.replace("(request-target) host", "(request-target)");
                set(&mut c.headers, "authorization", Some(&auth));
            },
            OciRejection::UnsignedRequiredHeader("host".into()),
        ),
        (
            "GET",
            "other host",
            |c, _, _| set(&mut c.headers, "host", Some("iaas.us-phoenix-1.oraclecloud.com")),
            OciRejection::BadSignature,
        ),
        (
            "GET",
            "other algorithm",
            |c, _, _| {
                let auth = c.headers.iter().find(|(n, _)| n == "authorization").unwrap().1.clone();
                set(&mut c.headers, "authorization", Some(&auth.replace("rsa-sha256", "hmac-sha256")));
            },
            OciRejection::UnsupportedAlgorithm("hmac-sha256".into()),
        ),
    ];
    for (method, name, breaker, expected) in cases {
        let mut call = signed_oci_call(method);
        let mut key = Some(test_public_key());
        let mut now = t0();
        breaker(&mut call, &mut key, &mut now);
        let err = verify_oci_call(&call, method, key, now).expect_err(name);
        assert_eq!(&err, expected, "{name}");
        assert_eq!(err.code(), "NotAuthenticated");
        assert_eq!(err.http_status(), 401);
    }

    // A POST whose body headers are not signed is refused even if the signature is good.
    let call = signed_oci_call("GET");
    let err = verify_oci_call(&call, "POST", Some(test_public_key()), t0()).unwrap_err();
    assert_eq!(
        err,
        OciRejection::UnsignedRequiredHeader("content-length".into())
    );
}
