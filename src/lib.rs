//! tokendesk: a terminal back-office console for CRM.COM access tokens.
//!
//! Data flows one way: key press -> `app::Msg` -> `app::App::update` -> `ui::draw`.
//! `api` owns every byte of HTTP, `simulator` is the built-in CRM.COM stand-in, and the
//! binary (`main.rs`) only wires them together.

pub mod api;
pub mod audit;
pub mod cli;
pub mod console;
pub mod exit;
pub mod fate;
pub mod keys;
pub mod mask;
pub mod safe_file;
pub mod setup;
pub mod simulator;
pub mod text;
pub mod tree;
