//! Flattening a JSON value into the tree's pre-order node list.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::format::{
    SUMMARY_KEYS, clean, count_items, date_parts, fold_date, format_scalar, is_empty_scalar,
    object_summary,
};
use super::label::humanize_label;
use super::order::{FieldRank, field_rank, natural_cmp};
use super::{EMPTY_VALUE, Node, NodeId, NodeKind, SCALAR_ROOT_LABEL, Segment};
use crate::mask::Mask;

/// Flattens a value with an explicit stack.
pub(super) struct Builder<'a> {
    mask: &'a Mask,
    nodes: Vec<Node>,
    last_child: Vec<Option<NodeId>>,
    /// Humanized label and shared raw key, per distinct key.
    keys: HashMap<&'a str, (String, Arc<str>)>,
}

pub(super) struct Pending<'a> {
    value: &'a Value,
    /// The field name, or `None` for an array item (then `index` counts) or a scalar root.
    key: Option<&'a str>,
    index: Option<usize>,
    parent: Option<NodeId>,
    depth: u16,
    /// Inside a field that holds personal data.
    masked: bool,
}

impl<'a> Builder<'a> {
    pub(super) fn new(mask: &'a Mask) -> Builder<'a> {
        Builder {
            mask,
            nodes: Vec::new(),
            last_child: Vec::new(),
            keys: HashMap::new(),
        }
    }

    pub(super) fn build(mut self, root: &'a Value) -> Vec<Node> {
        let mut stack: Vec<Pending<'a>> = Vec::new();
        match root {
            Value::Object(map) if date_parts(map).is_none() => {
                push_fields(&mut stack, map, None, 0, true, false);
            }
            Value::Array(items) => push_items(&mut stack, items, None, 0, false),
            scalar => stack.push(Pending {
                value: scalar,
                key: None,
                index: None,
                parent: None,
                depth: 0,
                masked: false,
            }),
        }

        let mut last_top: Option<NodeId> = None;
        while let Some(pending) = stack.pop() {
            let id = self.nodes.len();
            let previous = match pending.parent {
                Some(parent) => {
                    let previous = self.last_child[parent];
                    if previous.is_none() {
                        self.nodes[parent].first_child = Some(id);
                    }
                    self.last_child[parent] = Some(id);
                    previous
                }
                None => last_top.replace(id),
            };
            if let Some(previous) = previous {
                self.nodes[previous].next_sibling = Some(id);
            }

            let (label, segment) = match (pending.key, pending.index) {
                (Some(key), _) => {
                    let (label, shared) = self
                        .keys
                        .entry(key)
                        .or_insert_with(|| (humanize_label(key), Arc::from(key)));
                    (label.clone(), Segment::Key(Arc::clone(shared)))
                }
                (None, Some(i)) => (format!("#{}", i + 1), Segment::Index(i)),
                (None, None) => (SCALAR_ROOT_LABEL.to_owned(), Segment::Root),
            };
            let child_depth = pending.depth.saturating_add(1);
            let masked = pending.masked || pending.key.is_some_and(|k| self.mask.covers(k));
            let (kind, value, is_empty) = match pending.value {
                Value::Object(map) => match fold_date(map) {
                    Some(date) => {
                        let empty = date.is_empty();
                        (NodeKind::Leaf, clean(&date), empty)
                    }
                    None => {
                        push_fields(&mut stack, map, Some(id), child_depth, false, masked);
                        let children = map.len();
                        (
                            NodeKind::Object { children },
                            object_summary(map),
                            children == 0,
                        )
                    }
                },
                Value::Array(items) => {
                    push_items(&mut stack, items, Some(id), child_depth, masked);
                    let children = items.len();
                    (
                        NodeKind::Array { children },
                        count_items(children),
                        children == 0,
                    )
                }
                scalar => (
                    NodeKind::Leaf,
                    format_scalar(pending.key.unwrap_or(""), scalar),
                    is_empty_scalar(scalar),
                ),
            };
            // A summary that quotes a masked field is masked as a whole; an array's item
            // count says nothing about anyone.
            let hide = match (kind, pending.value) {
                (NodeKind::Array { .. }, _) => false,
                (NodeKind::Object { .. }, Value::Object(map)) => {
                    masked
                        || SUMMARY_KEYS
                            .iter()
                            .any(|key| map.contains_key(*key) && self.mask.covers(key))
                }
                _ => masked,
            };
            let (value, clear) = if hide && !is_empty && !value.is_empty() {
                (self.mask.hide(&value), Some(value))
            } else {
                (value, None)
            };
            self.nodes.push(Node {
                depth: pending.depth,
                label,
                value,
                clear,
                kind,
                parent: pending.parent,
                is_empty,
                first_child: None,
                next_sibling: None,
                end: id + 1,
                segment,
            });
            self.last_child.push(None);
        }

        // Children have larger ids than their parent: one backward pass settles subtree ends
        // and emptiness bottom-up.
        for id in (0..self.nodes.len()).rev() {
            if let Some(last) = self.last_child[id] {
                self.nodes[id].end = self.nodes[last].end;
            }
            let node = &self.nodes[id];
            let mut empty = node.is_empty;
            if node.is_branch() && !empty {
                empty = true;
                let mut child = node.first_child;
                while let Some(c) = child {
                    if !self.nodes[c].is_empty {
                        empty = false;
                        break;
                    }
                    child = self.nodes[c].next_sibling;
                }
            }
            let node = &mut self.nodes[id];
            node.is_empty = empty;
            if empty {
                node.value = EMPTY_VALUE.to_owned();
                node.clear = None;
            }
        }
        self.nodes
    }
}

pub(super) fn push_fields<'a>(
    stack: &mut Vec<Pending<'a>>,
    map: &'a Map<String, Value>,
    parent: Option<NodeId>,
    depth: u16,
    top: bool,
    masked: bool,
) {
    let mut fields: Vec<(FieldRank, &'a String, &'a Value)> = map
        .iter()
        .map(|(key, value)| (field_rank(key, value, top), key, value))
        .collect();
    fields.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| natural_cmp(a.1, b.1)));
    stack.extend(fields.into_iter().rev().map(|(_, key, value)| Pending {
        value,
        key: Some(key.as_str()),
        index: None,
        parent,
        depth,
        masked,
    }));
}

pub(super) fn push_items<'a>(
    stack: &mut Vec<Pending<'a>>,
    items: &'a [Value],
    parent: Option<NodeId>,
    depth: u16,
    masked: bool,
) {
    stack.extend(items.iter().enumerate().rev().map(|(i, value)| Pending {
        value,
        key: None,
        index: Some(i),
        parent,
        depth,
        masked,
    }));
}
