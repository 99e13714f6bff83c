//! The `trade-agreement-api` binary: parse configuration, set up logging, prepare the database,
//! serve until SIGTERM or Ctrl-C.

use std::process::ExitCode;

use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::BoxMakeWriter;
use trade_agreement_api::auth::tokens;
use trade_agreement_api::backup;
use trade_agreement_api::config::{Cli, Command, Config, ExportFormat, LogFormat, TokenCommand};
use trade_agreement_api::{db, seed};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::read();
    // The server logs to stdout; other commands keep stdout for their output (a new token).
    init_tracing(
        &cli.config,
        matches!(cli.command, None | Some(Command::Serve)),
    );
    let outcome =
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => run_server(cli.config).await,
            Command::Token(command) => manage_tokens(&cli.config, command).await,
            Command::Import { file, token } => import(&cli.config, &file, &token).await,
            Command::Export { format, output } => export(&cli.config, format, &output).await,
            Command::Backup { file } => {
                backup::backup(&cli.config.database_url, &file)
                    .await
                    .map(|summary| {
                        eprintln!(
                            "backed up revision {} to {}",
                            summary.revision,
                            file.display()
                        )
                    })
            }
            Command::Restore { file } => backup::restore(&file, &cli.config.database_url)
                .await
                .map(|summary| {
                    eprintln!(
                        "restored revision {} from {}",
                        summary.revision,
                        file.display()
                    )
                }),
        };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "stopped");
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(config: &Config, to_stdout: bool) {
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let writer = if to_stdout {
        BoxMakeWriter::new(std::io::stdout)
    } else {
        BoxMakeWriter::new(std::io::stderr)
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.init(),
    }
}

async fn run_server(config: Config) -> anyhow::Result<()> {
    // Handlers first: a SIGTERM that arrives as soon as the server says it serves must drain it,
    // not kill it.
    let signals = Signals::register()?;
    // Each connection is a file: the soft limit (often 1024) would cap them below the cap.
    match trade_agreement_api::serve::raise_file_limit() {
        Ok(open_files) => tracing::info!(open_files, "open-file limit raised to its hard limit"),
        Err(error) => tracing::warn!(%error, "cannot raise the file limit"),
    }
    let state = trade_agreement_api::prepare_database(&config).await?;
    let listener = TcpListener::bind(config.bind).await?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    let grace = config.shutdown_grace();
    trade_agreement_api::serve(listener, state, &config, signals.shutdown(grace)).await?;
    tracing::info!("stopped");
    Ok(())
}

/// The token commands print to stdout (the secret once, on creation) and log nothing secret.
async fn manage_tokens(config: &Config, command: TokenCommand) -> anyhow::Result<()> {
    let pool = db::connect(&config.database_url, None).await?;
    db::migrate(&pool).await?;
    match command {
        TokenCommand::Create { name, scope } => {
            let token = tokens::create(&pool, &name, scope).await?;
            println!("{token}");
            eprintln!(
                "token `{name}` created with scope `{scope}`; it is shown only this once: keep it secret"
            );
        }
        TokenCommand::List => {
            println!(
                "{:<24} {:<6} {:<28} revoked_at",
                "name", "scope", "created_at"
            );
            for token in tokens::list(&pool).await? {
                println!(
                    "{:<24} {:<6} {:<28} {}",
                    token.name,
                    token.scope,
                    token.created_at,
                    token.revoked_at.as_deref().unwrap_or("-")
                );
            }
        }
        TokenCommand::Revoke { name } => {
            if !tokens::revoke(&pool, &name).await? {
                anyhow::bail!("no live token named `{name}`");
            }
            eprintln!("token `{name}` revoked");
        }
    }
    pool.close().await;
    Ok(())
}

/// Imports into the database, creating and migrating it if need be but never seeding it: an
/// import into an empty database is the whole record.
async fn import(config: &Config, file: &std::path::Path, token: &str) -> anyhow::Result<()> {
    let pool = db::connect(&config.database_url, None).await?;
    db::migrate(&pool).await?;
    let imported = seed::import::import(&pool, file, token).await;
    pool.close().await;
    let imported = imported?;
    match imported.revision {
        Some(revision) => eprintln!(
            "imported {} fact(s) from {} as revision {revision} by `{token}`; {} already recorded",
            imported.created,
            file.display(),
            imported.unchanged
        ),
        None => eprintln!(
            "nothing to import from {}: its {} fact(s) are recorded already",
            file.display(),
            imported.unchanged
        ),
    }
    Ok(())
}

async fn export(
    config: &Config,
    format: ExportFormat,
    output: &std::path::Path,
) -> anyhow::Result<()> {
    let ExportFormat::Seed = format;
    let pool = db::connect(&config.database_url, None).await?;
    db::migrate(&pool).await?;
    let exported = seed::export::export_seed(&pool, output).await;
    pool.close().await;
    let exported = exported?;
    eprintln!(
        "exported the record to {} with {} source text(s)",
        exported.manifest.display(),
        exported.sources
    );
    Ok(())
}

/// SIGTERM and SIGINT (Ctrl-C), listened for from the moment they are registered.
struct Signals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl Signals {
    fn register() -> anyhow::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                terminate: signal(SignalKind::terminate())?,
                interrupt: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.terminate.recv() => {},
            _ = self.interrupt.recv() => {},
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }

    /// Resolves on the first signal; a second signal, or the grace period running out, ends the
    /// process even if requests are still in flight.
    async fn shutdown(mut self, grace: std::time::Duration) {
        self.next().await;
        tracing::info!(
            grace_secs = grace.as_secs(),
            "shutting down: finishing requests in flight"
        );
        tokio::spawn(async move {
            tokio::select! {
                () = tokio::time::sleep(grace) => tracing::warn!("grace period over; exiting"),
                () = self.next() => tracing::warn!("second signal; exiting"),
            }
            std::process::exit(1);
        });
    }
}
