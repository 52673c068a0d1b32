//! OCI's request signature (draft-cavage HTTP signatures, `rsa-sha256`), signed with
//! `aws-lc-rs`.
//!
//! The signer parses the API key once; aws-lc keeps the key's Montgomery and blinding state
//! with it, so a signature costs what `openssl speed rsa2048` says (ring's RSA signing took
//! about twice as long). PKCS#1 v1.5 is deterministic: any correct signer gives the same bytes,
//! which the published vectors and the `oci` SDK cross-checks hold us to. (The sandbox's
//! verifier stays on `ring`, so every signature is also checked by a second implementation.) Every request signs `date (request-target) host`;
//! those with a body (POST, PUT, PATCH) also sign `content-length content-type
//! x-content-sha256`, the order OCI's SDKs use.

use std::fmt;
use std::time::SystemTime;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{KeyPair, RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::{RequestToSign, SigningError, header_value, sha256, split_url};

/// Signs OCI requests with one API key. `Debug` shows the key id, never the key.
pub struct OciSigner {
    key_id: String,
    key: RsaKeyPair,
}

impl fmt::Debug for OciSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OciSigner")
            .field("key_id", &self.key_id)
            .field("key", &"** redacted **")
            .finish()
    }
}

/// The header names OCI signs for `method`, in signing order.
pub fn oci_signed_header_names(method: &str) -> &'static [&'static str] {
    if ["POST", "PUT", "PATCH"]
        .iter()
        .any(|m| method.eq_ignore_ascii_case(m))
    {
        &[
            "date",
            "(request-target)",
            "host",
            "content-length",
            "content-type",
            "x-content-sha256",
        ]
    } else {
        &["date", "(request-target)", "host"]
    }
}

/// The string OCI signs: one `name: value` line per signed header, joined by `\n`;
/// `(request-target)` is the lower-case method and the path with its query.
/// `Err(name)` names a signed header missing from `headers`.
pub fn oci_signing_string<'n>(
    method: &str,
    path_and_query: &str,
    headers: &[(String, String)],
    signed: &[&'n str],
) -> Result<String, &'n str> {
    let mut lines = Vec::with_capacity(signed.len());
    for name in signed {
        if *name == "(request-target)" {
            lines.push(format!(
                "(request-target): {} {path_and_query}",
                method.to_ascii_lowercase()
            ));
        } else {
            let value = header_value(headers, name).ok_or(*name)?;
            lines.push(format!("{name}: {value}"));
        }
    }
    Ok(lines.join("\n"))
}

/// The `Authorization` header value for a signature.
pub fn oci_authorization(key_id: &str, signed: &[&str], signature_b64: &str) -> String {
    format!(
        "Signature version=\"1\",keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{signature_b64}\"",
        signed.join(" ")
    )
}

impl OciSigner {
    /// Parses a PEM API key, PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`).
    /// The key id is `tenancy/user/fingerprint`.
    pub fn from_pem(
        tenancy: &str,
        user: &str,
        fingerprint: &str,
        pem: &[u8],
    ) -> Result<Self, SigningError> {
        let mut reader = pem;
        let key = loop {
            match rustls_pemfile::read_one(&mut reader) {
                Ok(Some(rustls_pemfile::Item::Pkcs1Key(der))) => {
                    break RsaKeyPair::from_der(der.secret_pkcs1_der());
                }
                Ok(Some(rustls_pemfile::Item::Pkcs8Key(der))) => {
                    break RsaKeyPair::from_pkcs8(der.secret_pkcs8_der());
                }
                Ok(Some(_)) => continue,
                Ok(None) | Err(_) => return Err(SigningError::NoPrivateKeyInPem),
            }
        }
        .map_err(|e| SigningError::KeyRejected(e.to_string()))?;
        Ok(Self {
            key_id: format!("{tenancy}/{user}/{fingerprint}"),
            key,
        })
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The public key as a DER `RSAPublicKey`, what [`super::verify_oci`]'s lookup answers.
    pub fn public_key_der(&self) -> Vec<u8> {
        self.key.public_key().as_ref().to_vec()
    }

    /// Signs `req` at `time`; returns the headers to set (replacing any of the same name):
    /// `date`, and for POST/PUT/PATCH `content-length`, `content-type` (the request's, or
    /// `application/json`) and `x-content-sha256`; then `authorization`.
    pub fn sign(
        &self,
        time: SystemTime,
        req: &RequestToSign,
    ) -> Result<Vec<(String, String)>, SigningError> {
        if time < SystemTime::UNIX_EPOCH {
            return Err(SigningError::TimeBeforeEpoch);
        }
        self.sign_with_date(&httpdate::fmt_http_date(time), req)
    }

    /// Signs with `date` used literally as the `date` header (OCI's published vectors use a
    /// date whose weekday is wrong, so it cannot come from a time).
    pub fn sign_with_date(
        &self,
        date: &str,
        req: &RequestToSign,
    ) -> Result<Vec<(String, String)>, SigningError> {
        let (host, path_and_query) = split_url(req.url)?;
        let signed = oci_signed_header_names(req.method);
        let mut added = vec![("date".to_owned(), date.to_owned())];
        if signed.len() > 3 {
            let content_type =
                header_value(req.headers, "content-type").unwrap_or("application/json");
            added.push(("content-length".to_owned(), req.body.len().to_string()));
            added.push(("content-type".to_owned(), content_type.to_owned()));
            added.push((
                "x-content-sha256".to_owned(),
                BASE64.encode(sha256(req.body)),
            ));
        }
        let mut all = added.clone();
        all.push(("host".to_owned(), host));
        let signing_string = oci_signing_string(req.method, &path_and_query, &all, signed)
            .map_err(|name| SigningError::InvalidHeader(name.to_owned()))?;
        let signature = self.sign_string(&signing_string)?;
        added.push((
            "authorization".to_owned(),
            oci_authorization(&self.key_id, signed, &signature),
        ));
        Ok(added)
    }

    /// The base64 RSA-SHA256 (PKCS#1 v1.5) signature of `signing_string`.
    pub fn sign_string(&self, signing_string: &str) -> Result<String, SigningError> {
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_string.as_bytes(),
                &mut signature,
            )
            .map_err(|_| SigningError::RsaSigning)?;
        Ok(BASE64.encode(signature))
    }
}
