//! The inventory, the console's home: every connection and virtual interface of every
//! configured Direct Connect-shaped provider and profile, across the regions picked, in one
//! table with BGP flags, redundancy hints, a filter kept in the address, and exports.
//!
//! A thin layer over [`crate::logic::inventory`]: the sweep decides which list calls go out
//! and how many at once; this module sends them (each an ordinary call through the proxy,
//! checked by core on both sides) and shows what came back.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use cloudlink_core::directconnect::{Connection, VirtualInterface};
use cloudlink_core::regions::{RegionList, pick};
use cloudlink_core::{Provider, ProviderError, Service};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::logic::inventory::{
    self as inv, Filter, Hint, Job, Progress, Row, Scope, SortBy, Sweep, filter_choices, row_anchor,
};
use crate::logic::status::Tone;
use crate::ui::call::{self, DxList};
use crate::ui::exports::EstateExports;
use crate::ui::shell::Shell;
use crate::ui::topology::TopologyCard;
use crate::ui::widgets::download;

/// The services the inventory sweeps.
const SERVICES: [Service; 2] = [Service::DirectConnect, Service::DirectLink];

/// What a sweep found so far.
#[derive(Debug, Clone, Default)]
struct Found {
    connections: Vec<(Scope, Connection)>,
    interfaces: Vec<(Scope, VirtualInterface)>,
}

/// How the sweep stands, for the summary line.
#[derive(Debug, Clone, Copy, Default)]
struct Status {
    /// Bumped by every new sweep (and when the page closes): answers of an older one are dropped.
    generation: u32,
    running: bool,
    calls: usize,
    started_ms: f64,
    took_ms: Option<f64>,
    /// When the last sweep ended (`Date.now()`), for its age.
    finished_ms: f64,
}

/// The signals a sweep writes to.
#[derive(Debug, Clone, Copy)]
struct Board {
    shell: Shell,
    found: RwSignal<Found>,
    progress: RwSignal<Vec<(Scope, Progress)>>,
    status: RwSignal<Status>,
}

impl Board {
    fn current(&self, generation: u32) -> bool {
        self.status
            .try_with_untracked(|s| s.generation == generation)
            .unwrap_or(false)
    }

    /// Starts a sweep of `scopes`; one already running is dropped.
    fn sweep(self, scopes: &[Scope]) {
        let Some(generation) = self.status.try_update(|s| {
            *s = Status {
                generation: s.generation.wrapping_add(1),
                running: true,
                calls: 0,
                started_ms: js_sys::Date::now(),
                took_ms: None,
                finished_ms: s.finished_ms,
            };
            s.generation
        }) else {
            return;
        };
        self.found.set(Found::default());
        let sweep = Rc::new(RefCell::new(Sweep::of_scopes(
            scopes,
            inv::SWEEP_CONCURRENCY,
        )));
        self.progress.set(sweep.borrow().progress());
        self.pump(sweep, generation);
    }

    /// Starts the jobs the cap allows; each one, when it ends, starts the next.
    fn pump(self, sweep: Rc<RefCell<Sweep>>, generation: u32) {
        let jobs = sweep.borrow_mut().start();
        if jobs.is_empty() && sweep.borrow().is_done() {
            self.end(&sweep);
            return;
        }
        let _ = self.progress.try_set(sweep.borrow().progress());
        for job in jobs {
            let sweep = Rc::clone(&sweep);
            spawn_local(async move {
                let wanted = move || self.current(generation);
                let (result, calls) = call::read_dx_list(&job, None, &wanted).await;
                if !self.current(generation) {
                    return;
                }
                self.record(&sweep, &job, result, calls);
                if sweep.borrow().is_done() {
                    self.end(&sweep);
                } else {
                    self.pump(sweep, generation);
                }
            });
        }
    }

    fn record(
        self,
        sweep: &Rc<RefCell<Sweep>>,
        job: &Job,
        result: Result<DxList, ProviderError>,
        calls: usize,
    ) {
        let outcome = match &result {
            Ok(list) => Ok((
                list.connections.len() + list.interfaces.len(),
                list.truncated,
            )),
            Err(e) => {
                self.shell.note(e);
                Err(format!("{}: {}", e.code, e.message))
            }
        };
        {
            let mut sweep = sweep.borrow_mut();
            for _ in 0..calls {
                sweep.called();
            }
            sweep.finished(job, outcome);
        }
        if let Ok(list) = result
            && !(list.connections.is_empty() && list.interfaces.is_empty())
        {
            let scope = &job.scope;
            let _ = self.found.try_update(|f| {
                f.connections
                    .extend(list.connections.into_iter().map(|c| (scope.clone(), c)));
                f.interfaces
                    .extend(list.interfaces.into_iter().map(|v| (scope.clone(), v)));
            });
        }
        let _ = self.progress.try_set(sweep.borrow().progress());
        let calls = sweep.borrow().calls();
        let _ = self.status.try_update(|s| s.calls = calls);
    }

    fn end(self, sweep: &Rc<RefCell<Sweep>>) {
        let _ = self.progress.try_set(sweep.borrow().progress());
        let _ = self.status.try_update(|s| {
            s.running = false;
            s.finished_ms = js_sys::Date::now();
            s.took_ms = Some(s.finished_ms - s.started_ms);
        });
    }
}

/// The services configured at the proxy, each with its profile names.
fn configured(shell: Shell) -> Vec<(Service, Vec<String>)> {
    SERVICES
        .iter()
        .filter_map(|&service| {
            shell
                .provider_profiles(service.provider(), |p| {
                    p.configured.then(|| p.profiles.clone())
                })
                .flatten()
                .map(|names| (service, names))
        })
        .collect()
}

fn default_regions() -> BTreeMap<Service, Vec<String>> {
    SERVICES
        .iter()
        .map(|&s| {
            let regions = RegionList::of(s).regions.iter().map(|r| (*r).to_owned());
            (s, regions.collect())
        })
        .collect()
}

fn location_query() -> String {
    window().location().search().unwrap_or_default()
}

/// Keeps the filter in the address (replacing the entry: typing is not history).
fn write_query(filter: &Filter) {
    let query = filter.to_query();
    let path = window().location().pathname().unwrap_or_default();
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// A finished sweep older than this is done again when the page is shown.
const STALE_AFTER_MS: f64 = 5.0 * 60_000.0;

/// What the inventory keeps while the user is on other pages: the last sweep (which goes on
/// in the background), the regions picked and the sort. Given as context by the frame, so
/// coming back shows the table at once instead of sweeping again.
#[derive(Debug, Clone, Copy)]
pub struct Inventory {
    board: Board,
    picked: RwSignal<BTreeMap<Service, Vec<String>>>,
    sort: RwSignal<(SortBy, bool)>,
}

impl Inventory {
    fn new(shell: Shell) -> Self {
        Inventory {
            board: Board {
                shell,
                found: RwSignal::new(Found::default()),
                progress: RwSignal::new(Vec::new()),
                status: RwSignal::new(Status::default()),
            },
            picked: RwSignal::new(default_regions()),
            sort: RwSignal::new((SortBy::Provider, false)),
        }
    }

    /// Provides the inventory's state to every page under the current owner.
    pub fn provide(shell: Shell) {
        provide_context(Inventory::new(shell));
    }

    fn get(shell: Shell) -> Self {
        use_context::<Inventory>().unwrap_or_else(|| {
            let inventory = Inventory::new(shell);
            provide_context(inventory);
            inventory
        })
    }

    /// Whether the page should sweep when shown: never swept, or the last sweep is stale.
    fn needs_sweep(self) -> bool {
        self.board.status.with_untracked(|s| {
            !s.running
                && s.took_ms
                    .is_none_or(|_| js_sys::Date::now() - s.finished_ms > STALE_AFTER_MS)
        })
    }
}

/// The inventory page.
#[component]
pub fn InventoryPage() -> impl IntoView {
    let shell = Shell::get();
    let inventory = Inventory::get(shell);
    let Inventory {
        board,
        picked,
        sort,
    } = inventory;
    let filter = RwSignal::new(Filter::from_query(&location_query()));
    let start = move || {
        board.sweep(&inv::sweep_scopes(
            &configured(shell),
            &picked.get_untracked(),
        ))
    };
    // A sweep starts once `/api/profiles` says what is configured, unless a recent one is kept.
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        let ready = shell.profiles.with(Option::is_some);
        if ready && inventory.needs_sweep() {
            start();
        }
        ready
    });
    Effect::new(move |_| filter.with(write_query));
    let rows = Memo::new(move |_| {
        board.found.with(|f| {
            let mut rows: Vec<Row> = f
                .connections
                .iter()
                .map(|(s, c)| inv::connection_row(s, c))
                .collect();
            rows.extend(f.interfaces.iter().map(|(s, v)| inv::interface_row(s, v)));
            // What the user asked for on the Outposts and OCI pages (neither API lists across
            // regions: Outposts has no list at all, OCI lists per compartment).
            shell.asked.with(|a| rows.extend(a.iter().cloned()));
            rows
        })
    });
    let shown = Memo::new(move |_| {
        let (by, descending) = sort.get();
        filter.with(|f| rows.with(|r| inv::shown_rows(r, f, by, descending)))
    });
    let all_hints = Memo::new(move |_| {
        board
            .found
            .with(|f| inv::hints(&f.connections, &f.interfaces))
    });
    let hints =
        Memo::new(move |_| all_hints.with(|all| shown.with(|rows| inv::visible_hints(all, rows))));
    view! {
        <section class="page inventory" data-testid="page-home">
            <h1>"Inventory"</h1>
            <p class="muted">"Every connection and virtual interface of every configured profile, across the regions picked. Each list is an ordinary call through the proxy, checked on both sides."</p>
            <SweepControls board=board picked=picked on_sweep=Callback::new(move |()| start())/>
            <SweepProgress board=board/>
            <Hints hints=hints.into()/>
            <div class="card">
                <FilterBar filter=filter rows=rows.into() shown=shown.into()/>
                <EstateExports connections=Signal::derive(move || board.found.with(|f| f.connections.clone()))
                    interfaces=Signal::derive(move || board.found.with(|f| f.interfaces.clone()))
                    consoles=shell.consoles.into() shown=shown.into()/>
                <InventoryTable rows=shown.into() sort=sort/>
            </div>
            <TopologyCard connections=Signal::derive(move || board.found.with(|f| f.connections.clone()))
                interfaces=Signal::derive(move || board.found.with(|f| f.interfaces.clone()))
                shown=shown.into()/>
        </section>
    }
}

/// The regions to sweep, per service, and the button that sweeps again.
#[component]
fn SweepControls(
    board: Board,
    picked: RwSignal<BTreeMap<Service, Vec<String>>>,
    on_sweep: Callback<()>,
) -> impl IntoView {
    let running = move || board.status.with(|s| s.running);
    let summary = move || {
        picked.with(|p| {
            SERVICES
                .iter()
                .map(|s| format!("{} {}", p.get(s).map_or(0, Vec::len), short_name(*s)))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    view! {
        <div class="card sweep-controls">
            <details>
                <summary>"Regions swept: " {summary}</summary>
                {SERVICES.iter().map(|&s| view! { <RegionPicker service=s picked=picked/> }).collect_view()}
            </details>
            <button type="button" data-testid="sweep" disabled=running on:click=move |_| on_sweep.run(())>
                {move || if running() { "Sweeping…" } else { "Sweep again" }}
            </button>
        </div>
    }
}

fn short_name(service: Service) -> &'static str {
    match service {
        Service::DirectLink => "DirectLink",
        _ => "Direct Connect",
    }
}

/// Picks every swept region of `list` for `service`, or none.
fn set_all(
    picked: &mut BTreeMap<Service, Vec<String>>,
    service: Service,
    list: &RegionList,
    all: bool,
) {
    let regions = if all {
        list.regions.iter().map(|r| (*r).to_owned()).collect()
    } else {
        Vec::new()
    };
    picked.insert(service, regions);
}

/// One service's regions as checkboxes, with "all", "none" and a field to add a region the
/// list does not know yet (checked by core's region rule).
#[component]
fn RegionPicker(
    service: Service,
    picked: RwSignal<BTreeMap<Service, Vec<String>>>,
) -> impl IntoView {
    let list = RegionList::of(service);
    let typed = RwSignal::new(String::new());
    let typed_error = RwSignal::new(None::<String>);
    let set_all = move |all: bool| picked.update(|p| set_all(p, service, list, all));
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match pick(service, &typed.get_untracked()) {
            Ok(p) => {
                let region = p.region.as_str().to_owned();
                picked.update(|m| {
                    let regions = m.entry(service).or_default();
                    if !regions.contains(&region) {
                        regions.push(region);
                    }
                });
                typed.set(String::new());
                typed_error.set(None);
            }
            Err(e) => typed_error.set(Some(e.to_string())),
        }
    };
    let id = format!("add-region-{}", service.id());
    let error_id = format!("{id}-error");
    view! {
        <fieldset class="region-picker" data-testid=format!("regions-{}", service.id())>
            <legend>{short_name(service)}" regions"</legend>
            <div class="row">
                <button type="button" class="secondary small" on:click=move |_| set_all(true)>"All"</button>
                <button type="button" class="secondary small" on:click=move |_| set_all(false)>"None"</button>
            </div>
            <RegionChecks service=service picked=picked/>
            <form class="row" on:submit=add>
                <label for=id.clone()>"Add a region"</label>
                <input id=id.clone() autocomplete="off" placeholder="e.g. eu-west-1"
                    aria-invalid=move || typed_error.with(Option::is_some).to_string() aria-describedby=error_id.clone()
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button type="submit" class="secondary small">"Add"</button>
                <p class="error" id=error_id aria-live="polite">{move || typed_error.get().unwrap_or_default()}</p>
            </form>
            <p class="muted small">"Source: "{list.source}</p>
        </fieldset>
    }
}

/// A checkbox per region: the known ones, then any the user added.
#[component]
fn RegionChecks(
    service: Service,
    picked: RwSignal<BTreeMap<Service, Vec<String>>>,
) -> impl IntoView {
    let list = RegionList::of(service);
    // The known regions, then any the user added.
    let shown = move || {
        let mut all: Vec<String> = list.all().map(str::to_owned).collect();
        picked.with(|p| {
            for r in p.get(&service).into_iter().flatten() {
                if !all.contains(r) {
                    all.push(r.clone());
                }
            }
        });
        all
    };
    view! {
            <div class="checks">
            {move || shown().into_iter().map(|region| {
                let r = region.clone();
                let checked = move || picked.with(|p| p.get(&service).is_some_and(|l| l.contains(&r)));
                let r = region.clone();
                let toggle = move |_| picked.update(|p| {
                    let l = p.entry(service).or_default();
                    match l.iter().position(|x| *x == r) {
                        Some(i) => { l.remove(i); }
                        None => l.push(r.clone()),
                    }
                });
                view! { <label class="check"><input type="checkbox" prop:checked=checked on:change=toggle/>{region}</label> }
            }).collect_view()}
        </div>
    }
}

fn scope_label(scope: &Scope) -> String {
    format!(
        "{} {} · {}",
        short_name(scope.service),
        scope.region,
        scope.profile.as_deref().unwrap_or("default")
    )
}

/// A `Date.now()` value as the browser's local time of day.
fn clock_time(ms: f64) -> String {
    js_sys::Date::new(&JsValue::from_f64(ms))
        .to_locale_time_string("default")
        .into()
}

/// `ms` as seconds with one decimal ("2.6 s"), without the float formatter's bytes.
fn seconds(ms: f64) -> String {
    // Whole tenths of a second; a sweep lasts from milliseconds to minutes.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let tenths = (ms.max(0.0) / 100.0).round() as u64;
    format!("{}.{} s", tenths / 10, tenths % 10)
}

/// A scope's state (`data-state`) and what it says.
fn state_of(p: &Progress) -> (&'static str, String) {
    match p {
        Progress::Waiting => ("waiting", "waiting".to_owned()),
        Progress::Running => ("running", "reading…".to_owned()),
        Progress::Done { items, truncated } => (
            "done",
            format!(
                "{items} item{}{}",
                if *items == 1 { "" } else { "s" },
                if *truncated { ", cut short" } else { "" }
            ),
        ),
        Progress::Failed(_) => ("failed", "failed".to_owned()),
    }
}

/// The sweep's progress: a summary, the failed regions with their errors, and every scope.
#[component]
fn SweepProgress(board: Board) -> impl IntoView {
    let counts = move || {
        board.progress.with(|p| {
            let done = p
                .iter()
                .filter(|(_, s)| matches!(s, Progress::Done { .. } | Progress::Failed(_)))
                .count();
            (done, p.len())
        })
    };
    let summary = move || {
        let (done, all) = counts();
        let status = board.status.get();
        let took = status
            .took_ms
            .map(|ms| format!(" in {}, at {}", seconds(ms), clock_time(status.finished_ms)))
            .unwrap_or_default();
        format!(
            "{done} of {all} regions and profiles swept, {} calls{took}",
            status.calls
        )
    };
    view! {
        <div class="card sweep-progress">
            <p role="status" data-testid="sweep-status" data-running=move || board.status.with(|s| s.running).to_string()
                data-done=move || board.status.with(|s| s.took_ms.is_some()).to_string()>
                {summary}
            </p>
            <progress max=move || counts().1.max(1) value=move || counts().0 aria-label="regions swept"></progress>
            <ScopeErrors board=board/>
            <ScopeList board=board/>
        </div>
    }
}

/// The scopes whose lists failed, each with the provider's error, in place.
#[component]
fn ScopeErrors(board: Board) -> impl IntoView {
    let failed = move || {
        board.progress.with(|p| {
            p.iter()
                .filter_map(|(scope, s)| match s {
                    Progress::Failed(e) => {
                        Some((scope_label(scope), scope.region.clone(), e.clone()))
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
            {move || {
                let failed = failed();
                (!failed.is_empty()).then(|| view! {
                    <ul class="scope-errors" aria-label="regions that failed">
                        {failed.into_iter().map(|(label, region, error)| view! {
                            <li class="error" data-testid="scope-error" data-region=region><strong>{label}</strong>": "{error}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
    }
}

/// Every scope and how it stands, folded away.
#[component]
fn ScopeList(board: Board) -> impl IntoView {
    view! {
            <details>
                <summary>"Every region and profile"</summary>
                <ul class="scopes">
                    {move || board.progress.get().into_iter().map(|(scope, p)| {
                        let (state, text) = state_of(&p);
                        view! {
                            <li data-testid="scope-progress" data-state=state data-region=scope.region.clone()>
                                {scope_label(&scope)}": "{text}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
    }
}

/// The redundancy hints, each with links to the rows it is about.
#[component]
pub fn Hints(hints: Signal<Vec<Hint>>) -> impl IntoView {
    view! {
        <Show when=move || !hints.with(Vec::is_empty)>
            <div class="card hints" data-testid="hints">
                <h2 id="hints-heading">"Redundancy hints"</h2>
                <ul aria-labelledby="hints-heading">
                    {move || hints.get().into_iter().map(|h| view! {
                        <li data-testid="hint">
                            <span class="muted">{short_name(h.service)}" · "{if h.profile.is_empty() { "default".to_owned() } else { h.profile.clone() }}": "</span>
                            {h.why.clone()}
                            " "
                            {h.ids.into_iter().map(|id| { let href = format!("#{}", row_anchor(&id)); view! { <a href=href class="row-link">{id}</a>" " } }).collect_view()}
                        </li>
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}

/// Downloads `rows` as CSV or JSON.
fn export(rows: &[Row], csv: bool) {
    if csv {
        download("cloudlink-inventory.csv", "text/csv", &inv::to_csv(rows));
    } else {
        download(
            "cloudlink-inventory.json",
            "application/json",
            &inv::to_json(rows),
        );
    }
}

/// The filter (the page keeps it in the address), the row counts and the exports.
#[component]
pub fn FilterBar(
    filter: RwSignal<Filter>,
    rows: Signal<Vec<Row>>,
    shown: Signal<Vec<Row>>,
) -> impl IntoView {
    let choices = Memo::new(move |_| rows.with(|r| filter_choices(r)));
    let hidden_deleted = move || rows.with(|r| r.iter().filter(|row| row.deleted).count());
    let select = move |label: &'static str,
                       id: &'static str,
                       values: Signal<Vec<String>>,
                       get: fn(&Filter) -> Option<String>,
                       set: fn(&mut Filter, Option<String>)| {
        view! {
            <div class="field inline">
                <label for=id>{label}</label>
                <select id=id on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| set(f, (!v.is_empty()).then_some(v)));
                }>
                    <option value="">"all"</option>
                    {move || {
                        let current = filter.with(get);
                        values.get().into_iter().map(|v| {
                            let selected = current.as_deref() == Some(v.as_str());
                            view! { <option value=v.clone() selected=selected>{v.clone()}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
        }
    };
    let providers = Signal::derive(|| {
        [Provider::Aws, Provider::Outscale, Provider::Oci]
            .iter()
            .map(|p| p.display_name().to_owned())
            .collect()
    });
    view! {
        <div class="filters" role="search" aria-label="filter the inventory">
            {select("Provider", "filter-provider", providers,
                |f| f.provider.map(|p| p.display_name().to_owned()),
                |f, v| f.provider = v.as_deref().and_then(Provider::from_name))}
            {select("Profile", "filter-profile", Signal::derive(move || choices.with(|c| c[0].clone())),
                |f| f.profile.clone(), |f, v| f.profile = v)}
            {select("Region", "filter-region", Signal::derive(move || choices.with(|c| c[1].clone())),
                |f| f.region.clone(), |f, v| f.region = v)}
            {select("State", "filter-state", Signal::derive(move || choices.with(|c| c[2].clone())),
                |f| f.state.clone(), |f, v| f.state = v)}
            <div class="field inline">
                <label for="filter-text">"Search"</label>
                <input id="filter-text" type="search" placeholder="id, name, location"
                    prop:value=move || filter.with(|f| f.text.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.text = v); }/>
            </div>
            <label class="check">
                <input type="checkbox" id="filter-deleted" prop:checked=move || filter.with(|f| f.show_deleted)
                    on:change=move |ev| { let on = event_target_checked(&ev); filter.update(|f| f.show_deleted = on); }/>
                {move || format!("Show recently deleted ({})", hidden_deleted())}
            </label>
        </div>
        <TableHead rows=rows shown=shown/>
    }
}

/// The table's heading, its row counts and the exports of what it shows.
#[component]
fn TableHead(rows: Signal<Vec<Row>>, shown: Signal<Vec<Row>>) -> impl IntoView {
    let export = move |csv: bool| shown.with(|rows| export(rows, csv));
    view! {
        <div class="card-head">
            <h2 id="inventory-heading">"Connections and interfaces"</h2>
            <span class="muted" data-testid="row-count">{move || format!("{} of {} rows", shown.with(Vec::len), rows.with(Vec::len))}</span>
            <button type="button" class="secondary small" data-testid="export-csv" on:click=move |_| export(true)>"Export CSV"</button>
            <button type="button" class="secondary small" data-testid="export-json" on:click=move |_| export(false)>"Export JSON"</button>
        </div>
    }
}

const COLUMNS: [(&str, Option<SortBy>); 11] = [
    ("Provider", Some(SortBy::Provider)),
    ("Profile", None),
    ("Region", Some(SortBy::Region)),
    ("Kind", Some(SortBy::Kind)),
    ("Name", Some(SortBy::Name)),
    ("ID", None),
    ("State", Some(SortBy::State)),
    ("Location", Some(SortBy::Location)),
    ("Connection or bandwidth", None),
    ("BGP", None),
    ("Flag", Some(SortBy::Flag)),
];

fn tone_of(row: &Row) -> Tone {
    match row.state.as_str() {
        "available" => Tone::Good,
        "down" | "deleted" | "rejected" | "unknown" => Tone::Bad,
        "deleting" | "pending" | "requested" => Tone::Busy,
        "confirming" | "ordering" | "verifying" => Tone::Waiting,
        _ => Tone::Unknown,
    }
}

/// The table, sortable by its headers.
#[component]
pub fn InventoryTable(rows: Signal<Vec<Row>>, sort: RwSignal<(SortBy, bool)>) -> impl IntoView {
    let header = |label: &'static str, by: Option<SortBy>| match by {
        None => view! { <th scope="col">{label}</th> }.into_any(),
        Some(by) => {
            let aria = move || {
                let (current, descending) = sort.get();
                if current != by {
                    "none"
                } else if descending {
                    "descending"
                } else {
                    "ascending"
                }
            };
            let click = move |_| {
                sort.update(|(current, descending)| {
                    *descending = *current == by && !*descending;
                    *current = by;
                })
            };
            view! { <th scope="col" aria-sort=aria><button type="button" class="sort" on:click=click>{label}</button></th> }.into_any()
        }
    };
    view! {
        <div class="table-wrap">
            <table data-testid="inventory-table" aria-labelledby="inventory-heading">
                <thead><tr>{COLUMNS.iter().map(|(l, by)| header(l, *by)).collect_view()}</tr></thead>
                <tbody>
                    {move || {
                        let rows = rows.get();
                        if rows.is_empty() {
                            return view! { <tr><td colspan="11" class="muted" data-testid="no-rows">"Nothing to show (yet)."</td></tr> }.into_any();
                        }
                        rows.into_iter().map(|r| view! { <InventoryRow row=r/> }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn InventoryRow(row: Row) -> impl IntoView {
    let tone = if row.deleted {
        Tone::Bad
    } else {
        tone_of(&row)
    };
    let bgp_tone = match row.bgp {
        "up" => Tone::Good,
        "down" => Tone::Bad,
        _ => Tone::Waiting,
    };
    let flagged = !row.flag.is_empty();
    view! {
        <tr id=row_anchor(&row.id) data-testid="inv-row" data-id=row.id.clone() data-kind=row.kind
            data-region=row.region.clone() data-profile=row.profile.clone() data-flagged=flagged.to_string()>
            <td data-label="Provider">{row.provider.display_name()}" "<span class="muted">{row.service}</span></td>
            <td data-label="Profile">{if row.profile.is_empty() { "default".to_owned() } else { row.profile.clone() }}</td>
            <td data-label="Region">{row.region.clone()}</td>
            <td data-label="Kind">{row.kind}</td>
            <td data-label="Name">{row.name.clone()}</td>
            <td data-label="ID"><code>{row.id.clone()}</code></td>
            <td data-label="State">
                <span class=tone.class() data-testid="state" data-state=row.state.clone()>{row.state.clone()}</span>
                {row.deleted.then(|| view! { <span class="muted">" (deleted recently)"</span> })}
            </td>
            <td data-label="Location">{row.location.clone()}</td>
            <td data-label="Connection or bandwidth">{row.detail.clone()}</td>
            <td data-label="BGP">{(!row.bgp.is_empty()).then(|| view! { <span class=bgp_tone.class() data-testid="bgp">{row.bgp}</span> })}</td>
            <td data-label="Flag">{flagged.then(|| view! { <span class="flag" data-testid="bgp-flag">"⚠ "{row.flag.clone()}</span> })}</td>
        </tr>
    }
}
