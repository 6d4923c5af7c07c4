//! Where the CLI finds the API and its key: the environment
//! (`HOOKRELAY_URL`, `HOOKRELAY_API_KEY`), else what `login` stored in
//! `config.json` in the user's config directory (`$XDG_CONFIG_HOME/hookrelay`
//! on Linux; `HOOKRELAY_CONFIG_DIR` moves it), readable by the user alone.

use crate::args::Login;
use crate::output::Out;
use crate::Failure;
use hookrelay_client::Client;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("not signed in: run `hookrelay login` (or set HOOKRELAY_URL and HOOKRELAY_API_KEY)")]
    NotSignedIn,
    #[error("no config directory: set HOOKRELAY_CONFIG_DIR")]
    NoDirectory,
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path} is not the CLI's configuration: {error}")]
    Unreadable {
        path: String,
        error: serde_json::Error,
    },
}

/// Standard input: the process's, or text a test gives.
#[derive(Clone, Debug)]
pub enum Stdin {
    Process,
    Given(String),
}

impl Stdin {
    pub fn read(&self) -> std::io::Result<String> {
        match self {
            Self::Process => {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text)?;
                Ok(text)
            }
            Self::Given(text) => Ok(text.clone()),
        }
    }
}

/// What the CLI reads from its environment.
#[derive(Clone, Debug)]
pub struct Env {
    pub config_dir: Option<PathBuf>,
    pub url: Option<String>,
    pub key: Option<String>,
    pub stdin: Stdin,
}

impl Env {
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self {
            config_dir: var("HOOKRELAY_CONFIG_DIR")
                .map(PathBuf::from)
                .or_else(|| dirs::config_dir().map(|d| d.join("hookrelay"))),
            url: var("HOOKRELAY_URL"),
            key: var("HOOKRELAY_API_KEY"),
            stdin: Stdin::Process,
        }
    }

    fn file(&self) -> Result<PathBuf, ConfigError> {
        let dir = self.config_dir.as_ref().ok_or(ConfigError::NoDirectory)?;
        Ok(dir.join("config.json"))
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    pub url: String,
    pub key: String,
}

impl Config {
    /// The environment's URL and key, else the stored ones.
    pub fn load(env: &Env) -> Result<Self, ConfigError> {
        let stored = || -> Result<Option<Config>, ConfigError> {
            let path = env.file()?;
            let shown = path.display().to_string();
            match std::fs::read(&path) {
                Ok(bytes) => serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|error| ConfigError::Unreadable { path: shown, error }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(ConfigError::Io { path: shown, error }),
            }
        };
        let stored = match (&env.url, &env.key) {
            (Some(_), Some(_)) => None,
            _ => stored()?,
        };
        let url = env
            .url
            .clone()
            .or_else(|| stored.as_ref().map(|c| c.url.clone()));
        let key = env.key.clone().or_else(|| stored.map(|c| c.key));
        match (url, key) {
            (Some(url), Some(key)) => Ok(Self { url, key }),
            _ => Err(ConfigError::NotSignedIn),
        }
    }

    /// Writes it where `load` finds it, readable and writable by the user alone.
    fn save(&self, env: &Env) -> Result<PathBuf, ConfigError> {
        let path = env.file()?;
        let io = |error| ConfigError::Io {
            path: path.display().to_string(),
            error,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = serde_json::to_vec_pretty(self).unwrap_or_default();
        write_private(&path, &text).map_err(io)?;
        Ok(path)
    }
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, text: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // An older file keeps its mode through `open`: set it again.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(text)
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, text: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// `hookrelay login`: checks the key against the API, then stores both.
pub async fn login(env: &Env, login: Login, out: &mut Out<'_>) -> Result<(), Failure> {
    let key = match login.key {
        Some(key) => key,
        None => {
            out.note("API key (read from standard input):");
            let read = env
                .stdin
                .read()
                .map_err(|e| Failure::Input(e.to_string()))?;
            read.lines().next().unwrap_or_default().trim().to_owned()
        }
    };
    let client = Client::new(&login.url, &key)?;
    let account: Value = client
        .call(reqwest::Method::GET, "/v1/account", &[], None::<&Value>)
        .await?;
    let config = Config {
        url: login.url,
        key,
    };
    let path = config.save(env)?;
    let name = account["account"]["name"].as_str().unwrap_or("?");
    out.done(
        &format!(
            "Signed in to {} as account {name} (stored in {})",
            config.url,
            path.display()
        ),
        &serde_json::json!({"url": config.url, "account": account["account"], "config": path}),
    );
    Ok(())
}
