//! The shared core: what happens to a token when a clerk acts on it, and the words for it,
//! written once for the console and the command line. Both front-ends ask it; it knows
//! neither (no terminal, no command line, no HTTP of its own).

pub mod confirmation;
