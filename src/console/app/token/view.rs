//! The token on screen as the app holds it: its data, its tree and its raw view.

use std::time::Duration;

use serde_json::Value;

use super::find_line::FindLine;
use crate::api::{AccessTokenIdentifier, TokenSummary};
use crate::tree::TokenTree;

/// The token on screen.
#[derive(Debug)]
pub struct TokenView {
    pub data: Value,
    pub summary: TokenSummary,
    pub tree: TokenTree,
    /// How the token is addressed for re-reads and actions.
    pub identifier: Option<AccessTokenIdentifier>,
    /// The search line that names this token.
    pub query: String,
    /// When the data was read, on the app's clock.
    pub read_at: Duration,
    pub deleted: bool,
    /// The raw JSON view, when open.
    pub raw: Option<RawView>,
    /// The find line, when open (`f`).
    pub find: Option<FindLine>,
}

#[derive(Debug)]
pub struct RawView {
    pub lines: Vec<String>,
    pub offset: usize,
}
