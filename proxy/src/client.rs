//! The client of the upstream calls: hyper-util's pooled client (HTTP/1.1 keep-alive, or h2
//! when the provider offers it by ALPN) over rustls with webpki's roots.
//!
//! It exists instead of reqwest because the forwarding path is the proxy's hot loop and
//! reqwest's per-call work (parsing and re-checking the URL with IDNA, its redirect and retry
//! layers, a timer of its own per call, default headers merged per call) cost about a tenth
//! of the proxy's CPU under load while the proxy needs none of it: the URL is built and
//! checked once in `forward`, redirects are never followed, retries and the deadline are
//! `forward`'s own.
//!
//! Where calls go: straight to the upstream, or, with `upstream-proxy`, through a `CONNECT`
//! tunnel of that proxy (loopback upstreams, like the sandbox, bypass it). Environment
//! proxies (`HTTPS_PROXY`, ...) are never read. Connecting (TCP, the tunnel, TLS) is bounded
//! by `connect-timeout`; an attempt that could not connect says so ([`is_connect_timeout`]).

use std::error::Error as StdError;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderValue, Uri};
use base64::Engine;
use http_body_util::Full;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder, MaybeHttpsStream};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpStream;

use crate::config::Settings;

type BoxError = Box<dyn StdError + Send + Sync>;
type Connecting<T> = Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>>;

/// The body of an upstream request: the bytes `core` serialised, whole.
pub type Body = Full<Bytes>;
/// The pooled client every upstream call goes through.
pub type Client = hyper_util::client::legacy::Client<Connector, Body>;
/// What `Client::request` fails with.
pub type Error = hyper_util::client::legacy::Error;

/// One pooled client per serving thread (`server::serve_on_threads`), so that a call, its
/// upstream connection and that connection's task stay on one thread: a pool shared by
/// every thread had calls on one thread wake the connection tasks of another.
#[derive(Debug, Clone)]
pub struct Clients {
    each: Vec<Client>,
}

std::thread_local! {
    /// Which of [`Clients`] this thread's calls use (0 unless [`use_client`] said otherwise).
    static THREAD_CLIENT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Calls made on this thread from now on use the `n`th client of [`Clients`].
pub fn use_client(n: usize) {
    THREAD_CLIENT.with(|c| c.set(n));
}

impl Clients {
    /// `threads` clients under `settings`, the `upstream-connections-per-host` idle
    /// connections shared out between them (at least one each).
    pub fn build(settings: &Settings, threads: usize) -> Self {
        let threads = threads.max(1);
        let idle = settings
            .limits
            .upstream_connections_per_host
            .div_ceil(threads)
            .max(1);
        Clients {
            each: (0..threads).map(|_| build_with(settings, idle)).collect(),
        }
    }

    /// This thread's client.
    pub fn here(&self) -> &Client {
        let n = THREAD_CLIENT.with(std::cell::Cell::get);
        &self.each[n % self.each.len()]
    }
}

/// The stream to one upstream: TCP, maybe a tunnel, maybe TLS.
type Stream = MaybeHttpsStream<MaybeHttpsStream<TokioIo<TcpStream>>>;

/// How long an idle upstream connection stays in the pool.
const IDLE: Duration = Duration::from_secs(60);

/// The client for upstream calls under `settings` (`connect-timeout`, `upstream-proxy`,
/// `upstream-connections-per-host` idle connections kept per host).
pub fn build(settings: &Settings) -> Client {
    build_with(settings, settings.limits.upstream_connections_per_host)
}

/// The client for upstream calls under `settings`, keeping `idle` idle connections per host.
fn build_with(settings: &Settings, idle: usize) -> Client {
    let route = Route {
        direct: tcp(),
        tunnel: settings.upstream_proxy.as_deref().map(tunnel),
    };
    let connector = Connector {
        inner: HttpsConnectorBuilder::new()
            .with_tls_config(tls_config())
            .https_or_http()
            .enable_all_versions()
            .wrap_connector(route),
        timeout: settings.connect_timeout,
    };
    hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .pool_idle_timeout(IDLE)
        .pool_max_idle_per_host(idle)
        .pool_timer(TokioTimer::new())
        .timer(TokioTimer::new())
        .build(connector)
}

/// rustls with ring and webpki's roots, TLS 1.2 and 1.3 (what reqwest's `rustls-tls` used).
fn tls_config() -> rustls::ClientConfig {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports TLS 1.2 and 1.3")
    .with_root_certificates(roots)
    .with_no_client_auth()
}

/// Plain TCP, no delay (requests are written whole), any scheme (TLS is layered on top).
fn tcp() -> HttpConnector {
    let mut tcp = HttpConnector::new();
    tcp.enforce_http(false);
    tcp.set_nodelay(true);
    tcp
}

/// `CONNECT` tunnels through the proxy at `url` (checked by `Settings::from_cli`), with its
/// `user:password` as basic `Proxy-Authorization` when the URL has one.
fn tunnel(url: &str) -> Tunnel<HttpsConnector<HttpConnector>> {
    let parsed = reqwest::Url::parse(url).expect("upstream-proxy is checked by Settings::from_cli");
    let host = parsed.host_str().unwrap_or_default();
    let port = parsed.port_or_known_default().unwrap_or(80);
    let uri: Uri = format!("{}://{host}:{port}", parsed.scheme())
        .parse()
        .expect("a checked URL's scheme, host and port make a URI");
    let to_proxy = HttpsConnectorBuilder::new()
        .with_tls_config(tls_config())
        .https_or_http()
        .enable_http1()
        .wrap_connector(tcp());
    let tunnel = Tunnel::new(uri, to_proxy);
    if parsed.username().is_empty() {
        return tunnel;
    }
    let user = percent_encoding::percent_decode_str(parsed.username()).decode_utf8_lossy();
    let password = percent_encoding::percent_decode_str(parsed.password().unwrap_or_default())
        .decode_utf8_lossy();
    let credentials =
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    match HeaderValue::from_str(&format!("Basic {credentials}")) {
        Ok(mut value) => {
            value.set_sensitive(true);
            tunnel.with_auth(value)
        }
        Err(_) => tunnel,
    }
}

/// Whether calls to `host` skip `upstream-proxy`: 127.0.0.0/8, `::1`, `localhost`.
pub fn bypasses_proxy(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let lower = bare.to_ascii_lowercase();
            lower == "localhost" || lower.ends_with(".localhost")
        }
    }
}

/// Picks the way to an upstream: a tunnel through `upstream-proxy`, or straight.
#[derive(Clone)]
pub struct Route {
    direct: HttpConnector,
    tunnel: Option<Tunnel<HttpsConnector<HttpConnector>>>,
}

impl tower::Service<Uri> for Route {
    type Response = MaybeHttpsStream<TokioIo<TcpStream>>;
    type Error = BoxError;
    type Future = Connecting<Self::Response>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // Both connectors are always ready: they start their work in `call`.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        match &self.tunnel {
            Some(tunnel) if !dst.host().is_some_and(bypasses_proxy) => {
                let mut tunnel = tunnel.clone();
                // The tunnel's default port is 443; a plain-http upstream's is 80.
                let dst = with_port(dst);
                Box::pin(async move { tunnel.call(dst).await.map_err(Into::into) })
            }
            _ => {
                let mut direct = self.direct.clone();
                Box::pin(async move {
                    direct
                        .call(dst)
                        .await
                        .map(MaybeHttpsStream::Http)
                        .map_err(Into::into)
                })
            }
        }
    }
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("tunnel", &self.tunnel.is_some())
            .finish()
    }
}

/// `dst` with its port written out (the scheme's default when it had none).
fn with_port(dst: Uri) -> Uri {
    if dst.port().is_some() {
        return dst;
    }
    let port = if dst.scheme_str() == Some("http") {
        80
    } else {
        443
    };
    let host = dst.host().unwrap_or_default();
    format!("{}://{host}:{port}/", dst.scheme_str().unwrap_or("https"))
        .parse()
        .unwrap_or(dst)
}

/// Connecting took longer than `connect-timeout`.
#[derive(Debug, thiserror::Error)]
#[error("connect timed out")]
pub struct ConnectTimeout;

/// Whether a failed call could not connect within `connect-timeout`.
pub fn is_connect_timeout(e: &Error) -> bool {
    let mut source = e.source();
    while let Some(cause) = source {
        if cause.is::<ConnectTimeout>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The whole connector: route, TLS, all of it within `connect-timeout`.
#[derive(Clone)]
pub struct Connector {
    inner: HttpsConnector<Route>,
    timeout: Duration,
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connector")
            .field("route", &self.inner)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl tower::Service<Uri> for Connector {
    type Response = Stream;
    type Error = BoxError;
    type Future = Connecting<Stream>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let connecting = self.inner.call(dst);
        let timeout = self.timeout;
        Box::pin(async move {
            match tokio::time::timeout(timeout, connecting).await {
                Ok(connected) => connected,
                Err(_) => Err(Box::new(ConnectTimeout) as BoxError),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_bypass_the_proxy_and_others_do_not() {
        for host in ["127.0.0.1", "127.3.4.5", "[::1]", "localhost", "LocalHost"] {
            assert!(bypasses_proxy(host), "{host}");
        }
        for host in [
            "directconnect.us-east-1.amazonaws.com",
            "10.0.0.1",
            "[::2]",
            "localhost.example.com",
        ] {
            assert!(!bypasses_proxy(host), "{host}");
        }
    }

    /// A proxy that records the head of the first request on each connection and refuses it.
    async fn recording_proxy() -> (std::net::SocketAddr, tokio::sync::mpsc::Receiver<String>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n")
                    && stream.read(&mut byte).await.is_ok_and(|n| n == 1)
                {
                    head.push(byte[0]);
                }
                let _ = tx.send(String::from_utf8_lossy(&head).into_owned()).await;
                let _ = stream
                    .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
                    .await;
            }
        });
        (addr, rx)
    }

    #[tokio::test]
    async fn calls_go_through_a_connect_tunnel_with_the_proxys_credentials() {
        let (addr, mut seen) = recording_proxy().await;
        let mut settings = Settings::from_cli(crate::config::Cli::default()).unwrap();
        settings.upstream_proxy = Some(format!("http://user:p%40ss@{addr}"));
        let client = build(&settings);
        let request = |uri: &str| {
            let mut request = axum::http::Request::new(Body::new(Bytes::new()));
            *request.uri_mut() = uri.parse().unwrap();
            request
        };
        let failed = client
            .request(request("https://directconnect.cloudlink.invalid/"))
            .await
            .unwrap_err();
        assert!(failed.is_connect(), "{failed:?}");
        let head = seen.recv().await.unwrap();
        assert!(
            head.starts_with("CONNECT directconnect.cloudlink.invalid:443 HTTP/1.1\r\n"),
            "{head}"
        );
        // base64("user:p@ss"): the URL's percent-encoding is undone.
        assert!(
            head.contains("Proxy-Authorization: Basic dXNlcjpwQHNz\r\n"),
            "{head}"
        );
        // A plain-http upstream through the tunnel names port 80.
        let _ = client
            .request(request("http://outposts.cloudlink.invalid/x"))
            .await;
        let head = seen.recv().await.unwrap();
        assert!(
            head.starts_with("CONNECT outposts.cloudlink.invalid:80 "),
            "{head}"
        );
    }

    #[test]
    fn a_tunnelled_destination_names_its_port() {
        let uri = |s: &str| s.parse::<Uri>().unwrap();
        assert_eq!(with_port(uri("https://a.example/x")).port_u16(), Some(443));
        assert_eq!(with_port(uri("http://a.example/x")).port_u16(), Some(80));
        assert_eq!(
            with_port(uri("http://a.example:8080/x")).port_u16(),
            Some(8080)
        );
    }
}
