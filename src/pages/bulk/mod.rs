//! `/bulk`: create or resend Bland post-call webhooks for many calls. Wiring only: the
//! state and actions are in `crate::state::bulk`.

mod form;
mod results;
mod run_panel;

use crate::state::bulk::BulkCtl;
use crate::state::connections::Connections;
use crate::state::shell::DemoOnScreen;
use leptos::prelude::*;

crate::split_fn!(
    bulk,
    preload = preload;
    pub fn page() -> AnyView {
        view! { <BulkPage /> }.into_any()
    }
);

#[component]
pub fn BulkPage() -> impl IntoView {
    let ctl = BulkCtl::new(expect_context::<Connections>());
    ctl.follow_other_tabs();
    let demo = expect_context::<DemoOnScreen>().claim();
    Effect::new(move |_| demo.set(ctl.connection_is_demo()));
    on_cleanup(move || ctl.cancel_preflight());
    view! {
        <section class="page bulk">
            <header class="page__head">
                <h1>"Bulk create / resend"</h1>
            </header>
            <form::BulkForm ctl=ctl />
            <run_panel::RunPanel ctl=ctl />
            <results::Results ctl=ctl />
        </section>
    }
}
