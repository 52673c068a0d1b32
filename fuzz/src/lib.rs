//! What the fuzz targets share: one readable input format for HTTP-shaped inputs, so the
//! seed corpora are plain text made from the project's test data and libFuzzer's mutations
//! stay meaningful, and the checks each request target runs.
//!
//! An input is
//!
//! ```text
//! METHOD TARGET [WORD...]
//! name: value
//! ...
//!
//! body
//! ```
//!
//! The extra words on the first line carry what a target needs besides the request (the
//! service and region a SigV4 verifier expects, the status of an answer, ...).

use cloudlink_core::catalogue::{Method, Service};
use cloudlink_core::{ApiRequest, CallError, IncomingCall};

/// An HTTP-shaped fuzz input.
#[derive(Debug)]
pub struct HttpText<'a> {
    /// The first word of the first line (a method, or a status for answers).
    pub first: &'a str,
    /// The second word (a request target, or a type name for answers).
    pub second: &'a str,
    /// The other words of the first line.
    pub extra: Vec<&'a str>,
    pub headers: Vec<(String, String)>,
    pub body: &'a [u8],
}

/// Splits an input; None when the head is not UTF-8.
pub fn http_text(data: &[u8]) -> Option<HttpText<'_>> {
    let split = data.windows(2).position(|w| w == b"\n\n");
    let (head, body) = match split {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.split('\n');
    let mut words = lines.next().unwrap_or_default().split(' ');
    let first = words.next().unwrap_or_default();
    let second = words.next().unwrap_or_default();
    let extra = words.collect();
    let headers = lines
        .map(|line| match line.split_once(':') {
            Some((name, value)) => (name.to_owned(), value.trim_start().to_owned()),
            None => (line.to_owned(), String::new()),
        })
        .collect();
    Some(HttpText {
        first,
        second,
        extra,
        headers,
        body,
    })
}

pub fn method(text: &str) -> Option<Method> {
    match text {
        "GET" => Some(Method::Get),
        "POST" => Some(Method::Post),
        "DELETE" => Some(Method::Delete),
        _ => None,
    }
}

/// The route prefix and a region the proxy would accept for `service`.
fn route_base(service: Service) -> String {
    format!(
        "{}/{}",
        service.route_prefix(),
        service.default_region()
    )
}

/// Parses a call as the proxy does (route, then `ApiRequest::parse`) and, for an accepted
/// one, checks the round trip: the request it sends, received again, is the same request and
/// is sent the same way.
pub fn check_request(service: Service, data: &[u8]) {
    let Some(text) = http_text(data) else {
        return;
    };
    let Some(method) = method(text.first) else {
        return;
    };
    let (raw_path, query) = match text.second.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (text.second, None),
    };
    // The proxy hands `ApiRequest::parse` the route's decoded rest of the path.
    let Ok(route) = cloudlink_proxy::route::parse(&format!("{}{raw_path}", route_base(service)))
    else {
        return;
    };
    let call = IncomingCall {
        service,
        method,
        path: &route.rest,
        query,
        headers: &text.headers,
        body: text.body,
    };
    let parsed = ApiRequest::parse(&call);
    if let Err(e) = &parsed {
        let _ = e.to_string();
    }
    let Ok(request) = parsed else {
        return;
    };
    assert_eq!(request.service(), service);
    let _ = request.info();
    let sent = request.to_http().expect("a parsed request is in the catalogue");
    let again = reparse(service, &sent).unwrap_or_else(|e| {
        panic!("the request cloudlink sends is refused when received again: {e}\n{sent:?}")
    });
    assert_eq!(again, request, "round trip changed the request");
    assert_eq!(again.to_http().ok(), Some(sent), "round trip changed the request sent");
}

/// An `HttpRequest` as cloudlink sends it, received again through the route parser.
fn reparse(service: Service, sent: &cloudlink_core::HttpRequest) -> Result<ApiRequest, CallError> {
    let (raw_path, query) = match sent.path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (sent.path_and_query.as_str(), None),
    };
    let route = cloudlink_proxy::route::parse(&format!("{}{raw_path}", route_base(service)))
        .map_err(|e| CallError::Malformed(format!("route refused: {e:?}")))?;
    ApiRequest::parse(&IncomingCall {
        service,
        method: sent.method,
        path: &route.rest,
        query,
        headers: &sent.headers,
        body: &sent.body,
    })
}

/// Reads an answer as the console does, as `T`, and checks what a successful read gives
/// serializes and reads back to the same value; errors must carry a status and display.
pub fn check_answer<T>(provider: cloudlink_core::Provider, status: u16, text: &HttpText<'_>)
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    match cloudlink_core::wire::parse_response::<T>(provider, status, &text.headers, text.body) {
        Ok(value) => {
            let json = serde_json::to_vec(&value).expect("a read answer serializes");
            let back: T = serde_json::from_slice(&json)
                .unwrap_or_else(|e| panic!("a read answer does not read back: {e}"));
            assert_eq!(back, value, "answer changed in a serde round trip");
        }
        Err(e) => {
            assert_eq!(e.status, status);
            let _ = e.to_string();
            let json = serde_json::to_vec(&e).expect("errors serialize");
            let back: cloudlink_core::ProviderError =
                serde_json::from_slice(&json).expect("errors read back");
            assert_eq!(back, e);
        }
    }
}

/// The answer's status from the first word of an input (a number, else 200).
pub fn status(text: &HttpText<'_>) -> u16 {
    text.first.parse().unwrap_or(200)
}
