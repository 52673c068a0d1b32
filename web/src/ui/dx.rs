//! Direct Connect and DirectLink: one set of components, parameterised by
//! [`Service`]; the provider's rules come from core.

use cloudlink_core::ProviderError;
use cloudlink_core::Service;
use cloudlink_core::directconnect::{
    Connection, ConnectionState, Connections, DeleteConnectionRequest,
    DeleteVirtualInterfaceRequest, DescribeConnectionsRequest, DescribeLocationsRequest,
    DescribeVirtualGatewaysRequest, DescribeVirtualInterfacesRequest, DxRequest, Location,
    Locations, VirtualGateway, VirtualGateways, VirtualInterface, VirtualInterfaceState,
    VirtualInterfaces,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::logic::forms::{self, ConnectionForm, VifForm, VifMode, VifRequest, bandwidth_choices};
use crate::logic::status::{connection_tone, interface_tone, masked, should_poll};
use crate::logic::tagging::Taggable;
use crate::ui::call;
use crate::ui::load::{Loadable, load};
use crate::ui::shell::{ScopeBar, Shell};
use crate::ui::tags::{SelectedTagsSection, TagChips};
use crate::ui::widgets::*;

fn title(service: Service) -> &'static str {
    match service {
        Service::DirectLink => "OUTSCALE DirectLink",
        _ => "AWS Direct Connect",
    }
}

// `load` takes `fn(&T) -> bool` with `T` the loaded `Vec`.
#[allow(clippy::ptr_arg)]
fn connections_moving(c: &Vec<Connection>) -> bool {
    should_poll(
        c.iter().map(|c| c.connection_state.as_ref()),
        ConnectionState::is_transitional,
    )
}

#[allow(clippy::ptr_arg)]
fn interfaces_moving(v: &Vec<VirtualInterface>) -> bool {
    should_poll(
        v.iter().map(|v| v.virtual_interface_state.as_ref()),
        VirtualInterfaceState::is_transitional,
    )
}

/// The page of one Direct Connect-shaped service.
#[component]
pub fn DxPage(service: Service) -> impl IntoView {
    let shell = Shell::get();
    let connections = RwSignal::new(Loadable::<Vec<Connection>>::default());
    let locations = RwSignal::new(Vec::<Location>::new());
    let gateways = RwSignal::new(Vec::<VirtualGateway>::new());
    let selected = RwSignal::new(None::<String>);
    let editing_tags = RwSignal::new(None::<String>);
    let refresh = move || {
        load(
            connections,
            move || async move {
                let r: Connections = call::send(
                    shell,
                    call::dx(
                        service,
                        DxRequest::DescribeConnections(DescribeConnectionsRequest::default()),
                    ),
                )
                .await?;
                Ok(r.connections)
            },
            connections_moving,
        )
    };
    // Reload when the region or profile changes.
    Effect::new(move |_| {
        let _ = (shell.region(service), shell.profile(service));
        refresh();
        spawn_local(async move {
            if let Ok(l) = call::send::<Locations>(
                shell,
                call::dx(
                    service,
                    DxRequest::DescribeLocations(DescribeLocationsRequest::default()),
                ),
            )
            .await
            {
                let _ = locations.try_set(l.locations);
            }
            if let Ok(g) = call::send::<VirtualGateways>(
                shell,
                call::dx(
                    service,
                    DxRequest::DescribeVirtualGateways(DescribeVirtualGatewaysRequest::default()),
                ),
            )
            .await
            {
                let _ = gateways.try_set(g.virtual_gateways);
            }
        });
    });
    // Memos: a poll that brings the same list back changes nothing on the page, so rows are
    // not rebuilt under the pointer (a click between mousedown and mouseup would be lost).
    let list = Memo::new(move |_| connections.with(|c| c.data.clone().unwrap_or_default()));
    view! {
        <section class="page" data-testid=format!("page-{}", service.id())>
            <h1>{title(service)}</h1>
            <ScopeBar service=service/>
            <div class="card">
                <div class="card-head">
                    <h2 id="connections-heading">"Connections"</h2>
                    <span class="muted" aria-live="polite" data-testid="polling">{move || if connections.with(|c| c.polling) { "refreshing while states change…" } else { "" }}</span>
                    <button type="button" class="secondary small" data-testid="refresh-connections" on:click=move |_| refresh()>"Refresh"</button>
                </div>
                <Loading when=Signal::derive(move || connections.with(|c| c.loading && c.data.is_none()))/>
                <ErrorBox error=Signal::derive(move || connections.with(|c| c.error.clone())) testid="connections-error"/>
                <ConnectionsTable service=service connections=list.into() selected=selected.into()
                    on_select=Callback::new(move |id: String| selected.set(Some(id)))
                    on_tags=Callback::new(move |id: String| editing_tags.set(Some(id)))
                    on_deleted=Callback::new(move |_| refresh())/>
            </div>
            <SelectedTagsSection service=service editing=editing_tags
                resources=Signal::derive(move || {
                    let region = shell.region(service);
                    list.with(|l| l.iter().map(|c| Taggable::of_connection(c, &region)).collect())
                })
                on_saved=Callback::new(move |_| refresh())/>
            <SelectedVifSection service=service connections=list.into() selected=selected.into() gateways=gateways.into() editing_tags=editing_tags/>
            <Show when=move || !shell.read_only()>
                <CreateConnectionForm service=service locations=locations.into() on_created=Callback::new(move |_| refresh())/>
            </Show>
        </section>
    }
}

/// The VIF section of the selected connection, keyed on its id alone: polls
/// that change the connection's state (or anything else about it) do not
/// rebuild the section, so what is typed in its form (a BGP key, which is never
/// saved) stays, and no click lands on a button that was just replaced.
#[component]
pub fn SelectedVifSection(
    service: Service,
    connections: Signal<Vec<Connection>>,
    selected: Signal<Option<String>>,
    gateways: Signal<Vec<VirtualGateway>>,
    /// The page's one tags editor (connection or interface).
    editing_tags: RwSignal<Option<String>>,
) -> impl IntoView {
    let has = move |id: &str| {
        connections.with(|l| l.iter().any(|c| c.connection_id.as_deref() == Some(id)))
    };
    let shown_id = Memo::new(move |_| selected.get().filter(|id| has(id)));
    let name = Signal::derive(move || {
        let id = shown_id.get().unwrap_or_default();
        connections.with(|l| {
            l.iter()
                .find(|c| c.connection_id.as_deref() == Some(&id))
                .and_then(|c| c.connection_name.clone())
                .unwrap_or_default()
        })
    });
    move || {
        shown_id.get().map(|id| {
            view! { <VifSection service=service connection_id=id name=name gateways=gateways editing_tags=editing_tags/> }
        })
    }
}

/// The connections table, with the delete confirmation naming the connection.
#[component]
pub fn ConnectionsTable(
    service: Service,
    connections: Signal<Vec<Connection>>,
    selected: Signal<Option<String>>,
    on_select: Callback<String>,
    /// Opens the tags editor (AWS Direct Connect only: DirectLink has no tagging).
    on_tags: Callback<String>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let shell = Shell::get();
    let taggable = service == Service::DirectConnect;
    let confirming = RwSignal::new(None::<(String, String)>);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ProviderError>);
    let delete = Callback::new(move |_| {
        let Some((id, _)) = confirming.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            let request = DxRequest::DeleteConnection(DeleteConnectionRequest {
                connection_id: id,
                dry_run: None,
            });
            match call::send::<serde_json::Value>(shell, call::dx(service, request)).await {
                Ok(_) => {
                    confirming.set(None);
                    error.set(None);
                    on_deleted.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    });
    view! {
        <div class="table-wrap">
            <table data-testid="connections-table" aria-labelledby="connections-heading">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"ID"</th><th scope="col">"Location"</th><th scope="col">"Bandwidth"</th><th scope="col">"State"</th><th scope="col">"VLAN"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>
                    {move || {
                        let rows = connections.get();
                        if rows.is_empty() {
                            return view! { <tr><td colspan="7" class="muted" data-testid="no-connections">"No connections in this region."</td></tr> }.into_any();
                        }
                        rows.into_iter().map(|c| {
                            let id = c.connection_id.clone().unwrap_or_default();
                            let name = c.connection_name.clone().unwrap_or_default();
                            let state = c.connection_state.clone().unwrap_or(ConnectionState::Unknown(String::new()));
                            let gone = matches!(state, ConnectionState::Deleted | ConnectionState::Deleting);
                            let id_sel = id.clone();
                            let id_del = id.clone();
                            let id_tags = id.clone();
                            let name_del = name.clone();
                            let name_tags = name.clone();
                            let tags = c.tags.clone().unwrap_or_default();
                            let is_selected = { let id = id.clone(); move || selected.get().as_deref() == Some(id.as_str()) };
                            view! {
                                <tr data-testid="connection-row" data-id=id.clone() class:selected=is_selected>
                                    <td data-label="Name">{name.clone()}<TagChips tags=tags/></td>
                                    <td data-label="ID"><code>{id.clone()}</code></td>
                                    <td data-label="Location">{c.location.clone().unwrap_or_default()}</td>
                                    <td data-label="Bandwidth">{c.bandwidth.clone().unwrap_or_default()}</td>
                                    <td data-label="State"><Badge state=state.as_str().to_owned() tone=connection_tone(&state)/></td>
                                    <td data-label="VLAN">{c.vlan.map(|v| v.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
                                    <td class="actions">
                                        <button type="button" class="secondary small" data-testid="show-vifs"
                                            aria-label=format!("Virtual interfaces of {name}")
                                            on:click=move |_| on_select.run(id_sel.clone())>"Virtual interfaces"</button>
                                        {(taggable && !gone && !shell.read_only()).then(|| view! {
                                            <button type="button" class="secondary small" data-testid="edit-tags"
                                                aria-label=format!("Tags of {name_tags}")
                                                on:click=move |_| on_tags.run(id_tags.clone())>"Tags"</button>
                                        })}
                                        {(!gone && !shell.read_only()).then(|| view! {
                                            <button type="button" class="danger small" data-testid="delete-connection"
                                                aria-label=format!("Delete {name_del}")
                                                on:click=move |_| confirming.set(Some((id_del.clone(), name_del.clone())))>"Delete"</button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
        {move || confirming.get().map(|(id, name)| view! {
            <ConfirmPanel message=format!("Delete connection {name} ({id})? Its virtual interfaces must be deleted first.")
                confirm_label="Delete connection" busy=pending.into()
                on_confirm=delete on_cancel=Callback::new(move |_| confirming.set(None))/>
        })}
        <ErrorBox error=error.into() testid="delete-connection-error"/>
    }
}

/// CreateConnection: location from DescribeLocations, bandwidth from the
/// provider's allowed values, and AWS's extra fields.
#[component]
pub fn CreateConnectionForm(
    service: Service,
    locations: Signal<Vec<Location>>,
    on_created: Callback<()>,
) -> impl IntoView {
    let shell = Shell::get();
    let provider = service.provider();
    let aws = provider == cloudlink_core::Provider::Aws;
    let form = saved_form::<ConnectionForm>("connection", service.id());
    let server_errors = RwSignal::new(Vec::new());
    let checked = Memo::new(move |_| {
        let mut c = form.with(|f| f.check(provider));
        server_errors.with(|s| c.errors.merge_reported(s));
        c
    });
    let errors = ErrorView::new(Signal::derive(move || checked.with(|c| c.errors.clone())));
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ProviderError>);
    let created = RwSignal::new(None::<String>);
    let cli = Signal::derive(move || {
        checked.with(|c| {
            call::command(
                shell,
                &call::dx(service, DxRequest::CreateConnection(c.request.clone())),
                false,
                None,
            )
        })
    });
    let location_options = Signal::derive(move || {
        locations
            .get()
            .into_iter()
            .filter_map(|l| {
                let code = l.location_code.clone()?;
                let name = l.location_name.clone().unwrap_or_default();
                Some((
                    code.clone(),
                    if name.is_empty() {
                        code
                    } else {
                        format!("{code} — {name}")
                    },
                ))
            })
            .collect::<Vec<_>>()
    });
    let bandwidth_options = Signal::derive(move || {
        let loc = form.with(|f| f.location.clone());
        locations.with(|ls| {
            let l = ls
                .iter()
                .find(|l| l.location_code.as_deref() == Some(loc.as_str()));
            bandwidth_choices(provider, l)
                .into_iter()
                .map(|b| (b.to_owned(), b.to_owned()))
                .collect::<Vec<_>>()
        })
    });
    let (location, set_location) = bind(form, |f| &f.location, |f| &mut f.location);
    let (bandwidth, set_bandwidth) = bind(form, |f| &f.bandwidth, |f| &mut f.bandwidth);
    let (name, set_name) = bind(form, |f| &f.name, |f| &mut f.name);
    let (lag, set_lag) = bind(form, |f| &f.lag_id, |f| &mut f.lag_id);
    let (provider_name, set_provider_name) =
        bind(form, |f| &f.provider_name, |f| &mut f.provider_name);
    let clear_server = move || server_errors.set(Vec::new());
    Effect::new(move |_| {
        form.track();
        clear_server();
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if !checked.with_untracked(|c| c.is_valid()) {
            errors.attempt();
            return;
        }
        pending.set(true);
        error.set(None);
        let request = checked.with_untracked(|c| c.request.clone());
        spawn_local(async move {
            match call::send::<Connection>(
                shell,
                call::dx(service, DxRequest::CreateConnection(request)),
            )
            .await
            {
                Ok(c) => {
                    created.set(c.connection_id.clone());
                    form.set(ConnectionForm::default());
                    errors.reset();
                    on_created.run(());
                }
                Err(e) => {
                    server_errors.set(e.field_errors.clone());
                    error.set(Some(e));
                }
            }
            pending.set(false);
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="create-connection-form" novalidate>
            <h2>"Create a connection"</h2>
            <div class="grid">
                <SelectField id="cc-location" label="Location" field="location".into() value=location on_input=set_location errors=errors options=location_options empty="choose a location…"/>
                <SelectField id="cc-bandwidth" label="Bandwidth" field="bandwidth".into() value=bandwidth on_input=set_bandwidth errors=errors options=bandwidth_options empty="choose a bandwidth…"/>
                <TextField id="cc-name" label="Connection name" field="connectionName".into() value=name on_input=set_name errors=errors/>
                {aws.then(|| view! {
                    <TextField id="cc-lag" label="LAG id (optional)" field="lagId".into() value=lag on_input=set_lag errors=errors placeholder="dxlag-…"/>
                    <TextField id="cc-provider-name" label="Provider name (optional)" field="providerName".into() value=provider_name on_input=set_provider_name errors=errors/>
                    <div class="field checkbox">
                        <input id="cc-macsec" type="checkbox" prop:checked=move || form.with(|f| f.mac_sec)
                            on:change=move |ev| { let v = event_target_checked(&ev); form.update(|f| f.mac_sec = v); }/>
                        <label for="cc-macsec">"Request MACsec"</label>
                    </div>
                })}
            </div>
            {aws.then(|| view! {
                <TagEditor id="cc-tags" field="tags" errors=errors
                    rows=Signal::derive(move || form.with(|f| f.tags.clone()))
                    set_rows=Callback::new(move |r| form.update(|f| f.tags = r))/>
            })}
            <CliBox id="cc-cli" command=cli/>
            <SubmitRow id="cc-submit" label="Create connection" errors=errors pending=pending.into()/>
            <ErrorBox error=error.into() testid="create-connection-error"/>
            {move || created.get().map(|id| view! { <p class="success" role="status" data-testid="created">"Requested connection " <code>{id}</code></p> })}
        </form>
    }
}

/// The virtual interfaces of one connection, with create/allocate, confirm and delete.
#[component]
pub fn VifSection(
    service: Service,
    connection_id: String,
    /// The connection's name; it may change while the section stays.
    name: Signal<String>,
    gateways: Signal<Vec<VirtualGateway>>,
    editing_tags: RwSignal<Option<String>>,
) -> impl IntoView {
    let shell = Shell::get();
    let vifs = RwSignal::new(Loadable::<Vec<VirtualInterface>>::default());
    let cid = connection_id.clone();
    let cid = StoredValue::new(cid);
    let refresh = move || {
        load(
            vifs,
            move || async move {
                let request =
                    DxRequest::DescribeVirtualInterfaces(DescribeVirtualInterfacesRequest {
                        connection_id: Some(cid.get_value()),
                        ..DescribeVirtualInterfacesRequest::default()
                    });
                let r: VirtualInterfaces = call::send(shell, call::dx(service, request)).await?;
                Ok(r.virtual_interfaces)
            },
            interfaces_moving,
        )
    };
    refresh();
    let list = Memo::new(move |_| vifs.with(|v| v.data.clone().unwrap_or_default()));
    view! {
        <div class="card" data-testid="vif-section">
            <div class="card-head">
                <h2 id="vifs-heading">"Virtual interfaces of " {move || name.get()} " " <code>{connection_id.clone()}</code></h2>
                <span class="muted" aria-live="polite">{move || if vifs.with(|v| v.polling) { "refreshing while states change…" } else { "" }}</span>
                <button type="button" class="secondary small" on:click=move |_| refresh()>"Refresh"</button>
            </div>
            <Loading when=Signal::derive(move || vifs.with(|v| v.loading && v.data.is_none()))/>
            <ErrorBox error=Signal::derive(move || vifs.with(|v| v.error.clone())) testid="vifs-error"/>
            <VifTable service=service interfaces=list.into() gateways=gateways on_changed=Callback::new(move |_| refresh())
                on_tags=Callback::new(move |id: String| editing_tags.set(Some(id)))/>
            <SelectedTagsSection service=service editing=editing_tags
                resources=Signal::derive(move || {
                    let region = shell.region(service);
                    list.with(|l| l.iter().map(|v| Taggable::of_interface(v, &region)).collect())
                })
                on_saved=Callback::new(move |_| refresh())/>
            <Show when=move || !shell.read_only()>
                <VifFormView service=service connection_id=connection_id.clone() gateways=gateways on_created=Callback::new(move |_| refresh())/>
            </Show>
        </div>
    }
}

/// The interfaces table: BGP keys masked until asked for, confirm for those
/// waiting, delete with a confirmation.
#[component]
pub fn VifTable(
    service: Service,
    interfaces: Signal<Vec<VirtualInterface>>,
    gateways: Signal<Vec<VirtualGateway>>,
    on_changed: Callback<()>,
    /// Opens the tags editor (AWS Direct Connect only).
    on_tags: Callback<String>,
) -> impl IntoView {
    let shell = Shell::get();
    let taggable = service == Service::DirectConnect;
    let revealed = RwSignal::new(Vec::<String>::new());
    let deleting = RwSignal::new(None::<(String, String)>);
    let confirming = RwSignal::new(None::<String>);
    let gateway = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ProviderError>);
    let provider = service.provider();
    let confirm_checked = Memo::new(move |_| {
        forms::confirm_request(
            provider,
            &confirming.get().unwrap_or_default(),
            &gateway.get(),
        )
    });
    let confirm_errors = ErrorView::new(Signal::derive(move || {
        confirm_checked.with(|c| c.errors.clone())
    }));
    let confirm_cli = Signal::derive(move || {
        confirm_checked.with(|c| {
            call::command(
                shell,
                &call::dx(
                    service,
                    DxRequest::ConfirmPrivateVirtualInterface(c.request.clone()),
                ),
                false,
                None,
            )
        })
    });
    let run = move |request: DxRequest, after: Box<dyn FnOnce() + 'static>| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            match call::send::<serde_json::Value>(shell, call::dx(service, request)).await {
                Ok(_) => {
                    error.set(None);
                    after();
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let confirm_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !confirm_checked.with_untracked(|c| c.is_valid()) {
            confirm_errors.attempt();
            return;
        }
        let request = DxRequest::ConfirmPrivateVirtualInterface(
            confirm_checked.with_untracked(|c| c.request.clone()),
        );
        run(
            request,
            Box::new(move || {
                confirming.set(None);
                gateway.set(String::new());
            }),
        );
    };
    let gateway_options = Signal::derive(move || {
        gateways
            .get()
            .into_iter()
            .filter_map(|g| {
                let id = g.virtual_gateway_id?;
                let state = g
                    .virtual_gateway_state
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default();
                Some((
                    id.clone(),
                    if state.is_empty() {
                        id
                    } else {
                        format!("{id} ({state})")
                    },
                ))
            })
            .collect::<Vec<_>>()
    });
    view! {
        <div class="table-wrap">
            <table data-testid="vifs-table" aria-labelledby="vifs-heading">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"ID"</th><th scope="col">"VLAN"</th><th scope="col">"ASN"</th><th scope="col">"Owner"</th><th scope="col">"State"</th><th scope="col">"BGP key"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>
                    {move || {
                        let rows = interfaces.get();
                        if rows.is_empty() {
                            return view! { <tr><td colspan="8" class="muted" data-testid="no-vifs">"No virtual interfaces on this connection."</td></tr> }.into_any();
                        }
                        rows.into_iter().map(|v| {
                            let id = v.virtual_interface_id.clone().unwrap_or_default();
                            let name = v.virtual_interface_name.clone().unwrap_or_default();
                            let state = v.virtual_interface_state.clone().unwrap_or(VirtualInterfaceState::Unknown(String::new()));
                            let key = v.auth_key.as_ref().map(|k| k.expose().to_owned())
                                .or_else(|| v.bgp_peers.as_ref().and_then(|p| p.iter().find_map(|p| p.auth_key.as_ref().map(|k| k.expose().to_owned()))));
                            let has_key = key.is_some();
                            let id_r = id.clone();
                            let id_r2 = id.clone();
                            let shown = move || revealed.with(|r| r.contains(&id_r));
                            let shown2 = shown.clone();
                            let key_text = { let key = key.clone(); let shown = shown.clone(); move || masked(key.as_deref(), shown()) };
                            let waiting = state == VirtualInterfaceState::Confirming;
                            let gone = matches!(state, VirtualInterfaceState::Deleted | VirtualInterfaceState::Deleting);
                            let id_c = id.clone();
                            let id_d = id.clone();
                            let name_d = name.clone();
                            let id_t = id.clone();
                            let name_t = name.clone();
                            let tags = v.tags.clone().unwrap_or_default();
                            let ro = shell.read_only();
                            view! {
                                <tr data-testid="vif-row" data-id=id.clone()>
                                    <td data-label="Name">{name.clone()}<TagChips tags=tags/></td>
                                    <td data-label="ID"><code>{id.clone()}</code></td>
                                    <td data-label="VLAN">{v.vlan.map(|x| x.to_string()).unwrap_or_default()}</td>
                                    <td data-label="ASN">{v.asn_long.or(v.asn).map(|x| x.to_string()).unwrap_or_default()}</td>
                                    <td data-label="Owner">{v.owner_account.clone().unwrap_or_default()}</td>
                                    <td data-label="State"><Badge state=state.as_str().to_owned() tone=interface_tone(&state)/></td>
                                    <td data-label="BGP key">
                                        <code data-testid="bgp-key">{key_text}</code>
                                        {has_key.then(|| view! {
                                            <button type="button" class="secondary small" data-testid="reveal-key"
                                                aria-pressed=move || shown2().to_string()
                                                on:click=move |_| revealed.update(|r| if let Some(i) = r.iter().position(|x| *x == id_r2) { r.remove(i); } else { r.push(id_r2.clone()); })>
                                                {move || if shown() { "Hide" } else { "Show" }}
                                            </button>
                                        })}
                                    </td>
                                    <td class="actions">
                                        {(waiting && !ro).then(|| view! {
                                            <button type="button" class="small" data-testid="confirm-vif" on:click=move |_| confirming.set(Some(id_c.clone()))>"Confirm"</button>
                                        })}
                                        {(taggable && !gone && !ro).then(|| view! {
                                            <button type="button" class="secondary small" data-testid="edit-tags"
                                                aria-label=format!("Tags of {name_t}")
                                                on:click=move |_| on_tags.run(id_t.clone())>"Tags"</button>
                                        })}
                                        {(!gone && !ro).then(|| view! {
                                            <button type="button" class="danger small" data-testid="delete-vif" aria-label=format!("Delete {name_d}")
                                                on:click=move |_| deleting.set(Some((id_d.clone(), name_d.clone())))>"Delete"</button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
        {move || confirming.get().map(|id| view! {
            <form class="confirm" on:submit=confirm_submit data-testid="confirm-vif-form">
                <p>"Accept virtual interface " <code>{id}</code> " and attach it to a virtual gateway:"</p>
                <SelectField id="confirm-vgw" label="Virtual gateway" field="virtualGatewayId".into()
                    value=gateway.into() on_input=Callback::new(move |v| gateway.set(v)) errors=confirm_errors options=gateway_options/>
                <CliBox id="confirm-cli" command=confirm_cli/>
                <SubmitRow id="confirm-submit" label="Confirm interface" errors=confirm_errors pending=pending.into()/>
                <button type="button" class="secondary" on:click=move |_| confirming.set(None)>"Cancel"</button>
            </form>
        })}
        {move || deleting.get().map(|(id, name)| {
            let id2 = id.clone();
            view! {
                <ConfirmPanel message=format!("Delete virtual interface {name} ({id})?") confirm_label="Delete interface" busy=pending.into()
                    on_confirm=Callback::new(move |_| run(DxRequest::DeleteVirtualInterface(DeleteVirtualInterfaceRequest { virtual_interface_id: id2.clone(), dry_run: None }), Box::new(move || deleting.set(None))))
                    on_cancel=Callback::new(move |_| deleting.set(None))/>
            }
        })}
        <ErrorBox error=error.into() testid="vif-action-error"/>
    }
}

/// CreatePrivateVirtualInterface or AllocatePrivateVirtualInterface.
#[component]
pub fn VifFormView(
    service: Service,
    connection_id: String,
    gateways: Signal<Vec<VirtualGateway>>,
    on_created: Callback<()>,
) -> impl IntoView {
    let shell = Shell::get();
    let provider = service.provider();
    let aws = provider == cloudlink_core::Provider::Aws;
    let form = saved_form::<VifForm>("vif", service.id());
    let cid = StoredValue::new(connection_id);
    let server_errors = RwSignal::new(Vec::new());
    let reveal = RwSignal::new(false);
    let checked = Memo::new(move |_| {
        let mut c = form.with(|f| f.check(provider, &cid.get_value()));
        server_errors.with(|s| c.errors.merge_reported(s));
        c
    });
    Effect::new(move |_| {
        form.track();
        server_errors.set(Vec::new());
    });
    let errors = ErrorView::new(Signal::derive(move || checked.with(|c| c.errors.clone())));
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ProviderError>);
    let done = RwSignal::new(None::<String>);
    let mode = Memo::new(move |_| form.with(|f| f.mode));
    let to_dx = |r: VifRequest| match r {
        VifRequest::Create(r) => DxRequest::CreatePrivateVirtualInterface(r),
        VifRequest::Allocate(r) => DxRequest::AllocatePrivateVirtualInterface(r),
    };
    let cli = Signal::derive(move || {
        let shown = reveal.get();
        checked.with(|c| {
            call::command(
                shell,
                &call::dx(service, to_dx(c.request.clone())),
                shown,
                None,
            )
        })
    });
    let f = move |child: &str| mode.get_untracked().field(child);
    let (name, set_name) = bind(form, |f| &f.name, |f| &mut f.name);
    let (vlan, set_vlan) = bind(form, |f| &f.vlan, |f| &mut f.vlan);
    let (asn, set_asn) = bind(form, |f| &f.asn, |f| &mut f.asn);
    let (auth_key, set_auth_key) = bind(form, |f| &f.auth_key, |f| &mut f.auth_key);
    let (amazon, set_amazon) = bind(form, |f| &f.amazon_address, |f| &mut f.amazon_address);
    let (customer, set_customer) = bind(form, |f| &f.customer_address, |f| &mut f.customer_address);
    let (family, set_family) = bind(form, |f| &f.address_family, |f| &mut f.address_family);
    let (mtu, set_mtu) = bind(form, |f| &f.mtu, |f| &mut f.mtu);
    let (vgw, set_vgw) = bind(
        form,
        |f| &f.virtual_gateway_id,
        |f| &mut f.virtual_gateway_id,
    );
    let (owner, set_owner) = bind(form, |f| &f.owner_account, |f| &mut f.owner_account);
    let gateway_options = Signal::derive(move || {
        gateways
            .get()
            .into_iter()
            .filter_map(|g| g.virtual_gateway_id)
            .map(|id| (id.clone(), id))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if !checked.with_untracked(|c| c.is_valid()) {
            errors.attempt();
            return;
        }
        pending.set(true);
        error.set(None);
        let request = to_dx(checked.with_untracked(|c| c.request.clone()));
        spawn_local(async move {
            match call::send::<VirtualInterface>(shell, call::dx(service, request)).await {
                Ok(v) => {
                    done.set(v.virtual_interface_id.clone());
                    form.update(|f| {
                        *f = VifForm {
                            mode: f.mode,
                            ..VifForm::default()
                        }
                    });
                    errors.reset();
                    on_created.run(());
                }
                Err(e) => {
                    server_errors.set(e.field_errors.clone());
                    error.set(Some(e));
                }
            }
            pending.set(false);
        });
    };
    let set_mode = move |m: VifMode| form.update(|f| f.mode = m);
    view! {
        <form class="sub-card" on:submit=submit data-testid="vif-form" novalidate>
            <h3>"New private virtual interface"</h3>
            <fieldset class="mode">
                <legend>"Owner"</legend>
                <input type="radio" id="vif-mode-create" name="vif-mode" prop:checked=move || mode.get() == VifMode::Create on:change=move |_| set_mode(VifMode::Create)/>
                <label for="vif-mode-create">"This account (create)"</label>
                <input type="radio" id="vif-mode-allocate" name="vif-mode" prop:checked=move || mode.get() == VifMode::Allocate on:change=move |_| set_mode(VifMode::Allocate)/>
                <label for="vif-mode-allocate">"Another account (allocate)"</label>
            </fieldset>
            {move || {
                let m = mode.get();
                view! {
                    <div class="grid">
                        <TextField id="vif-name" label="Name" field=f("virtualInterfaceName") value=name on_input=set_name errors=errors/>
                        <TextField id="vif-vlan" label="VLAN" field=f("vlan") value=vlan on_input=set_vlan errors=errors kind="text" hint=if aws { "1 to 4094" } else { "2 to 4094" }/>
                        <TextField id="vif-asn" label="Customer BGP ASN" field=f("asn") value=asn on_input=set_asn errors=errors hint=if aws { "1 to 4294967294" } else { "64512 to 65534 (create)" }/>
                        <TextField id="vif-auth-key" label="BGP auth key (optional)" field=f("authKey") value=auth_key on_input=set_auth_key errors=errors kind="password"/>
                        <TextField id="vif-amazon-address" label="Amazon peer address (optional)" field=f("amazonAddress") value=amazon on_input=set_amazon errors=errors placeholder="169.254.10.1/30"/>
                        <TextField id="vif-customer-address" label="Customer peer address (optional)" field=f("customerAddress") value=customer on_input=set_customer errors=errors placeholder="169.254.10.2/30"/>
                        {aws.then(|| view! {
                            <SelectField id="vif-family" label="Address family" field=f("addressFamily") value=family on_input=set_family errors=errors
                                options=Signal::derive(|| vec![("ipv4".to_owned(), "ipv4".to_owned()), ("ipv6".to_owned(), "ipv6".to_owned())]) empty="default (ipv4)"/>
                            <SelectField id="vif-mtu" label="MTU" field=f("mtu") value=mtu on_input=set_mtu errors=errors
                                options=Signal::derive(|| ["1500", "8500", "9001"].iter().map(|m| (m.to_string(), m.to_string())).collect()) empty="default (1500)"/>
                        })}
                        {(m == VifMode::Create).then(|| view! {
                            <SelectField id="vif-vgw" label="Virtual gateway" field=f("virtualGatewayId") value=vgw on_input=set_vgw errors=errors options=gateway_options/>
                        })}
                        {(m == VifMode::Allocate).then(|| view! {
                            <TextField id="vif-owner" label="Owner account" field="ownerAccount".into() value=owner on_input=set_owner errors=errors placeholder="123456789012"/>
                        })}
                    </div>
                }
            }}
            <div class="field checkbox">
                <input id="vif-reveal" type="checkbox" prop:checked=move || reveal.get() on:change=move |ev| reveal.set(event_target_checked(&ev))/>
                <label for="vif-reveal">"Show the BGP key in the command"</label>
            </div>
            <CliBox id="vif-cli" command=cli/>
            <SubmitRow id="vif-submit" label="Send" errors=errors pending=pending.into()/>
            <ErrorBox error=error.into() testid="vif-error"/>
            {move || done.get().map(|id| view! { <p class="success" role="status" data-testid="vif-created">"Virtual interface " <code>{id}</code> " requested"</p> })}
        </form>
    }
}
