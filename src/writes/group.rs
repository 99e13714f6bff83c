//! Group commit: writes that arrive together share one durable commit, and each is still
//! acknowledged only after that commit.
//!
//! Writes take turns on one open `begin immediate` transaction (a batch). The first write of a
//! batch begins it; a write that finds a batch open joins it under a savepoint, so that when it
//! fails, `rollback to` undoes its part alone and it answers its own 4xx. A write that has done
//! its part gives up the turn and asks for the batch's commit at the back of the queue
//! (`tokio::sync::Mutex` is fair): the writes already waiting do their part first, then one
//! commit (one sync of the log) makes them all durable, and every one of them is answered. A
//! write alone pays what it paid before, one commit; under load, one sync serves many.
//!
//! Revisions stay in commit order and gap-free: each write appends its revision inside the batch
//! after those of the writes before it, and a write undone by `rollback to` takes its revision
//! with it.

use std::sync::Arc;

use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

use crate::error::ApiError;

/// Most writes one batch takes: bounds how long a batch holds SQLite's write lock, how deep its
/// savepoints nest and how long its first write waits for its answer.
const MAX_BATCH: usize = 64;

/// Where writes take turns and batches are committed; one per server.
#[derive(Clone, Default)]
pub struct WriteQueue {
    turn: Arc<Mutex<Turn>>,
}

#[derive(Default)]
struct Turn {
    open: Option<Batch>,
    /// Batches begun so far: a batch's number tells a commit request whether its batch is the
    /// one still open.
    begun: u64,
}

/// Writes sharing one transaction, and the commit's outcome that each of them waits for.
struct Batch {
    number: u64,
    tx: Transaction<'static, Sqlite>,
    /// Writes that did their part in it (their failed neighbours were rolled back).
    writes: usize,
    /// `None` until the batch is committed or lost; dropped unsent (the transaction rolled
    /// back) if its commit never runs.
    durable: watch::Sender<Option<Result<(), Failure>>>,
}

/// Why a batch was not committed, told to each of its writes.
#[derive(Clone, Debug)]
enum Failure {
    /// The database refused the batch (read-only, full, busy): the 503's detail.
    Unavailable(String),
    Internal(Arc<str>),
}

impl Failure {
    fn of(error: sqlx::Error) -> Self {
        match ApiError::from(error) {
            ApiError::Unavailable(detail) => Self::Unavailable(detail),
            other => Self::Internal(format!("{:#}", anyhow::Error::from(other)).into()),
        }
    }
}

impl From<Failure> for ApiError {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Unavailable(detail) => Self::Unavailable(detail),
            Failure::Internal(cause) => Self::Internal(anyhow::anyhow!(
                "the write's batch was not committed: {cause}"
            )),
        }
    }
}

/// One write's turn in a batch: its statements run on [`Seat::conn`]; it ends with
/// [`Seat::done`] (kept, answered once durable) or [`Seat::undo`] (rolled back alone). A seat
/// dropped without either (its request cancelled) is undone in the background.
pub struct Seat {
    held: Option<(OwnedMutexGuard<Turn>, Batch)>,
    /// Whether the write runs under a savepoint: it joined a batch that holds other writes.
    joined: bool,
}

impl WriteQueue {
    /// Waits for the write's turn and begins its part: a savepoint in the open batch, or a new
    /// batch.
    pub async fn seat(&self, pool: &SqlitePool) -> Result<Seat, ApiError> {
        let mut turn = Arc::clone(&self.turn).lock_owned().await;
        if let Some(full) = turn.open.take_if(|batch| batch.writes >= MAX_BATCH) {
            commit(full).await;
        }
        let batch = match turn.open.take() {
            Some(mut batch) => match sqlx::query("savepoint write").execute(&mut *batch.tx).await {
                Ok(_) => batch,
                Err(error) => {
                    turn.open = Some(batch);
                    return Err(error.into());
                }
            },
            None => {
                turn.begun += 1;
                Batch {
                    number: turn.begun,
                    tx: pool.begin_with("begin immediate").await?,
                    writes: 0,
                    durable: watch::channel(None).0,
                }
            }
        };
        Ok(Seat {
            joined: batch.writes > 0,
            held: Some((turn, batch)),
        })
    }
}

impl Seat {
    pub fn conn(&mut self) -> &mut SqliteConnection {
        match &mut self.held {
            Some((_, batch)) => &mut batch.tx,
            // `done` and `undo` take the seat by value: a live seat is always held.
            None => unreachable!("a seat is held until it is done or undone"),
        }
    }

    /// Keeps the write's part in the batch, gives up the turn, and waits until the batch is
    /// committed: `Ok` once the write is durable.
    pub async fn done(mut self) -> Result<(), ApiError> {
        let Some((mut turn, mut batch)) = self.held.take() else {
            unreachable!("a seat is held until it is done or undone")
        };
        batch.writes += 1;
        let number = batch.number;
        let mut durable = batch.durable.subscribe();
        turn.open = Some(batch);
        let queue = Arc::clone(OwnedMutexGuard::mutex(&turn));
        drop(turn);
        // The commit request queues behind the writes waiting now, so that they share the
        // commit; spawned, so that it runs even if this request is cancelled.
        tokio::spawn(async move {
            let mut turn = queue.lock_owned().await;
            if let Some(batch) = turn.open.take_if(|batch| batch.number == number) {
                commit(batch).await;
            }
        });
        match durable.wait_for(Option::is_some).await {
            Ok(outcome) => outcome.clone().unwrap_or(Ok(())).map_err(ApiError::from),
            // The batch was dropped uncommitted (the server is stopping): nothing was written.
            Err(_) => Err(ApiError::Internal(anyhow::anyhow!(
                "the write's batch was rolled back before its commit"
            ))),
        }
    }

    /// Rolls the write's part back, leaving the batch's other writes in place, and gives up
    /// the turn.
    pub async fn undo(mut self) {
        if let Some((turn, batch)) = self.held.take() {
            undo(turn, batch, self.joined).await;
        }
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        if let Some((turn, batch)) = self.held.take() {
            let joined = self.joined;
            // Without a runtime (the server is stopping) the batch is dropped instead: its
            // transaction rolls back, and its writes are told it was not committed.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(undo(turn, batch, joined));
            }
        }
    }
}

async fn undo(mut turn: OwnedMutexGuard<Turn>, mut batch: Batch, joined: bool) {
    if !joined {
        // Alone in its batch: nothing else to keep. A failed rollback leaves the connection to
        // the pool's check (`db::connect`).
        if let Err(error) = batch.tx.rollback().await {
            tracing::warn!(%error, "cannot roll a write back");
        }
        return;
    }
    match sqlx::query("rollback to write")
        .execute(&mut *batch.tx)
        .await
    {
        Ok(_) => turn.open = Some(batch),
        // SQLite rolled the whole transaction back itself (SQLITE_FULL, SQLITE_IOERR,
        // SQLITE_NOMEM): the batch's writes are lost, none of them acknowledged yet.
        Err(error) => {
            tracing::error!(%error, "a batch of writes was rolled back");
            batch.durable.send_replace(Some(Err(Failure::of(error))));
        }
    }
}

/// Commits the batch, one durable sync for all its writes, and tells them the outcome.
async fn commit(batch: Batch) {
    let Batch { tx, durable, .. } = batch;
    let outcome = tx.commit().await.map_err(Failure::of);
    durable.send_replace(Some(outcome));
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pool() -> (tempfile::TempDir, SqlitePool) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("group.db").display());
        let pool = crate::db::connect(&url, None).await.expect("a database");
        sqlx::query("create table written (name text primary key)")
            .execute(&pool)
            .await
            .expect("a table");
        (dir, pool)
    }

    /// One write: inserts `name`, then keeps it, or undoes it when `fails`.
    async fn write(queue: &WriteQueue, pool: &SqlitePool, name: &str, fails: bool) -> bool {
        let mut seat = queue.seat(pool).await.expect("a seat");
        sqlx::query("insert into written (name) values (?1)")
            .bind(name)
            .execute(seat.conn())
            .await
            .expect("an insert");
        if fails {
            seat.undo().await;
            false
        } else {
            seat.done().await.is_ok()
        }
    }

    async fn written(pool: &SqlitePool) -> Vec<String> {
        sqlx::query_scalar("select name from written order by name")
            .fetch_all(pool)
            .await
            .expect("the rows")
    }

    #[tokio::test]
    async fn writes_waiting_together_share_one_commit_and_a_failed_one_is_undone_alone() {
        let (_dir, pool) = pool().await;
        let queue = WriteQueue::default();
        // The first takes the turn; the others queue behind it, before its commit request.
        let outcomes = tokio::join!(
            write(&queue, &pool, "a", false),
            write(&queue, &pool, "b", true),
            write(&queue, &pool, "c", false),
            write(&queue, &pool, "d", false),
        );
        assert_eq!(outcomes, (true, false, true, true));
        assert_eq!(written(&pool).await, ["a", "c", "d"]);
        assert_eq!(queue.turn.lock().await.begun, 1, "one batch, one commit");
    }

    #[tokio::test]
    async fn a_failed_first_write_rolls_its_batch_back_and_the_next_begins_anew() {
        let (_dir, pool) = pool().await;
        let queue = WriteQueue::default();
        assert!(!write(&queue, &pool, "a", true).await);
        assert!(write(&queue, &pool, "b", false).await);
        assert_eq!(written(&pool).await, ["b"]);
        assert_eq!(queue.turn.lock().await.begun, 2);
    }

    #[tokio::test]
    async fn a_write_dropped_in_its_turn_is_undone_and_its_batch_still_commits() {
        let (_dir, pool) = pool().await;
        let queue = WriteQueue::default();
        let mut first = queue.seat(&pool).await.expect("a seat");
        sqlx::query("insert into written (name) values ('a')")
            .execute(first.conn())
            .await
            .expect("an insert");
        let (kept, ()) = tokio::join!(first.done(), async {
            let mut dropped = queue.seat(&pool).await.expect("a seat");
            sqlx::query("insert into written (name) values ('b')")
                .execute(dropped.conn())
                .await
                .expect("an insert");
            // Cancelled here, as a request whose client went away.
        });
        assert!(kept.is_ok());
        assert!(write(&queue, &pool, "c", false).await);
        assert_eq!(written(&pool).await, ["a", "c"]);
    }
}
