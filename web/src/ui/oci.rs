//! OCI instance console connections: list by compartment (and instance),
//! create from a pasted or loaded SSH key, connection strings with the
//! OpenSSH command and config block made from them, delete.

use cloudlink_core::oci::{
    DeleteInstanceConsoleConnectionRequest, InstanceConsoleConnection, LifecycleState,
    ListInstanceConsoleConnectionsRequest, OciRequest,
};
use cloudlink_core::{Provider, Service};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::logic::forms::{Checked, OciCreateForm, OciListForm, key_summary};
use crate::logic::inventory;
use crate::logic::openssh::{self, DEFAULT_IDENTITY, IDENTITY_FIELD, identity_errors, row_error};
use crate::logic::paging::{MAX_PAGES, PAGE_SIZE, Paged};
use crate::logic::status::{lifecycle_tone, retry_token, should_poll};
use crate::ui::call::{self, Pending};
use crate::ui::load::{Loadable, load};
use crate::ui::shell::{ScopeBar, Shell};
use crate::ui::widgets::*;

fn moving(list: &Paged<InstanceConsoleConnection>) -> bool {
    should_poll(
        list.items.iter().map(|c| c.lifecycle_state.as_ref()),
        LifecycleState::is_transitional,
    )
}

/// How many times a create is sent while the error says a retry may succeed.
const CREATE_ATTEMPTS: u32 = 3;

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
    let form = saved_form::<OciListForm>("oci-list", Provider::Oci.display_name());
    let checked = Memo::new(move |_| form.with(OciListForm::check));
    let list = RwSignal::new(Loadable::<Paged<InstanceConsoleConnection>>::default());
    let refresh = move || {
        if !checked.with_untracked(|c| c.is_valid()) {
            return;
        }
        load(
            list,
            move || async move {
                let request = checked.with_untracked(|c| c.request.clone());
                let paged = call::list_all_pages(shell, request).await?;
                let (region, profile) = shell.scope(Service::OciCore);
                let rows = paged
                    .items
                    .iter()
                    .map(|c| inventory::oci_row(&region, profile.as_deref(), c))
                    .collect();
                shell.remember(rows, Some((Service::OciCore.id(), &region)));
                let scope = inventory::Scope {
                    service: Service::OciCore,
                    profile,
                    region,
                };
                let _ = shell.consoles.try_update(|kept| {
                    crate::logic::exports::remember_consoles(kept, &scope, &paged.items)
                });
                Ok(paged)
            },
            moving,
        )
    };
    // A restored, valid filter lists at once, and again when the region or profile changes
    // (a memo: the same scope read again does not list twice).
    let scope = Memo::new(move |_| {
        (
            shell.region(Service::OciCore),
            shell.profile(Service::OciCore),
        )
    });
    Effect::new(move |_| {
        // Read, not just tracked: a memo nobody reads never runs, so never sees a change.
        let _ = scope.get();
        if untrack(|| checked.with(|c| c.is_valid())) {
            refresh();
        }
    });
    let on_changed = Callback::new(move |_| refresh());
    view! {
        <section class="page" data-testid="page-oci">
            <h1>"OCI instance console connections"</h1>
            <ScopeBar service=Service::OciCore/>
            <Suggestions id="compartment-ids" values=shell.suggestions("compartment")/>
            <Suggestions id="instance-ids" values=shell.suggestions("instance")/>
            <OciListCard form=form checked=checked list=list on_refresh=on_changed/>
            <Show when=move || !shell.read_only()>
                <OciCreateFormView on_created=on_changed/>
            </Show>
        </section>
    }
}

/// The filter form and the list it fetches.
#[component]
fn OciListCard(
    form: RwSignal<OciListForm>,
    checked: Memo<Checked<ListInstanceConsoleConnectionsRequest>>,
    list: RwSignal<Loadable<Paged<InstanceConsoleConnection>>>,
    /// Fetches the list again (when the filter is valid).
    on_refresh: Callback<()>,
) -> impl IntoView {
    let shell = Shell::get();
    let errors = ErrorView::new(Signal::derive(move || checked.with(|c| c.errors.clone())));
    let cli = Signal::derive(move || {
        checked.with(|c| {
            let request = call::oci(OciRequest::List(c.request.clone()));
            call::command(shell, &request, false, None)
        })
    });
    let (compartment, set_compartment) =
        bind(form, |f| &f.compartment_id, |f| &mut f.compartment_id);
    let (instance, set_instance) = bind(form, |f| &f.instance_id, |f| &mut f.instance_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !checked.with_untracked(|c| c.is_valid()) {
            errors.attempt();
        }
        on_refresh.run(());
    };
    // A poll that brings the same list back rebuilds no row.
    let rows = Memo::new(move |_| {
        list.with(|l| l.data.as_ref().map(|p| p.items.clone()).unwrap_or_default())
    });
    let truncated = move || list.with(|l| l.data.as_ref().is_some_and(|p| p.truncated));
    let identity = RwSignal::new(DEFAULT_IDENTITY.to_owned());
    view! {
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
            <IdentityField identity=identity connections=rows.into()/>
            <ConsoleConnectionsTable connections=rows.into() on_changed=on_refresh identity=identity/>
            <Show when=truncated>
                <p class="notice" role="status" data-testid="oci-truncated">{format!("Showing the first {} console connections; filter by instance to see the rest.", MAX_PAGES as i64 * PAGE_SIZE)}</p>
            </Show>
        </form>
    }
}

/// The identity file the OpenSSH commands use, with the error core finds in it.
#[component]
fn IdentityField(
    identity: RwSignal<String>,
    connections: Signal<Vec<InstanceConsoleConnection>>,
) -> impl IntoView {
    let errors = ErrorView::new(Signal::derive(move || {
        connections.with(|c| identity.with(|i| identity_errors(c, i)))
    }));
    view! {
        <TextField id="oci-identity" label="Identity file for the OpenSSH commands (optional)" field=IDENTITY_FIELD.into()
            value=identity.into() on_input=Callback::new(move |v| identity.set(v)) errors=errors
            hint="The private key matching the connection's public key; leave blank for OpenSSH's defaults."/>
    }
}

/// The console connections with their connection strings and delete.
#[component]
pub fn ConsoleConnectionsTable(
    connections: Signal<Vec<InstanceConsoleConnection>>,
    on_changed: Callback<()>,
    /// The identity file field's text, for the OpenSSH commands.
    #[prop(into, default = Signal::stored(DEFAULT_IDENTITY.to_owned()))]
    identity: Signal<String>,
) -> impl IntoView {
    let shell = Shell::get();
    let deleting = RwSignal::new(None::<String>);
    let pending = Pending::new();
    let delete = Callback::new(move |_| {
        let Some(id) = deleting.get_untracked() else {
            return;
        };
        let request = OciRequest::Delete(DeleteInstanceConsoleConnectionRequest {
            instance_console_connection_id: id,
            if_match: None,
        });
        pending.run(
            call::send::<serde_json::Value>(shell, call::oci(request)),
            move |_| {
                deleting.set(None);
                on_changed.run(());
            },
            |_| {},
        );
    });
    let on_delete = Callback::new(move |id| deleting.set(Some(id)));
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
                        rows.into_iter().map(|c| view! { <ConsoleConnectionRow connection=c on_delete=on_delete identity=identity/> }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
        {move || deleting.get().map(|id| view! {
            <ConfirmPanel message=format!("Delete console connection {id}?") confirm_label="Delete connection" busy=pending.busy.into()
                on_confirm=delete on_cancel=Callback::new(move |_| deleting.set(None))/>
        })}
        <ErrorBox error=pending.error.into() testid="delete-oci-error"/>
    }
}

/// One console connection: its columns, connection strings and delete.
#[component]
fn ConsoleConnectionRow(
    connection: InstanceConsoleConnection,
    on_delete: Callback<String>,
    identity: Signal<String>,
) -> impl IntoView {
    let shell = Shell::get();
    let c = connection;
    let id = c.id.clone().unwrap_or_default();
    let state = c
        .lifecycle_state
        .clone()
        .unwrap_or(LifecycleState::Unknown(String::new()));
    let gone = matches!(state, LifecycleState::Deleted | LifecycleState::Deleting);
    let id_d = id.clone();
    view! {
        <tr data-testid="oci-row" data-id=id.clone()>
            <td data-label="ID"><code class="ocid">{id.clone()}</code></td>
            <td data-label="Instance"><code class="ocid">{c.instance_id.clone().unwrap_or_default()}</code></td>
            <td data-label="State"><Badge state=state.as_str().to_owned() tone=lifecycle_tone(&state)/></td>
            <td data-label="Fingerprint"><code>{c.fingerprint.clone().unwrap_or_default()}</code></td>
            <td data-label="Connect" class="strings">
                <ConnectionString kind="SSH" text=c.connection_string.clone().unwrap_or_default()
                    testid="ssh-string" copy_label="Copy the SSH connection string" copy_testid="copy-ssh"/>
                <ConnectionString kind="VNC" text=c.vnc_connection_string.clone().unwrap_or_default()
                    testid="vnc-string" copy_label="Copy the VNC connection string" copy_testid="copy-vnc"/>
                {(!gone).then(|| view! { <SshAccessView connection=c.clone() identity=identity/> })}
            </td>
            <td class="actions">
                {(!gone && !shell.read_only()).then(|| view! {
                    <button type="button" class="danger small" data-testid="delete-oci" on:click=move |_| on_delete.run(id_d.clone())>"Delete"</button>
                })}
            </td>
        </tr>
    }
}

/// The OpenSSH command and `~/.ssh/config` block core writes from the
/// connection string, and the service host key fingerprint to pin.
#[component]
fn SshAccessView(connection: InstanceConsoleConnection, identity: Signal<String>) -> impl IntoView {
    let body = move || {
        match identity.with(|i| openssh::access(&connection, i)) {
        Ok(a) => view! {
            <p class="hint">"Generated locally by cloudlink from the connection string."</p>
            <ConnectionString kind="Command" text=a.command testid="ssh-command" copy_label="Copy the OpenSSH command" copy_testid="copy-ssh-command"/>
            <ConnectionString kind="~/.ssh/config" text=a.config_block testid="ssh-config" copy_label="Copy the ~/.ssh/config block" copy_testid="copy-ssh-config"/>
            <ConnectionString kind="Host key to pin" text=a.host_key_fingerprint.unwrap_or_default() testid="ssh-host-key" copy_label="Copy the service host key fingerprint" copy_testid="copy-ssh-host-key"/>
        }
        .into_any(),
        Err(e) => {
            let why = row_error(&Err(e)).unwrap_or_else(|| "See the identity file field above.".to_owned());
            view! { <p class="error" data-testid="ssh-access-error">{why}</p> }.into_any()
        }
    }
    };
    view! {
        <details class="ssh-access" data-testid="ssh-access">
            <summary>"OpenSSH command and config"</summary>
            {body}
        </details>
    }
}

/// A connection string with its copy button; nothing when empty.
#[component]
fn ConnectionString(
    /// `SSH` or `VNC`.
    kind: &'static str,
    text: String,
    testid: &'static str,
    copy_label: &'static str,
    copy_testid: &'static str,
) -> impl IntoView {
    (!text.is_empty()).then(|| {
        let copied = text.clone();
        view! {
            <div class="conn-string"><span>{kind}</span><code data-testid=testid>{text}</code>
                <CopyButton text=Signal::derive(move || copied.clone()) label=copy_label testid=copy_testid/></div>
        }
    })
}

#[component]
pub fn OciCreateFormView(on_created: Callback<()>) -> impl IntoView {
    let shell = Shell::get();
    let form = saved_form::<OciCreateForm>("oci-create", Provider::Oci.display_name());
    let state = CheckedForm::new(form, OciCreateForm::check);
    let (checked, errors) = (state.checked, state.errors);
    let pending = Pending::new();
    let created = RwSignal::new(None::<InstanceConsoleConnection>);
    let cli = Signal::derive(move || {
        let file = form.with(|f| f.key_file_name.clone());
        checked.with(|c| {
            let request = call::oci(OciRequest::Create(c.request.clone()));
            call::command(shell, &request, false, file.as_deref())
        })
    });
    let (instance, set_instance) = bind(form, |f| &f.instance_id, |f| &mut f.instance_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mut request) = state.submitted() else {
            return;
        };
        // One retry token per submission: retries of this submission reuse it.
        request.retry_token = Some(retry_token(random_bytes()));
        let request = call::oci(OciRequest::Create(request));
        pending.run(
            call::send_retrying::<InstanceConsoleConnection>(shell, request, CREATE_ATTEMPTS),
            move |c| {
                created.set(Some(c));
                form.update(OciCreateForm::clear_sent);
                errors.reset();
                on_created.run(());
            },
            move |e| state.rejected(e),
        );
    };
    view! {
        <form class="card" on:submit=submit data-testid="oci-create-form" novalidate>
            <h2>"Create a console connection"</h2>
            <TextField id="oci-instance" label="Instance OCID" field="instanceId".into() value=instance on_input=set_instance errors=errors list="instance-ids"/>
            <PublicKeyFields form=form errors=errors/>
            <TagEditor id="oci-tags" field="freeformTags" errors=errors
                rows=Signal::derive(move || form.with(|f| f.tags.clone()))
                set_rows=Callback::new(move |r| form.update(|f| f.tags = r))/>
            <CliBox id="oci-cli" command=cli/>
            <SubmitRow id="oci-submit" label="Create console connection" errors=errors pending=pending.busy.into()/>
            <ErrorBox error=pending.error.into() testid="oci-create-error"/>
            {move || created.get().map(|c| view! {
                <p class="success" role="status" data-testid="oci-created">"Creating " <code>{c.id.clone().unwrap_or_default()}</code></p>
            })}
        </form>
    }
}

/// The SSH public key: typed or loaded from a file, with its type and fingerprints.
#[component]
fn PublicKeyFields(form: RwSignal<OciCreateForm>, errors: ErrorView) -> impl IntoView {
    let summary = Memo::new(move |_| form.with(|f| key_summary(&f.public_key)));
    let (key, set_key) = bind(form, |f| &f.public_key, |f| &mut f.public_key);
    let set_key_typed = Callback::new(move |v: String| {
        set_key.run(v);
        form.update(|f| f.key_file_name = None);
    });
    let load_file = move |ev: leptos::ev::Event| {
        let Some(file) = chosen_file(&ev) else {
            return;
        };
        let name = file.name();
        spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                let text = text.as_string().unwrap_or_default();
                errors.touch("publicKey");
                form.update(|f| f.load_key(&text, name));
            }
        });
    };
    view! {
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
    }
}

/// The file picked in a file input, if any.
fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    input.files()?.get(0)
}
