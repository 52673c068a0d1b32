//! The shell: session check and login page, navigation by provider, region
//! and profile pickers fed by `/api/profiles`, the sandbox banner.

use std::collections::HashMap;

use cloudlink_core::catalogue::Region;
use cloudlink_core::regions::{RegionList, pick};
use cloudlink_core::{Provider, ProviderError, Service};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Profiles, ProviderProfiles};
use crate::logic::seeds;
use crate::ui::call::Pending;
use cloudlink_core::contract::{self, SandboxSeeds};

/// Whether the browser has a session with the proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    Checking,
    LoggedIn,
    LoggedOut,
}

/// What every page shares, given as context by [`Shell::provide`].
#[derive(Debug, Clone, Copy)]
pub struct Shell {
    pub session: RwSignal<Session>,
    pub profiles: RwSignal<Option<Profiles>>,
    pub seeds: RwSignal<Option<SandboxSeeds>>,
    /// Region chosen per provider.
    pub regions: RwSignal<HashMap<Provider, String>>,
    /// Profile chosen per provider; empty is the proxy's default.
    pub chosen_profiles: RwSignal<HashMap<Provider, String>>,
    /// OCI console connections and Outposts server connections the user has listed or looked
    /// up on their pages: the inventory shows them next to what it sweeps.
    pub asked: RwSignal<Vec<crate::logic::inventory::Row>>,
    /// The OCI console connections behind those rows, for the inventory's exports.
    pub consoles:
        RwSignal<crate::logic::inventory::Swept<cloudlink_core::oci::InstanceConsoleConnection>>,
}

impl Shell {
    pub fn new() -> Self {
        Self {
            session: RwSignal::new(Session::Checking),
            profiles: RwSignal::new(None),
            seeds: RwSignal::new(None),
            regions: RwSignal::new(HashMap::new()),
            chosen_profiles: RwSignal::new(HashMap::new()),
            asked: RwSignal::new(Vec::new()),
            consoles: RwSignal::new(Vec::new()),
        }
    }

    /// A shell already logged in with the given profiles, for component tests.
    pub fn for_tests(profiles: Profiles) -> Self {
        let shell = Self::new();
        shell.session.set(Session::LoggedIn);
        shell.profiles.set(Some(profiles));
        shell
    }

    pub fn provide(self) {
        provide_context(self);
    }

    pub fn get() -> Self {
        use_context::<Shell>().unwrap_or_else(|| {
            let s = Shell::new();
            provide_context(s);
            s
        })
    }

    /// Reads what `/api/profiles` says of `provider` (its defaults when not loaded).
    pub fn provider_profiles<T>(
        &self,
        provider: Provider,
        read: impl FnOnce(&ProviderProfiles) -> T,
    ) -> Option<T> {
        self.profiles.with(|p| {
            p.as_ref()
                .and_then(|p| p.providers.get(&provider))
                .map(read)
        })
    }

    /// The region used for `service`'s calls.
    pub fn region(&self, service: Service) -> String {
        let provider = service.provider();
        self.regions
            .with(|r| r.get(&provider).cloned())
            .unwrap_or_else(|| {
                self.provider_profiles(provider, |p| p.default_region.clone())
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| service.default_region().to_owned())
            })
    }

    /// The profile used for `service`'s calls, if one was picked.
    pub fn profile(&self, service: Service) -> Option<String> {
        self.chosen_profiles
            .with(|p| p.get(&service.provider()).cloned())
            .filter(|p| !p.is_empty())
    }

    pub fn read_only(&self) -> bool {
        self.profiles
            .with(|p| p.as_ref().is_some_and(|p| p.read_only))
    }

    /// [`Shell::region`] and [`Shell::profile`] without tracking, for calls.
    pub fn scope(&self, service: Service) -> (String, Option<String>) {
        untrack(|| (self.region(service), self.profile(service)))
    }

    /// Keeps `rows` for the inventory (see [`crate::logic::inventory::remember`]).
    pub fn remember(
        &self,
        rows: Vec<crate::logic::inventory::Row>,
        replacing: Option<(&str, &str)>,
    ) {
        let _ = self
            .asked
            .try_update(|a| crate::logic::inventory::remember(a, rows, replacing));
    }

    /// Seeded values for a form's suggestions.
    pub fn suggestions(&self, hint: &'static str) -> Signal<Vec<String>> {
        let seeds = self.seeds;
        Signal::derive(move || {
            seeds.with(|s| {
                s.as_ref()
                    .map(|s| seeds::suggestions(&seeds::as_value(s), hint))
                    .unwrap_or_default()
            })
        })
    }

    /// Notes an error: a 401 sends the user back to the login page.
    pub fn note(&self, e: &ProviderError) {
        if api::is_unauthenticated(e) {
            self.session.set(Session::LoggedOut);
        }
    }

    /// Checks the session and, at the same time, loads the profiles (and then the sandbox's
    /// seeds): a first visit waits for one round trip, not two. Without a session the
    /// profiles are refused and the login page loads them after signing in.
    pub fn start(self) {
        spawn_local(async move {
            match api::get_json::<contract::Session>(contract::SESSION_PATH).await {
                Ok(_) => self.session.set(Session::LoggedIn),
                Err(_) => self.session.set(Session::LoggedOut),
            }
        });
        self.load_profiles();
    }

    pub fn load_profiles(self) {
        spawn_local(async move {
            if let Ok(p) = api::get_json::<Profiles>(contract::PROFILES_PATH).await {
                let sandbox = p.sandbox;
                self.profiles.set(Some(p));
                if sandbox
                    && let Ok(s) = api::get_json::<SandboxSeeds>(contract::SANDBOX_PATH).await
                {
                    self.seeds.set(Some(s));
                }
            }
        });
    }
}

impl Default for Shell {
    fn default() -> Self {
        Self::new()
    }
}

/// Sends the login token; a refusal is read as the proxy's error.
async fn login(token: String) -> Result<(), ProviderError> {
    let body = serde_json::to_vec(&contract::LoginRequest { token }).unwrap_or_default();
    let a = api::post_json(contract::LOGIN_PATH, body).await?;
    if (200..300).contains(&a.status) {
        Ok(())
    } else {
        Err(cloudlink_core::wire::parse_error(
            Provider::Aws,
            a.status,
            &a.headers,
            &a.body,
        ))
    }
}

/// The login page: the token from the proxy's start-up message.
#[component]
pub fn LoginPage() -> impl IntoView {
    let shell = Shell::get();
    let token = RwSignal::new(String::new());
    let pending = Pending::new();
    let failed_link = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .is_some_and(|h| h.contains("failed=1"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.run(
            login(token.get_untracked()),
            move |()| {
                token.set(String::new());
                shell.session.set(Session::LoggedIn);
                shell.load_profiles();
            },
            |_| {},
        );
    };
    view! {
        <main class="login" id="main">
            <h1>"cloudlink"</h1>
            <form on:submit=submit class="card" data-testid="login-form">
                <h2>"Sign in"</h2>
                <p class="muted">"Open the login link the proxy printed at start (it works once, for five minutes), or paste the access token here."</p>
                {failed_link.then(|| view! { <p class="error" role="alert">"That login link was not accepted: it was used already, has expired, or is wrong. Paste the access token instead."</p> })}
                <div class="field">
                    <label for="login-token">"Access token"</label>
                    <input id="login-token" type="password" autocomplete="current-password"
                        prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))/>
                </div>
                <button type="submit" id="login-submit" disabled=move || pending.busy.get() || token.with(|t| t.is_empty())>"Sign in"</button>
                <crate::ui::widgets::ErrorBox error=pending.error.into()/>
            </form>
        </main>
    }
}

/// Region and profile pickers for the page's provider.
#[component]
pub fn ScopeBar(service: Service) -> impl IntoView {
    let shell = Shell::get();
    let provider = service.provider();
    let problems = Signal::derive(move || {
        shell
            .provider_profiles(provider, |p| p.problems.clone())
            .unwrap_or_default()
    });
    view! {
        <div class="scope-bar" data-testid="scope-bar">
            <RegionField service=service/>
            <ProfileField service=service/>
            {move || (!problems.with(Vec::is_empty)).then(|| view! {
                <ul class="problems" aria-label="credential problems">{problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            })}
            {move || shell.read_only().then(|| view! {
                <p class="notice" data-testid="read-only">"Read-only: the proxy forwards only Describe, Get and List calls."</p>
            })}
        </div>
    }
}

/// The region of the page's provider: any well-formed region, the known ones suggested.
#[component]
fn RegionField(service: Service) -> impl IntoView {
    let shell = Shell::get();
    let provider = service.provider();
    let region = Signal::derive(move || shell.region(service));
    let region_error =
        Signal::derive(move || Region::parse(&region.get()).err().map(|e| e.to_string()));
    // A well-formed name the list does not hold is used as typed (a region launched after
    // the list was written), and said to be new so a typo is noticed.
    let unknown = Signal::derive(move || {
        pick(service, &region.get())
            .ok()
            .filter(|p| !p.known)
            .map(|p| {
                format!(
                    "{} is not in the list of known regions; it is used as typed.",
                    p.region.as_str()
                )
            })
    });
    let list_id = format!("regions-{}", provider.display_name());
    let set_region = move |v: String| {
        shell.regions.update(|r| {
            r.insert(provider, v.trim().to_owned());
        })
    };
    view! {
        <div class="field inline">
            <label for="region">"Region"</label>
            <input id="region" list=list_id.clone() autocomplete="off"
                aria-invalid=move || region_error.with(Option::is_some).to_string() aria-describedby="region-error"
                prop:value=move || region.get()
                on:change=move |ev| set_region(event_target_value(&ev))/>
            <datalist id=list_id>{RegionList::of(service).all().map(|r| view! { <option value=r></option> }).collect_view()}</datalist>
            <p class="error" id="region-error" aria-live="polite">{move || region_error.get().unwrap_or_default()}</p>
            <p class="muted small" data-testid="region-unknown" aria-live="polite">{move || unknown.get().unwrap_or_default()}</p>
        </div>
    }
}

/// The credential profile of the page's provider; empty is the proxy's default.
#[component]
fn ProfileField(service: Service) -> impl IntoView {
    let shell = Shell::get();
    let provider = service.provider();
    let profiles = Signal::derive(move || {
        shell
            .provider_profiles(provider, |p| p.profiles.clone())
            .unwrap_or_default()
    });
    let set_profile = move |v: String| {
        shell.chosen_profiles.update(|p| {
            p.insert(provider, v);
        })
    };
    view! {
        <div class="field inline">
            <label for="profile">"Profile"</label>
            <select id="profile" on:change=move |ev| set_profile(event_target_value(&ev))>
                <option value="">"default"</option>
                {move || profiles.get().into_iter().map(|p| {
                    let selected = shell.profile(service).as_deref() == Some(p.as_str());
                    view! { <option value=p.clone() selected=selected>{p.clone()}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The sandbox banner with the seeded IDs.
#[component]
pub fn SandboxBanner() -> impl IntoView {
    let shell = Shell::get();
    let sandbox = move || {
        shell
            .profiles
            .with(|p| p.as_ref().is_some_and(|p| p.sandbox))
    };
    view! {
        <Show when=sandbox>
            <aside class="sandbox" data-testid="sandbox-banner" aria-label="sandbox">
                <details>
                    <summary><strong>"Sandbox"</strong>" — a fake cloud answers every call. Seeded IDs to try the forms:"</summary>
                    <dl>
                        {move || shell.seeds.with(|s| s.as_ref().map(|s| seeds::groups(&seeds::as_value(s))).unwrap_or_default()).into_iter().map(|g| view! {
                            <dt>{g.label}</dt>
                            <dd>{g.values.into_iter().map(|v| view! { <code class="seed">{v}</code>" " }).collect_view()}</dd>
                        }).collect_view()}
                    </dl>
                </details>
            </aside>
        </Show>
    }
}
