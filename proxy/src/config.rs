//! Flags and the `--config FILE` TOML, merged into one [`Settings`].
//!
//! Flags win over the file, the file over defaults. Everything the contract
//! lists as a flag can be set in the file, so a deployment behind a reverse
//! proxy can keep its settings in one place.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use cloudlink_core::Service;
use serde::Deserialize;

/// The command line, as the contract gives it.
#[derive(Debug, Parser, Default)]
#[command(
    name = "cloudlink-proxy",
    version,
    about = "cloudlink: the signing proxy and console server"
)]
pub struct Cli {
    /// Address to listen on.
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Answer every service from the in-process fake cloud, with fake credentials.
    #[arg(long)]
    pub sandbox: bool,
    /// Run only the fake cloud on --listen (no proxy, no console), for other tools' tests.
    #[arg(long, conflicts_with = "sandbox")]
    pub sandbox_only: bool,
    /// Directory of the console's static files (trunk's output).
    #[arg(long)]
    pub web_dir: Option<PathBuf>,
    /// SERVICE=URL: send SERVICE's calls to URL instead of its public endpoint.
    #[arg(long = "upstream", value_name = "SERVICE=URL")]
    pub upstreams: Vec<String>,
    /// Forward only Describe/Get/List operations.
    #[arg(long)]
    pub read_only: bool,
    /// TOML file with the same settings.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Seconds to wait for a connection to an upstream.
    #[arg(long)]
    pub connect_timeout: Option<u64>,
    /// Seconds an upstream call may take in all, retries included.
    #[arg(long)]
    pub timeout: Option<u64>,
}

/// The `--config` file. Unknown keys are an error, so a typo is not ignored.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub sandbox: Option<bool>,
    pub web_dir: Option<PathBuf>,
    #[serde(default)]
    pub upstream: BTreeMap<String, String>,
    pub read_only: Option<bool>,
    pub connect_timeout: Option<u64>,
    pub timeout: Option<u64>,
    /// Public origin(s) of the console when the Host header differs (behind a reverse proxy).
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

/// Effective settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub sandbox: bool,
    pub sandbox_only: bool,
    pub web_dir: PathBuf,
    pub upstreams: BTreeMap<Service, String>,
    pub read_only: bool,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub allowed_origins: Vec<String>,
}

/// A settings problem: exit code 2 with this message.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error(
        "--upstream {0}: expected SERVICE=URL with SERVICE one of directconnect, outposts, directlink, oci-core"
    )]
    UpstreamSyntax(String),
    #[error(
        "--upstream {service}: URL must start with http:// or https:// and have no query or fragment"
    )]
    UpstreamUrl { service: String },
}

impl Settings {
    pub fn from_cli(cli: Cli) -> Result<Settings, ConfigError> {
        let file = match &cli.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.clone(),
                    source,
                })?;
                toml::from_str::<FileConfig>(&text).map_err(|e| ConfigError::Parse {
                    path: path.clone(),
                    message: e.message().to_owned(),
                })?
            }
            None => FileConfig::default(),
        };
        Settings::merge(cli, file)
    }

    /// Settings from a `--config` file's text alone, as if no flag were given (the config
    /// fuzz target drives parsing and validation through this, without a file).
    pub fn from_toml_str(text: &str) -> Result<Settings, ConfigError> {
        let file = toml::from_str::<FileConfig>(text).map_err(|e| ConfigError::Parse {
            path: PathBuf::from("<config text>"),
            message: e.message().to_owned(),
        })?;
        Settings::merge(Cli::default(), file)
    }

    /// Flags over the file over defaults, each value checked.
    fn merge(cli: Cli, file: FileConfig) -> Result<Settings, ConfigError> {
        let mut upstreams = BTreeMap::new();
        for (service, url) in &file.upstream {
            insert_upstream(&mut upstreams, service, url)?;
        }
        for spec in &cli.upstreams {
            let (service, url) = spec
                .split_once('=')
                .ok_or_else(|| ConfigError::UpstreamSyntax(spec.clone()))?;
            insert_upstream(&mut upstreams, service, url)?;
        }
        Ok(Settings {
            listen: cli
                .listen
                .or(file.listen)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            sandbox: cli.sandbox || file.sandbox.unwrap_or(false),
            sandbox_only: cli.sandbox_only,
            web_dir: cli
                .web_dir
                .or(file.web_dir)
                .unwrap_or_else(|| PathBuf::from("dist")),
            upstreams,
            read_only: cli.read_only || file.read_only.unwrap_or(false),
            connect_timeout: Duration::from_secs(
                cli.connect_timeout.or(file.connect_timeout).unwrap_or(5),
            ),
            timeout: Duration::from_secs(cli.timeout.or(file.timeout).unwrap_or(30)),
            allowed_origins: file.allowed_origins,
        })
    }
}

fn insert_upstream(
    map: &mut BTreeMap<Service, String>,
    service: &str,
    url: &str,
) -> Result<(), ConfigError> {
    let svc = Service::from_id(service)
        .ok_or_else(|| ConfigError::UpstreamSyntax(format!("{service}={url}")))?;
    let ok_scheme = url.starts_with("http://") || url.starts_with("https://");
    if !ok_scheme || url.contains('?') || url.contains('#') || reqwest::Url::parse(url).is_err() {
        return Err(ConfigError::UpstreamUrl {
            service: service.to_owned(),
        });
    }
    map.insert(svc, url.trim_end_matches('/').to_owned());
    Ok(())
}
