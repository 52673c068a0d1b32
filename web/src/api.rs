//! Calls to the proxy with gloo-net. Requests are built by
//! [`crate::logic::route::fetch_spec`] from core's typed requests and answers
//! are read by core's wire layer, so this module only moves bytes.

use cloudlink_core::catalogue::Method;
use cloudlink_core::{ApiRequest, ProviderError};
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;

use crate::logic::route::{FetchSpec, base_path_from_meta, fetch_spec, under_base};
use cloudlink_core::contract::{BASE_META, CSRF_HEADER};

/// A raw answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The error shown when the proxy could not be reached at all.
pub fn network_error(detail: impl Into<String>) -> ProviderError {
    ProviderError {
        status: 0,
        code: "NetworkError".to_owned(),
        message: detail.into(),
        request_id: None,
        field_errors: Vec::new(),
    }
}

/// The proxy's base path (`""` or `/prefix`), read once from the page's
/// `<meta name="cloudlink-base">`; every call and page link go under it.
pub fn base_path() -> &'static str {
    thread_local! {
        static BASE: &'static str = {
            let content = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(&format!("meta[name=\"{BASE_META}\"]")).ok().flatten())
                .and_then(|m| m.get_attribute("content"));
            base_path_from_meta(content.as_deref()).leak()
        };
    }
    BASE.with(|b| *b)
}

fn builder(method: Method, url: &str) -> RequestBuilder {
    let url = under_base(base_path(), url);
    let url = url.as_str();
    match method {
        Method::Get => Request::get(url),
        Method::Post => Request::post(url),
        Method::Delete => Request::delete(url),
    }
}

/// Sends one call; an `Err` only when nothing came back.
pub async fn send(spec: &FetchSpec) -> Result<Answer, ProviderError> {
    let mut b = builder(spec.method, &spec.url);
    for (k, v) in &spec.headers {
        b = b.header(k, v);
    }
    let request = match &spec.body {
        Some(body) => {
            let array = js_sys::Uint8Array::from(body.as_slice());
            b.body(array).map_err(|e| network_error(e.to_string()))?
        }
        None => b.build().map_err(|e| network_error(e.to_string()))?,
    };
    let response = request
        .send()
        .await
        .map_err(|e| network_error(format!("the proxy could not be reached: {e}")))?;
    let status = response.status();
    let headers: Vec<(String, String)> = response.headers().entries().collect();
    let body = response.binary().await.unwrap_or_default();
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// Sends a typed request with the region and profile; the raw answer, or
/// an error when it could not be sent. Not generic: one copy of the
/// transport in the wasm, whatever type the caller reads (see [`read`]).
pub async fn exchange(
    request: &ApiRequest,
    region: &str,
    profile: Option<&str>,
) -> Result<Answer, ProviderError> {
    let spec = fetch_spec(request, region, profile).map_err(|e| ProviderError {
        status: 0,
        code: "NotForwarded".to_owned(),
        message: e.to_string(),
        request_id: None,
        field_errors: Vec::new(),
    })?;
    send(&spec).await
}

/// The typed answer in `answer`, or the provider's error, read by core's wire layer.
pub fn read<T: DeserializeOwned>(
    provider: cloudlink_core::Provider,
    answer: &Answer,
) -> Result<T, ProviderError> {
    cloudlink_core::wire::parse_response(provider, answer.status, &answer.headers, &answer.body)
}

/// Whether an error means the session is gone (the console shows the login page).
pub fn is_unauthenticated(e: &ProviderError) -> bool {
    e.status == 401
}

/// Whether retrying the same call (with the same retry token) may succeed.
pub fn is_retryable(e: &ProviderError) -> bool {
    e.status == 0 || cloudlink_core::contract::is_retryable_status(e.status)
}

/// `GET` of one of the proxy's own JSON routes.
pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ProviderError> {
    let spec = FetchSpec {
        method: Method::Get,
        url: url.to_owned(),
        headers: Vec::new(),
        body: None,
    };
    let answer = send(&spec).await?;
    read(cloudlink_core::Provider::Aws, &answer)
}

/// `POST` of a JSON body (already written) to one of the proxy's own routes, with the CSRF
/// header.
pub async fn post_json(url: &str, body: Vec<u8>) -> Result<Answer, ProviderError> {
    let spec = FetchSpec {
        method: Method::Post,
        url: url.to_owned(),
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            (CSRF_HEADER.to_owned(), "1".to_owned()),
        ],
        body: Some(body),
    };
    send(&spec).await
}

pub use cloudlink_core::contract::{Profiles, ProviderProfiles};
