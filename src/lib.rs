//! tokendesk: a terminal back-office console for CRM.COM access tokens.
//!
//! Two front-ends, `cli` (the command line) and `console` (key press -> `app::Msg` ->
//! `app::App::update` -> `ui::draw`), over what they share: `setup` (start-up and the
//! connection), `fate` (what happens to a token when acted on, and its words), `keys` (the
//! key table the config file and the console share), `audit`, `tree`, and `api`, which owns
//! every byte of HTTP. `simulator` is the built-in CRM.COM stand-in. The files at the top
//! are the rules everyone uses: `text` (sanitising and widths), `mask`, `exit` and
//! `safe_file`. The binary (`main.rs`) only wires them together.

pub mod api;
pub mod audit;
pub mod cli;
pub mod console;
pub mod exit;
pub mod fate;
pub mod keys;
pub mod mask;
pub mod recent;
pub mod safe_file;
pub mod setup;
pub mod simulator;
pub mod text;
pub mod tree;
