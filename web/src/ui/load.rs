//! Lists that load, show their errors, and refresh themselves while
//! anything in them moves (see [`crate::logic::status::should_poll`]).

use std::future::Future;

use cloudlink_core::ProviderError;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::logic::status::POLL_INTERVAL;

/// A list (or any answer) being loaded.
#[derive(Debug, Clone)]
pub struct Loadable<T> {
    pub loading: bool,
    pub data: Option<T>,
    pub error: Option<ProviderError>,
    /// Bumped by every load: a poll scheduled by an older load is dropped.
    pub generation: u64,
    /// Whether the last answer had something moving (the list is polling).
    pub polling: bool,
}

impl<T> Default for Loadable<T> {
    fn default() -> Self {
        Self {
            loading: false,
            data: None,
            error: None,
            generation: 0,
            polling: false,
        }
    }
}

/// Loads `fetch` into `state` now, then again every [`POLL_INTERVAL`] while
/// `moving` says the answer has something in a transitional state.
pub fn load<T, F, Fut>(state: RwSignal<Loadable<T>>, fetch: F, moving: fn(&T) -> bool)
where
    T: Clone + Send + Sync + 'static,
    F: Fn() -> Fut + Copy + 'static,
    Fut: Future<Output = Result<T, ProviderError>> + 'static,
{
    let Some(generation) = state.try_update(|s| {
        s.generation += 1;
        s.loading = true;
        s.generation
    }) else {
        return;
    };
    spawn_local(async move {
        let result = fetch().await;
        let again = result.as_ref().is_ok_and(moving);
        let current = state.try_update(|s| {
            if s.generation != generation {
                return false;
            }
            s.loading = false;
            s.polling = again;
            match result {
                Ok(data) => {
                    s.data = Some(data);
                    s.error = None;
                }
                Err(e) => s.error = Some(e),
            }
            true
        });
        if current == Some(true) && again {
            set_timeout(
                move || {
                    if state.try_with_untracked(|s| s.generation == generation) == Some(true) {
                        load(state, fetch, moving);
                    }
                },
                POLL_INTERVAL,
            );
        }
    });
}
