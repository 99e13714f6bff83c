//! The `trade-agreement-api` binary: parse configuration, set up logging, prepare the database,
//! serve until SIGTERM or Ctrl-C.

use std::process::ExitCode;

use clap::Parser;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;
use trade_agreement_api::config::{Cli, Command, Config, LogFormat};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.config);
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => run_server(cli.config).await,
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

fn init_tracing(config: &Config) {
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.init(),
    }
}

async fn run_server(config: Config) -> anyhow::Result<()> {
    let state = trade_agreement_api::prepare_database(&config).await?;
    let listener = TcpListener::bind(config.bind).await?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    let grace = config.shutdown_grace();
    trade_agreement_api::serve(listener, state, &config, shutdown_signal(grace)).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C; a second signal, or the grace period running out, ends the
/// process even if requests are still in flight.
async fn shutdown_signal(grace: std::time::Duration) {
    wait_for_signal().await;
    tracing::info!(
        grace_secs = grace.as_secs(),
        "shutting down: finishing requests in flight"
    );
    tokio::spawn(async move {
        tokio::select! {
            () = tokio::time::sleep(grace) => tracing::warn!("grace period over; exiting"),
            () = wait_for_signal() => tracing::warn!("second signal; exiting"),
        }
        std::process::exit(1);
    });
}

async fn wait_for_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
