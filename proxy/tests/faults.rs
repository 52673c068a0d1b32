//! Fault and load tests on loopback: upstreams that hang, reset, throttle,
//! answer garbage, trickle or flood, and clients that never finish their
//! headers or hold idle connections. The proxy runs its real accept loop
//! (`server::serve`) so connection-level limits are exercised too. Every test
//! is bounded in count and time, and asserts an outcome; the time bounds are
//! generous upper limits, not speed claims.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cloudlink_core::Service;
use cloudlink_proxy::client::Clients;
use cloudlink_proxy::config::{Cli, Settings};
use cloudlink_proxy::credentials::{CredentialStore, Profile, ProfileSigner, ProviderProfiles};
use cloudlink_proxy::sandbox::{Sandbox, credential_store};
use cloudlink_proxy::server::{Drained, serve_on_threads};
use cloudlink_proxy::{AppState, app};
use cloudlink_signing::AwsCredentials;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "faults-token-0123456789abcdef0123456789abcdef";

/// How a fake upstream behaves on each connection.
#[derive(Debug, Clone, Copy)]
enum Upstream {
    /// Reads the request, never answers.
    Hang,
    /// Reads the request, then resets the connection.
    Reset,
    /// Answers with bytes that are not HTTP.
    Garbage,
    /// Sends headers promising 1000 bytes, then one byte every 300 ms.
    Trickle,
    /// Streams a chunked body without end.
    Flood,
    /// Declares a huge Content-Length.
    HugeLength,
    /// A normal 200 JSON answer after `delay` ms.
    Ok { delay_ms: u64 },
    /// `status` with an AWS error type / OCI code, then 200 on the next request.
    FailOnce {
        status: u16,
        code: &'static str,
        retry_after: bool,
    },
}

struct Fake {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

/// Reads one HTTP request (headers and Content-Length body); false on EOF.
async fn read_request(stream: &mut TcpStream) -> bool {
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

fn answer(status: u16, body: &str, extra: &str) -> String {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}\r\n{body}",
        body.len()
    )
}

async fn fake(behaviour: Upstream) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                while read_request(&mut stream).await {
                    let n = counter.fetch_add(1, Ordering::SeqCst);
                    match behaviour {
                        Upstream::Hang => {
                            tokio::time::sleep(Duration::from_secs(3600)).await;
                        }
                        Upstream::Reset => {
                            // Zero linger: closing sends RST, as a crashed peer would.
                            #[allow(deprecated)]
                            let _ = stream.set_linger(Some(Duration::ZERO));
                            return;
                        }
                        Upstream::Garbage => {
                            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.2\r\n\0\0\xff").await;
                            return;
                        }
                        Upstream::Trickle => {
                            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
                            if stream.write_all(head.as_bytes()).await.is_err() {
                                return;
                            }
                            loop {
                                tokio::time::sleep(Duration::from_millis(300)).await;
                                if stream.write_all(b" ").await.is_err() {
                                    return;
                                }
                            }
                        }
                        Upstream::Flood => {
                            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                            if stream.write_all(head.as_bytes()).await.is_err() {
                                return;
                            }
                            let block = vec![b' '; 64 * 1024];
                            let mut chunk = format!("{:x}\r\n", block.len()).into_bytes();
                            chunk.extend_from_slice(&block);
                            chunk.extend_from_slice(b"\r\n");
                            // At most 4 GiB, far beyond any cap; ends when the proxy hangs up.
                            for _ in 0..65_536 {
                                if stream.write_all(&chunk).await.is_err() {
                                    return;
                                }
                            }
                            return;
                        }
                        Upstream::HugeLength => {
                            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10000000000\r\n\r\n{";
                            let _ = stream.write_all(head.as_bytes()).await;
                            tokio::time::sleep(Duration::from_secs(3600)).await;
                        }
                        Upstream::Ok { delay_ms } => {
                            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
                            let reply = answer(200, r#"{"connections":[],"items":[]}"#, "");
                            if stream.write_all(reply.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                        Upstream::FailOnce {
                            status,
                            code,
                            retry_after,
                        } => {
                            let reply = if n == 0 {
                                let body = format!(
                                    r#"{{"__type":"{code}","code":"{code}","message":"slow down"}}"#
                                );
                                let mut extra = format!("x-amzn-errortype: {code}\r\n");
                                if retry_after {
                                    extra.push_str("retry-after: 1\r\n");
                                }
                                answer(status, &body, &extra)
                            } else {
                                answer(200, r#"{"connections":[],"items":[]}"#, "")
                            };
                            if stream.write_all(reply.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                    }
                }
            });
        }
    });
    Fake { addr, requests }
}

fn store() -> CredentialStore {
    let creds = AwsCredentials {
        access_key_id: "AKIAFAULTS0123456789".into(),
        secret_access_key: "faultsSecretKey/AbCdEf0123456789xyz".into(),
        session_token: None,
    };
    let aws = ProviderProfiles {
        profiles: vec![Profile {
            name: "default".into(),
            region: None,
            signer: ProfileSigner::Static(creds),
        }],
        problems: vec![],
    };
    CredentialStore {
        aws: aws.clone(),
        outscale: aws,
        oci: credential_store(&Sandbox::new().credentials()).oci,
    }
}

/// The proxy, serving on loopback with its real accept loop.
struct Proxy {
    base: String,
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<Drained>,
}

impl Proxy {
    async fn start(
        upstreams: &[(Service, SocketAddr)],
        tune: impl FnOnce(&mut Settings),
        credentials: CredentialStore,
    ) -> Proxy {
        Proxy::start_on_threads(upstreams, tune, credentials, 0).await
    }

    /// [`Proxy::start`] serving on `extra` more threads (`serve_on_threads`), with a client
    /// per thread as the binary has.
    async fn start_on_threads(
        upstreams: &[(Service, SocketAddr)],
        tune: impl FnOnce(&mut Settings),
        credentials: CredentialStore,
        extra: usize,
    ) -> Proxy {
        let mut settings = Settings::from_cli(Cli::default()).unwrap();
        settings.timeout = Duration::from_secs(2);
        settings.connect_timeout = Duration::from_secs(1);
        for (service, addr) in upstreams {
            settings
                .upstreams
                .insert(*service, format!("http://{addr}/{}", service.id()));
        }
        tune(&mut settings);
        let limits = settings.limits.clone();
        let mut state = AppState::new(settings, TOKEN.into(), credentials);
        state.clients = Clients::build(&state.settings, extra + 1);
        let metrics = state.metrics.clone();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let done = tokio::spawn(serve_on_threads(
            listener,
            app(Arc::new(state)),
            limits,
            metrics,
            async move {
                let _ = rx.await;
            },
            extra,
        ));
        Proxy {
            base: format!("http://{addr}"),
            addr,
            stop: Some(tx),
            done,
        }
    }

    async fn stop(mut self) -> Drained {
        let _ = self.stop.take().unwrap().send(());
        self.done.await.unwrap()
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .no_proxy()
        .build()
        .unwrap()
}

async fn dx(proxy: &Proxy, target: &str, body: &str) -> (u16, String, reqwest::header::HeaderMap) {
    let response = client()
        .post(format!("{}/api/aws/directconnect/us-east-1/", proxy.base))
        .header("x-cloudlink-token", TOKEN)
        .header("x-amz-target", format!("OvertureService.{target}"))
        .header("content-type", "application/x-amz-json-1.1")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, response.text().await.unwrap(), headers)
}

async fn get(proxy: &Proxy, path: &str) -> (u16, String, reqwest::header::HeaderMap) {
    let response = client()
        .get(format!("{}{path}", proxy.base))
        .header("x-cloudlink-token", TOKEN)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, response.text().await.unwrap(), headers)
}

/// Waits until the proxy reports `n` API calls in flight (at most 20 s), so a
/// test acts on a known state rather than on a guess of how long things take.
async fn wait_in_flight(proxy: &Proxy, n: u32) {
    let want = format!("cloudlink_in_flight_calls {n}\n");
    for _ in 0..400 {
        let (_, metrics, _) = get(proxy, "/metrics").await;
        if metrics.contains(&want) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never {n} calls in flight");
}

const CREATE: &str = r#"{"location":"EqDC2","bandwidth":"1Gbps","connectionName":"faults"}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_upstream_ends_in_504_in_time_and_others_are_served() {
    let hang = fake(Upstream::Hang).await;
    let ok = fake(Upstream::Ok { delay_ms: 0 }).await;
    let proxy = Proxy::start(
        &[
            (Service::DirectConnect, hang.addr),
            (Service::Outposts, ok.addr),
        ],
        |s| s.timeout = Duration::from_secs(5),
        store(),
    )
    .await;
    let started = Instant::now();
    let slow = tokio::spawn({
        let base = proxy.base.clone();
        async move {
            let p = Proxy::shadow(&base);
            dx(&p, "DescribeConnections", "{}").await
        }
    });
    // While the call hangs, health and other services answer at once.
    wait_in_flight(&proxy, 1).await;
    let t = Instant::now();
    let (status, _, _) = get(&proxy, "/healthz").await;
    assert_eq!(status, 200);
    let (status, body, _) = get(&proxy, "/api/aws/outposts/us-east-1/connections/abc123").await;
    assert_eq!(status, 200, "{body}");
    let (_, metrics, _) = get(&proxy, "/metrics").await;
    assert!(
        metrics.contains("cloudlink_in_flight_calls 1\n"),
        "answered while the hanging call was still in flight: {metrics}"
    );
    assert!(
        t.elapsed() < Duration::from_secs(4),
        "other calls are not held up"
    );
    let (status, body, headers) = slow.await.unwrap();
    let took = started.elapsed();
    assert_eq!(status, 504, "{body}");
    assert_eq!(headers["x-amzn-errortype"], "DirectConnectClientException");
    assert!(
        took >= Duration::from_millis(4900),
        "ended at the timeout, not before: {took:?}"
    );
    assert!(
        took < Duration::from_secs(11),
        "504 within the timeout: {took:?}"
    );
    assert_eq!(proxy.stop().await, Drained::Clean);
}

impl Proxy {
    /// A handle on a proxy for requests only (no lifecycle).
    fn shadow(base: &str) -> Proxy {
        Proxy {
            base: base.to_owned(),
            addr: base.trim_start_matches("http://").parse().unwrap(),
            stop: None,
            done: tokio::spawn(async { Drained::Clean }),
        }
    }
}

#[tokio::test]
async fn a_reset_is_a_502_and_a_create_is_sent_exactly_once() {
    let reset = fake(Upstream::Reset).await;
    let proxy = Proxy::start(&[(Service::DirectConnect, reset.addr)], |_| {}, store()).await;
    let (status, body, _) = dx(&proxy, "CreateConnection", CREATE).await;
    assert_eq!(status, 502, "{body}");
    assert!(body.contains("upstream"), "{body}");
    assert_eq!(
        reset.requests.load(Ordering::SeqCst),
        1,
        "a create is never repeated"
    );
}

#[tokio::test]
async fn server_errors_are_retried_for_reads_with_a_bound_and_never_for_writes() {
    let flaky = fake(Upstream::FailOnce {
        status: 500,
        code: "DirectConnectServerException",
        retry_after: false,
    })
    .await;
    let proxy = Proxy::start(&[(Service::DirectConnect, flaky.addr)], |_| {}, store()).await;
    let (status, body, _) = dx(&proxy, "DescribeConnections", "{}").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(flaky.requests.load(Ordering::SeqCst), 2);

    let flaky = fake(Upstream::FailOnce {
        status: 500,
        code: "DirectConnectServerException",
        retry_after: false,
    })
    .await;
    let proxy = Proxy::start(&[(Service::DirectConnect, flaky.addr)], |_| {}, store()).await;
    let (status, _, _) = dx(&proxy, "CreateConnection", CREATE).await;
    assert_eq!(status, 500, "a write's failure is passed on");
    assert_eq!(flaky.requests.load(Ordering::SeqCst), 1);

    // Always failing: at most three attempts.
    let down = fake(Upstream::Reset).await;
    let proxy = Proxy::start(&[(Service::DirectConnect, down.addr)], |_| {}, store()).await;
    let (status, _, _) = dx(&proxy, "DescribeConnections", "{}").await;
    assert_eq!(status, 502);
    assert!(down.requests.load(Ordering::SeqCst) <= 3);
}

#[tokio::test]
async fn throttling_is_recognised_for_all_four_providers_and_retry_after_honoured() {
    let cases = [
        (Service::DirectConnect, 400, "ThrottlingException"),
        (Service::DirectLink, 503, "RequestLimitExceeded"),
        (Service::DirectLink, 400, "Throttling"),
        (Service::Outposts, 429, "ThrottlingException"),
        (Service::OciCore, 429, "TooManyRequests"),
    ];
    for (service, status, code) in cases {
        let upstream = fake(Upstream::FailOnce {
            status,
            code,
            retry_after: true,
        })
        .await;
        let proxy = Proxy::start(
            &[(service, upstream.addr)],
            |s| s.timeout = Duration::from_secs(10),
            store(),
        )
        .await;
        let started = Instant::now();
        let (got, body, _) = match service {
            Service::DirectConnect => dx(&proxy, "DescribeConnections", "{}").await,
            Service::DirectLink => {
                let response = client()
                    .post(format!("{}/api/outscale/directlink/eu-west-2/", proxy.base))
                    .header("x-cloudlink-token", TOKEN)
                    .header("x-amz-target", "OvertureService.DescribeConnections")
                    .header("content-type", "application/x-amz-json-1.1")
                    .body("{}")
                    .send()
                    .await
                    .unwrap();
                let s = response.status().as_u16();
                let h = response.headers().clone();
                (s, response.text().await.unwrap(), h)
            }
            Service::Outposts => get(&proxy, "/api/aws/outposts/us-east-1/connections/abc").await,
            Service::OciCore => {
                get(
                    &proxy,
                    "/api/oci/core/us-ashburn-1/20160918/instanceConsoleConnections?compartmentId=ocid1.compartment.oc1..aaaaaaaa",
                )
                .await
            }
        };
        assert_eq!(got, 200, "{service:?} {code}: {body}");
        assert_eq!(
            upstream.requests.load(Ordering::SeqCst),
            2,
            "{service:?} {code}"
        );
        assert!(
            started.elapsed() >= Duration::from_millis(900),
            "{service:?}: Retry-After: 1 was waited for"
        );
    }
}

#[tokio::test]
async fn a_non_http_answer_is_a_502() {
    let garbage = fake(Upstream::Garbage).await;
    let proxy = Proxy::start(&[(Service::DirectConnect, garbage.addr)], |_| {}, store()).await;
    let (status, body, _) = dx(&proxy, "CreateConnection", CREATE).await;
    assert_eq!(status, 502, "{body}");
}

#[tokio::test]
async fn a_trickling_answer_ends_in_504_in_time() {
    let trickle = fake(Upstream::Trickle).await;
    let proxy = Proxy::start(&[(Service::DirectConnect, trickle.addr)], |_| {}, store()).await;
    let started = Instant::now();
    let (status, body, _) = dx(&proxy, "CreateConnection", CREATE).await;
    assert_eq!(status, 504, "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_oversized_answer_is_cut_off_with_a_502_naming_the_limit() {
    let flood = fake(Upstream::Flood).await;
    let proxy = Proxy::start(
        &[(Service::DirectConnect, flood.addr)],
        |s| {
            s.limits.max_answer_bytes = 1024 * 1024;
            s.timeout = Duration::from_secs(20);
        },
        store(),
    )
    .await;
    let started = Instant::now();
    let (status, body, _) = dx(&proxy, "CreateConnection", CREATE).await;
    assert_eq!(status, 502, "{body}");
    assert!(body.contains("1 MiB"), "names the limit: {body}");
    assert!(
        body.contains("max-answer-bytes"),
        "names the setting: {body}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "cut off at the cap, not at the timeout"
    );

    let huge = fake(Upstream::HugeLength).await;
    let proxy = Proxy::start(&[(Service::DirectConnect, huge.addr)], |_| {}, store()).await;
    let (status, body, _) = dx(&proxy, "CreateConnection", CREATE).await;
    assert_eq!(
        status, 502,
        "a declared length over the cap is refused: {body}"
    );
    assert!(body.contains("8 MiB"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_closed_while_others_are_served() {
    let proxy = Proxy::start(
        &[],
        |s| s.limits.header_read_timeout = Duration::from_secs(1),
        store(),
    )
    .await;
    let mut slow = TcpStream::connect(proxy.addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (status, _, _) = get(&proxy, "/healthz").await;
    assert_eq!(status, 200, "served while the slow client waits");
    let mut buf = [0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(10), slow.read(&mut buf))
        .await
        .expect("the server hung up");
    // Closed: EOF, a reset, or a 408 before closing.
    match read {
        Ok(0) | Err(_) => {}
        Ok(n) => assert!(
            String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"),
            "{:?}",
            String::from_utf8_lossy(&buf[..n])
        ),
    }
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(800),
        "not before the timeout: {took:?}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_idle_connections_do_not_stop_service() {
    let proxy = Proxy::start(
        &[],
        |s| {
            s.limits.max_connections = 32;
            s.limits.header_read_timeout = Duration::from_secs(1);
        },
        store(),
    )
    .await;
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(TcpStream::connect(proxy.addr).await.unwrap());
    }
    // Over the cap, new connections wait in the backlog until idle ones are
    // closed by the header timeout; then they are served.
    let started = Instant::now();
    let answered = tokio::time::timeout(Duration::from_secs(20), get(&proxy, "/healthz")).await;
    let (status, _, _) = answered.expect("served despite 100 idle connections");
    assert_eq!(status, 200);
    assert!(started.elapsed() < Duration::from_secs(20));
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_concurrency_cap_calls_get_503_and_service_recovers() {
    let slow = fake(Upstream::Ok { delay_ms: 1500 }).await;
    let proxy = Proxy::start(
        &[(Service::DirectConnect, slow.addr)],
        |s| s.limits.max_concurrent_calls = 2,
        store(),
    )
    .await;
    let base = proxy.base.clone();
    let first: Vec<_> = (0..2)
        .map(|_| {
            let base = base.clone();
            tokio::spawn(
                async move { dx(&Proxy::shadow(&base), "DescribeConnections", "{}").await },
            )
        })
        .collect();
    wait_in_flight(&proxy, 2).await;
    let (status, body, headers) = dx(&proxy, "DescribeConnections", "{}").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["retry-after"], "1");
    assert_eq!(headers["x-amzn-errortype"], "DirectConnectServerException");
    assert!(body.contains("max-concurrent-calls"), "{body}");
    // Static files and health are not behind the cap.
    let (status, _, _) = get(&proxy, "/healthz").await;
    assert_eq!(status, 200);
    for call in first {
        assert_eq!(call.await.unwrap().0, 200);
    }
    let (status, _, _) = dx(&proxy, "DescribeConnections", "{}").await;
    assert_eq!(status, 200, "recovered once calls finished");
    let (_, metrics, _) = get(&proxy, "/metrics").await;
    assert!(
        metrics.contains(r#"cloudlink_refusals_total{reason="limits"} 1"#),
        "{metrics}"
    );
}

/// The binary serves on a runtime per core: connections handed to the other threads are
/// answered, and the drain waits for their calls too.
#[tokio::test]
async fn connections_on_every_serving_thread_are_answered_and_drained() {
    let slow = fake(Upstream::Ok { delay_ms: 500 }).await;
    let proxy =
        Proxy::start_on_threads(&[(Service::DirectConnect, slow.addr)], |_| {}, store(), 2).await;
    let base = proxy.base.clone();
    // Six connections, handed out in turn to the three threads.
    let calls: Vec<_> = (0..6)
        .map(|_| {
            let base = base.clone();
            tokio::spawn(
                async move { dx(&Proxy::shadow(&base), "DescribeConnections", "{}").await },
            )
        })
        .collect();
    wait_in_flight(&proxy, 6).await;
    assert_eq!(proxy.stop().await, Drained::Clean);
    for call in calls {
        let (status, body, _) = call.await.unwrap();
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(slow.requests.load(Ordering::SeqCst), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_drains_calls_in_flight_within_the_grace() {
    let slow = fake(Upstream::Ok { delay_ms: 1500 }).await;
    let proxy = Proxy::start(&[(Service::DirectConnect, slow.addr)], |_| {}, store()).await;
    let base = proxy.base.clone();
    let call =
        tokio::spawn(async move { dx(&Proxy::shadow(&base), "DescribeConnections", "{}").await });
    wait_in_flight(&proxy, 1).await;
    let drained = proxy.stop().await;
    assert_eq!(call.await.unwrap().0, 200, "the call in flight finished");
    assert_eq!(drained, Drained::Clean);

    // A call longer than the grace does not hold shutdown.
    let hang = fake(Upstream::Hang).await;
    let proxy = Proxy::start(
        &[(Service::DirectConnect, hang.addr)],
        |s| {
            s.timeout = Duration::from_secs(30);
            s.limits.shutdown_grace = Duration::from_millis(500);
        },
        store(),
    )
    .await;
    let base = proxy.base.clone();
    let _call =
        tokio::spawn(async move { dx(&Proxy::shadow(&base), "DescribeConnections", "{}").await });
    wait_in_flight(&proxy, 1).await;
    let started = Instant::now();
    let drained = proxy.stop().await;
    assert_eq!(drained, Drained::Forced(1));
    assert!(started.elapsed() < Duration::from_secs(3));
}
