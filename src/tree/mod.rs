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
//! - Field names go through [`humanize_label`](label::humanize_label); array items are `#1`, `#2`, ...;
//!   `rewards_participant` and `reward_participant` both read "Rewards participant"; a key
//!   that is `""` reads "(empty key)", one with nothing printable "(blank key)".
//! - Scalars go through [`format_scalar`](format::format_scalar): date-times read "14 Sep 2017 12:18:01", booleans
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
//! # Personal data
//! The values of fields the [`Mask`] covers (and everything inside them), and the summary of
//! an object that quotes one, are masked in [`Node::value`]; the tree keeps the real value
//! beside it, so [`TokenTree::reveal`] needs no re-read. [`TokenTree::value`] is what to
//! show: masked until revealed.
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

mod build;
pub mod format;
mod label;
mod order;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use crate::api::Document;
use crate::mask::Mask;
use build::Builder;

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
    /// the node is empty. Masked when it is personal data (see [`TokenTree::value`]).
    pub value: String,
    /// The value in clear, when `value` is masked.
    clear: Option<String>,
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

    /// Whether `value` is masked personal data.
    pub fn is_masked(&self) -> bool {
        self.clear.is_some()
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
    /// Personal data shown in clear.
    revealed: bool,
    /// Whether any value is masked (worked out once, asked at every draw).
    has_masked: bool,
    cursor: usize,
    offset: usize,
    viewport: usize,
}

/// Viewport height assumed until the app calls [`TokenTree::set_viewport_height`].
const DEFAULT_VIEWPORT: usize = 20;

impl TokenTree {
    /// Flattens any JSON value, masking the built-in personal data fields. Never recurses,
    /// so nesting depth is not a limit.
    pub fn new(token: &Value) -> TokenTree {
        TokenTree::masked(token, &Mask::default())
    }

    /// Flattens any JSON value, masking what `mask` covers.
    pub fn masked(token: &Value, mask: &Mask) -> TokenTree {
        let nodes = Builder::new(mask).build(token);
        let mut tree = TokenTree {
            has_masked: nodes.iter().any(Node::is_masked),
            open: vec![false; nodes.len()],
            nodes,
            visible: Vec::new(),
            show_empty: false,
            revealed: false,
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
        TokenTree::from_document_masked(document, &Mask::default())
    }

    /// [`from_document`](Self::from_document), masking what `mask` covers.
    pub fn from_document_masked(document: &Document, mask: &Mask) -> TokenTree {
        let mut tree = TokenTree::masked(&document.value, mask);
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

    /// The value of node `id` as it is shown: masked personal data stays masked until
    /// [`reveal`](Self::reveal).
    pub fn value(&self, id: NodeId) -> &str {
        let node = &self.nodes[id];
        match &node.clear {
            Some(clear) if self.revealed => clear,
            _ => &node.value,
        }
    }

    /// Shows personal data in clear (`true`) or masked again (`false`).
    pub fn reveal(&mut self, revealed: bool) {
        self.revealed = revealed;
    }

    pub fn revealed(&self) -> bool {
        self.revealed
    }

    /// Whether any value is masked (so that revealing would show something).
    pub fn has_masked(&self) -> bool {
        self.has_masked
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

    /// Shows node `id` (opening the branches above it) and puts the cursor on it.
    pub fn go_to(&mut self, id: NodeId) {
        let mut parent = self.nodes.get(id).and_then(|n| n.parent);
        while let Some(at) = parent {
            self.open[at] = true;
            parent = self.nodes[at].parent;
        }
        self.rebuild_visible();
        self.reselect(Some(id));
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
    /// or an action): the same branches open, empties shown or not, personal data revealed
    /// or not (it was revealed, and audited, for this token), the cursor on the same
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
        self.revealed = earlier.revealed;
        self.viewport = earlier.viewport;
        self.offset = earlier.offset;
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
