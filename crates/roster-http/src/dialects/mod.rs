//! The API dialects: each a folder with its own DTOs, mapping and error body, over one directory.

pub mod bluexp;
pub mod native;
pub mod scim;
pub mod wavefront;
