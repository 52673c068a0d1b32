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
    /// Log line format: `text` (colour only on a terminal) or `json` (one object per line).
    #[arg(long, value_enum)]
    pub log_format: Option<LogFormat>,
    /// Sandbox only: run the fake cloud's clock this many seconds ahead (negative: behind),
    /// to see the proxy correct for clock skew.
    #[arg(long, allow_hyphen_values = true, value_name = "SECS")]
    pub sandbox_clock_skew: Option<i64>,
    /// Serve everything (console, API, login) under this path, e.g. /cloudlink.
    #[arg(long, value_name = "/PREFIX")]
    pub base_path: Option<String>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines; ANSI colour only when the output is a terminal.
    #[default]
    Text,
    /// One JSON object per line, for journald, Loki or ELK.
    Json,
}

/// Bounds on what clients and upstreams may cost; each is a `--config` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// `header-read-timeout`: a client must send its request headers within this.
    pub header_read_timeout: Duration,
    /// `keep-alive-timeout`: an idle keep-alive connection is closed after this.
    pub keep_alive_timeout: Duration,
    /// `max-connections`: open client connections; beyond it, new ones wait in the backlog.
    pub max_connections: usize,
    /// `max-concurrent-calls`: API calls in flight; beyond it, 503 with `Retry-After`.
    pub max_concurrent_calls: usize,
    /// `shutdown-grace`: how long SIGTERM waits for in-flight calls.
    pub shutdown_grace: Duration,
    /// `max-answer-bytes`: largest upstream answer read; beyond it, 502.
    pub max_answer_bytes: usize,
    /// `upstream-connections-per-host`: calls in flight to one upstream host at once.
    pub upstream_connections_per_host: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(60),
            max_connections: 1024,
            max_concurrent_calls: 128,
            shutdown_grace: Duration::from_secs(20),
            max_answer_bytes: 8 * 1024 * 1024,
            upstream_connections_per_host: 32,
        }
    }
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
    pub log_format: Option<LogFormat>,
    /// `/metrics` without the token (for a scraper on a trusted network).
    pub metrics_public: Option<bool>,
    pub header_read_timeout: Option<u64>,
    pub keep_alive_timeout: Option<u64>,
    pub max_connections: Option<usize>,
    pub max_concurrent_calls: Option<usize>,
    pub shutdown_grace: Option<u64>,
    pub max_answer_bytes: Option<usize>,
    pub upstream_connections_per_host: Option<usize>,
    /// Path prefix the console and API are served under (`--base-path`).
    pub base_path: Option<String>,
    /// `http://` or `https://` proxy for upstream calls; environment proxies are never used.
    pub upstream_proxy: Option<String>,
    /// Accept `http://` upstreams to hosts other than loopback.
    pub allow_plain_http_upstream: Option<bool>,
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
    pub log_format: LogFormat,
    pub metrics_public: bool,
    pub limits: Limits,
    pub sandbox_clock_skew: i64,
    /// Where the in-process sandbox listens, once started (for `/readyz`).
    pub sandbox_addr: Option<SocketAddr>,
    /// `""` or a prefix like `/cloudlink` (leading slash, no trailing slash).
    pub base_path: String,
    pub upstream_proxy: Option<String>,
    pub allow_plain_http_upstream: bool,
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
    #[error("config file: {key} must be at least 1")]
    Zero { key: &'static str },
    #[error(
        "--upstream {service}: URL must start with http:// or https:// and have no query or fragment"
    )]
    UpstreamUrl { service: String },
    #[error(
        "upstream {service}: plain http:// is only accepted to loopback hosts (127.0.0.0/8, ::1, localhost); use https:// or set allow-plain-http-upstream = true in the config"
    )]
    PlainHttpUpstream { service: String },
    #[error("upstream-proxy: expected an http:// or https:// URL with a host")]
    UpstreamProxy,
    #[error(
        "base-path {0:?}: expected /PREFIX made of letters, digits, '-', '_', '.', '~' and '/', without dot segments or empty segments"
    )]
    BasePath(String),
    #[error(
        "{0}: this build has no sandbox (cloudlink-proxy was built without its `sandbox` feature); use a default build for the fake cloud"
    )]
    NoSandbox(&'static str),
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
        check_sandbox_built(&cli, &file)?;
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
        let limits = limits_from(&file)?;
        let allow_plain_http_upstream = file.allow_plain_http_upstream.unwrap_or(false);
        if !allow_plain_http_upstream {
            check_plain_http(&upstreams)?;
        }
        if let Some(proxy) = &file.upstream_proxy {
            check_upstream_proxy(proxy)?;
        }
        let base_path = base_path(cli.base_path.as_deref().or(file.base_path.as_deref()))?;
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
            log_format: cli.log_format.or(file.log_format).unwrap_or_default(),
            metrics_public: file.metrics_public.unwrap_or(false),
            limits,
            sandbox_clock_skew: cli.sandbox_clock_skew.unwrap_or(0),
            sandbox_addr: None,
            base_path,
            upstream_proxy: file.upstream_proxy,
            allow_plain_http_upstream,
        })
    }
}

/// Refuses, in a build without the `sandbox` feature, every setting that would start the
/// sandbox: there is no fake cloud to fall back on, and reading real credentials instead of
/// the fake ones asked for would be a surprise.
fn check_sandbox_built(cli: &Cli, file: &FileConfig) -> Result<(), ConfigError> {
    if cfg!(feature = "sandbox") {
        return Ok(());
    }
    if cli.sandbox {
        return Err(ConfigError::NoSandbox("--sandbox"));
    }
    if cli.sandbox_only {
        return Err(ConfigError::NoSandbox("--sandbox-only"));
    }
    if file.sandbox == Some(true) {
        return Err(ConfigError::NoSandbox("config file: sandbox = true"));
    }
    Ok(())
}

/// The limits the file sets, defaults for the rest; zero is refused (it would
/// mean "serve nothing", never what anyone wants).
fn limits_from(file: &FileConfig) -> Result<Limits, ConfigError> {
    fn positive<T: PartialEq + From<u8>>(
        value: Option<T>,
        key: &'static str,
    ) -> Result<Option<T>, ConfigError> {
        match value {
            Some(v) if v == T::from(0) => Err(ConfigError::Zero { key }),
            other => Ok(other),
        }
    }
    let d = Limits::default();
    let secs = |v: Option<u64>, key, default| {
        positive(v, key).map(|v| v.map_or(default, Duration::from_secs))
    };
    Ok(Limits {
        header_read_timeout: secs(
            file.header_read_timeout,
            "header-read-timeout",
            d.header_read_timeout,
        )?,
        keep_alive_timeout: secs(
            file.keep_alive_timeout,
            "keep-alive-timeout",
            d.keep_alive_timeout,
        )?,
        max_connections: positive(file.max_connections, "max-connections")?
            .unwrap_or(d.max_connections),
        max_concurrent_calls: positive(file.max_concurrent_calls, "max-concurrent-calls")?
            .unwrap_or(d.max_concurrent_calls),
        shutdown_grace: secs(file.shutdown_grace, "shutdown-grace", d.shutdown_grace)?,
        max_answer_bytes: positive(file.max_answer_bytes, "max-answer-bytes")?
            .unwrap_or(d.max_answer_bytes),
        upstream_connections_per_host: positive(
            file.upstream_connections_per_host,
            "upstream-connections-per-host",
        )?
        .unwrap_or(d.upstream_connections_per_host),
    })
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

/// `http://` upstreams only to loopback: anything else would send signed
/// requests (and the answers, which can hold BGP keys) in clear text.
fn check_plain_http(upstreams: &BTreeMap<Service, String>) -> Result<(), ConfigError> {
    for (service, url) in upstreams {
        let Ok(parsed) = reqwest::Url::parse(url) else {
            continue;
        };
        if parsed.scheme() == "http" && !is_loopback(&parsed) {
            return Err(ConfigError::PlainHttpUpstream {
                service: service.id().to_owned(),
            });
        }
    }
    Ok(())
}

/// 127.0.0.0/8, `::1` or the name `localhost`.
pub fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

fn check_upstream_proxy(proxy: &str) -> Result<(), ConfigError> {
    let ok = reqwest::Url::parse(proxy)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        && reqwest::Proxy::all(proxy).is_ok();
    if ok {
        Ok(())
    } else {
        Err(ConfigError::UpstreamProxy)
    }
}

/// Normalises `--base-path`: `None`, `""` and `"/"` mean the root (`""`);
/// otherwise a leading slash and no trailing slash. Only unreserved URL
/// characters are accepted, so the prefix can be pasted into HTML and
/// `Location` headers as is.
pub fn base_path(raw: Option<&str>) -> Result<String, ConfigError> {
    let Some(raw) = raw else {
        return Ok(String::new());
    };
    let trimmed = raw.trim_end_matches('/');
    if trimmed.is_empty() && raw.starts_with('/') {
        return Ok(String::new());
    }
    let bad = || ConfigError::BasePath(raw.to_owned());
    let rest = trimmed.strip_prefix('/').ok_or_else(bad)?;
    for segment in rest.split('/') {
        let plain = segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'));
        if segment.is_empty() || segment == "." || segment == ".." || !plain {
            return Err(bad());
        }
    }
    Ok(trimmed.to_owned())
}
