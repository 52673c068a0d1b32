//! Start-up: settings, logging, credentials or the sandbox, the listener, the
//! login URL, and a graceful shutdown that drains in-flight calls.

use std::net::SocketAddr;
use std::sync::Arc;

use cloudlink_core::Service;
use tokio::net::TcpListener;

use crate::config::{Cli, Settings};
use crate::credentials::CredentialStore;
use crate::sandbox::Sandbox;
use crate::{AppState, app};

/// Logs as one line per event; `RUST_LOG` filters (default `info`).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true)
        .try_init();
}

/// Starts the sandbox's fake cloud on a loopback port; returns its address.
pub async fn start_sandbox(sandbox: &Sandbox, listen: SocketAddr) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let router = sandbox.router();
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::error!("sandbox stopped: {e}");
        }
    });
    Ok(addr)
}

/// Points every service at the sandbox listening on `addr`.
pub fn sandbox_upstreams(settings: &mut Settings, addr: SocketAddr) {
    for service in Service::ALL {
        settings
            .upstreams
            .insert(service, format!("http://{addr}/{}", service.id()));
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down: draining in-flight calls");
}

/// Runs the binary; the value is the process exit code.
pub async fn run(cli: Cli) -> i32 {
    init_tracing();
    let mut settings = match Settings::from_cli(cli) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cloudlink-proxy: {e}");
            return 2;
        }
    };
    if settings.sandbox_only {
        let sandbox = Sandbox::new();
        return match TcpListener::bind(settings.listen).await {
            Ok(listener) => {
                let addr = listener
                    .local_addr()
                    .map(|a| a.to_string())
                    .unwrap_or_default();
                println!("cloudlink sandbox listening on http://{addr}");
                println!(
                    "{}",
                    serde_json::to_string_pretty(&sandbox.describe()).unwrap_or_default()
                );
                let served = axum::serve(listener, sandbox.router())
                    .with_graceful_shutdown(shutdown_signal())
                    .await;
                i32::from(served.is_err())
            }
            Err(e) => {
                eprintln!("cloudlink-proxy: cannot listen on {}: {e}", settings.listen);
                2
            }
        };
    }
    let (credentials, seeds) = if settings.sandbox {
        let sandbox = Sandbox::new();
        let addr = match start_sandbox(&sandbox, SocketAddr::from(([127, 0, 0, 1], 0))).await {
            Ok(a) => a,
            Err(e) => {
                eprintln!("cloudlink-proxy: cannot start the sandbox: {e}");
                return 1;
            }
        };
        sandbox_upstreams(&mut settings, addr);
        tracing::info!(sandbox = %addr, "sandbox cloud running; no real credentials are read");
        (sandbox.credentials(), Some(sandbox.seeds()))
    } else {
        let store = crate::credentials::load_all().await;
        report_credentials(&store);
        (store, None)
    };
    let (token, generated) = match std::env::var("CLOUDLINK_TOKEN") {
        Ok(t) if !t.is_empty() => (t, false),
        _ => (crate::auth::random_hex(24), true),
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
    let mut state = AppState::new(settings, token, credentials);
    state.sandbox_seeds = seeds;
    // The login URL goes to stdout only, never through the log pipeline.
    if generated {
        println!(
            "cloudlink console: http://{addr}{}/login?token={}",
            state.settings.base_path,
            state.auth.token()
        );
    } else {
        println!(
            "cloudlink console: http://{addr}{}/ (token from CLOUDLINK_TOKEN)",
            state.settings.base_path
        );
    }
    tracing::info!(listen = %addr, sandbox = state.settings.sandbox, read_only = state.settings.read_only, "cloudlink-proxy started");
    let served = axum::serve(listener, app(Arc::new(state)))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    match served {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("cloudlink-proxy: {e}");
            1
        }
    }
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
