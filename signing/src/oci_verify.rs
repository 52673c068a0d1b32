//! OCI's request signature on the service side, for the `--sandbox` fake cloud: the headers
//! OCI requires for the method are signed, `x-content-sha256` and `content-length` match the
//! body, the date is within the skew, and the RSA signature verifies.

use std::fmt;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaParameters, UnparsedPublicKey};

use super::{
    ReceivedRequest, VerifyClock, header_value, oci_signed_header_names, oci_signing_string, sha256,
};

/// Why an OCI-signed request is refused. OCI answers all of them 401 `NotAuthenticated`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OciRejection {
    #[error("the required information to complete authentication was not provided")]
    MissingAuthorization,
    #[error("malformed authorization header: {0}")]
    MalformedAuthorization(String),
    #[error("unsupported signature algorithm or version: {0:?}")]
    UnsupportedAlgorithm(String),
    #[error("header {0:?} must be signed for this method")]
    UnsignedRequiredHeader(String),
    #[error("signed header {0:?} is missing from the request")]
    MissingHeader(String),
    #[error("x-content-sha256 does not match the body")]
    BodyHashMismatch,
    #[error("content-length {0:?} does not match the body")]
    ContentLengthMismatch(String),
    #[error("date {0:?} is not a valid http date")]
    InvalidDate(String),
    #[error("date {0:?} is not within the allowed clock skew")]
    DateSkew(String),
    #[error("unknown key id {0:?}")]
    UnknownKey(String),
    #[error("the signature does not verify")]
    BadSignature,
}

impl OciRejection {
    /// OCI's error code for every authentication failure.
    pub fn code(&self) -> &'static str {
        "NotAuthenticated"
    }

    pub fn http_status(&self) -> u16 {
        401
    }
}

/// The parameters of `Authorization: Signature version="1",keyId="…",…`.
struct SignatureParams<'a> {
    key_id: &'a str,
    headers: Vec<&'a str>,
    signature: &'a str,
}

impl fmt::Debug for SignatureParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureParams")
            .field("key_id", &self.key_id)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

fn parse_authorization(value: &str) -> Result<SignatureParams<'_>, OciRejection> {
    let malformed = |why: &str| OciRejection::MalformedAuthorization(why.to_owned());
    let params = value
        .strip_prefix("Signature ")
        .ok_or_else(|| malformed("expected the \"Signature\" scheme"))?;
    let (mut key_id, mut headers, mut signature, mut algorithm, mut version) =
        (None, None, None, None, None);
    for part in params.split(',') {
        let (key, val) = part
            .trim()
            .split_once('=')
            .ok_or_else(|| malformed("expected key=\"value\" pairs"))?;
        let val = val
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .ok_or_else(|| malformed("values must be quoted"))?;
        match key {
            "keyId" => key_id = Some(val),
            "headers" => headers = Some(val),
            "signature" => signature = Some(val),
            "algorithm" => algorithm = Some(val),
            "version" => version = Some(val),
            _ => {}
        }
    }
    if algorithm != Some("rsa-sha256") {
        return Err(OciRejection::UnsupportedAlgorithm(
            algorithm.unwrap_or_default().to_owned(),
        ));
    }
    if version.is_some_and(|v| v != "1") {
        return Err(OciRejection::UnsupportedAlgorithm(format!(
            "version {}",
            version.unwrap_or_default()
        )));
    }
    Ok(SignatureParams {
        key_id: key_id.ok_or_else(|| malformed("keyId is missing"))?,
        // draft-cavage: without a headers list only `date` is signed.
        headers: headers.unwrap_or("date").split(' ').collect(),
        signature: signature.ok_or_else(|| malformed("signature is missing"))?,
    })
}

/// Checks an OCI-signed request as OCI would; answers the key id that signed it.
/// `key_lookup` answers the DER `RSAPublicKey` of a key id (None: unknown key).
pub fn verify_oci(
    key_lookup: impl Fn(&str) -> Option<Vec<u8>>,
    clock: VerifyClock,
    request: &ReceivedRequest<'_>,
) -> Result<String, OciRejection> {
    verify_oci_with(&RSA_PKCS1_2048_8192_SHA256, key_lookup, clock, request)
}

/// [`verify_oci`] with a choice of RSA parameters (tests check OCI's published vectors, whose
/// sample key is 1024 bits, with `RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY`).
pub fn verify_oci_with(
    rsa: &'static RsaParameters,
    key_lookup: impl Fn(&str) -> Option<Vec<u8>>,
    clock: VerifyClock,
    request: &ReceivedRequest<'_>,
) -> Result<String, OciRejection> {
    let ReceivedRequest {
        method,
        path_and_query,
        headers,
        body,
    } = *request;
    let (now, max_skew) = (clock.now, clock.max_skew);
    let authorization =
        header_value(headers, "authorization").ok_or(OciRejection::MissingAuthorization)?;
    let params = parse_authorization(authorization)?;
    for required in oci_signed_header_names(method) {
        if !params.headers.contains(required) {
            return Err(OciRejection::UnsignedRequiredHeader((*required).to_owned()));
        }
    }
    let signing_string = oci_signing_string(method, path_and_query, headers, &params.headers)
        .map_err(|name| OciRejection::MissingHeader(name.to_owned()))?;
    if params.headers.contains(&"x-content-sha256") {
        let claimed = header_value(headers, "x-content-sha256").unwrap_or_default();
        if claimed != BASE64.encode(sha256(body)) {
            return Err(OciRejection::BodyHashMismatch);
        }
    }
    if params.headers.contains(&"content-length") {
        let claimed = header_value(headers, "content-length").unwrap_or_default();
        if claimed.trim().parse::<usize>().ok() != Some(body.len()) {
            return Err(OciRejection::ContentLengthMismatch(claimed.to_owned()));
        }
    }
    let date = header_value(headers, "date").unwrap_or_default();
    let sent_at =
        parse_date_any_weekday(date).ok_or_else(|| OciRejection::InvalidDate(date.to_owned()))?;
    let skew = now
        .duration_since(sent_at)
        .or_else(|_| sent_at.duration_since(now))
        .unwrap_or_default();
    if skew > max_skew {
        return Err(OciRejection::DateSkew(date.to_owned()));
    }
    let public_key = key_lookup(params.key_id)
        .ok_or_else(|| OciRejection::UnknownKey(params.key_id.to_owned()))?;
    let signature = BASE64
        .decode(params.signature)
        .map_err(|_| OciRejection::MalformedAuthorization("signature is not base64".to_owned()))?;
    UnparsedPublicKey::new(rsa, public_key)
        .verify(signing_string.as_bytes(), &signature)
        .map_err(|_| OciRejection::BadSignature)?;
    Ok(params.key_id.to_owned())
}

/// An IMF-fixdate whose weekday is not checked: the day is in the date itself, and OCI's own
/// published vectors sign "Thu, 05 Jan 2014", a Sunday.
fn parse_date_any_weekday(date: &str) -> Option<SystemTime> {
    let rest = date.get(3..)?;
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .find_map(|day| httpdate::parse_http_date(&format!("{day}{rest}")).ok())
}

/// The DER `RSAPublicKey` in a PEM public key, `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo, what
/// OCI's console takes) or `BEGIN RSA PUBLIC KEY`. None if there is no RSA public key.
pub fn rsa_public_key_der_from_pem(pem: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(pem).ok()?;
    for (label, spki) in [("PUBLIC KEY", true), ("RSA PUBLIC KEY", false)] {
        let begin = format!("-----BEGIN {label}-----");
        let end = format!("-----END {label}-----");
        let Some(start) = text.find(&begin) else {
            continue;
        };
        let rest = &text[start + begin.len()..];
        let b64: String = rest[..rest.find(&end)?]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = BASE64.decode(b64).ok()?;
        return if spki { spki_rsa_key(&der) } else { Some(der) };
    }
    None
}

/// One DER element at the start of `data`: (tag, contents, rest).
fn der_element(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, data) = data.split_first()?;
    let (&first, mut data) = data.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || data.len() < count {
            return None;
        }
        let (bytes, rest) = data.split_at(count);
        data = rest;
        bytes.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b))
    };
    (data.len() >= len).then(|| (tag, &data[..len], &data[len..]))
}

/// SubjectPublicKeyInfo { AlgorithmIdentifier (rsaEncryption), BIT STRING RSAPublicKey }.
fn spki_rsa_key(der: &[u8]) -> Option<Vec<u8>> {
    const RSA_ENCRYPTION_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let (0x30, spki, _) = der_element(der)? else {
        return None;
    };
    let (0x30, algorithm, rest) = der_element(spki)? else {
        return None;
    };
    let (0x06, oid, _) = der_element(algorithm)? else {
        return None;
    };
    if oid != RSA_ENCRYPTION_OID {
        return None;
    }
    let (0x03, bits, _) = der_element(rest)? else {
        return None;
    };
    let (0, key) = bits.split_first()? else {
        return None;
    };
    Some(key.to_vec())
}
