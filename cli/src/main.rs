//! `hookrelay`: runs [`hookrelay_cli::run`] on the process's arguments,
//! environment and streams; `tail` and `listen` stop on Ctrl-C.

use hookrelay_cli::config::Env;
use hookrelay_cli::output::Out;

#[tokio::main]
async fn main() {
    let (mut stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
    let mut out = Out::new(&mut stdout, &mut stderr);
    let stop = async {
        // Without a Ctrl-C handler, run until the command ends by itself.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let code = hookrelay_cli::run(std::env::args_os(), &Env::from_process(), &mut out, stop).await;
    std::process::exit(code);
}
