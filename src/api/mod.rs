//! Everything that speaks HTTP to CRM.COM. The console reaches it only through the API
//! task (`task`), with requests in and events out (`request`, plain values with no tokio in
//! them); the command line uses `Client` directly.

pub mod action;
pub mod client;
pub mod error;
pub mod json;
pub mod pages;
pub mod request;
pub mod secret;
pub mod summary;
pub mod transport;
pub mod wire;

pub use action::Action;
pub use client::{Client, ClientConfig};
pub use error::ApiError;
pub use json::Document;
pub use pages::{DEFAULT_LIST_CEILING, ListPages, WHOLE_LIST_PAGE};
pub use request::{ApiCommand, ApiEvent, ApiEventKind, Operation, Reply, RequestId};
pub use secret::{Credentials, Secret};
pub use summary::{LifeCycleState, NumberKind, TokenSummary};
pub use wire::{AccessTokenIdentifier, FieldsSet, ListOwner, ListQuery};
