//! The command line, as `hookrelay --help` shows it.

use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;

#[derive(Debug, Parser)]
#[command(
    name = "hookrelay",
    version,
    about = "The command line of a hookrelay deployment"
)]
pub struct Cli {
    /// Print JSON (one document per line for `tail` and `listen`) instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Store the API's URL and an account API key (checked first) for later commands.
    Login(Login),
    /// List, create, switch on or off, and delete webhooks.
    #[command(subcommand)]
    Webhooks(Webhooks),
    /// Send events.
    #[command(subcommand)]
    Events(Events),
    /// Read the delivery log, retry a delivery, follow the log live.
    #[command(subcommand)]
    Deliveries(Deliveries),
    /// Forward the deliveries of given events to a local URL, through a
    /// temporary polling webhook removed on Ctrl-C (no inbound connection needed).
    Listen(Listen),
    /// Print a shell completion script (e.g. `hookrelay completions bash > /etc/bash_completion.d/hookrelay`).
    Completions { shell: Shell },
}

#[derive(Debug, Args)]
pub struct Listen {
    /// Where each delivery is POSTed, with its original headers and signature.
    #[arg(long)]
    pub forward_to: String,
    /// An event pattern (`name.type`, `name.*` or `*`); repeat for several. Default `*`.
    #[arg(long = "event")]
    pub events: Vec<String>,
    /// How long to wait between polls when nothing is waiting, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    pub interval_ms: u64,
}

#[derive(Debug, Args)]
pub struct Login {
    /// The API's root, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    pub url: String,
    /// The API key; read from standard input when not given (so it stays out of shell history).
    #[arg(long)]
    pub key: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Webhooks {
    /// The account's webhooks, newest first.
    List {
        /// At most this many (1–100).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Create a webhook; its secret is printed this once.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        url: String,
        /// An event pattern (`name.type`, `name.*` or `*`); repeat for several.
        #[arg(long = "event", required = true)]
        events: Vec<String>,
        /// The signing secret (`whsec_...`); generated when absent.
        #[arg(long)]
        secret: Option<String>,
    },
    /// Switch a webhook on.
    Enable { id: String },
    /// Switch a webhook off (its deliveries fail as `webhook_disabled` until it is on).
    Disable { id: String },
    /// Delete a webhook and its deliveries.
    Delete { id: String },
}

#[derive(Debug, Subcommand)]
pub enum Events {
    /// Send an event to every webhook subscribed to it.
    Send {
        /// `name.type`, e.g. order.paid
        event: String,
        /// The payload as JSON; `-` or nothing reads it from standard input.
        payload: Option<String>,
        /// The context as JSON.
        #[arg(long)]
        context: Option<String>,
        /// Seconds to wait before the first attempt (up to a week).
        #[arg(long)]
        delay: Option<u64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum Deliveries {
    /// The delivery log, newest first.
    List(LogFilter),
    /// One delivery with its attempts.
    Get { id: String },
    /// Send a delivered or failed delivery again now.
    Retry { id: String },
    /// Follow the log: a line for each new delivery and each change of one, until Ctrl-C.
    Tail {
        #[command(flatten)]
        filter: LogFilter,
        /// How often to look, in milliseconds.
        #[arg(long, default_value_t = 2000)]
        interval_ms: u64,
    },
}

#[derive(Debug, Args)]
pub struct LogFilter {
    /// Only these statuses (comma-separated: created, scheduled, dispatched, delivered, failed).
    #[arg(long)]
    pub status: Option<String>,
    /// Only this webhook's.
    #[arg(long)]
    pub webhook: Option<String>,
    /// Only this event (`name` or `name.type`).
    #[arg(long)]
    pub event: Option<String>,
    /// At most this many (1–100).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

impl LogFilter {
    /// As the log's query parameters.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = vec![("limit", self.limit.to_string())];
        let optional = [
            ("status", &self.status),
            ("webhook_id", &self.webhook),
            ("event", &self.event),
        ];
        query.extend(
            optional
                .into_iter()
                .filter_map(|(name, value)| Some((name, value.clone()?))),
        );
        query
    }
}
