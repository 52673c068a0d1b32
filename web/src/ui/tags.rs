//! Editing the tags of an existing AWS Direct Connect connection or virtual interface: its
//! tags in an editor, the CLI commands of the difference, and a save that sends only that
//! difference ([`crate::logic::tagging`]). One editor is open at a time, page-wide.

use cloudlink_core::directconnect::DxRequest;
use cloudlink_core::{ProviderError, Service};
use leptos::prelude::*;

use crate::logic::tagging::{Taggable, rows_of, tag_edit};
use crate::ui::call::{self, Pending};
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

/// Sends the tag and untag calls in turn, stopping at the first error.
async fn send_all(
    shell: Shell,
    service: Service,
    requests: Vec<DxRequest>,
) -> Result<(), ProviderError> {
    for request in requests {
        call::send::<serde_json::Value>(shell, call::dx(service, request)).await?;
    }
    Ok(())
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
    let pending = Pending::new();
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
        if !checked.with_untracked(|c| c.is_valid()) {
            errors.attempt();
            return;
        }
        let requests = checked.with_untracked(|c| c.request.requests());
        if requests.is_empty() {
            return;
        }
        pending.run(
            send_all(shell, service, requests),
            move |()| {
                on_saved.run(());
                on_close.run(());
            },
            // What went through before the failure shows in the list.
            move |_| on_saved.run(()),
        );
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
            <SubmitRow id="tags-submit" label="Save tags" errors=errors pending=pending.busy.into() disabled_reason=unchanged/>
            <ErrorBox error=pending.error.into() testid="tags-error"/>
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
