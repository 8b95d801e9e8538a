//! Roster's domain: the directory's types and rules, and the [`Directory`] service that runs every
//! use case. It knows the [`store::Store`] interface but no database, and no HTTP.

pub mod command;
pub mod credential;
pub mod directory;
pub mod error;
pub mod id;
pub mod model;
pub mod money;
pub mod patch;
pub mod query;
pub mod store;
pub mod values;

pub use directory::{Caller, Directory, Reader, Writer};
pub use error::{DomainError, DomainResult, FieldErrors, Location};
pub use patch::Patch;
