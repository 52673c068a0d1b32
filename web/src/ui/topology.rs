//! The inventory's topology picture: the SVG that [`crate::logic::topology`] writes, set as
//! markup, with one set of listeners on its holder (clicks, keys, focus and hover find their
//! node by `data-node`). A click, Enter or Space selects the node's table row; arrow keys move
//! between nodes; focus or hover shows the node's details in a live line.

use cloudlink_core::directconnect::{Connection, VirtualInterface};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, FocusEvent, KeyboardEvent, MouseEvent};

use crate::logic::inventory::{Row, Scope};
use crate::logic::topology::{self as topo, Picture};
use crate::ui::widgets::download;

const TITLE: &str = "Topology of the inventory: connections, virtual interfaces and gateways";

/// The index of the node an event happened in, and its element.
fn node_at(ev: &Event) -> Option<(usize, Element)> {
    let target = ev.target()?.dyn_into::<Element>().ok()?;
    let node = target.closest("[data-node]").ok()??;
    let index = node.get_attribute("data-node")?.parse().ok()?;
    Some((index, node))
}

fn focus(holder: &Element, index: usize) {
    if let Ok(Some(el)) = holder.query_selector(&format!("[data-node=\"{index}\"]"))
        && let Some(el) = el.dyn_ref::<web_sys::SvgElement>()
    {
        let _ = el.focus();
    }
}

/// Marks `node` as the selected one and takes the table to its row.
fn select(holder: &Element, picture: &Picture, index: usize, node: &Element) {
    if let Ok(pressed) = holder.query_selector_all("[aria-pressed=\"true\"]") {
        for i in 0..pressed.length() {
            if let Some(el) = pressed.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = el.set_attribute("aria-pressed", "false");
            }
        }
    }
    let _ = node.set_attribute("aria-pressed", "true");
    if let Some(anchor) = picture.nodes.get(index).and_then(topo::row_of) {
        let _ = window().location().set_hash(&anchor);
        // The hash moves the page to the row; the picture keeps the focus.
        let _ = node
            .dyn_ref::<web_sys::SvgElement>()
            .map(web_sys::SvgElement::focus);
    }
}

/// The picture of what the table shows, its text alternative and its download.
#[component]
pub fn TopologyCard(
    connections: Signal<Vec<(Scope, Connection)>>,
    interfaces: Signal<Vec<(Scope, VirtualInterface)>>,
    shown: Signal<Vec<Row>>,
) -> impl IntoView {
    let picture = Memo::new(move |_| {
        connections.with(|c| {
            interfaces.with(|v| {
                shown.with(|rows| {
                    let (c, v) = topo::of_shown(c, v, rows);
                    topo::layout(&c, &v)
                })
            })
        })
    });
    let svg = Memo::new(move |_| picture.with(|p| topo::to_svg(p, TITLE)));
    let text = Memo::new(move |_| picture.with(topo::text_alternative));
    let details = RwSignal::new(String::new());
    let holder = NodeRef::<Div>::new();
    let describe = move |ev: &Event| {
        if let Some((i, _)) = node_at(ev) {
            details.set(
                picture
                    .with_untracked(|p| p.nodes.get(i).map(topo::Node::describe))
                    .unwrap_or_default(),
            );
        }
    };
    let on_click = move |ev: MouseEvent| {
        if let (Some((i, node)), Some(h)) = (node_at(&ev), holder.get_untracked()) {
            picture.with_untracked(|p| select(&h, p, i, &node));
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        let (Some((i, node)), Some(h)) = (node_at(&ev), holder.get_untracked()) else {
            return;
        };
        let key = ev.key();
        if key == "Enter" || key == " " {
            ev.prevent_default();
            picture.with_untracked(|p| select(&h, p, i, &node));
        } else if let Some(j) = picture.with_untracked(|p| topo::neighbour(p, i, &key)) {
            ev.prevent_default();
            focus(&h, j);
        }
    };
    let empty = move || picture.with(|p| p.nodes.is_empty());
    view! {
        <div class="card topology" data-testid="topology">
            <div class="card-head">
                <h2 id="topology-heading">"Topology"</h2>
                <button type="button" data-testid="topology-download" disabled=empty
                    on:click=move |_| download("cloudlink-topology.svg", "image/svg+xml", &svg.get_untracked())>
                    "Download SVG"
                </button>
            </div>
            <p class="muted">"Connections and LAGs, their virtual interfaces, and the gateways they reach, for the rows the table shows. Tab and the arrow keys move between boxes; Enter or a click selects the row."</p>
            <p class="topology-details" aria-live="polite" data-testid="topology-details">{move || details.get()}</p>
            <Show when=move || !empty() fallback=|| view! { <p class="muted">"Nothing to draw yet."</p> }>
                <div class="topology-picture" node_ref=holder inner_html=move || svg.get()
                    on:click=on_click on:keydown=on_key on:focusin=move |ev: FocusEvent| describe(&ev) on:mouseover=move |ev: MouseEvent| describe(&ev)></div>
            </Show>
            <details data-testid="topology-text">
                <summary>"The picture as text"</summary>
                <div inner_html=move || text.get()></div>
            </details>
        </div>
    }
}
