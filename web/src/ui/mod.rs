//! The components. Each page is a thin layer over [`crate::logic`]: signals
//! hold what the user typed, core checks it, the proxy is called with it.

pub mod call;
pub mod dx;
pub mod load;
pub mod oci;
pub mod outposts;
pub mod shell;
pub mod tags;
pub mod widgets;

use cloudlink_core::Service;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

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

/// A console page's address under the proxy's base path: the router leaves
/// absolute hrefs as they are, so the prefix is added here.
fn page(path: &str) -> String {
    crate::logic::route::under_base(crate::api::base_path(), path)
}

#[component]
fn Frame() -> impl IntoView {
    let shell = Shell::get();
    let logout = move |_| {
        leptos::task::spawn_local(async move {
            let _ = crate::api::post_json(
                cloudlink_core::contract::LOGOUT_PATH,
                &serde_json::json!({}),
            )
            .await;
            shell.session.set(Session::LoggedOut);
        });
    };
    view! {
        <Router base=crate::api::base_path()>
            <a class="skip" href="#main">"Skip to content"</a>
            <header class="top">
                <A href=page("/") attr:class="brand">"cloudlink"</A>
                <nav aria-label="Providers">
                    <A href=page("/directconnect") attr:data-testid="nav-directconnect">"Direct Connect"</A>
                    <A href=page("/directlink") attr:data-testid="nav-directlink">"DirectLink"</A>
                    <A href=page("/outposts") attr:data-testid="nav-outposts">"Outposts"</A>
                    <A href=page("/oci") attr:data-testid="nav-oci">"OCI console"</A>
                </nav>
                <button type="button" class="secondary small" data-testid="logout" on:click=logout>"Sign out"</button>
            </header>
            <SandboxBanner/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <p>"No such page."</p> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/directconnect") view=|| view! { <dx::DxPage service=Service::DirectConnect/> }/>
                    <Route path=path!("/directlink") view=|| view! { <dx::DxPage service=Service::DirectLink/> }/>
                    <Route path=path!("/outposts") view=outposts::OutpostsPage/>
                    <Route path=path!("/oci") view=oci::OciPage/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Home() -> impl IntoView {
    view! {
        <section class="page home" data-testid="page-home">
            <h1>"Cloud connections"</h1>
            <p class="muted">"Every form is checked as you type with the same rules the proxy enforces, and shows the CLI command it stands for."</p>
            <div class="tiles">
                <A href=page("/directconnect") attr:class="tile"><strong>"AWS Direct Connect"</strong><span>"Dedicated connections and private virtual interfaces"</span></A>
                <A href=page("/directlink") attr:class="tile"><strong>"OUTSCALE DirectLink"</strong><span>"The same, on OUTSCALE's AWS-compatible API"</span></A>
                <A href=page("/outposts") attr:class="tile"><strong>"AWS Outposts"</strong><span>"Server connections (WireGuard) during installation"</span></A>
                <A href=page("/oci") attr:class="tile"><strong>"OCI console connections"</strong><span>"Serial and VNC console access to instances"</span></A>
            </div>
        </section>
    }
}
