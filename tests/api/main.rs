//! Integration tests of the HTTP interface, one file per resource or concern.

mod agreements;
mod auth;
mod caching;
mod commitments;
mod errors;
mod export;
mod helpers;
mod metrics;
mod middleware;
mod observations;
mod openapi;
mod page;
mod paging;
mod parties;
mod rounds;
mod search;
mod seed;
mod server;
mod sources;
