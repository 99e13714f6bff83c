//! Integration tests of the HTTP interface, one file per resource or concern.

mod agreements;
mod commitments;
mod errors;
mod helpers;
mod middleware;
mod observations;
mod parties;
mod rounds;
mod seed;
mod server;
mod sources;
