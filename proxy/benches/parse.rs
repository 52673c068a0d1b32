//! `core`'s parse + validate, per operation: what the proxy (and the console) spends reading
//! and checking each kind of call before anything is signed. The inputs are
//! `core/tests/data/calls.json`, one valid call per catalogue row (core's `calls` test keeps
//! the file complete and valid).
//!
//! `cargo bench -p cloudlink-proxy --bench parse`

use std::hint::black_box;

use cloudlink_core::catalogue::Method;
use cloudlink_core::{ApiRequest, IncomingCall, Service};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

const CALLS: &str = include_str!("../../core/tests/data/calls.json");

/// Prefix of every benchmark id here; `cargo xtask bench` lists them under it.
const PREFIX: &str = "core parse + validate:";

fn per_operation(c: &mut Criterion) {
    let file: Value = serde_json::from_str(CALLS).expect("calls.json is JSON");
    for call in file["calls"].as_array().expect("a calls array") {
        let text = |key: &str| call[key].as_str().unwrap_or_default().to_owned();
        let service = Service::from_id(&text("service")).expect("a known service");
        let method = match text("method").as_str() {
            "GET" => Method::Get,
            "DELETE" => Method::Delete,
            _ => Method::Post,
        };
        let path = text("path");
        let query = call["query"].as_str().map(str::to_owned);
        let headers: Vec<(String, String)> = call["target"]
            .as_str()
            .map(|t| vec![("x-amz-target".to_owned(), t.to_owned())])
            .unwrap_or_default();
        let body = call
            .get("body")
            .map(|b| serde_json::to_vec(b).expect("serialises"))
            .unwrap_or_default();
        let name = format!("{PREFIX} {} {}", service.id(), text("operation"));
        c.bench_function(&name, |b| {
            b.iter(|| {
                let incoming = IncomingCall {
                    service,
                    method,
                    path: &path,
                    query: query.as_deref(),
                    headers: &headers,
                    body: &body,
                };
                black_box(ApiRequest::parse(black_box(&incoming)).expect("a valid call"))
            })
        });
    }
}

criterion_group!(benches, per_operation);
criterion_main!(benches);
