//! Moving between the console's pages without a router library: the page is a
//! signal set from `location.pathname` at start, by the links (which push the
//! address into the history instead of loading it) and by the back and
//! forward buttons (`popstate`). [`crate::logic::pages`] decides which page a
//! path is.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::logic::pages::Page;

/// The page shown, shared through the context by [`Nav::provide`].
#[derive(Debug, Clone, Copy)]
pub struct Nav {
    pub page: RwSignal<Page>,
}

fn pathname() -> String {
    window().location().pathname().unwrap_or_default()
}

impl Nav {
    /// The page at the browser's address, following the back and forward buttons.
    pub fn provide() -> Nav {
        let nav = Nav {
            page: RwSignal::new(Page::at(crate::api::base_path(), &pathname())),
        };
        let handle = window_event_listener(ev::popstate, move |_| {
            nav.show(Page::at(crate::api::base_path(), &pathname()));
        });
        on_cleanup(move || handle.remove());
        provide_context(nav);
        nav
    }

    fn show(self, page: Page) {
        if self.page.get_untracked() != page {
            self.page.set(page);
        }
    }

    /// Goes to `page`: the address joins the history and the page is shown.
    pub fn go(self, page: Page) {
        let url = crate::logic::route::under_base(crate::api::base_path(), page.path());
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&url));
        }
        window().scroll_to_with_x_and_y(0.0, 0.0);
        self.show(page);
    }
}

/// A link to a console page. A plain click changes the page in place; a click
/// with a modifier (new tab, new window) is left to the browser. The link to
/// the page shown carries `aria-current="page"`.
#[component]
pub fn PageLink(
    to: Page,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] testid: &'static str,
    children: Children,
) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let href = crate::logic::route::under_base(crate::api::base_path(), to.path());
    let click = move |e: ev::MouseEvent| {
        if e.default_prevented()
            || e.button() != 0
            || e.meta_key()
            || e.ctrl_key()
            || e.shift_key()
            || e.alt_key()
        {
            return;
        }
        e.prevent_default();
        nav.go(to);
    };
    let current = move || (nav.page.get() == to).then_some("page");
    view! {
        <a
            href=href
            class=(!class.is_empty()).then_some(class)
            data-testid=(!testid.is_empty()).then_some(testid)
            aria-current=current
            on:click=click
        >
            {children()}
        </a>
    }
}
