//! Every stage of our signing against vectors made by other implementations (botocore, the
//! `oci` SDK, OCI's published vectors): see tests/vectors/README.md. No Python needed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cloudlink_signing::{
    AwsCredentials, OciRejection, OciSigner, ReceivedRequest, RequestToSign, SigningError,
    VerifyClock, oci_signed_header_names, oci_signing_string, rsa_public_key_der_from_pem,
    sign_sigv4, sigv4_canonical_request, sigv4_signature, sigv4_string_to_sign, verify_oci,
    verify_oci_with, verify_sigv4,
};
use serde_json::Value;
use sha2::Digest;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn cases(prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(vectors())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().unwrap().to_str().unwrap().starts_with(prefix))
        .collect();
    found.sort();
    found
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{dir:?}/{name}: {e}"))
}

fn json(dir: &Path, name: &str) -> Value {
    serde_json::from_str(&read(dir, name)).unwrap()
}

fn pairs(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn path_and_query(url: &str) -> String {
    let uri: http::Uri = url.parse().unwrap();
    uri.path_and_query().unwrap().as_str().to_owned()
}

fn host(url: &str) -> String {
    let uri: http::Uri = url.parse().unwrap();
    uri.host().unwrap().to_owned()
}

/// `Key=value` parameters of an `AWS4-HMAC-SHA256 …` header.
fn sigv4_param<'a>(authorization: &'a str, key: &str) -> &'a str {
    authorization
        .split([' ', ','])
        .find_map(|p| p.strip_prefix(key)?.strip_prefix('='))
        .unwrap()
}

#[test]
fn there_are_vectors_for_each_service() {
    let names: Vec<String> = cases("")
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    for service in [
        "directconnect",
        "directlink",
        "outposts",
        "oci-published",
        "oci-sdk",
    ] {
        assert!(
            names.iter().any(|n| n.contains(service)),
            "no vector for {service}: {names:?}"
        );
    }
}

#[test]
fn sigv4_vectors_match_every_stage() {
    let all = cases("sigv4-");
    assert_eq!(all.len(), 5);
    for dir in all {
        let request = json(&dir, "request.json");
        let expected = pairs(&json(&dir, "expected-headers.json"));
        let creds = AwsCredentials {
            access_key_id: request["credentials"]["access_key_id"]
                .as_str()
                .unwrap()
                .into(),
            secret_access_key: request["credentials"]["secret_access_key"]
                .as_str()
                .unwrap()
                .into(),
            session_token: request["credentials"]["session_token"]
                .as_str()
                .map(String::from),
        };
        let service = request["service"].as_str().unwrap();
        let region = request["region"].as_str().unwrap();
        let time =
            SystemTime::UNIX_EPOCH + Duration::from_secs(request["time_unix"].as_u64().unwrap());
        let method = request["method"].as_str().unwrap();
        let url = request["url"].as_str().unwrap();
        let headers = pairs(&request["headers"]);
        let body = request["body"].as_str().unwrap().as_bytes();

        // Stage: the headers aws-sigv4 adds are botocore's, byte for byte.
        let req = RequestToSign {
            method,
            url,
            headers: &headers,
            body,
        };
        let added = sign_sigv4(&creds, service, region, time, &req).unwrap();
        assert_eq!(added, expected, "{dir:?}: signed headers");

        // Stages rebuilt by hand (the verifier's side) against botocore's.
        let authorization = &expected
            .iter()
            .find(|(n, _)| n == "authorization")
            .unwrap()
            .1;
        let amz_date = &expected.iter().find(|(n, _)| n == "x-amz-date").unwrap().1;
        let signed: Vec<&str> = sigv4_param(authorization, "SignedHeaders")
            .split(';')
            .collect();
        let mut sent = headers.clone();
        sent.push(("host".into(), host(url)));
        sent.extend(expected.iter().cloned());
        let canonical = sigv4_canonical_request(
            method,
            &path_and_query(url),
            &sent,
            &signed,
            &hex::encode(sha2::Sha256::digest(body)),
        );
        assert_eq!(
            canonical,
            read(&dir, "canonical-request.txt"),
            "{dir:?}: canonical request"
        );
        let scope = sigv4_param(authorization, "Credential")
            .split_once('/')
            .unwrap()
            .1;
        let string_to_sign = sigv4_string_to_sign(amz_date, scope, &canonical);
        assert_eq!(
            string_to_sign,
            read(&dir, "string-to-sign.txt"),
            "{dir:?}: string to sign"
        );
        let signature = sigv4_signature(
            &creds.secret_access_key,
            &amz_date[..8],
            region,
            service,
            &string_to_sign,
        );
        assert_eq!(
            signature,
            sigv4_param(authorization, "Signature"),
            "{dir:?}: signature"
        );
        assert!(
            !signed.contains(&"user-agent"),
            "{dir:?}: user-agent is never signed"
        );
        assert!(
            !signed.contains(&"x-amz-content-sha256"),
            "{dir:?}: {service} does not sign x-amz-content-sha256"
        );

        // The verifier accepts botocore's request.
        let lookup = |id: &str| (id == creds.access_key_id).then(|| creds.clone());
        let verified = verify_sigv4(
            lookup,
            service,
            region,
            VerifyClock {
                now: time + Duration::from_secs(30),
                max_skew: Duration::from_secs(300),
            },
            &ReceivedRequest {
                method,
                path_and_query: &path_and_query(url),
                headers: &sent,
                body,
            },
        )
        .unwrap_or_else(|e| panic!("{dir:?}: {e}"));
        assert_eq!(verified.access_key_id, "AKIDEXAMPLE");
    }
}

#[test]
fn oci_published_vectors_match_the_signing_string_and_signature() {
    let public_key =
        rsa_public_key_der_from_pem(read(&vectors(), "oci-published-key.pub.pem").as_bytes())
            .unwrap();
    let all = cases("oci-published-");
    assert_eq!(all.len(), 2);
    for dir in all {
        let request = json(&dir, "request.json");
        let expected: BTreeMap<String, String> = pairs(&json(&dir, "expected-headers.json"))
            .into_iter()
            .collect();
        let method = request["method"].as_str().unwrap();
        let url = request["url"].as_str().unwrap();
        let signed = oci_signed_header_names(method);
        let headers: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let signing_string =
            oci_signing_string(method, &path_and_query(url), &headers, signed).unwrap();
        assert_eq!(signing_string, read(&dir, "signing-string.txt"), "{dir:?}");

        // The published signature verifies over our signing string (the sample key is 1024
        // bits: only ring's legacy parameters take it).
        let params = oci_params(&expected["authorization"]);
        assert_eq!(params["headers"], signed.join(" "));
        let signature = BASE64.decode(&params["signature"]).unwrap();
        ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            &public_key,
        )
        .verify(signing_string.as_bytes(), &signature)
        .unwrap();

        // verify_oci_with checks the whole request as received.
        let key_id = verify_oci_with(
            &ring::signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            |_| Some(public_key.clone()),
            VerifyClock {
                now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_388_957_500),
                max_skew: Duration::from_secs(300),
            },
            &ReceivedRequest {
                method,
                path_and_query: &path_and_query(url),
                headers: &headers,
                body: request["body"].as_str().unwrap().as_bytes(),
            },
        )
        .unwrap_or_else(|e| panic!("{dir:?}: {e}"));
        assert!(key_id.ends_with("/20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34"));
        // The 2048-bit minimum of verify_oci (OCI's own) refuses the sample key.
        let refused = verify_oci(
            |_| Some(public_key.clone()),
            VerifyClock {
                now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_388_957_500),
                max_skew: Duration::from_secs(300),
            },
            &ReceivedRequest {
                method,
                path_and_query: &path_and_query(url),
                headers: &headers,
                body: request["body"].as_str().unwrap().as_bytes(),
            },
        );
        assert_eq!(refused, Err(OciRejection::BadSignature));
    }
}

#[test]
fn the_signer_refuses_the_1024_bit_published_key() {
    let pem = read(&vectors(), "oci-published-key.pem");
    let err = OciSigner::from_pem("t", "u", "f", pem.as_bytes()).unwrap_err();
    assert!(matches!(err, SigningError::KeyRejected(_)), "{err:?}");
}

fn oci_params(authorization: &str) -> BTreeMap<String, String> {
    authorization
        .strip_prefix("Signature ")
        .unwrap()
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_owned(), v.trim_matches('"').to_owned())
        })
        .collect()
}

#[test]
fn oci_sdk_vectors_match_every_stage() {
    let pkcs1 = read(&vectors(), "oci-test-key.pem");
    let pkcs8 = read(&vectors(), "oci-test-key.pkcs8.pem");
    let public_key =
        rsa_public_key_der_from_pem(read(&vectors(), "oci-test-key.pub.pem").as_bytes()).unwrap();
    let all = cases("oci-sdk-");
    assert_eq!(all.len(), 3);
    for dir in all {
        let request = json(&dir, "request.json");
        let expected: BTreeMap<String, String> = pairs(&json(&dir, "expected-headers.json"))
            .into_iter()
            .collect();
        let (tenancy, user, fingerprint) = (
            request["tenancy"].as_str().unwrap(),
            request["user"].as_str().unwrap(),
            request["fingerprint"].as_str().unwrap(),
        );
        let method = request["method"].as_str().unwrap();
        let url = request["url"].as_str().unwrap();
        let body = request["body"].as_str().unwrap().as_bytes();
        let headers = pairs(&request["headers"]);
        let time =
            SystemTime::UNIX_EPOCH + Duration::from_secs(request["time_unix"].as_u64().unwrap());
        let req = RequestToSign {
            method,
            url,
            headers: &headers,
            body,
        };
        for pem in [&pkcs1, &pkcs8] {
            let signer = OciSigner::from_pem(tenancy, user, fingerprint, pem.as_bytes()).unwrap();
            assert_eq!(signer.key_id(), format!("{tenancy}/{user}/{fingerprint}"));
            assert_eq!(signer.public_key_der(), public_key);
            let added: BTreeMap<String, String> =
                signer.sign(time, &req).unwrap().into_iter().collect();
            let with_body = method == "POST";
            let mut names: Vec<&str> = added.keys().map(String::as_str).collect();
            names.sort();
            if with_body {
                assert_eq!(
                    names,
                    [
                        "authorization",
                        "content-length",
                        "content-type",
                        "date",
                        "x-content-sha256"
                    ]
                );
            } else {
                assert_eq!(names, ["authorization", "date"]);
            }
            for (name, value) in &added {
                if name == "authorization" {
                    // Same parameters, hence the same (deterministic PKCS#1 v1.5) signature.
                    let ours = oci_params(value);
                    let sdk = oci_params(&expected["authorization"]);
                    assert_eq!(ours, sdk, "{dir:?}");
                    assert!(
                        value.starts_with("Signature version=\"1\",keyId=\""),
                        "{value}"
                    );
                } else {
                    assert_eq!(Some(value), expected.get(name), "{dir:?}: {name}");
                }
            }
            let mut sent = headers.clone();
            sent.retain(|(n, _)| !added.contains_key(n));
            sent.extend(added.iter().map(|(k, v)| (k.clone(), v.clone())));
            sent.push(("host".into(), host(url)));
            let signing_string = oci_signing_string(
                method,
                &path_and_query(url),
                &sent,
                oci_signed_header_names(method),
            )
            .unwrap();
            assert_eq!(signing_string, read(&dir, "signing-string.txt"), "{dir:?}");
            let key_id = verify_oci(
                |id| (id == signer.key_id()).then(|| public_key.clone()),
                VerifyClock {
                    now: time + Duration::from_secs(10),
                    max_skew: Duration::from_secs(300),
                },
                &ReceivedRequest {
                    method,
                    path_and_query: &path_and_query(url),
                    headers: &sent,
                    body,
                },
            )
            .unwrap_or_else(|e| panic!("{dir:?}: {e}"));
            assert_eq!(key_id, signer.key_id());
        }
    }
}
