//! The fixed upstream of `cargo xtask bench`: answers every HTTP/1.1 request on a kept-alive
//! connection with the same DescribeConnections JSON, so the load generator, nginx and
//! cloudlink-proxy are measured against an upstream that costs next to nothing and the same
//! for each of them.
//!
//! `cargo run --release -p cloudlink-proxy --example bench_upstream -- [PORT]`
//!
//! Prints `listening 127.0.0.1:PORT` once it accepts connections; runs until killed.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const BODY: &str = r#"{"connections":[{"ownerAccount":"123456789012","connectionId":"dxcon-bench001","connectionName":"bench-1","connectionState":"available","region":"us-east-1","location":"EqDC2","bandwidth":"1Gbps","vlan":100,"partnerName":"","tags":[{"key":"team","value":"net"}]},{"ownerAccount":"123456789012","connectionId":"dxcon-bench002","connectionName":"bench-2","connectionState":"available","region":"us-east-1","location":"EqDC2","bandwidth":"10Gbps","vlan":200,"tags":[]}]}"#;

/// Where a request's head ends and how long its body is, once the whole head is in `buf`.
fn request_len(buf: &[u8]) -> Option<usize> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let length = head
        .split("\r\n")
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    Some(end + length)
}

async fn serve(mut stream: TcpStream, reply: &'static [u8]) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        while let Some(len) = request_len(&buf) {
            if buf.len() < len {
                break;
            }
            buf.drain(..len);
            if stream.write_all(reply).await.is_err() {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let reply: &'static [u8] = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: 00000000-0000-4000-8000-000000000000\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    )
    .into_bytes()
    .leak();
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind the bench upstream");
    println!("listening {}", listener.local_addr().unwrap());
    loop {
        if let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, reply));
        }
    }
}
