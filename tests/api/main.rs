//! Integration tests of the HTTP interface, one file per resource or concern.

mod agreements;
mod auth;
mod backup;
mod caching;
mod commitments;
mod concurrency;
mod connections;
mod durability;
mod errors;
mod evidence;
mod export;
mod export_seed;
mod facets;
mod faithful;
mod fields;
mod files;
mod findings;
mod full_database;
mod heads;
mod helpers;
mod history;
mod hostile;
mod import;
mod logs;
mod long_records;
mod metrics;
mod middleware;
mod negotiation;
mod observations;
mod openapi;
mod page;
mod paging;
#[cfg(feature = "parquet")]
mod parquet;
mod parties;
mod party_writes;
mod process;
mod rate_limits;
// README describes the default build, whose examples include Parquet.
#[cfg(feature = "parquet")]
mod readme;
mod redirects;
mod rounds;
mod search;
mod seed;
mod server;
mod shutdown;
mod sort_keys;
mod source_metadata;
mod sources;
mod stream;
mod stream_fanout;
mod supersedes;
mod upgrade;
mod writes;
