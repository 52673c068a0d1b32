//! Direct Connect and DirectLink: one set of components, parameterised by
//! [`Service`]; the provider's rules come from core.

use cloudlink_core::directconnect::{
    ConfirmPrivateVirtualInterfaceRequest, Connection, ConnectionState, DeleteConnectionRequest,
    DeleteVirtualInterfaceRequest, DescribeLocationsRequest, DescribeVirtualGatewaysRequest,
    DxRequest, Location, Locations, VirtualGateway, VirtualGateways, VirtualInterface,
    VirtualInterfaceState,
};
use cloudlink_core::{Provider, Service};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::logic::choices::{
    address_family_choices, asn_hint, bandwidth_options, bgp_key, gateway_choices, gateway_ids,
    location_choices, mtu_choices, mtu_default_label, toggle, vlan_hint,
};
use crate::logic::exports::has_router_config;
use crate::logic::forms::{self, ConnectionForm, VifForm, VifMode};
use crate::logic::inventory::{ListKind, bgp_flag, bgp_word};
use crate::logic::status::{Tone, connection_tone, interface_tone, masked, should_poll};
use crate::logic::tagging::Taggable;
use crate::ui::call::{self, Pending};
use crate::ui::exports::RouterConfigFor;
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

/// Loads the locations and virtual gateways the forms offer.
fn load_references(
    shell: Shell,
    service: Service,
    locations: RwSignal<Vec<Location>>,
    gateways: RwSignal<Vec<VirtualGateway>>,
) {
    spawn_local(async move {
        let request = DxRequest::DescribeLocations(DescribeLocationsRequest::default());
        if let Ok(l) = call::send::<Locations>(shell, call::dx(service, request)).await {
            let _ = locations.try_set(l.locations);
        }
        let request = DxRequest::DescribeVirtualGateways(DescribeVirtualGatewaysRequest::default());
        if let Ok(g) = call::send::<VirtualGateways>(shell, call::dx(service, request)).await {
            let _ = gateways.try_set(g.virtual_gateways);
        }
    });
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
    let truncated = RwSignal::new(false);
    let refresh = move || {
        load(
            connections,
            move || async move {
                let job = call::page_job(shell, service, ListKind::Connections);
                let wanted = move || connections.try_with_untracked(|_| ()).is_some();
                let r = call::read_dx_list(&job, None, &wanted)
                    .await
                    .0
                    .inspect_err(|e| shell.note(e))?;
                let _ = truncated.try_set(r.truncated);
                Ok(r.connections)
            },
            connections_moving,
        )
    };
    // Reload when the region or profile changes, and only then: the memo keeps the answer
    // of `/api/profiles` (which may name the same default region) from loading twice.
    let scope = Memo::new(move |_| (shell.region(service), shell.profile(service)));
    Effect::new(move |_| {
        // Read, not just tracked: a memo nobody reads never runs, so never sees a change.
        let _ = scope.get();
        refresh();
        load_references(shell, service, locations, gateways);
    });
    // Memos: a poll that brings the same list back changes nothing on the page, so rows are
    // not rebuilt under the pointer (a click between mousedown and mouseup would be lost).
    let list = Memo::new(move |_| connections.with(|c| c.data.clone().unwrap_or_default()));
    let on_changed = Callback::new(move |_| refresh());
    view! {
        <section class="page" data-testid=format!("page-{}", service.id())>
            <h1>{title(service)}</h1>
            <ScopeBar service=service/>
            <ConnectionsCard service=service connections=connections list=list.into()
                selected=selected editing_tags=editing_tags on_changed=on_changed/>
            <Truncated when=truncated.into()/>
            <SelectedTagsSection service=service editing=editing_tags
                resources=Signal::derive(move || {
                    let region = shell.region(service);
                    list.with(|l| l.iter().map(|c| Taggable::of_connection(c, &region)).collect())
                })
                on_saved=on_changed/>
            <SelectedVifSection service=service connections=list.into() selected=selected.into() gateways=gateways.into() editing_tags=editing_tags/>
            <Show when=move || !shell.read_only()>
                <CreateConnectionForm service=service locations=locations.into() on_created=on_changed/>
            </Show>
        </section>
    }
}

/// The connections card: its polling note, refresh button, loading and error, and table.
#[component]
fn ConnectionsCard(
    service: Service,
    connections: RwSignal<Loadable<Vec<Connection>>>,
    list: Signal<Vec<Connection>>,
    selected: RwSignal<Option<String>>,
    editing_tags: RwSignal<Option<String>>,
    /// Reloads the list.
    on_changed: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="card">
            <div class="card-head">
                <h2 id="connections-heading">"Connections"</h2>
                <span class="muted" aria-live="polite" data-testid="polling">{move || if connections.with(|c| c.polling) { "refreshing while states change…" } else { "" }}</span>
                <button type="button" class="secondary small" data-testid="refresh-connections" on:click=move |_| on_changed.run(())>"Refresh"</button>
            </div>
            <Loading when=Signal::derive(move || connections.with(|c| c.loading && c.data.is_none()))/>
            <ErrorBox error=Signal::derive(move || connections.with(|c| c.error.clone())) testid="connections-error"/>
            <ConnectionsTable service=service connections=list selected=selected.into()
                on_select=Callback::new(move |id: String| selected.set(Some(id)))
                on_tags=Callback::new(move |id: String| editing_tags.set(Some(id)))
                on_deleted=on_changed/>
        </div>
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
    let pending = Pending::new();
    let delete = Callback::new(move |_| {
        let Some((id, _)) = confirming.get_untracked() else {
            return;
        };
        let request = DxRequest::DeleteConnection(DeleteConnectionRequest {
            connection_id: id,
            dry_run: None,
        });
        pending.run(
            call::send::<serde_json::Value>(shell, call::dx(service, request)),
            move |_| {
                confirming.set(None);
                on_deleted.run(());
            },
            |_| {},
        );
    });
    let on_delete = Callback::new(move |target| confirming.set(Some(target)));
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
                        rows.into_iter().map(|c| view! {
                            <ConnectionRow connection=c taggable=taggable selected=selected
                                on_select=on_select on_tags=on_tags on_delete=on_delete/>
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
        {move || confirming.get().map(|(id, name)| view! {
            <ConfirmPanel message=format!("Delete connection {name} ({id})? Its virtual interfaces must be deleted first.")
                confirm_label="Delete connection" busy=pending.busy.into()
                on_confirm=delete on_cancel=Callback::new(move |_| confirming.set(None))/>
        })}
        <ErrorBox error=pending.error.into() testid="delete-connection-error"/>
    }
}

/// One connection: its columns and its actions.
#[component]
fn ConnectionRow(
    connection: Connection,
    /// Whether the service has tagging (the Tags button).
    taggable: bool,
    selected: Signal<Option<String>>,
    on_select: Callback<String>,
    on_tags: Callback<String>,
    /// Asks to delete (id, name).
    on_delete: Callback<(String, String)>,
) -> impl IntoView {
    let shell = Shell::get();
    let c = connection;
    let id = c.connection_id.clone().unwrap_or_default();
    let name = c.connection_name.clone().unwrap_or_default();
    let state = c
        .connection_state
        .clone()
        .unwrap_or(ConnectionState::Unknown(String::new()));
    let gone = matches!(state, ConnectionState::Deleted | ConnectionState::Deleting);
    let actions = !gone && !shell.read_only();
    let (id_sel, id_tags, id_del) = (id.clone(), id.clone(), id.clone());
    let (name_tags, name_del) = (name.clone(), name.clone());
    let is_selected = {
        let id = id.clone();
        move || selected.get().as_deref() == Some(id.as_str())
    };
    view! {
        <tr data-testid="connection-row" data-id=id.clone() class:selected=is_selected>
            <td data-label="Name">{name.clone()}<TagChips tags=c.tags.clone().unwrap_or_default()/></td>
            <td data-label="ID"><code>{id.clone()}</code></td>
            <td data-label="Location">{c.location.clone().unwrap_or_default()}</td>
            <td data-label="Bandwidth">{c.bandwidth.clone().unwrap_or_default()}</td>
            <td data-label="State"><Badge state=state.as_str().to_owned() tone=connection_tone(&state)/></td>
            <td data-label="VLAN">{c.vlan.map(|v| v.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
            <td class="actions">
                <button type="button" class="secondary small" data-testid="show-vifs"
                    aria-label=format!("Virtual interfaces of {name}")
                    on:click=move |_| on_select.run(id_sel.clone())>"Virtual interfaces"</button>
                {(taggable && actions).then(|| view! {
                    <button type="button" class="secondary small" data-testid="edit-tags"
                        aria-label=format!("Tags of {name_tags}")
                        on:click=move |_| on_tags.run(id_tags.clone())>"Tags"</button>
                })}
                {actions.then(|| view! {
                    <button type="button" class="danger small" data-testid="delete-connection"
                        aria-label=format!("Delete {name_del}")
                        on:click=move |_| on_delete.run((id_del.clone(), name_del.clone()))>"Delete"</button>
                })}
            </td>
        </tr>
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
    let aws = provider == Provider::Aws;
    let form = saved_form::<ConnectionForm>("connection", service.id());
    let state = CheckedForm::new(form, move |f| f.check(provider));
    let (checked, errors) = (state.checked, state.errors);
    let pending = Pending::new();
    let created = RwSignal::new(None::<String>);
    let cli = Signal::derive(move || {
        checked.with(|c| {
            let request = DxRequest::CreateConnection(c.request.clone());
            call::command(shell, &call::dx(service, request), false, None)
        })
    });
    let location_options = Signal::derive(move || locations.with(|l| location_choices(l)));
    let bandwidths = Signal::derive(move || {
        form.with(|f| locations.with(|l| bandwidth_options(provider, l, &f.location)))
    });
    let (location, set_location) = bind(form, |f| &f.location, |f| &mut f.location);
    let (bandwidth, set_bandwidth) = bind(form, |f| &f.bandwidth, |f| &mut f.bandwidth);
    let (name, set_name) = bind(form, |f| &f.name, |f| &mut f.name);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(request) = state.submitted() else {
            return;
        };
        let request = DxRequest::CreateConnection(request);
        pending.run(
            call::send::<Connection>(shell, call::dx(service, request)),
            move |c| {
                created.set(c.connection_id.clone());
                form.set(ConnectionForm::default());
                errors.reset();
                on_created.run(());
            },
            move |e| state.rejected(e),
        );
    };
    view! {
        <form class="card" on:submit=submit data-testid="create-connection-form" novalidate>
            <h2>"Create a connection"</h2>
            <div class="grid">
                <SelectField id="cc-location" label="Location" field="location".into() value=location on_input=set_location errors=errors options=location_options empty="choose a location…"/>
                <SelectField id="cc-bandwidth" label="Bandwidth" field="bandwidth".into() value=bandwidth on_input=set_bandwidth errors=errors options=bandwidths empty="choose a bandwidth…"/>
                <TextField id="cc-name" label="Connection name" field="connectionName".into() value=name on_input=set_name errors=errors/>
                {aws.then(|| view! { <AwsConnectionFields form=form errors=errors/> })}
            </div>
            {aws.then(|| view! {
                <TagEditor id="cc-tags" field="tags" errors=errors
                    rows=Signal::derive(move || form.with(|f| f.tags.clone()))
                    set_rows=Callback::new(move |r| form.update(|f| f.tags = r))/>
            })}
            <CliBox id="cc-cli" command=cli/>
            <SubmitRow id="cc-submit" label="Create connection" errors=errors pending=pending.busy.into()/>
            <ErrorBox error=pending.error.into() testid="create-connection-error"/>
            {move || created.get().map(|id| view! { <p class="success" role="status" data-testid="created">"Requested connection " <code>{id}</code></p> })}
        </form>
    }
}

/// The fields only AWS's CreateConnection has: LAG, provider name, MACsec.
#[component]
fn AwsConnectionFields(form: RwSignal<ConnectionForm>, errors: ErrorView) -> impl IntoView {
    let (lag, set_lag) = bind(form, |f| &f.lag_id, |f| &mut f.lag_id);
    let (provider_name, set_provider_name) =
        bind(form, |f| &f.provider_name, |f| &mut f.provider_name);
    view! {
        <TextField id="cc-lag" label="LAG id (optional)" field="lagId".into() value=lag on_input=set_lag errors=errors placeholder="dxlag-…"/>
        <TextField id="cc-provider-name" label="Provider name (optional)" field="providerName".into() value=provider_name on_input=set_provider_name errors=errors/>
        <div class="field checkbox">
            <input id="cc-macsec" type="checkbox" prop:checked=move || form.with(|f| f.mac_sec)
                on:change=move |ev| { let v = event_target_checked(&ev); form.update(|f| f.mac_sec = v); }/>
            <label for="cc-macsec">"Request MACsec"</label>
        </div>
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
    let truncated = RwSignal::new(false);
    let cid = connection_id.clone();
    let cid = StoredValue::new(cid);
    let refresh = move || {
        load(
            vifs,
            move || async move {
                let job = call::page_job(shell, service, ListKind::Interfaces);
                let wanted = move || vifs.try_with_untracked(|_| ()).is_some();
                let r = call::read_dx_list(&job, Some(&cid.get_value()), &wanted)
                    .await
                    .0
                    .inspect_err(|e| shell.note(e))?;
                let _ = truncated.try_set(r.truncated);
                Ok(r.interfaces)
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
            <Truncated when=truncated.into()/>
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
    let router_for = RwSignal::new(None::<String>);
    let pending = Pending::new();
    // Every action of the table: one at a time, then the list reloads.
    let run = move |request: DxRequest, after: Box<dyn FnOnce() + 'static>| {
        pending.run(
            call::send::<serde_json::Value>(shell, call::dx(service, request)),
            move |_| {
                after();
                on_changed.run(());
            },
            |_| {},
        );
    };
    let delete = move |id: String| {
        let request = DxRequest::DeleteVirtualInterface(DeleteVirtualInterfaceRequest {
            virtual_interface_id: id,
            dry_run: None,
        });
        run(request, Box::new(move || deleting.set(None)));
    };
    let confirm = Callback::new(move |request| {
        let request = DxRequest::ConfirmPrivateVirtualInterface(request);
        run(request, Box::new(move || confirming.set(None)));
    });
    let row_actions = VifRowActions {
        taggable,
        revealed,
        on_confirm: Callback::new(move |id| confirming.set(Some(id))),
        on_tags,
        on_delete: Callback::new(move |target| deleting.set(Some(target))),
        on_router: Callback::new(move |id| router_for.set(Some(id))),
    };
    view! {
        <div class="table-wrap">
            <table data-testid="vifs-table" aria-labelledby="vifs-heading">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"ID"</th><th scope="col">"VLAN"</th><th scope="col">"ASN"</th><th scope="col">"Owner"</th><th scope="col">"State"</th><th scope="col">"BGP"</th><th scope="col">"BGP key"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>
                    {move || {
                        let rows = interfaces.get();
                        if rows.is_empty() {
                            return view! { <tr><td colspan="9" class="muted" data-testid="no-vifs">"No virtual interfaces on this connection."</td></tr> }.into_any();
                        }
                        rows.into_iter().map(|v| view! { <VifRow interface=v actions=row_actions/> }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
        {move || confirming.get().map(|id| view! {
            <ConfirmVifForm service=service virtual_interface_id=id gateways=gateways pending=pending
                on_confirm=confirm on_cancel=Callback::new(move |_| confirming.set(None))/>
        })}
        {move || deleting.get().map(|(id, name)| {
            let id2 = id.clone();
            view! {
                <ConfirmPanel message=format!("Delete virtual interface {name} ({id})?") confirm_label="Delete interface" busy=pending.busy.into()
                    on_confirm=Callback::new(move |_| delete(id2.clone()))
                    on_cancel=Callback::new(move |_| deleting.set(None))/>
            }
        })}
        <ErrorBox error=pending.error.into() testid="vif-action-error"/>
        <RouterConfigFor open=router_for interfaces=interfaces/>
    }
}

/// What a row of the interfaces table may do, shared by every row.
#[derive(Clone, Copy)]
struct VifRowActions {
    /// Whether the service has tagging (the Tags button).
    taggable: bool,
    /// The interfaces whose BGP key is shown.
    revealed: RwSignal<Vec<String>>,
    on_confirm: Callback<String>,
    on_tags: Callback<String>,
    /// Asks to delete (id, name).
    on_delete: Callback<(String, String)>,
    /// Opens the router configuration of a private interface.
    on_router: Callback<String>,
}

/// One interface: its columns, its BGP key (masked until asked for), its actions.
#[component]
fn VifRow(interface: VirtualInterface, actions: VifRowActions) -> impl IntoView {
    let shell = Shell::get();
    let v = interface;
    let VifRowActions {
        taggable,
        revealed,
        on_confirm,
        on_tags,
        on_delete,
        on_router,
    } = actions;
    let routable = has_router_config(&v);
    let id = v.virtual_interface_id.clone().unwrap_or_default();
    let name = v.virtual_interface_name.clone().unwrap_or_default();
    let state = v
        .virtual_interface_state
        .clone()
        .unwrap_or(VirtualInterfaceState::Unknown(String::new()));
    let waiting = state == VirtualInterfaceState::Confirming;
    let gone = matches!(
        state,
        VirtualInterfaceState::Deleted | VirtualInterfaceState::Deleting
    );
    let ro = shell.read_only();
    let (id_c, id_t, id_d, id_r) = (id.clone(), id.clone(), id.clone(), id.clone());
    let (name_t, name_d) = (name.clone(), name.clone());
    view! {
        <tr data-testid="vif-row" data-id=id.clone()>
            <td data-label="Name">{name.clone()}<TagChips tags=v.tags.clone().unwrap_or_default()/></td>
            <td data-label="ID"><code>{id.clone()}</code></td>
            <td data-label="VLAN">{v.vlan.map(|x| x.to_string()).unwrap_or_default()}</td>
            <td data-label="ASN">{v.asn_long.or(v.asn).map(|x| x.to_string()).unwrap_or_default()}</td>
            <td data-label="Owner">{v.owner_account.clone().unwrap_or_default()}</td>
            <td data-label="State"><Badge state=state.as_str().to_owned() tone=interface_tone(&state)/></td>
            <td data-label="BGP"><BgpCell health=bgp_word(&v) flag=bgp_flag(&v)/></td>
            <td data-label="BGP key"><BgpKeyCell id=id.clone() key=bgp_key(&v) revealed=revealed/></td>
            <td class="actions">
                {(waiting && !ro).then(|| view! {
                    <button type="button" class="small" data-testid="confirm-vif" on:click=move |_| on_confirm.run(id_c.clone())>"Confirm"</button>
                })}
                {(routable && !gone).then(|| view! {
                    <button type="button" class="secondary small" data-testid="router-config-open"
                        aria-label=format!("Router config of {name}")
                        on:click=move |_| on_router.run(id_r.clone())>"Router config"</button>
                })}
                {(taggable && !gone && !ro).then(|| view! {
                    <button type="button" class="secondary small" data-testid="edit-tags"
                        aria-label=format!("Tags of {name_t}")
                        on:click=move |_| on_tags.run(id_t.clone())>"Tags"</button>
                })}
                {(!gone && !ro).then(|| view! {
                    <button type="button" class="danger small" data-testid="delete-vif" aria-label=format!("Delete {name_d}")
                        on:click=move |_| on_delete.run((id_d.clone(), name_d.clone()))>"Delete"</button>
                })}
            </td>
        </tr>
    }
}

/// BGP health, and the mismatch ("link up, BGP down…") as a warning when there is one.
#[component]
pub fn BgpCell(health: &'static str, flag: String) -> impl IntoView {
    let tone = match health {
        "up" => Tone::Good,
        "down" => Tone::Bad,
        "partial" => Tone::Waiting,
        _ => Tone::Unknown,
    };
    let flagged = !flag.is_empty();
    view! {
        {(!health.is_empty()).then(|| view! { <span class=tone.class() data-testid="bgp">{health}</span> })}
        {flagged.then(|| view! { <p class="flag" data-testid="bgp-flag">"⚠ "{flag}</p> })}
    }
}

/// A BGP key, masked, with Show/Hide when there is one.
#[component]
fn BgpKeyCell(id: String, key: Option<String>, revealed: RwSignal<Vec<String>>) -> impl IntoView {
    let has_key = key.is_some();
    let id = StoredValue::new(id);
    let shown = move || revealed.with(|r| id.with_value(|id| r.contains(id)));
    view! {
        <code data-testid="bgp-key">{move || masked(key.as_deref(), shown())}</code>
        {has_key.then(|| view! {
            <button type="button" class="secondary small" data-testid="reveal-key"
                aria-pressed=move || shown().to_string()
                on:click=move |_| revealed.update(|r| id.with_value(|id| toggle(r, id)))>
                {move || if shown() { "Hide" } else { "Show" }}
            </button>
        })}
    }
}

/// ConfirmPrivateVirtualInterface: the gateway to attach the interface to.
#[component]
fn ConfirmVifForm(
    service: Service,
    virtual_interface_id: String,
    gateways: Signal<Vec<VirtualGateway>>,
    /// The table's call in flight and its error.
    pending: Pending,
    on_confirm: Callback<ConfirmPrivateVirtualInterfaceRequest>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let shell = Shell::get();
    let provider = service.provider();
    let gateway = RwSignal::new(String::new());
    let vif = StoredValue::new(virtual_interface_id.clone());
    let checked = Memo::new(move |_| {
        vif.with_value(|id| forms::confirm_request(provider, id, &gateway.get()))
    });
    let errors = ErrorView::new(Signal::derive(move || checked.with(|c| c.errors.clone())));
    let cli = Signal::derive(move || {
        checked.with(|c| {
            let request = DxRequest::ConfirmPrivateVirtualInterface(c.request.clone());
            call::command(shell, &call::dx(service, request), false, None)
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !checked.with_untracked(|c| c.is_valid()) {
            errors.attempt();
            return;
        }
        on_confirm.run(checked.with_untracked(|c| c.request.clone()));
    };
    let gateway_options = Signal::derive(move || gateways.with(|g| gateway_choices(g)));
    view! {
        <form class="confirm" on:submit=submit data-testid="confirm-vif-form">
            <p>"Accept virtual interface " <code>{virtual_interface_id}</code> " and attach it to a virtual gateway:"</p>
            <SelectField id="confirm-vgw" label="Virtual gateway" field="virtualGatewayId".into()
                value=gateway.into() on_input=Callback::new(move |v| gateway.set(v)) errors=errors options=gateway_options/>
            <CliBox id="confirm-cli" command=cli/>
            <SubmitRow id="confirm-submit" label="Confirm interface" errors=errors pending=pending.busy.into()/>
            <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
        </form>
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
    let form = saved_form::<VifForm>("vif", service.id());
    let cid = StoredValue::new(connection_id);
    let reveal = RwSignal::new(false);
    let state = CheckedForm::new(form, move |f| cid.with_value(|cid| f.check(provider, cid)));
    let (checked, errors) = (state.checked, state.errors);
    let pending = Pending::new();
    let done = RwSignal::new(None::<String>);
    let cli = Signal::derive(move || {
        let shown = reveal.get();
        checked.with(|c| {
            let request = call::dx(service, c.request.clone().into_dx());
            call::command(shell, &request, shown, None)
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(request) = state.submitted() else {
            return;
        };
        let request = request.into_dx();
        pending.run(
            call::send::<VirtualInterface>(shell, call::dx(service, request)),
            move |v| {
                done.set(v.virtual_interface_id.clone());
                form.update(|f| *f = f.emptied());
                errors.reset();
                on_created.run(());
            },
            move |e| state.rejected(e),
        );
    };
    view! {
        <form class="sub-card" on:submit=submit data-testid="vif-form" novalidate>
            <h3>"New private virtual interface"</h3>
            <VifModeChoice form=form/>
            <VifFields provider=provider form=form errors=errors gateways=gateways/>
            <div class="field checkbox">
                <input id="vif-reveal" type="checkbox" prop:checked=move || reveal.get() on:change=move |ev| reveal.set(event_target_checked(&ev))/>
                <label for="vif-reveal">"Show the BGP key in the command"</label>
            </div>
            <CliBox id="vif-cli" command=cli/>
            <SubmitRow id="vif-submit" label="Send" errors=errors pending=pending.busy.into()/>
            <ErrorBox error=pending.error.into() testid="vif-error"/>
            {move || done.get().map(|id| view! { <p class="success" role="status" data-testid="vif-created">"Virtual interface " <code>{id}</code> " requested"</p> })}
        </form>
    }
}

/// Create in this account or allocate to another.
#[component]
fn VifModeChoice(form: RwSignal<VifForm>) -> impl IntoView {
    let mode = Memo::new(move |_| form.with(|f| f.mode));
    let set_mode = move |m: VifMode| form.update(|f| f.mode = m);
    view! {
        <fieldset class="mode">
            <legend>"Owner"</legend>
            <input type="radio" id="vif-mode-create" name="vif-mode" prop:checked=move || mode.get() == VifMode::Create on:change=move |_| set_mode(VifMode::Create)/>
            <label for="vif-mode-create">"This account (create)"</label>
            <input type="radio" id="vif-mode-allocate" name="vif-mode" prop:checked=move || mode.get() == VifMode::Allocate on:change=move |_| set_mode(VifMode::Allocate)/>
            <label for="vif-mode-allocate">"Another account (allocate)"</label>
        </fieldset>
    }
}

/// The interface's fields, rebuilt when the mode changes (their wire paths do).
#[component]
fn VifFields(
    provider: Provider,
    form: RwSignal<VifForm>,
    errors: ErrorView,
    gateways: Signal<Vec<VirtualGateway>>,
) -> impl IntoView {
    let aws = provider == Provider::Aws;
    let mode = Memo::new(move |_| form.with(|f| f.mode));
    let f = move |child: &str| mode.get_untracked().field(child);
    let (name, set_name) = bind(form, |f| &f.name, |f| &mut f.name);
    let (vlan, set_vlan) = bind(form, |f| &f.vlan, |f| &mut f.vlan);
    let (asn, set_asn) = bind(form, |f| &f.asn, |f| &mut f.asn);
    let (auth_key, set_auth_key) = bind(form, |f| &f.auth_key, |f| &mut f.auth_key);
    let (amazon, set_amazon) = bind(form, |f| &f.amazon_address, |f| &mut f.amazon_address);
    let (customer, set_customer) = bind(form, |f| &f.customer_address, |f| &mut f.customer_address);
    let (vgw, set_vgw) = bind(
        form,
        |f| &f.virtual_gateway_id,
        |f| &mut f.virtual_gateway_id,
    );
    let (owner, set_owner) = bind(form, |f| &f.owner_account, |f| &mut f.owner_account);
    let gateway_options = Signal::derive(move || gateways.with(|g| gateway_ids(g)));
    move || {
        let m = mode.get();
        view! {
            <div class="grid">
                <TextField id="vif-name" label="Name" field=f("virtualInterfaceName") value=name on_input=set_name errors=errors/>
                <TextField id="vif-vlan" label="VLAN" field=f("vlan") value=vlan on_input=set_vlan errors=errors kind="text" hint=vlan_hint(provider)/>
                <TextField id="vif-asn" label="Customer BGP ASN" field=f("asn") value=asn on_input=set_asn errors=errors hint=asn_hint(provider)/>
                <TextField id="vif-auth-key" label="BGP auth key (optional)" field=f("authKey") value=auth_key on_input=set_auth_key errors=errors kind="password"/>
                <TextField id="vif-amazon-address" label="Amazon peer address (optional)" field=f("amazonAddress") value=amazon on_input=set_amazon errors=errors placeholder="169.254.10.1/30"/>
                <TextField id="vif-customer-address" label="Customer peer address (optional)" field=f("customerAddress") value=customer on_input=set_customer errors=errors placeholder="169.254.10.2/30"/>
                {aws.then(|| view! { <AwsVifFields form=form errors=errors mode=m/> })}
                {(m == VifMode::Create).then(|| view! {
                    <SelectField id="vif-vgw" label="Virtual gateway" field=f("virtualGatewayId") value=vgw on_input=set_vgw errors=errors options=gateway_options/>
                })}
                {(m == VifMode::Allocate).then(|| view! {
                    <TextField id="vif-owner" label="Owner account" field="ownerAccount".into() value=owner on_input=set_owner errors=errors placeholder="123456789012"/>
                })}
            </div>
        }
    }
}

/// The interface fields only AWS has: address family and MTU.
#[component]
fn AwsVifFields(form: RwSignal<VifForm>, errors: ErrorView, mode: VifMode) -> impl IntoView {
    let (family, set_family) = bind(form, |f| &f.address_family, |f| &mut f.address_family);
    let (mtu, set_mtu) = bind(form, |f| &f.mtu, |f| &mut f.mtu);
    view! {
        <SelectField id="vif-family" label="Address family" field=mode.field("addressFamily") value=family on_input=set_family errors=errors
            options=Signal::derive(address_family_choices) empty="default (ipv4)"/>
        <SelectField id="vif-mtu" label="MTU" field=mode.field("mtu") value=mtu on_input=set_mtu errors=errors
            options=Signal::derive(mtu_choices) empty=mtu_default_label()/>
    }
}
