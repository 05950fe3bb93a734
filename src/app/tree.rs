//! The access token as a flattened tree: labels that read as words, hidden empties, open nodes.
//!
//! # Layout
//! Every node of the document lives in one `Vec<Node>` in pre-order (a parent comes before its
//! children, a subtree is one contiguous id range `id..subtree_end`). Each node knows its parent,
//! its first child, its next sibling and where its subtree ends, so moving, opening, closing and
//! listing visible rows never walk the whole document (the idea of jless's `flatjson`).
//! The visible rows are cached in `visible()`, sorted by id (pre-order), and patched in place
//! when one branch opens or closes; only `expand_all`, `collapse_all` and `toggle_show_empty`
//! rebuild them. Cursor moves never touch the cache. Building uses an explicit stack, so any
//! depth of nesting is fine.
//!
//! The root value itself is not a row: an object's fields (or an array's items) are the rows at
//! depth 0; a scalar root is one leaf labelled "Value".
//!
//! # Labels and values
//! - Field names go through [`humanize_label`]; array items are `#1`, `#2`, ...;
//!   `rewards_participant` and `reward_participant` both read "Rewards participant".
//! - Scalars go through [`format_scalar`]: date-times read "14 Sep 2017 12:18:01", booleans
//!   "yes"/"no", numbers as written, other strings as they are.
//! - An object whose keys are only `day`, `month` and `year` is ONE leaf: "3 March 1985",
//!   "3 March", "1985".
//! - A branch's `value` is a one-line summary picked from well-known keys (`number · name`,
//!   `name`, `person_name`, `username`, `company_name`, first + last name, `code`,
//!   `alternative_code`); an array's is "3 items".
//! - Every label and value is passed through [`crate::text::sanitize`] and cut to
//!   [`MAX_VALUE_CHARS`] characters.
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

use serde_json::{Map, Value};

use crate::text::{sanitize, truncate_chars};

/// Index of a node in the tree (its pre-order position).
pub type NodeId = usize;

/// Longest label or value kept, in characters; the view truncates further to its width.
pub const MAX_VALUE_CHARS: usize = 200;

/// What every empty node (null, `""`, `{}`, `[]`, empty date, all-empty branch) reads when shown.
pub const EMPTY_VALUE: &str = "—";

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
    Key(Box<str>),
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

    pub fn first_child(&self) -> Option<NodeId> {
        self.first_child
    }

    pub fn next_sibling(&self) -> Option<NodeId> {
        self.next_sibling
    }

    /// One past the last descendant: the subtree is `id..subtree_end()`.
    pub fn subtree_end(&self) -> NodeId {
        self.end
    }
}

/// What the view needs for one row on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisibleRow {
    pub id: NodeId,
    /// Index into [`TokenTree::visible`].
    pub index: usize,
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

    pub fn is_open(&self, id: NodeId) -> bool {
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

    pub fn viewport_height(&self) -> usize {
        self.height()
    }

    /// The rows that fit on screen, from `offset()`.
    pub fn screen_rows(&self) -> impl Iterator<Item = VisibleRow> + '_ {
        let end = self.visible.len().min(self.offset + self.height());
        let start = self.offset.min(end);
        self.visible[start..end]
            .iter()
            .enumerate()
            .map(move |(i, &id)| VisibleRow {
                id,
                index: start + i,
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
        let h = self.height();
        self.cursor = self.cursor.saturating_sub(h);
        self.offset = self.offset.saturating_sub(h);
        self.normalize();
    }

    /// One screen down; the cursor keeps its place on the screen where it can.
    pub fn page_down(&mut self) {
        let h = self.height();
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

    /// The JSON pointer (RFC 6901) of the node in the document given to [`new`](Self::new),
    /// e.g. `/rewards_participant/accounts_receivable/name`; `""` for a scalar root. It holds the
    /// RAW keys (so `Value::pointer` finds the node): sanitize it before printing it.
    pub fn path(&self, id: NodeId) -> String {
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

    fn height(&self) -> usize {
        self.viewport.max(1)
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
        let h = self.height();
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
    labels: HashMap<&'a str, String>,
}

struct Pending<'a> {
    value: &'a Value,
    key: Option<&'a str>,
    segment: Segment,
    parent: Option<NodeId>,
    depth: u16,
}

impl<'a> Builder<'a> {
    fn build(mut self, root: &'a Value) -> Vec<Node> {
        let mut stack: Vec<Pending<'a>> = Vec::new();
        match root {
            Value::Object(map) if fold_date(map).is_none() => {
                push_fields(&mut stack, map, None, 0, true);
            }
            Value::Array(items) => push_items(&mut stack, items, None, 0),
            scalar => stack.push(Pending {
                value: scalar,
                key: None,
                segment: Segment::Root,
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

            let label = match (&pending.segment, pending.key) {
                (_, Some(key)) => self
                    .labels
                    .entry(key)
                    .or_insert_with(|| humanize_label(key))
                    .clone(),
                (Segment::Index(i), None) => format!("#{}", i + 1),
                _ => SCALAR_ROOT_LABEL.to_owned(),
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
                segment: pending.segment,
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
        segment: Segment::Key(key.as_str().into()),
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
        segment: Segment::Index(i),
        parent,
        depth,
    }));
}

/// (band, priority): compared first; ties are broken by the natural order of the key.
type FieldRank = (u8, usize);

const TOP_ORDER: &[&str] = &[
    "number",
    "life_cycle_state",
    "authentication_code",
    "identifier",
    "card_masked_number",
    "classification",
    "rewards_participant",
    "reward_participant",
    "accounts_receivable",
    "verified_by_user",
    "verified_date",
    "verification_code",
    "card_last_4_digits",
];

const NESTED_ORDER: &[&str] = &[
    "number",
    "name",
    "person_name",
    "username",
    "title",
    "first_name",
    "middle_name",
    "last_name",
    "company_name",
    "type",
    "life_cycle_state",
    "code",
    "alternative_code",
    "description",
    "email",
    "gender",
    "date_of_birth",
    "name_day",
    "created_date",
    "updated_date",
    "accounts_receivable",
    "account_owner",
    "demographics",
    "company_profile",
    "created_by_user",
    "created_by_unit",
    "updated_by_user",
    "updated_by_unit",
];

fn renders_as_leaf(value: &Value) -> bool {
    match value {
        Value::Object(map) => fold_date(map).is_some(),
        Value::Array(_) => false,
        _ => true,
    }
}

fn field_rank(key: &str, value: &Value, top: bool) -> FieldRank {
    if key == "id" {
        return (9, 0);
    }
    if top {
        if let Some(p) = TOP_ORDER.iter().position(|k| *k == key) {
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
    match (NESTED_ORDER.iter().position(|k| *k == key), leaf) {
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
                let trim = |s: &[u8]| {
                    let zeros = s.iter().take_while(|c| **c == b'0').count();
                    s[zeros..].to_vec()
                };
                let (nx, ny) = (trim(&x[..rx]), trim(&y[..ry]));
                let order = nx.len().cmp(&ny.len()).then_with(|| nx.cmp(&ny));
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
            Some(name) if name != number => format!("{number} · {name}"),
            _ => number,
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
                .unwrap_or_default()
        } else {
            parts.join(" ")
        }
    };
    clean(&line)
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

/// An object of only `day`, `month`, `year` (null, numbers or numeric strings) as one line:
/// "3 March 1985", "3 March", "1985", "" when all are null. `None` when it is not such a date.
fn fold_date(map: &Map<String, Value>) -> Option<String> {
    if map.is_empty()
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
    let mut parts = Vec::new();
    if let Some(day) = day {
        parts.push(day.to_string());
    }
    if let Some(month) = month {
        parts.push(month.to_owned());
    }
    if let Some(year) = year {
        parts.push(year.to_string());
    }
    Some(parts.join(" "))
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
pub fn format_scalar(key: &str, value: &Value) -> String {
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
/// Sanitized and cut to [`MAX_VALUE_CHARS`].
pub fn humanize_label(key: &str) -> String {
    let key = sanitize(key);
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
