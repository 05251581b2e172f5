//! The document layer compiled to WebAssembly for the in-Chromium
//! benchmarks (`scripts/bench-wasm.sh` builds it with wasm-bindgen;
//! `scripts/bench-wasm-page.mjs` drives it beside Automerge JS). Bench-only:
//! never part of the app. Natively it is empty.
#![cfg(target_arch = "wasm32")]

// The native tests' helpers (T0, AREAS, the imports), as examples/bench.rs.
#[path = "../tests/common/mod.rs"]
mod common;

use carer_plan::doc::takeout;
use common::*;
use wasm_bindgen::prelude::*;

fn answer(which: u8) -> Field {
    let f = if which == 0 {
        AreaField::OwnWords
    } else {
        AreaField::WorkerNotes
    };
    Field::Area("health-wellbeing".into(), f)
}

fn js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// One plan, as the app holds it: its parts and what storage would hold.
#[wasm_bindgen]
pub struct Plan {
    doc: PlanDoc,
    log: ChunkLog,
    n: u32,
}

#[wasm_bindgen]
impl Plan {
    /// A new plan with Scotland's seven areas, as "Start a new plan" makes it.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Plan, JsError> {
        let actor = DeviceActor::random().map_err(js)?;
        let me = Participant {
            name: "Ann".into(),
            role: Role::Carer,
        };
        let doc = PlanDoc::create(&actor, me, "scotland-national", &AREAS, T0).map_err(js)?;
        Ok(Plan {
            doc,
            log: ChunkLog::empty(),
            n: 0,
        })
    }

    /// The same plan on another device.
    pub fn fork(&self) -> Result<Plan, JsError> {
        let actor = DeviceActor::random().map_err(js)?;
        Ok(Plan {
            doc: self.doc.fork(&actor),
            log: ChunkLog::empty(),
            n: 0,
        })
    }

    /// One keystroke as the app makes it: the answer's whole new value
    /// (0: the carer's own words, 1: the worker's notes).
    pub fn set(&mut self, which: u8, text: &str) -> Result<bool, JsError> {
        self.n += 1;
        self.doc
            .set_field(&answer(which), text, T0 + i64::from(self.n))
            .map_err(js)
    }

    /// Write what the app would write after this keystroke (the increment,
    /// or a compacting snapshot when the increments outgrow it); its bytes.
    pub fn keep(&mut self) -> usize {
        let Some(pending) = self.log.pending(&self.doc) else {
            return 0;
        };
        let now = T0 + i64::from(self.n);
        if self.log.should_compact() || self.log.next_kind() == ChunkKind::Snapshot {
            let snapshot = self.doc.save();
            let removed = self.log.compactable();
            let key = ChunkKey::new(self.doc.plan_id(), ChunkKind::Snapshot, now, self.n);
            self.log
                .compacted(key, snapshot.len(), &removed, pending.heads);
            snapshot.len()
        } else {
            let key = ChunkKey::new(self.doc.plan_id(), ChunkKind::Increment, now, self.n);
            self.log.written(key, &pending);
            pending.bytes.len()
        }
    }

    /// Bytes storage holds for this plan now (snapshot and increments).
    pub fn kept(&self) -> usize {
        let (s, i) = self.log.sizes();
        s + i
    }

    /// Every part, compacted, with its whole history.
    pub fn save(&self) -> Vec<u8> {
        self.doc.save()
    }

    /// Load saved bytes and read the plan's values.
    pub fn load(bytes: &[u8]) -> Result<Plan, JsError> {
        let actor = DeviceActor::random().map_err(js)?;
        let doc = PlanDoc::load(bytes, &actor).map_err(js)?;
        doc.plan().map_err(js)?;
        Ok(Plan {
            doc,
            log: ChunkLog::empty(),
            n: 0,
        })
    }

    /// Merge another copy in, then read the plan's values.
    pub fn merge(&mut self, other: &mut Plan) -> Result<(), JsError> {
        self.doc.merge(&mut other.doc).map_err(js)?;
        self.doc.plan().map_err(js)?;
        Ok(())
    }

    /// The plan as one plain Automerge document, for Automerge JS to start
    /// from the very same values.
    pub fn whole(&self) -> Result<Vec<u8>, JsError> {
        takeout::automerge_document(&self.doc).map_err(js)
    }
}
