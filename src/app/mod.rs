//! Application state: the token tree model (the rest of `App` lands here later).

pub mod tree;
