//! Mounts the app; everything else is in the library (so tests can mount parts of it).

fn main() {
    // The app runs in the browser only; a host build of this binary (made for the host
    // tests in tests/) does nothing.
    #[cfg(target_arch = "wasm32")]
    {
        hookscope::platform::panic::install();
        // config.json is read before the first render (bounded by a timeout), so nothing
        // is drawn with settings that are about to change.
        wasm_bindgen_futures::spawn_local(async {
            let config = hookscope::platform::config::load().await;
            leptos::mount::mount_to_body(move || {
                hookscope::app::App(hookscope::app::AppProps { config })
            });
        });
    }
}
