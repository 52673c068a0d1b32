//! A typed call from a component: region and profile from the shell, a 401
//! back to the login page, and [`Pending`], the one place a form or table
//! marks a call in flight and keeps its error.

use std::future::Future;
use std::pin::Pin;

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
use crate::logic::inventory::{self, DxListPage, NextDxPage};
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
        self.spawn(Box::pin(async move {
            match call.await {
                Ok(value) => {
                    on_ok(value);
                    None
                }
                Err(e) => {
                    on_err(&e);
                    Some(e)
                }
            }
        }));
    }

    /// The part of [`Pending::run`] that does not depend on the call's types: one copy of
    /// the spawned task in the wasm for every form and table (measured: see
    /// web/size-budget.txt).
    fn spawn(self, call: Pin<Box<dyn Future<Output = Option<ProviderError>>>>) {
        spawn_local(async move {
            if let Some(e) = call.await {
                let _ = self.error.try_set(Some(e));
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

/// What every page of one Direct Connect list held, read by [`read_dx_list`].
#[derive(Debug, Clone, Default)]
pub struct DxList {
    pub connections: Vec<cloudlink_core::directconnect::Connection>,
    pub interfaces: Vec<cloudlink_core::directconnect::VirtualInterface>,
    /// More than [`inventory::MAX_PAGES`] pages: the rest was not read.
    pub truncated: bool,
    /// Calls made, one per page.
    pub calls: usize,
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            i32::try_from(ms).unwrap_or(i32::MAX),
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// [`read_dx_pages`], tried again after a growing wait when a call is throttled or lost in
/// transit ([`inventory::retry_after_ms`]: a list is safe to read twice), for as long as
/// `wanted` says the answer is still awaited. Also the number of calls made.
pub async fn read_dx_list(
    job: &inventory::Job,
    connection_id: Option<&str>,
    wanted: &dyn Fn() -> bool,
) -> (Result<DxList, ProviderError>, usize) {
    let mut calls = 0;
    let mut attempt = 1;
    loop {
        match read_dx_pages(job, connection_id).await {
            Ok(list) => {
                calls += list.calls;
                return (Ok(list), calls);
            }
            Err(e) => {
                calls += 1;
                match inventory::retry_after_ms(&e, attempt) {
                    Some(ms) if wanted() => {
                        sleep(ms).await;
                        attempt += 1;
                    }
                    _ => return (Err(e), calls),
                }
            }
        }
    }
}

/// Every page of `job`'s list (`maxResults` of 100 and `nextToken` followed, up to
/// [`inventory::MAX_PAGES`]), in the job's own region and profile; interfaces of one
/// connection when `connection_id` is given. Not generic: one copy in the wasm.
async fn read_dx_pages(
    job: &inventory::Job,
    connection_id: Option<&str>,
) -> Result<DxList, ProviderError> {
    use cloudlink_core::directconnect::{Connections, VirtualInterfaces};
    let provider = job.scope.service.provider();
    let mut list = DxList::default();
    let mut page = job.page(None);
    loop {
        let request = match page {
            DxListPage::Connections(r) => DxRequest::DescribeConnections(r),
            DxListPage::Interfaces(mut r) => {
                r.connection_id = connection_id.map(str::to_owned);
                DxRequest::DescribeVirtualInterfaces(r)
            }
        };
        let request = dx(job.scope.service, request);
        let answer = api::exchange(&request, &job.scope.region, job.scope.profile.as_deref()).await;
        list.calls += 1;
        let answer = answer?;
        let next_token = match job.kind {
            inventory::ListKind::Connections => {
                let r: Connections = api::read(provider, &answer)?;
                list.connections.extend(r.connections);
                r.next_token
            }
            inventory::ListKind::Interfaces => {
                let r: VirtualInterfaces = api::read(provider, &answer)?;
                list.interfaces.extend(r.virtual_interfaces);
                r.next_token
            }
        };
        match inventory::after_page(job, list.calls, next_token.as_deref()) {
            NextDxPage::Fetch(next) => page = next,
            NextDxPage::Done => return Ok(list),
            NextDxPage::Truncated => {
                list.truncated = true;
                return Ok(list);
            }
        }
    }
}

/// The shell's region and profile of `service` as a job of one list.
pub fn page_job(shell: Shell, service: Service, kind: inventory::ListKind) -> inventory::Job {
    let (region, profile) = shell.scope(service);
    inventory::Job {
        scope: inventory::Scope {
            service,
            profile,
            region,
        },
        kind,
    }
}
