//! Tests of the token tree; helpers shared by the reading and moving tests.

use super::format::format_scalar;
use super::label::humanize_label;
use super::*;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

mod moving;
mod reading;

const NOT_EFFECTIVE: &str =
    include_str!("../../../tests/fixtures/set_as_not_effective.response.json");
const DELETED: &str = include_str!("../../../tests/fixtures/delete.response.json");

fn data(response: &str) -> Value {
    let parsed: Value = serde_json::from_str(response).expect("fixture is JSON");
    parsed.get("data").cloned().expect("fixture has data")
}

/// The visible rows as (depth, label, value).
fn rows(tree: &TokenTree) -> Vec<(u16, String, String)> {
    tree.visible()
        .iter()
        .map(|&id| {
            let n = tree.node(id);
            (n.depth, n.label.clone(), tree.value(id).to_owned())
        })
        .collect()
}

fn labels(tree: &TokenTree) -> Vec<String> {
    rows(tree).into_iter().map(|(_, l, _)| l).collect()
}

fn selected_label(tree: &TokenTree) -> String {
    tree.selected()
        .map(|id| tree.node(id).label.clone())
        .unwrap_or_default()
}

/// Moves the cursor down from the top to the first row labelled `label`.
fn go_to(tree: &mut TokenTree, label: &str) {
    tree.home();
    while selected_label(tree) != label {
        let before = tree.cursor();
        tree.move_down();
        assert_ne!(before, tree.cursor(), "no visible row labelled {label}");
    }
}

fn find(tree: &TokenTree, label: &str) -> NodeId {
    (0..tree.node_count())
        .find(|&id| tree.node(id).label == label)
        .expect("node exists")
}
