//! The rooms of `src/` keep their shape: no two files import each other (directly or round a
//! longer circle), nor do two top-level folders; `src/` itself holds only `main.rs`,
//! `lib.rs` and a few rules everyone shares; no file name means two things; no file grows
//! past 800 lines; `api` owns HTTP alone; and the app and the view know nothing of HTTP,
//! the terminal or the API task. Read from the source, so a change that breaks the design
//! fails here rather than in a review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path inside the crate, e.g. `["console", "app", "state"]`; the crate root is
/// empty.
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

/// The `crate::` paths named in code outside `use` declarations (`crate::exit::note(..)`),
/// comments left out: they are imports too, only written where they are used.
fn inline_paths(source: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for line in source.lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            // `pub(in crate::x)` names a module as a visibility, not as an import.
            let before = &rest[..at];
            let starts_a_path = !before
                .ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
                && !before.ends_with("(in ");
            rest = &rest[at..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            if starts_a_path {
                paths.push(
                    rest[..end]
                        .split("::")
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                );
            }
            rest = &rest[end..];
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
        let source = non_test_source(file);
        for segments in use_paths(&source).into_iter().chain(inline_paths(&source)) {
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
    let circles = circles(&graph);
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

fn module(path: &str) -> Module {
    path.split("::").map(str::to_owned).collect()
}

#[test]
fn the_checker_sees_a_circle_when_there_is_one() {
    let mut graph = import_graph();
    let (state, pending) = (
        module("console::app::state"),
        module("console::app::pending"),
    );
    // The app's state imports pending; make pending import the state back.
    assert!(
        graph[&state].contains(&pending),
        "the graph holds the imports of console/app/state.rs"
    );
    graph
        .get_mut(&pending)
        .expect("console/app/pending.rs")
        .insert(state.clone());
    assert!(circle_through(&graph, &state).is_some());
}

/// The top-level rooms of `src/` and what each imports: a folder counts as one (`console`
/// for everything under `src/console/`), a file at the top as itself (`text`); the crate
/// root (`lib.rs`, `main.rs`) only wires them together and is left out.
fn room_graph(graph: &BTreeMap<Module, BTreeSet<Module>>) -> BTreeMap<Module, BTreeSet<Module>> {
    let room = |module: &Module| module.first().map(|first| vec![first.clone()]);
    let mut rooms: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, imports) in graph {
        let Some(from) = room(module) else { continue };
        let entry = rooms.entry(from.clone()).or_default();
        entry.extend(imports.iter().filter_map(room).filter(|to| *to != from));
    }
    rooms
}

fn circles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<String> {
    graph
        .keys()
        .filter_map(|module| circle_through(graph, module))
        .map(|way| {
            let names: Vec<String> = way.iter().map(name).collect();
            format!("{} -> {}", names.join(" -> "), names[0])
        })
        .collect()
}

#[test]
fn no_two_top_level_folders_import_each_other_directly_or_round_a_circle() {
    let rooms = room_graph(&import_graph());
    for room in ["api", "audit", "cli", "console", "fate", "setup", "text"] {
        assert!(
            rooms.contains_key(&module(room)),
            "{room} is a room: {rooms:?}"
        );
    }
    let circles = circles(&rooms);
    assert!(
        circles.is_empty(),
        "import circles between the rooms of src/:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_checker_sees_a_circle_between_folders_made_of_files_that_form_none() {
    // The API client importing the console's clipboard: no circle between files (the
    // clipboard imports nothing), but one between api and console.
    let mut graph = import_graph();
    graph
        .get_mut(&module("api::client"))
        .expect("api/client.rs")
        .insert(module("console::clipboard"));
    assert!(circles(&graph).is_empty(), "no circle between files");
    assert!(!circles(&room_graph(&graph)).is_empty());
}

#[test]
fn api_owns_http_alone_and_imports_none_of_the_other_folders() {
    // The rules everyone shares are allowed; the audit, the front-ends, start-up and the
    // core are not: the API task that drives audited actions belongs to the console.
    let allowed = ["api", "text", "exit", "safe_file"];
    let offences: Vec<String> = import_graph()
        .into_iter()
        .filter(|(module, _)| module.first().is_some_and(|m| m == "api"))
        .flat_map(|(module, imports)| {
            imports
                .into_iter()
                .filter(|to| !allowed.contains(&to[0].as_str()))
                .map(move |to| format!("{} imports {}", name(&module), name(&to)))
        })
        .collect();
    assert!(offences.is_empty(), "{offences:#?}");
}

/// The `.rs` files directly in `src/` beyond `main.rs` and `lib.rs`.
fn loose_files(names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|n| n.ends_with(".rs") && *n != "main.rs" && *n != "lib.rs")
        .cloned()
        .collect()
}

/// At most this many files lie loose in `src/`: the rules every room shares.
const MOST_LOOSE_FILES: usize = 4;

#[test]
fn src_holds_main_lib_and_at_most_four_other_files() {
    let names: Vec<String> = std::fs::read_dir(src())
        .expect("src/ is readable")
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(names.contains(&"lib.rs".to_owned()), "{names:?}");
    let loose = loose_files(&names);
    assert!(
        loose.len() <= MOST_LOOSE_FILES,
        "src/ holds more than main.rs, lib.rs and {MOST_LOOSE_FILES} files: {loose:?}"
    );
    let five: Vec<String> = [
        "main.rs", "lib.rs", "a.rs", "b.rs", "c.rs", "d.rs", "e.rs", "api",
    ]
    .map(str::to_owned)
    .to_vec();
    assert_eq!(loose_files(&five).len(), 5, "the count sees too many");
}

/// Names that repeat in `src/` with one meaning, each with exactly where. A name found
/// elsewhere too, or a new repeat, fails.
const SAME_MEANING: &[(&str, &[&str])] = &[
    // The batch of both front-ends, and the console's drawing of it.
    (
        "batch",
        &["cli::batch", "console::app::batch", "console::ui::batch"],
    ),
    // A console screen's state (app) and its drawing (ui) are named after the screen.
    (
        "results",
        &["console::app::results", "console::ui::results"],
    ),
    ("token", &["console::app::token", "console::ui::token"]),
    ("status", &["console::app::status", "console::ui::status"]),
    // A folder's unit tests, in a file of their own beside it.
    (
        "tests",
        &[
            "keys::tests",
            "tree::tests",
            "fate::course::tests",
            "audit::tests",
            "setup::config_file::tests",
            "console::ui::background::tests",
        ],
    ),
];

/// The names (a file's, or a folder's for its `mod.rs`) that repeat other than as allowed.
fn repeated_names(modules: &[Module]) -> Vec<String> {
    let mut by_name: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for module in modules {
        if let Some(last) = module.last() {
            by_name.entry(last).or_default().push(name(module));
        }
    }
    by_name
        .into_iter()
        .filter(|(_, places)| places.len() > 1)
        .filter(|(name, places)| {
            !SAME_MEANING.iter().any(|(allowed, at)| {
                allowed == name && places.iter().all(|p| at.contains(&p.as_str()))
            })
        })
        .map(|(name, places)| format!("{name}: {}", places.join(", ")))
        .collect()
}

#[test]
fn no_file_name_under_src_repeats_with_another_meaning() {
    let modules: Vec<Module> = modules().into_keys().collect();
    let repeated = repeated_names(&modules);
    assert!(repeated.is_empty(), "names that repeat: {repeated:#?}");
    // The check sees a repeat: a second `state` (the console's) in the simulator.
    let mut more = modules.clone();
    more.push(module("simulator::state"));
    assert_eq!(
        repeated_names(&more),
        ["state: console::app::state, simulator::state"]
    );
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
        let room: Vec<&str> = module.iter().take(2).map(String::as_str).collect();
        let forbidden: &[&str] = match room.as_slice() {
            // The app is plain state: no terminal, no HTTP, no runtime, no client.
            ["console", "app"] => &[
                "crossterm",
                "reqwest",
                "tokio",
                "api_task",
                "api::client",
                "Client",
            ],
            // The view draws (and `console/ui/terminal.rs` hands terminal events to the loop): it may
            // read the app and the API's plain types, never call the API.
            ["console", "ui"] => &["reqwest", "api_task", "api::client", "Client"],
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
