//! How long the token tree takes to build and to answer key presses on a ~68,000-node token.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tokendesk::tree::TokenTree;

mod support;
use support::{big_token, select_row};

fn bench_tree(c: &mut Criterion) {
    let token = big_token();
    let base = TokenTree::new(&token);
    eprintln!("bench token: {} nodes", base.node_count());

    c.bench_function("new (68k nodes)", |b| {
        b.iter(|| TokenTree::new(black_box(&token)))
    });

    let mut expanded = base.clone();
    expanded.expand_all();
    eprintln!("expanded: {} visible rows", expanded.visible().len());

    c.bench_function("move_down (all expanded)", |b| {
        let mut tree = expanded.clone();
        b.iter(|| {
            if tree.cursor() + 1 == tree.visible().len() {
                tree.home();
            }
            tree.move_down();
            black_box(tree.cursor())
        })
    });

    // The 2,000-item array: opening splices 2,000 rows in, closing drains them.
    c.bench_function("toggle (2,000-item array)", |b| {
        let mut tree = base.clone();
        select_row(&mut tree, "Entries");
        b.iter(|| {
            tree.toggle();
            black_box(tree.visible().len())
        })
    });

    c.bench_function("toggle (one item, all expanded)", |b| {
        let mut tree = expanded.clone();
        tree.set_viewport_height(40);
        for _ in 0..1000 {
            tree.move_down();
        }
        while tree.selected().is_some_and(|id| !tree.node(id).is_branch()) {
            tree.move_down();
        }
        b.iter(|| {
            tree.toggle();
            black_box(tree.visible().len())
        })
    });

    c.bench_function("expand_all", |b| {
        let mut tree = base.clone();
        b.iter(|| {
            tree.expand_all();
            black_box(tree.visible().len())
        })
    });

    c.bench_function("collapse_all", |b| {
        let mut tree = expanded.clone();
        b.iter(|| {
            tree.collapse_all();
            black_box(tree.visible().len())
        })
    });

    c.bench_function("toggle_show_empty (all expanded)", |b| {
        let mut tree = expanded.clone();
        b.iter(|| {
            tree.toggle_show_empty();
            black_box(tree.visible().len())
        })
    });
}

criterion_group!(benches, bench_tree);
criterion_main!(benches);
