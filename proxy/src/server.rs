//! Start-up and the accept loop: settings, logging, credentials or the
//! sandbox, the listener, the login URL, and a graceful shutdown that drains
//! in-flight calls within a deadline.
//!
//! The accept loop is ours (not `axum::serve`) because a server left running
//! unattended needs bounds `axum::serve` does not give: a header-read timeout,
//! an idle keep-alive timeout, a cap on open connections, accept errors (such
//! as EMFILE) met with backoff instead of a busy loop, and a drain deadline.

use std::future::Future;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

use crate::config::{Cli, Limits, LogFormat, Settings};
use crate::credentials::CredentialStore;
use crate::metrics::Metrics;
use crate::{AppState, app};

/// Logs one line per event on stdout; `RUST_LOG` filters (default `info`).
/// Text has colour only on a terminal; JSON is one object per line with the
/// same fields. Lines are written by [`crate::logwriter`]'s thread, off the
/// request path; `main` flushes it before the process exits.
pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(crate::logwriter::stdout())
        .with_target(true);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stdout().is_terminal())
            .fmt_fields(crate::logfields::LineFields)
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
    };
}

/// Longest pause after failing accepts in a row (EMFILE, ENFILE, ENOBUFS...).
const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// The pause before the next accept after `failures` accept errors in a row:
/// 10 ms doubling up to one second, so an exhausted descriptor table never
/// turns into a busy loop.
pub fn accept_backoff(failures: u32) -> Duration {
    let ms = 10u64.saturating_mul(1u64 << failures.saturating_sub(1).min(10));
    Duration::from_millis(ms).min(MAX_ACCEPT_BACKOFF)
}

/// How serving ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drained {
    /// Every connection finished within the grace period.
    Clean,
    /// The grace period ran out with this many connections still open.
    Forced(usize),
}

/// Serves `router` on `listener` under `limits` until `shutdown` resolves, then
/// stops accepting, asks every connection to finish its current call and
/// waits up to `limits.shutdown_grace` for them. Handlers see the peer address
/// as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()>,
) -> Drained {
    serve_on_threads(listener, router, limits, metrics, shutdown, 0).await
}

/// [`serve`], with `extra` more threads, each running a single-threaded runtime of its own:
/// this task accepts and hands the connections out in turn (itself included), and each is
/// served wholly by the runtime it was given.
///
/// Why: on the forwarding path a multi-threaded runtime spent a good part of each call on
/// moving tasks between threads and waking them (work stealing, cross-thread wake-ups of the
/// client connection's task); a runtime per thread keeps a connection, its calls and the
/// upstream connections it opens on one thread (`cargo xtask bench --only proxy`,
/// docs/BENCHMARKS.md). Every thread shares the connection cap, the shutdown signal and the
/// drain.
pub async fn serve_on_threads(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()>,
    extra: usize,
) -> Drained {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    let accept = Accept {
        router,
        builder: Arc::new(connection_builder(&limits)),
        slots: slots.clone(),
        stop: stop_rx,
        limits: limits.clone(),
        metrics,
        others: (0..extra).filter_map(|n| serving_thread(n + 1)).collect(),
    };
    accept.run(&listener, shutdown).await;
    drop(listener);
    let _ = stop_tx.send(true);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    match tokio::time::timeout(limits.shutdown_grace, slots.acquire_many(all)).await {
        Ok(_) => Drained::Clean,
        Err(_) => Drained::Forced(limits.max_connections - slots.available_permits()),
    }
}

/// A thread running a single-threaded runtime until the process ends; its handle, to spawn
/// connections on. `None` (with a warning) when it cannot start: the others serve.
fn serving_thread(n: usize) -> Option<tokio::runtime::Handle> {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::warn!(%error, "cannot start a serving runtime; serving with fewer");
            return None;
        }
    };
    let handle = runtime.handle().clone();
    let started = std::thread::Builder::new()
        .name(format!("cloudlink-serve-{n}"))
        .spawn(move || {
            crate::client::use_client(n);
            runtime.block_on(std::future::pending::<()>());
        });
    match started {
        Ok(_) => Some(handle),
        Err(error) => {
            tracing::warn!(%error, "cannot start a serving thread; serving with fewer");
            None
        }
    }
}

/// The HTTP/1 and h2 settings of every client connection.
fn connection_builder(limits: &Limits) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(limits.keep_alive_timeout))
        .keep_alive_timeout(limits.header_read_timeout)
        .max_concurrent_streams(256);
    builder
}

/// One thread's accept loop and what its connections need.
struct Accept {
    router: Router,
    builder: Arc<auto::Builder<TokioExecutor>>,
    /// One permit per open connection, shared by every thread (`max-connections`).
    slots: Arc<Semaphore>,
    stop: watch::Receiver<bool>,
    limits: Limits,
    metrics: Arc<Metrics>,
    /// The other threads' runtimes, given connections in turn with this one.
    others: Vec<tokio::runtime::Handle>,
}

impl Accept {
    /// Accepts until `shutdown` resolves; each connection is served by a task of this
    /// runtime or of one of `others`, in turn.
    async fn run(&self, listener: &TcpListener, shutdown: impl Future<Output = ()>) {
        let Accept {
            router,
            builder,
            slots,
            stop,
            limits,
            metrics,
            others,
        } = self;
        tokio::pin!(shutdown);
        let mut failures = 0u32;
        let mut turn = 0usize;
        loop {
            let slot = tokio::select! {
                slot = slots.clone().acquire_owned() => match slot {
                    Ok(slot) => slot,
                    Err(_) => break,
                },
                () = &mut shutdown => break,
            };
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = &mut shutdown => break,
            };
            let (stream, peer) = match accepted {
                Ok(pair) => {
                    failures = 0;
                    pair
                }
                Err(error) => {
                    failures = failures.saturating_add(1);
                    let pause = accept_backoff(failures);
                    metrics.refused("accept_error");
                    tracing::warn!(%error, pause_ms = pause.as_millis() as u64, "accept failed; pausing");
                    drop(slot);
                    tokio::select! {
                        () = tokio::time::sleep(pause) => continue,
                        () = &mut shutdown => break,
                    }
                }
            };
            let connection = Connection {
                router: router.clone(),
                builder: builder.clone(),
                stop: stop.clone(),
                metrics: metrics.clone(),
                first_byte_within: limits.header_read_timeout,
                idle_after: limits.keep_alive_timeout,
            };
            turn = (turn + 1) % (others.len() + 1);
            match others.get(turn.wrapping_sub(1)) {
                // The stream leaves this runtime's reactor and joins the other's.
                Some(other) => match stream.into_std() {
                    Ok(stream) => {
                        other.spawn(async move {
                            if let Ok(stream) = TcpStream::from_std(stream) {
                                connection.serve(stream, peer, slot).await;
                            }
                        });
                    }
                    Err(error) => tracing::warn!(%error, "cannot hand a connection over"),
                },
                None => {
                    tokio::spawn(connection.serve(stream, peer, slot));
                }
            }
        }
    }
}

/// What one client connection's task needs.
struct Connection {
    router: Router,
    builder: Arc<auto::Builder<TokioExecutor>>,
    stop: watch::Receiver<bool>,
    metrics: Arc<Metrics>,
    first_byte_within: Duration,
    idle_after: Duration,
}

impl Connection {
    /// Serves one client until it closes, goes idle, or shutdown asks it to
    /// finish; `slot` (its place under `max-connections`) is freed at the end.
    async fn serve(
        mut self,
        stream: TcpStream,
        peer: SocketAddr,
        slot: tokio::sync::OwnedSemaphorePermit,
    ) {
        let _slot = slot;
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Tracked {
            inner: stream,
            activity: activity.clone(),
        });
        let router = self.router.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                router.clone().oneshot(request.map(axum::body::Body::new))
            },
        );
        self.metrics.connection_opened();
        let connection = self.builder.serve_connection_with_upgrades(io, service);
        tokio::pin!(connection);
        let mut closing = false;
        loop {
            tokio::select! {
                _ = connection.as_mut() => break,
                _ = self.stop.changed(), if !closing => {
                    connection.as_mut().graceful_shutdown();
                    closing = true;
                }
                () = activity.idle_for(self.first_byte_within, self.idle_after), if !closing => {
                    connection.as_mut().graceful_shutdown();
                    closing = true;
                }
            }
        }
        self.metrics.connection_closed();
    }
}

/// When a connection last moved a byte, as milliseconds since its start
/// (`u64::MAX`: never).
#[derive(Debug)]
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

const NEVER: u64 = u64::MAX;

impl Activity {
    fn new() -> Self {
        Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(NEVER),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(NEVER - 1);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// Resolves once no byte has arrived within `first` of the start (the
    /// protocol sniffing before hyper's own header timer starts would wait
    /// forever), or none has moved for `idle` since the last one.
    async fn idle_for(&self, first: Duration, idle: Duration) {
        loop {
            let due = match self.last_ms.load(Ordering::Relaxed) {
                NEVER => self.start + first,
                last => self.start + Duration::from_millis(last) + idle,
            };
            if Instant::now() >= due {
                return;
            }
            tokio::time::sleep_until(due.into()).await;
        }
    }
}

/// A client stream that records activity for the idle timeout.
#[derive(Debug)]
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Waits for SIGINT or SIGTERM. The SIGTERM handler is installed when this is
/// called, not when the future is first polled, so a SIGTERM sent right after
/// the start-up line (before the server polls it) still drains instead of
/// killing the process.
pub(crate) fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async move {
            match terminate {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! { () = ctrl_c => {}, () = terminate => {} }
        tracing::info!("shutting down: draining in-flight calls");
    }
}

/// Runs the binary; the value is the process exit code.
pub async fn run(cli: Cli) -> i32 {
    let mut settings = match Settings::from_cli(cli) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cloudlink-proxy: {e}");
            return 2;
        }
    };
    init_tracing(settings.log_format);
    #[cfg(feature = "sandbox")]
    if settings.sandbox_only {
        return crate::sandbox::run_alone(&settings, shutdown_signal()).await;
    }
    let secrets = match secrets_from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cloudlink-proxy: {e}");
            return 2;
        }
    };
    let (credentials, seeds) = match load_credentials(&mut settings).await {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let listener = match TcpListener::bind(settings.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cloudlink-proxy: cannot listen on {}: {e}", settings.listen);
            return 2;
        }
    };
    let addr = listener
        .local_addr()
        .map_or_else(|_| settings.listen.to_string(), |a| a.to_string());
    if !settings.web_dir.join("index.html").exists() {
        tracing::warn!(web_dir = %settings.web_dir.display(), "no index.html in the web dir: build the console with `cargo xtask serve`");
    }
    let mut state = AppState::new(settings, secrets.token, credentials);
    state.auth = crate::auth::Auth::with_session_secret(
        state.auth.token().to_owned(),
        secrets.session_key.as_deref(),
    );
    state.sandbox_seeds = seeds;
    // The login link goes to stderr, apart from the log writer: no log line,
    // in any format, carries it. It holds a one-use code, not the token.
    if secrets.generated {
        eprintln!(
            "cloudlink token: {} (generated for this run; set CLOUDLINK_TOKEN to keep one)",
            state.auth.token()
        );
    }
    let code = state.auth.issue_login_code(std::time::SystemTime::now());
    eprintln!(
        "cloudlink console: http://{addr}{}/login?code={code} (one use, valid {} minutes; then sign in with the token)",
        state.settings.base_path,
        crate::auth::LOGIN_CODE_LIFETIME.as_secs() / 60
    );
    let shutdown = shutdown_signal();
    tracing::info!(listen = %addr, sandbox = state.settings.sandbox, read_only = state.settings.read_only, "cloudlink-proxy started");
    let limits = state.settings.limits.clone();
    let metrics = state.metrics.clone();
    // One serving thread per core (the first is this one).
    let extra = std::thread::available_parallelism().map_or(0, |n| n.get().saturating_sub(1));
    state.clients = crate::client::Clients::build(&state.settings, extra + 1);
    let router = app(Arc::new(state));
    match serve_on_threads(listener, router, limits, metrics, shutdown, extra).await {
        Drained::Clean => tracing::info!("drained; bye"),
        Drained::Forced(open) => {
            tracing::warn!(
                open,
                "shutdown grace ran out; closing the remaining connections"
            );
        }
    }
    0
}

/// The credentials to sign with: the sandbox's fake keys under `--sandbox` (with what
/// `GET /api/sandbox` lists), else every real source. `Err` is the exit code.
async fn load_credentials(
    settings: &mut Settings,
) -> Result<
    (
        CredentialStore,
        Option<cloudlink_core::contract::SandboxSeeds>,
    ),
    i32,
> {
    #[cfg(feature = "sandbox")]
    if settings.sandbox {
        let (store, seeds) = crate::sandbox::start_in_process(settings).await?;
        return Ok((store, Some(seeds)));
    }
    #[cfg(not(feature = "sandbox"))]
    let _ = settings;
    let store = crate::credentials::load_all().await;
    report_credentials(&store);
    Ok((store, None))
}

/// The access token and the optional session key, from the environment.
struct Secrets {
    token: String,
    /// Whether the token was generated (no `CLOUDLINK_TOKEN`).
    generated: bool,
    session_key: Option<String>,
}

/// `CLOUDLINK_TOKEN` (at least 32 characters; unset or empty: a random one)
/// and `CLOUDLINK_SESSION_KEY` (at least 32 characters when set).
fn secrets_from_env() -> Result<Secrets, crate::auth::WeakSecret> {
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    let (token, generated) = match var("CLOUDLINK_TOKEN") {
        Some(t) => {
            crate::auth::check_secret("CLOUDLINK_TOKEN", &t)?;
            (t, false)
        }
        None => (crate::auth::random_hex(32), true),
    };
    let session_key = var("CLOUDLINK_SESSION_KEY");
    if let Some(k) = &session_key {
        crate::auth::check_secret("CLOUDLINK_SESSION_KEY", k)?;
    }
    Ok(Secrets {
        token,
        generated,
        session_key,
    })
}

fn report_credentials(store: &CredentialStore) {
    for (provider, profiles) in [
        ("aws", &store.aws),
        ("outscale", &store.outscale),
        ("oci", &store.oci),
    ] {
        for problem in &profiles.problems {
            tracing::warn!(provider, "{problem}");
        }
        if profiles.profiles.is_empty() {
            tracing::warn!(provider, "no credentials: {provider} shows as unconfigured");
        } else {
            let names: Vec<&str> = profiles.profiles.iter().map(|p| p.name.as_str()).collect();
            tracing::info!(provider, profiles = ?names, "credentials loaded");
        }
    }
}
