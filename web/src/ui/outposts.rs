//! AWS Outposts: StartConnection with a WireGuard key pair made in the
//! browser, its result, and a lookup by id with the connection's `wg-quick`
//! configuration.

use cloudlink_core::Service;
use cloudlink_core::outposts::{ConnectionDetails, GetConnectionResponse, StartConnectionResponse};
use js_sys::{Reflect, Uint8Array};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use crate::logic::choices::{interface_index_choices, wireguard_key_hint};
use crate::logic::forms::{StartConnectionForm, get_connection_request};
use crate::logic::inventory;
use crate::logic::wireguard::{KeyPair, KeyState, PRIVATE_KEY_FILE, conf_file_name, wg_quick_file};
use crate::ui::call::{self, Pending};
use crate::ui::shell::{ScopeBar, Shell};
use crate::ui::widgets::*;

/// What the Outposts page's forms share: the key pair made here (in memory
/// only, gone when the page is left) and the id the lookup form holds.
#[derive(Debug, Clone, Copy)]
struct OutpostsSession {
    keys: RwSignal<KeyState>,
    lookup_id: RwSignal<String>,
}

impl OutpostsSession {
    /// The page's session, or a new one for a form mounted alone.
    fn get() -> Self {
        use_context().unwrap_or_else(|| {
            let session = OutpostsSession {
                keys: RwSignal::new(KeyState::None),
                lookup_id: RwSignal::new(String::new()),
            };
            provide_context(session);
            session
        })
    }
}

#[component]
pub fn OutpostsPage() -> impl IntoView {
    let shell = Shell::get();
    // Made here, so that both forms below share it.
    OutpostsSession::get();
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
    let session = OutpostsSession::get();
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
        // A new connection is on its way: the last one's id must not read as its answer.
        result.set(None);
        pending.run(
            call::send::<StartConnectionResponse>(shell, call::outposts(request)),
            move |r: StartConnectionResponse| {
                if let Some(id) = &r.connection_id {
                    let (region, profile) = shell.scope(Service::Outposts);
                    let row = inventory::outposts_row(&region, profile.as_deref(), id, None);
                    shell.remember(vec![row], None);
                    session.lookup_id.set(id.clone());
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
            <KeyPairPanel on_public=set_key/>
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
    let id = OutpostsSession::get().lookup_id;
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
            {move || result.get().map(|r| view! { <ConnectionDetailsView result=r/> })}
        </form>
    }
}

/// GetConnection's answer: the details, then the `wg-quick` file made from them.
#[component]
fn ConnectionDetailsView(result: GetConnectionResponse) -> impl IntoView {
    let r = result;
    let d = r.connection_details.clone().unwrap_or_default();
    let conf = view! { <WgQuickConf connection_id=r.connection_id.clone().unwrap_or_default() details=d.clone()/> };
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
                    {conf}
    }
}

/// The button that makes a key pair in the browser and fills in its public
/// key, and the one-time download of its private key.
#[component]
fn KeyPairPanel(on_public: Callback<String>) -> impl IntoView {
    let keys = OutpostsSession::get().keys;
    let generate = move |_| {
        keys.set(KeyState::Generating);
        spawn_local(async move {
            match generate_key_pair().await {
                Ok(pair) => {
                    on_public.run(pair.public.clone());
                    keys.set(KeyState::Ready {
                        pair,
                        downloaded: false,
                    });
                }
                Err(why) => keys.set(KeyState::Failed(why)),
            }
        });
    };
    let save_private = move |_| {
        if let Some(private) = keys.with_untracked(|k| k.offered().map(|p| format!("{p}\n"))) {
            download(PRIVATE_KEY_FILE, "text/plain", &private);
            keys.update(KeyState::mark_downloaded);
        }
    };
    let busy = move || keys.with(|k| matches!(k, KeyState::Generating));
    view! {
        <div class="keygen">
            <div class="actions">
                <button type="button" class="secondary" data-testid="wg-generate" disabled=busy on:click=generate>"Generate a WireGuard key pair"</button>
                {move || keys.with(|k| k.offered().is_some()).then(|| view! {
                    <button type="button" data-testid="wg-download-private" on:click=save_private>"Download the private key (offered once)"</button>
                })}
            </div>
            <p class="hint" role="status" data-testid="wg-key-status">{move || keys.with(KeyState::message)}</p>
        </div>
    }
}

/// An X25519 key pair made by the browser's WebCrypto, both halves exported.
pub async fn generate_key_pair() -> Result<KeyPair, String> {
    let crypto = web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(js_error)?;
    let subtle = crypto.subtle();
    let algorithm = js_sys::Object::new();
    Reflect::set(&algorithm, &"name".into(), &"X25519".into()).map_err(js_error)?;
    let usages = js_sys::Array::of1(&"deriveBits".into());
    let made = subtle
        .generate_key_with_object(&algorithm, true, &usages)
        .map_err(js_error)?;
    let pair = JsFuture::from(made).await.map_err(js_error)?;
    let half = |name: &str| {
        Reflect::get(&pair, &name.into())
            .ok()
            .and_then(|k| k.dyn_into::<CryptoKey>().ok())
            .ok_or_else(|| format!("no {name} in the pair"))
    };
    let public = export_key(&subtle, "raw", &half("publicKey")?).await?;
    let private = export_key(&subtle, "pkcs8", &half("privateKey")?).await?;
    KeyPair::from_exports(&public, &private).map_err(str::to_owned)
}

async fn export_key(
    subtle: &SubtleCrypto,
    format: &str,
    key: &CryptoKey,
) -> Result<Vec<u8>, String> {
    let exported = subtle.export_key(format, key).map_err(js_error)?;
    let bytes = JsFuture::from(exported).await.map_err(js_error)?;
    Ok(Uint8Array::new(&bytes).to_vec())
}

/// A thrown value as a short message (`NotSupportedError: ...`).
fn js_error(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| format!("{}: {}", String::from(e.name()), String::from(e.message())))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// A connection's `wg-quick` file, with Copy and Download; the private key,
/// when this page made it, is in both but not on the screen.
#[component]
fn WgQuickConf(connection_id: String, details: ConnectionDetails) -> impl IntoView {
    let keys = OutpostsSession::get().keys;
    let name = conf_file_name(&connection_id);
    // Drawn again only when the key pair changes (its private key may go in).
    let body = move || {
        match keys.with(|k| wg_quick_file(&details, k)) {
        Ok(f) => {
            let (name, file) = (name.clone(), f.file);
            let text = file.clone();
            view! {
                <div class="cli-head">
                    <span id="wg-quick-label">"wg-quick configuration, generated locally by cloudlink"</span>
                    <span class="cli-actions">
                        <CopyButton text=Signal::derive(move || text.clone()) label="Copy the wg-quick configuration" testid="wg-quick-copy"/>
                        <button type="button" class="secondary small" data-testid="wg-quick-download"
                            on:click=move |_| download(&name, "text/plain", &file)>"Download"</button>
                    </span>
                </div>
                <pre data-testid="wg-quick-text" aria-labelledby="wg-quick-label"><code>{f.shown}</code></pre>
            }
            .into_any()
        }
        Err(e) => view! { <p class="error" data-testid="wg-quick-error">{format!("No wg-quick configuration: {e}")}</p> }.into_any(),
    }
    };
    view! { <div class="cli" data-testid="wg-quick">{body}</div> }
}
