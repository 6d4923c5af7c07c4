//! What the CLI prints: tables and sentences for people, or JSON with
//! `--json` (a document per command, a line per event for `tail`);
//! errors go to standard error.

use crate::args::Cli;
use crate::Failure;
use clap::CommandFactory;
use clap_complete::Shell;
use hookrelay_client::Error;
use serde_json::{json, Value};
use std::io::Write;

/// The CLI's standard output and error.
pub struct Out<'a> {
    pub stdout: &'a mut (dyn Write + Send),
    pub stderr: &'a mut (dyn Write + Send),
    pub json: bool,
}

impl<'a> Out<'a> {
    pub fn new(stdout: &'a mut (dyn Write + Send), stderr: &'a mut (dyn Write + Send)) -> Self {
        Self {
            stdout,
            stderr,
            json: false,
        }
    }

    /// A result: `human` for people, `machine` with `--json`.
    pub fn done(&mut self, human: &str, machine: &Value) {
        let text = if self.json {
            machine.to_string()
        } else {
            human.to_owned()
        };
        let _ = writeln!(self.stdout, "{text}");
        let _ = self.stdout.flush();
    }

    /// Rows under `headers`, columns padded to fit; `machine` with `--json`.
    pub fn table(&mut self, headers: &[&str], rows: &[Vec<String>], machine: &Value) {
        if self.json {
            return self.done("", machine);
        }
        let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
        for row in rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            padded.join("  ").trim_end().to_owned()
        };
        let mut text = vec![line(headers.to_vec())];
        text.extend(
            rows.iter()
                .map(|row| line(row.iter().map(String::as_str).collect())),
        );
        self.done(&text.join("\n"), machine);
    }

    /// A prompt or progress note, on standard error (never in the JSON).
    pub fn note(&mut self, text: &str) {
        let _ = writeln!(self.stderr, "{text}");
    }

    pub fn error(&mut self, text: &str) {
        let _ = write!(self.stderr, "{text}");
        let _ = self.stderr.flush();
    }

    /// Why a command failed: the API's message and each field's error.
    pub fn failure(&mut self, failure: &Failure) {
        let machine = match failure {
            Failure::Api(Error::Api {
                status,
                message,
                errors,
            }) => {
                let fields: Vec<Value> = errors
                    .iter()
                    .map(|e| json!({"field": e.field, "message": e.message}))
                    .collect();
                json!({"error": {"status": status, "message": message, "errors": fields}})
            }
            other => json!({"error": {"message": other.to_string()}}),
        };
        if self.json {
            let _ = writeln!(self.stderr, "{machine}");
            return;
        }
        let _ = writeln!(self.stderr, "error: {failure}");
        if let Failure::Api(Error::Api { errors, .. }) = failure {
            for e in errors {
                let _ = writeln!(self.stderr, "  {}: {}", e.field, e.message);
            }
        }
    }

    pub fn completions(&mut self, shell: Shell) {
        clap_complete::generate(shell, &mut Cli::command(), "hookrelay", &mut self.stdout);
    }
}
