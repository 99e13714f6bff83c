//! The record over time: which resources a revision changed (`resource`), each resource's
//! history and past views (`history`, `history_route`), read with the fields added since they
//! were stored (`upgrade`), and the feed of changes, paged and live (`feed`), whose live streams
//! share one reader of the log (`fanout`).

pub mod fanout;
pub mod feed;
pub mod history;
mod history_route;
pub mod past;
pub mod resource;
mod routes;
mod upgrade;

pub use fanout::ChangeFanout;
pub use feed::ChangeEntry;
pub use history::{AsOf, AsOfQuery, HistoryEntry, as_of_schema, read_item, view_as_of};
pub use past::{AsOfListing, PastFilter, field_in, list_holds, reported_by_one_of};
pub use resource::{ResourceType, current_view};
pub use routes::router;

/// The live change stream's path: never cached, never compressed.
pub const STREAM_PATH: &str = "/api/v1/changes/stream";
