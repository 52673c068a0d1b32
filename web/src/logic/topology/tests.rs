use super::*;
use cloudlink_core::Service;
use serde_json::json;

fn scope(profile: Option<&str>, region: &str) -> Scope {
    Scope {
        service: Service::DirectConnect,
        profile: profile.map(str::to_owned),
        region: region.to_owned(),
    }
}

fn connection(id: &str, lag: Option<&str>, state: &str) -> Connection {
    serde_json::from_value(json!({
        "connectionId": id, "connectionName": format!("name of {id}"),
        "connectionState": state, "lagId": lag,
    }))
    .unwrap()
}

fn interface(id: &str, connection: &str, gateway: Option<&str>, bgp: &str) -> VirtualInterface {
    let (vgw, dxgw) = match gateway {
        Some(g) if g.starts_with("vgw-") => (Some(g), None),
        Some(g) => (None, Some(g)),
        None => (None, None),
    };
    serde_json::from_value(json!({
        "virtualInterfaceId": id, "connectionId": connection, "virtualInterfaceName": id,
        "virtualInterfaceState": "available", "virtualGatewayId": vgw,
        "directConnectGatewayId": dxgw,
        "bgpPeers": [{"bgpPeerState": "available", "bgpStatus": bgp, "addressFamily": "ipv4"}],
    }))
    .unwrap()
}

fn node<'a>(p: &'a Picture, id: &str) -> &'a Node {
    p.nodes
        .iter()
        .find(|n| n.id == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

#[test]
fn a_small_estate_has_every_node_edge_and_group() {
    let eu = scope(None, "eu-west-1");
    let lab = scope(Some("lab"), "eu-central-1");
    let connections = vec![
        (
            eu.clone(),
            connection("dxcon-a", Some("dxlag-1"), "available"),
        ),
        (
            eu.clone(),
            connection("dxcon-b", Some("dxlag-1"), "pending"),
        ),
        (lab.clone(), connection("dxcon-c", None, "down")),
    ];
    let interfaces = vec![
        (
            eu.clone(),
            interface("dxvif-1", "dxcon-a", Some("vgw-1"), "up"),
        ),
        (
            eu.clone(),
            interface("dxvif-2", "dxcon-b", Some("vgw-1"), "down"),
        ),
        (
            lab.clone(),
            interface("dxvif-3", "dxcon-c", Some("gw-dx"), "up"),
        ),
        (lab.clone(), interface("dxvif-4", "dxcon-other", None, "up")),
    ];
    let p = layout(&connections, &interfaces);
    assert_eq!(p.groups.len(), 2);
    assert_eq!(
        p.groups[0].title,
        "AWS Direct Connect \u{b7} default \u{b7} eu-west-1"
    );
    assert_eq!(
        p.groups[1].title,
        "AWS Direct Connect \u{b7} lab \u{b7} eu-central-1"
    );
    let kinds: Vec<(&str, NodeKind)> = p.nodes.iter().map(|n| (n.id.as_str(), n.kind)).collect();
    assert!(kinds.contains(&("dxlag-1", NodeKind::Lag)));
    assert!(kinds.contains(&("vgw-1", NodeKind::VirtualGateway)));
    assert!(kinds.contains(&("gw-dx", NodeKind::DirectConnectGateway)));
    assert!(kinds.contains(&("dxcon-other", NodeKind::OtherConnection)));
    assert_eq!(
        p.nodes.iter().filter(|n| n.id == "vgw-1").count(),
        1,
        "one node per gateway"
    );
    // LAG -> 2 connections, 4 connection -> interface, 3 interface -> gateway.
    assert_eq!(p.edges.len(), 2 + 4 + 3);
    assert_eq!(node(&p, "dxcon-a").tone, Tone::Up);
    assert_eq!(node(&p, "dxcon-b").tone, Tone::Waiting);
    assert_eq!(node(&p, "dxcon-c").tone, Tone::Down);
    assert_eq!(node(&p, "dxvif-2").bgp, "down");
    assert!(
        !node(&p, "dxvif-2").flag.is_empty(),
        "link up, BGP down is flagged"
    );
    assert_eq!(row_of(node(&p, "dxvif-1")), Some("inv-dxvif-1".to_owned()));
    assert_eq!(row_of(node(&p, "vgw-1")), None, "a gateway has no row");
    assert_eq!(row_of(node(&p, "dxcon-other")), None);
    assert!(!overlapping(&p));
    assert_eq!(crossings(&p), 0);
}

#[test]
fn parents_sit_at_the_middle_of_their_children_and_columns_left_to_right() {
    let s = scope(None, "us-east-1");
    let connections = vec![(
        s.clone(),
        connection("dxcon-a", Some("dxlag-1"), "available"),
    )];
    let interfaces = vec![
        (
            s.clone(),
            interface("dxvif-1", "dxcon-a", Some("vgw-1"), "up"),
        ),
        (
            s.clone(),
            interface("dxvif-2", "dxcon-a", Some("vgw-2"), "up"),
        ),
        (
            s.clone(),
            interface("dxvif-3", "dxcon-a", Some("vgw-3"), "up"),
        ),
    ];
    let p = layout(&connections, &interfaces);
    assert_eq!(node(&p, "dxcon-a").y, node(&p, "dxvif-2").y);
    assert_eq!(node(&p, "dxlag-1").y, node(&p, "dxcon-a").y);
    assert_eq!(node(&p, "vgw-3").y, node(&p, "dxvif-3").y);
    let xs: Vec<u32> = ["dxlag-1", "dxcon-a", "dxvif-1", "vgw-1"]
        .iter()
        .map(|id| node(&p, id).x)
        .collect();
    assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
    // Without LAGs or gateways, those columns are left out.
    let bare = layout(
        &[(s.clone(), connection("dxcon-z", None, "available"))],
        &[],
    );
    assert_eq!(bare.nodes[0].x, PAD);
    assert_eq!(bare.columns.iter().flatten().count(), 1);
}

/// A tiny deterministic generator, so the random estates are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A random tree-shaped estate: connections in LAGs or not, interfaces on connections, each
/// gateway reached by one interface.
fn random_tree(rng: &mut Lcg) -> (Swept<Connection>, Swept<VirtualInterface>) {
    let scopes = [scope(None, "eu-west-1"), scope(Some("lab"), "eu-west-1")];
    let (mut cs, mut vs) = (Vec::new(), Vec::new());
    for c in 0..rng.below(8) + 1 {
        let s = scopes[usize::try_from(rng.below(2)).unwrap()].clone();
        let lag = format!("dxlag-{}", rng.below(3));
        let lag = (rng.below(2) == 0).then_some(lag.as_str());
        let id = format!("dxcon-{:02}", rng.below(50) * 10 + c);
        for v in 0..rng.below(4) {
            let gateway = format!("vgw-{id}-{v}");
            let gateway = (rng.below(3) > 0).then_some(gateway.as_str());
            vs.push((
                s.clone(),
                interface(&format!("dxvif-{id}-{v}"), &id, gateway, "up"),
            ));
        }
        cs.push((s, connection(&id, lag, "available")));
    }
    (cs, vs)
}

#[test]
fn trees_never_overlap_or_cross_and_the_layout_is_deterministic() {
    let mut rng = Lcg(7);
    for _ in 0..300 {
        let (cs, vs) = random_tree(&mut rng);
        let p = layout(&cs, &vs);
        assert!(!overlapping(&p), "{cs:?} {vs:?}");
        assert_eq!(crossings(&p), 0, "{cs:?} {vs:?}");
        assert_eq!(p, layout(&cs, &vs), "same input, same picture");
        let (mut rcs, mut rvs) = (cs.clone(), vs.clone());
        rcs.reverse();
        rvs.reverse();
        assert_eq!(p, layout(&rcs, &rvs), "input order does not matter");
        for g in &p.groups {
            for n in &p.nodes[g.first..g.end] {
                assert!(
                    n.y >= g.y + HEADER && n.y + NODE_H <= g.y + g.height,
                    "{n:?} in {g:?}"
                );
            }
        }
    }
}

#[test]
fn a_gateway_backed_by_two_connections_sits_between_them_without_crossings() {
    let s = scope(None, "eu-west-1");
    let connections = vec![
        (s.clone(), connection("dxcon-a", None, "available")),
        (s.clone(), connection("dxcon-b", None, "available")),
        (s.clone(), connection("dxcon-c", None, "available")),
    ];
    let interfaces = vec![
        (
            s.clone(),
            interface("dxvif-a", "dxcon-a", Some("gw-shared"), "up"),
        ),
        (
            s.clone(),
            interface("dxvif-b", "dxcon-b", Some("gw-shared"), "up"),
        ),
        (
            s.clone(),
            interface("dxvif-c", "dxcon-c", Some("vgw-own"), "up"),
        ),
    ];
    let p = layout(&connections, &interfaces);
    let shared = node(&p, "gw-shared").y;
    assert!(node(&p, "dxvif-a").y < shared && shared < node(&p, "dxvif-b").y);
    assert!(!overlapping(&p));
    assert_eq!(crossings(&p), 0);
}

#[test]
fn the_svg_escapes_cloud_names_and_carries_what_the_page_needs() {
    let s = scope(None, "eu-west-1");
    let mut c = connection("dxcon-a", None, "available");
    c.connection_name = Some("<script>alert('x')</script> & \"co\"".to_owned());
    let p = layout(
        &[(s.clone(), c)],
        &[(
            s.clone(),
            interface("dxvif-1", "dxcon-a", Some("vgw-1"), "down"),
        )],
    );
    let svg = to_svg(&p, "Topology <all>");
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)"));
    assert!(svg.contains("<title id=\"topo-title\">Topology &lt;all&gt;</title>"));
    assert_eq!(svg.matches("data-node=").count(), p.nodes.len());
    assert_eq!(svg.matches("tabindex=\"0\"").count(), p.nodes.len());
    assert_eq!(svg.matches("<path class=\"edge\"").count(), p.edges.len());
    assert!(
        svg.contains("class=\"node bgp-down\""),
        "the BGP-down interface is marked"
    );
    assert!(svg.contains("data-id=\"vgw-1\" data-kind=\"VirtualGateway\" data-tone=\"t-none\""));
    // Every tone of the legend is drawn, and the document is one element.
    for tone in Tone::ALL {
        assert!(svg.contains(tone.legend()), "{tone:?}");
    }
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.ends_with("</svg>")
    );
    assert_eq!(svg.matches("<svg").count(), 1);
    // The console's CSP allows no inline style: colours are attributes.
    assert!(!svg.contains("<style") && !svg.contains("style="), "{svg}");
    assert!(svg.contains(&format!("fill=\"{}\"", Tone::Up.fill())));
}

#[test]
fn the_text_alternative_follows_each_path() {
    let s = scope(None, "eu-west-1");
    let p = layout(
        &[(
            s.clone(),
            connection("dxcon-a", Some("dxlag-9"), "available"),
        )],
        &[(
            s.clone(),
            interface("dxvif-1", "dxcon-a", Some("vgw-1"), "up"),
        )],
    );
    let text = text_alternative(&p);
    assert!(
        text.contains("<li>AWS Direct Connect \u{b7} default \u{b7} eu-west-1<ul>"),
        "{text}"
    );
    assert!(
        text.contains("connection dxcon-a \u{201c}name of dxcon-a\u{201d}, available, in dxlag-9"),
        "{text}"
    );
    assert!(text.contains("interface dxvif-1 \u{201c}dxvif-1\u{201d}, available, BGP up, to virtual private gateway vgw-1"), "{text}");
}

#[test]
fn arrow_keys_move_within_a_column_and_along_edges() {
    let s = scope(None, "eu-west-1");
    let p = layout(
        &[
            (s.clone(), connection("dxcon-a", None, "available")),
            (s.clone(), connection("dxcon-b", None, "available")),
        ],
        &[(
            s.clone(),
            interface("dxvif-1", "dxcon-b", Some("vgw-1"), "up"),
        )],
    );
    let at = |id: &str| p.nodes.iter().position(|n| n.id == id).unwrap();
    assert_eq!(
        neighbour(&p, at("dxcon-a"), "ArrowDown"),
        Some(at("dxcon-b"))
    );
    assert_eq!(neighbour(&p, at("dxcon-b"), "ArrowUp"), Some(at("dxcon-a")));
    assert_eq!(neighbour(&p, at("dxcon-a"), "ArrowUp"), None);
    assert_eq!(
        neighbour(&p, at("dxcon-b"), "ArrowRight"),
        Some(at("dxvif-1"))
    );
    assert_eq!(
        neighbour(&p, at("dxvif-1"), "ArrowRight"),
        Some(at("vgw-1"))
    );
    assert_eq!(neighbour(&p, at("vgw-1"), "ArrowLeft"), Some(at("dxvif-1")));
    assert_eq!(neighbour(&p, at("dxcon-a"), "ArrowRight"), None);
    assert_eq!(neighbour(&p, at("dxcon-a"), "Enter"), None);
}

#[test]
fn states_map_to_tones() {
    assert_eq!(Tone::of_state("available"), Tone::Up);
    assert_eq!(Tone::of_state("confirming"), Tone::Waiting);
    assert_eq!(Tone::of_state("rejected"), Tone::Down);
    assert_eq!(Tone::of_state("deleted"), Tone::Gone);
    assert_eq!(Tone::of_state(""), Tone::Unknown);
}

#[test]
fn the_picture_draws_only_what_the_table_shows() {
    let (eu, lab) = (scope(None, "eu-west-1"), scope(Some("lab"), "eu-west-1"));
    let connections = vec![
        (eu.clone(), connection("dxcon-a", None, "available")),
        (lab.clone(), connection("dxcon-a", None, "available")),
    ];
    let interfaces = vec![(lab.clone(), interface("dxvif-1", "dxcon-a", None, "up"))];
    let shown: Vec<Row> = [&connections[1]]
        .iter()
        .map(|(s, c)| super::super::inventory::connection_row(s, c))
        .collect();
    let (cs, vs) = of_shown(&connections, &interfaces, &shown);
    assert_eq!(
        cs,
        vec![connections[1].clone()],
        "same id, other profile: not shown"
    );
    assert!(vs.is_empty());
}

#[test]
fn crossings_are_counted_when_ends_swap() {
    let s = scope(None, "eu-west-1");
    let mut p = layout(
        &[
            (s.clone(), connection("dxcon-a", None, "available")),
            (s.clone(), connection("dxcon-b", None, "available")),
        ],
        &[
            (s.clone(), interface("dxvif-a", "dxcon-a", None, "up")),
            (s.clone(), interface("dxvif-b", "dxcon-b", None, "up")),
        ],
    );
    assert_eq!(crossings(&p), 0);
    let (a, b) = (
        p.nodes.iter().position(|n| n.id == "dxvif-a").unwrap(),
        p.nodes.iter().position(|n| n.id == "dxvif-b").unwrap(),
    );
    let (ya, yb) = (p.nodes[a].y, p.nodes[b].y);
    p.nodes[a].y = yb;
    p.nodes[b].y = ya;
    assert_eq!(crossings(&p), 1);
    p.nodes[a].y = ya + 1;
    assert!(overlapping(&p));
}

#[test]
fn an_interface_to_a_shared_gateway_moves_towards_the_other_connection() {
    // The sandbox's Dublin: dublin-a reaches the shared gateway and a private one, dublin-b
    // only the shared one. By id alone the shared gateway's lines cross the private one's.
    let s = scope(None, "eu-west-1");
    let p = layout(
        &[
            (s.clone(), connection("dxcon-dub0001a", None, "available")),
            (s.clone(), connection("dxcon-dub0002b", None, "available")),
        ],
        &[
            (
                s.clone(),
                interface("dxvif-dub0001a", "dxcon-dub0001a", Some("vgw-shared"), "up"),
            ),
            (
                s.clone(),
                interface("dxvif-dub0003c", "dxcon-dub0001a", Some("vgw-own"), "up"),
            ),
            (
                s.clone(),
                interface("dxvif-dub0002b", "dxcon-dub0002b", Some("vgw-shared"), "up"),
            ),
        ],
    );
    assert!(node(&p, "dxvif-dub0003c").y < node(&p, "dxvif-dub0001a").y);
    assert_eq!(crossings(&p), 0);
    assert!(!overlapping(&p));
}
