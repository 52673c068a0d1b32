//! Random identifiers in the shapes the real services use, so the console's
//! own ID checks accept what the sandbox hands out.

use ring::rand::{SecureRandom, SystemRandom};

fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    SystemRandom::new()
        .fill(&mut bytes)
        .expect("the system random source works");
    bytes
}

fn random_from(alphabet: &[u8], n: usize) -> String {
    // 256 is a multiple of neither alphabet length; the slight bias is fine for fake ids.
    random_bytes(n)
        .iter()
        .map(|b| char::from(alphabet[usize::from(*b) % alphabet.len()]))
        .collect()
}

pub fn random_lower_alnum(n: usize) -> String {
    random_from(b"abcdefghijklmnopqrstuvwxyz0123456789", n)
}

pub fn random_upper_alnum(n: usize) -> String {
    random_from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", n)
}

pub fn random_base64ish(n: usize) -> String {
    random_from(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        n,
    )
}

pub fn random_hex(n: usize) -> String {
    random_from(b"0123456789abcdef", n)
}

/// `dxcon-` + 8 lowercase letters and digits, like `dxcon-fg5678gh`.
pub fn connection_id() -> String {
    format!("dxcon-{}", random_lower_alnum(8))
}

/// `dxvif-` + 8 lowercase letters and digits.
pub fn virtual_interface_id() -> String {
    format!("dxvif-{}", random_lower_alnum(8))
}

/// A uuid-like request id, as `x-amzn-RequestId` carries.
pub fn aws_request_id() -> String {
    let h = random_hex(32);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// An `opc-request-id`: upper-case hex groups separated by `/`, as OCI sends.
pub fn oci_request_id() -> String {
    let h = random_hex(32).to_ascii_uppercase();
    format!(
        "{}/{}/{}",
        &h[0..32],
        &random_hex(32).to_ascii_uppercase(),
        &random_hex(32).to_ascii_uppercase()
    )
}

/// A base64 WireGuard public key: 32 random bytes.
pub fn wireguard_key() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(random_bytes(32))
}

/// A random byte, for addresses.
pub fn random_u8() -> u8 {
    random_bytes(1)[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_real_shapes() {
        let c = connection_id();
        assert_eq!(c.len(), 14);
        assert!(
            c[6..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{c}"
        );
        assert!(virtual_interface_id().starts_with("dxvif-"));
        let r = aws_request_id();
        assert_eq!(
            r.split('-').map(str::len).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert_eq!(wireguard_key().len(), 44);
        assert_ne!(connection_id(), connection_id());
    }
}
