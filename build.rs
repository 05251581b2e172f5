//! The frameworks the app ships (`frameworks/*.json`), made into Rust at
//! build time (`$OUT_DIR/frameworks.rs`, included by
//! `src/plan/framework.rs`): the page module then carries the frameworks'
//! values, not a JSON reader for them (issue #21, a smaller first download).
//! The files stay the source: `cargo test` reads each as JSON, checks it
//! and compares it with what was made here (`tests/framework.rs`).
//! Written by hand: a few lines of serde_json's `Value`, no crate makes
//! Rust literals of JSON.

use std::fmt::Write as _;

use serde_json::Value;

const FILES: [&str; 3] = ["scotland-national", "north-lanarkshire", "england-care-act"];

/// A framework's lists: the key, the Rust type of an item, its fields
/// (every one a string).
type ListOf = (&'static str, &'static str, &'static [&'static str]);
const LISTS: [ListOf; 4] = [
    (
        "indicators",
        "Indicator",
        &["id", "name", "question", "hint"],
    ),
    ("levels", "Level", &["id", "label", "description"]),
    (
        "routes",
        "RouteInfo",
        &["from", "name", "summary", "detail"],
    ),
    ("eligibility", "EligibilityQuestion", &["id", "question"]),
];

fn text(v: &Value, key: &str) -> String {
    format!("s({:?})", v.get(key).and_then(Value::as_str).unwrap_or(""))
}

fn list(v: &Value, key: &str, ty: &str, fields: &[&str]) -> String {
    let items = v
        .get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = String::from("vec![");
    for item in &items {
        let _ = write!(out, "{ty} {{");
        for f in fields {
            let _ = write!(out, "{f}: {},", text(item, f));
        }
        out.push_str("},");
    }
    out.push(']');
    out
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut out = String::from(
        "/// The frameworks shipped, as `build.rs` made them from `frameworks/`.\n\
         fn shipped() -> Vec<Framework> {\n    fn s(t: &str) -> String { t.to_owned() }\n    vec![\n",
    );
    for file in FILES {
        let path = format!("frameworks/{file}.json");
        println!("cargo:rerun-if-changed={path}");
        let json = std::fs::read_to_string(&path).unwrap_or_default();
        // A file that is not JSON is made as nothing here; `cargo test`
        // says what is wrong with it.
        let Ok(v) = serde_json::from_str::<Value>(&json) else {
            continue;
        };
        let kind = match v.get("kind").and_then(Value::as_str) {
            Some("care-act") => "Kind::CareAct",
            _ => "Kind::Levels",
        };
        let [indicators, levels, routes, eligibility] =
            LISTS.map(|(key, ty, fields)| list(&v, key, ty, fields));
        let _ = writeln!(
            out,
            "Framework {{ format: {}, id: {}, name: {}, description: {}, kind: {kind}, \
             indicators: {indicators}, levels: {levels}, threshold: {}, threshold_text: {}, \
             routes: {routes}, eligibility: {eligibility} }},",
            v.get("format").and_then(Value::as_u64).unwrap_or(0),
            text(&v, "id"),
            text(&v, "name"),
            text(&v, "description"),
            text(&v, "threshold"),
            text(&v, "threshold_text"),
        );
    }
    out.push_str("    ]\n}\n");
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(format!("{dir}/frameworks.rs"), out).expect("OUT_DIR is writable");
}
