//! The `hookrelay` CLI against the local runner, run in process over the
//! same arguments, environment and streams as the binary: `login` stores
//! the key (0600) and later commands use it; webhooks, events and the log
//! as tables and as `--json`; a 422's field errors; the documented exit
//! codes; `deliveries tail` following a delivery until stopped.

use crate::helpers::receiver::Receiver;
use crate::helpers::{eventually, Memory, Server};
use hookrelay_cli::config::{Env, Stdin};
use hookrelay_cli::exit;
use hookrelay_cli::output::Out;
use serde_json::Value;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// An output stream the test reads back (shared with a running `tail`).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// What one command printed, and its exit code.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

/// A fresh config directory, signed in to nothing.
fn env(dir: &tempdir::Dir, stdin: &str) -> Env {
    Env {
        config_dir: Some(dir.path()),
        url: None,
        key: None,
        stdin: Stdin::Given(stdin.to_owned()),
    }
}

async fn hookrelay(env: &Env, args: &[&str]) -> Ran {
    let (stdout, stderr) = (Captured::default(), Captured::default());
    let (mut o, mut e) = (stdout.clone(), stderr.clone());
    let mut out = Out::new(&mut o, &mut e);
    let argv = std::iter::once("hookrelay").chain(args.iter().copied());
    let code = hookrelay_cli::run(argv, env, &mut out, std::future::ready(())).await;
    Ran {
        code,
        stdout: stdout.text(),
        stderr: stderr.text(),
    }
}

/// `env` signed in to `server`.
fn signed_in(server: &Server, dir: &tempdir::Dir, stdin: &str) -> Env {
    Env {
        url: Some(server.url.clone()),
        key: Some(server.key.clone()),
        ..env(dir, stdin)
    }
}

/// A command that runs until stopped (`tail`, `listen`), its output read as it runs.
struct Following {
    stdout: Captured,
    stop: tokio::sync::oneshot::Sender<()>,
    running: tokio::task::JoinHandle<i32>,
}

impl Following {
    fn start(env: &Env, args: &[&str]) -> Self {
        let stdout = Captured::default();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let argv: Vec<String> = std::iter::once("hookrelay")
            .chain(args.iter().copied())
            .map(str::to_owned)
            .collect();
        let (env, mut o, mut e) = (env.clone(), stdout.clone(), Captured::default());
        let running = tokio::spawn(async move {
            let mut out = Out::new(&mut o, &mut e);
            let stop = async {
                let _ = stopped.await;
            };
            hookrelay_cli::run(argv, &env, &mut out, stop).await
        });
        Self {
            stdout,
            stop,
            running,
        }
    }

    /// The JSON lines printed so far.
    fn lines(&self) -> Vec<Value> {
        let text = self.stdout.text();
        text.lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Stops it (as Ctrl-C does): its exit code.
    async fn stop(self) -> i32 {
        self.stop.send(()).unwrap();
        self.running.await.unwrap()
    }
}

/// A private directory under the system's temporary one, removed after.
mod tempdir {
    pub struct Dir(std::path::PathBuf);
    impl Dir {
        pub fn new(name: &str) -> Self {
            let path =
                std::env::temp_dir().join(format!("hookrelay-cli-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            Self(path)
        }
        pub fn path(&self) -> std::path::PathBuf {
            self.0.clone()
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[tokio::test]
async fn login_stores_the_key_privately_and_commands_use_it() {
    let server = Server::start(Memory).await;
    let dir = tempdir::Dir::new("login");
    let env = env(&dir, &format!("{}\n", server.key));
    let unsigned = hookrelay(&env, &["webhooks", "list"]).await;
    assert_eq!(unsigned.code, exit::NOT_SIGNED_IN, "{}", unsigned.stderr);
    let login = hookrelay(&env, &["login", "--url", &server.url]).await;
    assert_eq!(login.code, exit::OK, "{}", login.stderr);
    assert!(login.stdout.contains("Signed in"), "{}", login.stdout);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let stored = std::fs::metadata(dir.path().join("config.json")).unwrap();
        assert_eq!(stored.permissions().mode() & 0o777, 0o600);
    }
    let wrong = hookrelay(
        &env,
        &["login", "--url", &server.url, "--key", "hr_live_nope"],
    )
    .await;
    assert_eq!(wrong.code, exit::REFUSED, "{}", wrong.stderr);
    let listed = hookrelay(&env, &["--json", "webhooks", "list"]).await;
    assert_eq!(listed.code, exit::OK, "{}", listed.stderr);
    assert_eq!(listed.json()["webhooks"], serde_json::json!([]));
}

#[tokio::test]
async fn webhooks_events_and_the_log_as_tables_and_json() {
    let server = Server::start(Memory).await;
    let receiver = Receiver::start().await;
    let dir = tempdir::Dir::new("flow");
    let env = signed_in(&server, &dir, r#"{"total": 12}"#);
    let made = hookrelay(
        &env,
        &[
            "--json",
            "webhooks",
            "create",
            "--name",
            "orders",
            "--url",
            &receiver.url("ok"),
            "--event",
            "order.paid",
        ],
    )
    .await;
    assert_eq!(made.code, exit::OK, "{}", made.stderr);
    let hook = made.json()["id"].as_str().unwrap().to_owned();
    assert!(made.json()["secret"]
        .as_str()
        .unwrap()
        .starts_with("whsec_"));
    let table = hookrelay(&env, &["webhooks", "list"]).await.stdout;
    assert!(
        table.starts_with("ID") && table.contains(&hook) && table.contains("orders"),
        "{table}"
    );
    let sent = hookrelay(&env, &["--json", "events", "send", "order.paid", "-"]).await;
    assert_eq!(sent.code, exit::OK, "{}", sent.stderr);
    let delivery = sent.json()["deliveries"][0].as_str().unwrap().to_owned();
    let view = eventually(20, "the delivery to be sent", || async {
        let got = hookrelay(&env, &["--json", "deliveries", "get", &delivery])
            .await
            .json();
        (got["status"] == "delivered").then_some(got)
    })
    .await;
    assert_eq!(view["payload"]["payload"], serde_json::json!({"total": 12}));
    let log = hookrelay(&env, &["deliveries", "list", "--webhook", &hook])
        .await
        .stdout;
    assert!(
        log.contains(&delivery) && log.contains("delivered"),
        "{log}"
    );
    let again = hookrelay(&env, &["--json", "deliveries", "retry", &delivery]).await;
    assert_eq!(
        (again.code, again.json()["attempts"].as_u64()),
        (exit::OK, Some(2))
    );
    let off = hookrelay(&env, &["webhooks", "disable", &hook]).await;
    assert!(off.stdout.contains("is off"), "{}", off.stdout);
    let on = hookrelay(&env, &["--json", "webhooks", "enable", &hook]).await;
    assert_eq!(on.json()["enabled"], true);
    assert_eq!(
        hookrelay(&env, &["webhooks", "delete", &hook]).await.code,
        exit::OK
    );
}

#[tokio::test]
async fn refusals_and_failures_have_their_exit_codes() {
    let server = Server::start(Memory).await;
    let dir = tempdir::Dir::new("codes");
    let env = signed_in(&server, &dir, "not json");
    let bad = hookrelay(
        &env,
        &[
            "webhooks", "create", "--name", "x", "--url", "ftp://x", "--event", "bad",
        ],
    )
    .await;
    assert_eq!(bad.code, exit::REFUSED);
    assert!(
        bad.stderr.contains("  url: ") && bad.stderr.contains("  events: "),
        "{}",
        bad.stderr
    );
    let payload = hookrelay(&env, &["events", "send", "order.paid"]).await;
    assert_eq!(payload.code, exit::REFUSED);
    assert!(
        payload.stderr.contains("payload is not JSON"),
        "{}",
        payload.stderr
    );
    assert_eq!(
        hookrelay(&env, &["webhooks", "frobnicate"]).await.code,
        exit::USAGE
    );
    assert_eq!(hookrelay(&env, &["--help"]).await.code, exit::OK);
    let nowhere = Env {
        url: Some("http://127.0.0.1:9".to_owned()),
        ..env.clone()
    };
    assert_eq!(
        hookrelay(&nowhere, &["webhooks", "list"]).await.code,
        exit::UNREACHABLE
    );
    let completions = hookrelay(&env, &["completions", "bash"]).await;
    assert!(
        completions.stdout.contains("_hookrelay()"),
        "{}",
        completions.stdout
    );
}

#[tokio::test]
async fn tail_prints_each_new_delivery_and_change_until_stopped() {
    let server = Server::start(Memory).await;
    let receiver = Receiver::start().await;
    let dir = tempdir::Dir::new("tail");
    let env = signed_in(&server, &dir, "");
    let hook = serde_json::json!({"name": "t", "url": receiver.url("ok"), "events": ["order.*"]});
    server.webhook_id(hook).await;
    let tail = Following::start(
        &env,
        &["--json", "deliveries", "tail", "--interval-ms", "100"],
    );
    let event = serde_json::json!({"name": "order", "type": "paid", "payload": {"n": 1}});
    let delivery = server.send_event(event).await[0].clone();
    eventually(20, "tail to print the delivery delivered", || async {
        tail.lines()
            .iter()
            .any(|l| l["id"] == delivery.as_str() && l["status"] == "delivered")
            .then_some(())
    })
    .await;
    assert_eq!(tail.stop().await, exit::OK);
}

#[tokio::test]
async fn listen_forwards_each_delivery_signed_and_removes_its_webhook() {
    let server = Server::start(Memory).await;
    let receiver = Receiver::start().await;
    let dir = tempdir::Dir::new("listen");
    let env = signed_in(&server, &dir, "");
    let to = receiver.url("ok");
    let listen = Following::start(
        &env,
        &[
            "--json",
            "listen",
            "--forward-to",
            &to,
            "--event",
            "order.*",
            "--interval-ms",
            "100",
        ],
    );
    let started = eventually(20, "listen to create its webhook", || async {
        listen
            .lines()
            .into_iter()
            .find(|l| l["listening"].is_string())
    })
    .await;
    let hook = started["listening"].as_str().unwrap().to_owned();
    let event = serde_json::json!({"name": "order", "type": "paid", "payload": {"n": 7}});
    let delivery = server.send_event(event).await[0].clone();
    let forwarded = eventually(20, "the delivery to be forwarded", || async {
        listen
            .lines()
            .into_iter()
            .find(|l| l["id"] == delivery.as_str())
    })
    .await;
    assert_eq!(forwarded["status"], 200, "{forwarded}");
    let request = receiver.requests("ok").pop().expect("forwarded");
    assert_eq!(request.headers["webhook-id"], delivery);
    crate::helpers::receiver::verify_with_standardwebhooks(
        started["secret"].as_str().unwrap(),
        &request,
    );
    // The next poll acknowledges what was forwarded.
    eventually(20, "the forwarded delivery to be acknowledged", || async {
        let (_, logged) = server.get(&format!("/v1/deliveries/{delivery}")).await;
        (logged["delivery"]["status"] == "delivered").then_some(())
    })
    .await;
    assert_eq!(listen.stop().await, exit::OK);
    let (status, _) = server.get(&format!("/v1/webhooks/{hook}")).await;
    assert_eq!(status, 404, "listen removes its webhook when stopped");
}
