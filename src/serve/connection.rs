//! One connection's life: the requests it has in flight, and the watchdog that closes it when
//! its client sends no complete first request in time (a silent socket, an HTTP/2 preface with
//! unfinished HEADERS) or leaves it with nothing in flight for the idle timeout.

use std::fmt::Display;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use tokio::sync::{Notify, watch};
use tokio::time::Instant;

/// How long a connection told to close may take to say goodbye (an HTTP/2 GOAWAY and the ping
/// that confirms it) before it is dropped: a client that does not answer must not hold it.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// How long a connection may wait for its first request, and then stay with none in flight.
#[derive(Clone, Copy, Debug)]
pub struct Deadlines {
    pub first_request: Duration,
    pub idle: Duration,
}

/// What the watchdog knows of a connection, written by its requests as they start and end.
pub struct Activity {
    accepted: Instant,
    started_a_request: AtomicBool,
    in_flight: AtomicUsize,
    /// Milliseconds from accept to the end of the latest request.
    last_answered_ms: AtomicU64,
    /// Set to close the connection now (a silent one making room for a newcomer).
    evicted: AtomicBool,
    /// Set while the watchdog waits for the requests in flight to end: only then does the end
    /// of one wake it, so that a busy connection's requests cost it nothing.
    awaiting_end: AtomicBool,
    changed: Notify,
}

impl Activity {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            accepted: Instant::now(),
            started_a_request: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            last_answered_ms: AtomicU64::new(0),
            evicted: AtomicBool::new(false),
            awaiting_end: AtomicBool::new(false),
            changed: Notify::new(),
        })
    }

    /// Counts a request in flight until the guard, which its answer's body carries, is dropped.
    pub fn request_started(self: &Arc<Self>) -> RequestGuard {
        // No wake-up: a watchdog asleep until a deadline looks again when it is reached.
        self.started_a_request.store(true, Ordering::SeqCst);
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        RequestGuard(Arc::clone(self))
    }

    pub fn has_started_a_request(&self) -> bool {
        self.started_a_request.load(Ordering::SeqCst)
    }

    /// Tells the watchdog to close the connection at once.
    pub fn evict(&self) {
        self.evicted.store(true, Ordering::SeqCst);
        self.changed.notify_one();
    }

    /// When the connection is due to close as things stand; `None` while a request is in flight.
    fn due(&self, deadlines: Deadlines) -> Option<Instant> {
        if self.evicted.load(Ordering::SeqCst) {
            return Some(self.accepted);
        }
        if !self.has_started_a_request() {
            return Some(self.accepted + deadlines.first_request);
        }
        // Set before the count is read: either this read sees the last request's end, or
        // that end sees the flag and wakes the watchdog. The end is stored before it leaves
        // the count, so a count of 0 read here comes with the latest end.
        self.awaiting_end.store(true, Ordering::SeqCst);
        if self.in_flight.load(Ordering::SeqCst) > 0 {
            return None;
        }
        self.awaiting_end.store(false, Ordering::SeqCst);
        let last_answered = Duration::from_millis(self.last_answered_ms.load(Ordering::SeqCst));
        Some(self.accepted + last_answered + deadlines.idle)
    }

    /// Resolves once the connection is due to close.
    async fn overstayed(&self, deadlines: Deadlines) {
        loop {
            // A wake-up while this reads the state leaves a permit, so none is missed.
            let changed = self.changed.notified();
            match self.due(deadlines) {
                Some(due) if due <= Instant::now() => return,
                Some(due) => {
                    tokio::select! {
                        () = changed => {}
                        () = tokio::time::sleep_until(due) => {}
                    }
                }
                None => changed.await,
            }
        }
    }
}

/// A request in flight on its connection; dropped with its answer's body (or with the request,
/// when the client goes away first).
pub struct RequestGuard(Arc<Activity>);

impl Drop for RequestGuard {
    fn drop(&mut self) {
        let activity = &self.0;
        let since_accept = activity.accepted.elapsed().as_millis();
        activity.last_answered_ms.store(
            u64::try_from(since_accept).unwrap_or(u64::MAX),
            Ordering::SeqCst,
        );
        let was_last = activity.in_flight.fetch_sub(1, Ordering::SeqCst) == 1;
        if was_last && activity.awaiting_end.swap(false, Ordering::SeqCst) {
            activity.changed.notify_one();
        }
    }
}

pin_project! {
    /// An answer's body that keeps its request in flight while it is sent: a streamed answer
    /// (the change stream) keeps its connection busy, not idle, for as long as it runs.
    pub struct TrackedBody<B> {
        #[pin]
        body: B,
        guard: RequestGuard,
    }
}

impl<B> TrackedBody<B> {
    pub fn new(body: B, guard: RequestGuard) -> Self {
        Self { body, guard }
    }
}

impl<B: Body> Body for TrackedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        self.project().body.poll_frame(context)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Drives `connection` until it ends, is due to close, or the server drains (`draining`
/// changes); `close` asks it to close gracefully (hyper's `graceful_shutdown`).
pub async fn drive<C, E>(
    connection: C,
    close: impl Fn(Pin<&mut C>),
    activity: &Activity,
    deadlines: Deadlines,
    mut draining: watch::Receiver<()>,
) where
    C: Future<Output = Result<(), E>>,
    E: Display,
{
    let mut connection = pin!(connection);
    let mut overstayed = pin!(activity.overstayed(deadlines));
    let mut told_to_close = false;
    loop {
        tokio::select! {
            ended = connection.as_mut() => {
                if let Err(error) = ended {
                    tracing::debug!(%error, "connection ended with an error");
                }
                return;
            }
            () = &mut overstayed => break,
            Ok(()) = draining.changed(), if !told_to_close => {
                told_to_close = true;
                close(connection.as_mut());
            }
        }
    }
    tracing::debug!("closing a connection past its deadline");
    if !told_to_close {
        close(connection.as_mut());
    }
    let _ = tokio::time::timeout(CLOSE_GRACE, connection).await;
}
