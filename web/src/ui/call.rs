//! A typed call from a component: region and profile from the shell, a 401
//! back to the login page.

use cloudlink_core::directconnect::DxRequest;
use cloudlink_core::oci::{
    InstanceConsoleConnection, ListInstanceConsoleConnectionsRequest, OciRequest,
};
use cloudlink_core::outposts::OutpostsRequest;
use cloudlink_core::{ApiRequest, ProviderError, Service};
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
    let (region, profile) = shell.scope(request.service());
    let result = api::call_with_headers(&request, &region, profile.as_deref()).await;
    if let Err(e) = &result {
        shell.note(e);
    }
    result
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
