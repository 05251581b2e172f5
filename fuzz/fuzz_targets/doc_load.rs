//! Any bytes read from storage as a saved plan: load them, and if they are
//! a plan, read it, save it and merge saved bytes back. The same bytes as a
//! copy from outside go through the plan's limits (the cost count before
//! loading, then the walk). Must never panic.
#![no_main]

use carer_plan::doc::conflict::choice_conflicts;
use carer_plan::plan::{DeviceActor};
use carer_plan::doc::{takeout, PlanDoc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(me) = DeviceActor::for_device("00112233445566778899aabbccddeeff") else {
        return;
    };
    let _ = PlanDoc::load_incoming(data, &me).map(|d| d.plan());
    if let Ok(mut doc) = PlanDoc::load(data, &me) {
        let _ = doc.plan();
        let _ = choice_conflicts(&doc);
        let _ = takeout::json(&doc);
        let saved = doc.save();
        let _ = doc.apply_saved(&saved);
        let _ = doc.apply_saved(data);
    }
});
