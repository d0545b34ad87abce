//! "Why it failed": a failed delivery's diagnosis in plain words, as the call cards and
//! the delivery detail show it (as text, never HTML).

use hookscope_core::diagnosis::diagnose;
use hookscope_core::domain::Delivery;
use leptos::prelude::*;

/// The note for `d`; nothing for a delivery the diagnosis has nothing to say of.
pub fn diagnosis_note(d: &Delivery) -> Option<impl IntoView> {
    diagnose(d).map(|x| {
        view! {
            <p class="diagnosis" data-testid="diagnosis" data-cause=x.cause.id() role="note">
                <strong>"Why it failed: "</strong>
                {x.sentence}
            </p>
        }
    })
}
