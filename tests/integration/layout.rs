//! The core's module graph, read from its sources (`crate::` paths outside `#[cfg(test)]`): no two modules
//! import each other, even through others; storage and the op log name no record module; derived rows are
//! refreshed from one registry.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/core/src")
}

/// Every `.rs` file under `dir`, as its module path (`records::application::list`) and its text.
fn modules(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("read the core's sources") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            modules(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("under src").with_extension("");
            let name =
                relative.iter().map(|p| p.to_string_lossy().into_owned()).collect::<Vec<_>>().join("::");
            let text = std::fs::read_to_string(&path).expect("read a source file");
            // Tests may import anything.
            let text = text.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
            out.insert(name, text);
        }
    }
}

/// The paths a source names after `crate::`, groups (`crate::{a, b::{c, d}}`) expanded.
fn crate_paths(text: &str) -> Vec<String> {
    /// Reads a path (or a `{…}` group of them) at `i`, after `prefix`; returns where it ends.
    fn path_at(chars: &[char], mut i: usize, prefix: &str, out: &mut Vec<String>) -> usize {
        let mut path = prefix.to_owned();
        loop {
            if chars.get(i) == Some(&'{') {
                i += 1;
                loop {
                    while chars.get(i).is_some_and(|c| c.is_whitespace() || *c == ',') {
                        i += 1;
                    }
                    match chars.get(i) {
                        Some('}') | None => return i + 1,
                        _ => i = path_at(chars, i, &path, out),
                    }
                    // Skip `as alias`.
                    while chars.get(i).is_some_and(|c| *c != ',' && *c != '}') {
                        i += 1;
                    }
                }
            }
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            path.push_str(&chars[start..i].iter().collect::<String>());
            if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
                i += 2;
                path.push_str("::");
            } else {
                out.push(path);
                return i;
            }
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 7 <= chars.len() {
        if chars[i..i + 7].iter().collect::<String>() == "crate::"
            && (i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '_'))
        {
            i = path_at(&chars, i + 7, "", &mut out);
        } else {
            i += 1;
        }
    }
    out
}

/// Module → the other modules it imports (the longest module prefix of each path it names).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = core_src();
    let mut sources = BTreeMap::new();
    modules(&root, &root, &mut sources);
    let names: BTreeSet<String> = sources.keys().cloned().collect();
    let mut graph = BTreeMap::new();
    for (module, text) in &sources {
        let mut imports = BTreeSet::new();
        for path in crate_paths(text) {
            let parts: Vec<&str> = path.split("::").collect();
            let target = (1..=parts.len()).rev().map(|n| parts[..n].join("::")).find(|p| names.contains(p));
            if let Some(target) = target.filter(|t| t != module && t != "lib" && t != "error") {
                imports.insert(target);
            }
        }
        graph.insert(module.clone(), imports);
    }
    graph
}

#[test]
fn the_parser_expands_nested_groups_and_aliases() {
    let paths = crate_paths(
        "use crate::{store, records::{partner, call::{self as c}}};\nlet x = crate::oplog::apply;",
    );
    assert_eq!(paths, ["store", "records::partner", "records::call::self", "oplog::apply"]);
}

#[test]
fn no_core_module_imports_another_that_imports_it_back() {
    let graph = graph();
    assert!(graph.len() > 20, "the core's modules were found ({})", graph.len());
    // Depth-first search for a back edge, reporting the circle found.
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, bool>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        state.insert(node, true);
        stack.push(node);
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(true) => {
                    let from = stack.iter().position(|n| *n == next).unwrap_or(0);
                    let mut circle: Vec<String> = stack[from..].iter().map(|s| s.to_string()).collect();
                    circle.push(next.clone());
                    return Some(circle);
                }
                Some(false) => {}
                None => {
                    if let Some(circle) = visit(next, graph, state, stack) {
                        return Some(circle);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node, false);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            let circle = visit(node, &graph, &mut state, &mut Vec::new());
            assert!(
                circle.is_none(),
                "core modules import each other in a circle: {}",
                circle.unwrap_or_default().join(" → ")
            );
        }
    }
}

#[test]
fn storage_and_the_op_log_name_no_record_module() {
    let graph = graph();
    let allowed: BTreeSet<&str> = ["clock", "text", "store", "store::tx", "oplog"].into();
    for (module, imports) in &graph {
        if module == "store"
            || module.starts_with("store::")
            || module == "oplog"
            || module.starts_with("oplog::")
        {
            let foreign: Vec<&String> = imports.iter().filter(|i| !allowed.contains(i.as_str())).collect();
            assert!(foreign.is_empty(), "{module} must stay below the records, yet imports {foreign:?}");
        }
    }
    let derive = graph.get("derive").expect("derive.rs exists");
    assert!(derive.contains("records::partner"), "derive holds the registry of the records' refreshes");
}

#[test]
fn only_derive_refreshes_another_records_derived_rows() {
    // A record module refreshes its own rows; reaching into another's refresh or reassessment is derive's.
    let root = core_src();
    let mut sources = BTreeMap::new();
    modules(&root, &root, &mut sources);
    for (module, text) in sources.iter().filter(|(m, _)| m.starts_with("records::")) {
        for path in crate_paths(text) {
            let refreshes =
                path.ends_with("::refresh") || path.ends_with("::reassess") || path.ends_with("::recount");
            assert!(
                !refreshes || path.starts_with(module.as_str()),
                "{module} calls {path}: leave it to derive"
            );
        }
    }
}
