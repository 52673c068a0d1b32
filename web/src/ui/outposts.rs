//! AWS Outposts: StartConnection and its result, and a lookup by id.

use cloudlink_core::Service;
use cloudlink_core::outposts::{GetConnectionResponse, StartConnectionResponse};
use leptos::prelude::*;

use crate::logic::choices::{interface_index_choices, wireguard_key_hint};
use crate::logic::forms::{StartConnectionForm, get_connection_request};
use crate::logic::inventory;
use crate::ui::call::{self, Pending};
use crate::ui::shell::{ScopeBar, Shell};
use crate::ui::widgets::*;

#[component]
pub fn OutpostsPage() -> impl IntoView {
    let shell = Shell::get();
    view! {
        <section class="page" data-testid="page-outposts">
            <h1>"AWS Outposts server connections"</h1>
            <ScopeBar service=Service::Outposts/>
            <Show when=move || !shell.read_only()>
                <StartConnectionFormView/>
            </Show>
            <LookupForm/>
        </section>
    }
}

#[component]
pub fn StartConnectionFormView() -> impl IntoView {
    let shell = Shell::get();
    let form = saved_form::<StartConnectionForm>("start-connection", Service::Outposts.id());
    let state = CheckedForm::new(form, StartConnectionForm::check);
    let (checked, errors) = (state.checked, state.errors);
    let pending = Pending::new();
    let result = RwSignal::new(None::<StartConnectionResponse>);
    let cli = Signal::derive(move || {
        checked.with(|c| call::command(shell, &call::outposts(c.request.clone()), false, None))
    });
    let (asset, set_asset) = bind(form, |f| &f.asset_id, |f| &mut f.asset_id);
    let (key, set_key) = bind(form, |f| &f.client_public_key, |f| &mut f.client_public_key);
    let (serial, set_serial) = bind(
        form,
        |f| &f.device_serial_number,
        |f| &mut f.device_serial_number,
    );
    let (index, set_index) = bind(form, |f| &f.interface_index, |f| &mut f.interface_index);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(request) = state.submitted() else {
            return;
        };
        pending.run(
            call::send::<StartConnectionResponse>(shell, call::outposts(request)),
            move |r: StartConnectionResponse| {
                if let Some(id) = &r.connection_id {
                    let (region, profile) = shell.scope(Service::Outposts);
                    let row = inventory::outposts_row(&region, profile.as_deref(), id, None);
                    shell.remember(vec![row], None);
                }
                result.set(Some(r));
                form.set(StartConnectionForm::default());
                errors.reset();
            },
            move |e| state.rejected(e),
        );
    };
    view! {
        <form class="card" on:submit=submit data-testid="start-connection-form" novalidate>
            <h2>"Start a connection"</h2>
            <div class="grid">
                <TextField id="sc-asset" label="Asset id" field="AssetId".into() value=asset on_input=set_asset errors=errors list="asset-ids"/>
                <Suggestions id="asset-ids" values=shell.suggestions("asset")/>
                <TextField id="sc-key" label="WireGuard client public key" field="ClientPublicKey".into() value=key on_input=set_key errors=errors hint=wireguard_key_hint()/>
                <TextField id="sc-serial" label="Device serial number (optional)" field="DeviceSerialNumber".into() value=serial on_input=set_serial errors=errors/>
                <SelectField id="sc-index" label="Network interface" field="NetworkInterfaceDeviceIndex".into() value=index on_input=set_index errors=errors
                    options=Signal::derive(interface_index_choices)/>
            </div>
            <CliBox id="sc-cli" command=cli/>
            <SubmitRow id="sc-submit" label="Start connection" errors=errors pending=pending.busy.into()/>
            <ErrorBox error=pending.error.into() testid="start-connection-error"/>
            <StartConnectionResult result=result.into()/>
        </form>
    }
}

/// StartConnection's answer. The live region is a `div` that is always there (so the
/// answer is announced when it arrives); the `dl` inside keeps its own role, since a
/// `dl` may hold only `dt`/`dd` groups.
#[component]
pub fn StartConnectionResult(result: Signal<Option<StartConnectionResponse>>) -> impl IntoView {
    view! {
        <div role="status" data-testid="start-connection-status">
            {move || result.get().map(|r| view! {
                <dl class="result" data-testid="start-connection-result">
                    <dt>"Connection id"</dt><dd><code data-testid="outposts-connection-id">{r.connection_id.clone().unwrap_or_default()}</code></dd>
                    <dt>"Underlay IP address"</dt><dd><code data-testid="outposts-underlay-ip">{r.underlay_ip_address.clone().unwrap_or_default()}</code></dd>
                </dl>
            })}
        </div>
    }
}

#[component]
pub fn LookupForm() -> impl IntoView {
    let shell = Shell::get();
    let id = RwSignal::new(String::new());
    let checked = Memo::new(move |_| get_connection_request(&id.get()));
    let errors = ErrorView::new(Signal::derive(move || checked.with(|c| c.errors.clone())));
    let pending = Pending::new();
    let result = RwSignal::new(None::<GetConnectionResponse>);
    let cli = Signal::derive(move || {
        checked.with(|c| call::command(shell, &call::outposts(c.request.clone()), false, None))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !checked.with_untracked(|c| c.is_valid()) {
            errors.attempt();
            return;
        }
        let request = call::outposts(checked.with_untracked(|c| c.request.clone()));
        pending.run(
            call::send::<GetConnectionResponse>(shell, request),
            move |r: GetConnectionResponse| {
                if let Some(id) = &r.connection_id {
                    let (region, profile) = shell.scope(Service::Outposts);
                    let details = r.connection_details.as_ref();
                    let row = inventory::outposts_row(&region, profile.as_deref(), id, details);
                    shell.remember(vec![row], None);
                }
                result.set(Some(r));
            },
            move |_| result.set(None),
        );
    };
    view! {
        <form class="card" on:submit=submit data-testid="get-connection-form" novalidate>
            <h2>"Look up a connection"</h2>
            <TextField id="gc-id" label="Connection id" field="ConnectionId".into() value=id.into() on_input=Callback::new(move |v| id.set(v)) errors=errors/>
            <CliBox id="gc-cli" command=cli/>
            <SubmitRow id="gc-submit" label="Look up" errors=errors pending=pending.busy.into()/>
            <ErrorBox error=pending.error.into() testid="get-connection-error"/>
            {move || result.get().map(|r| {
                let d = r.connection_details.clone().unwrap_or_default();
                view! {
                    <dl class="result" data-testid="get-connection-result">
                        <dt>"Connection id"</dt><dd><code>{r.connection_id.clone().unwrap_or_default()}</code></dd>
                        <dt>"Client public key"</dt><dd><code>{d.client_public_key.unwrap_or_default()}</code></dd>
                        <dt>"Server public key"</dt><dd><code>{d.server_public_key.unwrap_or_default()}</code></dd>
                        <dt>"Server endpoint"</dt><dd><code>{d.server_endpoint.unwrap_or_default()}</code></dd>
                        <dt>"Client tunnel address"</dt><dd><code>{d.client_tunnel_address.unwrap_or_default()}</code></dd>
                        <dt>"Server tunnel address"</dt><dd><code>{d.server_tunnel_address.unwrap_or_default()}</code></dd>
                        <dt>"Allowed IPs"</dt><dd><code>{d.allowed_ips.unwrap_or_default().join(", ")}</code></dd>
                    </dl>
                }
            })}
        </form>
    }
}
