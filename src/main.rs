fn main() {
    hookscope::install_panic_hook();
    leptos::mount::mount_to_body(hookscope::App);
}
