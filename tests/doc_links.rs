//! The documents a newcomer reads hold together: every relative link in
//! README.md, ARCHITECTURE.md, BENCHMARKS.md and docs/*.md points at a file
//! that exists, every `#anchor` at a heading of the file it names (GitHub's
//! rule for heading ids), and the README fits on a page.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The README's length a newcomer can read through.
const README_MAX_LINES: usize = 250;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn documents() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("a docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    let mut all: Vec<PathBuf> = ["README.md", "ARCHITECTURE.md", "BENCHMARKS.md"]
        .iter()
        .map(|f| root().join(f))
        .collect();
    all.extend(docs);
    all
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines outside fenced code blocks.
fn outside_fences(text: &str) -> Vec<&str> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push(line);
        }
    }
    out
}

/// The lines outside fenced code blocks, with inline code spans removed.
fn prose(text: &str) -> Vec<String> {
    outside_fences(text)
        .into_iter()
        .map(|line| line.split('`').step_by(2).collect::<Vec<_>>().join(""))
        .collect()
}

/// The ids GitHub gives the headings of a Markdown text: lower case, spaces
/// to hyphens, other punctuation dropped; a repeated id gets `-1`, `-2`….
fn anchors(text: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    for line in outside_fences(text) {
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if hashes == 0 || hashes > 6 || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base: String = line[hashes..]
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let mut id = base.clone();
        let mut n = 0;
        while !ids.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
    }
    ids
}

/// Every link target written `[text](target)` or `![alt](target)` (the text
/// may run over lines), without a title after it, and every `src="target"`
/// of an HTML image.
fn targets(text: &str) -> Vec<String> {
    let joined = prose(text).join("\n");
    let markdown = joined
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|t| t.split_whitespace().next().unwrap_or("").to_string());
    let html = joined
        .split("src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string);
    markdown.chain(html).collect()
}

fn is_external(target: &str) -> bool {
    target.contains("://") || target.starts_with("mailto:")
}

#[test]
fn every_relative_link_and_anchor_in_the_documents_resolves() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for doc in documents() {
        let text = read(&doc);
        let dir = doc.parent().expect("a folder");
        for target in targets(&text) {
            if is_external(&target) {
                continue;
            }
            checked += 1;
            let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let file = if path.is_empty() {
                doc.clone()
            } else {
                dir.join(path)
            };
            let name = doc
                .strip_prefix(root())
                .unwrap_or(&doc)
                .display()
                .to_string();
            if !file.exists() {
                broken.push(format!("{name}: {target} (no such file)"));
            } else if !anchor.is_empty()
                && file.extension().is_some_and(|e| e == "md")
                && !anchors(&read(&file)).contains(anchor)
            {
                broken.push(format!("{name}: {target} (no such heading)"));
            }
        }
    }
    assert!(
        checked > 20,
        "only {checked} links found: is the link reader broken?"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_readme_fits_on_a_page() {
    let lines = read(&root().join("README.md")).lines().count();
    assert!(
        lines <= README_MAX_LINES,
        "README.md has {lines} lines, at most {README_MAX_LINES}: move the detail into docs/"
    );
}

#[test]
fn heading_ids_follow_githubs_rule() {
    let ids = anchors("# Returns (CSV)\n## Live sync: keeping in step\n```\n# not a heading\n```\n## Limits\n## Limits\n## `trunk` and the build\n");
    let want = [
        "returns-csv",
        "live-sync-keeping-in-step",
        "limits",
        "limits-1",
        "trunk-and-the-build",
    ];
    assert_eq!(ids, want.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        targets("see [the\nformat](docs/formats.md#x) and ![a](img/a.png \"t\") but not `[x](y)`\n<img src=\"b.png\" alt=\"b\">"),
        ["docs/formats.md#x", "img/a.png", "b.png"]
    );
}
