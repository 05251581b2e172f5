//! The engine worker's protocol and its one service, in the browser
//! (headless Chromium, wasm-bindgen-test): messages round-trip, another
//! version or junk is refused, and the key the engine derives for a
//! passphrase opens what the page locked (and a wrong passphrase's does not).
#![cfg(target_arch = "wasm32")]

use carer_plan::share::{derive, Kdf, Key};
use carer_plan::web::engine::answer;
use carer_plan::web::engine::protocol::{
    decode, encode, FromEngine, Reply, Request, ToEngine, Unreadable, VERSION,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn kdf() -> Kdf {
    // Small settings: the test is about the protocol, not Argon2's cost.
    Kdf {
        m: 64,
        t: 1,
        p: 1,
        salt: vec![7; 16],
    }
}

fn ask(id: u32, passphrase: &str) -> Vec<u8> {
    encode(&ToEngine::Ask {
        id,
        request: Request::DeriveKey {
            passphrase: passphrase.into(),
            kdf: kdf(),
        },
    })
}

fn key_from(bytes: &[u8]) -> (u32, Key) {
    match decode::<FromEngine>(bytes) {
        Ok(FromEngine::Answer {
            id,
            reply: Reply::Key(key),
        }) => (id, key),
        other => panic!("not a key: {other:?}"),
    }
}

#[wasm_bindgen_test]
fn messages_round_trip() {
    let ask = ToEngine::Ask {
        id: 3,
        request: Request::DeriveKey {
            passphrase: "kettle garden Tuesday".into(),
            kdf: kdf(),
        },
    };
    assert_eq!(decode::<ToEngine>(&encode(&ask)), Ok(ask));
    let ready = FromEngine::Ready { version: VERSION };
    assert_eq!(decode::<FromEngine>(&encode(&ready)), Ok(ready));
}

#[wasm_bindgen_test]
fn another_version_or_junk_is_refused() {
    let mut bytes = encode(&FromEngine::Ready { version: VERSION });
    bytes[0] = 9;
    assert_eq!(
        decode::<FromEngine>(&bytes),
        Err(Unreadable::Version(Some(9)))
    );
    assert_eq!(decode::<FromEngine>(&[]), Err(Unreadable::Version(None)));
    let mut long = encode(&FromEngine::Ready { version: VERSION });
    long.push(0);
    assert_eq!(decode::<FromEngine>(&long), Err(Unreadable::Malformed));
    assert_eq!(answer(&[1, 200, 200]), None);
    assert_eq!(answer(&bytes), None);
}

#[wasm_bindgen_test]
fn the_engine_derives_the_key_the_page_would() {
    let (id, key) = key_from(&answer(&ask(41, "kettle garden Tuesday")).unwrap());
    assert_eq!(id, 41);
    assert_eq!(key, derive("kettle garden Tuesday", &kdf()).unwrap());
    let (_, other) = key_from(&answer(&ask(42, "kettle garden tuesday")).unwrap());
    assert_ne!(key, other);
}

#[wasm_bindgen_test]
fn settings_over_the_limits_are_refused_not_run() {
    let greedy = Kdf {
        m: 1 << 22,
        t: 1,
        p: 1,
        salt: vec![1; 16],
    };
    let bytes = encode(&ToEngine::Ask {
        id: 1,
        request: Request::DeriveKey {
            passphrase: "kettle garden Tuesday".into(),
            kdf: greedy,
        },
    });
    match decode::<FromEngine>(&answer(&bytes).unwrap()) {
        Ok(FromEngine::Answer {
            reply: Reply::Failed(_),
            ..
        }) => {}
        other => panic!("greedy settings were run: {other:?}"),
    }
}
