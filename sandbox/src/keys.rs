//! The sandbox's fake credentials, made fresh at every start so nothing real
//! is ever needed: an AWS access key, an OUTSCALE access key, and an OCI API
//! key (a 2048-bit RSA key, generated with `aws-lc-rs` because `ring` cannot
//! generate RSA keys, handed to [`OciSigner`] as PKCS#8 PEM).
//!
//! The proxy signs with them through [`FakeCredentials`], plain data it turns
//! into its own credential store; this crate knows nothing of the proxy.

use std::fmt;
use std::sync::Arc;

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use cloudlink_signing::{AwsCredentials, OciSigner};

use crate::ids;

/// The credentials a client of the sandbox signs with: one `default` profile per provider,
/// and a second AWS profile ([`FakeCredentials::LAB_PROFILE`]) for an account of its own.
/// Fake keys made at start; `Debug` never shows a secret.
#[derive(Debug, Clone)]
pub struct FakeCredentials {
    /// Direct Connect and Outposts, region [`FakeCredentials::AWS_REGION`].
    pub aws: AwsCredentials,
    /// AWS again, for the account [`crate::seed::LAB_ACCOUNT`]: what it lists is its own
    /// estate, so an inventory over both profiles shows rows of two accounts.
    pub aws_lab: AwsCredentials,
    /// DirectLink, region [`FakeCredentials::OUTSCALE_REGION`].
    pub outscale: AwsCredentials,
    /// OCI, region [`FakeCredentials::OCI_REGION`].
    pub oci: Arc<OciSigner>,
}

impl FakeCredentials {
    pub const AWS_REGION: &'static str = "us-east-1";
    pub const OUTSCALE_REGION: &'static str = "eu-west-2";
    pub const OCI_REGION: &'static str = "us-ashburn-1";
    /// The name of the second AWS profile.
    pub const LAB_PROFILE: &'static str = "lab";
}

/// Every fake key of one sandbox. `Debug` never shows a secret.
pub(crate) struct FakeKeys {
    pub aws: AwsCredentials,
    pub aws_lab: AwsCredentials,
    pub outscale: AwsCredentials,
    pub oci_tenancy: String,
    pub oci_user: String,
    pub oci_fingerprint: String,
    pub oci_private_pem: String,
    pub oci_public_pem: String,
    pub oci_signer: Arc<OciSigner>,
    /// DER `RSAPublicKey`, what `verify_oci` checks signatures with.
    pub oci_public_der: Vec<u8>,
}

impl fmt::Debug for FakeKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeKeys")
            .field("aws", &self.aws)
            .field("aws_lab", &self.aws_lab)
            .field("outscale", &self.outscale)
            .field("oci_key_id", &self.oci_key_id())
            .finish_non_exhaustive()
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = BASE64.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// OCI's key fingerprint: the MD5 of the DER public key, as `aa:bb:..`.
fn oci_fingerprint(spki_der: &[u8]) -> String {
    use md5::Digest;
    let digest = md5::Md5::digest(spki_der);
    digest
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

impl FakeKeys {
    pub fn generate() -> Self {
        let aws_key = || AwsCredentials {
            access_key_id: format!("AKIA{}", ids::random_upper_alnum(16)),
            secret_access_key: ids::random_base64ish(40),
            session_token: None,
        };
        let (aws, aws_lab) = (aws_key(), aws_key());
        let outscale = AwsCredentials {
            access_key_id: ids::random_upper_alnum(20),
            secret_access_key: ids::random_upper_alnum(40),
            session_token: None,
        };
        let pair =
            KeyPair::generate(KeySize::Rsa2048).expect("aws-lc-rs generates a 2048-bit rsa key");
        let pkcs8: Pkcs8V1Der<'static> = pair.as_der().expect("an rsa key pair exports as pkcs#8");
        let spki: PublicKeyX509Der<'static> = pair
            .public_key()
            .as_der()
            .expect("an rsa public key exports as x.509 spki");
        let oci_private_pem = pem("PRIVATE KEY", pkcs8.as_ref());
        let oci_public_pem = pem("PUBLIC KEY", spki.as_ref());
        let oci_fingerprint = oci_fingerprint(spki.as_ref());
        let oci_tenancy = format!("ocid1.tenancy.oc1..aaaaaaaa{}", ids::random_lower_alnum(52));
        let oci_user = format!("ocid1.user.oc1..aaaaaaaa{}", ids::random_lower_alnum(52));
        let signer = OciSigner::from_pem(
            &oci_tenancy,
            &oci_user,
            &oci_fingerprint,
            oci_private_pem.as_bytes(),
        )
        .expect("ring accepts the generated pkcs#8 key");
        let oci_public_der = signer.public_key_der();
        FakeKeys {
            aws,
            aws_lab,
            outscale,
            oci_tenancy,
            oci_user,
            oci_fingerprint,
            oci_private_pem,
            oci_public_pem,
            oci_signer: Arc::new(signer),
            oci_public_der,
        }
    }

    pub fn oci_key_id(&self) -> String {
        format!(
            "{}/{}/{}",
            self.oci_tenancy, self.oci_user, self.oci_fingerprint
        )
    }

    /// The AWS-style credentials of an access key id, for `verify_sigv4`.
    pub fn aws_lookup(&self, access_key_id: &str) -> Option<AwsCredentials> {
        [&self.aws, &self.aws_lab, &self.outscale]
            .into_iter()
            .find(|c| c.access_key_id == access_key_id)
            .cloned()
    }

    pub fn credentials(&self) -> FakeCredentials {
        FakeCredentials {
            aws: self.aws.clone(),
            aws_lab: self.aws_lab.clone(),
            outscale: self.outscale.clone(),
            oci: Arc::clone(&self.oci_signer),
        }
    }
}
