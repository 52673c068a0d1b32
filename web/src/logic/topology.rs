//! The topology picture: connections (and their LAGs) -> virtual interfaces -> gateways, one
//! box per provider, profile and region, laid out and written as SVG here, natively tested.
//!
//! The page sets the SVG as markup and listens for clicks, keys and focus on the nodes'
//! `data-node` attributes; the same markup is what "Download SVG" saves. Doing the layout and
//! the markup in plain Rust keeps it deterministic and testable (no overlapping nodes, no
//! crossing edges for trees) and costs the wasm bundle one string writer instead of a view per
//! node kind.
//!
//! Layout: four columns (LAG, connection, interface, gateway; empty ones left out). Each
//! connection's interfaces take consecutive slots, a connection sits at the middle of its
//! interfaces and a LAG at the middle of its connections, so a tree never crosses; a gateway
//! reached by several interfaces sits at their mean, pushed down when two would overlap.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use cloudlink_core::Provider;
use cloudlink_core::directconnect::{Connection, VirtualInterface};

use super::inventory::{Row, Scope, ShownIds, Swept, bgp_flag, bgp_word, row_anchor};

/// A node's box, in SVG user units.
pub const NODE_W: u32 = 200;
pub const NODE_H: u32 = 44;
/// From one slot's top to the next.
const PITCH: u32 = 56;
/// From one column's left to the next.
const COLUMN: u32 = 260;
/// Room above a group's first node for its title, and around its nodes.
const HEADER: u32 = 30;
const PAD: u32 = 12;
const GROUP_GAP: u32 = 16;
const LEGEND_H: u32 = 64;
/// Characters of a name shown in a node before it is cut with "…".
const NAME_CHARS: usize = 26;

/// What a node stands for; its column follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Lag,
    Connection,
    /// An interface's connection that the sweep did not return (another account's, or
    /// filtered out): drawn so the interface is not left hanging.
    OtherConnection,
    Interface,
    VirtualGateway,
    DirectConnectGateway,
}

impl NodeKind {
    fn column(self) -> usize {
        match self {
            NodeKind::Lag => 0,
            NodeKind::Connection | NodeKind::OtherConnection => 1,
            NodeKind::Interface => 2,
            NodeKind::VirtualGateway | NodeKind::DirectConnectGateway => 3,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            NodeKind::Lag => "LAG",
            NodeKind::Connection => "connection",
            NodeKind::OtherConnection => "connection (not listed)",
            NodeKind::Interface => "interface",
            NodeKind::VirtualGateway => "virtual private gateway",
            NodeKind::DirectConnectGateway => "Direct Connect gateway",
        }
    }
}

/// The colour of a node: what its state means to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Up,
    Waiting,
    Down,
    Gone,
    /// No state is known (LAGs and gateways are drawn from ids only).
    Unknown,
}

impl Tone {
    pub const ALL: [Tone; 5] = [
        Tone::Up,
        Tone::Waiting,
        Tone::Down,
        Tone::Gone,
        Tone::Unknown,
    ];

    pub fn of_state(state: &str) -> Tone {
        match state {
            "available" => Tone::Up,
            "ordering" | "requested" | "pending" | "confirming" | "verifying" | "testing" => {
                Tone::Waiting
            }
            "down" | "rejected" | "unknown" => Tone::Down,
            "deleting" | "deleted" => Tone::Gone,
            _ => Tone::Unknown,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Tone::Up => "t-up",
            Tone::Waiting => "t-wait",
            Tone::Down => "t-down",
            Tone::Gone => "t-gone",
            Tone::Unknown => "t-none",
        }
    }

    /// The box's fill.
    pub fn fill(self) -> &'static str {
        match self {
            Tone::Up => "#c6f0d0",
            Tone::Waiting => "#fde9b6",
            Tone::Down => "#f8c9c9",
            Tone::Gone => "#dde1e6",
            Tone::Unknown => "#ffffff",
        }
    }

    fn legend(self) -> &'static str {
        match self {
            Tone::Up => "available",
            Tone::Waiting => "pending, confirming…",
            Tone::Down => "down, rejected",
            Tone::Gone => "deleting, deleted",
            Tone::Unknown => "no state (ids only)",
        }
    }
}

/// One box of the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub id: String,
    pub name: String,
    pub state: String,
    /// `up`, `down`, `partial` or empty, as in the table.
    pub bgp: &'static str,
    /// Why BGP and the link disagree, or empty.
    pub flag: String,
    pub tone: Tone,
    /// Whether the table has a row for it (a click selects that row).
    pub has_row: bool,
    /// Top-left corner.
    pub x: u32,
    pub y: u32,
}

impl Node {
    /// One sentence about the node: its accessible name, tooltip and details line.
    pub fn describe(&self) -> String {
        let mut s = format!("{} {}", self.kind.word(), self.id);
        if !self.name.is_empty() {
            let _ = write!(s, " \u{201c}{}\u{201d}", self.name);
        }
        if !self.state.is_empty() {
            let _ = write!(s, ", {}", self.state);
        }
        if !self.bgp.is_empty() {
            let _ = write!(s, ", BGP {}", self.bgp);
        }
        if !self.flag.is_empty() {
            let _ = write!(s, " ({})", self.flag);
        }
        s
    }
}

/// A line from `from` to `to` (indices into [`Picture::nodes`]), left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
}

/// One provider, profile and region.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub title: String,
    pub y: u32,
    pub height: u32,
    /// Its nodes are `nodes[first..end]`.
    pub first: usize,
    pub end: usize,
}

/// The whole picture, ready to be written as SVG.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Picture {
    pub groups: Vec<Group>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Column index to x, for the columns that have nodes.
    pub columns: Vec<Option<u32>>,
    pub width: u32,
    pub height: u32,
}

/// Gateway (kind, id) -> the ys of its interfaces and their node indices.
type Gateways<'a> = BTreeMap<(NodeKind, &'a str), (Vec<u32>, Vec<usize>)>;

/// What one group holds before it is placed.
#[derive(Default)]
struct Estate<'a> {
    connections: Vec<&'a Connection>,
    interfaces: Vec<&'a VirtualInterface>,
}

/// The picture of what was swept. Groups come in scope order; inside one, connections by LAG
/// then id, interfaces by id under their connection.
pub fn layout(
    connections: &[(Scope, Connection)],
    interfaces: &[(Scope, VirtualInterface)],
) -> Picture {
    let mut by_scope: BTreeMap<&Scope, Estate> = BTreeMap::new();
    for (scope, c) in connections {
        by_scope.entry(scope).or_default().connections.push(c);
    }
    for (scope, v) in interfaces {
        by_scope.entry(scope).or_default().interfaces.push(v);
    }
    let mut picture = Picture::default();
    let mut y = 0;
    for (scope, estate) in by_scope {
        let group = place_group(&mut picture, scope, &estate, y);
        y = group.y + group.height + GROUP_GAP;
        picture.groups.push(group);
    }
    assign_columns(&mut picture);
    picture.height = y.saturating_sub(GROUP_GAP) + LEGEND_H;
    picture
}

/// A connection as the group draws it: its own, or one named only by an interface.
struct Trunk<'a> {
    id: &'a str,
    lag: Option<&'a str>,
    found: Option<&'a Connection>,
    interfaces: Vec<&'a VirtualInterface>,
}

/// The connections of a group in drawing order, each with its interfaces.
fn trunks<'a>(estate: &Estate<'a>) -> Vec<Trunk<'a>> {
    let mut trunks: BTreeMap<(String, String), Trunk<'a>> = BTreeMap::new();
    for c in &estate.connections {
        let id = c.connection_id.as_deref().unwrap_or_default();
        let lag = c.lag_id.as_deref().filter(|l| !l.is_empty());
        // LAG members next to each other, then by id.
        let key = (lag.unwrap_or(id).to_owned(), id.to_owned());
        trunks.insert(
            key,
            Trunk {
                id,
                lag,
                found: Some(c),
                interfaces: Vec::new(),
            },
        );
    }
    for v in &estate.interfaces {
        let id = v.connection_id.as_deref().unwrap_or_default();
        let key = trunks
            .keys()
            .find(|(_, c)| c == id)
            .cloned()
            .unwrap_or_else(|| (id.to_owned(), id.to_owned()));
        let trunk = trunks.entry(key).or_insert_with(|| Trunk {
            id,
            lag: None,
            found: None,
            interfaces: Vec::new(),
        });
        trunk.interfaces.push(v);
    }
    let mut trunks: Vec<Trunk> = trunks.into_values().collect();
    order_interfaces(&mut trunks);
    trunks
}

/// Orders each connection's interfaces so that those reaching a gateway shared with other
/// connections sit on the side of those connections: a gateway backed by two connections
/// then draws between them without crossing the lines of a gateway only one of them reaches.
/// Interfaces whose gateway no other connection shares keep the middle, by id; in a tree
/// (no shared gateway) the order is by id alone.
fn order_interfaces(trunks: &mut [Trunk]) {
    let mut users: BTreeMap<(NodeKind, &str), Vec<usize>> = BTreeMap::new();
    for (t, trunk) in trunks.iter().enumerate() {
        for v in &trunk.interfaces {
            if let Some(g) = gateway_of(v) {
                users.entry(g).or_default().push(t);
            }
        }
    }
    // For each trunk's interface: the mean index of the other trunks on its gateway, x2 so
    // it stays an integer; the trunk's own index x2 when none (the middle).
    for (t, trunk) in trunks.iter_mut().enumerate() {
        let side = |v: &VirtualInterface| {
            let others: Vec<usize> = gateway_of(v)
                .and_then(|g| users.get(&g))
                .map(|ts| ts.iter().copied().filter(|&o| o != t).collect())
                .unwrap_or_default();
            if others.is_empty() {
                2 * t
            } else {
                2 * others.iter().sum::<usize>() / others.len()
            }
        };
        trunk.interfaces.sort_by(|a, b| {
            (side(a), &a.virtual_interface_id).cmp(&(side(b), &b.virtual_interface_id))
        });
    }
}

fn title(scope: &Scope) -> String {
    let provider = match scope.service.provider() {
        Provider::Aws => "AWS Direct Connect",
        Provider::Outscale => "OUTSCALE DirectLink",
        Provider::Oci => "OCI",
    };
    let profile = scope.profile.as_deref().unwrap_or("default");
    format!("{provider} \u{b7} {profile} \u{b7} {}", scope.region)
}

fn connection_node(t: &Trunk) -> Node {
    let (name, state) = t.found.map_or((String::new(), String::new()), |c| {
        (
            c.connection_name.clone().unwrap_or_default(),
            c.connection_state
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        )
    });
    Node {
        kind: if t.found.is_some() {
            NodeKind::Connection
        } else {
            NodeKind::OtherConnection
        },
        id: t.id.to_owned(),
        tone: Tone::of_state(&state),
        name,
        state,
        bgp: "",
        flag: String::new(),
        has_row: t.found.is_some(),
        x: 0,
        y: 0,
    }
}

fn interface_node(v: &VirtualInterface) -> Node {
    let state = v
        .virtual_interface_state
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    Node {
        kind: NodeKind::Interface,
        id: v.virtual_interface_id.clone().unwrap_or_default(),
        name: v.virtual_interface_name.clone().unwrap_or_default(),
        tone: Tone::of_state(&state),
        state,
        bgp: bgp_word(v),
        flag: bgp_flag(v),
        has_row: true,
        x: 0,
        y: 0,
    }
}

fn id_node(kind: NodeKind, id: &str, y: u32) -> Node {
    Node {
        kind,
        id: id.to_owned(),
        name: String::new(),
        state: String::new(),
        bgp: "",
        flag: String::new(),
        tone: Tone::Unknown,
        has_row: false,
        x: 0,
        y,
    }
}

/// The gateway an interface ends at, if it names one.
fn gateway_of(v: &VirtualInterface) -> Option<(NodeKind, &str)> {
    fn some(s: &Option<String>) -> Option<&str> {
        s.as_deref().filter(|s| !s.is_empty())
    }
    some(&v.direct_connect_gateway_id)
        .map(|g| (NodeKind::DirectConnectGateway, g))
        .or_else(|| some(&v.virtual_gateway_id).map(|g| (NodeKind::VirtualGateway, g)))
}

/// Places one group's nodes from `top` down and returns the group.
fn place_group(picture: &mut Picture, scope: &Scope, estate: &Estate, top: u32) -> Group {
    let first = picture.nodes.len();
    let origin = top + HEADER;
    let slot_y = |slot: u32| origin + slot * PITCH;
    let mut slot = 0;
    // LAG id -> (node index, ys of its connections).
    let mut lags: BTreeMap<&str, (usize, Vec<u32>)> = BTreeMap::new();
    // Gateway -> (ys of its interfaces, interface node indices).
    let mut gateways: Gateways<'_> = BTreeMap::new();
    for trunk in trunks(estate) {
        let span = u32::try_from(trunk.interfaces.len().max(1)).unwrap_or(u32::MAX);
        let y = (slot_y(slot) + slot_y(slot + span - 1)) / 2;
        if let Some(lag) = trunk.lag {
            let len = picture.nodes.len();
            let entry = lags.entry(lag).or_insert_with(|| {
                picture.nodes.push(id_node(NodeKind::Lag, lag, 0));
                (len, Vec::new())
            });
            entry.1.push(y);
        }
        let connection = picture.nodes.len();
        picture.nodes.push(Node {
            y,
            ..connection_node(&trunk)
        });
        if let Some(&(lag, _)) = trunk.lag.and_then(|l| lags.get(l)) {
            picture.edges.push(Edge {
                from: lag,
                to: connection,
            });
        }
        for (i, v) in trunk.interfaces.iter().enumerate() {
            let y = slot_y(slot + u32::try_from(i).unwrap_or(u32::MAX));
            let node = picture.nodes.len();
            picture.nodes.push(Node {
                y,
                ..interface_node(v)
            });
            picture.edges.push(Edge {
                from: connection,
                to: node,
            });
            if let Some(gateway) = gateway_of(v) {
                let entry = gateways.entry(gateway).or_default();
                entry.0.push(y);
                entry.1.push(node);
            }
        }
        slot += span;
    }
    for (index, ys) in lags.values() {
        picture.nodes[*index].y = mean(ys);
    }
    let bottom = place_gateways(picture, gateways);
    let height = (slot_y(slot.max(1)) - PITCH + NODE_H).max(bottom) - top + PAD;
    Group {
        title: title(scope),
        y: top,
        height,
        first,
        end: picture.nodes.len(),
    }
}

fn mean(ys: &[u32]) -> u32 {
    let n = u32::try_from(ys.len().max(1)).unwrap_or(u32::MAX);
    ys.iter().sum::<u32>() / n
}

/// Gateways at the mean of their interfaces, in that order, none closer than a slot to the
/// one above. Returns the bottom of the lowest.
fn place_gateways(picture: &mut Picture, gateways: Gateways<'_>) -> u32 {
    let mut wanted: Vec<(u32, NodeKind, &str, Vec<usize>)> = gateways
        .into_iter()
        .map(|((kind, id), (ys, from))| (mean(&ys), kind, id, from))
        .collect();
    wanted.sort_by(|a, b| (a.0, a.2).cmp(&(b.0, b.2)));
    let mut next_free = 0;
    let mut bottom = 0;
    for (y, kind, id, from) in wanted {
        let y = y.max(next_free);
        let node = picture.nodes.len();
        picture.nodes.push(id_node(kind, id, y));
        for f in from {
            picture.edges.push(Edge { from: f, to: node });
        }
        next_free = y + PITCH;
        bottom = y + NODE_H;
    }
    bottom
}

/// Gives each used column an x, left to right, and every node its column's x.
fn assign_columns(picture: &mut Picture) {
    let mut used = [false; 4];
    for n in &picture.nodes {
        used[n.kind.column()] = true;
    }
    let mut x = PAD;
    picture.columns = used
        .iter()
        .map(|&u| {
            u.then(|| {
                let at = x;
                x += COLUMN;
                at
            })
        })
        .collect();
    for n in &mut picture.nodes {
        n.x = picture.columns[n.kind.column()].unwrap_or(PAD);
    }
    picture.width = (x - COLUMN + NODE_W + PAD).max(4 * 150 + PAD);
}

/// Pairs of edges that cross: two edges between the same two columns whose ends are in the
/// opposite order.
pub fn crossings(picture: &Picture) -> usize {
    let ends = |e: &Edge| {
        let (a, b) = (&picture.nodes[e.from], &picture.nodes[e.to]);
        (a.kind.column(), b.kind.column(), a.y, b.y)
    };
    let mut count = 0;
    for (i, e) in picture.edges.iter().enumerate() {
        for f in &picture.edges[i + 1..] {
            let (ca, cb, ya, yb) = ends(e);
            let (da, db, za, zb) = ends(f);
            if (ca, cb) == (da, db) && ya != za && yb != zb && ((ya < za) != (yb < zb)) {
                count += 1;
            }
        }
    }
    count
}

/// Whether two nodes' boxes overlap.
pub fn overlapping(picture: &Picture) -> bool {
    let n = &picture.nodes;
    (0..n.len()).any(|i| {
        (i + 1..n.len()).any(|j| {
            n[i].x < n[j].x + NODE_W
                && n[j].x < n[i].x + NODE_W
                && n[i].y < n[j].y + NODE_H
                && n[j].y < n[i].y + NODE_H
        })
    })
}

/// `&`, `<`, `>`, `"` and `'` as entities: names and tags come from the cloud.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn cut(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(chars - 1).collect();
    s.push('\u{2026}');
    s
}

/// Ink, lines and backgrounds. Colours are presentation attributes, not a `<style>`: the
/// console's Content-Security-Policy allows no inline style, and the download carries them so
/// it looks the same anywhere. The page's stylesheet adds only the focus and hover outline.
const INK: &str = "#1f2933";
const LINE: &str = "#3e4c59";
const EDGE: &str = "#52606d";
const GROUP_FILL: &str = "#f4f6f8";
const GROUP_LINE: &str = "#9aa5b1";

/// The stroke of a node's box: BGP down (or disagreeing with the link) red and dashed, some
/// sessions down amber and dotted, otherwise plain.
fn stroke(bgp: &str, flagged: bool) -> &'static str {
    match (bgp, flagged) {
        ("down", _) | (_, true) => "stroke=\"#b3261e\" stroke-width=\"3\" stroke-dasharray=\"6 3\"",
        ("partial", _) => "stroke=\"#a05a00\" stroke-width=\"3\" stroke-dasharray=\"2 2\"",
        _ => "stroke=\"#3e4c59\" stroke-width=\"1.5\"",
    }
}

/// The picture as an SVG document: one `<g>` per node, focusable, with `data-node` (its
/// index) for the page's listeners and its description as accessible name and tooltip.
pub fn to_svg(picture: &Picture, title: &str) -> String {
    let (w, h) = (picture.width, picture.height);
    let mut s = String::with_capacity(512 + picture.nodes.len() * 400);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         role=\"group\" aria-labelledby=\"topo-title\" font-family=\"sans-serif\" font-size=\"12\" fill=\"{INK}\">\
         <title id=\"topo-title\">{}</title><rect fill=\"#fff\" width=\"{w}\" height=\"{h}\"/>",
        escape(title)
    );
    for g in &picture.groups {
        let _ = write!(
            s,
            "<rect fill=\"{GROUP_FILL}\" stroke=\"{GROUP_LINE}\" x=\"2\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>\
             <text class=\"gt\" font-size=\"13\" font-weight=\"600\" x=\"{PAD}\" y=\"{}\">{}</text>",
            g.y,
            w - 4,
            g.height,
            g.y + 20,
            escape(&g.title)
        );
    }
    for e in &picture.edges {
        let (a, b) = (&picture.nodes[e.from], &picture.nodes[e.to]);
        let (x1, y1, x2, y2) = (a.x + NODE_W, a.y + NODE_H / 2, b.x, b.y + NODE_H / 2);
        let mid = (x1 + x2) / 2;
        let _ = write!(
            s,
            "<path class=\"edge\" fill=\"none\" stroke=\"{EDGE}\" stroke-width=\"1.5\" d=\"M{x1} {y1}C{mid} {y1} {mid} {y2} {x2} {y2}\"/>"
        );
    }
    for (i, n) in picture.nodes.iter().enumerate() {
        write_node(&mut s, i, n);
    }
    write_legend(&mut s, h - LEGEND_H + 8);
    s.push_str("</svg>");
    s
}

fn write_node(s: &mut String, index: usize, n: &Node) {
    let bgp = match (n.bgp, n.flag.is_empty()) {
        ("down", _) | (_, false) => " bgp-down",
        ("partial", _) => " bgp-partial",
        _ => "",
    };
    let second = if n.name.is_empty() {
        n.kind.word()
    } else {
        &n.name
    };
    let (first, second) = (cut(&n.id, NAME_CHARS), cut(second, NAME_CHARS));
    // The accessible name (its `<title>`, also the tooltip) starts with the visible text.
    let about = escape(&format!("{first} {second}: {}", n.describe()));
    let _ = write!(
        s,
        "<g class=\"node{bgp}\" tabindex=\"0\" role=\"button\" aria-pressed=\"false\" data-node=\"{index}\" data-id=\"{}\" \
         data-kind=\"{:?}\" data-tone=\"{}\"><title>{about}</title>\
         <rect fill=\"{}\" {} x=\"{}\" y=\"{}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"5\"/>\
         <text font-weight=\"600\" x=\"{}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\">{}</text></g>",
        escape(&n.id),
        n.kind,
        n.tone.class(),
        n.tone.fill(),
        stroke(n.bgp, !n.flag.is_empty()),
        n.x,
        n.y,
        n.x + 8,
        n.y + 18,
        escape(&first),
        n.x + 8,
        n.y + 35,
        escape(&second),
    );
}

fn write_legend(s: &mut String, y: u32) {
    let mut x = PAD;
    for tone in Tone::ALL {
        let _ = write!(
            s,
            "<rect fill=\"{}\" stroke=\"{LINE}\" x=\"{x}\" y=\"{y}\" width=\"16\" height=\"12\"/><text x=\"{}\" y=\"{}\">{}</text>",
            tone.fill(),
            x + 22,
            y + 11,
            tone.legend()
        );
        x += 40 + 7 * u32::try_from(tone.legend().len()).unwrap_or(0);
    }
    let y = y + 26;
    let _ = write!(
        s,
        "<rect fill=\"#fff\" {} x=\"{PAD}\" y=\"{y}\" width=\"16\" height=\"12\"/>\
         <text x=\"{}\" y=\"{}\">BGP down, or BGP and link disagree</text>\
         <rect fill=\"#fff\" {} x=\"300\" y=\"{y}\" width=\"16\" height=\"12\"/>\
         <text x=\"322\" y=\"{}\">some BGP sessions down</text>",
        stroke("down", true),
        PAD + 22,
        y + 11,
        stroke("partial", false),
        y + 11
    );
}

/// The picture as nested lists, for readers who cannot see it: every group, connection,
/// interface and where it leads. HTML, escaped.
pub fn text_alternative(picture: &Picture) -> String {
    let mut s = String::from("<ul>");
    for g in &picture.groups {
        let _ = write!(s, "<li>{}<ul>", escape(&g.title));
        for (i, n) in picture.nodes[g.first..g.end].iter().enumerate() {
            if !matches!(n.kind, NodeKind::Connection | NodeKind::OtherConnection) {
                continue;
            }
            let index = g.first + i;
            let _ = write!(s, "<li>{}", escape(&n.describe()));
            if let Some(lag) = picture.edges.iter().find(|e| e.to == index) {
                let _ = write!(s, ", in {}", escape(&picture.nodes[lag.from].id));
            }
            let _ = write!(s, "<ul>");
            for e in picture.edges.iter().filter(|e| e.from == index) {
                let _ = write!(s, "<li>{}", escape(&picture.nodes[e.to].describe()));
                for g in picture.edges.iter().filter(|g| g.from == e.to) {
                    let _ = write!(s, ", to {}", escape(&picture.nodes[g.to].describe()));
                }
                s.push_str("</li>");
            }
            s.push_str("</ul></li>");
        }
        s.push_str("</ul></li>");
    }
    s.push_str("</ul>");
    s
}

/// The node reached from `from` by an arrow key: up and down within its column, left and
/// right along its edges (the first neighbour).
pub fn neighbour(picture: &Picture, from: usize, key: &str) -> Option<usize> {
    let node = picture.nodes.get(from)?;
    let column = node.kind.column();
    let same_column = || {
        picture
            .nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.kind.column() == column)
    };
    match key {
        "ArrowUp" => same_column()
            .filter(|(_, n)| n.y < node.y)
            .max_by_key(|(_, n)| n.y)
            .map(|(i, _)| i),
        "ArrowDown" => same_column()
            .filter(|(_, n)| n.y > node.y)
            .min_by_key(|(_, n)| n.y)
            .map(|(i, _)| i),
        "ArrowRight" => picture.edges.iter().find(|e| e.from == from).map(|e| e.to),
        "ArrowLeft" => picture.edges.iter().find(|e| e.to == from).map(|e| e.from),
        _ => None,
    }
}

/// What the table shows, as the picture draws it: the connections and interfaces whose rows
/// pass the filter (same profile, region and id).
pub fn of_shown(
    connections: &[(Scope, Connection)],
    interfaces: &[(Scope, VirtualInterface)],
    shown: &[Row],
) -> (Swept<Connection>, Swept<VirtualInterface>) {
    let shown = ShownIds::of(shown);
    let has = |scope: &Scope, id: &Option<String>| shown.has(scope, id);
    (
        connections
            .iter()
            .filter(|(s, c)| has(s, &c.connection_id))
            .cloned()
            .collect(),
        interfaces
            .iter()
            .filter(|(s, v)| has(s, &v.virtual_interface_id))
            .cloned()
            .collect(),
    )
}

/// The anchor of the table row a node selects, if it has one.
pub fn row_of(node: &Node) -> Option<String> {
    node.has_row.then(|| row_anchor(&node.id))
}

#[cfg(test)]
mod tests;
