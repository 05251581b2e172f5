//! Typing through the engine worker: each key a person presses in an
//! answer's box goes to the engine as the splice it made
//! (`Request::Type`), without waiting for the key before it, and the page's
//! thread does none of the document's work for it. The engine keeps what
//! each box shows (`doc::BoxView`) and places every key by the box's own
//! text; the page shows the box's text at once, keeps the box's keys in
//! flight over anything it reads meanwhile, and takes each answer's chunk
//! into its own copy (for what still reads it: docs/engine-documents.md).
//!
//! A box is given the answer anew (and so starts a new box in the engine)
//! only once all its keys are answered: then, if the engine placed one
//! through words the box had not shown, the box shows the answer as it is,
//! the caret kept after the letter it followed.
//!
//! When the engine cannot (none runs, it is busy with long work while the
//! box has nothing in flight, or a key could not be made: a new engine
//! after a crash knows no box), the key is made on the page as before; a
//! box whose keys went astray is settled by making the answer the box's
//! text in the page's copy, after taking in what storage holds, so a key
//! an engine stored before it stopped is not made twice. If the page is
//! hidden or closed with keys in flight, the boxes' texts are journaled
//! and settled the same way when the plan is next opened.

use std::collections::HashMap;

use wasm_bindgen_futures::spawn_local;

use crate::doc::heads_of;
use crate::plan::text::{moved_through, Splice};
use crate::plan::{Field, PlanId, Version};
use crate::web::engine::protocol::{Reply, Type, Typed};

use super::super::platform::journal;
use super::{now_ms, App, AppError, SaveStatus, Touched};

/// How long typing in a plan pauses before the page's copy takes in the
/// keys the engine stored.
const CATCH_UP_AFTER_MS: f64 = 1500.0;

/// What an answer's box shows, and at which version: a box's token for
/// [`App::type_into`] and [`App::caret_now`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Shown {
    /// Not told yet.
    #[default]
    Nothing,
    /// The answer as the page's copy had it at this version.
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
    /// Keys answered (stored) that the page's copy has not taken in yet:
    /// it takes them in together once typing pauses (`catch_up`).
    behind: bool,
    /// The answer's text as the engine last told it, when it was not the
    /// box's: the box is given it once its keys are all answered.
    told: Option<String>,
    /// A key went astray (not made, or refused): the box is settled on
    /// the page once its keys are all answered.
    astray: bool,
}

impl App {
    /// What a box for `field` shows: the answer's text, and the plan's
    /// version it is read at.
    pub fn shown(&self, id: &PlanId, field: &Field) -> Option<(String, Shown)> {
        // A box typing through the engine, or whose keys the page's copy
        // has not taken in yet: its text, and the box goes on.
        let open = self.inner().and_then(|i| {
            let boxes = i.boxes.try_borrow().ok()?;
            let open = boxes.open.get(&(id.clone(), field.clone()))?;
            (!open.astray && (open.in_flight > 0 || open.behind))
                .then(|| (open.text.clone(), Shown::Box(open.id)))
        });
        open.or_else(|| self.read(id, |d| (d.field_value(field), Shown::At(d.version_token()))))
    }

    /// Where a caret at `caret` (characters) in a box that showed `then`
    /// (its text and token) belongs in `now`, the answer as it is now
    /// (`PlanDoc::caret_now` for a version of the page's copy; through the
    /// two texts for a box whose keys went through the engine).
    pub fn caret_now(
        &self,
        id: &PlanId,
        field: &Field,
        then: &(String, Shown),
        now: &str,
        caret: usize,
    ) -> usize {
        match &then.1 {
            Shown::At(version) => self
                .read(id, |d| d.caret_now(field, &heads_of(version), caret))
                .unwrap_or(caret),
            _ => {
                let old: Vec<char> = then.0.chars().collect();
                let now: Vec<char> = now.chars().collect();
                moved_through(&old, &now, caret)
            }
        }
    }

    /// Send a key to the engine when it is the one to make it: the box
    /// already types through it, or it runs and is free. `None`: make it
    /// on the page.
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
        let inner = self.inner()?;
        let engine = self.engine_link().ok()?;
        let (by, actor) = (self.tab_id()?, self.actor()?);
        if !self.is_current(id) {
            return None;
        }
        let at = (id.clone(), field.clone());
        let mut boxes = inner.boxes.try_borrow_mut().ok()?;
        let continuing = match (shown, boxes.open.get_mut(&at)) {
            (Shown::Box(b), Some(open)) if open.id == *b && !open.astray => true,
            // A box of the engine's that went astray, or was settled: its
            // key is made on the page, as the whole of its text.
            (Shown::Box(b), open) => {
                let open = open.filter(|o| o.id == *b && o.in_flight > 0)?;
                // Astray with keys still in hand: the box is settled to its
                // text once they are answered (made on the page now, the
                // key would be made twice if an engine stored one of them).
                open.text = text.to_owned();
                drop(boxes);
                self.publish_typed(id, field, text);
                return Some(Ok(Shown::Box(*b)));
            }
            (Shown::At(_), _) => false,
            (Shown::Nothing, _) => return None,
        };
        if !continuing && !engine.free() {
            return None;
        }
        // Refused at once, as on the page: the box keeps its text, the
        // answer what it held.
        if let Err(e) = field.too_long_after(before, text) {
            drop(boxes);
            self.set_status(id, SaveStatus::NotSaved);
            return Some(Err(e.into()));
        }
        let ask_shown = match shown {
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
                    behind: false,
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
            Some(Reply::Typed(Typed { chunk, text, .. })) => {
                // On the device (the benchmarks' keystroke to durable).
                super::saving::bench_mark("csp-saved");
                if let Some(open) = inner.boxes.borrow_mut().open.get_mut(&key) {
                    if open.id == box_id {
                        open.behind |= chunk.is_some();
                        if let Some(text) = text {
                            open.told = Some(text);
                        }
                    }
                }
            }
            Some(Reply::Refused { message, .. }) => {
                self.show_problem(Some(&AppError::Answer(message)));
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
            inner.boxes.borrow_mut().open.remove(&key);
            self.settle_box(&id, &field, &text).await;
        } else if told.is_some_and(|t| t != text) {
            // Placed through words the box had not shown: the page's copy
            // takes in what is stored now, and the box is given the answer
            // anew (a new box from its next key).
            self.merge_stored(id.clone()).await;
        } else {
            self.catch_up_soon(&id);
        }
        if !self.typing(&id) {
            self.save_now(id.clone());
        }
        self.typed_journal_settled(&id);
    }

    /// Once typing in `id` pauses, the page's copy takes in every key the
    /// engine stored, together (one load a part: `ChunkLog::take_in`).
    fn catch_up_soon(&self, id: &PlanId) {
        let Some(inner) = self.inner() else { return };
        let due = js_sys::Date::now() + CATCH_UP_AFTER_MS;
        inner.catch_up.borrow_mut().insert(id.clone(), due);
        let (app, id) = (*self, id.clone());
        leptos::prelude::set_timeout(
            move || {
                let Some(inner) = app.inner() else { return };
                let now = js_sys::Date::now();
                let ready = inner
                    .catch_up
                    .borrow()
                    .get(&id)
                    .is_some_and(|due| *due <= now + 1.0);
                if ready && !app.typing(&id) {
                    inner.catch_up.borrow_mut().remove(&id);
                    spawn_local(async move { app.merge_stored(id).await });
                }
            },
            std::time::Duration::from_millis(CATCH_UP_AFTER_MS as u64),
        );
    }

    /// The page's copy took in what storage holds of `id` (`merge_stored`):
    /// boxes with nothing in flight are no longer behind, and one whose
    /// answer is not its text now (words came in) is given it anew.
    pub(super) fn caught_up(&self, id: &PlanId) {
        let Some(inner) = self.inner() else { return };
        let Ok(mut boxes) = inner.boxes.try_borrow_mut() else {
            return;
        };
        let mut anew = Vec::new();
        for ((p, field), open) in boxes.open.iter_mut() {
            if p == id && open.in_flight == 0 && !open.astray {
                open.behind = false;
                open.told = None;
                if self.read(id, |d| d.field_value(field) != open.text) == Some(true) {
                    anew.push((p.clone(), field.clone()));
                }
            }
        }
        for key in anew {
            boxes.open.remove(&key);
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

    /// Make the answer the box's text in the page's copy, after taking in
    /// what storage holds (a key an engine stored before it stopped is
    /// there, and not made twice), and save it.
    pub(super) async fn settle_box(&self, id: &PlanId, field: &Field, text: &str) {
        self.merge_stored(id.clone()).await;
        let at = now_ms();
        match self.with_session(id, |s| s.doc.type_answer(field, text, at)) {
            Ok(Ok(Some(part))) => self.changed(id, Touched::Part(part)),
            Ok(Ok(None)) => self.publish(id),
            Ok(Err(e)) => self.show_problem(Some(&AppError::Plan(e))),
            Err(_) => {}
        }
    }

    /// Whether keys of `id` are in the engine's hands.
    pub(super) fn typing(&self, id: &PlanId) -> bool {
        self.inner().is_some_and(|i| {
            i.boxes
                .try_borrow()
                .is_ok_and(|b| b.open.iter().any(|((p, _), o)| p == id && o.in_flight > 0))
        })
    }

    /// The plan on screen, read from the page's copy, with the text of
    /// every box whose keys are still in the engine's hands (the copy does
    /// not have them yet, and the box must not be given it without them).
    pub(super) fn show_typing(&self, id: &PlanId, plan: &mut crate::plan::Plan) {
        let Some(inner) = self.inner() else { return };
        let Ok(boxes) = inner.boxes.try_borrow() else {
            return;
        };
        for ((p, field), open) in &boxes.open {
            if p == id && (open.in_flight > 0 || open.behind) {
                field.show_value_in(plan, &open.text);
            }
        }
    }

    /// The page is being hidden or closed: the text of every box with keys
    /// in the engine's hands is journaled (the engine stops with the page).
    pub(super) fn journal_typing(&self) {
        let Some(inner) = self.inner() else { return };
        let Ok(boxes) = inner.boxes.try_borrow() else {
            return;
        };
        let mut by_plan: HashMap<&PlanId, Vec<(Field, String)>> = HashMap::new();
        for ((p, field), open) in &boxes.open {
            if open.in_flight > 0 {
                by_plan
                    .entry(p)
                    .or_default()
                    .push((field.clone(), open.text.clone()));
            }
        }
        for (p, texts) in by_plan {
            journal::write_typed(p, &texts);
        }
    }

    /// Every key of `id` answered: its journaled box texts are not needed.
    fn typed_journal_settled(&self, id: &PlanId) {
        if !self.typing(id) {
            journal::clear_typed(id);
        }
    }

    /// Box texts journaled when a page closed with keys in flight: each
    /// answer made the box's text in the page's copy (after what storage
    /// holds: the keys an engine stored are not made twice).
    pub(super) fn settle_journaled_typing(&self, id: &PlanId) -> bool {
        let texts = journal::read_typed(id);
        let at = now_ms();
        let mut changed = false;
        for (field, text) in &texts {
            if let Ok(Ok(Some(_))) = self.with_session(id, |s| s.doc.type_answer(field, text, at)) {
                changed = true;
            }
        }
        if !texts.is_empty() {
            journal::clear_typed(id);
        }
        changed
    }
}
