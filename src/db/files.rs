//! The database's files on disk: created readable by their owner only, and a lock file that
//! keeps `restore` from replacing the database under a process that has it open.
//!
//! SQLite creates a database's WAL and shared-memory files with the database file's own mode,
//! so creating the database itself with mode 0600 keeps all three private, whatever the umask.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The mode of every file the service creates: the record holds token digests and the server's
/// secrets.
#[cfg(unix)]
const PRIVATE_MODE: u32 = 0o600;

/// Opens `path` for writing, creating it with mode 0600; `Ok(None)` when it exists already
/// (its mode is then the operator's choice and is left alone).
pub fn create_private(path: &Path) -> io::Result<Option<File>> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_MODE);
    match options.open(path) {
        Ok(file) => Ok(Some(file)),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(None),
        Err(error) => Err(error),
    }
}

/// `record.db` -> `record.db-<suffix>`, where SQLite keeps its own companions.
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!("-{suffix}"));
    PathBuf::from(name)
}

/// An advisory lock on `<database>-lock`, a file that is never replaced: every process of this
/// service holds it shared while it has the database open, `restore` holds it exclusively while
/// it replaces the file. Released when dropped, or when the process ends however it ends.
#[derive(Debug)]
pub struct DatabaseLock {
    _file: File,
}

impl DatabaseLock {
    /// Taken before opening the database; refused while a restore is replacing it.
    pub fn shared(database: &Path) -> anyhow::Result<Self> {
        let file = open_lock_file(database)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => bail!(
                "{} is being restored by another process; start again once the restore has finished",
                database.display()
            ),
            Err(TryLockError::Error(error)) => {
                Err(error).with_context(|| format!("cannot lock {}", lock_path(database).display()))
            }
        }
    }

    /// Taken by `restore`; refused while any process of this service has the database open.
    pub fn exclusive(database: &Path) -> anyhow::Result<Self> {
        let file = open_lock_file(database)?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => bail!(
                "{} is in use: a server or another command of this service has it open; stop it \
                 before restoring (nothing was changed)",
                database.display()
            ),
            Err(TryLockError::Error(error)) => {
                Err(error).with_context(|| format!("cannot lock {}", lock_path(database).display()))
            }
        }
    }
}

fn lock_path(database: &Path) -> PathBuf {
    sibling(database, "lock")
}

fn open_lock_file(database: &Path) -> anyhow::Result<File> {
    let path = lock_path(database);
    let opened = match create_private(&path) {
        Ok(Some(file)) => Ok(file),
        Ok(None) => OpenOptions::new().write(true).open(&path),
        Err(error) => Err(error),
    };
    opened.with_context(|| format!("cannot open the lock file {}", path.display()))
}
