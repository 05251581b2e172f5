//! Any text given to "Add a copy you were sent": read it, and if it is a
//! plan, do everything the app does with a new copy. Must never panic.
//! (No passphrase is given, so encrypted inputs stop before the slow key
//! derivation; the parsing up to there is still fuzzed.)
#![no_main]

use carer_plan::doc::conflict::choice_conflicts;
use carer_plan::share::exchange;
use carer_plan::doc::history::history;
use carer_plan::plan::{DeviceActor};
use carer_plan::doc::{takeout};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(me) = DeviceActor::for_device("00112233445566778899aabbccddeeff") else {
        return;
    };
    if let Ok((header, doc)) = exchange::read(text, None, &me) {
        let _ = doc.plan();
        if let Ok(mut mine) = exchange::adopt(doc.fork(&me), &header, &me, 0) {
            let _ = choice_conflicts(&mine);
            let _ = history(&mine);
            let _ = takeout::json(&mine);
            let _ = exchange::merge_in(&mut mine, doc, &header, &me, 1);
        }
    }
});
