//! The questions the console asks before it acts or quits: the confirmations of an action
//! and of a batch, the quit prompt, and the guard that keeps keys typed ahead of a question
//! from answering it.

pub mod confirm;
pub mod guard;
