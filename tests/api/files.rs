//! The files the service creates (the database, its WAL and shared memory, its lock file,
//! backups and restored databases) are readable and writable by their owner only, whatever the
//! umask.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::process::{ServerProcess, create_writer, database_dir, run_command};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn the_database_its_wal_its_lock_and_backups_are_created_mode_0600() {
    let (_guard, dir) = database_dir();
    // Under a umask that already hides new files from others the test would prove nothing.
    let control = dir.join("control");
    std::fs::write(&control, b"").unwrap();
    assert_ne!(
        mode(&control) & 0o077,
        0,
        "run the tests under a umask that lets others read new files (such as the usual 022)"
    );
    let token = create_writer(&dir, "owner");
    let server = ServerProcess::start(&dir, &[]);
    assert_eq!(server.observe(&token, "private").await.status(), 201);
    let backup = dir.join("backup.db");
    run_command(&dir, &["backup", backup.to_str().unwrap()]);

    for name in [
        "record.db",
        "record.db-wal",
        "record.db-shm",
        "record.db-lock",
        "backup.db",
    ] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
    // A restored database is as private as the one it replaces.
    drop(server);
    run_command(&dir, &["restore", backup.to_str().unwrap()]);
    assert_eq!(mode(&dir.join("record.db")), 0o600, "restored record.db");
}
