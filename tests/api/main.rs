//! Integration tests of the HTTP interface, one file per resource or concern.

mod agreements;
mod auth;
mod caching;
mod commitments;
mod concurrency;
mod durability;
mod errors;
mod export;
mod helpers;
mod history;
mod metrics;
mod middleware;
mod observations;
mod openapi;
mod page;
mod paging;
mod parties;
mod process;
mod rounds;
mod search;
mod seed;
mod server;
mod shutdown;
mod sources;
mod stream;
mod writes;
