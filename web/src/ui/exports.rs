//! What the user takes away from the console: the inventory's Terraform and CLI exports of
//! what the table shows, and a private interface's router configuration. Thin: the text is
//! made by core's generators through [`crate::logic::exports`].

use cloudlink_core::configs::RouterKind;
use cloudlink_core::directconnect::{Connection, VirtualInterface};
use cloudlink_core::export::{cli_script, terraform};
use cloudlink_core::oci::InstanceConsoleConnection;
use leptos::prelude::*;

use crate::logic::exports::{RouterChoice, lacks_remote_asn, router_text, shown_estate};
use crate::logic::inventory::{Row, Swept};
use crate::ui::widgets::{CopyButton, download};

/// "Export Terraform" and "Export CLI script" of the rows the table shows.
#[component]
pub fn EstateExports(
    connections: Signal<Swept<Connection>>,
    interfaces: Signal<Swept<VirtualInterface>>,
    consoles: Signal<Swept<InstanceConsoleConnection>>,
    shown: Signal<Vec<Row>>,
) -> impl IntoView {
    let save = move |cli: bool| {
        connections.with_untracked(|c| {
            interfaces.with_untracked(|v| {
                consoles.with_untracked(|o| {
                    shown.with_untracked(|rows| {
                        let estate = shown_estate(c, v, o, rows);
                        if cli {
                            let text = cli_script(&estate);
                            download("cloudlink-estate.sh", "text/x-shellscript", &text);
                        } else {
                            download("cloudlink-estate.tf", "text/plain", &terraform(&estate));
                        }
                    })
                })
            })
        })
    };
    view! {
        <div class="exports" role="group" aria-label="Take the estate elsewhere">
            <button type="button" class="secondary small" data-testid="export-terraform" on:click=move |_| save(false)>"Export Terraform"</button>
            <button type="button" class="secondary small" data-testid="export-cli" on:click=move |_| save(true)>"Export CLI script"</button>
            <span class="muted small">"Terraform with import blocks, or aws, osc-cli and oci commands, of the rows shown. BGP keys become variables you set; none is written."</span>
        </div>
    }
}

/// The router panel of the interface whose id `open` holds, while it is listed.
#[component]
pub fn RouterConfigFor(
    open: RwSignal<Option<String>>,
    interfaces: Signal<Vec<VirtualInterface>>,
) -> impl IntoView {
    move || {
        let id = open.get()?;
        let v = interfaces.with(|all| {
            all.iter()
                .find(|v| v.virtual_interface_id.as_deref() == Some(id.as_str()))
                .cloned()
        })?;
        Some(
            view! { <RouterConfigPanel interface=v on_close=Callback::new(move |()| open.set(None))/> },
        )
    }
}

/// A private interface's router configuration: FRR, IOS-XE or Junos, on the user's port,
/// the BGP key masked until asked for; copy and download.
#[component]
pub fn RouterConfigPanel(interface: VirtualInterface, on_close: Callback<()>) -> impl IntoView {
    let id = interface.virtual_interface_id.clone().unwrap_or_default();
    let interface = StoredValue::new(interface);
    let kind = RwSignal::new(RouterKind::Frr);
    let port = RwSignal::new(String::new());
    let reveal = RwSignal::new(false);
    let remote_asn = RwSignal::new(String::new());
    let asks_asn = interface.with_value(lacks_remote_asn);
    let text = Memo::new(move |_| {
        let choice = RouterChoice {
            kind: kind.get(),
            port: port.get(),
            reveal: reveal.get(),
            remote_asn: remote_asn.get(),
        };
        interface.with_value(|v| router_text(v, &choice))
    });
    let config = Signal::derive(move || text.with(|t| t.clone().unwrap_or_default()));
    let choices = RouterKind::ALL.iter().map(|&k| view! {
        <label class="check">
            <input type="radio" name="router-kind" value=k.label() prop:checked=move || kind.get() == k
                on:change=move |_| kind.set(k)/>
            {k.label()}
        </label>
    }).collect_view();
    view! {
        <div class="card sub-card" data-testid="router-config" role="region" aria-labelledby="router-heading">
            <div class="card-head">
                <h3 id="router-heading">"Router configuration for "<code>{id}</code></h3>
                <button type="button" class="secondary small" data-testid="router-close" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            <p class="notice" data-testid="router-local">"Generated locally by cloudlink from this interface's VLAN, addresses, ASNs and BGP key, not by AWS. Review it before use."</p>
            <fieldset class="mode"><legend>"Router"</legend>{choices}</fieldset>
            <div class="field inline">
                <label for="router-port">"Physical interface"</label>
                <input id="router-port" placeholder=move || kind.get().default_interface()
                    prop:value=move || port.get() on:input=move |ev| port.set(event_target_value(&ev))/>
            </div>
            {asks_asn.then(|| view! {
                <div class="field inline">
                    <label for="router-remote-asn">"The provider side's ASN"</label>
                    <input id="router-remote-asn" inputmode="numeric" aria-describedby="router-remote-asn-hint"
                        prop:value=move || remote_asn.get() on:input=move |ev| remote_asn.set(event_target_value(&ev))/>
                    <span class="muted small" id="router-remote-asn-hint">"The interface does not say it (OUTSCALE answers none); ask your provider."</span>
                </div>
            })}
            <label class="check">
                <input type="checkbox" data-testid="router-reveal" prop:checked=move || reveal.get()
                    on:change=move |ev| reveal.set(event_target_checked(&ev))/>
                "Show the BGP key in the configuration"
            </label>
            {move || text.with(|t| t.as_ref().err().map(|e| view! { <p class="error" role="alert" data-testid="router-error">{e.clone()}</p> }))}
            <pre data-testid="router-config-text"><code>{move || config.get()}</code></pre>
            <div class="submit-row">
                <CopyButton text=config label="Copy the router configuration" testid="router-copy"/>
                <button type="button" class="secondary small" data-testid="router-download"
                    on:click=move |_| download(kind.get_untracked().file_name(), "text/plain", &config.get_untracked())>
                    "Download"
                </button>
            </div>
        </div>
    }
}
