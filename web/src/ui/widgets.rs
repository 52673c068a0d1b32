//! Small pieces every page uses: labelled fields with their errors, the
//! error box, the CLI box, state badges, the confirmation panel, saved forms.

use cloudlink_core::ProviderError;
use cloudlink_core::validate::ReportedFieldError;
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::logic::FieldErrors;
use crate::logic::forms::{Checked, restore, save, storage_key};
use crate::logic::status::Tone;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// A form's state, restored from `localStorage` and saved on every change.
pub fn saved_form<T>(form: &str, scope: &str) -> RwSignal<T>
where
    T: Default + Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    let key = storage_key(form, scope);
    let saved = local_storage().and_then(|s| s.get_item(&key).ok().flatten());
    let signal = RwSignal::new(restore::<T>(saved.as_deref()));
    Effect::new(move |_| {
        let text = signal.with(save);
        if let Some(s) = local_storage() {
            let _ = s.set_item(&key, &text);
        }
    });
    signal
}

/// Reads a `String` member of a form signal, and writes it.
pub fn bind<T: Send + Sync + 'static>(
    form: RwSignal<T>,
    get: fn(&T) -> &String,
    set: fn(&mut T) -> &mut String,
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || form.with(|f| get(f).clone())),
        Callback::new(move |v: String| form.update(|f| *set(f) = v)),
    )
}

/// What a form knows about its fields' errors and which ones to show.
///
/// A field's error shows once the field was touched (typed in, chosen, or it
/// mounted holding a value restored from storage), or after a submit attempt.
/// A fresh or just-reset form shows none, even though its required fields are
/// empty: it says how many fields are left in the submit row instead.
#[derive(Debug, Clone, Copy)]
pub struct ErrorView {
    pub errors: Signal<FieldErrors>,
    /// Fields the user has typed in; their errors show.
    pub touched: RwSignal<Vec<String>>,
    /// Whether a submit was attempted since the last reset; every error shows.
    pub attempted: RwSignal<bool>,
}

impl ErrorView {
    pub fn new(errors: Signal<FieldErrors>) -> Self {
        Self {
            errors,
            touched: RwSignal::new(Vec::new()),
            attempted: RwSignal::new(false),
        }
    }

    pub fn touch(&self, field: &str) {
        if !self
            .touched
            .with_untracked(|t| t.iter().any(|f| f == field))
        {
            self.touched.update(|t| t.push(field.to_owned()));
        }
    }

    /// A submit was tried: show every error, touched or not.
    pub fn attempt(&self) {
        if !self.attempted.get_untracked() {
            self.attempted.set(true);
        }
    }

    /// Back to a calm form: nothing touched, no attempt. Call it when the form
    /// is emptied after a successful send.
    pub fn reset(&self) {
        self.touched.set(Vec::new());
        self.attempted.set(false);
    }

    /// The error of a field, once it was touched or a submit was attempted.
    pub fn shown(&self, field: String) -> Signal<Option<String>> {
        let this = *self;
        Signal::derive(move || {
            let visible = this.attempted.get() || this.touched.with(|t| t.contains(&field));
            if visible {
                this.errors.with(|e| e.message(&field))
            } else {
                None
            }
        })
    }

    /// A field that mounts holding a value (restored from storage) counts as
    /// touched, so a half-filled form shows its errors again after a reload.
    fn mounted_with(&self, field: &str, value: Signal<String>) {
        if !value.with_untracked(|v| v.trim().is_empty()) {
            self.touch(field);
        }
    }

    pub fn valid(&self) -> Signal<bool> {
        let errors = self.errors;
        Signal::derive(move || errors.with(FieldErrors::is_empty))
    }
}

/// A form checked as the user types: core's errors of what is typed, and the
/// field errors the provider reported for the last send, until the form changes.
#[derive(Debug)]
pub struct CheckedForm<R: Send + Sync + 'static> {
    pub checked: Memo<Checked<R>>,
    pub errors: ErrorView,
    server_errors: RwSignal<Vec<ReportedFieldError>>,
}

impl<R: Send + Sync + 'static> Clone for CheckedForm<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Send + Sync + 'static> Copy for CheckedForm<R> {}

impl<R: Clone + PartialEq + Send + Sync + 'static> CheckedForm<R> {
    pub fn new<T: Send + Sync + 'static>(
        form: RwSignal<T>,
        check: impl Fn(&T) -> Checked<R> + Send + Sync + 'static,
    ) -> Self {
        let server_errors = RwSignal::new(Vec::new());
        let checked = Memo::new(move |_| {
            let mut c = form.with(&check);
            server_errors.with(|s| c.errors.merge_reported(s));
            c
        });
        Effect::new(move |_| {
            form.track();
            server_errors.set(Vec::new());
        });
        let errors = ErrorView::new(Signal::derive(move || checked.with(|c| c.errors.clone())));
        Self {
            checked,
            errors,
            server_errors,
        }
    }

    /// The request to send on submit, or `None` (and every error shown) while invalid.
    pub fn submitted(&self) -> Option<R> {
        let (valid, request) = self
            .checked
            .with_untracked(|c| (c.is_valid(), c.request.clone()));
        if !valid {
            self.errors.attempt();
            return None;
        }
        Some(request)
    }

    /// The provider refused the send: its field errors show on their fields.
    pub fn rejected(&self, e: &ProviderError) {
        self.server_errors.set(e.field_errors.clone());
    }
}

/// `aria-invalid` of a field: whether its error shows.
fn aria_invalid(error: Signal<Option<String>>) -> &'static str {
    if error.with(Option::is_some) {
        "true"
    } else {
        "false"
    }
}

/// A field's inline error, `{id}-error`, announced as it changes.
#[component]
fn FieldErrorText(id: &'static str, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="error" id=format!("{id}-error") data-testid=format!("{id}-error") aria-live="polite">
            {move || error.get().unwrap_or_default()}
        </p>
    }
}

/// A labelled text input with its inline error.
#[component]
pub fn TextField(
    /// Element id (stable, for tests); the error is `{id}-error`.
    id: &'static str,
    label: &'static str,
    /// Wire path of the field, for its error.
    field: String,
    value: Signal<String>,
    on_input: Callback<String>,
    errors: ErrorView,
    /// Help under the field, e.g. the allowed range.
    #[prop(optional, into)]
    hint: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] list: Option<&'static str>,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    errors.mounted_with(&field, value);
    let error = errors.shown(field.clone());
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let has_hint = !hint.is_empty();
    let described = move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if error.with(Option::is_some) {
            ids.push(error_id.clone());
        }
        ids.join(" ")
    };
    let described2 = described.clone();
    let invalid = move || aria_invalid(error);
    let touch = move || errors.touch(&field);
    let touch2 = touch.clone();
    let input = if multiline {
        view! {
            <textarea id=id rows="4" spellcheck="false" placeholder=placeholder
                aria-invalid=invalid aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| { touch(); on_input.run(event_target_value(&ev)); }
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id type=kind placeholder=placeholder autocomplete="off" spellcheck="false"
                list=list
                aria-invalid=invalid aria-describedby=described2
                prop:value=move || value.get()
                on:input=move |ev| { touch2(); on_input.run(event_target_value(&ev)); }
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            {has_hint.then(|| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> })}
            <FieldErrorText id=id error=error/>
        </div>
    }
}

/// A labelled select with its inline error. `options` are (value, label).
#[component]
pub fn SelectField(
    id: &'static str,
    label: &'static str,
    field: String,
    value: Signal<String>,
    on_input: Callback<String>,
    errors: ErrorView,
    options: Signal<Vec<(String, String)>>,
    /// The label of the empty choice.
    #[prop(into, default = "choose…".to_owned())]
    empty: String,
) -> impl IntoView {
    errors.mounted_with(&field, value);
    let error = errors.shown(field.clone());
    let invalid = move || aria_invalid(error);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id aria-invalid=invalid aria-describedby=format!("{id}-error")
                prop:value=move || value.get()
                on:change=move |ev| { errors.touch(&field); on_input.run(event_target_value(&ev)); }
            >
                <option value="">{empty}</option>
                {move || options.get().into_iter().map(|(v, l)| {
                    let selected = value.with_untracked(|cur| *cur == v);
                    view! { <option value=v.clone() selected=selected>{l}</option> }
                }).collect_view()}
            </select>
            <FieldErrorText id=id error=error/>
        </div>
    }
}

/// A provider's error: code, message and request id.
#[component]
pub fn ErrorBox(
    error: Signal<Option<ProviderError>>,
    #[prop(default = "error")] testid: &'static str,
) -> impl IntoView {
    view! {
        <div role="alert" aria-live="assertive" data-testid=testid>
            {move || error.get().map(|e| view! {
                <div class="error-box">
                    <strong class="error-code" data-testid="error-code">{e.code.clone()}</strong>
                    {(e.status > 0).then(|| view! { <span class="muted">" (HTTP " {e.status} ")"</span> })}
                    <p class="error-message" data-testid="error-message">{e.message.clone()}</p>
                    {e.request_id.clone().map(|id| view! {
                        <p class="muted">"Request id: " <code data-testid="error-request-id">{id}</code></p>
                    })}
                </div>
            })}
        </div>
    }
}

/// Copies text to the clipboard, saying so for screen readers.
#[component]
pub fn CopyButton(
    text: Signal<String>,
    label: &'static str,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let (done, set_done) = signal(false);
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text.get_untracked());
            set_done.set(true);
            set_timeout(
                move || {
                    let _ = set_done.try_set(false);
                },
                std::time::Duration::from_secs(2),
            );
        }
    };
    view! {
        <button type="button" class="secondary small" on:click=copy aria-label=label data-testid=testid>
            {move || if done.get() { "Copied" } else { "Copy" }}
        </button>
    }
}

/// The CLI command of a form, with its copy button.
#[component]
pub fn CliBox(id: &'static str, command: Signal<String>) -> impl IntoView {
    view! {
        <div class="cli">
            <div class="cli-head">
                <span id=format!("{id}-label")>"Equivalent CLI command"</span>
                <CopyButton text=command label="Copy the CLI command" testid="copy-cli"/>
            </div>
            <pre id=id data-testid=id aria-labelledby=format!("{id}-label")><code>{move || command.get()}</code></pre>
        </div>
    }
}

/// A `<datalist>` of suggested values for inputs that name it in `list`.
#[component]
pub fn Suggestions(id: &'static str, values: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <datalist id=id>{move || values.get().into_iter().map(|a| view! { <option value=a></option> }).collect_view()}</datalist>
    }
}

/// A state badge.
#[component]
pub fn Badge(state: String, tone: Tone) -> impl IntoView {
    view! { <span class=tone.class() data-testid="state" data-state=state.clone()>{state.clone()}</span> }
}

/// Inline confirmation naming what will be deleted.
#[component]
pub fn ConfirmPanel(
    message: String,
    confirm_label: &'static str,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
    busy: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="confirm" role="alertdialog" aria-label="confirmation" data-testid="confirm-panel">
            <p>{message}</p>
            <button type="button" class="danger" data-testid="confirm-yes" disabled=move || busy.get()
                on:click=move |_| on_confirm.run(())>{confirm_label}</button>
            <button type="button" class="secondary" data-testid="confirm-no" on:click=move |_| on_cancel.run(())>"Cancel"</button>
        </div>
    }
}

/// "Loading…" while `when` holds.
#[component]
pub fn Loading(
    when: Signal<bool>,
    #[prop(default = "Loading…")] text: &'static str,
) -> impl IntoView {
    view! {
        <Show when=move || when.get()>
            <p class="loading" role="status" data-testid="loading"><span class="spinner" aria-hidden="true"></span>{text}</p>
        </Show>
    }
}

/// The submit row: button disabled while invalid or in flight, and a count of
/// fields to fix.
#[component]
pub fn SubmitRow(
    id: &'static str,
    label: &'static str,
    errors: ErrorView,
    pending: Signal<bool>,
    #[prop(optional)] disabled_reason: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let valid = errors.valid();
    let reason = move || disabled_reason.and_then(|r| r.get());
    let blocked = move || !valid.get() || pending.get() || reason().is_some();
    let count = move || errors.errors.with(|e| e.len());
    view! {
        <div class="submit-row">
            <button type="submit" id=id data-testid=id disabled=blocked aria-disabled=move || blocked().to_string()>
                {move || if pending.get() { "Sending…" } else { label }}
            </button>
            <span class="muted" aria-live="polite" data-testid=format!("{id}-status")>
                {move || if let Some(r) = reason() { r }
                    else if count() > 0 { format!("{} field(s) to fix", count()) }
                    else if pending.get() { "sending…".to_owned() }
                    else { "ready to send".to_owned() }}
            </span>
        </div>
    }
}

/// An editable list of key/value tags.
#[component]
pub fn TagEditor(
    id: &'static str,
    rows: Signal<Vec<crate::logic::forms::TagRow>>,
    set_rows: Callback<Vec<crate::logic::forms::TagRow>>,
    errors: ErrorView,
    /// The wire path of the tag list (`tags`, `freeformTags`).
    field: &'static str,
) -> impl IntoView {
    let add = move |_| {
        let mut r = rows.get_untracked();
        r.push(Default::default());
        set_rows.run(r);
    };
    let tag_errors = move || {
        errors.errors.with(|e| {
            e.under(field)
                .map(|fe| format!("{}: {}", fe.field, fe.message))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <fieldset class="tags" id=id>
            <legend>"Tags"</legend>
            {move || rows.get().into_iter().enumerate().map(|(i, row)| {
                let key_id = format!("{id}-key-{i}");
                let value_id = format!("{id}-value-{i}");
                view! {
                    <div class="tag-row">
                        <label for=key_id.clone() class="sr-only">{format!("Tag {} key", i + 1)}</label>
                        <input id=key_id placeholder="key" prop:value=row.key.clone()
                            on:change=move |ev| { let mut r = rows.get_untracked(); if let Some(t) = r.get_mut(i) { t.key = event_target_value(&ev); } errors.touch(field); set_rows.run(r); }/>
                        <label for=value_id.clone() class="sr-only">{format!("Tag {} value", i + 1)}</label>
                        <input id=value_id placeholder="value" prop:value=row.value.clone()
                            on:change=move |ev| { let mut r = rows.get_untracked(); if let Some(t) = r.get_mut(i) { t.value = event_target_value(&ev); } set_rows.run(r); }/>
                        <button type="button" class="secondary small" aria-label=format!("Remove tag {}", i + 1)
                            on:click=move |_| { let mut r = rows.get_untracked(); if i < r.len() { r.remove(i); } set_rows.run(r); }>"Remove"</button>
                    </div>
                }
            }).collect_view()}
            <button type="button" class="secondary small" data-testid=format!("{id}-add") on:click=add>"Add tag"</button>
            <p class="error" aria-live="polite" data-testid=format!("{id}-error")>{move || tag_errors().join("; ")}</p>
        </fieldset>
    }
}

/// Says a Direct Connect list was cut short after [`crate::logic::inventory::MAX_PAGES`] pages.
#[component]
pub fn Truncated(when: Signal<bool>) -> impl IntoView {
    use crate::logic::inventory::{DX_PAGE_SIZE, MAX_PAGES};
    view! {
        <Show when=move || when.get()>
            <p class="notice" role="status" data-testid="dx-truncated">{format!("Showing the first {} items: the list has more pages than the console reads at once.", MAX_PAGES as i64 * DX_PAGE_SIZE)}</p>
        </Show>
    }
}

/// Offers `text` as a file named `name` (a download the browser saves; nothing is sent).
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = leptos::prelude::document();
    if let Ok(a) = document.create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&a) {
            a.click();
        }
    }
    // Freed once the browser has surely read it.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
}
