//! The crate's shape, checked. The source lives in rooms, each using only the
//! rooms before it: `plan ← doc ← store, share ← web` (`store` and `share`
//! do not use each other). `plan` keeps Automerge out of its public items;
//! no files in `src/` import each other in a circle; no file is longer
//! than 400 lines unless its opening `//!` comment says "Over 400 lines because …";
//! and no sentence for a person is written in `plan`, `doc`, `store` or
//! `share` (their words live in `web/words/`; the rule is on
//! `no_sentence_for_a_person_is_written_below_web`).
//!
//! These tests read the source text with a small tokenizer below (no `syn`):
//! comments, string and char literals and `#[cfg(test)]` items are skipped
//! (a string literal keeps its text for the sentence rule),
//! paths starting `crate::`, `super::`, `self::` or `carer_plan::` are
//! expanded (`use a::{b, c::d}` too) and resolved to the file they land in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The rooms each room must not use.
const MAY_NOT_USE: &[(&str, &[&str])] = &[
    ("plan", &["doc", "store", "share", "web"]),
    ("doc", &["store", "share", "web"]),
    ("store", &["share", "web"]),
    ("share", &["store", "web"]),
];

const MAX_LINES: usize = 400;
const LONG_FILE_REASON: &str = "Over 400 lines because";

// ---------------------------------------------------------------- the tests

#[test]
fn plan_uses_no_room_above_it() {
    let found = room_violations(&read_src(), &["plan"]);
    assert_none(found, "`plan` must not use doc, store, share or web");
}

#[test]
fn plan_has_no_automerge_in_its_public_items() {
    let mut found = Vec::new();
    for file in read_src().iter().filter(|f| f.room() == Some("plan")) {
        for line in automerge_in_public_items(&file.tokens) {
            found.push(format!("{}:{line}", file.path));
        }
    }
    assert_none(found, "Automerge appears in a public (`pub`) item of `plan`; make it `pub(crate)` or move it to `doc`");
}

#[test]
fn doc_store_and_share_use_only_the_rooms_below_them() {
    let found = room_violations(&read_src(), &["doc", "store", "share"]);
    assert_none(
        found,
        "doc may use plan; store and share may use plan and doc (not each other); none may use web",
    );
}

/// The screens show plans and say what people asked for; the documents are
/// read and changed below them (`web/app/`, and more and more the engine
/// worker: docs/engine-documents.md). An answer's box keeps the version it
/// was read at as a token (`plan::Version`), not a document's heads.
#[test]
fn no_screen_touches_a_plan_document() {
    let mut found = Vec::new();
    for file in read_src().iter().filter(|f| {
        f.module
            .as_ref()
            .is_some_and(|m| m.len() > 1 && m[0] == "web" && m[1] == "ui")
    }) {
        for t in &file.tokens {
            let document = t.literal.is_none()
                && ["PlanDoc", "automerge", "ChangeHash"].contains(&t.text.as_str());
            if document {
                found.push(format!("{}:{} {}", file.path, t.line, t.text));
            }
        }
    }
    assert_none(
        found,
        "a screen (`web/ui`) names a plan's document; ask `App` (`web/app/`) for what it shows",
    );
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let files = read_src();
    let edges = file_edges(&files);
    let circles: Vec<String> = circles(files.len(), &edges)
        .iter()
        .map(|circle| {
            let mut text = format!("a circle of {} files:", circle.len());
            for ((from, to), line) in &edges {
                if circle.contains(from) && circle.contains(to) {
                    text += &format!(
                        "\n    {}:{line} uses {}",
                        files[*from].path, files[*to].path
                    );
                }
            }
            text
        })
        .collect();
    assert_none(circles, "files in src/ import each other in a circle");
}

#[test]
fn no_file_is_over_400_lines_without_saying_why() {
    let mut found = Vec::new();
    for file in read_src() {
        let lines = file.text.lines().count();
        let opening: Vec<&str> = file
            .text
            .lines()
            .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with("//!"))
            .map(|l| l.trim_start().trim_start_matches("//!").trim())
            .collect();
        if lines > MAX_LINES && !opening.join(" ").contains(LONG_FILE_REASON) {
            found.push(format!("{}: {lines} lines", file.path));
        }
    }
    assert_none(
        found,
        &format!("split these files, or begin them with a `//!` line \"{LONG_FILE_REASON} …\""),
    );
}

/// No sentence a person reads is written in `plan/`, `doc/`, `store/` or
/// `share/`: their errors and statuses are typed values, and `web/words/`
/// turns each into words, so the wording changes without touching the
/// rooms that raise them.
///
/// The rule, on each string literal outside comments and `#[cfg(test)]`
/// items: it is a sentence for a person if it contains the whole word
/// "you", "your", "please" or "ask", or "try again" (any case), or if it
/// starts with a capital letter, has a space in it, and ends with ".", "?"
/// or "!" (after any closing quote, bracket or line break). A short
/// technical description, as automerge's errors have ("part {0} over its
/// size limit"), passes.
///
/// The plan's own words are not messages: the questionnaire (questions,
/// section titles, answer options) and the history lines written into a
/// plan's documents belong to the plan, so the files that hold them, and a
/// few single literals that are data written into a file or a document,
/// are listed below with the reason. No error or status text may be added
/// to these lists.
#[test]
fn no_sentence_for_a_person_is_written_below_web() {
    let mut found = Vec::new();
    for file in read_src() {
        let below_web = matches!(file.room(), Some("plan" | "doc" | "store" | "share"));
        if !below_web || PLAN_WORDS_FILES.iter().any(|(p, _)| *p == file.path) {
            continue;
        }
        for token in &file.tokens {
            let Some(text) = &token.literal else { continue };
            let data = PLAN_WORDS_LITERALS
                .iter()
                .any(|(p, start, _)| *p == file.path && text.starts_with(start));
            if is_a_sentence_for_a_person(text) && !data {
                found.push(format!("{}:{}: {text}", file.path, token.line));
            }
        }
    }
    assert_none(
        found,
        "plan, doc, store and share raise typed errors and statuses; their words live in web/words/",
    );
}

/// Files whose literals are the plan's own words, and why.
const PLAN_WORDS_FILES: &[(&str, &str)] = &[
    ("src/plan/questions.rs", "the wording of every question"),
    (
        "src/plan/section.rs",
        "each section's title, as the task list and history name it",
    ),
    (
        "src/plan/options.rs",
        "the answer options' labels and hints",
    ),
    (
        "src/plan/edit.rs",
        "each named change's history line, stored in the plan's documents",
    ),
    (
        "src/share/sync/consent.rs",
        "the history lines of the carer's consent to keeping in step, stored in the plan",
    ),
];

/// Single literals, by file and how they start, that are data, and why.
const PLAN_WORDS_LITERALS: &[(&str, &str, &str)] = &[
    (
        "src/plan/compare.rs",
        "How long you have been caring",
        "an answer's name as the comparison of versions lists it (the question's words)",
    ),
    (
        "src/share/exchange.rs",
        "your key worker",
        "whom a plan was shared with, written into the share's history line",
    ),
    (
        "src/share/file.rs",
        "Open this file in the Carer Support Plan app",
        "the line at the top of every share file, for someone who opens it as text",
    ),
    (
        "src/share/backup.rs",
        "Keep this file safe. To put it back",
        "the line at the top of every backup file, for someone who opens it as text",
    ),
];

/// The rule of [`no_sentence_for_a_person_is_written_below_web`].
fn is_a_sentence_for_a_person(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '\'')
        .collect();
    let addresses_a_person = ["you", "your", "please", "ask"]
        .iter()
        .any(|w| words.contains(w))
        || lower.contains("try again");
    let mut end = text;
    while let Some(shorter) = end
        .strip_suffix("\\n")
        .or_else(|| end.strip_suffix(['"', '\\', ')', '\u{201d}', ' ']))
    {
        end = shorter;
    }
    let reads_as_a_sentence = text.starts_with(|c: char| c.is_uppercase())
        && text.contains(' ')
        && end.ends_with(['.', '?', '!']);
    addresses_a_person || reads_as_a_sentence
}

#[test]
fn the_sentence_rule_tells_words_for_people_from_technical_ones() {
    for person in [
        "This file is too big. Nothing was added.",
        "Has this changed since {}?",
        "your key worker",
        "the device was busy; please try again",
        "Ask for it to be sent again",
        "Open it (\\\"Add a copy\\\").\\n\\n",
    ] {
        assert!(is_a_sentence_for_a_person(person), "{person}");
    }
    for technical in [
        "part {0} over its size limit",
        "share format {found}; reads up to {max}",
        "Salt",
        "-----BEGIN CARER SUPPORT PLAN-----",
        "Updated Caring role",
        "{0}",
        "task list",
        "what_you_do",
    ] {
        assert!(!is_a_sentence_for_a_person(technical), "{technical}");
    }
    let file = SourceFile::new(
        "src/share/x.rs",
        "// \"Please\" in a comment.\nconst A: &str = \"Try again.\";\n#[cfg(test)]\nmod tests { const B: &str = \"You.\"; }",
    );
    let literals: Vec<_> = file
        .tokens
        .iter()
        .filter_map(|t| t.literal.clone())
        .collect();
    assert_eq!(literals, ["Try again."]);
}

#[test]
fn the_resolver_finds_edges_and_circles_in_a_small_crate() {
    let files: Vec<SourceFile> = [
        ("src/lib.rs", "pub mod a; pub mod b; pub mod c;"),
        ("src/a/mod.rs", "pub mod x; pub use x::X; use crate::b::B;"),
        (
            "src/a/x.rs",
            "use super::super::c; // crate::b in a comment\nfn f() { let s = \"crate::b\"; }",
        ),
        (
            "src/b.rs",
            "use crate::{a::X, c::{self}};\n#[cfg(test)]\nmod tests { use crate::c::C; }",
        ),
        (
            "src/c.rs",
            "pub(crate) fn g() { super::b::B::new(); crate::a::x::f() }",
        ),
    ]
    .iter()
    .map(|(path, text)| SourceFile::new(path, text))
    .collect();
    let name = |i: usize| files[i].path.as_str();
    let edges: Vec<(&str, &str, usize)> = file_edges(&files)
        .iter()
        .map(|((a, b), line)| (name(*a), name(*b), *line))
        .collect();
    assert_eq!(
        edges,
        [
            ("src/a/mod.rs", "src/b.rs", 1),
            ("src/a/x.rs", "src/c.rs", 1),
            ("src/b.rs", "src/a/mod.rs", 1),
            ("src/b.rs", "src/c.rs", 1),
            ("src/c.rs", "src/a/x.rs", 1),
            ("src/c.rs", "src/b.rs", 1),
        ]
    );
    let found: Vec<Vec<&str>> = circles(files.len(), &file_edges(&files))
        .iter()
        .map(|c| c.iter().map(|&i| name(i)).collect())
        .collect();
    assert_eq!(
        found,
        [vec!["src/a/mod.rs", "src/a/x.rs", "src/b.rs", "src/c.rs"]]
    );

    let plan = SourceFile::new(
        "src/plan/d.rs",
        "pub(crate) fn ok(o: &automerge::ObjId) {}\npub fn bad(\n    o: &automerge::ObjId,\n) {}\nuse super::super::doc::X;",
    );
    assert_eq!(automerge_in_public_items(&plan.tokens), [3]);
    assert_eq!(
        room_violations(&[plan], &["plan"]),
        ["src/plan/d.rs:5 uses crate::doc::X"]
    );
    let store = SourceFile::new(
        "src/store/mod.rs",
        "use crate::{doc::PlanDoc, share::file};",
    );
    assert_eq!(
        room_violations(&[store], &["store"]),
        ["src/store/mod.rs:1 uses crate::share::file"]
    );
}

/// Fails, saying `rule` and listing each place that breaks it, if there are any.
fn assert_none(found: Vec<String>, rule: &str) {
    assert!(found.is_empty(), "{rule}:\n{}", found.join("\n"));
}

// ------------------------------------------------------- reading the source

/// One `.rs` file under `src/`, as tokens with their line numbers.
struct SourceFile {
    path: String,
    /// `src/a/b.rs` and `src/a/b/mod.rs` are `["a", "b"]`; `src/lib.rs` is `[]`.
    /// `None` for `src/main.rs`, which is another crate.
    module: Option<Vec<String>>,
    text: String,
    tokens: Vec<Token>,
}

impl SourceFile {
    fn new(path: &str, text: &str) -> Self {
        let inside = path
            .strip_prefix("src/")
            .unwrap()
            .strip_suffix(".rs")
            .unwrap();
        let module = match inside {
            "lib" => Some(vec![]),
            "main" => None,
            _ => Some(
                inside
                    .trim_end_matches("/mod")
                    .split('/')
                    .map(String::from)
                    .collect(),
            ),
        };
        SourceFile {
            path: path.into(),
            module,
            text: text.into(),
            tokens: without_test_items(tokenize(text)),
        }
    }

    fn room(&self) -> Option<&str> {
        self.module.as_ref()?.first().map(String::as_str)
    }
}

fn read_src() -> Vec<SourceFile> {
    fn walk(dir: &Path, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let root = Path::new(env!("CARGO_MANIFEST_DIR"));
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(SourceFile::new(
                    &rel,
                    &std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files
}

#[derive(Debug, Clone)]
struct Token {
    line: usize,
    text: String,
    /// A string literal's text as written between its quotes (escapes
    /// as written); `None` for any other token.
    literal: Option<String>,
}

/// The file's code as identifiers, numbers and punctuation (`::`, `->`,
/// `=>` are one token each). Comments are dropped; every string or char
/// literal becomes one `"…"` token.
fn tokenize(text: &str) -> Vec<Token> {
    let c: Vec<char> = text.chars().collect();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    let at = |i: usize, s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, ch)| c.get(i + k) == Some(&ch))
    };
    while i < c.len() {
        let start_line = line;
        let mut push = |text: String, literal: Option<String>| {
            out.push(Token {
                line: start_line,
                text,
                literal,
            })
        };
        if c[i] == '\n' {
            line += 1;
            i += 1;
        } else if c[i].is_whitespace() {
            i += 1;
        } else if at(i, "//") {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if at(i, "/*") {
            let mut depth = 0;
            loop {
                if at(i, "/*") {
                    depth += 1;
                    i += 2;
                } else if at(i, "*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += (c[i] == '\n') as usize;
                    i += 1;
                }
            }
        } else if c[i] == '"' || (c[i] == 'b' && c.get(i + 1) == Some(&'"')) {
            i += if c[i] == 'b' { 2 } else { 1 };
            let s = i;
            while c[i] != '"' {
                i += (c[i] == '\\') as usize; // skip what a backslash escapes
                line += (c[i] == '\n') as usize;
                i += 1;
            }
            i += 1;
            push("\"…\"".into(), Some(c[s..i - 1].iter().collect()));
        } else if at(i, "r\"") || at(i, "r#\"") || at(i, "r##") || at(i, "br\"") || at(i, "br#") {
            // A raw string: r"…", r#"…"#, br##"…"## and so on.
            i += if c[i] == 'b' { 2 } else { 1 };
            let hashes = c[i..].iter().take_while(|&&ch| ch == '#').count();
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            i += hashes + 1;
            let s = i;
            while !at(i, &close) {
                line += (c[i] == '\n') as usize;
                i += 1;
            }
            push("\"…\"".into(), Some(c[s..i].iter().collect()));
            i += close.len();
        } else if c[i] == '\'' && (c.get(i + 1) == Some(&'\\') || c.get(i + 2) == Some(&'\'')) {
            // A char literal ('a', '\n', '\u{1F600}'); otherwise it is a lifetime.
            i += if c[i + 1] == '\\' { 3 } else { 2 };
            while c[i] != '\'' {
                i += 1;
            }
            i += 1;
            push("\"…\"".into(), None);
        } else if c[i].is_alphanumeric() || c[i] == '_' {
            let s = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            push(c[s..i].iter().collect(), None);
        } else if at(i, "::") || at(i, "->") || at(i, "=>") {
            push(c[i..i + 2].iter().collect(), None);
            i += 2;
        } else {
            push(c[i].to_string(), None);
            i += 1;
        }
    }
    out
}

/// Drops every item marked `#[cfg(test)]` (usually `mod tests { … }`): the
/// attribute, then everything up to the item's `;` or its closing `}`.
fn without_test_items(tokens: Vec<Token>) -> Vec<Token> {
    const CFG_TEST: [&str; 7] = ["#", "[", "cfg", "(", "test", ")", "]"];
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_cfg_test = tokens.len() >= i + CFG_TEST.len()
            && tokens[i..i + CFG_TEST.len()]
                .iter()
                .zip(CFG_TEST)
                .all(|(t, s)| t.text == s);
        if !is_cfg_test {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        i += CFG_TEST.len();
        let mut depth = 0;
        while i < tokens.len() {
            let t = tokens[i].text.as_str();
            i += 1;
            match t {
                "{" => depth += 1,
                "}" if depth == 1 => break,
                "}" => depth -= 1,
                ";" if depth == 0 => break,
                _ => {}
            }
        }
    }
    out
}

// ---------------------------------------------------------- paths and rooms

/// A path in the code, resolved from the crate root: `super::x` in
/// `src/a/b.rs` is `["a", "x"]`.
struct CratePath {
    line: usize,
    segments: Vec<String>,
}

/// Every path in a file that starts with `crate`, `super`, `self` or
/// `carer_plan` (the crate's own name), with `use` groups expanded.
/// Inline `mod name { … }` blocks count for `super` and `self`.
fn crate_paths(file: &SourceFile) -> Vec<CratePath> {
    let Some(module) = &file.module else {
        return vec![];
    };
    let t = &file.tokens;
    let text = |i: usize| t.get(i).map_or("", |t| t.text.as_str());
    let mut inline_mods: Vec<(String, usize)> = Vec::new(); // (name, brace depth it opened at)
    let mut depth = 0;
    let mut out = Vec::new();
    for i in 0..t.len() {
        match text(i) {
            "{" => {
                if i >= 2 && text(i - 2) == "mod" {
                    inline_mods.push((text(i - 1).into(), depth));
                }
                depth += 1;
            }
            "}" => {
                depth -= 1;
                if inline_mods.last().is_some_and(|(_, d)| *d == depth) {
                    inline_mods.pop();
                }
            }
            "crate" | "super" | "self" | "carer_plan"
                if text(i + 1) == "::" && (i == 0 || text(i - 1) != "::") =>
            {
                let here: Vec<String> = module
                    .iter()
                    .cloned()
                    .chain(inline_mods.iter().map(|(m, _)| m.clone()))
                    .collect();
                for path in read_use_tree(t, i).0 {
                    if let Some(segments) = from_crate_root(&here, &path) {
                        out.push(CratePath {
                            line: t[i].line,
                            segments,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Reads a path from `tokens[i]` on, `a::b::{c, d::{self, e}}` included,
/// and returns each full path it spells (here `a::b::c`, `a::b::d::self`,
/// `a::b::d::e`) and where it ends.
fn read_use_tree(tokens: &[Token], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let text = |i: usize| tokens.get(i).map_or("", |t| t.text.as_str());
    let mut prefix: Vec<String> = Vec::new();
    loop {
        let word = text(i);
        if word == "{" {
            let mut paths = Vec::new();
            i += 1;
            while !matches!(text(i), "}" | "") {
                let (inner, next) = read_use_tree(tokens, i);
                paths.extend(inner.into_iter().map(|p| [prefix.clone(), p].concat()));
                i = next + (text(next) == ",") as usize;
            }
            return (paths, i + 1);
        }
        if !word.starts_with(|ch: char| ch.is_alphanumeric() || ch == '_') {
            break; // `*`, `<`, `(` …: the path ends here.
        }
        prefix.push(word.into());
        i += 1;
        if text(i) != "::" {
            break;
        }
        i += 1;
    }
    if text(i) == "as" {
        i += 2;
    }
    (vec![prefix], i)
}

/// The path as seen from the crate root, for a path written in module `here`;
/// `None` if it does not start in this crate or climbs above the root.
fn from_crate_root(here: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut rest = path.iter().map(String::as_str).peekable();
    let mut at: Vec<String> = match rest.next()? {
        "crate" | "carer_plan" => vec![],
        "self" => here.to_vec(),
        "super" => {
            let mut at = here.to_vec();
            at.pop()?;
            while rest.peek() == Some(&"super") {
                rest.next();
                at.pop()?;
            }
            at
        }
        _ => return None,
    };
    at.extend(rest.filter(|s| *s != "self").map(String::from));
    Some(at)
}

/// Each use of a room that `rooms` may not use, as "file:line uses path".
fn room_violations(files: &[SourceFile], rooms: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let Some(room) = file.room().filter(|r| rooms.contains(r)) else {
            continue;
        };
        let forbidden = MAY_NOT_USE
            .iter()
            .find(|(r, _)| *r == room)
            .map_or(&[][..], |(_, f)| f);
        for path in crate_paths(file) {
            if path
                .segments
                .first()
                .is_some_and(|s| forbidden.contains(&s.as_str()))
            {
                found.push(format!(
                    "{}:{} uses crate::{}",
                    file.path,
                    path.line,
                    path.segments.join("::")
                ));
            }
        }
    }
    found
}

/// Lines where `automerge` (or a name imported from it) appears in the
/// signature of a `pub` item: from `pub` to the item's `{`, `;` or, for a
/// field, its `,`. `pub(crate)`, `pub(super)` and `pub(in …)` are not public.
fn automerge_in_public_items(tokens: &[Token]) -> Vec<usize> {
    let mut names: BTreeSet<String> = BTreeSet::from(["automerge".into()]);
    for (i, t) in tokens.iter().enumerate() {
        if t.text == "automerge" && i > 0 && tokens[i - 1].text == "use" {
            for path in read_use_tree(tokens, i).0 {
                names.extend(path.last().filter(|s| *s != "self").cloned());
            }
        }
    }
    let mut lines = BTreeSet::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.text != "pub" || tokens.get(i + 1).is_some_and(|t| t.text == "(") {
            continue;
        }
        let mut nesting = 0; // of (), [] and <>
        for t in &tokens[i + 1..] {
            match t.text.as_str() {
                "{" | "}" | ";" => break,
                "," if nesting == 0 => break,
                "(" | "[" | "<" => nesting += 1,
                ")" | "]" | ">" => nesting -= 1,
                word if names.contains(word) => {
                    lines.insert(t.line);
                }
                _ => {}
            }
        }
    }
    lines.into_iter().collect()
}

// ------------------------------------------------------------------ circles

/// `(from, to) → first line` for each file that uses another, leaving out a
/// module's uses of its own ancestors and descendants (`mod.rs` re-exporting
/// its children, a child using its parent's re-exports).
fn file_edges(files: &[SourceFile]) -> BTreeMap<(usize, usize), usize> {
    let by_module: BTreeMap<&[String], usize> = files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((f.module.as_deref()?, i)))
        .collect();
    let mut edges = BTreeMap::new();
    for (from, file) in files.iter().enumerate() {
        let Some(module) = &file.module else { continue };
        for path in crate_paths(file) {
            // The longest prefix of the path that is a module file.
            let Some(&to) = (0..=path.segments.len())
                .rev()
                .find_map(|n| by_module.get(&path.segments[..n]))
            else {
                continue;
            };
            let target = files[to].module.as_deref().unwrap();
            if !module.starts_with(target) && !target.starts_with(module) {
                edges.entry((from, to)).or_insert(path.line);
            }
        }
    }
    edges
}

/// The groups of two or more files that can each reach the others
/// (strongly connected components), found by a search from every file.
fn circles(n: usize, edges: &BTreeMap<(usize, usize), usize>) -> Vec<Vec<usize>> {
    let reach: Vec<BTreeSet<usize>> = (0..n)
        .map(|start| {
            let (mut seen, mut todo) = (BTreeSet::new(), vec![start]);
            while let Some(at) = todo.pop() {
                for &(_, to) in edges.keys().filter(|(from, _)| *from == at) {
                    if seen.insert(to) {
                        todo.push(to);
                    }
                }
            }
            seen
        })
        .collect();
    let mut found: Vec<Vec<usize>> = Vec::new();
    for a in 0..n {
        let circle: Vec<usize> = (0..n)
            .filter(|&b| reach[a].contains(&b) && reach[b].contains(&a))
            .collect();
        if circle.len() > 1 && !found.contains(&circle) {
            found.push(circle);
        }
    }
    found
}
