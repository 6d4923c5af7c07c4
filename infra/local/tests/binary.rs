//! The `hookrelay-local` binary as a newcomer runs it: it prints where it
//! listens and a working API key, embedded and with `--aws` (moto).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

struct Local {
    child: Child,
    url: String,
    key: String,
}

impl Drop for Local {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary on a free port and reads its banner (with a deadline).
fn start(args: &[&str], env: &[(&str, &str)]) -> Local {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hookrelay-local"));
    command
        .args(args)
        .env("HOOKRELAY_ADDR", "127.0.0.1:0")
        .env_remove("HOOKRELAY_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("spawn hookrelay-local");
    let stdout = child.stdout.take().expect("stdout");
    let (lines, banner) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let (mut url, mut key) = (None, None);
    while url.is_none() || key.is_none() {
        let line = banner
            .recv_timeout(Duration::from_secs(60))
            .expect("hookrelay-local printed its banner within 60 s");
        if let Some(rest) = line.split("listening on ").nth(1) {
            url = rest.split_whitespace().next().map(str::to_owned);
        }
        if line.starts_with("API key") {
            key = line.rsplit(": ").next().map(str::to_owned);
        }
    }
    Local {
        child,
        url: url.unwrap_or_default(),
        key: key.unwrap_or_default(),
    }
}

async fn list_status(local: &Local, key: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/v1/webhooks", local.url))
        .basic_auth(key, Some(""))
        .send()
        .await
        .expect("the runner answers")
        .status()
        .as_u16()
}

#[tokio::test]
async fn embedded_prints_a_working_api_key() {
    let local = start(&[], &[]);
    assert!(local.url.starts_with("http://127.0.0.1:"), "{}", local.url);
    assert!(local.key.starts_with("hr_"), "{}", local.key);
    assert_eq!(list_status(&local, &local.key).await, 200);
    assert_eq!(list_status(&local, "hr_someone-else-entirely").await, 401);
}

#[tokio::test]
async fn configured_api_key_is_used() {
    let local = start(&[], &[("HOOKRELAY_API_KEY", "my-local-development-key")]);
    assert_eq!(local.key, "my-local-development-key");
    assert_eq!(list_status(&local, "my-local-development-key").await, 200);
}

#[tokio::test]
async fn aws_mode_creates_its_table_on_the_emulator_and_keeps_the_account() {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: this test needs moto's server; run scripts/test.sh"
    );
    let table = format!("binary-{}", std::process::id());
    let env = [
        ("TABLE_NAME", table.as_str()),
        ("HOOKRELAY_API_KEY", "aws-mode-development-key"),
    ];
    let first = start(&["--aws"], &env);
    assert_eq!(list_status(&first, &first.key).await, 200);
    drop(first);
    // Restarted on the same table with the same key: the same account answers.
    let again = start(&["--aws"], &env);
    assert_eq!(list_status(&again, "aws-mode-development-key").await, 200);
}

#[test]
fn bad_settings_stop_it_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_hookrelay-local"))
        .env("HOOKRELAY_RETRY_SCHEDULE", "soon")
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("HOOKRELAY_RETRY_SCHEDULE"));
}
