//! The shell: navigation, routes, shared context.

use crate::platform::config::RuntimeConfig;
use crate::platform::split::prefetch;
use crate::state::connections::Connections;
use crate::state::shell::{Config, DemoOnScreen, LastExplorerHref};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

#[component]
pub fn App(#[prop(optional)] config: RuntimeConfig) -> impl IntoView {
    let problems = config.problems.clone();
    let signed_in = config.signed_in.clone();
    let config: Config = std::sync::Arc::new(config);
    let conns = Connections::load(&config);
    provide_context(conns);
    provide_context(config);
    let demo = DemoOnScreen::new();
    provide_context(demo);
    // Kept per tab, so a reload on another page still returns to the same view.
    let last = LastExplorerHref::new();
    provide_context(last);
    view! {
        <Router base=crate::platform::base::base()>
            <header class="topbar">
                <A href=crate::platform::base::href("/explorer") attr:class="brand">
                    "hookscope"
                </A>
                <nav class="topnav">
                    <A
                        href=move || crate::platform::base::href(&last.href())
                        attr:data-testid="nav-explorer"
                        on:mouseenter=move |_| crate::pages::explorer::prefetch_results()
                        on:focus=move |_| crate::pages::explorer::prefetch_results()
                    >
                        "Explorer"
                    </A>
                    <A
                        href=crate::platform::base::href("/bulk")
                        attr:data-testid="nav-bulk"
                        on:mouseenter=move |_| prefetch(crate::pages::bulk::preload)
                        on:focus=move |_| prefetch(crate::pages::bulk::preload)
                    >
                        "Bulk"
                    </A>
                    <A
                        href=crate::platform::base::href("/connections")
                        attr:data-testid="nav-connections"
                        on:mouseenter=move |_| prefetch(crate::pages::connections::preload)
                        on:focus=move |_| prefetch(crate::pages::connections::preload)
                    >
                        "Connections"
                    </A>
                </nav>
                {move || {
                    demo.get()
                        .then(|| {
                            view! {
                                <span
                                    class="demo-badge"
                                    data-testid="demo-badge"
                                    title="Generated demo data: no vendor was contacted"
                                >
                                    "Demo data"
                                </span>
                            }
                        })
                }}
                {signed_in
                    .map(|s| {
                        view! {
                            <span
                                class="session-user"
                                data-testid="session-user"
                                data-role=s.role.id()
                                title=s
                                    .send_limit()
                                    .unwrap_or_else(|| {
                                        "May review and send (retry, resend, create)".into()
                                    })
                            >
                                {s.user.clone()}
                                " · "
                                <span class="session-user__role">{s.role.id()}</span>
                            </span>
                        }
                    })}
            </header>
            {(!problems.is_empty())
                .then(|| {
                    view! {
                        <div
                            class="notice config-problem"
                            role="status"
                            data-testid="config-problem"
                        >
                            {problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                        </div>
                    }
                })}
            <main class="main">
                <Routes fallback=|| {
                    view! {
                        <section class="page empty" data-testid="not-found">
                            <h1>"Page not found"</h1>
                            <p>
                                <A href=crate::platform::base::href(
                                    "/explorer",
                                )>"Go to the explorer"</A>
                            </p>
                        </section>
                    }
                }>
                    <Route path=path!("/") view=ToExplorer />
                    <Route
                        path=path!("/explorer")
                        view=|| crate::platform::split::lazy_view(
                            "the explorer",
                            crate::pages::explorer::page,
                        )
                    />
                    <Route
                        path=path!("/connections")
                        view=|| crate::platform::split::lazy_view(
                            "the connections page",
                            crate::pages::connections::page,
                        )
                    />
                    <Route
                        path=path!("/bulk")
                        view=|| crate::platform::split::lazy_view(
                            "the bulk page",
                            crate::pages::bulk::page,
                        )
                    />
                </Routes>
            </main>
        </Router>
    }
}

/// `/` is the explorer's address too: one page for both, so a first visit (which opens the
/// demo) never builds the page twice. The query goes along (older links used `/?…`).
#[component]
fn ToExplorer() -> impl IntoView {
    let search = leptos_router::hooks::use_location().search.get_untracked();
    let path = if search.is_empty() {
        "/explorer".to_string()
    } else {
        format!("/explorer?{}", search.trim_start_matches('?'))
    };
    view! {
        <leptos_router::components::Redirect
            path=path
            options=leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            }
        />
    }
}
