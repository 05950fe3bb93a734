//! The shared core: what happens to one token when a clerk asks for an action on it, and
//! the words for it, written once for both front-ends (the console, driving it from its
//! messages; the command line, from its async loop), for a single token and for each token
//! of a batch. Both front-ends ask it; it knows neither (no terminal, no command line, no
//! HTTP of its own).
//!
//! - [`course`]: one token's way through an action, as a plain state machine: read first,
//!   leave it out when its state does not allow the action, act, judge the answer, re-read
//!   after a lost or unreadable answer and after any refusal, and wait out a busy server.
//!   It sends nothing itself: it says which request comes next, and takes its answer.
//! - [`vocabulary`]: the one vocabulary a token ends in (left out, done, refused, failed,
//!   unknown) and the words for each.
//! - [`tally`]: what a batch came to, and its summary sentence.
//! - [`confirmation`]: what confirms each action, and how the server is named.
//! - [`reason`]: whether an action needs a reason, and whether the one given is acceptable.

pub mod confirmation;
pub mod course;
pub mod reason;
pub mod tally;
pub mod vocabulary;

pub use course::{Course, Next, Request};
pub use tally::{Tally, Verdict};
pub use vocabulary::{Fate, LeftOut, Outcome, state_after};
