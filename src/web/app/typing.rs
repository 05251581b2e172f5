//! Typing through the engine worker, for a plan open through it
//! (`viewing.rs`): each key a person presses in an answer's box goes to the
//! engine as the splice it made (`Request::Type`), without waiting for the
//! key before it, and the page's thread does none of the document's work
//! for it. The engine keeps what each box shows (`doc::BoxView`) and places
//! every key by the box's own text; the page shows the box's text at once
//! and keeps the box's keys in flight over anything it reads meanwhile.
//!
//! When all of a box's keys are answered and the engine placed one through
//! words the box had not shown, the plan is read again from the engine and
//! the box given the answer as it is, the caret kept after the letter it
//! followed (`plan::text::moved_through`).
//!
//! A box whose keys went astray (an engine that stopped knows no box; the
//! link never asks a key again, as the engine may have stored it) is
//! settled once they are all answered: the answer is made the box's text
//! on the plan as stored (`Named::SetAnswer`), so a key an engine stored
//! before it stopped is not made twice. If the page is hidden or closed
//! with keys in flight, the boxes' texts are journaled and settled the same
//! way when the plan is next opened.

use std::collections::HashMap;

use wasm_bindgen_futures::spawn_local;

use crate::plan::text::Splice;
use crate::plan::{Field, PlanId, Version};
use crate::web::engine::protocol::{Journaled, Named, Reply, Type, Typed};

use super::super::platform::journal;
use super::{now_ms, App, AppError, SaveStatus};

/// How long a box not stored waits before it is settled again.
const RETRY_MS: u64 = 3000;

/// What an answer's box shows, and at which version: a box's token for
/// [`App::type_into`] and [`App::caret_now`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Shown {
    /// Not told yet.
    #[default]
    Nothing,
    /// The answer as the plan on screen had it, at this version.
    At(Version),
    /// A box whose keys the engine makes (its number).
    Box(u32),
}

impl Shown {
    pub fn is_none(&self) -> bool {
        matches!(self, Shown::Nothing)
    }
}

/// A key typed in an answer's box: what it did (`splice`) in the box that
/// showed `before` (`shown` says which version), which now holds `text`.
#[derive(Clone, Copy)]
pub struct Key<'a> {
    pub field: &'a Field,
    pub shown: &'a Shown,
    pub before: &'a str,
    pub splice: &'a Splice,
    pub text: &'a str,
}

/// The boxes typing through the engine.
#[derive(Default)]
pub(super) struct Boxes {
    next: u32,
    open: HashMap<(PlanId, Field), Box>,
}

/// One box typing through the engine.
struct Box {
    id: u32,
    /// The box's text after its last key.
    text: String,
    /// Keys sent and not answered.
    in_flight: u32,
    /// The answer's text as the engine last told it, when it was not the
    /// box's: the box is given it once its keys are all answered.
    told: Option<String>,
    /// A key went astray (not made, or refused): the box is settled once
    /// its keys are all answered.
    astray: bool,
}

impl App {
    /// Send a key to the engine, for a plan open through it. `None`: the
    /// plan is not open.
    pub(super) fn type_beside(
        &self,
        id: &PlanId,
        key: &Key<'_>,
    ) -> Option<Result<Shown, AppError>> {
        let Key {
            field,
            shown,
            before,
            splice,
            text,
        } = *key;
        if !self.viewing(id) {
            return None;
        }
        let Some(inner) = self.inner() else {
            return Some(Err(AppError::NotReady));
        };
        let (Ok(engine), Some(actor)) = (self.engine_link(), self.actor()) else {
            return Some(Err(AppError::NotReady));
        };
        let by = self.tab_id().unwrap_or(0);
        let at = (id.clone(), field.clone());
        let Ok(mut boxes) = inner.boxes.try_borrow_mut() else {
            return Some(Err(AppError::Busy));
        };
        let mut shown = shown.clone();
        let continuing = match (&shown, boxes.open.get_mut(&at)) {
            (Shown::Box(b), Some(open)) if open.id == *b && !open.astray => true,
            // Astray (keys still in hand, or its settling not stored yet):
            // the answer is made the box's text once they are answered
            // (sent now, a key would be made twice if an engine stored
            // it, or go after words that are not stored).
            (_, Some(open)) if open.astray => {
                open.text = text.to_owned();
                let b = open.id;
                drop(boxes);
                self.publish_typed(id, field, text);
                return Some(Ok(Shown::Box(b)));
            }
            // A box settled or given anew: a new box, at the version on
            // screen (the engine finds the box's letters in the answer).
            (Shown::Box(_) | Shown::Nothing, _) => {
                shown = Shown::At(self.view_heads(id).unwrap_or_default());
                false
            }
            (Shown::At(_), _) => false,
        };
        // Refused at once, as on the page: the box keeps its text, the
        // answer what it held.
        if let Err(e) = field.too_long_after(before, text) {
            drop(boxes);
            self.set_status(id, SaveStatus::NotSaved);
            return Some(Err(e.into()));
        }
        let ask_shown = match &shown {
            Shown::At(version) if !continuing => Some((version.clone(), before.to_owned())),
            _ => None,
        };
        let box_id = if continuing {
            boxes.open[&at].id
        } else {
            boxes.next = boxes.next.wrapping_add(1);
            let b = boxes.next;
            boxes.open.insert(
                at.clone(),
                Box {
                    id: b,
                    text: String::new(),
                    in_flight: 0,
                    told: None,
                    astray: false,
                },
            );
            b
        };
        let open = boxes.open.get_mut(&at)?;
        open.text = text.to_owned();
        open.in_flight += 1;
        drop(boxes);
        let ask = Type {
            plan: id.clone(),
            field: field.clone(),
            by,
            box_id,
            shown: ask_shown,
            splice: splice.clone(),
            at_ms: now_ms(),
            device: actor.as_str().to_owned(),
        };
        // Shown at once; stored when the engine answers.
        super::saving::bench_mark("csp-write");
        self.publish_typed(id, field, text);
        inner.refused.set(false);
        self.set_status(id, SaveStatus::Saving);
        let app = *self;
        spawn_local(async move {
            let reply = engine.type_key(ask).await;
            app.key_answered(at, box_id, reply).await;
        });
        Some(Ok(Shown::Box(box_id)))
    }

    /// The engine answered a key (or could not make it).
    async fn key_answered(&self, key: (PlanId, Field), box_id: u32, reply: Option<Reply>) {
        let Some(inner) = self.inner() else { return };
        let (id, field) = key.clone();
        match reply {
            Some(Reply::Typed(Typed { text, heads, .. })) => {
                // On the device (the benchmarks' keystroke to durable).
                super::saving::bench_mark("csp-saved");
                let mut boxes = inner.boxes.borrow_mut();
                if let Some(open) = boxes.open.get_mut(&key).filter(|o| o.id == box_id) {
                    match text {
                        Some(text) => open.told = Some(text),
                        // The answer is the box's text at this version.
                        None if open.told.is_none() => self.set_view_heads(&id, heads),
                        None => {}
                    }
                }
            }
            Some(Reply::Refused { message, .. }) => {
                self.show_problem(Some(&AppError::Answer(message)));
                self.astray(&key, box_id);
            }
            // Made but not stored (storage full or failing): the save line
            // says so, and the box is settled once storage takes it.
            Some(Reply::NotStored(why)) => {
                self.set_status(&id, SaveStatus::NotKept(why));
                self.astray(&key, box_id);
            }
            // Not made: no engine, or one that does not know the box.
            _ => self.astray(&key, box_id),
        }
        let settled = {
            let mut boxes = inner.boxes.borrow_mut();
            match boxes.open.get_mut(&key) {
                Some(open) if open.id == box_id => {
                    open.in_flight -= 1;
                    (open.in_flight == 0)
                        .then(|| (open.astray, open.told.take(), open.text.clone()))
                }
                _ => None,
            }
        };
        let Some((astray, told, text)) = settled else {
            return;
        };
        if astray {
            self.settle_box(&id, &field, box_id).await;
        } else if told.is_some_and(|t| t != text) {
            // Placed through words the box had not shown: the plan is read
            // again, and the box given the answer anew (a new box from its
            // next key).
            inner.boxes.borrow_mut().open.remove(&key);
            self.reopen(&id);
        }
        if !self.typing(&id) {
            self.set_status(&id, SaveStatus::Saved);
            self.journal_settled(&id);
        }
    }

    fn astray(&self, key: &(PlanId, Field), box_id: u32) {
        if let Some(inner) = self.inner() {
            if let Some(open) = inner.boxes.borrow_mut().open.get_mut(key) {
                if open.id == box_id {
                    open.astray = true;
                }
            }
        }
    }

    /// Make the answer the box's text on the plan as stored (a key an
    /// engine stored before it stopped is there, and not made twice): the
    /// box, astray, keeps the keys typed meanwhile, and is settled again
    /// with them; while storage refuses, again every few seconds.
    pub(super) async fn settle_box(&self, id: &PlanId, field: &Field, box_id: u32) {
        let key = (id.clone(), field.clone());
        let Some(inner) = self.inner() else { return };
        let text = match inner.boxes.borrow().open.get(&key) {
            Some(open) if open.id == box_id && open.astray && open.in_flight == 0 => {
                open.text.clone()
            }
            _ => return,
        };
        let named = Named::SetAnswer {
            field: field.clone(),
            text: text.clone(),
        };
        let made = self.make_after(id, named).await;
        // The box's text now (keys typed while the change was asked stay
        // with it): what the journal keeps if no engine can make it.
        let mut latest = text.clone();
        let again = {
            let mut boxes = inner.boxes.borrow_mut();
            let now = boxes.open.get(&key).map(|o| (o.id, o.text.clone()));
            if let Some((b, now)) = &now {
                if *b == box_id {
                    latest.clone_from(now);
                }
            }
            match (&made, now) {
                (Err(AppError::NotStored(_)), Some((b, _))) if b == box_id => Some(RETRY_MS),
                (_, Some((b, now))) if b == box_id && now != text => Some(0),
                (_, Some((b, _))) if b == box_id => {
                    boxes.open.remove(&key);
                    None
                }
                _ => None,
            }
        };
        match made {
            Err(AppError::NotStored(_)) => {}
            Err(_) => {
                // No engine can: the words are kept in the journal, on the
                // device, for the next time the plan is opened, and the
                // person is told nothing is lost.
                let mut kept: Journaled = journal::read_journaled(id);
                kept.typed.retain(|(f, _)| f != field);
                kept.typed.push((field.clone(), latest));
                journal::write_journaled(id, &kept);
                let mut marked = inner.journal_kept.borrow_mut();
                if !marked.contains(id) {
                    marked.push(id.clone());
                }
                drop(marked);
                inner.boxes.borrow_mut().open.remove(&key);
                self.show_problem(Some(&AppError::NoEngine));
                return;
            }
            Ok(()) => {}
        }
        let Some(after) = again else {
            if !self.typing(id) {
                self.set_status(id, SaveStatus::Saved);
                self.journal_settled(id);
            }
            return;
        };
        let (app, id, field) = (*self, id.clone(), field.clone());
        leptos::prelude::set_timeout(
            move || spawn_local(async move { app.settle_box(&id, &field, box_id).await }),
            std::time::Duration::from_millis(after),
        );
    }

    /// Whether keys of `id` are in the engine's hands, or a box of it is
    /// still to be settled.
    pub(super) fn typing(&self, id: &PlanId) -> bool {
        self.inner().is_some_and(|i| {
            i.boxes.try_borrow().is_ok_and(|b| {
                b.open
                    .iter()
                    .any(|((p, _), o)| p == id && (o.in_flight > 0 || o.astray))
            })
        })
    }

    /// The plan on screen, as read, with the text of every box whose keys
    /// are still in the engine's hands (what was read may not have them
    /// yet, and the box must not be given it without them).
    pub(super) fn show_typing(&self, id: &PlanId, plan: &mut crate::plan::Plan) {
        let Some(inner) = self.inner() else { return };
        let Ok(boxes) = inner.boxes.try_borrow() else {
            return;
        };
        for ((p, field), open) in &boxes.open {
            if p == id && (open.in_flight > 0 || open.astray) {
                field.show_value_in(plan, &open.text);
            }
        }
    }

    /// The text of every box with keys in the engine's hands, or still to
    /// be settled.
    pub(super) fn boxes_in_hand(&self) -> Vec<(PlanId, Field, String)> {
        let Some(inner) = self.inner() else {
            return Vec::new();
        };
        let Ok(boxes) = inner.boxes.try_borrow() else {
            return Vec::new();
        };
        boxes
            .open
            .iter()
            .filter(|(_, o)| o.in_flight > 0 || o.astray)
            .map(|((p, f), o)| (p.clone(), f.clone(), o.text.clone()))
            .collect()
    }

    /// A box of `field` with keys in the engine's hands: its text, and the
    /// box, which goes on.
    pub(super) fn box_in_flight(&self, id: &PlanId, field: &Field) -> Option<(String, Shown)> {
        let inner = self.inner()?;
        let boxes = inner.boxes.try_borrow().ok()?;
        let open = boxes.open.get(&(id.clone(), field.clone()))?;
        (!open.astray && open.in_flight > 0).then(|| (open.text.clone(), Shown::Box(open.id)))
    }
}
