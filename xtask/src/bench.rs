//! `cargo xtask bench`: the performance figures of issue 12, side by side and in one run, so a
//! change is judged against nginx, botocore, openssl and its own past on the same machine at
//! the same moment rather than against figures from another day.
//!
//! It builds the release proxy and the console, starts a fixed local upstream
//! (`proxy/examples/bench_upstream.rs`), nginx and cloudlink-proxy itself, drives them with
//! wrk (`tests/bench/describe.lua`), reads criterion's JSON, times botocore and
//! `openssl speed`, measures the console in headless Chromium
//! (`tests/bench/console_load.mjs`), prints the tables and writes `docs/BENCHMARKS.md`.
//! Every process it starts is stopped when it returns, whatever happened. Not part of CI:
//! it takes minutes and its figures depend on the machine.
//!
//! `cargo xtask bench --only proxy` runs only the throughput part (upstream, nginx,
//! cloudlink-proxy, RSS) and prints its table without touching `docs/BENCHMARKS.md`: the
//! quick loop for judging one change of the proxy's forwarding path.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use crate::error::Error;
use crate::run::{Ctx, step};
use crate::setup::{self, Tool};

/// Connections of the throughput runs, and of the peak-memory run.
const CONNECTIONS: u32 = 32;
const PEAK_CONNECTIONS: u32 = 256;
/// Seconds of each throughput run, and of the peak-memory run.
const SECONDS: u32 = 10;
const PEAK_SECONDS: u32 = 5;
/// Cold and warm console loads, each; the median is reported.
const LOAD_RUNS: usize = 7;
const WRK: &str = "/usr/bin/wrk";
const NGINX: &str = "/usr/sbin/nginx";
const CHROMIUM: &str = "/usr/bin/chromium";
const LUA: &str = "tests/bench/describe.lua";
const BOTOCORE: &str = "tests/bench/botocore_sigv4.py";
const CONSOLE_LOAD: &str = "tests/bench/console_load.mjs";
const REPORT: &str = "docs/BENCHMARKS.md";
const TOKEN: &str = "bench-token-0123456789abcdef0123456789abcdef";
/// The criterion benches whose figures head the signing table (proxy/benches/pipeline.rs):
/// the SigV4 one signs the very request `tests/bench/botocore_sigv4.py` signs.
const SIGV4_BENCH: &str = "sigv4: sign a Direct Connect call";
const OCI_BENCH: &str = "oci: sign a console connection create (RSA-2048)";
const PARSE_BENCH: &str = "core: parse + validate CreatePrivateVirtualInterface";
/// The ids of `proxy/benches/parse.rs`: this prefix, the service id and the operation.
const PARSE_PREFIX: &str = "core parse + validate:";
/// Short criterion runs: the whole bench must fit in a few minutes on two cores.
const CRITERION_ARGS: &[&str] = &["--warm-up-time", "1", "--measurement-time", "3"];

/// What `cargo xtask bench` was asked to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Only {
    /// Everything, and docs/BENCHMARKS.md rewritten.
    All,
    /// `--only proxy`: the upstream / nginx / cloudlink-proxy throughput runs and their table
    /// only; no console build, no criterion, no Chromium, docs/BENCHMARKS.md left alone.
    Proxy,
}

fn parse_args(args: &[String]) -> Result<Only, Error> {
    match args {
        [] => Ok(Only::All),
        [flag, what] if flag == "--only" && what == "proxy" => Ok(Only::Proxy),
        _ => Err(Error::Unexpected(format!(
            "bench: unknown arguments {args:?}; the only option is `--only proxy`"
        ))),
    }
}

pub fn bench(ctx: &Ctx, args: &[String]) -> Result<(), Error> {
    match parse_args(args)? {
        Only::All => bench_all(ctx),
        Only::Proxy => bench_proxy(ctx),
    }
}

/// `--only proxy`: the throughput table in about a minute, to judge a change of the proxy.
fn bench_proxy(ctx: &Ctx) -> Result<(), Error> {
    setup::setup(ctx, &[Tool::ReverseProxies])?;
    step("setup: wrk", || install_wrk(ctx))?;
    build_proxy(ctx)?;
    let scratch = Scratch::new()?;
    let upstream = step("start the bench upstream", || start_upstream(ctx))?;
    let (throughput, proxy) = throughput(ctx, &scratch, &upstream)?;
    drop(proxy);
    drop(upstream);
    println!("\n{}", throughput.table().text());
    Ok(())
}

fn build_proxy(ctx: &Ctx) -> Result<(), Error> {
    step("cargo build --release proxy + bench upstream", || {
        ctx.run(ctx.cargo().args([
            "build",
            "--release",
            "-p",
            crate::PROXY,
            "--bin",
            crate::PROXY,
            "--example",
            "bench_upstream",
        ]))
    })
}

/// The wrk runs straight to `upstream`, through nginx and through cloudlink-proxy (whose
/// server is handed back still running, for the console runs), with the proxy's RSS.
fn throughput(
    ctx: &Ctx,
    scratch: &Scratch,
    upstream: &Server,
) -> Result<(Throughput, Server), Error> {
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let direct = step("wrk: straight to the upstream", || {
        wrk(ctx, upstream.addr, CONNECTIONS, SECONDS)
    })?;
    let nginx = step("wrk: through nginx", || {
        let nginx = start_nginx(ctx, scratch, upstream.addr)?;
        wrk(ctx, nginx.addr, CONNECTIONS, SECONDS)
    })?;
    let proxy = step("start cloudlink-proxy", || {
        start_proxy(ctx, scratch, upstream.addr)
    })?;
    let idle_kib = proxy_status(proxy.pid(), "VmRSS")?;
    let through = step("wrk: through cloudlink-proxy", || {
        wrk(ctx, proxy.addr, CONNECTIONS, SECONDS)
    })?;
    let peak_run = step("wrk: cloudlink-proxy at 256 connections", || {
        wrk(ctx, proxy.addr, PEAK_CONNECTIONS, PEAK_SECONDS)
    })?;
    let peak_kib = proxy_status(proxy.pid(), "VmHWM")?;
    let loadavg: Vec<&str> = loadavg.split_whitespace().take(3).collect();
    let figures = Throughput {
        direct,
        nginx,
        through,
        peak_run,
        idle_kib,
        peak_kib,
        loadavg: loadavg.join(" "),
    };
    Ok((figures, proxy))
}

fn bench_all(ctx: &Ctx) -> Result<(), Error> {
    let started = SystemTime::now();
    setup::setup(ctx, Tool::ALL)?;
    step("setup: wrk", || install_wrk(ctx))?;
    build_proxy(ctx)?;
    crate::build_console(ctx)?;
    let scratch = Scratch::new()?;
    let upstream = step("start the bench upstream", || start_upstream(ctx))?;
    let (throughput, proxy) = throughput(ctx, &scratch, &upstream)?;
    let load = step("console load in headless Chromium", || {
        console_load(ctx, proxy.addr)
    })?;
    drop(proxy);
    drop(upstream);
    let sizes = step("console sizes (raw, gzip, brotli)", || {
        console_sizes(&ctx.root.join("dist"))
    })?;
    let criterion = step("criterion benches", || criterion(ctx, started))?;
    let botocore = step("botocore SigV4", || botocore_us(ctx))?;
    let openssl = step("openssl speed rsa2048", || openssl_us(ctx))?;
    let mut machine = machine(ctx);
    machine.push((
        "load average (1, 5, 15 min) before the wrk runs",
        throughput.loadavg.clone(),
    ));
    let figures = Figures {
        throughput,
        criterion,
        botocore_us: botocore,
        openssl_us: openssl,
        sizes,
        load,
    };
    let tables = figures.tables();
    for table in &tables {
        println!("\n{}", table.text());
    }
    let doc = report(&machine, &tables, &figures.criterion);
    let path = ctx.root.join(REPORT);
    std::fs::write(&path, doc).map_err(|source| Error::Io { path, source })?;
    println!("\nwrote {REPORT}");
    Ok(())
}

/// Debian's wrk, installed as root when missing.
fn install_wrk(ctx: &Ctx) -> Result<(), Error> {
    if Path::new(WRK).exists() {
        println!("    present: {WRK}");
        return Ok(());
    }
    let root = ctx
        .stdout(ctx.command("id").arg("-u"))
        .is_some_and(|uid| uid.trim() == "0");
    if !root {
        return Err(Error::Missing(format!(
            "{WRK}; as root run: apt-get update && apt-get install -y wrk"
        )));
    }
    ctx.run(ctx.command("apt-get").arg("update"))?;
    ctx.run(
        ctx.command("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "wrk"]),
    )?;
    println!("    installed: wrk");
    Ok(())
}

/// A temporary directory for configs and logs, removed at the end.
#[derive(Debug)]
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, Error> {
        let dir = std::env::temp_dir().join(format!("cloudlink-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(Scratch(dir))
    }

    fn write(&self, name: &str, text: &str) -> Result<PathBuf, Error> {
        let path = self.0.join(name);
        std::fs::write(&path, text).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }

    fn file(&self, name: &str) -> Result<std::fs::File, Error> {
        let path = self.0.join(name);
        std::fs::File::create(&path).map_err(|source| Error::Io { path, source })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A process this bench started, listening on `addr`; killed when dropped.
#[derive(Debug)]
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    /// SIGTERM first (nginx's master then stops its workers; SIGKILL would leave them
    /// running), SIGKILL after 5 s.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(cmd: &mut Command) -> Result<Child, Error> {
    cmd.stdin(Stdio::null())
        .spawn()
        .map_err(|source| Error::Spawn {
            program: cmd.get_program().to_string_lossy().into_owned(),
            source,
        })
}

fn free_addr() -> Result<SocketAddr, Error> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| Error::Unexpected(format!("no free loopback port: {e}")))
}

fn start_upstream(ctx: &Ctx) -> Result<Server, Error> {
    let bin = ctx.root.join("target/release/examples/bench_upstream");
    let mut child = spawn(ctx.command(&bin).arg("0").stdout(Stdio::piped()))?;
    let mut line = String::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut line);
    }
    let addr = line
        .trim()
        .strip_prefix("listening ")
        .and_then(|a| a.parse().ok());
    match addr {
        Some(addr) => Ok(Server { child, addr }),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            Err(Error::Unexpected(format!(
                "the bench upstream printed {line:?}, not its address"
            )))
        }
    }
}

/// nginx as a plain reverse proxy to the upstream: two workers (one per core here), kept-alive
/// upstream connections, no access log, nothing else.
fn nginx_config(dir: &Path, listen: SocketAddr, upstream: SocketAddr) -> String {
    let dir = dir.display();
    format!(
        "worker_processes auto;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream bench {{
        server {upstream};
        keepalive 32;
    }}
    server {{
        listen {listen};
        location / {{
            proxy_pass http://bench;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
        }}
    }}
}}
"
    )
}

fn start_nginx(ctx: &Ctx, scratch: &Scratch, upstream: SocketAddr) -> Result<Server, Error> {
    let addr = free_addr()?;
    let config = scratch.write("nginx.conf", &nginx_config(&scratch.0, addr, upstream))?;
    let child = spawn(
        ctx.command(NGINX)
            .arg("-e")
            .arg(scratch.0.join("nginx-error.log"))
            .arg("-p")
            .arg(&scratch.0)
            .arg("-c")
            .arg(&config),
    )?;
    let server = Server { child, addr };
    wait_until_answers(&server, "/", "nginx")?;
    Ok(server)
}

/// The release proxy with a real token, static fake AWS credentials and the bench upstream as
/// Direct Connect; `max-concurrent-calls` raised so the 256-connection run is not answered 503.
fn start_proxy(ctx: &Ctx, scratch: &Scratch, upstream: SocketAddr) -> Result<Server, Error> {
    let addr = free_addr()?;
    let config = scratch.write("proxy.toml", "max-concurrent-calls = 512\n")?;
    let log = scratch.file("proxy.log")?;
    let log_err = log
        .try_clone()
        .map_err(|e| Error::Unexpected(format!("proxy log: {e}")))?;
    let child = spawn(
        ctx.command(ctx.root.join("target/release").join(crate::PROXY))
            .arg("--listen")
            .arg(addr.to_string())
            .arg("--upstream")
            .arg(format!("directconnect=http://{upstream}"))
            .arg("--web-dir")
            .arg(ctx.root.join("dist"))
            .arg("--config")
            .arg(&config)
            .env("CLOUDLINK_TOKEN", TOKEN)
            .env("HOME", &scratch.0)
            .env("AWS_ACCESS_KEY_ID", "AKIABENCH00000000000")
            .env(
                "AWS_SECRET_ACCESS_KEY",
                "benchSecretKey/0123456789abcdefghijklmn",
            )
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdout(log)
            .stderr(log_err),
    )?;
    let server = Server { child, addr };
    wait_until_answers(&server, "/healthz", "cloudlink-proxy")?;
    let status = describe_status(server.addr)?;
    if status != 200 {
        return Err(Error::Unexpected(format!(
            "DescribeConnections through cloudlink-proxy answered {status}, not 200 (log: {})",
            scratch.0.join("proxy.log").display()
        )));
    }
    Ok(server)
}

/// Polls `GET path` until the server answers at all (any status), for up to 10 s.
fn wait_until_answers(server: &Server, path: &str, what: &str) -> Result<(), Error> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let request = format!("GET {path} HTTP/1.1\r\nhost: bench\r\nconnection: close\r\n\r\n");
        if http_status(server.addr, &request).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(Error::Unexpected(format!(
        "{what} did not answer on {} within 10 s",
        server.addr
    )))
}

fn describe_status(addr: SocketAddr) -> Result<u16, Error> {
    let request = format!(
        "POST /api/aws/directconnect/us-east-1/ HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\
         x-cloudlink-token: {TOKEN}\r\nx-amz-target: OvertureService.DescribeConnections\r\n\
         content-type: application/x-amz-json-1.1\r\ncontent-length: 2\r\n\r\n{{}}"
    );
    http_status(addr, &request).map_err(|e| Error::Unexpected(format!("{addr}: {e}")))
}

/// Sends one HTTP/1.1 request (with `connection: close`) and returns the answer's status.
fn http_status(addr: SocketAddr, request: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(request.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    String::from_utf8_lossy(&answer)
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("not an HTTP answer"))
}

/// One wrk run's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Load {
    requests_per_second: f64,
    p50_us: f64,
    p99_us: f64,
}

/// wrk with two threads (one per core), `connections` connections for `seconds`.
fn wrk(ctx: &Ctx, addr: SocketAddr, connections: u32, seconds: u32) -> Result<Load, Error> {
    let mut cmd = ctx.command(WRK);
    cmd.args(["-t2", "--timeout", "5s"])
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        .args(["-s", LUA])
        .arg(format!("http://{addr}/api/aws/directconnect/us-east-1/"))
        .env("CLOUDLINK_TOKEN", TOKEN);
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|source| Error::Spawn {
            program: WRK.to_owned(),
            source,
        })?;
    let text = String::from_utf8_lossy(&out.stdout);
    parse_wrk(&text).map_err(|e| Error::Unexpected(format!("wrk against {addr}: {e}")))
}

/// The `BENCH {json}` line `describe.lua` prints; any failed request makes the run invalid.
fn parse_wrk(output: &str) -> Result<Load, String> {
    let json = bench_line(output)?;
    let field = |name: &str| {
        json.get(name)
            .and_then(Value::as_f64)
            .ok_or_else(|| format!("no {name} in wrk's summary"))
    };
    let requests = field("requests")?;
    let errors = field("errors")? + field("status_errors")?;
    if requests == 0.0 {
        return Err("no request completed".to_owned());
    }
    if errors > 0.0 {
        return Err(format!(
            "{errors} of {requests} requests failed or were not answered 2xx"
        ));
    }
    Ok(Load {
        requests_per_second: requests / (field("duration_us")? / 1e6),
        p50_us: field("p50_us")?,
        p99_us: field("p99_us")?,
    })
}

/// The JSON after `BENCH ` on a line of a helper script's output.
fn bench_line(output: &str) -> Result<Value, String> {
    let line = output
        .lines()
        .find_map(|line| line.strip_prefix("BENCH "))
        .ok_or_else(|| format!("no BENCH line in {output:?}"))?;
    serde_json::from_str(line).map_err(|e| format!("BENCH line is not JSON: {e}"))
}

/// A `kB` field of /proc/PID/status.
fn proxy_status(pid: u32, field: &str) -> Result<u64, Error> {
    let path = PathBuf::from(format!("/proc/{pid}/status"));
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    status_kib(&text, field)
        .ok_or_else(|| Error::Unexpected(format!("no {field} in {}", path.display())))
}

fn status_kib(status: &str, field: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let value = line.strip_prefix(field)?.strip_prefix(':')?;
        value.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// Cold and warm loads of the Direct Connect page, milliseconds, and bytes on the wire.
#[derive(Debug, Clone, PartialEq)]
struct ConsoleLoad {
    cold_ms: Vec<f64>,
    warm_ms: Vec<f64>,
    cold_bytes: Vec<f64>,
    warm_bytes: Vec<f64>,
}

fn console_load(ctx: &Ctx, proxy: SocketAddr) -> Result<ConsoleLoad, Error> {
    let mut cmd = ctx.command("node");
    cmd.arg(CONSOLE_LOAD)
        .env("CLOUDLINK_ORIGIN", format!("http://{proxy}"))
        .env("CLOUDLINK_TOKEN", TOKEN)
        .env("CLOUDLINK_RUNS", LOAD_RUNS.to_string())
        .env("CLOUDLINK_CHROMIUM", CHROMIUM);
    let json = script_json(&mut cmd)?;
    let list = |name: &str| -> Result<Vec<f64>, Error> {
        json.get(name)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_f64).collect::<Vec<_>>())
            .filter(|v| v.len() == LOAD_RUNS)
            .ok_or_else(|| Error::Unexpected(format!("{CONSOLE_LOAD}: no {name} of {LOAD_RUNS}")))
    };
    Ok(ConsoleLoad {
        cold_ms: list("cold_ms")?,
        warm_ms: list("warm_ms")?,
        cold_bytes: list("cold_bytes")?,
        warm_bytes: list("warm_bytes")?,
    })
}

/// Runs a helper script (output shown as it is) and reads its `BENCH {json}` line.
fn script_json(cmd: &mut Command) -> Result<Value, Error> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|source| Error::Spawn {
            program: program.clone(),
            source,
        })?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(Error::Failed {
            command: crate::run::describe(cmd),
            status: out.status,
        });
    }
    bench_line(&text).map_err(|e| Error::Unexpected(format!("{program}: {e}")))
}

/// Bytes of one kind of console asset: raw, gzip -9 and brotli quality 11.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sizes {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

fn console_sizes(dist: &Path) -> Result<Vec<(&'static str, Sizes)>, Error> {
    let entries = std::fs::read_dir(dist).map_err(|source| Error::Io {
        path: dist.to_path_buf(),
        source,
    })?;
    let mut kinds = [
        ("wasm", Sizes::default()),
        ("js", Sizes::default()),
        ("css", Sizes::default()),
    ];
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        let Some((_, sizes)) = kinds.iter_mut().find(|(kind, _)| *kind == ext) else {
            continue;
        };
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        sizes.raw += bytes.len();
        sizes.gzip += gzip_len(&bytes);
        sizes.brotli += brotli_len(&bytes);
    }
    if kinds[0].1.raw == 0 {
        return Err(Error::Unexpected(format!(
            "no .wasm in {}: did the console build?",
            dist.display()
        )));
    }
    Ok(kinds.to_vec())
}

/// The size of what the console build writes as `.gz` (same compressor, same level).
fn gzip_len(bytes: &[u8]) -> usize {
    crate::precompress::gzip(bytes).len()
}

/// The size of what the console build writes as `.br`.
fn brotli_len(bytes: &[u8]) -> usize {
    crate::precompress::brotli(bytes).len()
}

/// One criterion benchmark: its id and median time per iteration.
#[derive(Debug, Clone, PartialEq)]
struct Criterion {
    id: String,
    median_ns: f64,
}

/// Runs the proxy's pipeline and per-operation parse benches and the signing crate's benches,
/// then reads
/// every `target/criterion/*/new/{benchmark,estimates}.json` written since `since`.
fn criterion(ctx: &Ctx, since: SystemTime) -> Result<Vec<Criterion>, Error> {
    for name in ["pipeline", "parse"] {
        ctx.run(
            ctx.cargo()
                .args(["bench", "-p", crate::PROXY, "--bench", name, "--"])
                .args(CRITERION_ARGS),
        )?;
    }
    // One `--bench NAME` per file: a plain `cargo bench -p` would also run the library's
    // libtest harness, which refuses criterion's options.
    for name in bench_targets(&ctx.root.join("signing/benches")) {
        ctx.run(
            ctx.cargo()
                .args(["bench", "-p", "cloudlink-signing", "--bench", &name, "--"])
                .args(CRITERION_ARGS),
        )?;
    }
    let root = ctx.root.join("target/criterion");
    let mut found = Vec::new();
    for estimates in files_named(&root, "estimates.json") {
        let dir = estimates.parent().unwrap_or(&root);
        let fresh = std::fs::metadata(&estimates)
            .and_then(|m| m.modified())
            .is_ok_and(|modified| modified >= since);
        if !fresh || !dir.ends_with("new") {
            continue;
        }
        let read = |path: &Path| -> Option<Value> {
            serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
        };
        let (Some(estimates), Some(benchmark)) =
            (read(&estimates), read(&dir.join("benchmark.json")))
        else {
            continue;
        };
        if let Some(found_one) = criterion_entry(&benchmark, &estimates) {
            found.push(found_one);
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found)
}

/// The bench targets of a `benches/` directory: the stems of its `.rs` files, sorted.
fn bench_targets(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let stem = path.file_stem()?.to_str()?.to_owned();
            (path.extension()? == "rs").then_some(stem)
        })
        .collect();
    names.sort();
    names
}

fn criterion_entry(benchmark: &Value, estimates: &Value) -> Option<Criterion> {
    Some(Criterion {
        id: benchmark.get("full_id")?.as_str()?.to_owned(),
        median_ns: estimates.get("median")?.get("point_estimate")?.as_f64()?,
    })
}

fn files_named(dir: &Path, name: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_named(&path, name));
        } else if path.file_name().is_some_and(|n| n == name) {
            found.push(path);
        }
    }
    found
}

/// botocore's `SigV4Auth.add_auth` on the same request, microseconds per call.
fn botocore_us(ctx: &Ctx) -> Result<f64, Error> {
    let mut cmd = ctx.command(ctx.root.join(setup::VENV_PYTHON));
    cmd.args([BOTOCORE, "20000"]);
    script_json(&mut cmd)?
        .get("us_per_call")
        .and_then(Value::as_f64)
        .ok_or_else(|| Error::Unexpected(format!("{BOTOCORE}: no us_per_call")))
}

/// `openssl speed -elapsed -seconds 3 rsa2048`: wall-time microseconds per RSA-2048 signature.
fn openssl_us(ctx: &Ctx) -> Result<f64, Error> {
    let out = ctx
        .stdout(
            ctx.command("openssl")
                .args(["speed", "-elapsed", "-seconds", "3", "rsa2048"]),
        )
        .ok_or_else(|| Error::Unexpected("openssl speed rsa2048 failed".to_owned()))?;
    let signs = parse_openssl_speed(&out)
        .ok_or_else(|| Error::Unexpected(format!("no rsa 2048 line in {out:?}")))?;
    Ok(1e6 / signs)
}

/// Signatures per second from `openssl speed rsa2048`'s table line
/// `rsa 2048 bits 0.001045s 0.000022s    957.1  46335.2` (sign, verify, sign/s, verify/s).
fn parse_openssl_speed(output: &str) -> Option<f64> {
    output.lines().find_map(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["rsa", "2048", "bits", _, _, signs, ..] => signs.parse().ok(),
            _ => None,
        }
    })
}

/// The `p`th percentile (0 to 100) by linear interpolation between the closest ranks; the
/// median of an odd count is its middle value.
fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = (p.clamp(0.0, 100.0) / 100.0) * (sorted.len() - 1) as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    Some(sorted[low] + (sorted[high] - sorted[low]) * (rank - low as f64))
}

fn median(values: &[f64]) -> f64 {
    percentile(values, 50.0).unwrap_or(f64::NAN)
}

/// Everything one run measured.
#[derive(Debug)]
struct Figures {
    throughput: Throughput,
    criterion: Vec<Criterion>,
    botocore_us: f64,
    openssl_us: f64,
    sizes: Vec<(&'static str, Sizes)>,
    load: ConsoleLoad,
}

impl Figures {
    fn tables(&self) -> Vec<Table> {
        vec![
            self.throughput.table(),
            self.signing(),
            self.parse_per_operation(),
            self.console_sizes(),
            self.console_load(),
        ]
    }

    fn find(&self, id: &str) -> Option<f64> {
        self.criterion
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.median_ns / 1000.0)
    }

    fn signing(&self) -> Table {
        let mut table = Table::new(
            "Signing and validation, per call (criterion medians)",
            &["work", "cloudlink", "reference", "cloudlink / reference"],
        );
        let us = |v: Option<f64>| v.map_or("not measured".to_owned(), |v| format!("{v:.2} us"));
        let sigv4 = self.find(SIGV4_BENCH);
        let oci = self.find(OCI_BENCH);
        table.push(vec![
            "SigV4, a Direct Connect call".to_owned(),
            us(sigv4),
            format!("botocore add_auth {:.2} us", self.botocore_us),
            sigv4.map_or("-".to_owned(), |v| ratio(v, self.botocore_us)),
        ]);
        table.push(vec![
            "OCI RSA-2048 request signature".to_owned(),
            us(oci),
            format!("openssl speed rsa2048 {:.2} us", self.openssl_us),
            oci.map_or("-".to_owned(), |v| ratio(v, self.openssl_us)),
        ]);
        table.push(vec![
            "core parse + validate CreatePrivateVirtualInterface".to_owned(),
            us(self.find(PARSE_BENCH)),
            "-".to_owned(),
            "-".to_owned(),
        ]);
        table
    }

    /// `proxy/benches/parse.rs`: one valid call per catalogue row.
    fn parse_per_operation(&self) -> Table {
        let mut table = Table::new(
            "core parse + validate, per operation (criterion medians)",
            &["service", "operation", "median"],
        );
        for c in &self.criterion {
            let Some(rest) = c.id.strip_prefix(PARSE_PREFIX) else {
                continue;
            };
            let (service, operation) = rest.trim().split_once(' ').unwrap_or((rest, ""));
            table.push(vec![
                service.to_owned(),
                operation.to_owned(),
                format!("{:.2} us", c.median_ns / 1000.0),
            ]);
        }
        table
    }

    fn console_sizes(&self) -> Table {
        let mut table = Table::new(
            "Console assets in dist/, bytes",
            &["asset", "raw", "gzip -9", "brotli 11"],
        );
        let mut total = Sizes::default();
        for (kind, sizes) in &self.sizes {
            table.push(vec![
                (*kind).to_owned(),
                thousands(sizes.raw),
                thousands(sizes.gzip),
                thousands(sizes.brotli),
            ]);
            total.raw += sizes.raw;
            total.gzip += sizes.gzip;
            total.brotli += sizes.brotli;
        }
        table.push(vec![
            "total".to_owned(),
            thousands(total.raw),
            thousands(total.gzip),
            thousands(total.brotli),
        ]);
        table
    }

    fn console_load(&self) -> Table {
        let load = &self.load;
        let mut table = Table::new(
            &format!(
                "Console: Direct Connect page usable in headless Chromium, loopback, {LOAD_RUNS} runs"
            ),
            &[
                "load",
                "median ms",
                "min ms",
                "max ms",
                "bytes on the wire (median)",
            ],
        );
        let row = |what: &str, ms: &[f64], bytes: &[f64]| {
            vec![
                what.to_owned(),
                format!("{:.0}", median(ms)),
                format!("{:.0}", percentile(ms, 0.0).unwrap_or(f64::NAN)),
                format!("{:.0}", percentile(ms, 100.0).unwrap_or(f64::NAN)),
                thousands(median(bytes) as usize),
            ]
        };
        table.push(row("cold (empty cache)", &load.cold_ms, &load.cold_bytes));
        table.push(row("reload (warm cache)", &load.warm_ms, &load.warm_bytes));
        table
    }
}

/// The throughput runs' figures.
#[derive(Debug)]
struct Throughput {
    direct: Load,
    nginx: Load,
    through: Load,
    peak_run: Load,
    idle_kib: u64,
    peak_kib: u64,
    /// `/proc/loadavg`'s first three fields before the runs.
    loadavg: String,
}

impl Throughput {
    fn table(&self) -> Table {
        let row = |what: &str, load: &Load| {
            vec![
                what.to_owned(),
                format!("{:.0}", load.requests_per_second),
                format!("{:.2}", load.p50_us / 1000.0),
                format!("{:.2}", load.p99_us / 1000.0),
                ratio(load.requests_per_second, self.nginx.requests_per_second),
            ]
        };
        let mut table = Table::new(
            &format!(
                "DescribeConnections, {CONNECTIONS} connections, {SECONDS} s each (wrk, 2 threads)"
            ),
            &["path", "req/s", "p50 ms", "p99 ms", "vs nginx"],
        );
        table.push(row("straight to the upstream", &self.direct));
        table.push(row("nginx proxy_pass", &self.nginx));
        table.push(row(
            "cloudlink-proxy (token, validation, SigV4, forwarding)",
            &self.through,
        ));
        let mut peak = row(
            &format!("cloudlink-proxy at {PEAK_CONNECTIONS} connections, {PEAK_SECONDS} s"),
            &self.peak_run,
        );
        // nginx ran at 32 connections only: no ratio to it.
        peak[4] = "-".to_owned();
        table.push(peak);
        table.note(format!(
            "load average (1, 5, 15 min) before the wrk runs: {}; cloudlink-proxy RSS: {} idle, {} peak (VmHWM after the {PEAK_CONNECTIONS}-connection run); \
             p50 added over the direct call: {:.2} ms",
            self.loadavg,
            mib(self.idle_kib),
            mib(self.peak_kib),
            (self.through.p50_us - self.direct.p50_us) / 1000.0
        ));
        table
    }
}

fn ratio(value: f64, reference: f64) -> String {
    if reference > 0.0 {
        format!("{:.2}x", value / reference)
    } else {
        "-".to_owned()
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// 1234567 as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A titled table, printed aligned on the terminal and as Markdown in the report.
#[derive(Debug, Clone, PartialEq)]
struct Table {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    notes: Vec<String>,
}

impl Table {
    fn new(title: &str, headers: &[&str]) -> Table {
        Table {
            title: title.to_owned(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.headers.len(), "row width of {}", self.title);
        self.rows.push(row);
    }

    fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        widths
    }

    /// Columns padded to their widest cell; the first left-aligned, the others right-aligned.
    fn text(&self) -> String {
        let widths = self.widths();
        let line = |cells: &[String]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, &w))| {
                    if i == 0 {
                        format!("{cell:<w$}")
                    } else {
                        format!("{cell:>w$}")
                    }
                })
                .collect();
            padded.join("  ").trim_end().to_owned()
        };
        let mut out = format!("{}\n{}\n", self.title, line(&self.headers));
        let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
        out.push_str(&rule.join("  "));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&line(row));
            out.push('\n');
        }
        for note in &self.notes {
            out.push_str(note);
            out.push('\n');
        }
        out
    }

    /// A `###` heading, a GitHub Markdown table (figures right-aligned), then the notes.
    fn markdown(&self) -> String {
        let cell = |c: &String| c.replace('|', "\\|");
        let mut out = format!("### {}\n\n", self.title);
        let headers: Vec<String> = self.headers.iter().map(cell).collect();
        out.push_str(&format!("| {} |\n", headers.join(" | ")));
        let aligns: Vec<&str> = (0..self.headers.len())
            .map(|i| if i == 0 { "---" } else { "---:" })
            .collect();
        out.push_str(&format!("| {} |\n", aligns.join(" | ")));
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(cell).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        for note in &self.notes {
            out.push_str(&format!("\n{note}\n"));
        }
        out
    }
}

/// Where and with what the figures were measured: `(label, value)` lines of the report.
fn machine(ctx: &Ctx) -> Vec<(&'static str, String)> {
    let first_line = |cmd: &mut Command| -> String {
        cmd.stdin(Stdio::null())
            .output()
            .ok()
            .map(|out| {
                // nginx -v and wrk -v write to stderr, and wrk -v exits with 1.
                let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
                text.push_str(&String::from_utf8_lossy(&out.stderr));
                text.lines()
                    .find(|l| !l.trim().is_empty() && !l.contains("unexpected operator"))
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
            .unwrap_or_else(|| "unknown".to_owned())
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let nice = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let after = stat.rsplit_once(')')?.1.to_owned();
            after.split_whitespace().nth(16).map(str::to_owned)
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let python = ctx.root.join(setup::VENV_PYTHON);
    vec![
        (
            "date (UTC)",
            first_line(ctx.command("date").args(["-u", "+%Y-%m-%d %H:%M"])),
        ),
        (
            "commit",
            first_line(ctx.command("git").args(["rev-parse", "--short", "HEAD"])),
        ),
        ("CPU", format!("{cpu}, {cores} cores")),
        ("kernel", first_line(ctx.command("uname").arg("-r"))),
        ("niceness of the bench", nice),
        (
            "load average at start (1, 5, 15 min)",
            std::fs::read_to_string("/proc/loadavg")
                .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(", "))
                .unwrap_or_default(),
        ),
        ("rustc", first_line(ctx.command("rustc").arg("--version"))),
        ("nginx", first_line(ctx.command(NGINX).arg("-v"))),
        ("load generator", first_line(ctx.command(WRK).arg("-v"))),
        (
            "chromium",
            first_line(ctx.command(CHROMIUM).arg("--version")),
        ),
        ("openssl", first_line(ctx.command("openssl").arg("version"))),
        (
            "botocore",
            first_line(ctx.command(python).args([
                "-c",
                "import botocore; print('botocore', botocore.__version__)",
            ])),
        ),
        ("node", first_line(ctx.command("node").arg("--version"))),
    ]
}

const HOW: &str = "\
How each figure is measured:
- Throughput and latency: wrk (`tests/bench/describe.lua`), 2 threads, POSTing a
  DescribeConnections call (`x-amz-target`, `{}` body, the token header) for the stated time;
  requests/s is completed requests over wrk's run time, p50 and p99 are wrk's latency
  percentiles. A run with any failed or non-2xx answer stops the bench. The upstream is
  `proxy/examples/bench_upstream.rs`: a fixed DescribeConnections answer on kept-alive
  HTTP/1.1 connections. nginx runs `worker_processes auto` with a kept-alive upstream pool of 32
  and no access log; cloudlink-proxy is the release binary with a real token, validation, SigV4
  signing with static fake credentials and forwarding to `--upstream directconnect=http://…`
  (plain http is allowed to loopback), its default logging to a file, and
  `max-concurrent-calls = 512` so the 256-connection run is not answered 503.
- RSS: `VmRSS` of /proc/PID/status after start-up and one call (idle), and `VmHWM` after the
  256-connection run (peak).
- Signing and validation: criterion medians (`target/criterion/*/new/estimates.json`) of
  `cargo bench -p cloudlink-proxy --bench pipeline`, `--bench parse` (one valid call per
  catalogue row, from `core/tests/data/calls.json`) and `cloudlink-signing`'s benches, with
  1 s warm-up and 3 s measurement. botocore: `SigV4Auth.add_auth` on the same request, timed
  over 20,000 calls (`tests/bench/botocore_sigv4.py`). openssl: sign/s of
  `openssl speed -elapsed -seconds 3 rsa2048`, inverted; `-elapsed` makes it wall time, as
  criterion's figures are (without it openssl divides by its own CPU time, which on a busy
  machine is much less than the time that passed).
- Console sizes: every .wasm, .js and .css file in `dist/` after `trunk build --release`,
  compressed here with gzip level 9 (flate2) and brotli quality 11, window 22.
- Console load: `tests/bench/console_load.mjs`, Debian's headless Chromium through
  playwright-core. A cold run gets a fresh profile, takes the session cookie with
  `/login?token=` (no page), then times `goto /directconnect` until the first row of the
  upstream's connections is visible; the warm run reloads that page with the cache kept.
  Bytes on the wire: response bodies as received plus headers, summed over the page's requests.";

/// The whole of docs/BENCHMARKS.md.
fn report(machine: &[(&str, String)], tables: &[Table], criterion: &[Criterion]) -> String {
    let mut out = String::from(
        "# Benchmarks\n\n\
         Written by `cargo xtask bench` (one command, one run, everything side by side on the \
         same machine); run it again rather than editing this file. The figures depend on the \
         machine and on what else ran: a 2-core machine shares its cores between the load \
         generator, the server under test and its upstream; the machine's load and the \
         bench's niceness are listed below.\n\n",
    );
    for (label, value) in machine {
        out.push_str(&format!("- {label}: {value}\n"));
    }
    for table in tables {
        out.push('\n');
        out.push_str(&table.markdown());
    }
    let mut all = Table::new(
        "Every criterion figure of this run",
        &["benchmark", "median"],
    );
    for c in criterion {
        all.push(vec![
            c.id.clone(),
            format!("{:.3} us", c.median_ns / 1000.0),
        ]);
    }
    out.push('\n');
    out.push_str(&all.markdown());
    out.push('\n');
    out.push_str(HOW);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_proxy_is_the_one_option() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(parse_args(&args(&[])).unwrap(), Only::All);
        assert_eq!(
            parse_args(&args(&["--only", "proxy"])).unwrap(),
            Only::Proxy
        );
        for bad in [&["--only"][..], &["--only", "console"], &["proxy"]] {
            let err = parse_args(&args(bad)).unwrap_err().to_string();
            assert!(err.contains("--only proxy"), "{err}");
        }
    }

    #[test]
    fn percentile_interpolates_between_ranks() {
        let seven = [7.0, 1.0, 5.0, 3.0, 2.0, 6.0, 4.0];
        assert_eq!(percentile(&seven, 50.0), Some(4.0));
        assert_eq!(percentile(&seven, 0.0), Some(1.0));
        assert_eq!(percentile(&seven, 100.0), Some(7.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 50.0), Some(2.5));
        assert_eq!(percentile(&[10.0, 20.0], 99.0), Some(19.9));
        assert_eq!(percentile(&[], 50.0), None);
        assert_eq!(percentile(&[f64::NAN, 3.0], 50.0), Some(3.0));
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn wrk_summary_is_read_and_failures_refused() {
        let out = "Running 10s test\nBENCH {\"requests\":120000,\"duration_us\":10000000,\
                   \"p50_us\":600,\"p99_us\":2100,\"errors\":0,\"status_errors\":0}\n";
        let load = parse_wrk(out).unwrap();
        assert_eq!(load.requests_per_second, 12000.0);
        assert_eq!((load.p50_us, load.p99_us), (600.0, 2100.0));
        let failed = out.replace("\"status_errors\":0", "\"status_errors\":3");
        assert!(parse_wrk(&failed).unwrap_err().contains("3 of 120000"));
        assert!(
            parse_wrk("no summary")
                .unwrap_err()
                .contains("no BENCH line")
        );
        let none = out.replace("120000", "0");
        assert!(parse_wrk(&none).unwrap_err().contains("no request"));
    }

    #[test]
    fn openssl_speed_line_gives_signatures_per_second() {
        let out = "                  sign    verify    sign/s verify/s\n\
                   rsa 2048 bits 0.001045s 0.000022s    957.1  46335.2\n";
        assert_eq!(parse_openssl_speed(out), Some(957.1));
        assert_eq!(
            parse_openssl_speed("rsa 4096 bits 0.1s 0.1s 9.0 90.0"),
            None
        );
    }

    #[test]
    fn proc_status_fields_in_kib() {
        let status = "Name:\tcloudlink-proxy\nVmHWM:\t   38012 kB\nVmRSS:\t   17408 kB\n";
        assert_eq!(status_kib(status, "VmRSS"), Some(17408));
        assert_eq!(status_kib(status, "VmHWM"), Some(38012));
        assert_eq!(status_kib(status, "VmSwap"), None);
    }

    #[test]
    fn bench_targets_are_the_rs_files_of_the_directory() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-targets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["sigv4.rs", "oci.rs", "README.md"] {
            std::fs::write(dir.join(name), "").unwrap();
        }
        let names = bench_targets(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(names, ["oci", "sigv4"]);
        assert!(bench_targets(Path::new("/nonexistent/benches")).is_empty());
    }

    #[test]
    fn criterion_entry_reads_full_id_and_median() {
        let benchmark = serde_json::json!({"full_id": "sigv4: sign", "title": "sigv4: sign"});
        let estimates = serde_json::json!({"median": {"point_estimate": 5900.5}});
        assert_eq!(
            criterion_entry(&benchmark, &estimates),
            Some(Criterion {
                id: "sigv4: sign".to_owned(),
                median_ns: 5900.5
            })
        );
        assert_eq!(criterion_entry(&benchmark, &serde_json::json!({})), None);
    }

    fn sample() -> Table {
        let mut table = Table::new("Sizes", &["asset", "raw", "gzip"]);
        table.push(vec!["wasm".into(), "1,008,639".into(), "383,821".into()]);
        table.push(vec!["a|b".into(), "12".into(), "3".into()]);
        table.note("a note".into());
        table
    }

    #[test]
    fn markdown_table_has_a_heading_aligned_columns_and_escaped_pipes() {
        assert_eq!(
            sample().markdown(),
            "### Sizes\n\n\
             | asset | raw | gzip |\n\
             | --- | ---: | ---: |\n\
             | wasm | 1,008,639 | 383,821 |\n\
             | a\\|b | 12 | 3 |\n\
             \na note\n"
        );
    }

    #[test]
    fn text_table_pads_columns_to_the_widest_cell() {
        assert_eq!(
            sample().text(),
            "Sizes\n\
             asset        raw     gzip\n\
             -----  ---------  -------\n\
             wasm   1,008,639  383,821\n\
             a|b           12        3\n\
             a note\n"
        );
    }

    #[test]
    fn figures_are_formatted_for_reading() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_008_639), "1,008,639");
        assert_eq!(ratio(12_700.0, 42_000.0), "0.30x");
        assert_eq!(ratio(1.0, 0.0), "-");
        assert_eq!(mib(17_408), "17.0 MiB");
    }

    #[test]
    fn compressed_sizes_are_smaller_for_repetitive_input() {
        let text = "console ".repeat(1000);
        let (gzip, brotli) = (gzip_len(text.as_bytes()), brotli_len(text.as_bytes()));
        assert!(gzip > 0 && gzip < text.len() / 10, "gzip {gzip}");
        assert!(brotli > 0 && brotli < text.len() / 10, "brotli {brotli}");
    }

    #[test]
    fn nginx_config_proxies_to_the_upstream_with_kept_alive_connections() {
        let listen: SocketAddr = "127.0.0.1:8001".parse().unwrap();
        let upstream: SocketAddr = "127.0.0.1:9001".parse().unwrap();
        let conf = nginx_config(Path::new("/tmp/b"), listen, upstream);
        assert!(conf.contains("listen 127.0.0.1:8001;"));
        assert!(conf.contains("server 127.0.0.1:9001;"));
        assert!(conf.contains("proxy_set_header Connection \"\";"));
        assert!(conf.contains("pid /tmp/b/nginx.pid;"));
        assert_eq!(conf.matches('{').count(), conf.matches('}').count());
    }

    #[test]
    fn report_lists_machine_tables_and_every_criterion_figure() {
        let machine = vec![("CPU", "AMD EPYC, 2 cores".to_owned())];
        let criterion = vec![Criterion {
            id: "oci: sign".to_owned(),
            median_ns: 589_000.0,
        }];
        let doc = report(&machine, &[sample()], &criterion);
        assert!(doc.starts_with("# Benchmarks\n"));
        assert!(doc.contains("- CPU: AMD EPYC, 2 cores\n"));
        assert!(doc.contains("### Sizes\n"));
        assert!(doc.contains("| oci: sign | 589.000 us |\n"));
        assert!(doc.contains("How each figure is measured:"));
    }
}
