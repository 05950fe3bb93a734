//! The access token as a flattened tree: labels that read as words, hidden empties, open nodes.
//!
//! # Layout
//! Every node of the document lives in one `Vec<Node>` in pre-order (a parent comes before its
//! children, a subtree is one contiguous id range `id..end`). Each node knows its parent,
//! its first child, its next sibling and where its subtree ends, so moving, opening, closing and
//! listing visible rows never walk the whole document (the idea of jless's `flatjson`).
//! The visible rows are cached in `visible()`, sorted by id (pre-order), and patched in place
//! when one branch opens or closes; only building, `expand_all`, `collapse_all`,
//! `toggle_show_empty` and `adopt_view_of` (after a re-read) rebuild them. Cursor moves never touch the cache. Building uses an explicit stack, so any
//! depth of nesting is fine.
//!
//! The root value itself is not a row: an object's fields (or an array's items) are the rows at
//! depth 0; a scalar root is one leaf labelled "Value".
//!
//! # Labels and values
//! - Field names go through [`humanize_label`]; array items are `#1`, `#2`, ...;
//!   `rewards_participant` and `reward_participant` both read "Rewards participant"; a key
//!   that is `""` reads "(empty key)", one with nothing printable "(blank key)".
//! - Scalars go through [`format_scalar`]: date-times read "14 Sep 2017 12:18:01", booleans
//!   "yes"/"no", numbers as written, other strings as they are.
//! - An object whose keys are only `day`, `month` and `year` is ONE leaf: "3 March 1985",
//!   "3 March", "1985".
//! - A branch's `value` is a one-line summary picked from well-known keys (`number · name`,
//!   `name`, `person_name`, `username`, `company_name`, first + last name, `code`,
//!   `alternative_code`); an array's is "3 items".
//! - Every label and value is passed through [`crate::text::sanitize`] and cut to
//!   [`MAX_VALUE_CHARS`] characters.
//! - A key the server sent twice in one object shows its last value, and its label ends in
//!   [`REPEATED_MARK`] ([`TokenTree::from_document`]).
//!
//! # Empty nodes
//! A node is empty when it is null, `""`, `{}`, `[]`, a day/month/year object of nulls, or a
//! branch all of whose descendants are empty. Empty nodes are hidden until
//! [`TokenTree::toggle_show_empty`]; when shown, EVERY empty node (leaf or branch) reads
//! [`EMPTY_VALUE`] ("—").
//!
//! # Ordering within an object
//! - Top level (the token): `number`, `life_cycle_state`, `authentication_code`, `identifier`,
//!   `card_masked_number`, `classification`, rewards participant (either spelling),
//!   `accounts_receivable`, `verified_by_user`, `verified_date`, `verification_code`,
//!   `card_last_4_digits`; then unknown scalars, then unknown branches (each alphabetically);
//!   then the `udf_*` fields; then `log_information`; `id` last.
//! - Nested objects: scalars (and folded dates) before branches; within each group the
//!   well-known keys in a fixed priority (`number`, `name`, `person_name`, `username`, ...),
//!   then unknown keys alphabetically; `id` last.
//! - "Alphabetically" is a natural order: `udf_string_2` comes before `udf_string_10`.
//! - Array items keep their order.
//!
//! # Initially open
//! Every branch starts closed, so the first screen shows the token's own fields and one summary
//! line per section. Exception: when the document has exactly one visible top-level row and it
//! is a branch (a wrapper), that row starts open.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::api::Document;
use crate::text::{sanitize, truncate_chars};

/// Index of a node in the tree (its pre-order position).
pub type NodeId = usize;

/// Longest label or value kept, in characters; the view truncates further to its width.
pub const MAX_VALUE_CHARS: usize = 200;

/// What every empty node (null, `""`, `{}`, `[]`, empty date, all-empty branch) reads when shown.
pub const EMPTY_VALUE: &str = "—";

/// Ends the label of a field whose key the server sent more than once.
pub const REPEATED_MARK: &str = " (duplicate key)";

/// Label of the single row of a scalar document.
const SCALAR_ROOT_LABEL: &str = "Value";

/// The shape of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A scalar, or a folded day/month/year object.
    Leaf,
    /// An object with this many fields.
    Object { children: usize },
    /// An array with this many items.
    Array { children: usize },
}

/// Where a node sits in its parent, for [`TokenTree::path`].
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Root,
    /// Shared between all nodes with the same key (2,000 items do not mean 2,000 copies).
    Key(Arc<str>),
    Index(usize),
}

/// One node of the document.
#[derive(Clone, Debug)]
pub struct Node {
    /// 0 for the fields of the root (saturates at `u16::MAX`).
    pub depth: u16,
    /// Readable, sanitized label ("Date of birth", "#3").
    pub label: String,
    /// Readable, sanitized value for a leaf; one-line summary for a branch; [`EMPTY_VALUE`] when
    /// the node is empty.
    pub value: String,
    pub kind: NodeKind,
    /// `None` for the rows at depth 0.
    pub parent: Option<NodeId>,
    /// See the module doc: null, `""`, `{}`, `[]`, or only empty descendants.
    pub is_empty: bool,
    first_child: Option<NodeId>,
    next_sibling: Option<NodeId>,
    /// One past the last node of this subtree.
    end: NodeId,
    segment: Segment,
}

impl Node {
    /// An object or array (folded dates are leaves).
    pub fn is_branch(&self) -> bool {
        !matches!(self.kind, NodeKind::Leaf)
    }

    /// The field name this node has in its object, as the server sent it.
    pub fn key(&self) -> Option<&str> {
        match &self.segment {
            Segment::Key(key) => Some(key),
            Segment::Root | Segment::Index(_) => None,
        }
    }
}

/// What the view needs for one row on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisibleRow {
    pub id: NodeId,
    pub open: bool,
    pub selected: bool,
}

/// The token as a flattened tree, with its open nodes, cursor and scroll offset.
#[derive(Clone, Debug)]
pub struct TokenTree {
    nodes: Vec<Node>,
    open: Vec<bool>,
    /// Visible node ids, ascending (pre-order).
    visible: Vec<NodeId>,
    show_empty: bool,
    cursor: usize,
    offset: usize,
    viewport: usize,
}

/// Viewport height assumed until the app calls [`TokenTree::set_viewport_height`].
const DEFAULT_VIEWPORT: usize = 20;

impl TokenTree {
    /// Flattens any JSON value. Never recurses, so nesting depth is not a limit.
    pub fn new(token: &Value) -> TokenTree {
        let nodes = Builder::default().build(token);
        let mut tree = TokenTree {
            open: vec![false; nodes.len()],
            nodes,
            visible: Vec::new(),
            show_empty: false,
            cursor: 0,
            offset: 0,
            viewport: DEFAULT_VIEWPORT,
        };
        tree.rebuild_visible();
        if let [only] = tree.visible[..]
            && tree.nodes[only].is_branch()
        {
            tree.set_open(only, true);
        }
        tree
    }

    /// Flattens a server's answer, marking each field the server named more than once: its
    /// label ends in [`REPEATED_MARK`] (the value is the last one sent). A repeat inside a
    /// folded date marks the date.
    pub fn from_document(document: &Document) -> TokenTree {
        let mut tree = TokenTree::new(&document.value);
        if document.repeated.is_empty() {
            return tree;
        }
        let ids: HashMap<String, NodeId> = (0..tree.nodes.len())
            .map(|id| (tree.path(id), id))
            .collect();
        for pointer in &document.repeated {
            let mut at = pointer.as_str();
            while !at.is_empty() {
                if let Some(&id) = ids.get(at) {
                    let label = &mut tree.nodes[id].label;
                    if !label.ends_with(REPEATED_MARK) {
                        label.push_str(REPEATED_MARK);
                    }
                    break;
                }
                at = at.rfind('/').map_or("", |cut| &at[..cut]);
            }
        }
        tree
    }

    /// The node `id`. Panics when `id >= node_count()`; ids come from this tree.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The ids of the visible rows, top to bottom (cached).
    pub fn visible(&self) -> &[NodeId] {
        &self.visible
    }

    fn is_open(&self, id: NodeId) -> bool {
        self.open.get(id).copied().unwrap_or(false)
    }

    /// Index into [`visible`](Self::visible) of the selected row (0 when there are no rows).
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn selected(&self) -> Option<NodeId> {
        self.visible.get(self.cursor).copied()
    }

    /// Index of the first visible row drawn; `offset <= cursor < offset + viewport_height`.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The number of rows the view shows (never 0).
    pub fn viewport_height(&self) -> usize {
        self.viewport.max(1)
    }

    /// The rows that fit on screen, from `offset()`.
    pub fn screen_rows(&self) -> impl Iterator<Item = VisibleRow> + '_ {
        let end = self.visible.len().min(self.offset + self.viewport_height());
        let start = self.offset.min(end);
        self.visible[start..end]
            .iter()
            .enumerate()
            .map(move |(i, &id)| VisibleRow {
                id,
                open: self.is_open(id),
                selected: start + i == self.cursor,
            })
    }

    /// The number of rows the view shows (0 is treated as 1). The offset follows.
    pub fn set_viewport_height(&mut self, rows: usize) {
        self.viewport = rows;
        self.normalize();
    }

    pub fn move_up(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
        self.normalize();
    }

    pub fn move_down(&mut self) {
        if self.cursor + 1 < self.visible.len() {
            self.cursor += 1;
        }
        self.normalize();
    }

    /// One screen up; the cursor keeps its place on the screen where it can.
    pub fn page_up(&mut self) {
        let h = self.viewport_height();
        self.cursor = self.cursor.saturating_sub(h);
        self.offset = self.offset.saturating_sub(h);
        self.normalize();
    }

    /// One screen down; the cursor keeps its place on the screen where it can.
    pub fn page_down(&mut self) {
        let h = self.viewport_height();
        self.cursor = self.cursor.saturating_add(h);
        self.offset = self.offset.saturating_add(h);
        self.normalize();
    }

    pub fn home(&mut self) {
        self.cursor = 0;
        self.normalize();
    }

    pub fn end(&mut self) {
        self.cursor = self.visible.len().saturating_sub(1);
        self.normalize();
    }

    /// Right/l: opens a closed branch, else moves to its first visible child.
    pub fn expand_or_enter(&mut self) {
        let Some(id) = self.selected() else { return };
        if !self.nodes[id].is_branch() {
            return;
        }
        if !self.open[id] {
            self.set_open(id, true);
        } else if self
            .visible
            .get(self.cursor + 1)
            .is_some_and(|&next| self.nodes[next].parent == Some(id))
        {
            self.cursor += 1;
        }
        self.normalize();
    }

    /// Left/h: closes an open branch, else moves to the parent.
    pub fn collapse_or_parent(&mut self) {
        let Some(id) = self.selected() else { return };
        if self.nodes[id].is_branch() && self.open[id] {
            self.set_open(id, false);
        } else if let Some(parent) = self.nodes[id].parent
            && let Ok(index) = self.visible.binary_search(&parent)
        {
            self.cursor = index;
        }
        self.normalize();
    }

    /// Space/Enter: opens or closes the selected branch.
    pub fn toggle(&mut self) {
        let Some(id) = self.selected() else { return };
        if self.nodes[id].is_branch() {
            let open = !self.open[id];
            self.set_open(id, open);
        }
        self.normalize();
    }

    /// E: opens every branch; the cursor stays on the same node.
    pub fn expand_all(&mut self) {
        let selected = self.selected();
        for (open, node) in self.open.iter_mut().zip(&self.nodes) {
            *open = node.is_branch();
        }
        self.rebuild_visible();
        self.reselect(selected);
    }

    /// C: closes every branch; the cursor goes to the top-level ancestor of what was selected.
    pub fn collapse_all(&mut self) {
        let top = self.selected().map(|id| {
            let mut top = id;
            while let Some(parent) = self.nodes[top].parent {
                top = parent;
            }
            top
        });
        self.open.fill(false);
        self.rebuild_visible();
        self.reselect(top);
    }

    pub fn show_empty(&self) -> bool {
        self.show_empty
    }

    /// n: shows or hides empty nodes; the cursor stays on the same node, or its nearest visible
    /// ancestor, or else the nearest visible row before it.
    pub fn toggle_show_empty(&mut self) {
        let selected = self.selected();
        self.show_empty = !self.show_empty;
        self.rebuild_visible();
        self.reselect(selected);
    }

    /// Carries a clerk's view over from an earlier tree of the same token (after a re-read
    /// or an action): the same branches open, empties shown or not, the cursor on the same
    /// field (or its nearest visible ancestor) and the screen scrolled as it was. Nodes are
    /// matched by their JSON path, so fields that came or went do not confuse it.
    pub fn adopt_view_of(&mut self, earlier: &TokenTree) {
        let open_paths: std::collections::HashSet<String> = (0..earlier.nodes.len())
            .filter(|&id| earlier.open[id])
            .map(|id| earlier.path(id))
            .collect();
        let selected_path = earlier.selected().map(|id| earlier.path(id));
        let mut selected = None;
        for id in 0..self.nodes.len() {
            let path = self.path(id);
            self.open[id] = self.nodes[id].is_branch() && open_paths.contains(&path);
            if selected_path.as_deref() == Some(path.as_str()) {
                selected = Some(id);
            }
        }
        self.show_empty = earlier.show_empty;
        self.viewport = earlier.viewport;
        self.offset = earlier.offset;
        self.rebuild_visible();
        self.reselect(selected);
    }

    /// The JSON pointer (RFC 6901) of the node in the document given to [`new`](Self::new),
    /// e.g. `/rewards_participant/accounts_receivable/name`; `""` for a scalar root. It holds the
    /// RAW keys (so `Value::pointer` finds the node): sanitize it before printing it.
    fn path(&self, id: NodeId) -> String {
        let mut segments = Vec::new();
        let mut current = self.nodes.get(id).map(|_| id);
        while let Some(at) = current {
            let node = &self.nodes[at];
            segments.push(&node.segment);
            current = node.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Index(i) => {
                    out.push('/');
                    out.push_str(&i.to_string());
                }
                Segment::Key(key) => {
                    out.push('/');
                    out.push_str(&key.replace('~', "~0").replace('/', "~1"));
                }
            }
        }
        out
    }

    fn is_hidden(&self, id: NodeId) -> bool {
        !self.show_empty && self.nodes[id].is_empty
    }

    /// Appends the visible rows among the complete subtrees in `start..end`.
    fn push_visible(&self, start: NodeId, end: NodeId, out: &mut Vec<NodeId>) {
        let mut i = start;
        while i < end {
            let node = &self.nodes[i];
            if self.is_hidden(i) {
                i = node.end;
                continue;
            }
            out.push(i);
            i = if self.open[i] { i + 1 } else { node.end };
        }
    }

    fn rebuild_visible(&mut self) {
        let mut visible = std::mem::take(&mut self.visible);
        visible.clear();
        self.push_visible(0, self.nodes.len(), &mut visible);
        self.visible = visible;
    }

    /// Opens or closes one node, patching the visible rows below it if it is visible.
    fn set_open(&mut self, id: NodeId, open: bool) {
        if self.open[id] == open {
            return;
        }
        self.open[id] = open;
        let Ok(index) = self.visible.binary_search(&id) else {
            return;
        };
        let end = self.nodes[id].end;
        if open {
            let mut rows = Vec::new();
            self.push_visible(id + 1, end, &mut rows);
            self.visible.splice(index + 1..index + 1, rows);
        } else {
            let below = &self.visible[index + 1..];
            let stop = index + 1 + below.partition_point(|&v| v < end);
            self.visible.drain(index + 1..stop);
        }
    }

    /// Puts the cursor on `id`, or its nearest visible ancestor, or the nearest visible row
    /// before it, or row 0.
    fn reselect(&mut self, id: Option<NodeId>) {
        if let Some(id) = id {
            let mut current = Some(id);
            let mut found = None;
            while let Some(at) = current {
                if let Ok(index) = self.visible.binary_search(&at) {
                    found = Some(index);
                    break;
                }
                current = self.nodes[at].parent;
            }
            self.cursor = found
                .unwrap_or_else(|| self.visible.partition_point(|&v| v < id).saturating_sub(1));
        } else {
            self.cursor = 0;
        }
        self.normalize();
    }

    /// Keeps the cursor on a row and on screen, and the screen as full as it can be.
    fn normalize(&mut self) {
        let len = self.visible.len();
        if len == 0 {
            self.cursor = 0;
            self.offset = 0;
            return;
        }
        let h = self.viewport_height();
        self.cursor = self.cursor.min(len - 1);
        self.offset = self.offset.min(len.saturating_sub(h));
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + h {
            self.offset = self.cursor + 1 - h;
        }
    }
}

/// Flattens a value with an explicit stack.
#[derive(Default)]
struct Builder<'a> {
    nodes: Vec<Node>,
    last_child: Vec<Option<NodeId>>,
    /// Humanized label and shared raw key, per distinct key.
    keys: HashMap<&'a str, (String, Arc<str>)>,
}

struct Pending<'a> {
    value: &'a Value,
    /// The field name, or `None` for an array item (then `index` counts) or a scalar root.
    key: Option<&'a str>,
    index: Option<usize>,
    parent: Option<NodeId>,
    depth: u16,
}

impl<'a> Builder<'a> {
    fn build(mut self, root: &'a Value) -> Vec<Node> {
        let mut stack: Vec<Pending<'a>> = Vec::new();
        match root {
            Value::Object(map) if date_parts(map).is_none() => {
                push_fields(&mut stack, map, None, 0, true);
            }
            Value::Array(items) => push_items(&mut stack, items, None, 0),
            scalar => stack.push(Pending {
                value: scalar,
                key: None,
                index: None,
                parent: None,
                depth: 0,
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
            let (kind, value, is_empty) = match pending.value {
                Value::Object(map) => match fold_date(map) {
                    Some(date) => {
                        let empty = date.is_empty();
                        (NodeKind::Leaf, clean(&date), empty)
                    }
                    None => {
                        push_fields(&mut stack, map, Some(id), child_depth, false);
                        let children = map.len();
                        (
                            NodeKind::Object { children },
                            object_summary(map),
                            children == 0,
                        )
                    }
                },
                Value::Array(items) => {
                    push_items(&mut stack, items, Some(id), child_depth);
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
            self.nodes.push(Node {
                depth: pending.depth,
                label,
                value,
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
            }
        }
        self.nodes
    }
}

fn push_fields<'a>(
    stack: &mut Vec<Pending<'a>>,
    map: &'a Map<String, Value>,
    parent: Option<NodeId>,
    depth: u16,
    top: bool,
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
    }));
}

fn push_items<'a>(
    stack: &mut Vec<Pending<'a>>,
    items: &'a [Value],
    parent: Option<NodeId>,
    depth: u16,
) {
    stack.extend(items.iter().enumerate().rev().map(|(i, value)| Pending {
        value,
        key: None,
        index: Some(i),
        parent,
        depth,
    }));
}

/// (band, priority): compared first; ties are broken by the natural order of the key.
type FieldRank = (u8, usize);

/// Place of a well-known token field, top level.
fn top_priority(key: &str) -> Option<usize> {
    Some(match key {
        "number" => 0,
        "life_cycle_state" => 1,
        "authentication_code" => 2,
        "identifier" => 3,
        "card_masked_number" => 4,
        "classification" => 5,
        "rewards_participant" => 6,
        "reward_participant" => 7,
        "accounts_receivable" => 8,
        "verified_by_user" => 9,
        "verified_date" => 10,
        "verification_code" => 11,
        "card_last_4_digits" => 12,
        _ => return None,
    })
}

/// Place of a well-known field inside a section.
fn nested_priority(key: &str) -> Option<usize> {
    Some(match key {
        "number" => 0,
        "name" => 1,
        "person_name" => 2,
        "username" => 3,
        "title" => 4,
        "first_name" => 5,
        "middle_name" => 6,
        "last_name" => 7,
        "company_name" => 8,
        "type" => 9,
        "life_cycle_state" => 10,
        "code" => 11,
        "alternative_code" => 12,
        "description" => 13,
        "email" => 14,
        "gender" => 15,
        "date_of_birth" => 16,
        "name_day" => 17,
        "created_date" => 18,
        "updated_date" => 19,
        "accounts_receivable" => 20,
        "account_owner" => 21,
        "demographics" => 22,
        "company_profile" => 23,
        "created_by_user" => 24,
        "created_by_unit" => 25,
        "updated_by_user" => 26,
        "updated_by_unit" => 27,
        _ => return None,
    })
}

fn renders_as_leaf(value: &Value) -> bool {
    match value {
        Value::Object(map) => date_parts(map).is_some(),
        Value::Array(_) => false,
        _ => true,
    }
}

fn field_rank(key: &str, value: &Value, top: bool) -> FieldRank {
    if key == "id" {
        return (9, 0);
    }
    if top {
        if let Some(p) = top_priority(key) {
            return (0, p);
        }
        if key.starts_with("udf_") {
            return (3, 0);
        }
        if key == "log_information" {
            return (4, 0);
        }
        return if renders_as_leaf(value) {
            (1, 0)
        } else {
            (2, 0)
        };
    }
    let leaf = renders_as_leaf(value);
    match (nested_priority(key), leaf) {
        (Some(p), true) => (0, p),
        (None, true) => (1, 0),
        (Some(p), false) => (2, p),
        (None, false) => (3, 0),
    }
}

/// Compares digit runs by value: "a2" < "a10". Falls back to byte order on ties.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (rx, ry) = (run(x), run(y));
                let (nx, ny) = (trim_zeros(&x[..rx]), trim_zeros(&y[..ry]));
                let order = nx.len().cmp(&ny.len()).then_with(|| nx.cmp(ny));
                if order != Ordering::Equal {
                    return order;
                }
                x = &x[rx..];
                y = &y[ry..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|c| **c == b'0').count();
    &digits[zeros..]
}

fn is_empty_scalar(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// Sanitized and cut to [`MAX_VALUE_CHARS`].
fn clean(text: &str) -> String {
    let safe = sanitize(text);
    truncate_chars(&safe, MAX_VALUE_CHARS).into_owned()
}

fn count_items(n: usize) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

/// A non-blank string or a number, as text.
fn summary_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One line that names an object, from well-known keys; empty if there are none.
fn object_summary(map: &Map<String, Value>) -> String {
    let text = |key: &str| summary_text(map.get(key));
    let line = if let Some(number) = text("number") {
        match text("name") {
            Some(name) => crate::text::number_and_name(&number, &name),
            None => number,
        }
    } else if let Some(found) = ["name", "person_name", "username", "company_name"]
        .into_iter()
        .find_map(text)
    {
        found
    } else {
        let parts: Vec<String> = ["first_name", "last_name"]
            .into_iter()
            .filter_map(text)
            .collect();
        if parts.is_empty() {
            ["code", "alternative_code"]
                .into_iter()
                .find_map(text)
                .or_else(|| log_summary(map))
                .unwrap_or_default()
        } else {
            parts.join(" ")
        }
    };
    clean(&line)
}

/// Log information names no one thing: its summary is when it last changed.
fn log_summary(map: &Map<String, Value>) -> Option<String> {
    ["updated_date", "created_date"]
        .into_iter()
        .find_map(|key| {
            let when = map
                .get(key)
                .filter(|v| v.as_str().is_some_and(|s| !s.trim().is_empty()))?;
            let verb = if key == "updated_date" {
                "updated"
            } else {
                "created"
            };
            Some(format!("{verb} {}", format_scalar(key, when)))
        })
}

const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The parts of a day/month/year object; `None` when the object is not one.
type DateParts = (Option<u64>, Option<&'static str>, Option<u64>);

/// Checks without allocating whether an object holds only `day`, `month`, `year` (each null,
/// a number or a numeric string, month 1 to 12, day 1 to 31).
fn date_parts(map: &Map<String, Value>) -> Option<DateParts> {
    if map.is_empty()
        || map.len() > 3
        || !map
            .keys()
            .all(|k| matches!(k.as_str(), "day" | "month" | "year"))
    {
        return None;
    }
    let part = |key: &str| -> Option<Option<u64>> {
        match map.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(Value::Number(n)) => n.as_u64().map(Some),
            Some(Value::String(s)) if s.trim().is_empty() => Some(None),
            Some(Value::String(s)) => s.trim().parse::<u64>().ok().map(Some),
            Some(_) => None,
        }
    };
    let (day, month, year) = (part("day")?, part("month")?, part("year")?);
    if day.is_some_and(|d| !(1..=31).contains(&d)) {
        return None;
    }
    let month = match month {
        None => None,
        Some(m) => Some(*LONG_MONTHS.get(usize::try_from(m).ok()?.checked_sub(1)?)?),
    };
    Some((day, month, year))
}

/// A day/month/year object as one line: "3 March 1985", "3 March", "1985", "" when all are
/// null. `None` when it is not such a date.
fn fold_date(map: &Map<String, Value>) -> Option<String> {
    let (day, month, year) = date_parts(map)?;
    let mut out = String::new();
    let mut add = |part: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    };
    if let Some(day) = day {
        add(&day.to_string());
    }
    if let Some(month) = month {
        add(month);
    }
    if let Some(year) = year {
        add(&year.to_string());
    }
    Some(out)
}

/// Keys whose strings are codes or identifiers: shown verbatim even when they look like dates.
fn is_verbatim_key(key: &str) -> bool {
    matches!(key, "id" | "number" | "identifier" | "code")
        || key.ends_with("_code")
        || key.ends_with("_number")
        || key.ends_with("_id")
}

/// A scalar as a clerk reads it (sanitized, at most [`MAX_VALUE_CHARS`] characters):
/// null and `""` -> [`EMPTY_VALUE`]; `true`/`false` -> "yes"/"no"; numbers as written;
/// "2017-09-14T12:18:01" -> "14 Sep 2017 12:18:01" (a trailing `Z` reads "UTC", an offset is
/// kept, fractions of a second are dropped), "2017-09-14" -> "14 Sep 2017", except under keys
/// that hold codes (`number`, `id`, `*_code`, ...); other strings ("NOT_EFFECTIVE") as they
/// are. An array reads "3 items", an object its summary.
fn format_scalar(key: &str, value: &Value) -> String {
    let text: Cow<'_, str> = match value {
        Value::Null => Cow::Borrowed(EMPTY_VALUE),
        Value::Bool(true) => Cow::Borrowed("yes"),
        Value::Bool(false) => Cow::Borrowed("no"),
        Value::Number(n) => Cow::Owned(n.to_string()),
        Value::String(s) if s.is_empty() => Cow::Borrowed(EMPTY_VALUE),
        Value::String(s) if is_verbatim_key(key) => Cow::Borrowed(s.as_str()),
        Value::String(s) => format_date_time(s).map_or(Cow::Borrowed(s.as_str()), Cow::Owned),
        Value::Array(items) => Cow::Owned(count_items(items.len())),
        Value::Object(map) => return object_summary(map),
    };
    clean(&text)
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u32, |acc, d| {
        acc.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })
}

/// "YYYY-MM-DD" with an optional "THH:MM[:SS[.fff]][Z|±hh:mm]" (or a space instead of "T").
fn format_date_time(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    if !(1..=31).contains(&day) {
        return None;
    }
    let month_name = SHORT_MONTHS.get(usize::try_from(month).ok()?.checked_sub(1)?)?;
    let mut out = format!("{day} {month_name} {year}");
    let rest = &b[10..];
    if rest.is_empty() {
        return Some(out);
    }
    if !matches!(rest[0], b'T' | b' ') || rest.len() < 6 || rest[3] != b':' {
        return None;
    }
    let (hour, minute) = (digits(&rest[1..3])?, digits(&rest[4..6])?);
    if hour > 23 || minute > 59 {
        return None;
    }
    let mut tail = &rest[6..];
    let mut second = None;
    if tail.first() == Some(&b':') {
        let sec = digits(tail.get(1..3)?)?;
        if sec > 60 {
            return None;
        }
        second = Some(sec);
        tail = &tail[3..];
        if tail.first() == Some(&b'.') {
            let frac = tail[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if frac == 0 {
                return None;
            }
            tail = &tail[1 + frac..];
        }
    }
    out.push_str(&format!(" {hour:02}:{minute:02}"));
    if let Some(sec) = second {
        out.push_str(&format!(":{sec:02}"));
    }
    match tail {
        [] => {}
        [b'Z'] => out.push_str(" UTC"),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2]
            if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
        {
            out.push(' ');
            out.push(char::from(*sign));
            out.push_str(std::str::from_utf8(&tail[1..]).ok()?);
        }
        _ => return None,
    }
    Some(out)
}

/// Words that read in capitals.
const ACRONYMS: &[&str] = &[
    "id", "udf", "vat", "acr", "url", "uri", "api", "jwt", "sms", "otp", "pin", "iban", "bic",
    "ip", "crm", "tin", "uuid", "ssn", "nfc", "gps", "http", "https", "json", "cvv", "utc",
];

/// A field name as words: "date_of_birth" -> "Date of birth", "id_number" -> "ID number",
/// "udf_string_1" -> "UDF string 1", "dateOfBirth" -> "Date of birth", "userID" -> "User ID".
/// Both `rewards_participant` and `reward_participant` read "Rewards participant".
/// Sanitized and cut to [`MAX_VALUE_CHARS`]. A key that is `""` reads "(empty key)", one
/// with nothing printable "(blank key)": a row must never have an invisible label.
fn humanize_label(key: &str) -> String {
    if key.is_empty() {
        return "(empty key)".to_owned();
    }
    let key = sanitize(key);
    if key.trim().is_empty() {
        return "(blank key)".to_owned();
    }
    if matches!(
        key.as_ref(),
        "rewards_participant" | "reward_participant" | "rewardsParticipant" | "rewardParticipant"
    ) {
        return "Rewards participant".to_owned();
    }
    let words = split_words(&key);
    if words.is_empty() {
        return clean(&key);
    }
    let all_caps = !key.chars().any(char::is_lowercase);
    let mut out = String::with_capacity(key.len() + 4);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        let shouting =
            !all_caps && word.chars().count() > 1 && !word.chars().any(char::is_lowercase);
        if ACRONYMS.contains(&lower.as_str()) || shouting {
            out.push_str(&lower.to_uppercase());
        } else if i == 0 {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(&lower);
        }
    }
    clean(&out)
}

/// Splits on `_`, `-`, `.`, spaces and camelCase boundaries ("HTTPServer" -> "HTTP", "Server").
fn split_words(key: &str) -> Vec<&str> {
    let mut words = Vec::new();
    for part in key.split(['_', '-', '.', ' ']) {
        let chars: Vec<(usize, char)> = part.char_indices().collect();
        let mut start = 0;
        for w in 1..chars.len() {
            let (at, c) = chars[w];
            let prev = chars[w - 1].1;
            let next_lower = chars.get(w + 1).is_some_and(|(_, n)| n.is_lowercase());
            let boundary = c.is_uppercase()
                && (prev.is_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_uppercase() && next_lower));
            if boundary {
                words.push(&part[start..at]);
                start = at;
            }
        }
        if start < part.len() {
            words.push(&part[start..]);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const NOT_EFFECTIVE: &str =
        include_str!("../../tests/fixtures/set_as_not_effective.response.json");
    const DELETED: &str = include_str!("../../tests/fixtures/delete.response.json");

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
                (n.depth, n.label.clone(), n.value.clone())
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

    // ---- labels ----

    #[test]
    fn labels_read_as_words() {
        assert_eq!(humanize_label("date_of_birth"), "Date of birth");
        assert_eq!(humanize_label("id_number"), "ID number");
        assert_eq!(humanize_label("udf_string_1"), "UDF string 1");
        assert_eq!(
            humanize_label("vat_registration_number"),
            "VAT registration number"
        );
        assert_eq!(humanize_label("id"), "ID");
        assert_eq!(humanize_label("card_last_4_digits"), "Card last 4 digits");
        assert_eq!(humanize_label("life_cycle_state"), "Life cycle state");
    }

    #[test]
    fn camel_case_labels_read_as_words() {
        assert_eq!(humanize_label("dateOfBirth"), "Date of birth");
        assert_eq!(humanize_label("userID"), "User ID");
        assert_eq!(humanize_label("HTTPServer"), "HTTP server");
        assert_eq!(humanize_label("idNumber"), "ID number");
    }

    #[test]
    fn both_participant_spellings_read_the_same() {
        assert_eq!(humanize_label("rewards_participant"), "Rewards participant");
        assert_eq!(humanize_label("reward_participant"), "Rewards participant");
    }

    #[test]
    fn odd_keys_still_give_a_label() {
        assert_eq!(humanize_label(""), "(empty key)");
        assert_eq!(humanize_label("   "), "(blank key)");
        assert_eq!(humanize_label("\u{1b}[31m\u{202E}"), "(blank key)");
        assert_eq!(humanize_label("___"), "___");
        assert_eq!(humanize_label("STATE"), "State");
    }

    // ---- values ----

    #[test]
    fn date_times_read_as_dates() {
        let f = |s: &str| format_scalar("created_date", &json!(s));
        assert_eq!(f("2017-09-14T12:18:01"), "14 Sep 2017 12:18:01");
        assert_eq!(f("2017-09-14"), "14 Sep 2017");
        assert_eq!(f("2017-09-14 08:05"), "14 Sep 2017 08:05");
        assert_eq!(f("2017-09-14T12:18:01.123Z"), "14 Sep 2017 12:18:01 UTC");
        assert_eq!(
            f("2017-09-14T12:18:01+02:00"),
            "14 Sep 2017 12:18:01 +02:00"
        );
    }

    #[test]
    fn things_that_only_look_like_dates_stay_as_they_are() {
        let f = |s: &str| format_scalar("note", &json!(s));
        assert_eq!(f("2017-13-14"), "2017-13-14");
        assert_eq!(f("2017-09-14T25:00:00"), "2017-09-14T25:00:00");
        assert_eq!(f("2017-09-14 and more"), "2017-09-14 and more");
        assert_eq!(f("2017-09-1x"), "2017-09-1x");
        assert_eq!(
            format_scalar("authentication_code", &json!("2017-09-14")),
            "2017-09-14"
        );
    }

    #[test]
    fn scalars_are_readable() {
        assert_eq!(
            format_scalar("life_cycle_state", &json!("NOT_EFFECTIVE")),
            "NOT_EFFECTIVE"
        );
        assert_eq!(format_scalar("amount", &json!(12.50)), "12.5");
        assert_eq!(format_scalar("amount", &json!(-7)), "-7");
        assert_eq!(format_scalar("active", &json!(true)), "yes");
        assert_eq!(format_scalar("active", &json!(false)), "no");
        assert_eq!(format_scalar("email", &Value::Null), EMPTY_VALUE);
        assert_eq!(format_scalar("email", &json!("")), EMPTY_VALUE);
        assert_eq!(format_scalar("tags", &json!([1, 2, 3])), "3 items");
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(500);
        let v = format_scalar("note", &json!(long));
        assert_eq!(v.chars().count(), MAX_VALUE_CHARS);
        assert!(v.ends_with('…'));
        assert_eq!(humanize_label(&long).chars().count(), MAX_VALUE_CHARS);
    }

    // ---- day / month / year ----

    #[test]
    fn day_month_year_fold_into_one_leaf() {
        let tree = TokenTree::new(&json!({
            "date_of_birth": {"day": 3, "month": 3, "year": 1985},
            "name_day": {"day": 3, "month": 3},
            "founded": {"year": 1985, "month": null, "day": null},
            "as_strings": {"day": "7", "month": "11", "year": "2001"},
        }));
        assert_eq!(tree.node_count(), 4);
        let by_label = |l: &str| tree.node(find(&tree, l)).clone();
        let dob = by_label("Date of birth");
        assert_eq!(dob.value, "3 March 1985");
        assert_eq!(dob.kind, NodeKind::Leaf);
        assert_eq!(by_label("Name day").value, "3 March");
        assert_eq!(by_label("Founded").value, "1985");
        assert_eq!(by_label("As strings").value, "7 November 2001");
    }

    #[test]
    fn all_null_dates_are_empty_and_hidden() {
        let mut tree = TokenTree::new(&json!({
            "number": "AT1",
            "date_of_birth": {"day": null, "month": null, "year": null},
        }));
        assert_eq!(labels(&tree), ["Number"]);
        tree.toggle_show_empty();
        let dob = tree.node(find(&tree, "Date of birth"));
        assert!(dob.is_empty);
        assert_eq!(dob.value, EMPTY_VALUE);
        assert_eq!(dob.kind, NodeKind::Leaf);
    }

    #[test]
    fn objects_that_are_not_dates_are_not_folded() {
        let tree = TokenTree::new(&json!({
            "a": {"day": 3, "month": 13},
            "b": {"day": 3, "hour": 4},
            "c": {"day": "Monday"},
        }));
        for label in ["A", "B", "C"] {
            assert!(tree.node(find(&tree, label)).is_branch(), "{label}");
        }
    }

    // ---- empties ----

    #[test]
    fn empties_are_hidden_until_asked_for() {
        let doc = json!({
            "number": "AT1",
            "email": null,
            "note": "",
            "tags": [],
            "extra": {},
            "profile": {"a": null, "b": {"c": ""}, "d": [null]},
            "owner": {"name": "Polina", "title": null},
        });
        let mut tree = TokenTree::new(&doc);
        assert_eq!(labels(&tree), ["Number", "Owner"]);
        tree.expand_all();
        assert_eq!(labels(&tree), ["Number", "Owner", "Name"]);
        assert!(!tree.show_empty());
        tree.toggle_show_empty();
        assert!(tree.show_empty());
        let shown = rows(&tree);
        assert_eq!(shown.len(), tree.node_count());
        for label in [
            "Email", "Note", "Tags", "Extra", "Profile", "A", "C", "#1", "Title",
        ] {
            let id = find(&tree, label);
            assert!(tree.node(id).is_empty, "{label}");
            assert_eq!(tree.node(id).value, EMPTY_VALUE, "{label}");
        }
        tree.toggle_show_empty();
        assert_eq!(labels(&tree), ["Number", "Owner", "Name"]);
    }

    #[test]
    fn log_information_is_summarised_by_its_last_change() {
        let tree = TokenTree::new(&json!({
            "log_information": {"created_date": "2015-02-16T14:23:46", "updated_date": "2015-05-27T12:50:22"},
            "created_only": {"created_date": "2015-02-16T14:23:46", "updated_date": null},
        }));
        let summaries: Vec<&str> = tree
            .visible()
            .iter()
            .map(|&id| tree.node(id).value.as_str())
            .collect();
        assert!(
            summaries.contains(&"updated 27 May 2015 12:50:22"),
            "{summaries:?}"
        );
        assert!(
            summaries.contains(&"created 16 Feb 2015 14:23:46"),
            "{summaries:?}"
        );
    }

    #[test]
    fn a_re_read_tree_keeps_the_open_branches_and_the_selected_field() {
        let before = json!({
            "number": "AT1",
            "life_cycle_state": "EFFECTIVE",
            "owner": {"name": "Polina", "profile": {"x": "1"}},
            "other": {"y": "2"},
        });
        let mut earlier = TokenTree::new(&before);
        go_to(&mut earlier, "Owner");
        earlier.expand_or_enter();
        go_to(&mut earlier, "Name");
        let mut after = before.clone();
        after["life_cycle_state"] = json!("NOT_EFFECTIVE");
        after["new_field"] = json!("n");
        let mut tree = TokenTree::new(&after);
        tree.adopt_view_of(&earlier);
        assert_eq!(selected_label(&tree), "Name");
        let owner = (0..tree.node_count()).find(|&id| tree.node(id).label == "Owner");
        assert!(owner.is_some_and(|id| tree.is_open(id)));
        let other = (0..tree.node_count()).find(|&id| tree.node(id).label == "Other");
        assert!(other.is_some_and(|id| !tree.is_open(id)));
    }

    #[test]
    fn hiding_empties_keeps_the_cursor_on_the_nearest_visible_ancestor() {
        let mut tree = TokenTree::new(&json!({
            "number": "AT1",
            "owner": {"name": "Polina", "title": null, "profile": {"x": null}},
        }));
        tree.toggle_show_empty();
        tree.expand_all();
        go_to(&mut tree, "X");
        tree.toggle_show_empty();
        assert_eq!(selected_label(&tree), "Owner");
        // A node that stays visible keeps the cursor.
        tree.toggle_show_empty();
        go_to(&mut tree, "Name");
        tree.toggle_show_empty();
        assert_eq!(selected_label(&tree), "Name");
        tree.toggle_show_empty();
        assert_eq!(selected_label(&tree), "Name");
    }

    #[test]
    fn hiding_an_empty_top_level_row_selects_the_row_before_it() {
        let mut tree = TokenTree::new(&json!({"number": "AT1", "verified_date": null}));
        tree.toggle_show_empty();
        go_to(&mut tree, "Verified date");
        tree.toggle_show_empty();
        assert_eq!(selected_label(&tree), "Number");
    }

    // ---- ordering ----

    #[test]
    fn token_fields_follow_the_fixed_order() {
        let tree = TokenTree::new(&json!({
            "id": "X",
            "log_information": {"created_date": "2017-09-14T12:18:01"},
            "udf_string_10": "u10",
            "udf_string_2": "u2",
            "zeta": "z",
            "alpha_branch": {"k": 1},
            "alpha": "a",
            "card_last_4_digits": "1234",
            "verification_code": "V",
            "verified_date": "2017-09-14",
            "verified_by_user": {"username": "u"},
            "accounts_receivable": {"number": "ACR1"},
            "rewards_participant": {"number": "RP1"},
            "classification": {"name": "Mobile"},
            "card_masked_number": "****",
            "identifier": "250",
            "authentication_code": "990",
            "life_cycle_state": "EFFECTIVE",
            "number": "AT1",
        }));
        assert_eq!(
            labels(&tree),
            [
                "Number",
                "Life cycle state",
                "Authentication code",
                "Identifier",
                "Card masked number",
                "Classification",
                "Rewards participant",
                "Accounts receivable",
                "Verified by user",
                "Verified date",
                "Verification code",
                "Card last 4 digits",
                "Alpha",
                "Zeta",
                "Alpha branch",
                "UDF string 2",
                "UDF string 10",
                "Log information",
                "ID",
            ]
        );
    }

    #[test]
    fn nested_fields_put_scalars_first_and_id_last() {
        let mut tree = TokenTree::new(&json!({"owner": {
            "id": "F03",
            "demographics": {"gender": "FEMALE"},
            "zz_branch": {"k": 1},
            "aa_unknown": "u",
            "life_cycle_state": "FINANCIAL",
            "last_name": "Kestora",
            "first_name": "Polina",
            "name": "Polina Kestora",
            "date_of_birth": {"day": 1, "month": 2, "year": 2000},
        }}));
        assert!(tree.is_open(0), "a lone top-level branch starts open");
        tree.expand_or_enter();
        assert_eq!(
            labels(&tree),
            [
                "Owner",
                "Name",
                "First name",
                "Last name",
                "Life cycle state",
                "Date of birth",
                "Aa unknown",
                "Demographics",
                "Zz branch",
                "ID",
            ]
        );
    }

    // ---- shapes ----

    #[test]
    fn both_participant_spellings_give_the_same_row() {
        for key in ["rewards_participant", "reward_participant"] {
            let tree = TokenTree::new(&json!({"number": "AT1", key: {"number": "RP1"}, "id": "X"}));
            assert_eq!(
                labels(&tree),
                ["Number", "Rewards participant", "ID"],
                "{key}"
            );
            let id = tree.visible()[1];
            assert_eq!(tree.node(id).value, "RP1");
            assert_eq!(tree.path(id), format!("/{key}"));
        }
    }

    #[test]
    fn array_items_are_numbered() {
        let mut tree =
            TokenTree::new(&json!({"number": "AT1", "tags": ["a", "b", "c"], "one": [1]}));
        let tags = find(&tree, "Tags");
        assert_eq!(tree.node(tags).kind, NodeKind::Array { children: 3 });
        assert_eq!(tree.node(tags).value, "3 items");
        assert_eq!(tree.node(find(&tree, "One")).value, "1 item");
        tree.expand_all();
        let tag_rows: Vec<(String, String)> = tree
            .visible()
            .iter()
            .map(|&id| tree.node(id))
            .filter(|n| n.parent == Some(tags))
            .map(|n| (n.label.clone(), n.value.clone()))
            .collect();
        assert_eq!(
            tag_rows,
            [
                ("#1".into(), "a".into()),
                ("#2".into(), "b".into()),
                ("#3".into(), "c".into())
            ]
        );
        assert_eq!(tree.path(find(&tree, "#3")), "/tags/2");
        assert_eq!(tree.path(find(&tree, "#1")), "/one/0");
    }

    #[test]
    fn a_root_array_lists_its_items() {
        let tree = TokenTree::new(&json!([{"number": "AT1"}, {"number": "AT2"}]));
        assert_eq!(
            rows(&tree),
            [
                (0, "#1".into(), "AT1".into()),
                (0, "#2".into(), "AT2".into())
            ]
        );
        assert_eq!(tree.node(tree.visible()[0]).parent, None);
    }

    #[test]
    fn a_scalar_root_is_one_row() {
        let tree = TokenTree::new(&json!("2017-09-14T12:18:01"));
        assert_eq!(
            rows(&tree),
            [(0, "Value".into(), "14 Sep 2017 12:18:01".into())]
        );
        assert_eq!(tree.path(0), "");
        let mut null = TokenTree::new(&Value::Null);
        assert!(null.visible().is_empty());
        assert_eq!(null.selected(), None);
        null.toggle_show_empty();
        assert_eq!(rows(&null), [(0, "Value".into(), EMPTY_VALUE.into())]);
    }

    #[test]
    fn an_empty_document_has_no_rows_and_keys_do_nothing() {
        let mut tree = TokenTree::new(&json!({}));
        assert_eq!(tree.node_count(), 0);
        tree.move_down();
        tree.move_up();
        tree.page_down();
        tree.page_up();
        tree.end();
        tree.home();
        tree.toggle();
        tree.expand_or_enter();
        tree.collapse_or_parent();
        tree.expand_all();
        tree.collapse_all();
        tree.toggle_show_empty();
        tree.set_viewport_height(0);
        assert_eq!(
            (tree.cursor(), tree.offset(), tree.selected()),
            (0, 0, None)
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let mut value = json!("bottom");
        for _ in 0..100_000 {
            value = Value::Array(vec![value]);
        }
        let mut tree = TokenTree::new(&value);
        assert_eq!(tree.node_count(), 100_000);
        tree.expand_all();
        assert_eq!(tree.visible().len(), 100_000);
        tree.end();
        assert_eq!(tree.node(tree.selected().unwrap_or(0)).value, "bottom");
        assert_eq!(tree.node(tree.node_count() - 1).depth, u16::MAX);
        tree.collapse_all();
        assert_eq!(tree.visible().len(), 1);
        // serde_json drops a Value recursively: leak this one rather than overflow on drop.
        std::mem::forget(value);
    }

    // ---- summaries ----

    #[test]
    fn closed_branches_summarise_themselves() {
        let tree = TokenTree::new(&json!({
            "accounts_receivable": {"number": "ACR0000000069", "name": "ACR0000000069 Polina Kestora"},
            "same": {"number": "N1", "name": "N1"},
            "account_owner": {"name": null, "first_name": "Shemar", "last_name": "Havier"},
            "company": {"company_name": "Acme Ltd", "name": ""},
            "user": {"person_name": "CRM COM", "username": "MPAdministrator"},
            "login": {"username": "MPAdministrator"},
            "unit": {"name": "Admin Unit", "alternative_code": "adminunit"},
            "coded": {"alternative_code": "MA", "description": "x"},
            "numbered": {"number": 28},
            "log": {"created_date": "2017-09-14"},
        }));
        let value = |l: &str| tree.node(find(&tree, l)).value.clone();
        assert_eq!(value("Accounts receivable"), "ACR0000000069 Polina Kestora");
        assert_eq!(value("Same"), "N1");
        assert_eq!(value("Account owner"), "Shemar Havier");
        assert_eq!(value("Company"), "Acme Ltd");
        assert_eq!(value("User"), "CRM COM");
        assert_eq!(value("Login"), "MPAdministrator");
        assert_eq!(value("Unit"), "Admin Unit");
        assert_eq!(value("Coded"), "MA");
        assert_eq!(value("Numbered"), "28");
        assert_eq!(value("Log"), "created 14 Sep 2017");
    }

    // ---- control characters ----

    #[test]
    fn control_characters_are_removed_from_labels_and_values() {
        let tree = TokenTree::new(&json!({
            "evil\u{1b}[31m_key": "red\u{1b}[0m\u{7}",
            "owner": {"name": "Po\u{202E}lina\u{9b}"},
            "tags\u{7}": ["a\nb"],
        }));
        let all: Vec<&Node> = (0..tree.node_count()).map(|id| tree.node(id)).collect();
        for node in &all {
            for text in [&node.label, &node.value] {
                assert!(
                    !text.chars().any(|c| c.is_control() || c == '\u{202E}'),
                    "{text:?}"
                );
            }
        }
        assert_eq!(tree.node(find(&tree, "Evil key")).value, "red");
        assert_eq!(tree.node(find(&tree, "Owner")).value, "Polina");
        assert_eq!(tree.node(find(&tree, "#1")).value, "a b");
        // The path keeps the raw key so the value can be found again.
        let path = tree.path(find(&tree, "#1"));
        assert_eq!(path, "/tags\u{7}/0");
    }

    #[test]
    fn keys_sent_twice_show_the_last_value_and_are_marked() {
        let document = Document::parse(
            br#"{"number":"AT1","life_cycle_state":"EFFECTIVE","life_cycle_state":"NOT_EFFECTIVE",
                "owner":{"name":"A","name":"B","a/b":1,"a/b":2},
                "date_of_birth":{"day":1,"day":3,"month":3,"year":1985}}"#,
        )
        .expect("valid JSON");
        let mut tree = TokenTree::from_document(&document);
        tree.expand_all();
        let rows = rows(&tree);
        let row = |label: &str| {
            rows.iter()
                .find(|(_, l, _)| l == label)
                .map(|(_, _, v)| v.clone())
                .unwrap_or_else(|| panic!("no row {label:?} in {rows:?}"))
        };
        assert_eq!(row("Life cycle state (duplicate key)"), "NOT_EFFECTIVE");
        assert_eq!(row("Name (duplicate key)"), "B");
        assert_eq!(row("A/b (duplicate key)"), "2");
        assert_eq!(row("Date of birth (duplicate key)"), "3 March 1985");
        assert_eq!(row("Number"), "AT1", "fields sent once are not marked");
        assert_eq!(row("Owner"), "B");
    }

    #[test]
    fn paths_are_json_pointers() {
        let doc = data(NOT_EFFECTIVE);
        let mut tree = TokenTree::new(&doc);
        tree.toggle_show_empty();
        tree.expand_all();
        for id in 0..tree.node_count() {
            assert!(doc.pointer(&tree.path(id)).is_some(), "{}", tree.path(id));
        }
        let odd = json!({"a/b": {"c~d": 1}});
        let tree = TokenTree::new(&odd);
        assert_eq!(tree.path(1), "/a~1b/c~0d");
        assert_eq!(odd.pointer(&tree.path(1)), Some(&json!(1)));
    }

    // ---- the real payloads ----

    #[test]
    fn the_not_effective_response_reads_well() {
        let mut tree = TokenTree::new(&data(NOT_EFFECTIVE));
        assert_eq!(
            rows(&tree),
            [
                (0, "Number".into(), "AT0000000671".into()),
                (0, "Life cycle state".into(), "NOT_EFFECTIVE".into()),
                (0, "Authentication code".into(), "99021047380".into()),
                (0, "Identifier".into(), "250".into()),
                (0, "Classification".into(), "Mobile Application".into()),
                (0, "Rewards participant".into(), "RP0000000010".into()),
                (
                    0,
                    "Accounts receivable".into(),
                    "ACR0000000069 Polina Kestora".into()
                ),
                (
                    0,
                    "Log information".into(),
                    "updated 14 Sep 2017 12:20:06".into()
                ),
                (0, "ID".into(), "607F9A540C2E4698A0598B8880F873F4".into()),
            ]
        );
        assert_eq!(tree.cursor(), 0);
        go_to(&mut tree, "Rewards participant");
        tree.expand_or_enter();
        tree.expand_or_enter();
        assert_eq!(selected_label(&tree), "Number");
        assert_eq!(
            tree.node(tree.selected().unwrap_or(0)).value,
            "RP0000000010"
        );
        tree.move_down();
        assert_eq!(selected_label(&tree), "Life cycle state");
        go_to(&mut tree, "Accounts receivable");
        tree.expand_or_enter();
        tree.move_down();
        assert_eq!(selected_label(&tree), "Number");
        assert_eq!(tree.node(tree.selected().unwrap_or(0)).depth, 2);
        assert_eq!(
            tree.path(tree.selected().unwrap_or(0)),
            "/rewards_participant/accounts_receivable/number"
        );
        go_to(&mut tree, "Account owner");
        assert_eq!(
            tree.node(tree.selected().unwrap_or(0)).value,
            "Polina Kestora"
        );
        tree.expand_or_enter();
        go_to(&mut tree, "Demographics");
        tree.expand_or_enter();
        let demographics: Vec<String> = rows(&tree)
            .into_iter()
            .filter(|r| r.0 == 4)
            .map(|r| format!("{}={}", r.1, r.2))
            .collect();
        assert_eq!(
            demographics,
            [
                "Gender=FEMALE",
                "ID number=112233",
                "Country of residence=IRAN (ISLAMIC REPUBLIC OF)"
            ]
        );
        go_to(&mut tree, "Log information");
        tree.expand_or_enter();
        tree.move_down();
        assert_eq!(selected_label(&tree), "Created date");
        assert_eq!(
            tree.node(tree.selected().unwrap_or(0)).value,
            "14 Sep 2017 12:18:01"
        );
        tree.collapse_all();
        assert_eq!(selected_label(&tree), "Log information");
        assert_eq!(tree.visible().len(), 9);
    }

    #[test]
    fn the_deleted_response_reads_its_reward_participant() {
        let tree = TokenTree::new(&data(DELETED));
        let labels = labels(&tree);
        assert!(
            labels.contains(&"Rewards participant".to_owned()),
            "{labels:?}"
        );
        let rp = find(&tree, "Rewards participant");
        assert_eq!(tree.node(rp).value, "28");
        assert_eq!(tree.path(rp), "/reward_participant");
    }

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
        let mut tree =
            TokenTree::new(&json!({"number": "AT1", "owner": {"name": "P", "x": {"y": 1}}}));
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
        let mut tree =
            TokenTree::new(&json!({"number": "AT1", "owner": {"name": "P", "x": {"y": 1}}}));
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
}
