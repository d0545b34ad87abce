//! What is kept in the browser: keys only when remembered, unreadable values kept aside
//! and said, other tabs kept in step, a forgotten key never written back.

use super::*;

#[wasm_bindgen_test]
fn keys_are_stored_only_when_remembered_and_forget_removes_them() {
    executor();
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let conns = Connections::load(&hookscope::platform::config::RuntimeConfig::default());
        assert_eq!(
            conns.list.get_untracked().len(),
            3,
            "first open: demo connections"
        );
        let mut a = conn(Vendor::Bland, "sk-memory-only");
        a.name = "A".into();
        conns.upsert(None, a).unwrap();
        let mut b = conn(Vendor::Burki, "tok-remembered");
        b.name = "B".into();
        b.remember = true;
        conns.upsert(None, b).unwrap();
        let all: String = (0..storage.length().unwrap())
            .filter_map(|i| storage.key(i).unwrap())
            .map(|k| storage.get_item(&k).unwrap().unwrap_or_default())
            .collect();
        assert!(
            !all.contains("sk-memory-only"),
            "unremembered key never stored"
        );
        assert!(storage
            .get_item(keys::KEYS)
            .unwrap()
            .unwrap()
            .contains("tok-remembered"));
        assert!(conns.upsert(None, conn(Vendor::Bland, "x")).is_ok());
        let mut dup = conn(Vendor::Bland, "x");
        dup.name = "A".into();
        assert!(conns
            .upsert(None, dup)
            .unwrap_err()
            .contains("exists already"));

        // A reload sees the remembered key only.
        let again = Connections::load(&hookscope::platform::config::RuntimeConfig::default());
        assert_eq!(again.get("B").unwrap().key.expose(), "tok-remembered");
        assert!(again.get("A").unwrap().key.is_empty());

        conns.forget_keys();
        assert!(storage.get_item(keys::KEYS).unwrap().is_none());
        assert!(conns.list.get_untracked().iter().all(|c| c.key.is_empty()));
    });
    storage.clear().unwrap();
}

#[wasm_bindgen_test]
fn unreadable_storage_is_kept_and_reported() {
    executor();
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    storage.set_item(keys::CONNECTIONS, "{broken").unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let conns = Connections::load(&hookscope::platform::config::RuntimeConfig::default());
        assert!(conns
            .notice
            .get_untracked()
            .unwrap()
            .contains("could not be read"));
        assert_eq!(
            storage
                .get_item(keys::CONNECTIONS_UNREADABLE)
                .unwrap()
                .as_deref(),
            Some("{broken")
        );
    });
    storage.clear().unwrap();
}

/// Class 4: "Forget all keys" in another tab is never undone by this tab's next save,
/// even when this tab missed the storage event; a key typed afterwards is kept.
#[wasm_bindgen_test]
fn a_key_forgotten_in_another_tab_is_never_written_back() {
    executor();
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let tab = Connections::load(&hookscope::platform::config::RuntimeConfig::default());
        let mut prod = conn(Vendor::Bland, "sk-forget-me");
        prod.name = "Prod".into();
        prod.remember = true;
        tab.upsert(None, prod).unwrap();
        assert!(storage
            .get_item(keys::KEYS)
            .unwrap()
            .unwrap()
            .contains("sk-forget-me"));
        // Another tab forgets every key (its writes; this document gets no event).
        storage.remove_item(keys::KEYS).unwrap();
        storage
            .set_item(keys::KEYS_FORGOTTEN, "other-tab-1")
            .unwrap();
        let mut staging = conn(Vendor::Burki, "tok-typed-after");
        staging.name = "Staging".into();
        staging.remember = true;
        tab.upsert(None, staging).unwrap();
        let keys = storage.get_item(keys::KEYS).unwrap().unwrap_or_default();
        assert!(
            !keys.contains("sk-forget-me"),
            "the forgotten key came back: {keys}"
        );
        assert!(keys.contains("tok-typed-after"), "{keys}");
        assert!(tab.get("Prod").unwrap().key.is_empty());
        assert!(tab.notice.get_untracked().unwrap().contains("another tab"));
    });
    storage.clear().unwrap();
}

/// Class 4: the storage event from another tab clears this tab's keys at once.
#[wasm_bindgen_test]
async fn the_storage_event_keeps_tabs_in_step() {
    executor();
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let owner = Owner::new();
    let tab =
        owner.with(|| Connections::load(&hookscope::platform::config::RuntimeConfig::default()));
    owner.with(|| {
        let mut prod = conn(Vendor::Bland, "sk-in-memory");
        prod.name = "Prod".into();
        tab.upsert(None, prod).unwrap();
    });
    // The listener is attached once the reactive system has run.
    leptos::task::tick().await;
    storage
        .set_item(keys::KEYS_FORGOTTEN, "other-tab-2")
        .unwrap();
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(keys::KEYS_FORGOTTEN));
    init.set_new_value(Some("other-tab-2"));
    let ev = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
    window().dispatch_event(&ev).unwrap();
    leptos::task::tick().await;
    assert!(
        tab.get("Prod").unwrap().key.is_empty(),
        "the memory-only key is cleared too"
    );
    drop(owner);
    storage.clear().unwrap();
}

/// Class 2 and 5: stored keys and settings are checked like typed ones; what cannot be
/// used is reported and kept, and the rest still loads.
#[wasm_bindgen_test]
fn stored_values_are_validated_and_kept() {
    executor();
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    storage
        .set_item(
            keys::CONNECTIONS,
            &format!(
                r#"[{{"name":"Prod","vendor":"bland","base_url":"{}","timeout_secs":4294967295,"remember":true}},
                    {{"name":"Evil","vendor":"bland","base_url":"/\\evil.example","remember":true}}]"#,
                sim_url()
            ),
        )
        .unwrap();
    storage
        .set_item(keys::KEYS, r#"{"Prod":"sk\u200bzero","Evil":"sk-evil"}"#)
        .unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let conns = Connections::load(&hookscope::platform::config::RuntimeConfig::default());
        let list = conns.list.get_untracked();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].timeout_secs, 30);
        assert!(list[0].key.is_empty());
        let notice = conns.notice.get_untracked().unwrap();
        assert!(
            notice.contains("zero-width space") && notice.contains("base URL"),
            "{notice}"
        );
        assert!(storage
            .get_item(keys::CONNECTIONS_UNREADABLE)
            .unwrap()
            .unwrap()
            .contains("evil.example"));
        let keys = storage.get_item(keys::KEYS).unwrap().unwrap();
        assert!(
            keys.contains("sk-evil") && keys.contains("Prod"),
            "kept: {keys}"
        );
    });
    storage.clear().unwrap();
}
