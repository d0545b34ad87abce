//! What a person sees if hookscope itself fails: a visible notice (`app-crashed`) with a
//! Reload button, besides the console message. Nothing typed is lost with it: the view is
//! in the address, connections and drafts in storage.

/// Shows a visible `app-crashed` notice if the app panics, besides the console message.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            if let Ok(div) = body
                .owner_document()
                .map_or(Err(wasm_bindgen::JsValue::NULL), |d| {
                    d.create_element("div")
                })
            {
                let _ = div.set_attribute("data-testid", "app-crashed");
                let _ = div.set_attribute("class", "app-crashed");
                let _ = div.set_attribute("role", "alert");
                div.set_text_content(Some("hookscope hit an internal error. Reload the page: your connections, the view (it is in the address) and bulk drafts are kept. Please report what you were doing. "));
                // A real button with a listener (an inline onclick would break the CSP).
                if let Some(button) = body
                    .owner_document()
                    .and_then(|d| d.create_element("button").ok())
                {
                    use wasm_bindgen::JsCast;
                    let _ = button.set_attribute("type", "button");
                    let _ = button.set_attribute("data-testid", "app-crashed-reload");
                    button.set_text_content(Some("Reload"));
                    let reload = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().reload();
                        }
                    });
                    let _ = button
                        .add_event_listener_with_callback("click", reload.as_ref().unchecked_ref());
                    // The page is gone after a panic; the listener lives as long as it.
                    reload.forget();
                    let _ = div.append_child(&button);
                }
                let _ = body.append_child(&div);
            }
        }
    }));
}
