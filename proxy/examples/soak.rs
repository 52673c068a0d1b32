//! Soak and resource figures for the release build: `cargo xtask soak [MINUTES]`.
//!
//! Starts local fake upstreams (a fast DescribeConnections answer, one that
//! streams without end, one that hangs) and the `cloudlink-proxy` binary
//! pointed at them with static AWS credentials, then:
//! 1. measures RSS idle, the time to 504 on a hanging upstream, the time until
//!    a client that never finishes its headers is closed, and peak RSS while
//!    an upstream streams far more than the answer cap;
//! 2. holds 256 concurrent callers for MINUTES, sampling RSS every few seconds,
//!    and fails when RSS keeps growing (last third of the run more than 25%
//!    and 8 MiB above the first third's peak).
//!
//! Not part of CI (it takes minutes); the figures go into the closing notes.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "soak-token-0123456789abcdef0123456789abcdef";
const CONCURRENCY: usize = 256;

#[derive(Clone, Copy)]
enum Behaviour {
    Fast,
    Flood,
    Hang,
}

async fn read_head(stream: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return false,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            return true;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn upstream(behaviour: Behaviour) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                while read_head(&mut stream).await {
                    match behaviour {
                        Behaviour::Fast => {
                            let body = r#"{"connections":[{"connectionId":"dxcon-soak0001","connectionName":"soak","connectionState":"available","bandwidth":"1Gbps","location":"EqDC2","region":"us-east-1","ownerAccount":"123456789012"}]}"#;
                            let reply = format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: soak\r\ncontent-length: {}\r\n\r\n{body}",
                                body.len()
                            );
                            if stream.write_all(reply.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                        Behaviour::Flood => {
                            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                            if stream.write_all(head.as_bytes()).await.is_err() {
                                return;
                            }
                            let block = vec![b' '; 256 * 1024];
                            let mut chunk = format!("{:x}\r\n", block.len()).into_bytes();
                            chunk.extend_from_slice(&block);
                            chunk.extend_from_slice(b"\r\n");
                            // Up to 4 GiB: far beyond the 8 MiB cap.
                            for _ in 0..16_384 {
                                if stream.write_all(&chunk).await.is_err() {
                                    return;
                                }
                            }
                            return;
                        }
                        Behaviour::Hang => {
                            tokio::time::sleep(Duration::from_secs(3600)).await;
                        }
                    }
                }
            });
        }
    });
    addr
}

struct Proxy {
    child: Child,
    base: String,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_proxy(fast: SocketAddr, flood: SocketAddr, hang: SocketAddr) -> Proxy {
    let bin = std::env::var("CLOUDLINK_PROXY_BIN")
        .unwrap_or_else(|_| "target/release/cloudlink-proxy".to_owned());
    let home = std::env::temp_dir().join(format!("cloudlink-soak-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let config = home.join("soak.toml");
    std::fs::write(
        &config,
        "max-concurrent-calls = 512\nupstream-connections-per-host = 64\n",
    )
    .unwrap();
    let port = free_port();
    let child = Command::new(&bin)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--upstream", &format!("directconnect=http://{fast}")])
        .args(["--upstream", &format!("outposts=http://{flood}")])
        .args(["--upstream", &format!("directlink=http://{hang}")])
        .args(["--timeout", "10", "--web-dir", "/nonexistent"])
        .arg("--config")
        .arg(&config)
        .env("CLOUDLINK_TOKEN", TOKEN)
        .env("HOME", &home)
        .env("AWS_ACCESS_KEY_ID", "AKIASOAK000000000000")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "soakSecretKey/0123456789abcdefghijklmn",
        )
        .env("AWS_REGION", "us-east-1")
        .env("OSC_ACCESS_KEY", "SOAKOSCKEY0000000000")
        .env("OSC_SECRET_KEY", "soakOscSecret0123456789abcdefghijklmnop")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {bin}: {e} (build it with cargo build --release)")
        });
    let proxy = Proxy {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("{}/healthz", proxy.base))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return proxy;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the proxy did not start");
}

async fn describe(client: &reqwest::Client, base: &str) -> u16 {
    client
        .post(format!("{base}/api/aws/directconnect/us-east-1/"))
        .header("x-cloudlink-token", TOKEN)
        .header("x-amz-target", "OvertureService.DescribeConnections")
        .header("content-type", "application/x-amz-json-1.1")
        .body("{}")
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

#[tokio::main]
async fn main() {
    let minutes: f64 = std::env::args()
        .nth(1)
        .and_then(|m| m.parse().ok())
        .unwrap_or(2.0);
    let fast = upstream(Behaviour::Fast).await;
    let flood = upstream(Behaviour::Flood).await;
    let hang = upstream(Behaviour::Hang).await;
    let proxy = start_proxy(fast, flood, hang).await;
    let pid = proxy.child.id();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    let base = proxy.base.clone();

    // Warm up, then idle RSS.
    for _ in 0..50 {
        describe(&client, &base).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = rss_kib(pid);
    println!("RSS idle: {}", mib(idle));

    // A hanging upstream: time to 504.
    let started = Instant::now();
    let status = client
        .post(format!("{base}/api/outscale/directlink/eu-west-2/"))
        .header("x-cloudlink-token", TOKEN)
        .header("x-amz-target", "OvertureService.DescribeConnections")
        .header("content-type", "application/x-amz-json-1.1")
        .body("{}")
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0);
    println!(
        "hanging upstream: {status} after {:.2} s (--timeout 10)",
        started.elapsed().as_secs_f64()
    );

    // A client that never finishes its headers.
    let mut half = TcpStream::connect(base.trim_start_matches("http://"))
        .await
        .unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 256];
    let _ = tokio::time::timeout(Duration::from_secs(60), half.read(&mut buf)).await;
    println!(
        "half-open client closed after {:.2} s (header-read-timeout 10 s)",
        started.elapsed().as_secs_f64()
    );

    // An upstream streaming without end: peak RSS while four such calls run.
    let peak = Arc::new(AtomicU64::new(0));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let peak = peak.clone();
        let sampling = sampling.clone();
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let started = Instant::now();
    let floods: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            let base = base.clone();
            tokio::spawn(async move {
                client
                    .get(format!(
                        "{base}/api/aws/outposts/us-east-1/connections/soak1"
                    ))
                    .header("x-cloudlink-token", TOKEN)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for f in floods {
        statuses.push(f.await.unwrap());
    }
    sampling.store(false, Ordering::Relaxed);
    let _ = sampler.await;
    println!(
        "4 calls to an endless upstream answer: {statuses:?} after {:.2} s; peak RSS {}",
        started.elapsed().as_secs_f64(),
        mib(peak.load(Ordering::Relaxed))
    );

    // The soak: 256 concurrent callers for `minutes`.
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, base, stop, done, failed) = (
                client.clone(),
                base.clone(),
                stop.clone(),
                done.clone(),
                failed.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    if describe(&client, &base).await == 200 {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let run = Duration::from_secs_f64(minutes * 60.0);
    let started = Instant::now();
    let mut samples = Vec::new();
    while started.elapsed() < run {
        tokio::time::sleep(Duration::from_secs(5)).await;
        let rss = rss_kib(pid);
        samples.push(rss);
        println!(
            "{:>6.0} s  RSS {}  calls ok {}  failed {}",
            started.elapsed().as_secs_f64(),
            mib(rss),
            done.load(Ordering::Relaxed),
            failed.load(Ordering::Relaxed)
        );
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        let _ = w.await;
    }
    let third = (samples.len() / 3).max(1);
    let first_peak = samples[..third].iter().copied().max().unwrap_or(0);
    let last_peak = samples[samples.len() - third..]
        .iter()
        .copied()
        .max()
        .unwrap_or(0);
    let peak_load = samples.iter().copied().max().unwrap_or(0);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "RSS at {CONCURRENCY} concurrent calls: peak {}; first third {}, last third {}; {:.0} calls/s, {} failed",
        mib(peak_load),
        mib(first_peak),
        mib(last_peak),
        done.load(Ordering::Relaxed) as f64 / secs,
        failed.load(Ordering::Relaxed)
    );
    let grew = last_peak > first_peak + first_peak / 4 && last_peak > first_peak + 8 * 1024;
    if grew {
        eprintln!("soak: RSS grew over the run");
        std::process::exit(1);
    }
    if failed.load(Ordering::Relaxed) > 0 {
        eprintln!("soak: some calls failed");
        std::process::exit(1);
    }
    println!("soak: RSS stable");
}
