//! `data/calls.json` holds one valid call per catalogue row: the inputs of the per-operation
//! parse + validate benchmark (`cargo bench -p cloudlink-proxy --bench parse`). This checks
//! that the file covers every row once and that each call passes `ApiRequest::parse`, so the
//! benchmark measures the accepted path and never panics half-way.

use std::collections::BTreeSet;

use cloudlink_core::catalogue::{self, Method};
use cloudlink_core::{ApiRequest, IncomingCall, Service};
use serde_json::Value;

/// One call of the file, owned.
struct Sample {
    service: Service,
    operation: String,
    method: Method,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn samples() -> Vec<Sample> {
    let text = include_str!("data/calls.json");
    let file: Value = serde_json::from_str(text).unwrap();
    file["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let method = match c["method"].as_str().unwrap() {
                "GET" => Method::Get,
                "DELETE" => Method::Delete,
                _ => Method::Post,
            };
            Sample {
                service: Service::from_id(c["service"].as_str().unwrap()).unwrap(),
                operation: c["operation"].as_str().unwrap().to_owned(),
                method,
                path: c["path"].as_str().unwrap().to_owned(),
                query: c["query"].as_str().map(str::to_owned),
                headers: c["target"]
                    .as_str()
                    .map(|t| vec![("x-amz-target".to_owned(), t.to_owned())])
                    .unwrap_or_default(),
                body: c
                    .get("body")
                    .map(|b| serde_json::to_vec(b).unwrap())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

#[test]
fn every_catalogue_row_has_one_valid_sample_call() {
    let mut covered = BTreeSet::new();
    for s in samples() {
        let call = IncomingCall {
            service: s.service,
            method: s.method,
            path: &s.path,
            query: s.query.as_deref(),
            headers: &s.headers,
            body: &s.body,
        };
        let request = ApiRequest::parse(&call)
            .unwrap_or_else(|e| panic!("{} {}: {e}", s.service, s.operation));
        let info = request.info().unwrap();
        assert_eq!(info.name, s.operation, "{}", s.service);
        assert!(
            covered.insert((s.service.id(), info.name)),
            "{} {} twice",
            s.service,
            s.operation
        );
    }
    let rows: BTreeSet<_> = catalogue::catalogue()
        .iter()
        .map(|r| (r.service.id(), r.name))
        .collect();
    assert_eq!(covered, rows);
}
