//! What the screens ask of a plan: open, start, type, save, and merge what
//! other tabs saved.
//!
//! Saving: every change starts a save at once (its IndexedDB requests are
//! issued inside the input event). One write per plan is in flight at a time;
//! changes made meanwhile go together in the next, so fast typing makes few
//! writes. Saving as soon as possible matters: Chromium aborts an IndexedDB
//! transaction still open when the page unloads, so a delayed save can be lost
//! to a reload. The page being hidden or closed saves at once too. A failed
//! write leaves the change on screen and in memory, says so, and is retried.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

use crate::core::exchange::{self, ImportError, MergeReport, Outgoing, Recipient};
use crate::core::framework::Framework;
use crate::core::part::Part;
use crate::core::persist::ChunkLog;
use crate::core::plan::Plan;
use crate::core::share::Lock;
use crate::core::{DeviceActor, DocError, Field, PlanDoc, PlanId};

use super::state::{self, now_ms, Opening, SaveStatus, Session, State};
use super::store::{self, OpenError};
use super::tabs::TabMessage;
use super::{journal, settings};

const RETRY_MS: i32 = 3000;

/// The framework a plan starts with; "Where do you live?" comes next.
pub const DEFAULT_FRAMEWORK: &str = "scotland-national";

fn later(ms: i32, f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms);
    }
}

/// Refresh the list of plans on the home page.
pub fn refresh_list() {
    let Some(st) = state::get() else { return };
    let Ok(db) = st.db() else { return };
    spawn_local(async move {
        match store::list(&db).await {
            Ok(list) => st.ui.plans.set(list),
            Err(e) => st.ui.storage_problem.set(Some(e.to_string())),
        }
    });
}

/// Open a plan for the screens (from memory if it is already open).
pub fn open(id: PlanId) {
    let Some(st) = state::get() else { return };
    match st.ui.opening.get_untracked() {
        Opening::Ready(ref cur) | Opening::Loading(ref cur) if *cur == id => return,
        _ => {}
    }
    settings::set_last_plan(Some(id.as_str()));
    if st.sessions.borrow().contains_key(&id) {
        show(&st, &id);
        return;
    }
    st.ui.opening.set(Opening::Loading(id.clone()));
    st.ui.plan.set(None);
    let db = match st.db() {
        Ok(db) => db,
        Err(e) => {
            st.ui.opening.set(Opening::Failed(e.to_string()));
            return;
        }
    };
    spawn_local(async move {
        let result = load_session(&st, &db, &id).await;
        // The person may have moved on while it loaded.
        let still_wanted =
            matches!(st.ui.opening.get_untracked(), Opening::Loading(ref l) if *l == id);
        match result {
            Ok(()) => {
                if still_wanted {
                    show(&st, &id);
                }
            }
            Err(OpenError::NotFound) if still_wanted => {
                st.ui.opening.set(Opening::NotFound(id));
            }
            Err(OpenError::Damaged { error, raw }) => {
                st.damaged.borrow_mut().insert(id.clone(), raw);
                if still_wanted {
                    st.ui.opening.set(Opening::Damaged {
                        id,
                        message: error.to_string(),
                    });
                }
            }
            Err(OpenError::Store(e)) if still_wanted => {
                st.ui.opening.set(Opening::Failed(e.to_string()));
            }
            Err(_) => {}
        }
    });
}

/// Read a stored plan into memory: its chunks, plus any changes the
/// journal kept when a page last closed mid-save (saved again at once).
async fn load_session(st: &Rc<State>, db: &super::idb::Db, id: &PlanId) -> Result<(), OpenError> {
    let (mut doc, log) = store::load(db, id, &st.actor).await?;
    let recovered = journal::read(id).is_some_and(|b| doc.apply_saved(&b).is_ok());
    st.sessions
        .borrow_mut()
        .entry(id.clone())
        .or_insert(Session::new(doc, log));
    record_me(st, id);
    if recovered {
        save_now(id.clone());
    }
    Ok(())
}

fn show(st: &Rc<State>, id: &PlanId) {
    // The plan first, then "ready": the form never shows empty answers.
    let plan = st.sessions.borrow().get(id).and_then(|s| s.doc.plan().ok());
    st.ui.plan.set(plan);
    st.ui.opening.set(Opening::Ready(id.clone()));
    let saved = st
        .sessions
        .borrow()
        .get(id)
        .is_some_and(|s| s.log.is_saved(&s.doc));
    if saved {
        st.ui.save.set(SaveStatus::Saved);
    }
}

/// Make sure the plan records who this device's user is.
fn record_me(st: &Rc<State>, id: &PlanId) {
    let me = settings::me();
    let changed = st
        .sessions
        .borrow_mut()
        .get_mut(id)
        .map(|s| {
            let known = s
                .doc
                .plan()
                .ok()
                .and_then(|p| p.participants.get(st.actor.as_str()).cloned());
            if known.as_ref() == Some(&me) {
                Ok(false)
            } else {
                s.doc.ensure_participant(&st.actor, me, now_ms())
            }
        })
        .unwrap_or(Ok(false));
    if matches!(changed, Ok(true)) {
        schedule_save(id);
    }
}

/// Start a new plan; returns its id once it is in memory (it is saved at once).
pub fn create() -> Result<PlanId, DocError> {
    let st = state::get().ok_or(DocError::Change("the app has not started".into()))?;
    let framework = Framework::for_plan(DEFAULT_FRAMEWORK);
    let indicators: Vec<&str> = framework.indicators.iter().map(|i| i.id.as_str()).collect();
    let doc = PlanDoc::create(
        &st.actor,
        settings::me(),
        &framework.id,
        &indicators,
        now_ms(),
    )?;
    let id = doc.plan_id().clone();
    st.sessions
        .borrow_mut()
        .insert(id.clone(), Session::new(doc, ChunkLog::empty()));
    save_now(id.clone());
    Ok(id)
}

/// The person typed in a field. A refused value (too long) changes nothing.
pub fn set_field(id: &PlanId, field: &Field, value: &str) -> Result<(), DocError> {
    let Some(st) = state::get() else {
        return Ok(());
    };
    let changed = match st.sessions.borrow_mut().get_mut(id) {
        Some(s) => s.doc.set_field(field, value, now_ms())?,
        None => return Err(DocError::Change("this plan is not open".into())),
    };
    if changed {
        after_change(&st, id);
    }
    Ok(())
}

/// The current text of one answer of an open plan.
pub fn field_value(id: &PlanId, field: &Field) -> String {
    state::get()
        .and_then(|st| {
            st.sessions
                .borrow()
                .get(id)
                .map(|s| s.doc.field_value(field))
        })
        .unwrap_or_default()
}

/// A structural change (a choice, a new person, a section marked done).
pub fn change(id: &PlanId, message: &str, f: impl Fn(&mut Plan)) -> Result<(), DocError> {
    let Some(st) = state::get() else {
        return Ok(());
    };
    let changed = match st.sessions.borrow_mut().get_mut(id) {
        Some(s) => s.doc.change(message, now_ms(), f)?,
        None => return Err(DocError::Change("this plan is not open".into())),
    };
    if changed {
        after_change(&st, id);
    }
    Ok(())
}

/// Use another framework (where the carer lives); every word is kept.
pub fn use_framework(id: &PlanId, framework: &Framework) -> Result<(), DocError> {
    let Some(st) = state::get() else {
        return Ok(());
    };
    let changed = match st.sessions.borrow_mut().get_mut(id) {
        Some(s) => s.doc.use_framework(framework, now_ms())?,
        None => return Err(DocError::Change("this plan is not open".into())),
    };
    if changed {
        after_change(&st, id);
    }
    Ok(())
}

fn after_change(st: &Rc<State>, id: &PlanId) {
    st.publish(id);
    // Say at once that this change is not on the device yet.
    if !matches!(st.ui.save.get_untracked(), SaveStatus::NotKept(_)) {
        set_status(st, id, SaveStatus::Saving);
    }
    schedule_save(id);
}

/// How many changes the plan has: its version number in print.
pub fn version(id: &PlanId) -> usize {
    state::get()
        .and_then(|st| st.sessions.borrow().get(id).map(|s| s.doc.version()))
        .unwrap_or(0)
}

/// Delete a plan from this device: every chunk, its list entry, its
/// journal, and the setting that names it. Other tabs are told.
pub async fn delete(id: PlanId) -> Result<(), String> {
    let st = state::get().ok_or("the app has not started")?;
    if let Ok(db) = st.db() {
        store::delete(&db, &id).await.map_err(|e| e.to_string())?;
    }
    st.sessions.borrow_mut().remove(&id);
    st.damaged.borrow_mut().remove(&id);
    journal::clear(&id);
    settings::forget_plan(&id);
    if settings::last_plan().as_deref() == Some(id.as_str()) {
        settings::set_last_plan(None);
    }
    if st.is_current(&id) {
        st.ui.plan.set(None);
        st.ui.opening.set(Opening::Nothing);
    }
    if let Some(t) = st.tabs.borrow().as_ref() {
        t.announce(&TabMessage::Deleted {
            plan: id.to_string(),
        });
    }
    refresh_list();
    Ok(())
}

fn schedule_save(id: &PlanId) {
    save_now(id.clone());
}

/// The page is being hidden or closed: keep every change not yet confirmed
/// in IndexedDB in the synchronous journal, and start saving it too.
pub fn flush_all() {
    let Some(st) = state::get() else { return };
    let ids: Vec<PlanId> = st.sessions.borrow().keys().cloned().collect();
    for id in &ids {
        if let Some(s) = st.sessions.borrow().get(id) {
            if let Some(p) = s.log.pending(&s.doc) {
                journal::write(id, &p.bytes);
            }
        }
    }
    for id in ids {
        save_now(id);
    }
}

fn set_status(st: &State, id: &PlanId, status: SaveStatus) {
    if st.is_current(id) {
        st.ui.save.set(status);
    }
}

/// Write what is not yet stored, if no write for this plan is in flight.
pub fn save_now(id: PlanId) {
    let Some(st) = state::get() else { return };
    let db = st.db();
    let mut sessions = st.sessions.borrow_mut();
    let Some(s) = sessions.get_mut(&id) else {
        return;
    };
    if s.writing {
        s.again = true;
        return;
    }
    let db = match db {
        Ok(db) => db,
        Err(e) => {
            let unsaved = !s.log.is_saved(&s.doc);
            drop(sessions);
            if unsaved {
                set_status(&st, &id, SaveStatus::NotKept(e.to_string()));
            }
            return;
        }
    };
    let shown = if st.is_current(&id) {
        st.ui.plan.get_untracked()
    } else {
        None
    };
    let Some(mut prepared) =
        store::prepare(&s.doc, shown.as_ref(), &s.log, now_ms(), st.next_nonce())
    else {
        drop(sessions);
        set_status(&st, &id, SaveStatus::Saved);
        return;
    };
    bench_mark("csp-write");
    let write = db.write(prepared.take_write());
    s.writing = true;
    drop(sessions);
    if !matches!(st.ui.save.get_untracked(), SaveStatus::NotKept(_)) {
        set_status(&st, &id, SaveStatus::Saving);
    }
    spawn_local(async move {
        let result = write.await;
        let mut sessions = st.sessions.borrow_mut();
        let Some(s) = sessions.get_mut(&id) else {
            return;
        };
        s.writing = false;
        match result {
            Ok(()) => {
                prepared.record(&mut s.log);
                bench_mark("csp-saved");
                let more = std::mem::take(&mut s.again) || !s.log.is_saved(&s.doc);
                drop(sessions);
                if !more {
                    journal::clear(&id);
                }
                super::offline::ask_to_persist();
                if let Some(t) = st.tabs.borrow().as_ref() {
                    t.announce(&TabMessage::Saved {
                        plan: id.to_string(),
                    });
                }
                // The list is read again when the home page shows it.
                if matches!(st.ui.route.get_untracked(), super::route::Route::Home) {
                    refresh_list();
                }
                if more {
                    save_now(id);
                } else {
                    set_status(&st, &id, SaveStatus::Saved);
                }
            }
            Err(e) => {
                drop(sessions);
                set_status(&st, &id, SaveStatus::NotKept(e.to_string()));
                let retry = id.clone();
                later(RETRY_MS, move || save_now(retry));
            }
        }
    });
}

/// For the benchmarks (`scripts/bench.mjs`): when a write is handed to
/// IndexedDB (`csp-write`) and when it is durable (`csp-saved`). Only the
/// latest of each is kept, so a long session does not pile up marks.
fn bench_mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        p.clear_marks_with_mark_name(name);
        let _ = p.mark(name);
    }
}

/// Another tab saved or deleted a plan.
pub fn on_tab_message(msg: TabMessage) {
    let Some(st) = state::get() else { return };
    match msg {
        TabMessage::Saved { plan } => {
            refresh_list();
            if let Some(id) = PlanId::parse(&plan) {
                if st.sessions.borrow().contains_key(&id) {
                    merge_from_storage(st, id);
                }
            }
        }
        TabMessage::Deleted { plan } => {
            refresh_list();
            if let Some(id) = PlanId::parse(&plan) {
                st.sessions.borrow_mut().remove(&id);
                if st.is_current(&id) {
                    st.ui.plan.set(None);
                    st.ui.opening.set(Opening::NotFound(id));
                }
            }
        }
    }
}

/// Merge the chunks other tabs wrote for an open plan.
fn merge_from_storage(st: Rc<State>, id: PlanId) {
    let Ok(db) = st.db() else { return };
    spawn_local(async move {
        let log = match st.sessions.borrow().get(&id) {
            Some(s) => s.log.clone(),
            None => return,
        };
        let Ok((chunks, keys)) = store::unseen(&db, &id, &log).await else {
            return;
        };
        let mut failed = false;
        {
            let mut sessions = st.sessions.borrow_mut();
            let Some(s) = sessions.get_mut(&id) else {
                return;
            };
            s.log.forget_missing(&keys);
            for (key, bytes) in chunks {
                let before = s.doc.heads();
                match s.doc.apply_saved(&bytes) {
                    Ok(()) => {
                        let after = s.doc.heads();
                        s.log.merged_from_storage(key, bytes.len(), &before, after);
                    }
                    Err(_) => failed = true,
                }
            }
        }
        st.publish(&id);
        if failed {
            set_status(
                &st,
                &id,
                SaveStatus::NotKept(
                    "A change saved in another tab could not be read. Your own changes are still being kept."
                        .into(),
                ),
            );
        }
    });
}

/// The open plan's whole document, for "Download a copy".
pub fn document_bytes(id: &PlanId) -> Option<Vec<u8>> {
    let st = state::get()?;
    let sessions = st.sessions.borrow();
    sessions.get(id).map(|s| s.doc.save())
}

/// Read the open plan's document (for history, conflicts, sign-off status).
pub fn with_doc<R>(id: &PlanId, f: impl FnOnce(&PlanDoc) -> R) -> Option<R> {
    let st = state::get()?;
    let sessions = st.sessions.borrow();
    sessions.get(id).map(|s| f(&s.doc))
}

/// Change the open plan's document directly (sign-off, settling a
/// conflict), then show and save the result.
pub fn with_doc_mut<R, E>(
    id: &PlanId,
    f: impl FnOnce(&mut PlanDoc, &DeviceActor) -> Result<R, E>,
) -> Result<R, String>
where
    E: std::fmt::Display,
{
    let st = state::get().ok_or("The app has not started.")?;
    let result = {
        let mut sessions = st.sessions.borrow_mut();
        let s = sessions.get_mut(id).ok_or("This plan is not open.")?;
        f(&mut s.doc, &st.actor).map_err(|e| e.to_string())?
    };
    after_change(&st, id);
    Ok(result)
}

/// This device's id.
pub fn my_device() -> String {
    state::get()
        .map(|s| s.actor.as_str().to_owned())
        .unwrap_or_default()
}

/// Make a share file of the open plan. The share (what, with whom, when) is
/// recorded in the plan and saved like any change.
pub fn make_share(
    id: &PlanId,
    parts: Vec<Part>,
    with_whom: Vec<Recipient>,
    passphrase: Option<String>,
) -> Result<String, String> {
    let mut me = settings::me();
    if me.name.trim().is_empty() && me.role == crate::core::plan::Role::Carer {
        // A carer need not set a name in settings: use the plan's.
        me.name = with_doc(id, |d| {
            d.plan()
                .ok()
                .and_then(|p| p.display_name().map(str::to_owned))
        })
        .flatten()
        .unwrap_or_default();
    }
    with_doc_mut(id, |doc, actor| {
        let out = Outgoing {
            sender: actor,
            sender_name: &me.name,
            sender_role: me.role,
            parts,
            with_whom,
            now_ms: now_ms(),
        };
        let lock = match &passphrase {
            Some(p) => Lock::Passphrase(p),
            None => Lock::None,
        };
        exchange::share(doc, &out, lock)
    })
}

/// What adding a copy did.
pub enum Imported {
    /// The first copy of this plan on the device.
    Created(PlanId),
    Merged(PlanId, MergeReport),
    /// Everything in the copy was here already: nothing changed.
    NothingNew(PlanId),
}

/// Add a copy from a share file. `into`: the plan the person is adding it
/// to, if they started from a plan (a copy of another plan is refused).
/// Every check happens before anything is stored, so a bad file leaves
/// every stored plan as it was.
pub async fn import(
    text: String,
    passphrase: Option<String>,
    into: Option<PlanId>,
) -> Result<Imported, String> {
    let st = state::get().ok_or("The app has not started.")?;
    let (header, incoming) =
        exchange::read(&text, passphrase.as_deref(), &st.actor).map_err(|e| e.to_string())?;
    let id = incoming.plan_id().clone();
    if into.as_ref().is_some_and(|want| *want != id) {
        return Err(ImportError::DifferentPlan.to_string());
    }
    if !st.sessions.borrow().contains_key(&id) {
        let db = st.db().map_err(|e| e.to_string())?;
        // Through the same path as opening, so changes the journal kept are
        // not lost under the merge.
        match load_session(&st, &db, &id).await {
            Ok(()) => {}
            Err(OpenError::NotFound) => {
                let doc = exchange::adopt(incoming, &header, &st.actor, now_ms())
                    .map_err(|e| e.to_string())?;
                st.sessions
                    .borrow_mut()
                    .insert(id.clone(), Session::new(doc, ChunkLog::empty()));
                record_me(&st, &id);
                save_now(id.clone());
                refresh_list();
                return Ok(Imported::Created(id));
            }
            Err(OpenError::Damaged { .. }) => {
                return Err("The copy of this plan already on this device cannot be opened, so the new copy was not added. Nothing was changed.".into());
            }
            Err(OpenError::Store(e)) => return Err(e.to_string()),
        }
    }
    let report = {
        let mut sessions = st.sessions.borrow_mut();
        let s = sessions.get_mut(&id).ok_or("This plan is not open.")?;
        exchange::merge_in(&mut s.doc, incoming, &header, &st.actor, now_ms())
            .map_err(|e| e.to_string())?
    };
    if report.new_changes == 0 {
        return Ok(Imported::NothingNew(id));
    }
    let mut waiting = settings::text_conflicts(&id);
    for c in &report.text_conflicts {
        waiting.retain(|w| w.field != c.field);
        waiting.push(c.clone());
    }
    settings::set_text_conflicts(&id, &waiting);
    after_change(&st, &id);
    refresh_list();
    Ok(Imported::Merged(id, report))
}
