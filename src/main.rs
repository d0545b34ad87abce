fn main() {
    hookscope::install_panic_hook();
    // config.json is read before the first render (bounded by a timeout), so nothing is
    // drawn with settings that are about to change.
    wasm_bindgen_futures::spawn_local(async {
        let config = hookscope::platform::config::load().await;
        leptos::mount::mount_to_body(move || {
            hookscope::app::App(hookscope::app::AppProps { config })
        });
    });
}
