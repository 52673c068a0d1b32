//! The estate-wide inventory, without a browser: which calls a sweep of every region and
//! profile makes and in what order (a cap on calls in flight, every page of every list), the
//! table's rows with their BGP and redundancy flags, the filter that lives in the page's
//! address, sorting, and the CSV and JSON exports.
//!
//! The proxy stays a validator and signer: a sweep is many ordinary calls, one per scope and
//! page, each checked by core on both sides.

use std::collections::BTreeMap;

use cloudlink_core::directconnect::{
    BgpHealth, Connection, DescribeConnectionsRequest, DescribeVirtualInterfacesRequest,
    RedundancyHint, VirtualInterface, bgp_health, bgp_mismatch, is_deleted, redundancy_hints,
};
use cloudlink_core::{Provider, ProviderError, Service, percent_decode_query, percent_encode};
use serde::Serialize;

/// Items asked for per Direct Connect page (the API allows up to 100).
pub const DX_PAGE_SIZE: i64 = 100;
/// Pages read per list before the sweep stops and says the list is cut short (as for OCI).
pub const MAX_PAGES: usize = 10;
/// Calls a sweep keeps in flight at once: enough to be quick, few enough not to be throttled.
pub const SWEEP_CONCURRENCY: usize = 6;

/// Where a list is read: one service, profile and region.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Scope {
    pub service: Service,
    /// `None`: the proxy's default profile.
    pub profile: Option<String>,
    pub region: String,
}

/// Items read with their scope (a sweep's lists, the OCI page's lists).
pub type Swept<T> = Vec<(Scope, T)>;

/// The rows a table shows, to find the items behind them: a row and an item match by
/// profile, region and id (one id can be read by two profiles).
#[derive(Debug)]
pub struct ShownIds<'a>(std::collections::BTreeSet<(&'a str, &'a str, &'a str)>);

impl<'a> ShownIds<'a> {
    pub fn of(rows: &'a [Row]) -> Self {
        ShownIds(
            rows.iter()
                .map(|r| (r.profile.as_str(), r.region.as_str(), r.id.as_str()))
                .collect(),
        )
    }

    /// Whether the item `id` read in `scope` has a row.
    pub fn has(&self, scope: &Scope, id: &Option<String>) -> bool {
        let profile = scope.profile.as_deref().unwrap_or_default();
        let id = id.as_deref().unwrap_or_default();
        self.0.contains(&(profile, scope.region.as_str(), id))
    }
}

/// Which list of a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListKind {
    Connections,
    Interfaces,
}

/// One list to read: a scope and a kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Job {
    pub scope: Scope,
    pub kind: ListKind,
}

impl Job {
    /// The request for the page after `next_token` (`None`: the first page).
    pub fn page(&self, next_token: Option<String>) -> DxListPage {
        match self.kind {
            ListKind::Connections => DxListPage::Connections(DescribeConnectionsRequest {
                max_results: self.pages_sized(),
                next_token,
                ..Default::default()
            }),
            ListKind::Interfaces => DxListPage::Interfaces(DescribeVirtualInterfacesRequest {
                max_results: self.pages_sized(),
                next_token,
                ..Default::default()
            }),
        }
    }

    /// OUTSCALE's DirectLink has no `maxResults`: it answers whole lists.
    fn pages_sized(&self) -> Option<i64> {
        (self.scope.service == Service::DirectConnect).then_some(DX_PAGE_SIZE)
    }
}

/// A page request of one of the two Direct Connect lists.
#[derive(Debug, Clone, PartialEq)]
pub enum DxListPage {
    Connections(DescribeConnectionsRequest),
    Interfaces(DescribeVirtualInterfacesRequest),
}

/// How one scope's sweep stands, for the progress shown per region.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Progress {
    #[default]
    Waiting,
    Running,
    /// Every list read; `truncated` when a list had more than [`MAX_PAGES`] pages.
    Done {
        items: usize,
        truncated: bool,
    },
    /// A list failed: the error as the provider gave it (not enabled, access denied,
    /// throttled). The other scopes go on.
    Failed(String),
}

/// A sweep: every job, at most [`SWEEP_CONCURRENCY`] in flight, and each scope's progress.
#[derive(Debug, Clone)]
pub struct Sweep {
    waiting: Vec<Job>,
    running: usize,
    cap: usize,
    calls: usize,
    progress: BTreeMap<Scope, ScopeState>,
}

#[derive(Debug, Clone, Default)]
struct ScopeState {
    lists_left: usize,
    items: usize,
    truncated: bool,
    failed: Option<String>,
    started: bool,
}

impl Sweep {
    /// Both lists of every service, profile and region given, in that order.
    pub fn new(
        services: &[Service],
        profiles: &[Option<String>],
        regions: &[String],
        cap: usize,
    ) -> Self {
        let mut scopes = Vec::new();
        for &service in services {
            for profile in profiles {
                for region in regions {
                    scopes.push(Scope {
                        service,
                        profile: profile.clone(),
                        region: region.clone(),
                    });
                }
            }
        }
        Self::of_scopes(&scopes, cap)
    }

    /// Both lists of each scope, in the order given (each service has its own profiles and
    /// regions, so the console builds the scopes itself).
    pub fn of_scopes(scopes: &[Scope], cap: usize) -> Self {
        let mut waiting = Vec::new();
        for scope in scopes {
            for kind in [ListKind::Connections, ListKind::Interfaces] {
                waiting.push(Job {
                    scope: scope.clone(),
                    kind,
                });
            }
        }
        let mut progress = BTreeMap::new();
        for job in &waiting {
            progress
                .entry(job.scope.clone())
                .or_insert_with(ScopeState::default)
                .lists_left += 1;
        }
        // Taken from the end: reversed, the first job starts first.
        waiting.reverse();
        Self {
            waiting,
            running: 0,
            cap: cap.max(1),
            calls: 0,
            progress,
        }
    }

    /// The jobs to start now: as many as the cap allows.
    pub fn start(&mut self) -> Vec<Job> {
        let mut started = Vec::new();
        while self.running < self.cap {
            let Some(job) = self.waiting.pop() else { break };
            if let Some(state) = self.progress.get_mut(&job.scope) {
                state.started = true;
            }
            self.running += 1;
            started.push(job);
        }
        started
    }

    /// Counts one call (every page is one).
    pub fn called(&mut self) {
        self.calls += 1;
    }

    /// A job ended: with the number of items it read and whether its pages were cut short,
    /// or with the error that stopped it.
    pub fn finished(&mut self, job: &Job, outcome: Result<(usize, bool), String>) {
        self.running = self.running.saturating_sub(1);
        let Some(state) = self.progress.get_mut(&job.scope) else {
            return;
        };
        state.lists_left = state.lists_left.saturating_sub(1);
        match outcome {
            Ok((items, truncated)) => {
                state.items += items;
                state.truncated |= truncated;
            }
            Err(e) => {
                state.failed.get_or_insert(e);
            }
        }
    }

    /// Whether every job has ended.
    pub fn is_done(&self) -> bool {
        self.waiting.is_empty() && self.running == 0
    }

    /// Calls made so far (pages included).
    pub fn calls(&self) -> usize {
        self.calls
    }

    /// Each scope's progress, in scope order.
    pub fn progress(&self) -> Vec<(Scope, Progress)> {
        self.progress
            .iter()
            .map(|(scope, s)| {
                let p = match (&s.failed, s.lists_left, s.started) {
                    (Some(e), 0, _) => Progress::Failed(e.clone()),
                    (_, 0, _) => Progress::Done {
                        items: s.items,
                        truncated: s.truncated,
                    },
                    (_, _, true) => Progress::Running,
                    (_, _, false) => Progress::Waiting,
                };
                (scope.clone(), p)
            })
            .collect()
    }
}

/// What to do after a page of a Direct Connect list arrived.
#[derive(Debug, Clone, PartialEq)]
pub enum NextDxPage {
    Fetch(DxListPage),
    Done,
    /// More than [`MAX_PAGES`] pages: stop, and say so.
    Truncated,
}

/// After the `pages_read`-th page of `job` arrived with `next_token`.
pub fn after_page(job: &Job, pages_read: usize, next_token: Option<&str>) -> NextDxPage {
    match next_token.filter(|t| !t.is_empty()) {
        None => NextDxPage::Done,
        Some(_) if pages_read >= MAX_PAGES => NextDxPage::Truncated,
        Some(t) => NextDxPage::Fetch(job.page(Some(t.to_owned()))),
    }
}

/// One row of the inventory table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub provider: Provider,
    pub service: &'static str,
    pub profile: String,
    pub region: String,
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub state: String,
    pub location: String,
    /// The connection of an interface; the bandwidth of a connection.
    pub detail: String,
    /// `up`, `down`, `partial` or empty (connections, or no peer reporting).
    pub bgp: &'static str,
    /// Why the row is flagged ("link up, BGP down…"), empty when it is not.
    pub flag: String,
    pub deleted: bool,
}

fn scope_columns(scope: &Scope) -> (Provider, &'static str, String, String) {
    (
        scope.service.provider(),
        scope.service.id(),
        scope.profile.clone().unwrap_or_default(),
        scope.region.clone(),
    )
}

/// The row of a connection read in `scope`.
pub fn connection_row(scope: &Scope, c: &Connection) -> Row {
    let (provider, service, profile, region) = scope_columns(scope);
    Row {
        provider,
        service,
        profile,
        region,
        kind: "connection",
        id: c.connection_id.clone().unwrap_or_default(),
        name: c.connection_name.clone().unwrap_or_default(),
        state: c
            .connection_state
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        location: c.location.clone().unwrap_or_default(),
        detail: c.bandwidth.clone().unwrap_or_default(),
        bgp: "",
        flag: String::new(),
        deleted: false,
    }
}

/// The row of an interface read in `scope`, with its BGP health and mismatch.
pub fn interface_row(scope: &Scope, v: &VirtualInterface) -> Row {
    let (provider, service, profile, region) = scope_columns(scope);
    Row {
        provider,
        service,
        profile,
        region,
        kind: "interface",
        id: v.virtual_interface_id.clone().unwrap_or_default(),
        name: v.virtual_interface_name.clone().unwrap_or_default(),
        state: v
            .virtual_interface_state
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        location: v.location.clone().unwrap_or_default(),
        detail: v.connection_id.clone().unwrap_or_default(),
        bgp: bgp_word(v),
        flag: bgp_flag(v),
        deleted: is_deleted(v),
    }
}

/// The scopes of a sweep: for each service with its profiles (empty: the proxy's default
/// only), every region picked for it; region by region, so a region's profiles finish
/// together.
pub fn sweep_scopes(
    services: &[(Service, Vec<String>)],
    regions: &BTreeMap<Service, Vec<String>>,
) -> Vec<Scope> {
    let mut scopes = Vec::new();
    for (service, names) in services {
        let profiles: Vec<Option<String>> = if names.is_empty() {
            vec![None]
        } else {
            names.iter().cloned().map(Some).collect()
        };
        for region in regions.get(service).into_iter().flatten() {
            for profile in &profiles {
                scopes.push(Scope {
                    service: *service,
                    profile: profile.clone(),
                    region: region.clone(),
                });
            }
        }
    }
    scopes
}

/// Tries a sweep gives one list call before it shows the error in place.
pub const SWEEP_ATTEMPTS: u32 = 4;

/// How long to wait before try `attempt` (1-based) of a list call that failed with `e`, or
/// `None` when another try cannot help. Providers throttle a burst of Describe calls (Direct
/// Connect answers `400 ThrottlingException`), so a sweep of every region backs off and
/// tries again: 0.5 s, 1 s, 2 s.
pub fn retry_after_ms(e: &ProviderError, attempt: u32) -> Option<u32> {
    let throttled = e.code.contains("Throttl") || e.code == "TooManyRequests";
    let transient = e.status == 0 || cloudlink_core::contract::is_retryable_status(e.status);
    (attempt < SWEEP_ATTEMPTS && (throttled || transient))
        .then(|| 500u32.saturating_mul(1 << attempt.saturating_sub(1).min(8)))
}

/// A redundancy hint of one account: the scope it was found in has the service and profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub service: Service,
    pub profile: String,
    pub why: String,
    /// The rows it is about, to link to.
    pub ids: Vec<String>,
}

/// The redundancy hints of everything swept, one account (service and profile) at a time:
/// links of two accounts never back each other up, so they are never compared.
pub fn hints(
    connections: &[(Scope, Connection)],
    interfaces: &[(Scope, VirtualInterface)],
) -> Vec<Hint> {
    type Account = (Service, Option<String>);
    type Estate = (Vec<Connection>, Vec<VirtualInterface>);
    let mut by_account: BTreeMap<Account, Estate> = BTreeMap::new();
    for (scope, c) in connections {
        let key = (scope.service, scope.profile.clone());
        by_account.entry(key).or_default().0.push(c.clone());
    }
    for (scope, v) in interfaces {
        let key = (scope.service, scope.profile.clone());
        by_account.entry(key).or_default().1.push(v.clone());
    }
    let mut out = Vec::new();
    for ((service, profile), (cs, vs)) in by_account {
        for hint in redundancy_hints(&cs, &vs) {
            out.push(Hint {
                service,
                profile: profile.clone().unwrap_or_default(),
                why: hint.why(),
                ids: row_ids(&hint, &cs),
            });
        }
    }
    out
}

/// The hints about at least one row the table shows: filtering the table to a region or a
/// profile filters its hints too.
pub fn visible_hints(hints: &[Hint], shown: &[Row]) -> Vec<Hint> {
    hints
        .iter()
        .filter(|h| h.ids.iter().any(|id| shown.iter().any(|r| r.id == *id)))
        .cloned()
        .collect()
}

/// The ids of a hint that are rows of the table (its connections; a gateway has no row).
fn row_ids(hint: &RedundancyHint, connections: &[Connection]) -> Vec<String> {
    hint.ids()
        .into_iter()
        .filter(|id| {
            connections
                .iter()
                .any(|c| c.connection_id.as_deref() == Some(*id))
        })
        .map(str::to_owned)
        .collect()
}

/// The anchor of a row, for the links of hints (`#inv-dxcon-…`).
pub fn row_anchor(id: &str) -> String {
    format!("inv-{id}")
}

/// The values each filter select offers: profiles, regions and states of the rows, sorted,
/// each once.
pub fn filter_choices(rows: &[Row]) -> [Vec<String>; 3] {
    let pick = |f: fn(&Row) -> &str| -> Vec<String> {
        let set: std::collections::BTreeSet<&str> =
            rows.iter().map(f).filter(|v| !v.is_empty()).collect();
        set.into_iter().map(str::to_owned).collect()
    };
    [
        pick(|r| &r.profile),
        pick(|r| &r.region),
        pick(|r| &r.state),
    ]
}

/// The row of an OCI console connection the user listed on the OCI page.
pub fn oci_row(
    region: &str,
    profile: Option<&str>,
    c: &cloudlink_core::oci::InstanceConsoleConnection,
) -> Row {
    let state = c
        .lifecycle_state
        .as_ref()
        .map(|s| s.as_str().to_ascii_lowercase())
        .unwrap_or_default();
    Row {
        provider: Provider::Oci,
        service: Service::OciCore.id(),
        profile: profile.unwrap_or_default().to_owned(),
        region: region.to_owned(),
        kind: "console connection",
        id: c.id.clone().unwrap_or_default(),
        name: String::new(),
        deleted: state == "deleted",
        state,
        location: String::new(),
        detail: c.instance_id.clone().unwrap_or_default(),
        bgp: "",
        flag: String::new(),
    }
}

/// The row of an Outposts server connection the user started or looked up on the Outposts
/// page (its API has no list: only the connections the user has seen are known).
pub fn outposts_row(
    region: &str,
    profile: Option<&str>,
    id: &str,
    details: Option<&cloudlink_core::outposts::ConnectionDetails>,
) -> Row {
    Row {
        provider: Provider::Aws,
        service: Service::Outposts.id(),
        profile: profile.unwrap_or_default().to_owned(),
        region: region.to_owned(),
        kind: "server connection",
        id: id.to_owned(),
        name: String::new(),
        state: String::new(),
        location: String::new(),
        detail: details
            .and_then(|d| d.server_endpoint.clone())
            .unwrap_or_default(),
        bgp: "",
        flag: String::new(),
        deleted: false,
    }
}

/// Adds `rows` of the pages to `asked`, replacing the rows of the same id (a page's newer
/// answer wins); with `service` and `region`, first drops that list's older rows (a new
/// listing of a compartment replaces the last one).
pub fn remember(asked: &mut Vec<Row>, rows: Vec<Row>, replacing: Option<(&str, &str)>) {
    if let Some((service, region)) = replacing {
        asked.retain(|r| !(r.service == service && r.region == region));
    }
    for row in rows {
        asked.retain(|r| r.id != row.id);
        asked.push(row);
    }
}

/// An interface's BGP health as a word: `up`, `down`, `partial`, or empty (no peer reports).
pub fn bgp_word(v: &VirtualInterface) -> &'static str {
    match bgp_health(v) {
        BgpHealth::Up => "up",
        BgpHealth::Down => "down",
        BgpHealth::Partial { .. } => "partial",
        BgpHealth::Unknown => "",
    }
}

/// Why an interface's BGP state does not match its link ("link up, BGP down…"), or empty.
pub fn bgp_flag(v: &VirtualInterface) -> String {
    bgp_mismatch(v)
        .map(|m| m.why().to_owned())
        .unwrap_or_default()
}

/// What the table shows; kept in the page's address (`?provider=aws&state=down&q=lab`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    pub provider: Option<Provider>,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub state: Option<String>,
    /// Matched, case-insensitively, against id, name, location and detail.
    pub text: String,
    /// Interfaces deleted in the last minutes are hidden unless this is set.
    pub show_deleted: bool,
}

impl Filter {
    /// Reads a query string (with or without its `?`); unknown keys are ignored and a bad
    /// escape leaves that key out, so a hand-edited address never breaks the page.
    pub fn from_query(query: &str) -> Self {
        let mut filter = Filter::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let Ok(value) = percent_decode_query(value) else {
                continue;
            };
            let value = value.trim().to_owned();
            let some = || (!value.is_empty()).then(|| value.clone());
            match key {
                "provider" => filter.provider = Provider::from_name(&value),
                "profile" => filter.profile = some(),
                "region" => filter.region = some(),
                "state" => filter.state = some(),
                "q" => filter.text = value.clone(),
                "deleted" => filter.show_deleted = value == "1",
                _ => {}
            }
        }
        filter
    }

    /// The query string of this filter, keys in a fixed order, empty ones left out.
    pub fn to_query(&self) -> String {
        let provider = self.provider.map(|p| p.display_name().to_owned());
        let pairs = [
            ("provider", provider.as_deref()),
            ("profile", self.profile.as_deref()),
            ("region", self.region.as_deref()),
            ("state", self.state.as_deref()),
            ("q", Some(self.text.as_str()).filter(|t| !t.is_empty())),
            ("deleted", self.show_deleted.then_some("1")),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k}={}", percent_encode(v))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Whether `row` passes the filter.
    pub fn matches(&self, row: &Row) -> bool {
        let text = lowercase(&self.text);
        let has_text = |s: &str| lowercase(s).contains(&text);
        (self.show_deleted || !row.deleted)
            && self.provider.is_none_or(|p| p == row.provider)
            && self.profile.as_ref().is_none_or(|p| *p == row.profile)
            && self.region.as_ref().is_none_or(|r| *r == row.region)
            && self.state.as_ref().is_none_or(|s| *s == row.state)
            && (text.is_empty()
                || [&row.id, &row.name, &row.location, &row.detail]
                    .iter()
                    .any(|s| has_text(s)))
    }
}

/// `s` in lower case, Unicode-aware: by the browser in the wasm (std's `to_lowercase` would
/// bring its own case tables, measured: see web/size-budget.txt), by std elsewhere.
pub fn lowercase(s: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(s).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_lowercase()
    }
}

/// A column to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Provider,
    Region,
    Kind,
    Name,
    State,
    Location,
    /// Flagged rows first.
    Flag,
}

/// Sorts `rows` by `by` (then by id, so the order is stable between sweeps).
pub fn sort(rows: &mut [Row], by: SortBy, descending: bool) {
    rows.sort_by(|a, b| {
        let key = |r: &Row| -> String {
            match by {
                SortBy::Provider => format!("{}/{}", r.provider.display_name(), r.service),
                SortBy::Region => r.region.clone(),
                SortBy::Kind => r.kind.to_owned(),
                SortBy::Name => lowercase(&r.name),
                SortBy::State => r.state.clone(),
                SortBy::Location => r.location.clone(),
                SortBy::Flag => if r.flag.is_empty() { "1" } else { "0" }.to_owned(),
            }
        };
        let order = key(a).cmp(&key(b));
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| a.id.cmp(&b.id))
    });
}

/// The rows the table shows: those `filter` passes, sorted by `by`.
pub fn shown_rows(rows: &[Row], filter: &Filter, by: SortBy, descending: bool) -> Vec<Row> {
    let mut shown: Vec<Row> = rows.iter().filter(|r| filter.matches(r)).cloned().collect();
    sort(&mut shown, by, descending);
    shown
}

/// The CSV columns, in order.
pub const CSV_HEADER: &str =
    "provider,service,profile,region,kind,id,name,state,location,detail,bgp,flag,deleted";

/// `rows` as CSV (RFC 4180: fields with a comma, quote or line break are quoted, quotes
/// doubled). A field starting with `=`, `+`, `-` or `@` gets a leading `'` so a spreadsheet
/// never runs it as a formula.
pub fn to_csv(rows: &[Row]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for r in rows {
        let deleted = if r.deleted { "yes" } else { "" };
        let fields = [
            r.provider.display_name(),
            r.service,
            &r.profile,
            &r.region,
            r.kind,
            &r.id,
            &r.name,
            &r.state,
            &r.location,
            &r.detail,
            r.bgp,
            &r.flag,
            deleted,
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// `rows` as a JSON array (the same fields as the CSV, camelCase), one row a line. Not
/// `to_string_pretty`: its formatter would be a second JSON writer in the wasm.
pub fn to_json(rows: &[Row]) -> String {
    let lines: Vec<String> = rows
        .iter()
        .map(|r| serde_json::to_string(r).unwrap_or_default())
        .collect();
    if lines.is_empty() {
        "[]\n".to_owned()
    } else {
        format!("[\n{}\n]\n", lines.join(",\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope(service: Service, profile: Option<&str>, region: &str) -> Scope {
        Scope {
            service,
            profile: profile.map(str::to_owned),
            region: region.to_owned(),
        }
    }

    #[test]
    fn a_sweep_keeps_at_most_its_cap_in_flight_and_reports_each_region() {
        let regions = vec!["us-east-1".to_owned(), "eu-west-1".to_owned()];
        let profiles = vec![None, Some("prod".to_owned())];
        let mut sweep = Sweep::new(&[Service::DirectConnect], &profiles, &regions, 3);
        let first = sweep.start();
        assert_eq!(first.len(), 3, "the cap");
        assert!(sweep.start().is_empty(), "nothing more until one ends");
        assert_eq!(
            first[0].scope,
            scope(Service::DirectConnect, None, "us-east-1")
        );
        assert_eq!(first[0].kind, ListKind::Connections);
        assert_eq!(first[1].kind, ListKind::Interfaces);

        sweep.finished(&first[0], Ok((2, false)));
        sweep.finished(&first[1], Ok((3, true)));
        sweep.finished(&first[2], Err("AccessDenied: not enabled".to_owned()));
        let progress = sweep.progress();
        let of = |s: &Scope| progress.iter().find(|(p, _)| p == s).unwrap().1.clone();
        assert_eq!(
            of(&scope(Service::DirectConnect, None, "us-east-1")),
            Progress::Done {
                items: 5,
                truncated: true
            }
        );
        assert_eq!(
            of(&scope(Service::DirectConnect, None, "eu-west-1")),
            Progress::Running,
            "one of its two lists is still to come"
        );
        assert_eq!(
            of(&scope(Service::DirectConnect, Some("prod"), "eu-west-1")),
            Progress::Waiting
        );
        let mut rest = 0;
        while !sweep.is_done() {
            let started = sweep.start();
            assert!(started.len() <= 3);
            for job in &started {
                rest += 1;
                sweep.finished(job, Ok((0, false)));
            }
        }
        assert_eq!(
            rest, 5,
            "eight lists in all: 2 services x profiles x regions"
        );
        let done = sweep.progress();
        assert!(matches!(
            done.iter()
                .find(|(s, _)| *s == scope(Service::DirectConnect, None, "eu-west-1"))
                .unwrap()
                .1,
            Progress::Failed(ref e) if e.contains("AccessDenied")
        ));
    }

    #[test]
    fn every_page_is_followed_up_to_the_cap() {
        let job = Job {
            scope: scope(Service::DirectConnect, None, "us-east-1"),
            kind: ListKind::Interfaces,
        };
        let DxListPage::Interfaces(first) = job.page(None) else {
            panic!("interfaces")
        };
        assert_eq!(first.max_results, Some(DX_PAGE_SIZE));
        assert_eq!(after_page(&job, 1, None), NextDxPage::Done);
        assert_eq!(after_page(&job, 1, Some("")), NextDxPage::Done);
        let NextDxPage::Fetch(DxListPage::Interfaces(next)) = after_page(&job, 1, Some("100"))
        else {
            panic!("a next page")
        };
        assert_eq!(next.next_token.as_deref(), Some("100"));
        assert_eq!(
            after_page(&job, MAX_PAGES, Some("900")),
            NextDxPage::Truncated
        );
        let outscale = Job {
            scope: scope(Service::DirectLink, None, "eu-west-2"),
            kind: ListKind::Connections,
        };
        let DxListPage::Connections(c) = outscale.page(None) else {
            panic!("connections")
        };
        assert_eq!(c.max_results, None, "DirectLink takes no maxResults");
    }

    fn vif(state: &str, bgp: &[&str]) -> VirtualInterface {
        let peers: Vec<_> = bgp.iter().map(|s| json!({"bgpStatus": s})).collect();
        serde_json::from_value(json!({
            "virtualInterfaceId": "dxvif-abc", "virtualInterfaceName": "core, east",
            "virtualInterfaceState": state, "connectionId": "dxcon-1", "location": "EqDC2",
            "bgpPeers": peers
        }))
        .unwrap()
    }

    #[test]
    fn rows_carry_bgp_flags_and_deleted_interfaces_hide_by_default() {
        let s = scope(Service::DirectConnect, Some("prod"), "us-east-1");
        let down = interface_row(&s, &vif("available", &["down"]));
        assert_eq!(down.bgp, "down");
        assert!(down.flag.contains("BGP down"), "{}", down.flag);
        assert_eq!(down.profile, "prod");
        let gone = interface_row(&s, &vif("deleted", &[]));
        assert!(gone.deleted);
        let filter = Filter::default();
        assert!(filter.matches(&down));
        assert!(!filter.matches(&gone));
        let all = Filter {
            show_deleted: true,
            ..Filter::default()
        };
        assert!(all.matches(&gone));
        let c: Connection = serde_json::from_value(
            json!({"connectionId": "dxcon-1", "connectionState": "down", "bandwidth": "1Gbps"}),
        )
        .unwrap();
        let row = connection_row(&s, &c);
        assert_eq!(
            (row.kind, row.state.as_str(), row.detail.as_str()),
            ("connection", "down", "1Gbps")
        );
    }

    #[test]
    fn the_filter_round_trips_through_the_address() {
        let filter = Filter {
            provider: Some(Provider::Aws),
            profile: Some("prod eu".to_owned()),
            region: Some("eu-west-1".to_owned()),
            state: Some("down".to_owned()),
            text: "core&edge".to_owned(),
            show_deleted: true,
        };
        let query = filter.to_query();
        assert_eq!(
            query,
            "provider=aws&profile=prod%20eu&region=eu-west-1&state=down&q=core%26edge&deleted=1"
        );
        assert_eq!(Filter::from_query(&format!("?{query}")), filter);
        assert_eq!(Filter::from_query(""), Filter::default());
        assert_eq!(Filter::default().to_query(), "");
        let odd = Filter::from_query("provider=nope&zzz=1&q=%zz&region=us-east-1");
        assert_eq!(odd.provider, None);
        assert_eq!(odd.text, "", "a bad escape is left out");
        assert_eq!(odd.region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn the_filter_matches_each_field_and_free_text() {
        let s = scope(Service::DirectConnect, None, "us-east-1");
        let row = interface_row(&s, &vif("available", &["up"]));
        let with = |f: Filter| f.matches(&row);
        assert!(
            with(Filter::from_query("q=EAST")),
            "case-insensitive, in the name"
        );
        assert!(with(Filter::from_query("q=dxcon-1")), "in the detail");
        assert!(!with(Filter::from_query("q=west")));
        assert!(with(Filter::from_query("provider=aws&state=available")));
        assert!(!with(Filter::from_query("provider=oci")));
        assert!(!with(Filter::from_query("region=eu-west-1")));
        assert!(!with(Filter::from_query("profile=prod")));
    }

    #[test]
    fn sorting_is_stable_and_flags_come_first() {
        let s = scope(Service::DirectConnect, None, "us-east-1");
        let mut a = interface_row(&s, &vif("available", &["up"]));
        a.id = "b".into();
        let mut b = interface_row(&s, &vif("available", &["down"]));
        b.id = "c".into();
        let mut c = a.clone();
        c.id = "a".into();
        let mut rows = vec![a, b, c];
        sort(&mut rows, SortBy::Flag, false);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
        sort(&mut rows, SortBy::Flag, true);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }

    #[test]
    fn csv_quotes_what_it_must_and_defuses_formulas() {
        let s = scope(Service::DirectConnect, Some("=cmd"), "us-east-1");
        let row = interface_row(&s, &vif("available", &["down"]));
        let csv = to_csv(std::slice::from_ref(&row));
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(
            lines[1],
            "aws,directconnect,'=cmd,us-east-1,interface,dxvif-abc,\"core, east\",available,EqDC2,dxcon-1,down,\"link up, BGP down: no routes cross this interface\","
        );
        assert_eq!(lines.len(), 3, "a line per row, each ended by CRLF");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
        let json: serde_json::Value = serde_json::from_str(&to_json(&[row])).unwrap();
        assert_eq!(json[0]["id"], "dxvif-abc");
        assert_eq!(json[0]["bgp"], "down");
        assert_eq!(json[0]["provider"], "aws");
    }

    #[test]
    fn free_text_matches_any_case_beyond_ascii() {
        let s = scope(Service::DirectConnect, None, "us-east-1");
        let mut row = interface_row(&s, &vif("available", &["up"]));
        row.name = "État Core".to_owned();
        let filter = Filter {
            text: "éTAT".to_owned(),
            ..Filter::default()
        };
        assert!(filter.matches(&row));
        assert_eq!(lowercase("ÉTAT ΣΑΣ"), "état σας");
    }

    #[test]
    fn json_export_is_an_array_with_a_row_a_line() {
        let s = scope(Service::DirectConnect, None, "us-east-1");
        let a = interface_row(&s, &vif("available", &["up"]));
        let mut b = a.clone();
        b.id = "dxvif-second".to_owned();
        let text = to_json(&[a, b]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "[, two rows, ]: {text}");
        assert!(lines[1].starts_with("{\"provider\":\"aws\"") && lines[1].ends_with("},"));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json.as_array().map(Vec::len), Some(2));
        assert_eq!(json[1]["id"], "dxvif-second");
        let empty: serde_json::Value = serde_json::from_str(&to_json(&[])).unwrap();
        assert_eq!(empty, serde_json::json!([]));
    }

    #[test]
    fn throttled_and_transient_calls_are_tried_again_with_a_growing_wait() {
        let error = |status: u16, code: &str| ProviderError {
            status,
            code: code.to_owned(),
            message: String::new(),
            request_id: None,
            field_errors: Vec::new(),
        };
        let throttled = error(400, "ThrottlingException");
        assert_eq!(retry_after_ms(&throttled, 1), Some(500));
        assert_eq!(retry_after_ms(&throttled, 2), Some(1000));
        assert_eq!(retry_after_ms(&throttled, 3), Some(2000));
        assert_eq!(
            retry_after_ms(&throttled, SWEEP_ATTEMPTS),
            None,
            "then shown"
        );
        assert_eq!(
            retry_after_ms(&error(503, "ServiceUnavailable"), 1),
            Some(500)
        );
        assert_eq!(retry_after_ms(&error(0, "NetworkError"), 1), Some(500));
        assert_eq!(
            retry_after_ms(&error(429, "TooManyRequests"), 2),
            Some(1000)
        );
        assert_eq!(
            retry_after_ms(&error(400, "AccessDeniedException"), 1),
            None,
            "access denied is shown at once"
        );
        assert_eq!(
            retry_after_ms(&error(401, "InvalidSignatureException"), 1),
            None
        );
    }

    #[test]
    fn a_sweep_of_scopes_keeps_their_order_and_counts_each_scope_once() {
        let scopes = [
            scope(Service::DirectConnect, Some("lab"), "eu-central-1"),
            scope(Service::DirectLink, None, "eu-west-2"),
        ];
        let mut sweep = Sweep::of_scopes(&scopes, 10);
        let jobs = sweep.start();
        assert_eq!(jobs.len(), 4);
        assert_eq!(jobs[0].scope, scopes[0]);
        assert_eq!(jobs[3].scope, scopes[1]);
        assert_eq!(sweep.progress().len(), 2);
    }

    fn connection(id: &str, device: &str) -> Connection {
        serde_json::from_value(json!({
            "connectionId": id, "connectionState": "available", "location": "EqDC2",
            "awsDeviceV2": device
        }))
        .unwrap()
    }

    #[test]
    fn hints_compare_the_links_of_one_account_only() {
        let default = scope(Service::DirectConnect, None, "us-east-1");
        let lab = scope(Service::DirectConnect, Some("lab"), "us-east-1");
        let connections = vec![
            (default.clone(), connection("dxcon-a", "EqDC2-1")),
            (default.clone(), connection("dxcon-b", "EqDC2-1")),
            (lab.clone(), connection("dxcon-c", "EqDC2-1")),
        ];
        let to_gateway: VirtualInterface = serde_json::from_value(json!({
            "virtualInterfaceId": "dxvif-c", "virtualInterfaceState": "available",
            "connectionId": "dxcon-c", "virtualGatewayId": "vgw-1"
        }))
        .unwrap();
        let hints = hints(&connections, &[(lab, to_gateway)]);
        assert_eq!(hints.len(), 2, "{hints:?}");
        assert_eq!(hints[0].profile, "");
        assert_eq!(hints[0].ids, ["dxcon-a", "dxcon-b"]);
        assert!(hints[0].why.contains("EqDC2-1"), "{}", hints[0].why);
        assert_eq!(hints[1].profile, "lab");
        assert!(hints[1].why.contains("vgw-1"), "{}", hints[1].why);
        assert_eq!(hints[1].ids, ["dxcon-c"], "a gateway has no row to link to");
        let lab_rows: Vec<Row> = connections[2..]
            .iter()
            .map(|(s, c)| connection_row(s, c))
            .collect();
        let visible = visible_hints(&hints, &lab_rows);
        assert_eq!(visible, [hints[1].clone()], "only the lab rows are shown");
        assert!(visible_hints(&hints, &[]).is_empty());
        assert_eq!(row_anchor("dxcon-a"), "inv-dxcon-a");
    }

    #[test]
    fn filter_choices_are_sorted_and_distinct() {
        let s = scope(Service::DirectConnect, Some("lab"), "us-east-1");
        let t = scope(Service::DirectConnect, None, "eu-west-1");
        let rows = vec![
            interface_row(&s, &vif("available", &["up"])),
            interface_row(&t, &vif("down", &["up"])),
            interface_row(&s, &vif("available", &["up"])),
        ];
        let [profiles, regions, states] = filter_choices(&rows);
        assert_eq!(profiles, ["lab"], "the default profile has no name to pick");
        assert_eq!(regions, ["eu-west-1", "us-east-1"]);
        assert_eq!(states, ["available", "down"]);
    }

    #[test]
    fn sweep_scopes_cover_each_service_profile_and_picked_region() {
        let services = vec![
            (
                Service::DirectConnect,
                vec!["default".to_owned(), "lab".to_owned()],
            ),
            (Service::DirectLink, vec![]),
        ];
        let regions = BTreeMap::from([
            (
                Service::DirectConnect,
                vec!["eu-west-1".to_owned(), "us-west-2".to_owned()],
            ),
            (Service::DirectLink, vec!["eu-west-2".to_owned()]),
        ]);
        let scopes = sweep_scopes(&services, &regions);
        let shown: Vec<String> = scopes
            .iter()
            .map(|s| {
                format!(
                    "{}/{}/{}",
                    s.service.id(),
                    s.profile.as_deref().unwrap_or("-"),
                    s.region
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                "directconnect/default/eu-west-1",
                "directconnect/lab/eu-west-1",
                "directconnect/default/us-west-2",
                "directconnect/lab/us-west-2",
                "directlink/-/eu-west-2",
            ]
        );
        assert!(
            sweep_scopes(&services, &BTreeMap::new()).is_empty(),
            "no region picked"
        );
    }

    #[test]
    fn shown_rows_filter_then_sort() {
        let s = scope(Service::DirectConnect, None, "us-east-1");
        let mut a = interface_row(&s, &vif("available", &["up"]));
        a.id = "a".into();
        a.name = "zeta".into();
        let mut b = interface_row(&s, &vif("available", &["down"]));
        b.id = "b".into();
        b.name = "alpha".into();
        let gone = interface_row(&s, &vif("deleted", &[]));
        let rows = [a, b, gone];
        let ids = |rows: Vec<Row>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(
            ids(shown_rows(&rows, &Filter::default(), SortBy::Name, false)),
            ["b", "a"]
        );
        assert_eq!(
            ids(shown_rows(&rows, &Filter::default(), SortBy::Name, true)),
            ["a", "b"]
        );
        let text = Filter::from_query("q=zeta");
        assert_eq!(ids(shown_rows(&rows, &text, SortBy::Name, false)), ["a"]);
    }

    #[test]
    fn rows_asked_for_on_the_oci_and_outposts_pages_join_the_table() {
        let c: cloudlink_core::oci::InstanceConsoleConnection = serde_json::from_value(json!({
            "id": "ocid1.instanceconsoleconnection.oc1.iad.a", "lifecycleState": "ACTIVE",
            "instanceId": "ocid1.instance.oc1.iad.b"
        }))
        .unwrap();
        let oci = oci_row("us-ashburn-1", None, &c);
        assert_eq!(
            (
                oci.provider,
                oci.kind,
                oci.state.as_str(),
                oci.detail.as_str()
            ),
            (
                Provider::Oci,
                "console connection",
                "active",
                "ocid1.instance.oc1.iad.b"
            )
        );
        let outposts = outposts_row("us-east-1", Some("lab"), "conn-1", None);
        assert_eq!(
            (outposts.service, outposts.profile.as_str()),
            ("outposts", "lab")
        );
        let mut asked = Vec::new();
        remember(&mut asked, vec![oci.clone(), outposts.clone()], None);
        let mut again = outposts.clone();
        again.detail = "203.0.113.5:51820".into();
        remember(&mut asked, vec![again], None);
        assert_eq!(asked.len(), 2, "the same id is replaced, not repeated");
        assert_eq!(asked[1].detail, "203.0.113.5:51820");
        remember(&mut asked, Vec::new(), Some(("oci-core", "us-ashburn-1")));
        assert_eq!(
            asked.len(),
            1,
            "a new listing replaces the compartment's last one"
        );
        assert!(Filter::from_query("provider=oci").matches(&oci));
    }
}
