//! `hookrelay-local [--aws] [--addr HOST:PORT]`: see the crate docs and README.

use hookrelay::adapters::aws::emulator_endpoint;
use hookrelay::config::{parse_bool, Deployment, Settings};
use hookrelay_local::{build_app, fires_schedules, serve, Backend};
use std::net::SocketAddr;
use std::process::ExitCode;

const USAGE: &str = "\
usage: hookrelay-local [--aws] [--addr HOST:PORT]

  --aws            use DynamoDB (AWS, or the emulator at AWS_ENDPOINT_URL) instead
                   of memory; creates the table if missing (also: HOOKRELAY_AWS=true)
  --addr HOST:PORT where to listen (also: HOOKRELAY_ADDR; default 127.0.0.1:3000)

Settings come from the environment (README, DESIGN.md §7): ADMIN_API_KEY,
HOOKRELAY_API_KEY, HOOKRELAY_ALLOW_HTTP, HOOKRELAY_ALLOWED_SUBNETS,
HOOKRELAY_RETRY_SCHEDULE, HOOKRELAY_SEND_TIMEOUT_SECONDS, RETENTION_DAYS, TABLE_NAME;
secrets at rest: KMS_KEY_ARN, or HOOKRELAY_MASTER_KEY (or _FILE) and _PREVIOUS.";

struct Args {
    backend: Backend,
    addr: String,
}

fn parse_args() -> Result<Args, String> {
    let aws = match std::env::var("HOOKRELAY_AWS")
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        None => false,
        Some(v) => parse_bool(&v).ok_or("HOOKRELAY_AWS must be true or false")?,
    };
    let mut args = Args {
        backend: if aws { Backend::Aws } else { Backend::Memory },
        addr: std::env::var("HOOKRELAY_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into()),
    };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        match arg.as_str() {
            "--aws" => args.backend = Backend::Aws,
            "--addr" => args.addr = given.next().ok_or("--addr needs HOST:PORT")?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    hookrelay::telemetry::init_local();
    let args = match parse_args() {
        Ok(args) => args,
        Err(problem) => {
            if !problem.is_empty() {
                eprintln!("hookrelay-local: {problem}\n");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("hookrelay-local: {problem}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let addr: SocketAddr = args.addr.parse().map_err(|_| {
        format!(
            "HOOKRELAY_ADDR: `{}` is not HOST:PORT such as 127.0.0.1:3000",
            args.addr
        )
    })?;
    let mut settings = Settings::from_env(Deployment::Local).map_err(|e| e.to_string())?;
    let endpoint = emulator_endpoint();
    settings.fires_schedules = fires_schedules(args.backend, endpoint.as_deref());
    let admin = settings.admin != hookrelay::config::AdminAuth::Off;
    let app = build_app(args.backend, settings)
        .await
        .map_err(|e| e.to_string())?;
    let api_key = std::env::var("HOOKRELAY_API_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty());
    let running = serve(app, addr, api_key.as_deref())
        .await
        .map_err(|e| e.to_string())?;

    let store = match (args.backend, endpoint) {
        (Backend::Memory, _) => "in memory: state ends with this process".to_owned(),
        (Backend::Aws, Some(endpoint)) => {
            format!("DynamoDB, SQS and Scheduler at {endpoint}; due schedules are fired here")
        }
        (Backend::Aws, None) => {
            "DynamoDB, SQS and Scheduler on AWS; EventBridge Scheduler fires the schedules"
                .to_owned()
        }
    };
    println!("hookrelay-local listening on {} ({store})", running.url());
    println!(
        "API key (account {}): {}",
        running.account.id, running.api_key
    );
    println!(
        "  try: curl -u {}: {}/v1/webhooks",
        running.api_key,
        running.url()
    );
    println!(
        "  or open {}/console in a browser and sign in with the key",
        running.url()
    );
    if !admin {
        println!("  POST /v1/accounts is off: set ADMIN_API_KEY to enable it");
    }

    let stop = shutdown_signal();
    tokio::select! {
        ended = running.wait() => ended.map_err(|e| e.to_string()),
        () = stop => {
            println!("hookrelay-local: stopping");
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
