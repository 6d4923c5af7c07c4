//! A webhook receiver on loopback, on raw TCP so that it can fail the ways
//! real endpoints do. `/ok` answers 200. `/mixed` fails 30 % of requests, a
//! third each: a 500, a hang past the send timeout, a reset connection.
//! Connections are kept alive, as hookrelay's client keeps them.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// How long a hanging answer waits (past the benchmark's 2 s send timeout).
const HANG: Duration = Duration::from_secs(3);

#[derive(Default)]
struct State {
    requests: AtomicU64,
    /// Woken at every 2xx.
    arrived: Notify,
    /// `webhook-id` → when its first 2xx was answered, and how many 2xx it got.
    answered: Mutex<HashMap<String, (Instant, u32)>>,
}

#[derive(Clone)]
pub struct Receiver {
    pub addr: SocketAddr,
    state: Arc<State>,
}

enum Answer {
    Ok,
    Error,
    Hang,
    Reset,
}

impl Receiver {
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::default());
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(connection(stream, shared.clone()));
            }
        });
        Ok(Self { addr, state })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }

    /// When each delivery first got a 2xx.
    pub fn delivered(&self) -> HashMap<String, Instant> {
        let answered = self
            .state
            .answered
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        answered
            .iter()
            .map(|(id, (at, _))| (id.clone(), *at))
            .collect()
    }

    /// When `id` first got a 2xx, waiting for it up to `patience`.
    pub async fn arrival(&self, id: &str, patience: Duration) -> Option<Instant> {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let notified = self.state.arrived.notified();
            tokio::pin!(notified);
            // Registered before the check, so an arrival in between still wakes it.
            notified.as_mut().enable();
            if let Some((at, _)) = self
                .state
                .answered
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(id)
            {
                return Some(*at);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }

    /// Waits until `count` deliveries got a 2xx, up to `patience`; whether they did.
    pub async fn until_delivered(&self, count: usize, patience: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let notified = self.state.arrived.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.delivered_count() >= count {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.delivered_count() >= count;
            }
        }
    }

    pub fn delivered_count(&self) -> usize {
        self.state
            .answered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }

    /// Deliveries that got a 2xx more than once.
    pub fn twice(&self) -> usize {
        let answered = self
            .state
            .answered
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        answered.values().filter(|(_, n)| *n > 1).count()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The request's path, body length and `webhook-id`, from its head.
fn parse_head(head: &str) -> (String, usize, String) {
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .unwrap_or_default()
        .to_owned();
    let (mut length, mut id) = (0, String::new());
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "webhook-id" => id = value.trim().to_owned(),
            _ => {}
        }
    }
    (path, length, id)
}

async fn connection(mut stream: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let mut buffer = Vec::with_capacity(8192);
    loop {
        let head_end = loop {
            if let Some(at) = find(&buffer, b"\r\n\r\n") {
                break at + 4;
            }
            if stream.read_buf(&mut buffer).await? == 0 {
                return Ok(());
            }
        };
        let (path, length, id) = parse_head(&String::from_utf8_lossy(&buffer[..head_end]));
        while buffer.len() < head_end + length {
            if stream.read_buf(&mut buffer).await? == 0 {
                return Ok(());
            }
        }
        buffer.drain(..head_end + length);
        let n = state.requests.fetch_add(1, Ordering::Relaxed);
        let answer = match (path.as_str(), n % 10) {
            ("/mixed", 0) => Answer::Error,
            ("/mixed", 1) => Answer::Hang,
            ("/mixed", 2) => Answer::Reset,
            _ => Answer::Ok,
        };
        match answer {
            Answer::Ok => {
                {
                    let mut answered = state.answered.lock().unwrap_or_else(|p| p.into_inner());
                    answered.entry(id).or_insert((Instant::now(), 0)).1 += 1;
                }
                state.arrived.notify_waiters();
                stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                    .await?;
            }
            Answer::Error => {
                stream
                    .write_all(
                        b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 4\r\n\r\nboom",
                    )
                    .await?;
            }
            Answer::Hang => {
                tokio::time::sleep(HANG).await;
                return Ok(());
            }
            Answer::Reset => {
                stream.set_zero_linger()?;
                return Ok(());
            }
        }
    }
}
