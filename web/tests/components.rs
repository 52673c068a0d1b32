//! Component tests in headless Chromium (wasm-bindgen-test):
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p cloudlink-web`.
//!
//! Each form shows core's errors for bad input and enables its submit
//! button for good input; each list renders every state.
#![cfg(target_arch = "wasm32")]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cloudlink_core::Service;
use cloudlink_core::configs::wireguard_key_ok;
use cloudlink_core::directconnect::{
    Connection, ConnectionState, Location, Secret, Tag, VirtualGateway, VirtualInterface,
    VirtualInterfaceState,
};
use cloudlink_core::oci::{InstanceConsoleConnection, LifecycleState};
use cloudlink_core::outposts::StartConnectionResponse;
use cloudlink_web::api::Profiles;
use cloudlink_web::logic::status::MASK;
use cloudlink_web::logic::tagging::Taggable;
use cloudlink_web::ui::dx::{
    ConnectionsTable, CreateConnectionForm, SelectedVifSection, VifFormView, VifTable,
};
use cloudlink_web::ui::oci::{ConsoleConnectionsTable, OciCreateFormView};
use cloudlink_web::ui::outposts::{
    LookupForm, StartConnectionFormView, StartConnectionResult, generate_key_pair,
};
use cloudlink_web::ui::shell::Shell;
use cloudlink_web::ui::tags::TagsPanel;
use cloudlink_web::ui::widgets::ErrorView;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmyoggxWNZNTrth8WarEp0mZHDTptFOHw+32/x+KLLR cloudlink test ed25519";
const WIREGUARD: &str = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const INSTANCE: &str =
    "ocid1.instance.oc1.iad.anuwcljt2ahtqbacbmvwxnr3gfrhsmmlwvvxfn3yyt7ptyijjsdayxigkdga";

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a view in a fresh container, with a logged-in shell and no saved forms.
fn mount<F, N>(f: F) -> Element
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(
        container.clone().unchecked_into::<HtmlElement>(),
        move || {
            Shell::for_tests(Profiles {
                sandbox: true,
                ..Profiles::default()
            })
            .provide();
            f()
        },
    );
    handle.forget();
    container
}

async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"))
}

fn fire(el: &Element, event: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::Event::new_with_event_init_dict(event, &init).unwrap())
        .unwrap();
}

async fn type_in(root: &Element, selector: &str, value: &str) {
    let el = find(root, selector);
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    }
    fire(&el, "input");
    tick().await;
}

async fn choose(root: &Element, selector: &str, value: &str) {
    let el = find(root, selector);
    el.dyn_ref::<web_sys::HtmlSelectElement>()
        .unwrap()
        .set_value(value);
    fire(&el, "change");
    tick().await;
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn disabled(root: &Element, selector: &str) -> bool {
    find(root, selector)
        .dyn_into::<web_sys::HtmlButtonElement>()
        .unwrap()
        .disabled()
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn locations() -> Signal<Vec<Location>> {
    Signal::derive(|| {
        vec![Location {
            location_code: Some("EqDC2".into()),
            location_name: Some("Equinix DC2".into()),
            available_port_speeds: Some(vec!["1Gbps".into(), "10Gbps".into(), "100Gbps".into()]),
            ..Location::default()
        }]
    })
}

#[wasm_bindgen_test]
async fn aws_create_connection_form_checks_as_you_type() {
    let root = mount(
        || view! { <CreateConnectionForm service=Service::DirectConnect locations=locations() on_created=Callback::new(|_| ())/> },
    );
    tick().await;
    assert!(
        disabled(&root, "#cc-submit"),
        "an empty form cannot be sent"
    );
    type_in(&root, "#cc-lag", "lag-1").await;
    assert!(
        text(&root, "#cc-lag-error").contains("dxlag-"),
        "{}",
        text(&root, "#cc-lag-error")
    );
    assert_eq!(
        find(&root, "#cc-lag")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    type_in(&root, "#cc-lag", "").await;
    type_in(&root, "#cc-name", "office").await;
    choose(&root, "#cc-location", "EqDC2").await;
    choose(&root, "#cc-bandwidth", "100Gbps").await;
    assert!(
        !disabled(&root, "#cc-submit"),
        "status: {}",
        text(&root, "[data-testid=cc-submit-status]")
    );
    assert_eq!(text(&root, "#cc-name-error"), "");
    let cli = text(&root, "#cc-cli");
    assert!(
        cli.starts_with("aws directconnect create-connection"),
        "{cli}"
    );
    assert!(cli.contains("--bandwidth 100Gbps"), "{cli}");
    assert_eq!(count(&root, "#cc-macsec"), 1);
    root.remove();
}

#[wasm_bindgen_test]
async fn directlink_form_offers_outscale_bandwidths_only() {
    let root = mount(
        || view! { <CreateConnectionForm service=Service::DirectLink locations=locations() on_created=Callback::new(|_| ())/> },
    );
    tick().await;
    choose(&root, "#cc-location", "EqDC2").await;
    let options = count(&root, "#cc-bandwidth option");
    assert_eq!(options, 3, "the empty choice, 1Gbps and 10Gbps");
    assert_eq!(count(&root, "#cc-lag"), 0, "no AWS-only fields");
    type_in(&root, "#cc-name", "dl").await;
    choose(&root, "#cc-bandwidth", "10Gbps").await;
    assert!(!disabled(&root, "#cc-submit"));
    assert!(
        text(&root, "#cc-cli").starts_with("osc-cli directlink CreateConnection --profile default")
    );
    root.remove();
}

fn gateways() -> Signal<Vec<VirtualGateway>> {
    Signal::derive(|| {
        vec![VirtualGateway {
            virtual_gateway_id: Some("vgw-0123abcd".into()),
            virtual_gateway_state: None,
        }]
    })
}

#[wasm_bindgen_test]
async fn vif_form_reports_vlan_and_asn_errors_then_enables() {
    let root = mount(|| {
        view! { <VifFormView service=Service::DirectConnect connection_id="dxcon-fg5678gh".into() gateways=gateways() on_created=Callback::new(|_| ())/> }
    });
    tick().await;
    type_in(&root, "#vif-vlan", "ten").await;
    assert_eq!(text(&root, "#vif-vlan-error"), "must be a whole number");
    type_in(&root, "#vif-vlan", "5000").await;
    assert_eq!(
        text(&root, "#vif-vlan-error"),
        "must be between 1 and 4094, not 5000"
    );
    type_in(&root, "#vif-auth-key", "abc").await;
    assert_eq!(
        text(&root, "#vif-auth-key-error"),
        "must be 6 to 80 characters long, not 3"
    );
    assert!(disabled(&root, "#vif-submit"));
    type_in(&root, "#vif-vlan", "101").await;
    type_in(&root, "#vif-auth-key", "a-long-key").await;
    type_in(&root, "#vif-name", "prod-vif").await;
    type_in(&root, "#vif-asn", "65000").await;
    choose(&root, "#vif-vgw", "vgw-0123abcd").await;
    assert!(
        !disabled(&root, "#vif-submit"),
        "status: {}",
        text(&root, "[data-testid=vif-submit-status]")
    );
    let cli = text(&root, "#vif-cli");
    assert!(
        cli.contains("create-private-virtual-interface") && !cli.contains("a-long-key"),
        "{cli}"
    );
    // Allocating to another account needs a valid owner account.
    let allocate = find(&root, "#vif-mode-allocate");
    allocate
        .dyn_ref::<web_sys::HtmlInputElement>()
        .unwrap()
        .set_checked(true);
    fire(&allocate, "change");
    tick().await;
    type_in(&root, "#vif-owner", "12").await;
    assert!(
        text(&root, "#vif-owner-error").contains("12-digit"),
        "{}",
        text(&root, "#vif-owner-error")
    );
    assert!(disabled(&root, "#vif-submit"));
    type_in(&root, "#vif-owner", "123456789012").await;
    assert!(
        !disabled(&root, "#vif-submit"),
        "status: {}",
        text(&root, "[data-testid=vif-submit-status]")
    );
    assert!(text(&root, "#vif-cli").contains("allocate-private-virtual-interface"));
    root.remove();
}

#[wasm_bindgen_test]
async fn outscale_vif_form_uses_outscale_limits() {
    let root = mount(|| {
        view! { <VifFormView service=Service::DirectLink connection_id="dxcon-fg5678gh".into() gateways=gateways() on_created=Callback::new(|_| ())/> }
    });
    tick().await;
    type_in(&root, "#vif-vlan", "1").await;
    assert_eq!(
        text(&root, "#vif-vlan-error"),
        "must be between 2 and 4094, not 1"
    );
    type_in(&root, "#vif-asn", "65000").await;
    assert_eq!(text(&root, "#vif-asn-error"), "");
    type_in(&root, "#vif-asn", "1").await;
    assert_eq!(
        text(&root, "#vif-asn-error"),
        "must be between 64512 and 65534, not 1"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn start_connection_form() {
    let root = mount(|| view! { <StartConnectionFormView/> });
    tick().await;
    assert!(disabled(&root, "#sc-submit"));
    type_in(&root, "#sc-asset", "asset-1").await;
    assert_eq!(
        text(&root, "#sc-asset-error"),
        "may only contain letters, digits and underscores"
    );
    type_in(&root, "#sc-key", "short").await;
    assert_eq!(
        text(&root, "#sc-key-error"),
        "must be exactly 44 characters long, not 5"
    );
    type_in(&root, "#sc-asset", "i_0123456789").await;
    type_in(&root, "#sc-key", WIREGUARD).await;
    choose(&root, "#sc-index", "1").await;
    assert_eq!(text(&root, "#sc-asset-error"), "");
    assert!(
        !disabled(&root, "#sc-submit"),
        "status: {}",
        text(&root, "[data-testid=sc-submit-status]")
    );
    assert!(text(&root, "#sc-cli").contains("--network-interface-device-index 1"));
    root.remove();
}

#[wasm_bindgen_test]
async fn lookup_form() {
    let root = mount(|| view! { <LookupForm/> });
    tick().await;
    assert!(disabled(&root, "#gc-submit"));
    type_in(&root, "#gc-id", "bad id!").await;
    assert!(text(&root, "#gc-id-error").starts_with("may only contain"));
    type_in(&root, "#gc-id", "abc123=").await;
    assert!(!disabled(&root, "#gc-submit"));
    root.remove();
}

#[wasm_bindgen_test]
async fn oci_create_form_shows_the_fingerprint_before_sending() {
    let root = mount(|| view! { <OciCreateFormView on_created=Callback::new(|_| ())/> });
    tick().await;
    type_in(&root, "#oci-instance", "ocid1.compartment.oc1..aaaa").await;
    assert!(text(&root, "#oci-instance-error").starts_with("must be an instance OCID"));
    type_in(&root, "#oci-key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI").await;
    assert!(!text(&root, "#oci-key-error").is_empty());
    assert_eq!(count(&root, "[data-testid=fingerprint-sha256]"), 0);
    assert!(disabled(&root, "#oci-submit"));
    type_in(&root, "#oci-instance", INSTANCE).await;
    type_in(&root, "#oci-key", ED25519).await;
    assert!(text(&root, "[data-testid=fingerprint-sha256]").starts_with("SHA256:"));
    assert_eq!(
        text(&root, "[data-testid=fingerprint-md5]")
            .split(':')
            .count(),
        16
    );
    assert!(
        !disabled(&root, "#oci-submit"),
        "status: {}",
        text(&root, "[data-testid=oci-submit-status]")
    );
    assert!(text(&root, "#oci-cli").contains("--ssh-public-key-file key.pub"));
    root.remove();
}

#[wasm_bindgen_test]
async fn connections_table_renders_every_state() {
    let rows: Vec<Connection> = ConnectionState::KNOWN
        .iter()
        .enumerate()
        .map(|(i, s)| Connection {
            connection_id: Some(format!("dxcon-0000000{i}")),
            connection_name: Some(format!("c{i}")),
            connection_state: Some(ConnectionState::from_wire(s)),
            vlan: Some(100 + i as i64),
            ..Connection::default()
        })
        .collect();
    let n = rows.len() as u32;
    let root = mount(move || {
        view! { <ConnectionsTable service=Service::DirectConnect connections=Signal::derive(move || rows.clone()) selected=Signal::derive(|| None) on_select=Callback::new(|_| ()) on_tags=Callback::new(|_| ()) on_deleted=Callback::new(|_| ())/> }
    });
    tick().await;
    assert_eq!(count(&root, "[data-testid=connection-row]"), n);
    for s in ConnectionState::KNOWN {
        assert_eq!(count(&root, &format!("[data-state='{s}']")), 1, "{s}");
    }
    assert_eq!(
        count(&root, ".badge-busy"),
        3,
        "requested, pending, deleting"
    );
    // Delete asks first, naming the connection.
    let delete = find(
        &root,
        "[data-testid=connection-row] [data-testid=delete-connection]",
    );
    delete.dyn_ref::<HtmlElement>().unwrap().click();
    tick().await;
    assert!(text(&root, "[data-testid=confirm-panel]").contains("c0 (dxcon-00000000)"));
    root.remove();
}

#[wasm_bindgen_test]
async fn vif_table_renders_every_state_and_masks_keys() {
    let rows: Vec<VirtualInterface> = VirtualInterfaceState::KNOWN
        .iter()
        .enumerate()
        .map(|(i, s)| VirtualInterface {
            virtual_interface_id: Some(format!("dxvif-0000000{i}")),
            virtual_interface_name: Some(format!("v{i}")),
            virtual_interface_state: Some(VirtualInterfaceState::from_wire(s)),
            auth_key: Some(Secret::new(format!("bgp-secret-{i}"))),
            ..VirtualInterface::default()
        })
        .collect();
    let n = rows.len() as u32;
    let root = mount(move || {
        view! { <VifTable service=Service::DirectConnect interfaces=Signal::derive(move || rows.clone()) gateways=gateways() on_changed=Callback::new(|_| ()) on_tags=Callback::new(|_| ())/> }
    });
    tick().await;
    assert_eq!(count(&root, "[data-testid=vif-row]"), n);
    for s in VirtualInterfaceState::KNOWN {
        assert_eq!(count(&root, &format!("[data-state='{s}']")), 1, "{s}");
    }
    assert!(!root.text_content().unwrap().contains("bgp-secret-0"));
    assert_eq!(text(&root, "[data-testid=bgp-key]"), MASK);
    find(&root, "[data-testid=reveal-key]")
        .dyn_ref::<HtmlElement>()
        .unwrap()
        .click();
    tick().await;
    assert_eq!(text(&root, "[data-testid=bgp-key]"), "bgp-secret-0");
    assert_eq!(
        count(&root, "[data-testid=confirm-vif]"),
        1,
        "only the confirming interface"
    );
    find(&root, "[data-testid=confirm-vif]")
        .dyn_ref::<HtmlElement>()
        .unwrap()
        .click();
    tick().await;
    assert!(disabled(&root, "#confirm-submit"));
    choose(&root, "#confirm-vgw", "vgw-0123abcd").await;
    assert!(!disabled(&root, "#confirm-submit"));
    assert!(text(&root, "#confirm-cli").contains("--virtual-gateway-id vgw-0123abcd"));
    root.remove();
}

#[wasm_bindgen_test]
async fn console_connections_table_renders_every_state() {
    let rows: Vec<InstanceConsoleConnection> = LifecycleState::KNOWN
        .iter()
        .enumerate()
        .map(|(i, s)| InstanceConsoleConnection {
            id: Some(format!("ocid1.instanceconsoleconnection.oc1.iad.x{i}")),
            lifecycle_state: Some(LifecycleState::from_wire(s)),
            connection_string: Some(format!(
                "ssh -o ProxyCommand='ssh -W %h:%p -p 443 ocid{i}@host' ocid1.instance.x{i}"
            )),
            vnc_connection_string: Some(format!("ssh -L 5900:localhost:5900 x{i}")),
            ..InstanceConsoleConnection::default()
        })
        .collect();
    let n = rows.len() as u32;
    let root = mount(
        move || view! { <ConsoleConnectionsTable connections=Signal::derive(move || rows.clone()) on_changed=Callback::new(|_| ())/> },
    );
    tick().await;
    assert_eq!(count(&root, "[data-testid=oci-row]"), n);
    for s in LifecycleState::KNOWN {
        assert_eq!(count(&root, &format!("[data-state='{s}']")), 1, "{s}");
    }
    assert_eq!(count(&root, "[data-testid=ssh-string]"), n);
    assert_eq!(count(&root, "[data-testid=copy-vnc]"), n);
    assert_eq!(
        count(&root, "[data-testid=delete-oci]"),
        n - 2,
        "not for DELETED and DELETING"
    );
    // `ocid0@host` is no console service: the rows say so instead of an OpenSSH command.
    assert_eq!(count(&root, "[data-testid=ssh-access-error]"), n - 2);
    assert_eq!(count(&root, "[data-testid=ssh-command]"), 0);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_console_connection_row_shows_its_openssh_command_config_and_host_key() {
    let row = InstanceConsoleConnection {
        id: Some("ocid1.instanceconsoleconnection.oc1.iad.abc".to_owned()),
        instance_id: Some(INSTANCE.to_owned()),
        lifecycle_state: Some(LifecycleState::Active),
        connection_string: Some(format!(
            "ssh -o ProxyCommand='ssh -W %h:%p -p 443 ocid1.instanceconsoleconnection.oc1.iad.abc@instance-console.us-ashburn-1.oci.oraclecloud.com' {INSTANCE}"
        )),
        service_host_key_fingerprint: Some("SHA256:c2FuZGJveGhvc3RrZXk".to_owned()),
        ..InstanceConsoleConnection::default()
    };
    let identity = RwSignal::new("~/.ssh/oci_console".to_owned());
    let root = mount(move || {
        view! { <ConsoleConnectionsTable connections=Signal::derive(move || vec![row.clone()]) on_changed=Callback::new(|_| ()) identity=identity/> }
    });
    tick().await;
    let command = text(&root, "[data-testid=ssh-command]");
    assert!(
        command.starts_with("ssh -i ~/.ssh/oci_console -o ProxyCommand='ssh -i ~/.ssh/oci_console -W %h:%p -p 443 ocid1.instanceconsoleconnection.oc1.iad.abc@"),
        "{command}"
    );
    let block = text(&root, "[data-testid=ssh-config]");
    assert!(
        block.contains(&format!("    HostName {INSTANCE}\n")),
        "{block}"
    );
    assert!(
        block.contains("    IdentityFile ~/.ssh/oci_console\n"),
        "{block}"
    );
    assert_eq!(
        text(&root, "[data-testid=ssh-host-key]"),
        "SHA256:c2FuZGJveGhvc3RrZXk"
    );
    assert_eq!(count(&root, "[data-testid=copy-ssh-command]"), 1);
    assert_eq!(count(&root, "[data-testid=copy-ssh-config]"), 1);
    assert_eq!(count(&root, "[data-testid=copy-ssh-host-key]"), 1);
    identity.set(String::new());
    tick().await;
    assert!(!text(&root, "[data-testid=ssh-command]").contains(" -i "));
    identity.set("-oProxyCommand=sh".to_owned());
    tick().await;
    assert_eq!(count(&root, "[data-testid=ssh-command]"), 0);
    assert!(text(&root, "[data-testid=ssh-access-error]").contains("identity file field"));
    root.remove();
}

#[wasm_bindgen_test]
async fn webcrypto_makes_x25519_pairs_that_wireguard_reads() {
    let a = generate_key_pair().await.expect("X25519 in WebCrypto");
    let b = generate_key_pair().await.expect("X25519 in WebCrypto");
    for key in [&a.public, a.private_key(), &b.public] {
        assert!(wireguard_key_ok(key), "{key}");
    }
    let raw = STANDARD.decode(&a.public).unwrap();
    assert_eq!(raw.len(), 32);
    assert_ne!(a.public, b.public);
    assert_ne!(a.private_key(), b.private_key());
}

#[wasm_bindgen_test]
async fn the_generate_button_fills_the_public_key_and_offers_the_private_key() {
    let root = mount(|| view! { <StartConnectionFormView/> });
    tick().await;
    assert_eq!(count(&root, "[data-testid=wg-download-private]"), 0);
    find(&root, "[data-testid=wg-generate]")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    let key = find(&root, "#sc-key")
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap();
    for _ in 0..50 {
        if !key.value().is_empty() {
            break;
        }
        tick().await;
    }
    assert!(wireguard_key_ok(&key.value()), "{}", key.value());
    assert_eq!(count(&root, "[data-testid=wg-download-private]"), 1);
    assert!(text(&root, "[data-testid=wg-key-status]").contains("offered once"));
    assert!(text(&root, "#sc-cli").contains(&key.value()));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_half_filled_form_survives_a_reload() {
    let root = mount(|| view! { <StartConnectionFormView/> });
    tick().await;
    type_in(&root, "#sc-asset", "i_saved").await;
    root.remove();
    // A second mount, without clearing storage, as after a reload.
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container.clone().unchecked_into::<HtmlElement>(), || {
        Shell::for_tests(Profiles::default()).provide();
        view! { <StartConnectionFormView/> }
    })
    .forget();
    tick().await;
    let value = find(&container, "#sc-asset")
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap()
        .value();
    assert_eq!(value, "i_saved");
    container.remove();
}

/// The ids of every field error that currently says something.
fn shown_errors(root: &Element) -> Vec<String> {
    let list = root.query_selector_all("p.error").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .filter(|e| !e.text_content().unwrap_or_default().is_empty())
        .map(|e| format!("{}: {}", e.id(), e.text_content().unwrap_or_default()))
        .collect()
}

#[wasm_bindgen_test]
async fn a_fresh_form_is_calm_until_touched_or_submitted() {
    let root = mount(
        || view! { <CreateConnectionForm service=Service::DirectConnect locations=locations() on_created=Callback::new(|_| ())/> },
    );
    tick().await;
    assert_eq!(shown_errors(&root), Vec::<String>::new());
    assert_eq!(
        text(&root, "[data-testid=cc-submit-status]"),
        "3 field(s) to fix"
    );
    // Typing then emptying a required field shows its error, and only its.
    type_in(&root, "#cc-name", "x").await;
    type_in(&root, "#cc-name", "").await;
    assert_eq!(text(&root, "#cc-name-error"), "is required");
    assert_eq!(text(&root, "#cc-location-error"), "");
    // A forced submit (the button is disabled) shows every error and sends nothing.
    fire(&find(&root, "form"), "submit");
    tick().await;
    assert_eq!(text(&root, "#cc-location-error"), "is required");
    assert_eq!(text(&root, "#cc-bandwidth-error"), "is required");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_reset_error_view_shows_nothing() {
    // What a form does after a successful send: empty values, then `reset`.
    let value = RwSignal::new(String::new());
    let root = mount(move || {
        let errors = ErrorView::new(Signal::derive(move || {
            let mut e = cloudlink_web::logic::FieldErrors::default();
            if value.with(String::is_empty) {
                e.add("name", "is required");
            }
            e
        }));
        view! {
            <cloudlink_web::ui::widgets::TextField id="f-name" label="Name" field="name".into()
                value=value.into() on_input=Callback::new(move |v| value.set(v)) errors=errors/>
            <button id="f-attempt" on:click=move |_| errors.attempt()>"try"</button>
            <button id="f-reset" on:click=move |_| { value.set(String::new()); errors.reset(); }>"reset"</button>
        }
    });
    tick().await;
    assert_eq!(text(&root, "#f-name-error"), "");
    find(&root, "#f-attempt")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    tick().await;
    assert_eq!(text(&root, "#f-name-error"), "is required");
    type_in(&root, "#f-name", "sent").await;
    type_in(&root, "#f-name", "").await;
    assert_eq!(text(&root, "#f-name-error"), "is required");
    find(&root, "#f-reset")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    tick().await;
    assert_eq!(text(&root, "#f-name-error"), "");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_restored_value_shows_its_error_after_a_reload() {
    let root = mount(|| view! { <StartConnectionFormView/> });
    tick().await;
    type_in(&root, "#sc-asset", "asset-1").await;
    root.remove();
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container.clone().unchecked_into::<HtmlElement>(), || {
        Shell::for_tests(Profiles::default()).provide();
        view! { <StartConnectionFormView/> }
    })
    .forget();
    tick().await;
    assert_eq!(
        text(&container, "#sc-asset-error"),
        "may only contain letters, digits and underscores"
    );
    assert_eq!(
        text(&container, "#sc-key-error"),
        "",
        "an empty field stays calm"
    );
    container.remove();
}

#[wasm_bindgen_test]
async fn start_connection_result_keeps_the_dl_a_plain_list() {
    let result = RwSignal::new(None::<StartConnectionResponse>);
    let root = mount(move || view! { <StartConnectionResult result=result.into()/> });
    tick().await;
    // The live region is there before the answer, so the answer is announced.
    assert_eq!(count(&root, "div[role=status]"), 1);
    result.set(Some(StartConnectionResponse {
        connection_id: Some("abc123=".into()),
        underlay_ip_address: Some("10.0.0.5".into()),
    }));
    tick().await;
    assert_eq!(
        count(
            &root,
            "div[role=status] > dl[data-testid=start-connection-result]"
        ),
        1
    );
    assert_eq!(
        count(&root, "dl[role]"),
        0,
        "a dl with a role breaks its dt/dd list"
    );
    assert_eq!(
        text(&root, "[data-testid=outposts-connection-id]"),
        "abc123="
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_vif_form_survives_a_poll_that_changes_the_connection() {
    let connection = |state: ConnectionState| Connection {
        connection_id: Some("dxcon-fg5678gh".into()),
        connection_name: Some("office".into()),
        connection_state: Some(state),
        ..Connection::default()
    };
    let connections = RwSignal::new(vec![connection(ConnectionState::Requested)]);
    let selected = RwSignal::new(Some("dxcon-fg5678gh".to_owned()));
    let root = mount(move || {
        view! { <SelectedVifSection service=Service::DirectConnect connections=connections.into() selected=selected.into() gateways=gateways() editing_tags=RwSignal::new(None)/> }
    });
    tick().await;
    type_in(&root, "#vif-auth-key", "a-bgp-key-0123").await;
    let before = find(&root, "#vif-auth-key");
    // Polls: the state moves, then the name changes.
    connections.set(vec![connection(ConnectionState::Pending)]);
    tick().await;
    connections.set(vec![Connection {
        connection_name: Some("office-2".into()),
        ..connection(ConnectionState::Available)
    }]);
    tick().await;
    let after = find(&root, "#vif-auth-key");
    assert!(
        before.is_same_node(Some(&after)),
        "the VIF form was rebuilt by a poll"
    );
    assert_eq!(
        after
            .dyn_into::<web_sys::HtmlInputElement>()
            .unwrap()
            .value(),
        "a-bgp-key-0123"
    );
    assert!(text(&root, "#vifs-heading").contains("office-2"));
    // Another connection, or none, does rebuild it.
    selected.set(None);
    tick().await;
    assert_eq!(count(&root, "[data-testid=vif-section]"), 0);
    root.remove();
}

/// A connection as DescribeConnections returns it, with one tag.
fn tagged_connection() -> Connection {
    Connection {
        connection_id: Some("dxcon-fg5678gh".into()),
        connection_name: Some("office".into()),
        connection_state: Some(ConnectionState::Available),
        region: Some("us-east-1".into()),
        owner_account: Some("111122223333".into()),
        tags: Some(vec![Tag {
            key: "team".into(),
            value: Some("net".into()),
        }]),
        ..Connection::default()
    }
}

/// Sets an input's value and fires `change` (the tag editor saves on change).
async fn change_in(root: &Element, selector: &str, value: &str) {
    let el = find(root, selector);
    el.dyn_ref::<web_sys::HtmlInputElement>()
        .unwrap()
        .set_value(value);
    fire(&el, "change");
    tick().await;
}

#[wasm_bindgen_test]
async fn tags_show_in_the_table_and_only_direct_connect_offers_editing() {
    for (service, offered) in [(Service::DirectConnect, 1), (Service::DirectLink, 0)] {
        let rows = vec![tagged_connection()];
        let root = mount(move || {
            view! { <ConnectionsTable service=service connections=Signal::derive(move || rows.clone()) selected=Signal::derive(|| None) on_select=Callback::new(|_| ()) on_tags=Callback::new(|_| ()) on_deleted=Callback::new(|_| ())/> }
        });
        tick().await;
        assert_eq!(text(&root, "[data-testid=resource-tags]"), "team=net");
        assert_eq!(
            count(&root, "[data-testid=edit-tags]"),
            offered,
            "{service}"
        );
        root.remove();

        let vifs = vec![VirtualInterface {
            virtual_interface_id: Some("dxvif-fgh0hcrk".into()),
            virtual_interface_state: Some(VirtualInterfaceState::Available),
            tags: Some(vec![Tag {
                key: "billing".into(),
                value: Some("cc-42".into()),
            }]),
            ..VirtualInterface::default()
        }];
        let root = mount(move || {
            view! { <VifTable service=service interfaces=Signal::derive(move || vifs.clone()) gateways=gateways() on_changed=Callback::new(|_| ()) on_tags=Callback::new(|_| ())/> }
        });
        tick().await;
        assert_eq!(text(&root, "[data-testid=resource-tags]"), "billing=cc-42");
        assert_eq!(
            count(&root, "[data-testid=edit-tags]"),
            offered,
            "{service} vif"
        );
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn the_tags_panel_sends_only_changes_and_checks_every_row() {
    let root = mount(|| {
        let target = Taggable::of_connection(&tagged_connection(), "us-east-1");
        view! { <TagsPanel service=Service::DirectConnect target=target on_close=Callback::new(|_| ()) on_saved=Callback::new(|_| ())/> }
    });
    tick().await;
    // The current tags fill the editor; nothing changed, nothing to send.
    let key = find(&root, "#edit-tags-key-0")
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap();
    assert_eq!(key.value(), "team");
    assert!(disabled(&root, "#tags-submit"));
    assert_eq!(
        text(&root, "[data-testid=tags-submit-status]"),
        "no changes to save"
    );
    // A second tag with the same key: core's rule, on that row.
    find(&root, "[data-testid=edit-tags-add]")
        .dyn_ref::<HtmlElement>()
        .unwrap()
        .click();
    tick().await;
    change_in(&root, "#edit-tags-key-1", "team").await;
    assert!(
        text(&root, "[data-testid=edit-tags-error]").contains("tags[1].key: is a duplicate"),
        "{}",
        text(&root, "[data-testid=edit-tags-error]")
    );
    assert!(disabled(&root, "#tags-submit"));
    // A new key and a changed value: one tag-resource with just those.
    change_in(&root, "#edit-tags-key-1", "env").await;
    change_in(&root, "#edit-tags-value-1", "prod").await;
    change_in(&root, "#edit-tags-value-0", "netops").await;
    assert!(!disabled(&root, "#tags-submit"));
    let cli = text(&root, "#tags-cli");
    assert!(cli.contains("aws directconnect tag-resource"), "{cli}");
    assert!(
        cli.contains("arn:aws:directconnect:us-east-1:111122223333:dxcon/dxcon-fg5678gh"),
        "{cli}"
    );
    assert!(cli.contains("netops") && cli.contains("prod"), "{cli}");
    assert!(!cli.contains("untag-resource"), "{cli}");
    root.remove();
}

/// The page links change the page in place and join the history; the back
/// button (`popstate`) shows the page before again.
#[wasm_bindgen_test]
async fn page_links_push_the_history_and_back_returns() {
    use cloudlink_web::logic::pages::Page;
    use cloudlink_web::ui::nav::{Nav, PageLink};

    let window = web_sys::window().unwrap();
    let before = window.location().pathname().unwrap();
    let container = mount(|| {
        let nav = Nav::provide();
        view! {
            <PageLink to=Page::DirectLink testid="to-directlink">"DirectLink"</PageLink>
            <span data-testid="shown">{move || format!("{:?}", nav.page.get())}</span>
        }
    });
    let shown = || {
        container
            .query_selector("[data-testid=shown]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    let link = container
        .query_selector("[data-testid=to-directlink]")
        .unwrap()
        .unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("/directlink"));
    assert_eq!(link.get_attribute("aria-current"), None);
    let initial = shown();
    assert_ne!(initial, "DirectLink");

    link.unchecked_ref::<HtmlElement>().click();
    tick().await;
    assert_eq!(window.location().pathname().unwrap(), "/directlink");
    assert_eq!(shown(), "DirectLink");
    assert_eq!(link.get_attribute("aria-current").as_deref(), Some("page"));

    window.history().unwrap().back().unwrap();
    for _ in 0..50 {
        if window.location().pathname().unwrap() == before && shown() == initial {
            break;
        }
        tick().await;
    }
    assert_eq!(window.location().pathname().unwrap(), before);
    assert_eq!(shown(), initial);
    assert_eq!(link.get_attribute("aria-current"), None);
}

#[wasm_bindgen_test]
async fn inventory_table_flags_sorts_filters_and_links_hints() {
    use cloudlink_web::logic::inventory::{Filter, Hint, Scope, SortBy, interface_row, shown_rows};
    use cloudlink_web::ui::inventory::{FilterBar, Hints, InventoryTable};
    let scope = Scope {
        service: Service::DirectConnect,
        profile: Some("lab".into()),
        region: "eu-west-1".into(),
    };
    let vif = |id: &str, name: &str, state: &str, bgp: &str| {
        let v: VirtualInterface = serde_json::from_value(serde_json::json!({
            "virtualInterfaceId": id, "virtualInterfaceName": name,
            "virtualInterfaceState": state, "connectionId": "dxcon-1",
            "bgpPeers": [{"bgpStatus": bgp}]
        }))
        .unwrap();
        interface_row(&scope, &v)
    };
    let rows = vec![
        vif("dxvif-up", "alpha", "available", "up"),
        vif("dxvif-down", "beta", "available", "down"),
        vif("dxvif-gone", "gamma", "deleted", "down"),
    ];
    let filter = RwSignal::new(Filter::default());
    let sort = RwSignal::new((SortBy::Name, false));
    let all = Signal::derive(move || rows.clone());
    let shown = Signal::derive(move || {
        let (by, descending) = sort.get();
        filter.with(|f| all.with(|r| shown_rows(r, f, by, descending)))
    });
    let hints = Signal::derive(|| {
        vec![Hint {
            service: Service::DirectConnect,
            profile: "lab".into(),
            why: "vgw-1 is reached through dxcon-1 only".into(),
            ids: vec!["dxcon-1".into(), "vgw-1".into()],
        }]
    });
    let root = mount(move || {
        view! {
            <Hints hints=hints/>
            <FilterBar filter=filter rows=all shown=shown/>
            <InventoryTable rows=shown sort=sort/>
        }
    });
    tick().await;
    let ids = |root: &Element| -> Vec<String> {
        let rows = root.query_selector_all("[data-testid=inv-row]").unwrap();
        (0..rows.length())
            .map(|i| {
                rows.item(i)
                    .unwrap()
                    .unchecked_into::<Element>()
                    .get_attribute("data-id")
                    .unwrap()
            })
            .collect()
    };
    assert_eq!(
        ids(&root),
        ["dxvif-up", "dxvif-down"],
        "deleted hidden, by name"
    );
    assert!(text(&root, "[data-testid=row-count]").contains("2 of 3"));
    assert!(text(&root, "[data-id=dxvif-down] [data-testid=bgp-flag]").contains("BGP down"));
    assert_eq!(count(&root, "[data-id=dxvif-up] [data-testid=bgp-flag]"), 0);
    assert_eq!(
        find(&root, "[data-testid=hint] a")
            .get_attribute("href")
            .as_deref(),
        Some("#inv-dxcon-1")
    );
    // Sorting by the flag column puts flagged rows first and says so to screen readers.
    let flag_header = root
        .query_selector_all("th button.sort")
        .unwrap()
        .item(6)
        .unwrap()
        .unchecked_into::<HtmlElement>();
    assert_eq!(flag_header.text_content().unwrap_or_default(), "Flag");
    flag_header.click();
    tick().await;
    assert_eq!(ids(&root), ["dxvif-down", "dxvif-up"]);
    assert_eq!(
        flag_header
            .parent_element()
            .unwrap()
            .get_attribute("aria-sort")
            .as_deref(),
        Some("ascending")
    );
    // The free-text filter and the deleted checkbox.
    type_in(&root, "#filter-text", "ALPHA").await;
    assert_eq!(ids(&root), ["dxvif-up"]);
    assert_eq!(filter.get_untracked().text, "ALPHA");
    type_in(&root, "#filter-text", "").await;
    find(&root, "#filter-deleted")
        .dyn_ref::<web_sys::HtmlInputElement>()
        .unwrap()
        .click();
    tick().await;
    assert_eq!(ids(&root).len(), 3, "recently deleted shown on demand");
    assert!(text(&root, "[data-id=dxvif-gone]").contains("deleted recently"));
    choose(&root, "#filter-state", "deleted").await;
    assert_eq!(ids(&root), ["dxvif-gone"]);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_region_field_offers_core_regions_and_takes_a_new_one() {
    use cloudlink_web::ui::shell::ScopeBar;
    let root = mount(|| view! { <ScopeBar service=Service::DirectConnect/> });
    tick().await;
    let offered = count(&root, "datalist option");
    assert_eq!(
        offered as usize,
        cloudlink_core::regions::RegionList::of(Service::DirectConnect)
            .all()
            .count(),
        "every region core lists is offered"
    );
    let region = find(&root, "#region");
    let set = |value: &str| {
        region
            .dyn_ref::<web_sys::HtmlInputElement>()
            .unwrap()
            .set_value(value);
        fire(&region, "change");
    };
    set("eu-east-9");
    tick().await;
    assert!(
        text(&root, "[data-testid=region-unknown]").contains("eu-east-9 is not in the list"),
        "a new region is used, and said to be new"
    );
    assert_eq!(text(&root, "#region-error"), "");
    set("eu-west-1");
    tick().await;
    assert_eq!(text(&root, "[data-testid=region-unknown]"), "");
    set("eu.west-1");
    tick().await;
    assert!(
        !text(&root, "#region-error").is_empty(),
        "a malformed name is refused"
    );
    root.remove();
}

/// The inventory's case folding is the browser's in the wasm: Unicode-aware, like std's.
#[wasm_bindgen_test]
fn inventory_lower_case_is_unicode_aware_in_the_browser() {
    use cloudlink_web::logic::inventory::lowercase;
    assert_eq!(lowercase("ÉTAT Core-EAST ΣΑΣ"), "état core-east σας");
    assert_eq!(
        lowercase("ÉTAT Core-EAST ΣΑΣ"),
        "ÉTAT Core-EAST ΣΑΣ".to_lowercase()
    );
}
