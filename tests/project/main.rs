//! Checks on the project rather than on behaviour: the shape of `src/`, and what ships beside
//! the binary (manual page, completions, version).
//!
//! One test binary, one module per subject (TESTING.md, "Where a test goes").

#[path = "../support/mod.rs"]
mod support;

mod architecture;
mod shipped;
