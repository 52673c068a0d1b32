//! The sandbox's SigV4 verifier (`proxy::signing::verify_sigv4`). First line:
//! `METHOD TARGET SERVICE REGION [UNIX-TIME [token]]`; the known key is AWS's documented
//! example key (`AKIDEXAMPLE`), with the vectors' session token when the last word is
//! `token`. A request it accepts must be refused once its body or method changes.
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cloudlink_fuzz::http_text;
use cloudlink_signing::{AwsCredentials, ReceivedRequest, VerifyClock, verify_sigv4};
use libfuzzer_sys::fuzz_target;

const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

fuzz_target!(|data: &[u8]| {
    let Some(text) = http_text(data) else {
        return;
    };
    let word = |i: usize| text.extra.get(i).copied().unwrap_or_default();
    let (service, region) = (word(0), word(1));
    let now =
        UNIX_EPOCH + Duration::from_secs(word(2).parse::<u32>().map_or(1_772_532_000, u64::from));
    let token = (word(3) == "token").then(|| TOKEN.to_owned());
    let lookup = |id: &str| {
        (id == KEY_ID).then(|| AwsCredentials {
            access_key_id: KEY_ID.to_owned(),
            secret_access_key: SECRET.to_owned(),
            session_token: token.clone(),
        })
    };
    let verify = |method: &str, body: &[u8], now: SystemTime| {
        verify_sigv4(
            lookup,
            service,
            region,
            VerifyClock {
                now,
                max_skew: Duration::from_secs(300),
            },
            &ReceivedRequest {
                method,
                path_and_query: text.second,
                headers: &text.headers,
                body,
            },
        )
    };
    match verify(text.first, text.body, now) {
        Ok(verified) => {
            assert_eq!(verified.access_key_id, KEY_ID);
            let mut other_body = text.body.to_vec();
            other_body.push(b' ');
            assert!(
                verify(text.first, &other_body, now).is_err(),
                "accepted with another body"
            );
            let other_method = if text.first == "GET" { "POST" } else { "GET" };
            assert!(
                verify(other_method, text.body, now).is_err(),
                "accepted with another method"
            );
            let later = now + Duration::from_secs(3600);
            assert!(
                verify(text.first, text.body, later).is_err(),
                "accepted an hour late"
            );
        }
        Err(rejection) => {
            let _ = (
                rejection.code(),
                rejection.query_code(),
                rejection.http_status(),
            );
            // A rejection may quote the request, never the secret the request lacks.
            let shown = rejection.to_string();
            let sent = String::from_utf8_lossy(data);
            assert!(
                sent.contains(SECRET) || !shown.contains(SECRET),
                "a rejection shows the secret"
            );
        }
    }
});
