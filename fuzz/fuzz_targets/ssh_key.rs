//! The SSH public key parser (`core::ssh`) and OCI's console-key rule built on it. A key it
//! accepts must print (`to_line`) as a line that reads back to the same key.
#![no_main]

use cloudlink_core::ssh::PublicKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let _ = cloudlink_core::oci::console_public_key(line);
    match PublicKey::parse(line) {
        Ok(key) => {
            let _ = (key.fingerprint_sha256(), key.fingerprint_md5(), key.bits());
            let printed = key.to_line();
            let again = PublicKey::parse(&printed)
                .unwrap_or_else(|e| panic!("printed key does not parse: {e}: {printed:?}"));
            assert_eq!(again, key, "printed key reads back differently");
            assert_eq!(again.to_line(), printed);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
