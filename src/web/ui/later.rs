//! A read of the open plan done beside the page (`App::read_later`), for a
//! screen: asked when the screen opens and again whenever the plan changes
//! (one read at a time; a change meanwhile asks once more after it), the
//! latest answer shown. `None` until the first answer: the screen says it
//! is reading.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::plan::PlanId;
use crate::web::app::{use_app, App, AppError};
use crate::web::engine::protocol::{Reading, Readout};

/// Tries of one read when the plan is busy with a change at that moment.
const TRIES: u32 = 3;

pub fn read_later<T>(
    id: PlanId,
    what: Reading,
    pick: fn(Readout) -> Option<T>,
) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
{
    read_later_as(id, move || what.clone(), pick)
}

/// As [`read_later`], the read made by `what` each time it is asked: a
/// signal `what` reads asks again when it changes, as the plan does.
pub fn read_later_as<T>(
    id: PlanId,
    make: impl Fn() -> Reading + 'static,
    pick: fn(Readout) -> Option<T>,
) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
{
    let app = use_app();
    let out = RwSignal::new(None::<T>);
    // Only this is made for each kind of answer: the read itself is one
    // function for every screen (a smaller page module).
    let show: std::rc::Rc<dyn Fn(Readout)> = std::rc::Rc::new(move |readout| {
        if let Some(v) = pick(readout) {
            out.try_set(Some(v));
        }
    });
    // A read in flight, and whether the plan changed since it was asked.
    let busy = StoredValue::new(false);
    let again = StoredValue::new(false);
    let id = StoredValue::new(id);
    let what = StoredValue::new(make());
    Effect::new(move |_| {
        app.ui.plan.track();
        what.set_value(make());
        if app.ui.plan.with_untracked(Option::is_none) {
            return;
        }
        if busy.get_value() {
            again.set_value(true);
            return;
        }
        busy.set_value(true);
        spawn_local(read(app, id, what, show.clone(), busy, again));
    });
    out.read_only()
}

async fn read(
    app: App,
    id: StoredValue<PlanId>,
    what: StoredValue<Reading>,
    show: std::rc::Rc<dyn Fn(Readout)>,
    busy: StoredValue<bool>,
    again: StoredValue<bool>,
) {
    let mut tries = 0;
    loop {
        // The screen has gone: nothing to show it on.
        let (Some(plan), Some(asked)) = (id.try_get_value(), what.try_get_value()) else {
            return;
        };
        again.try_set_value(false);
        match app.read_later(&plan, asked).await {
            Ok(readout) => show(readout),
            // The plan was busy with a change at that very moment: ask again.
            Err(AppError::Busy) if tries < TRIES => {
                tries += 1;
                again.try_set_value(true);
                crate::web::platform::events::next_turn().await;
            }
            // Not open any more (the person moved on) or the app is
            // closing: nothing to show it on.
            Err(AppError::NotOpen | AppError::NotReady) => {}
            // It could not be read (the plan as stored here cannot be, or
            // it stayed busy): say so in the page's banner; the screen
            // still says it is reading, and asks again when the plan next
            // changes.
            Err(e) => app.show_problem(Some(&e)),
        }
        if !again.try_get_value().unwrap_or(false) {
            busy.try_set_value(false);
            return;
        }
    }
}
