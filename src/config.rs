//! Command line and environment: one typed configuration, each flag with an environment
//! fallback and a documented default.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Arg, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    version,
    about = "Serves the U.S.–China trade framework record over HTTP"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The flags every command reads; the others only the server does.
const SHARED_FLAGS: [&str; 3] = ["database_url", "log", "log_format"];

impl Cli {
    /// The process's command line, parsed; exits with the usage on an error or `--help`.
    pub fn read() -> Self {
        let matches = Self::with_focused_help().get_matches();
        Self::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
    }

    /// The command line, where the help of a command other than `serve` lists only the flags
    /// it reads. The server's flags are global, so that they go before or after `serve`; each
    /// other command gets a hidden copy of them, which clap then does not propagate.
    pub fn with_focused_help() -> clap::Command {
        let root = <Self as CommandFactory>::command();
        let hidden: Vec<Arg> = root
            .get_arguments()
            .filter(|arg| arg.is_global_set())
            .filter(|arg| !SHARED_FLAGS.contains(&arg.get_id().as_str()))
            .map(|arg| arg.clone().hide(true))
            .collect();
        let hide = |command: clap::Command| command.args(hidden.iter().cloned());
        root.mut_subcommand("backup", hide)
            .mut_subcommand("restore", hide)
            .mut_subcommand("import", hide)
            .mut_subcommand("export", hide)
            .mut_subcommand("token", |token| {
                hide(token)
                    .mut_subcommand("create", hide)
                    .mut_subcommand("list", hide)
                    .mut_subcommand("revoke", hide)
            })
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the record (the default when no command is given).
    Serve,
    /// Copy the live database, consistently, to FILE (which must not exist); safe while serving.
    Backup {
        /// Where to write the copy.
        file: std::path::PathBuf,
    },
    /// Check the copy FILE and replace the database with it; refused while a server or any
    /// other process has the database open.
    Restore {
        /// The copy to restore.
        file: std::path::PathBuf,
    },
    /// Add the facts of a reviewed file in the seed's format (docs/SEED_FORMAT.md) and
    /// the source texts it names (beside it) to the database, in one transaction authored by a
    /// token; safe while serving. Facts already recorded, equal, are skipped; nothing is written
    /// if anything is wrong, and every problem is listed with its line.
    Import {
        /// The seed-format file (TOML).
        file: std::path::PathBuf,
        /// Name of the live `admin` token the change log names as the author.
        #[arg(long)]
        token: String,
    },
    /// Write the current record to a folder in the seed's format: `seed.toml` and one
    /// `<source>.txt` per source, in a stable order, for review in version control.
    Export {
        /// The format to write.
        #[arg(long, value_enum, default_value_t = ExportFormat::Seed)]
        format: ExportFormat,
        /// The folder to write to (created if missing; an earlier export there is overwritten).
        #[arg(long, default_value = "record-export")]
        output: std::path::PathBuf,
    },
    /// Create, list and revoke the bearer tokens that writes need.
    #[command(subcommand)]
    Token(TokenCommand),
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// The seed's format: a TOML manifest beside the source texts, what `import` reads.
    Seed,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it once; only its SHA-256 is stored.
    Create {
        /// The token's name: public, it names the author of each change it makes.
        #[arg(long)]
        name: String,
        /// What the token may do.
        #[arg(long, value_enum)]
        scope: crate::auth::scope::Scope,
    },
    /// List tokens: names, scopes, dates; never secrets.
    List,
    /// Revoke a token by name; writes with it are refused from then on.
    Revoke {
        /// The token's name.
        name: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "TRADE_API_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// SQLite database URL; the file is created, migrated and seeded when missing.
    #[arg(
        long,
        env = "TRADE_API_DATABASE_URL",
        default_value = "sqlite://trade-agreement.db",
        global = true
    )]
    pub database_url: String,

    /// Log filter in `tracing` EnvFilter syntax.
    #[arg(
        long,
        env = "TRADE_API_LOG",
        default_value = "info,sqlx=warn",
        global = true
    )]
    pub log: String,

    /// Log line format.
    #[arg(long, env = "TRADE_API_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty, global = true)]
    pub log_format: LogFormat,

    /// Seconds a request may take before it is answered 408.
    #[arg(
        long,
        env = "TRADE_API_REQUEST_TIMEOUT",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,

    /// Seconds a client has to send a request's headers, counted from the connection's accept
    /// for its first request (HTTP/1 or HTTP/2); a connection that takes longer (a silent
    /// socket, headers sent byte by byte) is closed.
    #[arg(
        long,
        env = "TRADE_API_HEADER_READ_TIMEOUT",
        default_value_t = 10,
        global = true
    )]
    pub header_read_timeout_secs: u64,

    /// Seconds a connection may stay with no request in flight before it is closed; also how
    /// often a quiet HTTP/2 connection is pinged, and how long the ping may go unanswered.
    #[arg(
        long,
        env = "TRADE_API_IDLE_TIMEOUT",
        default_value_t = 30,
        global = true
    )]
    pub idle_timeout_secs: u64,

    /// Connections served at once (lowered to fit the open-file limit); past it, a new
    /// connection's requests get 503 with Retry-After, except /healthz and /readyz.
    #[arg(
        long,
        env = "TRADE_API_MAX_CONNECTIONS",
        default_value_t = 1024,
        global = true
    )]
    pub max_connections: usize,

    /// Largest request body accepted, in bytes; larger ones are answered 413.
    #[arg(
        long,
        env = "TRADE_API_BODY_LIMIT",
        default_value_t = 1_048_576,
        global = true
    )]
    pub body_limit_bytes: usize,

    /// Largest request head accepted, in bytes: the URL plus each header field's name and value
    /// and 32 bytes. Larger heads are answered 431 (414 for a URL alone over it); heads over
    /// twice this are refused by the HTTP layer, with an empty 431, before they are read whole.
    #[arg(long, env = "TRADE_API_MAX_HEADER_BYTES", default_value_t = 32 * 1024, global = true)]
    pub max_header_bytes: usize,

    /// Requests (any method) allowed per client address, an IPv6 client per /64, per minute,
    /// sustained; 0 turns the limit off. Writes also count against `--write-rate-per-minute`.
    #[arg(
        long,
        env = "TRADE_API_READ_RATE_PER_MINUTE",
        default_value_t = 6000,
        global = true
    )]
    pub read_rate_per_minute: u32,

    /// Requests a client address may make in a burst before the per-minute rate applies.
    #[arg(
        long,
        env = "TRADE_API_READ_BURST",
        default_value_t = 200,
        global = true
    )]
    pub read_burst: u32,

    /// Writes allowed per token per minute, sustained; 0 turns the limit off.
    #[arg(
        long,
        env = "TRADE_API_WRITE_RATE_PER_MINUTE",
        default_value_t = 60,
        global = true
    )]
    pub write_rate_per_minute: u32,

    /// Writes a token may make in a burst before the per-minute rate applies.
    #[arg(
        long,
        env = "TRADE_API_WRITE_BURST",
        default_value_t = 20,
        global = true
    )]
    pub write_burst: u32,

    /// Largest size the database file may grow to, in bytes; writes beyond it are answered 503
    /// while reads continue. Unset: as large as the disk allows.
    #[arg(long, env = "TRADE_API_MAX_DATABASE_BYTES", global = true)]
    pub max_database_bytes: Option<u64>,

    /// Bytes of rendered answers kept in memory until the record changes; 0 turns it off.
    #[arg(long, env = "TRADE_API_CACHE_BYTES", default_value_t = 8 * 1024 * 1024, global = true)]
    pub cache_bytes: u64,

    /// Live change streams (`/api/v1/changes/stream`) open at once; past it a new stream is
    /// answered 503 with `Retry-After`. Keep it below the file limit and the connection cap;
    /// 0 refuses every stream.
    #[arg(
        long,
        env = "TRADE_API_MAX_CHANGE_STREAMS",
        default_value_t = 512,
        global = true
    )]
    pub max_change_streams: u32,

    /// Changes kept in memory for live streams; a stream further behind (its client reads
    /// slowly) catches up from the database.
    #[arg(
        long,
        env = "TRADE_API_CHANGE_STREAM_BUFFER",
        default_value_t = 1024,
        value_parser = clap::value_parser!(u32).range(1..=1_048_576),
        global = true
    )]
    pub change_stream_buffer: u32,

    /// Seconds that in-flight requests get to finish after SIGTERM or Ctrl-C.
    #[arg(
        long,
        env = "TRADE_API_SHUTDOWN_GRACE",
        default_value_t = 10,
        global = true
    )]
    pub shutdown_grace_secs: u64,

    /// Milliseconds between two looks at the record's latest revision, to serve revisions that
    /// another process committed to the database (an `import`, a second server on the file).
    #[arg(
        long,
        env = "TRADE_API_RECORD_POLL_MS",
        default_value_t = 1000,
        value_parser = clap::value_parser!(u64).range(10..=3_600_000),
        global = true
    )]
    pub record_poll_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Config {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    pub fn record_poll(&self) -> Duration {
        Duration::from_millis(self.record_poll_ms)
    }

    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs)
    }

    /// The configuration of a test: defaults, with the given database.
    pub fn for_database(database_url: &str) -> Self {
        let cli = Cli::parse_from(["trade-agreement-api", "--database-url", database_url]);
        cli.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(args: &[&str]) -> String {
        let error = Cli::with_focused_help()
            .try_get_matches_from(args)
            .expect_err("--help ends parsing");
        assert_eq!(error.kind(), clap::error::ErrorKind::DisplayHelp);
        error.to_string()
    }

    #[test]
    fn token_create_help_lists_only_its_own_flags() {
        let token_create = help(&["trade-agreement-api", "token", "create", "--help"]);
        let serve = help(&["trade-agreement-api", "serve", "--help"]);

        for own in ["--name", "--scope", "--database-url"] {
            assert!(token_create.contains(own), "{token_create}");
        }
        for server_only in ["--bind", "--cache-bytes", "--max-connections"] {
            assert!(!token_create.contains(server_only), "{token_create}");
            assert!(serve.contains(server_only), "{serve}");
        }
    }

    #[test]
    fn server_flags_still_parse_before_or_after_a_command() {
        let after = Cli::from_arg_matches(&Cli::with_focused_help().get_matches_from([
            "trade-agreement-api",
            "serve",
            "--bind",
            "127.0.0.1:9",
        ]))
        .unwrap();
        let token = Cli::from_arg_matches(&Cli::with_focused_help().get_matches_from([
            "trade-agreement-api",
            "token",
            "list",
            "--database-url",
            "sqlite://elsewhere.db",
        ]))
        .unwrap();

        assert_eq!(after.config.bind.port(), 9);
        assert_eq!(token.config.database_url, "sqlite://elsewhere.db");
    }
}
