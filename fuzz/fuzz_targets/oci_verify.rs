//! The sandbox's OCI request-signature verifier (`proxy::signing::verify_oci`) and its PEM
//! public-key reader. First line: `METHOD TARGET [UNIX-TIME]`; the known keys are the
//! test vectors' (signing/tests/vectors). An input whose method is `PEM` feeds its body to the
//! PEM reader instead. A request it accepts must be refused once its body (when signed),
//! its target or its time changes.
#![no_main]

use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cloudlink_fuzz::http_text;
use cloudlink_signing::{
    ReceivedRequest, VerifyClock, rsa_public_key_der_from_pem, verify_oci, verify_oci_with,
};
use libfuzzer_sys::fuzz_target;
use ring::signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY as LEGACY;

const TEST_KEY_ID: &str = "ocid1.tenancy.oc1..aaaaaaaacloudlinktesttenancy/ocid1.user.oc1..aaaaaaaacloudlinktestuser/11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00";
const PUBLISHED_KEY_ID: &str = "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq/ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq/20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";

static KEYS: LazyLock<[(&str, Vec<u8>); 2]> = LazyLock::new(|| {
    let der = |pem: &[u8]| rsa_public_key_der_from_pem(pem).expect("vector keys read");
    [
        (
            TEST_KEY_ID,
            der(include_bytes!(
                "../../signing/tests/vectors/oci-test-key.pub.pem"
            )),
        ),
        (
            PUBLISHED_KEY_ID,
            der(include_bytes!(
                "../../signing/tests/vectors/oci-published-key.pub.pem"
            )),
        ),
    ]
});

fn lookup(id: &str) -> Option<Vec<u8>> {
    KEYS.iter()
        .find(|(k, _)| *k == id)
        .map(|(_, der)| der.clone())
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = http_text(data) else {
        return;
    };
    if text.first == "PEM" {
        let _ = rsa_public_key_der_from_pem(text.body);
        return;
    }
    let word = text.extra.first().copied().unwrap_or_default();
    let now =
        UNIX_EPOCH + Duration::from_secs(word.parse::<u32>().map_or(1_772_532_000, u64::from));
    let skew = Duration::from_secs(300);
    let verify = |target: &str, body: &[u8], now: SystemTime| {
        let strict = verify_oci(
            lookup,
            VerifyClock {
                now,
                max_skew: skew,
            },
            &ReceivedRequest {
                method: text.first,
                path_and_query: target,
                headers: &text.headers,
                body,
            },
        );
        let legacy = verify_oci_with(
            &LEGACY,
            lookup,
            VerifyClock {
                now,
                max_skew: skew,
            },
            &ReceivedRequest {
                method: text.first,
                path_and_query: target,
                headers: &text.headers,
                body,
            },
        );
        if let Ok(id) = &strict {
            assert_eq!(
                legacy.as_ref(),
                Ok(id),
                "legacy parameters refuse what 2048 accepts"
            );
        }
        strict.or(legacy)
    };
    match verify(text.second, text.body, now) {
        Ok(id) => {
            assert!(id == TEST_KEY_ID || id == PUBLISHED_KEY_ID);
            if ["POST", "PUT", "PATCH"]
                .iter()
                .any(|m| text.first.eq_ignore_ascii_case(m))
            {
                let mut other_body = text.body.to_vec();
                other_body.push(b' ');
                assert!(
                    verify(text.second, &other_body, now).is_err(),
                    "accepted with another body"
                );
            }
            let other_target = format!("{}x", text.second);
            assert!(
                verify(&other_target, text.body, now).is_err(),
                "accepted with another target"
            );
            let later = now + Duration::from_secs(3600);
            assert!(
                verify(text.second, text.body, later).is_err(),
                "accepted an hour late"
            );
        }
        Err(rejection) => {
            let _ = (
                rejection.code(),
                rejection.http_status(),
                rejection.to_string(),
            );
        }
    }
});
