//! Editing the tags of an existing AWS Direct Connect connection or virtual interface: its
//! tags in an editor, the CLI commands of the difference, and a save that sends only that
//! difference ([`crate::logic::tagging`]). One editor is open at a time, page-wide.

use cloudlink_core::{ProviderError, Service};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::logic::tagging::{Taggable, rows_of, tag_edit};
use crate::ui::call;
use crate::ui::shell::Shell;
use crate::ui::widgets::*;

/// The tags editor of the resource being edited, if it is in `resources`. Keyed on the id: a
/// poll that refreshes the resource does not reset what the user is typing.
#[component]
pub fn SelectedTagsSection(
    service: Service,
    resources: Signal<Vec<Taggable>>,
    editing: RwSignal<Option<String>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let shown = Memo::new(move |_| {
        let id = editing.get()?;
        resources.with(|l| l.iter().any(|r| r.id == id).then_some(id))
    });
    move || {
        shown.get().and_then(|id| {
            let target = resources.with_untracked(|l| l.iter().find(|r| r.id == id).cloned())?;
            Some(view! {
                <TagsPanel service=service target=target
                    on_close=Callback::new(move |_| editing.set(None))
                    on_saved=on_saved/>
            })
        })
    }
}

#[component]
pub fn TagsPanel(
    service: Service,
    target: Taggable,
    on_close: Callback<()>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let shell = Shell::get();
    let Taggable {
        id,
        name,
        arn,
        tags,
    } = target;
    let before = StoredValue::new(tags);
    let rows = RwSignal::new(before.with_value(|b| rows_of(b)));
    let checked = Memo::new(move |_| rows.with(|r| before.with_value(|b| tag_edit(&arn, b, r))));
    let errors = ErrorView::new(Signal::derive(move || checked.with(|c| c.errors.clone())));
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ProviderError>);
    let cli = Signal::derive(move || {
        checked.with(|c| {
            c.request
                .requests()
                .into_iter()
                .map(|r| call::command(shell, &call::dx(service, r), false, None))
                .collect::<Vec<_>>()
                .join("\n\n")
        })
    });
    let unchanged = Signal::derive(move || {
        checked
            .with(|c| c.request.is_empty())
            .then(|| "no changes to save".to_owned())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if !checked.with_untracked(|c| c.is_valid()) {
            errors.attempt();
            return;
        }
        let requests = checked.with_untracked(|c| c.request.requests());
        if requests.is_empty() {
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            for request in requests {
                let sent = call::send::<serde_json::Value>(shell, call::dx(service, request)).await;
                if let Err(e) = sent {
                    let _ = error.try_set(Some(e));
                    let _ = pending.try_set(false);
                    // What went through before the failure shows in the list.
                    on_saved.run(());
                    return;
                }
            }
            let _ = pending.try_set(false);
            on_saved.run(());
            on_close.run(());
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="tags-form" novalidate>
            <div class="card-head">
                <h2>{format!("Tags of {name}")}</h2>
                <button type="button" class="secondary small" data-testid="close-tags" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            <p class="muted"><code>{id}</code></p>
            <TagEditor id="edit-tags" field="tags" errors=errors
                rows=rows.into()
                set_rows=Callback::new(move |r| rows.set(r))/>
            <CliBox id="tags-cli" command=cli/>
            <SubmitRow id="tags-submit" label="Save tags" errors=errors pending=pending.into() disabled_reason=unchanged/>
            <ErrorBox error=error.into() testid="tags-error"/>
        </form>
    }
}

/// A resource's tags as chips, `key=value`.
#[component]
pub fn TagChips(tags: Vec<cloudlink_core::directconnect::Tag>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tag-chips" data-testid="resource-tags" aria-label="Tags">
                {tags.into_iter().map(|t| view! { <li>{format!("{}={}", t.key, t.value.unwrap_or_default())}</li> }).collect_view()}
            </ul>
        }
    })
}
