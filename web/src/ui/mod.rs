//! The components. Each page is a thin layer over [`crate::logic`]: signals
//! hold what the user typed, core checks it, the proxy is called with it.

pub mod call;
pub mod dx;
pub mod exports;
pub mod inventory;
pub mod load;
pub mod nav;
pub mod oci;
pub mod outposts;
pub mod shell;
pub mod tags;
pub mod topology;
pub mod widgets;

use cloudlink_core::Service;
use leptos::prelude::*;

use crate::logic::pages::Page;
use crate::ui::nav::{Nav, PageLink};
use crate::ui::shell::{LoginPage, SandboxBanner, Session, Shell};

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    let shell = Shell::new();
    shell.provide();
    shell.start();
    view! { <Console shell=shell/> }
}

/// The console for a given shell (tests give one already logged in).
#[component]
pub fn Console(shell: Shell) -> impl IntoView {
    provide_context(shell);
    view! {
        {move || match shell.session.get() {
            Session::Checking => view! { <p class="loading" role="status">"Connecting to the proxy…"</p> }.into_any(),
            Session::LoggedOut => view! { <LoginPage/> }.into_any(),
            Session::LoggedIn => view! { <Frame/> }.into_any(),
        }}
    }
}

#[component]
fn Frame() -> impl IntoView {
    let shell = Shell::get();
    let logout = move |_| {
        leptos::task::spawn_local(async move {
            let _ =
                crate::api::post_json(cloudlink_core::contract::LOGOUT_PATH, b"{}".to_vec()).await;
            shell.session.set(Session::LoggedOut);
        });
    };
    let nav = Nav::provide();
    inventory::Inventory::provide(shell);
    view! {
        <a class="skip" href="#main">"Skip to content"</a>
        <header class="top">
            <PageLink to=Page::Home class="brand">"cloudlink"</PageLink>
            <nav aria-label="Providers">
                <PageLink to=Page::Home testid="nav-inventory">"Inventory"</PageLink>
                <PageLink to=Page::DirectConnect testid="nav-directconnect">"Direct Connect"</PageLink>
                <PageLink to=Page::DirectLink testid="nav-directlink">"DirectLink"</PageLink>
                <PageLink to=Page::Outposts testid="nav-outposts">"Outposts"</PageLink>
                <PageLink to=Page::Oci testid="nav-oci">"OCI console"</PageLink>
            </nav>
            <button type="button" class="secondary small" data-testid="logout" on:click=logout>"Sign out"</button>
        </header>
        <SandboxBanner/>
        <main id="main" tabindex="-1">
            {move || match nav.page.get() {
                Page::Home => view! { <inventory::InventoryPage/> }.into_any(),
                Page::DirectConnect => view! { <dx::DxPage service=Service::DirectConnect/> }.into_any(),
                Page::DirectLink => view! { <dx::DxPage service=Service::DirectLink/> }.into_any(),
                Page::Outposts => view! { <outposts::OutpostsPage/> }.into_any(),
                Page::Oci => view! { <oci::OciPage/> }.into_any(),
                Page::Unknown => view! { <p>"No such page."</p> }.into_any(),
            }}
        </main>
    }
}
