//! Movement, opening and closing, and invariants under arbitrary documents and keys.

use super::*;

// ---- movement ----

fn numbered(n: usize) -> TokenTree {
    let map: Map<String, Value> = (0..n).map(|i| (format!("f{i:03}"), json!(i))).collect();
    TokenTree::new(&Value::Object(map))
}

#[test]
fn moves_stop_at_the_ends() {
    let mut tree = numbered(5);
    tree.move_up();
    assert_eq!(tree.cursor(), 0);
    tree.move_down();
    tree.move_down();
    assert_eq!(tree.cursor(), 2);
    tree.end();
    assert_eq!(tree.cursor(), 4);
    tree.move_down();
    assert_eq!(tree.cursor(), 4);
    tree.page_down();
    assert_eq!(tree.cursor(), 4);
    tree.home();
    assert_eq!(tree.cursor(), 0);
    tree.page_up();
    assert_eq!(tree.cursor(), 0);
    assert_eq!(tree.selected(), Some(tree.visible()[0]));
}

#[test]
fn pages_move_by_the_viewport_and_keep_the_cursor_on_screen() {
    let mut tree = numbered(100);
    tree.set_viewport_height(10);
    tree.move_down();
    tree.move_down();
    tree.page_down();
    assert_eq!((tree.cursor(), tree.offset()), (12, 10));
    tree.page_down();
    assert_eq!((tree.cursor(), tree.offset()), (22, 20));
    tree.page_up();
    assert_eq!((tree.cursor(), tree.offset()), (12, 10));
    tree.end();
    assert_eq!((tree.cursor(), tree.offset()), (99, 90));
    tree.page_down();
    assert_eq!((tree.cursor(), tree.offset()), (99, 90));
    tree.page_up();
    assert_eq!((tree.cursor(), tree.offset()), (89, 80));
    tree.home();
    assert_eq!((tree.cursor(), tree.offset()), (0, 0));
    for _ in 0..15 {
        tree.move_down();
    }
    assert_eq!((tree.cursor(), tree.offset()), (15, 6));
}

#[test]
fn resizing_keeps_the_cursor_on_screen() {
    let mut tree = numbered(100);
    tree.set_viewport_height(30);
    for _ in 0..25 {
        tree.move_down();
    }
    assert_eq!(tree.offset(), 0);
    tree.set_viewport_height(5);
    assert_eq!((tree.cursor(), tree.offset()), (25, 21));
    tree.set_viewport_height(0);
    assert_eq!((tree.cursor(), tree.offset()), (25, 25));
    assert_eq!(tree.viewport_height(), 1);
    tree.end();
    tree.set_viewport_height(50);
    assert_eq!((tree.cursor(), tree.offset()), (99, 50));
    tree.set_viewport_height(500);
    assert_eq!(tree.offset(), 0);
    let on_screen: Vec<VisibleRow> = tree.screen_rows().collect();
    assert_eq!(on_screen.len(), 100);
    assert!(on_screen[99].selected && !on_screen[0].selected);
}

#[test]
fn collapsing_near_the_end_refills_the_screen() {
    let mut tree = TokenTree::new(&json!({"a": 1, "list": (0..50).collect::<Vec<_>>()}));
    tree.set_viewport_height(10);
    go_to(&mut tree, "List");
    tree.toggle();
    tree.end();
    assert_eq!(tree.offset(), 42);
    tree.collapse_or_parent();
    assert_eq!(selected_label(&tree), "List");
    tree.collapse_or_parent();
    assert_eq!((tree.cursor(), tree.offset()), (1, 0));
}

#[test]
fn expand_opens_then_enters() {
    let mut tree = TokenTree::new(&json!({"number": "AT1", "owner": {"name": "P", "x": {"y": 1}}}));
    go_to(&mut tree, "Owner");
    let owner = tree.selected();
    tree.expand_or_enter();
    assert_eq!(tree.selected(), owner);
    assert_eq!(labels(&tree), ["Number", "Owner", "Name", "X"]);
    tree.expand_or_enter();
    assert_eq!(selected_label(&tree), "Name");
    tree.expand_or_enter();
    assert_eq!(selected_label(&tree), "Name", "a leaf does not move");
    assert_eq!(labels(&tree), ["Number", "Owner", "Name", "X"]);
}

#[test]
fn expand_does_not_enter_a_branch_whose_children_are_hidden() {
    let mut tree = TokenTree::new(&json!({"owner": {"empty": {}}, "next": 1}));
    tree.toggle_show_empty();
    go_to(&mut tree, "Owner");
    tree.expand_or_enter();
    tree.expand_or_enter();
    assert_eq!(selected_label(&tree), "Empty");
    tree.expand_or_enter();
    assert!(tree.is_open(tree.selected().unwrap_or(0)));
    tree.expand_or_enter();
    assert_eq!(selected_label(&tree), "Empty", "nothing to enter");
}

#[test]
fn collapse_closes_then_goes_to_the_parent() {
    let mut tree = TokenTree::new(&json!({"number": "AT1", "owner": {"name": "P", "x": {"y": 1}}}));
    tree.expand_all();
    go_to(&mut tree, "Y");
    tree.collapse_or_parent();
    assert_eq!(selected_label(&tree), "X");
    tree.collapse_or_parent();
    assert_eq!(selected_label(&tree), "X");
    assert!(!tree.is_open(tree.selected().unwrap_or(0)));
    assert_eq!(labels(&tree), ["Number", "Owner", "Name", "X"]);
    tree.collapse_or_parent();
    assert_eq!(selected_label(&tree), "Owner");
    tree.collapse_or_parent();
    assert_eq!(labels(&tree), ["Number", "Owner"]);
    tree.collapse_or_parent();
    assert_eq!(
        selected_label(&tree),
        "Owner",
        "a top-level row has no parent"
    );
    tree.home();
    tree.collapse_or_parent();
    assert_eq!(selected_label(&tree), "Number");
}

#[test]
fn toggle_opens_and_closes_branches_only() {
    let mut tree = TokenTree::new(&json!({"number": "AT1", "owner": {"name": "P"}}));
    tree.toggle();
    assert_eq!(labels(&tree), ["Number", "Owner"]);
    tree.move_down();
    tree.toggle();
    assert_eq!(labels(&tree), ["Number", "Owner", "Name"]);
    assert_eq!(selected_label(&tree), "Owner");
    tree.toggle();
    assert_eq!(labels(&tree), ["Number", "Owner"]);
}

#[test]
fn reopening_remembers_what_was_open_inside() {
    let mut tree = TokenTree::new(&json!({"a": 1, "owner": {"x": {"y": 1}}}));
    tree.expand_all();
    go_to(&mut tree, "Owner");
    tree.toggle();
    tree.toggle();
    assert_eq!(labels(&tree), ["A", "Owner", "X", "Y"]);
}

#[test]
fn collapse_all_selects_the_top_level_ancestor() {
    let mut tree = TokenTree::new(&json!({
        "number": "AT1",
        "owner": {"x": {"y": 1}},
        "zone": {"name": "Z"},
    }));
    tree.expand_all();
    assert_eq!(labels(&tree), ["Number", "Owner", "X", "Y", "Zone", "Name"]);
    go_to(&mut tree, "Y");
    tree.collapse_all();
    assert_eq!(labels(&tree), ["Number", "Owner", "Zone"]);
    assert_eq!(selected_label(&tree), "Owner");
    tree.expand_all();
    tree.end();
    assert_eq!(selected_label(&tree), "Name");
    tree.collapse_all();
    assert_eq!(selected_label(&tree), "Zone");
    tree.home();
    tree.collapse_all();
    assert_eq!(selected_label(&tree), "Number");
}

#[test]
fn expand_all_keeps_the_selected_node() {
    let mut tree = TokenTree::new(&json!({"a": {"b": 1}, "c": {"d": 1}}));
    go_to(&mut tree, "C");
    tree.expand_all();
    assert_eq!(selected_label(&tree), "C");
    assert_eq!(tree.cursor(), 2);
}

#[test]
fn branches_start_closed_with_one_line_each() {
    let tree = TokenTree::new(&json!({"number": "AT1", "owner": {"name": "P"}}));
    assert!(!tree.is_open(find(&tree, "Owner")));
    let wrapped = TokenTree::new(&json!({"data": {"number": "AT1"}}));
    assert!(wrapped.is_open(0));
    assert_eq!(labels(&wrapped), ["Data", "Number"]);
}

// ---- invariants under arbitrary documents and keys ----

fn json_value() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "id",
        "number",
        "name",
        "day",
        "month",
        "year",
        "udf_string_1",
        "a",
        "b",
        "x\u{1b}y",
        "rewards_participant",
        "reward_participant",
        "first_name",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (0u64..40).prop_map(|n| json!(n)),
        prop::sample::select(vec![
            "",
            "x",
            "2017-09-14T12:18:01",
            "NOT_EFFECTIVE",
            "a\u{7}b"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(6, 120, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|fields| {
                Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

#[derive(Clone, Debug)]
enum Op {
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Expand,
    Collapse,
    Toggle,
    ExpandAll,
    CollapseAll,
    ShowEmpty,
    Resize(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Up),
        Just(Op::Down),
        Just(Op::PageUp),
        Just(Op::PageDown),
        Just(Op::Home),
        Just(Op::End),
        Just(Op::Expand),
        Just(Op::Collapse),
        Just(Op::Toggle),
        Just(Op::ExpandAll),
        Just(Op::CollapseAll),
        Just(Op::ShowEmpty),
        (0usize..12).prop_map(Op::Resize),
    ]
}

fn apply(tree: &mut TokenTree, op: &Op) {
    match op {
        Op::Up => tree.move_up(),
        Op::Down => tree.move_down(),
        Op::PageUp => tree.page_up(),
        Op::PageDown => tree.page_down(),
        Op::Home => tree.home(),
        Op::End => tree.end(),
        Op::Expand => tree.expand_or_enter(),
        Op::Collapse => tree.collapse_or_parent(),
        Op::Toggle => tree.toggle(),
        Op::ExpandAll => tree.expand_all(),
        Op::CollapseAll => tree.collapse_all(),
        Op::ShowEmpty => tree.toggle_show_empty(),
        Op::Resize(h) => tree.set_viewport_height(*h),
    }
}

/// Visible rows computed the slow, obvious way: every node in document order whose
/// ancestors are all open and which, like its ancestors, is not a hidden empty.
fn naive_visible(tree: &TokenTree) -> Vec<NodeId> {
    let shown = |id: NodeId| tree.show_empty() || !tree.node(id).is_empty;
    (0..tree.node_count())
        .filter(|&id| {
            let mut ok = shown(id);
            let mut parent = tree.node(id).parent;
            while let Some(p) = parent {
                ok &= tree.is_open(p) && shown(p);
                parent = tree.node(p).parent;
            }
            ok
        })
        .collect()
}

fn check(tree: &TokenTree) -> Result<(), TestCaseError> {
    let visible = tree.visible();
    if visible.is_empty() {
        prop_assert_eq!(tree.cursor(), 0);
        prop_assert_eq!(tree.offset(), 0);
    } else {
        prop_assert!(tree.cursor() < visible.len());
        prop_assert!(tree.offset() <= tree.cursor());
        prop_assert!(tree.cursor() < tree.offset() + tree.viewport_height());
    }
    for &id in visible {
        let mut parent = tree.node(id).parent;
        while let Some(p) = parent {
            prop_assert!(
                tree.is_open(p),
                "ancestor {} of visible {} is closed",
                p,
                id
            );
            parent = tree.node(p).parent;
        }
    }
    prop_assert_eq!(visible.to_vec(), naive_visible(tree));
    Ok(())
}

proptest! {
    #[test]
    fn invariants_hold_under_any_keys(doc in json_value(), ops in prop::collection::vec(op(), 0..60)) {
        let mut tree = TokenTree::new(&doc);
        check(&tree)?;
        for op in &ops {
            apply(&mut tree, op);
            check(&tree)?;
        }
    }

    #[test]
    fn structure_is_consistent(doc in json_value()) {
        let tree = TokenTree::new(&doc);
        for id in 0..tree.node_count() {
            let node = tree.node(id);
            prop_assert!(node.end > id && node.end <= tree.node_count());
            let mut children = 0;
            let mut child = node.first_child;
            let mut all_empty = true;
            while let Some(c) = child {
                prop_assert_eq!(tree.node(c).parent, Some(id));
                prop_assert!(c < node.end);
                all_empty &= tree.node(c).is_empty;
                children += 1;
                child = tree.node(c).next_sibling;
            }
            match node.kind {
                NodeKind::Leaf => prop_assert_eq!(children, 0),
                NodeKind::Object { children: n } | NodeKind::Array { children: n } => {
                    prop_assert_eq!(children, n);
                    prop_assert_eq!(node.is_empty, all_empty);
                }
            }
            if node.is_empty {
                prop_assert_eq!(node.value.as_str(), EMPTY_VALUE);
            }
            prop_assert!(doc.pointer(&tree.path(id)).is_some());
        }
    }
}
