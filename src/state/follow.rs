//! A value that follows a source until the person edits it, derived rather than copied:
//! no effect writes it. An edit holds while the source stays what it was when the edit
//! was made; when the source moves on (a link, back/forward, a new selection), the value
//! is the source's again. The table's keyboard cursor, the search box's text and the
//! lookup form's fields are all this.

use leptos::prelude::*;

pub struct Follow<T: Send + Sync + 'static> {
    source: Signal<T>,
    /// The edit and the source's value when it was made.
    edit: RwSignal<Option<(T, T)>>,
}

impl<T: Send + Sync + 'static> Clone for Follow<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Follow<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Follow<T> {
    pub fn new(source: impl Into<Signal<T>>) -> Follow<T> {
        Follow {
            source: source.into(),
            edit: RwSignal::new(None),
        }
    }

    /// The edit while the source is as it was when edited, else the source (tracked).
    pub fn get(&self) -> T {
        let now = self.source.get();
        self.edit.with(|e| pick(e, now))
    }

    pub fn get_untracked(&self) -> T {
        let now = self.source.get_untracked();
        self.edit.with_untracked(|e| pick(e, now))
    }

    /// The person's edit.
    pub fn set(&self, v: T) {
        let at = self.source.get_untracked();
        self.edit.set(Some((at, v)));
    }

    /// Changes the current value in place.
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        let mut v = self.get_untracked();
        f(&mut v);
        self.set(v);
    }
}

/// The edit if it was made on `now`, else `now`.
fn pick<T: Clone + PartialEq>(edit: &Option<(T, T)>, now: T) -> T {
    match edit {
        Some((at, v)) if *at == now => v.clone(),
        _ => now,
    }
}
