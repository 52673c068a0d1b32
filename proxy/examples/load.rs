//! Load script: the proxy with its sandbox on loopback sockets, hammered by
//! concurrent clients through the full path (token, validation, SigV4
//! signing, forwarding, signature verification in the sandbox).
//!
//! `cargo run --release -p cloudlink-proxy --example load -- [CONCURRENCY] [SECONDS]`
//!
//! Prints requests per second and latency percentiles. A measurement, not a
//! test: nothing here asserts a time.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::sandbox::{
    Sandbox, Throttle, credential_store, sandbox_upstreams, start_sandbox,
};
use cloudlink_proxy::{AppState, app};

const TOKEN: &str = "load-token-0123456789abcdef";

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(16);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);

    let sandbox = Sandbox::new().with_throttle(Throttle {
        burst: 1_000_000,
        per_second: 1_000_000.0,
    });
    let sandbox_addr = start_sandbox(&sandbox, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let mut settings = Settings::from_cli(Cli::default()).unwrap();
    sandbox_upstreams(&mut settings, sandbox_addr);
    let state = Arc::new(AppState::new(
        settings,
        TOKEN.into(),
        credential_store(&sandbox.credentials()),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(state)).await.unwrap() });

    let client = reqwest::Client::new();
    let url = format!("http://{proxy_addr}/api/aws/directconnect/us-east-1/");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let client = client.clone();
        let url = url.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0u64;
            while Instant::now() < deadline {
                let start = Instant::now();
                let response = client
                    .post(&url)
                    .header("x-cloudlink-token", TOKEN)
                    .header("x-amz-target", "OvertureService.DescribeLocations")
                    .header("content-type", "application/x-amz-json-1.1")
                    .body("{}")
                    .send()
                    .await;
                match response {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        latencies.push(start.elapsed());
                    }
                    _ => failures += 1,
                }
            }
            (latencies, failures)
        }));
    }
    let mut all = Vec::new();
    let mut failures = 0;
    for w in workers {
        let (l, f) = w.await.unwrap();
        all.extend(l);
        failures += f;
    }
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "concurrency {concurrency}, {seconds} s: {} ok, {failures} failed, {:.0} req/s, p50 {:?}, p90 {:?}, p99 {:?}",
        all.len(),
        all.len() as f64 / seconds as f64,
        pct(0.50),
        pct(0.90),
        pct(0.99)
    );
}
