//! Black-box tests of Roster over HTTP: a real server on a random port, on SQLite and PostgreSQL.
//! One test per documented rule, named after it.

mod compat;
mod support;

mod access;
mod app_user_update;
mod applications;
mod bluexp;
mod catalog;
mod cli;
mod edge;
mod optimization;
mod scim;
mod scim_client;
mod scim_mapping;
mod user_update;
mod users;
mod wavefront;
mod wavefront_client;
