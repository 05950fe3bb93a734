//! The questions the console asks before it acts or quits: one question type (`question`:
//! the guard, the cancel key, the answer line and its pastes), the guard that keeps keys
//! typed ahead of a question from answering it, and the three prompts built on them
//! (`confirm`: the confirmations of an action and of a batch, the quit prompt).

pub mod confirm;
pub mod guard;
pub mod question;
