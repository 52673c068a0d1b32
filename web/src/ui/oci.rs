//! OCI instance console connections: list by compartment (and instance),
//! create from a pasted or loaded SSH key, connection strings, delete.

use cloudlink_core::oci::{
    DeleteInstanceConsoleConnectionRequest, InstanceConsoleConnection, LifecycleState, OciRequest,
};
use cloudlink_core::{ProviderError, Service};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api;
use crate::logic::forms::{OciCreateForm, OciListForm, key_summary};
use crate::logic::paging::{MAX_PAGES, PAGE_SIZE, Paged};
use crate::logic::status::{lifecycle_tone, retry_token, should_poll};
use crate::ui::call;
use crate::ui::load::{Loadable, load};
use crate::ui::shell::{ScopeBar, Shell};
use crate::ui::widgets::*;

fn moving(list: &Paged<InstanceConsoleConnection>) -> bool {
    should_poll(
        list.items.iter().map(|c| c.lifecycle_state.as_ref()),
        LifecycleState::is_transitional,
    )
}

/// 16 random bytes from the browser's CSPRNG.
fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
}

#[component]
pub fn OciPage() -> impl IntoView {
    let shell = Shell::get();
    let form = saved_form::<OciListForm>("oci-list", "oci");
    let checked = Memo::new(move |_| form.with(OciListForm::check));
    let errors = ErrorView::new(Signal::derive(move || checked.with(|c| c.errors.clone())));
    let list = RwSignal::new(Loadable::<Paged<InstanceConsoleConnection>>::default());
    let refresh = move || {
        if !checked.with_untracked(|c| c.is_valid()) {
            return;
        }
        load(
            list,
            move || async move {
                let request = checked.with_untracked(|c| c.request.clone());
                call::list_all_pages(shell, request).await
            },
            moving,
        )
    };
    let cli = Signal::derive(move || {
        checked.with(|c| {
            call::command(
                shell,
                &call::oci(OciRequest::List(c.request.clone())),
                false,
                None,
            )
        })
    });
    let (compartment, set_compartment) =
        bind(form, |f| &f.compartment_id, |f| &mut f.compartment_id);
    let (instance, set_instance) = bind(form, |f| &f.instance_id, |f| &mut f.instance_id);
    let compartments = shell.suggestions("compartment");
    let instances = shell.suggestions("instance");
    // A restored, valid filter lists at once.
    Effect::new(move |_| {
        let _ = (
            shell.region(Service::OciCore),
            shell.profile(Service::OciCore),
        );
        if untrack(|| checked.with(|c| c.is_valid())) {
            refresh();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !checked.with_untracked(|c| c.is_valid()) {
            errors.attempt();
        }
        refresh();
    };
    // A poll that brings the same list back rebuilds no row.
    let rows = Memo::new(move |_| {
        list.with(|l| l.data.as_ref().map(|p| p.items.clone()).unwrap_or_default())
    });
    let truncated = move || list.with(|l| l.data.as_ref().is_some_and(|p| p.truncated));
    view! {
        <section class="page" data-testid="page-oci">
            <h1>"OCI instance console connections"</h1>
            <ScopeBar service=Service::OciCore/>
            <datalist id="compartment-ids">{move || compartments.get().into_iter().map(|a| view! { <option value=a></option> }).collect_view()}</datalist>
            <datalist id="instance-ids">{move || instances.get().into_iter().map(|a| view! { <option value=a></option> }).collect_view()}</datalist>
            <form class="card" on:submit=submit data-testid="oci-list-form" novalidate>
                <div class="card-head">
                    <h2 id="oci-heading">"Console connections"</h2>
                    <span class="muted" aria-live="polite" data-testid="polling">{move || if list.with(|l| l.polling) { "refreshing while states change…" } else { "" }}</span>
                </div>
                <div class="grid">
                    <TextField id="oci-compartment" label="Compartment OCID" field="compartmentId".into() value=compartment on_input=set_compartment errors=errors list="compartment-ids"/>
                    <TextField id="oci-filter-instance" label="Instance OCID (optional)" field="instanceId".into() value=instance on_input=set_instance errors=errors list="instance-ids"/>
                </div>
                <CliBox id="oci-list-cli" command=cli/>
                <SubmitRow id="oci-list-submit" label="List" errors=errors pending=Signal::derive(move || list.with(|l| l.loading))/>
                <Loading when=Signal::derive(move || list.with(|l| l.loading && l.data.is_none()))/>
                <ErrorBox error=Signal::derive(move || list.with(|l| l.error.clone())) testid="oci-list-error"/>
                <ConsoleConnectionsTable connections=rows.into() on_changed=Callback::new(move |_| refresh())/>
                <Show when=truncated>
                    <p class="notice" role="status" data-testid="oci-truncated">{format!("Showing the first {} console connections; filter by instance to see the rest.", MAX_PAGES as i64 * PAGE_SIZE)}</p>
                </Show>
            </form>
            <Show when=move || !shell.read_only()>
                <OciCreateFormView on_created=Callback::new(move |_| refresh())/>
            </Show>
        </section>
    }
}

/// The console connections with their connection strings and delete.
#[component]
pub fn ConsoleConnectionsTable(
    connections: Signal<Vec<InstanceConsoleConnection>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let shell = Shell::get();
    let deleting = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ProviderError>);
    let delete = Callback::new(move |_| {
        let Some(id) = deleting.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            let request = OciRequest::Delete(DeleteInstanceConsoleConnectionRequest {
                instance_console_connection_id: id,
                if_match: None,
            });
            match call::send::<serde_json::Value>(shell, call::oci(request)).await {
                Ok(_) => {
                    deleting.set(None);
                    error.set(None);
                    on_changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    });
    view! {
        <div class="table-wrap">
            <table data-testid="oci-table" aria-labelledby="oci-heading">
                <thead><tr><th scope="col">"ID"</th><th scope="col">"Instance"</th><th scope="col">"State"</th><th scope="col">"Fingerprint"</th><th scope="col">"Connect"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>
                    {move || {
                        let rows = connections.get();
                        if rows.is_empty() {
                            return view! { <tr><td colspan="6" class="muted" data-testid="no-oci">"No console connections."</td></tr> }.into_any();
                        }
                        rows.into_iter().map(|c| {
                            let id = c.id.clone().unwrap_or_default();
                            let state = c.lifecycle_state.clone().unwrap_or(LifecycleState::Unknown(String::new()));
                            let gone = matches!(state, LifecycleState::Deleted | LifecycleState::Deleting);
                            let ssh = c.connection_string.clone().unwrap_or_default();
                            let vnc = c.vnc_connection_string.clone().unwrap_or_default();
                            let id_d = id.clone();
                            view! {
                                <tr data-testid="oci-row" data-id=id.clone()>
                                    <td data-label="ID"><code class="ocid">{id.clone()}</code></td>
                                    <td data-label="Instance"><code class="ocid">{c.instance_id.clone().unwrap_or_default()}</code></td>
                                    <td data-label="State"><Badge state=state.as_str().to_owned() tone=lifecycle_tone(&state)/></td>
                                    <td data-label="Fingerprint"><code>{c.fingerprint.clone().unwrap_or_default()}</code></td>
                                    <td data-label="Connect" class="strings">
                                        {(!ssh.is_empty()).then(|| { let s = ssh.clone(); view! {
                                            <div class="conn-string"><span>"SSH"</span><code data-testid="ssh-string">{ssh.clone()}</code>
                                                <CopyButton text=Signal::derive(move || s.clone()) label="Copy the SSH connection string" testid="copy-ssh"/></div>
                                        }})}
                                        {(!vnc.is_empty()).then(|| { let s = vnc.clone(); view! {
                                            <div class="conn-string"><span>"VNC"</span><code data-testid="vnc-string">{vnc.clone()}</code>
                                                <CopyButton text=Signal::derive(move || s.clone()) label="Copy the VNC connection string" testid="copy-vnc"/></div>
                                        }})}
                                    </td>
                                    <td class="actions">
                                        {(!gone && !shell.read_only()).then(|| view! {
                                            <button type="button" class="danger small" data-testid="delete-oci" on:click=move |_| deleting.set(Some(id_d.clone()))>"Delete"</button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
        {move || deleting.get().map(|id| view! {
            <ConfirmPanel message=format!("Delete console connection {id}?") confirm_label="Delete connection" busy=pending.into()
                on_confirm=delete on_cancel=Callback::new(move |_| deleting.set(None))/>
        })}
        <ErrorBox error=error.into() testid="delete-oci-error"/>
    }
}

#[component]
pub fn OciCreateFormView(on_created: Callback<()>) -> impl IntoView {
    let shell = Shell::get();
    let form = saved_form::<OciCreateForm>("oci-create", "oci");
    let server_errors = RwSignal::new(Vec::new());
    let checked = Memo::new(move |_| {
        let mut c = form.with(OciCreateForm::check);
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
    let created = RwSignal::new(None::<InstanceConsoleConnection>);
    let cli = Signal::derive(move || {
        let file = form.with(|f| f.key_file_name.clone());
        checked.with(|c| {
            call::command(
                shell,
                &call::oci(OciRequest::Create(c.request.clone())),
                false,
                file.as_deref(),
            )
        })
    });
    let summary = Memo::new(move |_| form.with(|f| key_summary(&f.public_key)));
    let (instance, set_instance) = bind(form, |f| &f.instance_id, |f| &mut f.instance_id);
    let (key, set_key) = bind(form, |f| &f.public_key, |f| &mut f.public_key);
    let set_key_typed = Callback::new(move |v: String| {
        set_key.run(v);
        form.update(|f| f.key_file_name = None);
    });
    let load_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let name = file.name();
        spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                let text = text.as_string().unwrap_or_default();
                errors.touch("publicKey");
                form.update(|f| {
                    f.public_key = text.trim().to_owned();
                    f.key_file_name = Some(name);
                });
            }
        });
    };
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
        // One retry token per submission: retries of this submission reuse it.
        let mut request = checked.with_untracked(|c| c.request.clone());
        request.retry_token = Some(retry_token(random_bytes()));
        spawn_local(async move {
            let mut attempts = 0;
            let result = loop {
                attempts += 1;
                let r = call::send::<InstanceConsoleConnection>(
                    shell,
                    call::oci(OciRequest::Create(request.clone())),
                )
                .await;
                match r {
                    Err(e) if api::is_retryable(&e) && attempts < 3 => continue,
                    other => break other,
                }
            };
            match result {
                Ok(c) => {
                    created.set(Some(c));
                    form.update(|f| {
                        f.public_key.clear();
                        f.key_file_name = None;
                        f.tags.clear();
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
    view! {
        <form class="card" on:submit=submit data-testid="oci-create-form" novalidate>
            <h2>"Create a console connection"</h2>
            <TextField id="oci-instance" label="Instance OCID" field="instanceId".into() value=instance on_input=set_instance errors=errors list="instance-ids"/>
            <TextField id="oci-key" label="SSH public key" field="publicKey".into() value=key on_input=set_key_typed errors=errors multiline=true placeholder="ssh-ed25519 AAAA… or ssh-rsa AAAA…"/>
            <div class="field">
                <label for="oci-key-file">"…or load it from a file"</label>
                <input id="oci-key-file" type="file" accept=".pub,text/plain" on:change=load_file/>
            </div>
            <div aria-live="polite" data-testid="key-fingerprint">
                {move || summary.get().map(|s| view! {
                    <dl class="result">
                        <dt>"Key"</dt><dd>{format!("{} {} bits", s.key_type, s.bits)}{s.comment.map(|c| format!(" — {c}"))}</dd>
                        <dt>"Fingerprint (SHA256)"</dt><dd><code data-testid="fingerprint-sha256">{s.sha256}</code></dd>
                        <dt>"Fingerprint (MD5, as OCI shows it)"</dt><dd><code data-testid="fingerprint-md5">{s.md5}</code></dd>
                    </dl>
                })}
            </div>
            <TagEditor id="oci-tags" field="freeformTags" errors=errors
                rows=Signal::derive(move || form.with(|f| f.tags.clone()))
                set_rows=Callback::new(move |r| form.update(|f| f.tags = r))/>
            <CliBox id="oci-cli" command=cli/>
            <SubmitRow id="oci-submit" label="Create console connection" errors=errors pending=pending.into()/>
            <ErrorBox error=error.into() testid="oci-create-error"/>
            {move || created.get().map(|c| view! {
                <p class="success" role="status" data-testid="oci-created">"Creating " <code>{c.id.clone().unwrap_or_default()}</code></p>
            })}
        </form>
    }
}
