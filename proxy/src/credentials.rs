//! Credential sources, read once at start, per provider and profile.
//!
//! - AWS (directconnect, outposts): the standard chain through `aws-config`
//!   (environment, `~/.aws/config` and `~/.aws/credentials`, session tokens,
//!   SSO, assume-role), refreshed before expiry.
//! - OUTSCALE (directlink): `OSC_ACCESS_KEY`/`OSC_SECRET_KEY`/`OSC_REGION`,
//!   else the profiles of `~/.osc/config.json`.
//! - OCI: `~/.oci/config` (`OCI_CONFIG_FILE`, `OCI_PROFILE`), keys parsed once.
//!
//! A missing or broken source is not fatal: it is reported at start with the
//! file and field, and the provider shows as unconfigured.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::ProvideCredentials;
use tokio::sync::Mutex;

use cloudlink_signing::{AwsCredentials, OciSigner};

/// An AWS profile whose credentials come from `aws-config`'s chain.
pub struct AwsProfile {
    provider: aws_credential_types::provider::SharedCredentialsProvider,
    cached: Mutex<Option<(AwsCredentials, Option<SystemTime>)>>,
}

impl std::fmt::Debug for AwsProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AwsProfile { .. }")
    }
}

/// Refresh credentials this long before they expire.
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(300);

impl AwsProfile {
    pub fn new(provider: aws_credential_types::provider::SharedCredentialsProvider) -> Self {
        Self {
            provider,
            cached: Mutex::new(None),
        }
    }

    /// Current credentials, fetched again when close to expiry.
    pub async fn credentials(&self) -> Result<AwsCredentials, String> {
        let mut cached = self.cached.lock().await;
        if let Some((creds, expiry)) = cached.as_ref() {
            let fresh = expiry.is_none_or(|e| SystemTime::now() + REFRESH_BEFORE_EXPIRY < e);
            if fresh {
                return Ok(creds.clone());
            }
        }
        let c = self
            .provider
            .provide_credentials()
            .await
            .map_err(|e| describe_aws_error(&e))?;
        let creds = AwsCredentials {
            access_key_id: c.access_key_id().to_owned(),
            secret_access_key: c.secret_access_key().to_owned(),
            session_token: c.session_token().map(str::to_owned),
        };
        *cached = Some((creds.clone(), c.expiry()));
        Ok(creds)
    }
}

fn describe_aws_error(e: &aws_credential_types::provider::error::CredentialsError) -> String {
    // The Display of these errors names the source, never the secret.
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Where a service's requests get their signature.
#[derive(Debug, Clone)]
pub enum ProfileSigner {
    Aws(Arc<AwsProfile>),
    Static(AwsCredentials),
    Oci(Arc<OciSigner>),
}

/// One named profile of one provider.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub region: Option<String>,
    pub signer: ProfileSigner,
}

/// The profiles of one provider, and what went wrong reading them.
#[derive(Debug, Clone, Default)]
pub struct ProviderProfiles {
    pub profiles: Vec<Profile>,
    /// Problems found at start, each naming the file and field.
    pub problems: Vec<String>,
}

impl ProviderProfiles {
    /// The profile a request asked for, or the first (`default` when present).
    pub fn pick(&self, name: Option<&str>) -> Option<&Profile> {
        match name {
            Some(n) => self.profiles.iter().find(|p| p.name == n),
            None => self
                .profiles
                .iter()
                .find(|p| p.name == "default" || p.name == "DEFAULT")
                .or_else(|| self.profiles.first()),
        }
    }
}

/// Every provider's profiles.
#[derive(Debug, Clone, Default)]
pub struct CredentialStore {
    pub aws: ProviderProfiles,
    pub outscale: ProviderProfiles,
    pub oci: ProviderProfiles,
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), home()) {
        (Some(rest), Some(h)) => h.join(rest),
        _ => PathBuf::from(path),
    }
}

/// Section names and key/values of an INI file (AWS and OCI config format).
pub fn parse_ini(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut sections: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_owned();
            sections.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((k, v))) = (&current, line.split_once('=')) {
            sections
                .entry(section.clone())
                .or_default()
                .insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }
    sections
}

/// AWS profile names from `~/.aws/config` and `~/.aws/credentials` (or the
/// files `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` name).
fn aws_profile_names() -> Vec<String> {
    let mut names = vec!["default".to_owned()];
    let config = std::env::var_os("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws/config")));
    let creds = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws/credentials")));
    for (path, is_config) in [(config, true), (creds, false)] {
        let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
            continue;
        };
        for section in parse_ini(&text).into_keys() {
            let name = if is_config {
                match section.strip_prefix("profile ") {
                    Some(n) => n.trim().to_owned(),
                    None if section == "default" => section,
                    None => continue, // sso-session and services sections
                }
            } else {
                section
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// Loads the AWS chain for every profile. A profile whose credentials cannot
/// be resolved at start is kept out and reported.
pub async fn load_aws() -> ProviderProfiles {
    let mut out = ProviderProfiles::default();
    for name in aws_profile_names() {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if name != "default" {
            loader = loader.profile_name(&name);
        }
        let config = loader.load().await;
        let Some(provider) = config.credentials_provider() else {
            out.problems
                .push(format!("aws profile {name}: no credentials provider"));
            continue;
        };
        let profile = Arc::new(AwsProfile::new(provider));
        match tokio::time::timeout(Duration::from_secs(5), profile.credentials()).await {
            Ok(Ok(_)) => out.profiles.push(Profile {
                name,
                region: config.region().map(|r| r.to_string()),
                signer: ProfileSigner::Aws(profile),
            }),
            Ok(Err(e)) => out.problems.push(format!("aws profile {name}: {e}")),
            Err(_) => out.problems.push(format!(
                "aws profile {name}: credentials not resolved within 5 s"
            )),
        }
    }
    out
}

/// OUTSCALE: environment first, then `~/.osc/config.json`.
pub fn load_outscale(
    env: &dyn Fn(&str) -> Option<String>,
    config_path: Option<&Path>,
) -> ProviderProfiles {
    let mut out = ProviderProfiles::default();
    if let (Some(ak), Some(sk)) = (env("OSC_ACCESS_KEY"), env("OSC_SECRET_KEY")) {
        out.profiles.push(Profile {
            name: "default".to_owned(),
            region: env("OSC_REGION"),
            signer: ProfileSigner::Static(AwsCredentials {
                access_key_id: ak,
                secret_access_key: sk,
                session_token: None,
            }),
        });
        return out;
    }
    if env("OSC_ACCESS_KEY").is_some() != env("OSC_SECRET_KEY").is_some() {
        out.problems
            .push("outscale: OSC_ACCESS_KEY and OSC_SECRET_KEY must both be set".to_owned());
    }
    let Some(path) = config_path else { return out };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return out,
        Err(e) => {
            out.problems
                .push(format!("outscale: cannot read {}: {e}", path.display()));
            return out;
        }
    };
    let parsed: BTreeMap<String, serde_json::Value> = match serde_json::from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            out.problems.push(format!(
                "outscale: {} is not a JSON object of profiles (line {} column {})",
                path.display(),
                e.line(),
                e.column()
            ));
            return out;
        }
    };
    for (name, profile) in parsed {
        let field = |k: &str| profile.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        match (field("access_key"), field("secret_key")) {
            (Some(ak), Some(sk)) => out.profiles.push(Profile {
                name,
                region: field("region").or_else(|| field("region_name")),
                signer: ProfileSigner::Static(AwsCredentials {
                    access_key_id: ak,
                    secret_access_key: sk,
                    session_token: None,
                }),
            }),
            (None, _) => out.problems.push(format!(
                "outscale: {} profile {name}: missing access_key",
                path.display()
            )),
            (_, None) => out.problems.push(format!(
                "outscale: {} profile {name}: missing secret_key",
                path.display()
            )),
        }
    }
    out
}

/// OCI: every profile of the config file, keys parsed now.
pub fn load_oci(path: &Path, only: Option<&str>) -> ProviderProfiles {
    let mut out = ProviderProfiles::default();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return out,
        Err(e) => {
            out.problems
                .push(format!("oci: cannot read {}: {e}", path.display()));
            return out;
        }
    };
    let sections = parse_ini(&text);
    let defaults = sections.get("DEFAULT").cloned().unwrap_or_default();
    for (name, values) in &sections {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let get = |k: &str| values.get(k).or_else(|| defaults.get(k)).cloned();
        let mut missing = Vec::new();
        for k in ["user", "fingerprint", "tenancy", "region", "key_file"] {
            if get(k).is_none() {
                missing.push(k);
            }
        }
        if !missing.is_empty() {
            out.problems.push(format!(
                "oci: {} profile {name}: missing {}",
                path.display(),
                missing.join(", ")
            ));
            continue;
        }
        let key_file = expand_home(&get("key_file").unwrap_or_default());
        let pem = match std::fs::read(&key_file) {
            Ok(p) => p,
            Err(e) => {
                out.problems.push(format!(
                    "oci: {} profile {name}: key_file {}: {e}",
                    path.display(),
                    key_file.display()
                ));
                continue;
            }
        };
        match OciSigner::from_pem(
            &get("tenancy").unwrap_or_default(),
            &get("user").unwrap_or_default(),
            &get("fingerprint").unwrap_or_default(),
            &pem,
        ) {
            Ok(signer) => out.profiles.push(Profile {
                name: name.clone(),
                region: get("region"),
                signer: ProfileSigner::Oci(Arc::new(signer)),
            }),
            Err(e) => out.problems.push(format!(
                "oci: {} profile {name}: key_file {}: {e}",
                path.display(),
                key_file.display()
            )),
        }
    }
    out
}

/// Reads every real credential source (outside `--sandbox`).
pub async fn load_all() -> CredentialStore {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let osc_path = home().map(|h| h.join(".osc/config.json"));
    let oci_path = env("OCI_CONFIG_FILE")
        .map(|p| expand_home(&p))
        .or_else(|| home().map(|h| h.join(".oci/config")));
    CredentialStore {
        aws: load_aws().await,
        outscale: load_outscale(&env, osc_path.as_deref()),
        oci: oci_path
            .map(|p| load_oci(&p, env("OCI_PROFILE").as_deref()))
            .unwrap_or_default(),
    }
}

impl CredentialStore {
    /// The profiles that sign for a service.
    pub fn for_service(&self, service: cloudlink_core::Service) -> &ProviderProfiles {
        match service.provider() {
            cloudlink_core::Provider::Aws => &self.aws,
            cloudlink_core::Provider::Outscale => &self.outscale,
            cloudlink_core::Provider::Oci => &self.oci,
        }
    }
}
