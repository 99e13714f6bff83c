//! How many connections are served at once. Up to the cap, each gets the whole interface; a
//! small reserve past it answers the health probes and 503s anything else, so that probes
//! still pass while the cap is reached; past the reserve a connection gets a 503 written
//! straight to it and is closed. The cap is kept within the process's file limit, which is
//! raised to its hard limit at start.

use std::collections::VecDeque;
use std::sync::{Arc, Weak};

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use futures::future::{Either, ready};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use super::connection::Activity;
use crate::http::HttpService;

/// Connections past the cap that are still read, for health probes.
pub const RESERVE: usize = 32;

/// Files the process needs besides its connections: the database's (each pooled connection
/// opens the database and its WAL), the listener, the runtime's, a backup's, and the response
/// cache's sealed bodies.
const FILES_BESIDES_CONNECTIONS: usize = 64 + crate::zero_copy::MAX_SEALED;

/// Seconds a client is told to wait before retrying when the server is full.
const RETRY_AFTER_SECS: u32 = 1;

const AT_CAPACITY: &str = "the server is serving as many connections as it allows; retry shortly";

/// The paths answered on connections past the cap.
const PROBES: [&str; 2] = ["/healthz", "/readyz"];

/// Where an accepted connection goes.
pub enum Slot {
    /// Within the cap: the whole interface, for as long as it holds the permit.
    Served(OwnedSemaphorePermit),
    /// In the reserve: health probes, one request.
    Reserve,
}

/// The cap and the reserve; used by the accept loop alone.
pub struct Admission {
    served: Arc<Semaphore>,
    /// The reserve's connections, oldest first; a dead one has ended.
    reserve: VecDeque<Weak<Activity>>,
    refusal: Vec<u8>,
}

impl Admission {
    pub fn new(max_connections: usize) -> Self {
        Self {
            served: Arc::new(Semaphore::new(max_connections.min(Semaphore::MAX_PERMITS))),
            reserve: VecDeque::with_capacity(RESERVE),
            refusal: raw_refusal(),
        }
    }

    /// A slot for a new connection, or `None` when even the reserve is taken by connections
    /// that are answering requests.
    pub fn admit(&mut self, activity: &Arc<Activity>) -> Option<Slot> {
        if let Ok(permit) = Arc::clone(&self.served).try_acquire_owned() {
            return Some(Slot::Served(permit));
        }
        self.reserve.retain(|member| member.strong_count() > 0);
        if self.reserve.len() >= RESERVE {
            // The oldest connection that has not sent a request makes room: silent sockets
            // must not keep a probe out.
            let silent = self.reserve.iter().position(|member| {
                member
                    .upgrade()
                    .is_some_and(|member| !member.has_started_a_request())
            })?;
            if let Some(member) = self.reserve.remove(silent).and_then(|weak| weak.upgrade()) {
                member.evict();
            }
        }
        self.reserve.push_back(Arc::downgrade(activity));
        Some(Slot::Reserve)
    }

    /// Writes a 503 to a connection that gets no slot, as far as its socket takes it without
    /// waiting, and closes it.
    pub fn refuse(&self, stream: TcpStream) {
        let _ = stream.try_write(&self.refusal);
    }
}

/// The interface as a connection in the reserve sees it: the health probes, and a 503 for
/// anything else.
pub fn probes_only<S: HttpService>(app: S) -> impl HttpService {
    tower::service_fn(move |request: Request| {
        if PROBES.contains(&request.uri().path()) {
            Either::Left(app.clone().oneshot(request))
        } else {
            Either::Right(ready(Ok(at_capacity())))
        }
    })
}

fn at_capacity() -> Response {
    let mut answer =
        crate::error::problem(StatusCode::SERVICE_UNAVAILABLE, AT_CAPACITY, Vec::new());
    answer
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    answer
}

/// The same answer as bytes on the wire, for a connection that is not read at all.
fn raw_refusal() -> Vec<u8> {
    let body = serde_json::json!({
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": AT_CAPACITY,
    })
    .to_string();
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: {}\r\nretry-after: {RETRY_AFTER_SECS}\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        crate::error::PROBLEM_JSON,
        body.len()
    )
    .into_bytes()
}

/// Raises the process's soft limit on open files to its hard limit; returns the new limit.
pub fn raise_file_limit() -> std::io::Result<u64> {
    rlimit::increase_nofile_limit(u64::MAX)
}

/// The connection cap, lowered if need be so that the cap, the reserve and the process's other
/// files fit its file limit: past it, accepting fails and nothing, not even a probe, is read.
pub fn cap_within_file_limit(max_connections: usize) -> usize {
    let Some(file_limit) = soft_file_limit() else {
        return max_connections;
    };
    let room = usize::try_from(file_limit)
        .unwrap_or(usize::MAX)
        .saturating_sub(RESERVE + FILES_BESIDES_CONNECTIONS)
        .max(1);
    if room < max_connections {
        tracing::warn!(
            max_connections,
            file_limit,
            cap = room,
            "the connection cap is lowered to fit the file limit"
        );
    }
    max_connections.min(room)
}

#[cfg(unix)]
fn soft_file_limit() -> Option<u64> {
    rlimit::Resource::NOFILE
        .get()
        .ok()
        .map(|(soft, _hard)| soft)
}

#[cfg(not(unix))]
fn soft_file_limit() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_reserve_makes_room_by_closing_a_silent_connection_never_a_busy_one() {
        let mut admission = Admission::new(1);
        let first = Activity::new();
        let served = admission.admit(&first);
        assert!(matches!(served, Some(Slot::Served(_))));
        let reserve: Vec<_> = (0..RESERVE).map(|_| Activity::new()).collect();
        for member in &reserve {
            assert!(matches!(admission.admit(member), Some(Slot::Reserve)));
        }
        // All but the oldest member of the reserve are answering a request.
        let _busy: Vec<_> = reserve[1..].iter().map(Activity::request_started).collect();

        let newcomer = Activity::new();
        let admitted = admission.admit(&newcomer);
        let _newcomer_busy = newcomer.request_started();
        let latecomer = admission.admit(&Activity::new());

        assert!(matches!(admitted, Some(Slot::Reserve)));
        assert!(latecomer.is_none(), "no silent connection is left to close");
    }
}
