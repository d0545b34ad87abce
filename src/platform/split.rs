//! Code the release build downloads only when it is needed (README, "Release build").
//!
//! A function declared with [`split_fn!`](crate::split_fn) goes, with everything only it
//! reaches, into a wasm chunk of its own: the release step (`cargo xtask release`,
//! crates/xtask) cuts the module Trunk's cargo build made (`wasm_split_cli_support`), and
//! the chunk is fetched, checked against its integrity, the first time the function is
//! called. Any failure (download, integrity, instantiation, linking) comes back here as
//! [`ChunkError`]; the loader keeps no failure, and fetches again past the HTTP cache. Debug builds (`trunk serve`, the browser component tests), host
//! builds and release builds without the `split` feature (the benchmarks) call the
//! function directly, so nothing there depends on the split step.

use leptos::prelude::*;
use std::future::Future;

/// A chunk could not be loaded: not downloaded (offline, or the site was redeployed while
/// the page was open), or its bytes were not the build's. Not remembered: asking again
/// downloads again, from the server rather than the HTTP cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkError;

#[cfg(all(feature = "split", not(debug_assertions)))]
impl From<wasm_split_helpers::SplitLoaderError> for ChunkError {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        ChunkError
    }
}

impl ChunkError {
    /// The failure as a request's error, where one is expected (a lookup, a demo answer):
    /// `what` names the part ("the results view").
    pub fn api_error(
        self,
        vendor: hookscope_core::domain::Vendor,
        request: impl Into<String>,
        what: &str,
    ) -> hookscope_core::error::ApiError {
        hookscope_core::error::ApiError::new(
            hookscope_core::error::ErrorKind::Network,
            vendor,
            request,
            format!("Could not download {what} (part of hookscope itself, not the vendor's answer). Check the network and try again; if hookscope was updated since this page was opened, reload it."),
        )
    }
}

/// Declares `async fn $name(args) -> Result<$ret, ChunkError>` whose body lives in the
/// chunk `$chunk` in release builds with the `split` feature (Trunk's). The body runs
/// untracked: a view built there must not subscribe whatever awaited it.
///
/// With `preload = $pre` it also declares `async fn $pre()`, which starts downloading the
/// chunk without running anything (called when a person shows intent: focus on the lookup
/// form, a pointer on a link). Its result says whether the download worked; callers may
/// ignore it, as the function itself reports a failure again.
///
/// ```ignore
/// split_fn!(bulk, preload = preload; pub fn page() -> AnyView { view! { <BulkPage /> }.into_any() });
/// ```
#[macro_export]
macro_rules! split_fn {
    ($chunk:ident $(, preload = $pre:ident)?; $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(all(feature = "split", not(debug_assertions)))]
        #[wasm_split_helpers::wasm_split($chunk, fallible $(, preload($pre))?)]
        $vis fn $name($($arg: $ty),*) -> Result<$ret, $crate::platform::split::ChunkError> {
            Ok(leptos::prelude::untrack(move || $body))
        }

        // Builds that are not cut: the same function, called directly.
        #[cfg(not(all(feature = "split", not(debug_assertions))))]
        $vis async fn $name($($arg: $ty),*) -> Result<$ret, $crate::platform::split::ChunkError> {
            Ok(leptos::prelude::untrack(move || $body))
        }

        $(
            #[cfg(not(all(feature = "split", not(debug_assertions))))]
            $vis async fn $pre() -> Result<(), $crate::platform::split::ChunkError> {
                Ok(())
            }
        )?
    };
}

/// Starts a chunk's download in the background (see `preload` in [`split_fn!`]).
pub fn prefetch<Fut, E>(preload: impl FnOnce() -> Fut)
where
    Fut: Future<Output = Result<(), E>> + 'static,
{
    let fut = preload();
    leptos::task::spawn_local(async move {
        let _ = fut.await;
    });
}

/// Shows the view a chunk builds once it has arrived: "Loading…" until then, and if the
/// download fails a notice with a button that tries again (nothing else on the page is
/// touched). `what` names the part for the notice ("the bulk page").
pub fn lazy_view<F, Fut>(what: &'static str, load: F) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    lazy_view_with(what, true, load)
}

/// [`lazy_view`] with nothing in its place until the chunk is there, for a second part of
/// a page whose main part already says "Loading…".
pub fn lazy_view_quiet<F, Fut>(what: &'static str, load: F) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    lazy_view_with(what, false, load)
}

/// One "Try again" per part: a page may show the same part in two places (the explorer's
/// lookup chips and its results), and one button must bring back both.
fn retries(what: &'static str) -> ArcRwSignal<u32> {
    thread_local! {
        static RETRIES: std::cell::RefCell<Vec<(&'static str, ArcRwSignal<u32>)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    RETRIES.with(|r| {
        let mut r = r.borrow_mut();
        if let Some((_, s)) = r.iter().find(|(w, _)| *w == what) {
            return s.clone();
        }
        let s = ArcRwSignal::new(0);
        r.push((what, s.clone()));
        s
    })
}

fn lazy_view_with<F, Fut>(what: &'static str, say_loading: bool, load: F) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    let attempt = RwSignal::from(retries(what));
    let load = std::sync::Arc::new(load);
    let fallback = move || {
        say_loading.then(|| {
            view! {
                <p class="loading" role="status" data-testid="chunk-loading">
                    "Loading…"
                </p>
            }
        })
    };
    view! {
        <Suspense fallback=fallback>
            {move || {
                attempt.track();
                let fut = send_wrapper::SendWrapper::new(load());
                Suspend::new(async move {
                    match fut.await {
                        Ok(view) => view,
                        Err(ChunkError) => {
                            view! {
                                <div class="error-banner" role="alert" data-testid="chunk-failed">
                                    <strong class="error-banner__title">
                                        {format!("Could not download {what}.")}
                                    </strong>
                                    <p class="error-banner__advice">
                                        "Check the network and try again. If hookscope was updated since this page was opened, reload the page: links keep the view, and drafts are kept."
                                    </p>
                                    <button
                                        type="button"
                                        class="error-banner__retry"
                                        data-testid="chunk-retry"
                                        on:click=move |_| attempt.update(|n| *n += 1)
                                    >
                                        "Try again"
                                    </button>
                                </div>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
