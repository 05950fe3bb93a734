//! Start-up, shared by the console and the command line: the flags and variables, the config
//! file and its profiles, what they add up to, the terminal's abilities, the environment
//! label, the secrets, the log, and the connection (a logged-in client and an audit log)
//! that both front-ends are handed. Nothing here knows which front-end runs next.

pub mod config_file;
pub mod connect;
pub mod connection_args;
pub mod display;
pub mod environment_label;
pub mod logging;
pub mod paths;
pub mod reach;
pub mod secrets;
pub mod settings;
pub mod version;
