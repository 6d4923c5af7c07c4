//! `hookrelay`, the command line of a hookrelay deployment.
//!
//! # Layout
//! - [`args`]: the commands and flags (clap), as `hookrelay --help` shows them;
//! - [`config`]: `login` stores the API's URL and key in the user's config
//!   directory (0600); the environment (`HOOKRELAY_URL`, `HOOKRELAY_API_KEY`)
//!   wins over it;
//! - [`output`]: human tables, or JSON with `--json`;
//! - `webhooks`, `events`, `deliveries`, `listen`: one module per command
//!   group, each a thin use of `hookrelay_client`.
//!
//! [`run`] is the whole program over given arguments, environment and
//! output streams, so the tests drive it in process.

pub mod args;
pub mod config;
mod deliveries;
mod events;
mod listen;
pub mod output;
mod webhooks;

use args::{Cli, Command};
use clap::Parser;
use config::{Config, ConfigError, Env};
use hookrelay_client::{Client, Error};
use output::Out;
use std::ffi::OsString;
use std::future::Future;

/// Exit codes (README "CLI"): what a script can tell apart.
pub mod exit {
    pub const OK: i32 = 0;
    /// The API refused the request (the message and field errors are printed).
    pub const REFUSED: i32 = 1;
    /// The command line was wrong (clap's own code).
    pub const USAGE: i32 = 2;
    /// Not signed in, or the stored configuration cannot be read.
    pub const NOT_SIGNED_IN: i32 = 3;
    /// hookrelay (or, for `listen`, the local endpoint) could not be reached.
    pub const UNREACHABLE: i32 = 4;
}

/// Why a command stopped.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Api(#[from] Error),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Input(String),
}

impl Failure {
    fn code(&self) -> i32 {
        match self {
            Self::Api(Error::Api { .. }) | Self::Input(_) => exit::REFUSED,
            Self::Api(_) => exit::UNREACHABLE,
            Self::Config(_) => exit::NOT_SIGNED_IN,
        }
    }
}

/// Runs `hookrelay` with `args` (the program name first); a long-running
/// command (`deliveries tail`, `listen`) ends when `stop` does. The exit code.
pub async fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    env: &Env,
    out: &mut Out<'_>,
    stop: impl Future<Output = ()>,
) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            out.error(&e.render().to_string());
            return code;
        }
    };
    out.json = cli.json;
    match dispatch(cli, env, out, stop).await {
        Ok(()) => exit::OK,
        Err(failure) => {
            out.failure(&failure);
            failure.code()
        }
    }
}

async fn dispatch(
    cli: Cli,
    env: &Env,
    out: &mut Out<'_>,
    stop: impl Future<Output = ()>,
) -> Result<(), Failure> {
    match cli.command {
        Command::Login(login) => config::login(env, login, out).await,
        Command::Completions { shell } => {
            out.completions(shell);
            Ok(())
        }
        Command::Webhooks(command) => webhooks::run(&client(env)?, command, out).await,
        Command::Events(command) => events::run(&client(env)?, command, env, out).await,
        Command::Deliveries(command) => deliveries::run(&client(env)?, command, out, stop).await,
        Command::Listen(listen) => listen::run(&client(env)?, listen, out, stop).await,
    }
}

/// The client the configuration (or the environment) signs in with.
fn client(env: &Env) -> Result<Client, Failure> {
    let Config { url, key } = Config::load(env)?;
    Ok(Client::new(&url, &key)?)
}
