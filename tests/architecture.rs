//! The rooms of `src/` keep their shape: no two files import each other (directly or round a
//! longer circle), no file grows past 800 lines, and the app and the view know nothing of
//! HTTP, the terminal or the API task. Read from the source, so a change that breaks the
//! design fails here rather than in a review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path inside the crate, e.g. `["app", "state"]`; the crate root is empty.
type Module = Vec<String>;

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("src/ is readable");
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every file of `src/` with its module path.
fn modules() -> BTreeMap<Module, PathBuf> {
    let root = src();
    let mut files = Vec::new();
    source_files(&root, &mut files);
    files
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&root).expect("under src/");
            let mut module: Module = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            (module, path)
        })
        .collect()
}

/// The text of a file without its `#[cfg(test)]` module: tests may import what they like.
fn non_test_source(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a readable source file");
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The paths named by the `use` declarations of a file, one level of braces expanded:
/// `use super::{a::B, c};` gives `super::a::B` and `super::c`.
fn use_paths(source: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("use ") {
        let before = &rest[..at];
        rest = &rest[at + 4..];
        // Only declarations: `use` at the start of a line, after optional `pub(...)`.
        let line_start = before.rsplit('\n').next().unwrap_or("").trim();
        if !(line_start.is_empty() || line_start.starts_with("pub")) {
            continue;
        }
        let Some(end) = rest.find(';') else { break };
        let declaration: String = rest[..end].chars().filter(|c| !c.is_whitespace()).collect();
        rest = &rest[end..];
        let items: Vec<String> = match declaration.split_once('{') {
            Some((prefix, inner)) => split_top_level(inner.strip_suffix('}').unwrap_or(inner))
                .into_iter()
                .map(|item| format!("{prefix}{item}"))
                .collect(),
            None => vec![declaration],
        };
        for item in items {
            paths.push(
                item.split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            );
        }
    }
    paths
}

fn split_top_level(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The files each file imports (itself left out).
fn import_graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let modules = modules();
    let resolve = |path: &[String]| -> Option<Module> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|candidate| modules.contains_key(candidate))
    };
    let mut graph = BTreeMap::new();
    for (module, file) in &modules {
        let mut imports = BTreeSet::new();
        for segments in use_paths(&non_test_source(file)) {
            let Some(first) = segments.first() else {
                continue;
            };
            let absolute: Vec<String> = match first.as_str() {
                "crate" => segments[1..].to_vec(),
                "super" => {
                    let supers = segments.iter().take_while(|s| *s == "super").count();
                    let mut path = module[..module.len().saturating_sub(supers)].to_vec();
                    path.extend_from_slice(&segments[supers..]);
                    path
                }
                "self" => [module.as_slice(), &segments[1..]].concat(),
                child
                    if modules.contains_key(&[module.as_slice(), &[child.to_owned()]].concat()) =>
                {
                    [module.as_slice(), &segments].concat()
                }
                _ => continue,
            };
            if let Some(target) = resolve(&absolute).filter(|t| t != module) {
                imports.insert(target);
            }
        }
        graph.insert(module.clone(), imports);
    }
    graph
}

fn name(module: &Module) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

/// Files from which `from` is reached again by following imports.
fn circle_through(
    graph: &BTreeMap<Module, BTreeSet<Module>>,
    from: &Module,
) -> Option<Vec<Module>> {
    // Depth-first search for a path back to `from`, remembering the way.
    let mut stack = vec![(from.clone(), vec![from.clone()])];
    let mut seen = BTreeSet::new();
    while let Some((module, way)) = stack.pop() {
        for next in graph.get(&module).into_iter().flatten() {
            if next == from {
                return Some(way);
            }
            if seen.insert(next.clone()) {
                let mut longer = way.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn no_two_files_import_each_other_directly_or_round_a_circle() {
    let graph = import_graph();
    assert!(
        graph.len() > 50,
        "the source files were found: {}",
        graph.len()
    );
    let circles: Vec<String> = graph
        .keys()
        .filter_map(|module| circle_through(&graph, module))
        .map(|way| {
            let names: Vec<String> = way.iter().map(name).collect();
            format!("{} -> {}", names.join(" -> "), names[0])
        })
        .collect();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_checker_sees_a_circle_when_there_is_one() {
    let mut graph = import_graph();
    // app::state imports app::pending; make pending import state back.
    assert!(
        graph[&vec!["app".to_owned(), "state".to_owned()]]
            .contains(&vec!["app".to_owned(), "pending".to_owned()]),
        "the graph holds the imports of app/state.rs"
    );
    graph
        .get_mut(&vec!["app".to_owned(), "pending".to_owned()])
        .expect("app/pending.rs")
        .insert(vec!["app".to_owned(), "state".to_owned()]);
    assert!(circle_through(&graph, &vec!["app".to_owned(), "state".to_owned()]).is_some());
}

#[test]
fn use_declarations_are_read_with_their_braces() {
    let paths =
        use_paths("use super::{a::B, c::{D, E}};\npub use crate::x::Y;\n// a use of words\n");
    let joined: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(joined, ["super::a::B", "super::c::{D,E}", "crate::x::Y"]);
}

#[test]
fn no_file_under_src_is_longer_than_800_lines() {
    let long: Vec<String> = modules()
        .values()
        .filter_map(|path| {
            let lines = std::fs::read_to_string(path).ok()?.lines().count();
            (lines > 800).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over 800 lines: {long:?}");
}

#[test]
fn the_app_and_the_view_know_nothing_of_http_or_the_api_task() {
    let modules = modules();
    let mut offences = Vec::new();
    for (module, path) in &modules {
        let room = module.first().map(String::as_str);
        let forbidden: &[&str] = match room {
            // The app is plain state: no terminal, no HTTP, no runtime, no client.
            Some("app") => &[
                "crossterm",
                "reqwest",
                "tokio",
                "api::task",
                "api::client",
                "Client",
            ],
            // The view draws (and `ui/terminal.rs` hands terminal events to the loop): it may
            // read the app and the API's plain types, never call the API.
            Some("ui") => &["reqwest", "api::task", "api::client", "Client"],
            _ => continue,
        };
        let source = non_test_source(path);
        for word in forbidden {
            if source.contains(word) {
                offences.push(format!("{} names {word}", path.display()));
            }
        }
    }
    assert!(offences.is_empty(), "{offences:#?}");
}
