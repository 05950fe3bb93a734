//! The command line: its clap definitions (`args`), the subcommands that talk to a server
//! (`commands`, `listing`, `batch`) and those that read local files (`local_commands`), the
//! manual page and completions generated from the definitions, and its words (`say`). It
//! drives the shared core (`fate`) and the API client from plain async code.

pub mod args;
pub mod batch;
pub mod commands;
pub mod completion;
pub mod listing;
pub mod local_commands;
pub mod manual;
pub mod say;
pub mod shell_line;
