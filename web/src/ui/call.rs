//! A typed call from a component: region and profile from the shell, a 401
//! back to the login page, and [`Pending`], the one place a form or table
//! marks a call in flight and keeps its error.

use std::future::Future;

use cloudlink_core::directconnect::DxRequest;
use cloudlink_core::oci::{
    InstanceConsoleConnection, ListInstanceConsoleConnectionsRequest, OciRequest,
};
use cloudlink_core::outposts::OutpostsRequest;
use cloudlink_core::{ApiRequest, ProviderError, Service};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::DeserializeOwned;

use crate::api;
use crate::logic::cli::{self, CliContext};
use crate::logic::paging::{NextPage, Paged, Pager};
use crate::ui::shell::Shell;

/// Direct Connect or DirectLink, by service.
pub fn dx(service: Service, request: DxRequest) -> ApiRequest {
    match service {
        Service::DirectLink => ApiRequest::DirectLink(request),
        _ => ApiRequest::DirectConnect(request),
    }
}

pub fn outposts(request: OutpostsRequest) -> ApiRequest {
    ApiRequest::Outposts(request)
}

pub fn oci(request: OciRequest) -> ApiRequest {
    ApiRequest::Oci(request)
}

/// Sends `request` with the shell's region and profile for its service.
pub async fn send<T: DeserializeOwned>(
    shell: Shell,
    request: ApiRequest,
) -> Result<T, ProviderError> {
    send_with_headers(shell, request)
        .await
        .map(|(value, _)| value)
}

/// [`send`], keeping the answer's headers.
pub async fn send_with_headers<T: DeserializeOwned>(
    shell: Shell,
    request: ApiRequest,
) -> Result<(T, Vec<(String, String)>), ProviderError> {
    let provider = request.service().provider();
    let answer = exchange(shell, request).await?;
    let value = api::read(provider, &answer).inspect_err(|e| shell.note(e))?;
    Ok((value, answer.headers))
}

/// The typed-free part of [`send_with_headers`]: one copy of the call's
/// future in the wasm whatever the answer's type.
async fn exchange(shell: Shell, request: ApiRequest) -> Result<api::Answer, ProviderError> {
    let (region, profile) = shell.scope(request.service());
    api::exchange(&request, &region, profile.as_deref())
        .await
        .inspect_err(|e| shell.note(e))
}

/// One call at a time from a form or table: whether it is in flight (the
/// submit button shows "Sending…") and the provider's error of the last one.
#[derive(Debug, Clone, Copy)]
pub struct Pending {
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<ProviderError>>,
}

impl Pending {
    pub fn new() -> Self {
        Self {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Whether a call is in flight, untracked (for event handlers).
    pub fn is_busy(&self) -> bool {
        self.busy.get_untracked()
    }

    /// Runs `call` unless one is already in flight (a double click sends once):
    /// clears the last error, then hands the answer to `on_ok`, or keeps the
    /// error after `on_err` saw it. Signals are written with `try_set`, since
    /// `on_ok` may close the component that started the call.
    pub fn run<T, Fut>(
        self,
        call: Fut,
        on_ok: impl FnOnce(T) + 'static,
        on_err: impl FnOnce(&ProviderError) + 'static,
    ) where
        T: 'static,
        Fut: Future<Output = Result<T, ProviderError>> + 'static,
    {
        if self.is_busy() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        spawn_local(async move {
            match call.await {
                Ok(value) => on_ok(value),
                Err(e) => {
                    on_err(&e);
                    let _ = self.error.try_set(Some(e));
                }
            }
            let _ = self.busy.try_set(false);
        });
    }
}

impl Default for Pending {
    fn default() -> Self {
        Self::new()
    }
}

/// Sends `request` up to `attempts` times while the error says a retry may
/// succeed ([`api::is_retryable`]); an OCI create carries one retry token for all of them.
pub async fn send_retrying<T: DeserializeOwned>(
    shell: Shell,
    request: ApiRequest,
    attempts: u32,
) -> Result<T, ProviderError> {
    let mut tried = 0;
    loop {
        tried += 1;
        match send::<T>(shell, request.clone()).await {
            Err(e) if api::is_retryable(&e) && tried < attempts => continue,
            other => return other,
        }
    }
}

/// Every page of an OCI console connection listing (see [`crate::logic::paging`]).
pub async fn list_all_pages(
    shell: Shell,
    request: ListInstanceConsoleConnectionsRequest,
) -> Result<Paged<InstanceConsoleConnection>, ProviderError> {
    let mut pager = Pager::new(request);
    let mut next = pager.first();
    let mut paged = Paged::default();
    loop {
        let (items, headers) =
            send_with_headers::<Vec<InstanceConsoleConnection>>(shell, oci(OciRequest::List(next)))
                .await?;
        paged.items.extend(items);
        match pager.after(&headers) {
            NextPage::Fetch(request) => next = request,
            NextPage::Done => return Ok(paged),
            NextPage::Truncated => {
                paged.truncated = true;
                return Ok(paged);
            }
        }
    }
}

/// The CLI command for `request` with the shell's region and profile.
pub fn command(shell: Shell, request: &ApiRequest, reveal: bool, key_file: Option<&str>) -> String {
    let service = request.service();
    let region = shell.region(service);
    let profile = shell.profile(service);
    cli::command(
        request,
        &CliContext {
            region: &region,
            profile: profile.as_deref(),
            reveal_secrets: reveal,
            key_file,
        },
    )
}
