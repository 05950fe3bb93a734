//! Properties (proptest): whatever a server sends, the response reader answers with a value or a
//! clean error, and the console draws it without a panic or a terminal control.
//!
//! One test binary, one module per subject (TESTING.md, "Where a test goes").

#[path = "../support/mod.rs"]
mod support;

mod parser;
mod render_props;
