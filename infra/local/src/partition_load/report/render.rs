//! The report as Markdown tables.

use super::super::functions::{AWS_OWN, ORIGINS};
use super::scheduler::long_steps;
use super::{rate_text, verdict, PartitionReport, ACCOUNT_TARGET, SCALE_FAILING, SCALE_RATE};
use super::{SCHEDULER_TARGET, SHARED_TARGET, WEBHOOK_TARGET};
use hookrelay::adapters::aws::hot_keys::{Class, FamilyLoad};
use hookrelay::adapters::aws::replay::Units;
use hookrelay::config::DEFAULT_RETRY_SCHEDULE;
use hookrelay::domain::wake::WAKE_GROUPS;
use std::fmt::Write;

const HEAD: &str = "| key family | on | shards | scope | deliveries | WCU/delivery | RCU/delivery | deliveries/s at the limit, per shard at scale | busiest key seen | its deliveries/s at the limit |\n|---|---|---|---|---|---|---|---|---|---|\n";

impl PartitionReport {
    fn row(&self, out: &mut String, load: &FamilyLoad) {
        let scope = load
            .scope
            .as_deref()
            .map_or("all".to_owned(), |s| self.label(s));
        let Units { write, read } = load.per_delivery;
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {scope} | {} | {write:.3} | {read:.3} | {} | `{}` | {} |",
            load.family,
            load.index.unwrap_or("table"),
            load.shards,
            load.deliveries,
            rate_text(load.rate_per_shard()),
            self.label(&load.busiest),
            rate_text(load.rate_busiest()),
        );
    }

    fn class_table(
        &self,
        out: &mut String,
        title: &str,
        class: Class,
        keep: impl Fn(&FamilyLoad) -> bool,
    ) {
        let _ = write!(out, "\n### {title}\n\n{HEAD}");
        let mut rows: Vec<&FamilyLoad> = self
            .loads
            .iter()
            .filter(|l| l.class == class && keep(l))
            .collect();
        rows.sort_by(|a, b| a.rate_per_shard().total_cmp(&b.rate_per_shard()));
        for load in rows {
            self.row(out, load);
        }
    }

    /// The class's hottest key, against `target` (`None`: there is none).
    fn hottest_line(
        &self,
        out: &mut String,
        what: &str,
        found: Option<&FamilyLoad>,
        target: Option<f64>,
    ) {
        let Some(load) = found else {
            let _ = writeln!(out, "\n**{what}: no load seen.**");
            return;
        };
        let rate = load.rate_per_shard();
        let against = match target {
            Some(target) => format!("target ≥ {}: {}", rate_text(target), verdict(rate, target)),
            None => "no target".into(),
        };
        let _ = writeln!(
            out,
            "\n**{what}: `{}` ({}) reaches the limit at {} deliveries/s; {against}.**",
            load.family,
            load.index.unwrap_or("table"),
            rate_text(rate),
        );
    }

    /// The worst webhook of B (of its 100) stands for the rest of them.
    fn shown_webhook(&self, load: &FamilyLoad) -> bool {
        let label = load
            .scope
            .as_deref()
            .map(|s| self.label(s))
            .unwrap_or_default();
        if !label.starts_with("<B/") {
            return true;
        }
        let worst = self
            .loads
            .iter()
            .filter(|l| l.family == load.family && l.index == load.index)
            .filter(|l| {
                l.scope
                    .as_deref()
                    .is_some_and(|s| self.label(s).starts_with("<B/"))
            })
            .min_by(|a, b| a.rate_per_shard().total_cmp(&b.rate_per_shard()));
        worst.is_some_and(|w| w.scope == load.scope)
    }
}

impl PartitionReport {
    fn entity_table(&self, out: &mut String) {
        let _ = write!(
            out,
            "\n### Keys of one entity (an event, an API key, an idempotency key)\n\n\
             Each key carries one entity's load, whatever the delivery rate: not a hot key by design.\n\n\
             | key family | on | busiest key seen | its WCU | its RCU |\n|---|---|---|---|---|\n"
        );
        for load in self.loads.iter().filter(|l| l.class == Class::PerEntity) {
            let units = load.busiest_per_delivery;
            let count = load.deliveries.max(1) as f64;
            let _ = writeln!(
                out,
                "| `{}` | {} | `{}` | {:.1} | {:.1} |",
                load.family,
                load.index.unwrap_or("table"),
                self.label(&load.busiest),
                units.write * count,
                units.read * count
            );
        }
    }

    fn refills_section(&self, out: &mut String) {
        let _ = write!(
            out,
            "\n### Cache refills (per warm instance, once a minute; not in the figures above)\n\n\
             The functions' caches were filled before the counted run and kept through it. At scale each \
             warm instance refills them once a minute: ingest, config-api and query read each API key (one \
             item per key: `APIKEY#{{hash}}`, and write its `last_used_at` at most once a minute), and each warm sender reads each webhook it sends to and \
             notes an outcome on it (when it changes, else once a minute):\n\n\
             | account | webhooks | per warm sender per minute | warm senders at which a key reaches its limit |\n|---|---|---|---|\n"
        );
        for refill in &self.refills {
            let units: Vec<String> = refill
                .per_minute
                .iter()
                .map(|((index, family), u)| {
                    format!(
                        "`{family}` ({}): {:.0} WCU, {:.0} RCU",
                        index.unwrap_or("table"),
                        u.write,
                        u.read
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                self.label(&refill.account),
                refill.webhooks,
                units.join("; "),
                rate_text(refill.senders_at_limit())
            );
        }
    }

    fn scheduler_section(&self, out: &mut String) {
        let s = &self.scheduler;
        let deliveries = self.deliveries.total.max(1) as f64;
        let at_scale = self.scheduler_at_scale();
        let lengths = long_steps(&DEFAULT_RETRY_SCHEDULE) + 1;
        let _ = write!(
            out,
            "\n### Scheduler\n\n\
             - In the workload: {} CreateSchedule ({:.3} per delivery; other Scheduler calls by the functions: {}) \
             for {} wake buckets ({:.2} per bucket), for {} waits beyond the queue's reach ({} first attempts delayed, \
             and retries; retry schedule {:?} s).\n\
             - At scale: a bucket's schedule is made once (a conditional write records it), so calls follow the due \
             minutes that come into use, not the delivery rate. Each real minute, each wait length ({} long steps of the \
             default schedule {:?} s, and the horizon of delays) brings one new due minute into use in each of {} groups: \
             {} × {lengths} / 60 s × {:.2} = **{} Scheduler calls/s at any delivery rate ({} deliveries/s with {:.0} % \
             failing included); target ≤ {}: {}**.\n",
            s.creates,
            s.creates as f64 / deliveries,
            s.other,
            s.buckets,
            s.per_bucket(),
            s.long_waits,
            s.long_delayed,
            self.retry_schedule,
            lengths - 1,
            DEFAULT_RETRY_SCHEDULE,
            WAKE_GROUPS,
            WAKE_GROUPS,
            s.per_bucket(),
            rate_text(at_scale),
            rate_text(SCALE_RATE),
            SCALE_FAILING * 100.0,
            rate_text(SCHEDULER_TARGET),
            if at_scale <= SCHEDULER_TARGET { "met" } else { "NOT MET" },
        );
    }

    fn calls_table(&self, out: &mut String) {
        let deliveries = self.deliveries.total.max(1) as f64;
        let services = ["dynamodb", "sqs", "scheduler", "kms"];
        let _ = write!(
            out,
            "\n### AWS calls per delivery, by function and service\n\n\
             KMS: the data keys that seal secrets at rest, each asked for once per function \
             (and per hour) and kept warm.\n\n\
             | function | dynamodb | sqs | scheduler | kms | all |\n|---|---|---|---|---|---|\n"
        );
        let mut totals = [0usize; 4];
        // One row: calls per delivery of each service and in all.
        let line = |out: &mut String, name: &str, calls: [usize; 4]| {
            let per = |n: usize| n as f64 / deliveries;
            let all = per(calls.iter().sum());
            let [a, b, c, d] = calls.map(per);
            let _ = writeln!(
                out,
                "| {name} | {a:.2} | {b:.2} | {c:.3} | {d:.4} | {all:.2} |"
            );
        };
        for origin in ORIGINS {
            let mut row = [0usize; 4];
            for ((from, action), count) in &self.calls {
                let service = services
                    .iter()
                    .position(|s| action.starts_with(&format!("{s}:")));
                if let (true, Some(i)) = (*from == origin, service) {
                    row[i] += count;
                    totals[i] += count;
                }
            }
            let name = if origin == AWS_OWN {
                "AWS (event source mapping, EventBridge)"
            } else {
                origin
            };
            line(out, name, row);
        }
        line(out, "**all**", totals);
    }

    fn intro(&self, out: &mut String) {
        let by_account: Vec<String> = self
            .deliveries
            .by_account
            .iter()
            .map(|(id, n)| format!("{} {n}", self.label(id)))
            .collect();
        let _ = writeln!(
            out,
            "## Partition load: the delivery rate each class of key allows\n\n\
             {} deliveries ({}) replayed in {:.0} s on moto. A key takes 1,000 WCU/s and 3,000 RCU/s, \
             on the table and on each index. Per shard at scale: the family's units per delivery of its \
             scope ÷ its shards (`KEY_FAMILIES` in keys.rs); the busiest key seen is this small run's, noisy \
             for sharded families. Only the pipeline's calls (ingest, the delivery function, the sweeper, \
             AWS's own) are charged: the API functions' (config-api, query) follow their requests, not the \
             deliveries (they are in the calls table). A family whose keys grow with a rate (a rate limit's send \
             slots: one item per 100 sends/s) reaches no limit while each key takes its share within it. The \
             delivery function got {} SQS batches of {:.1} messages on average (stats and notes are flushed \
             once per batch: one write per webhook noted, and per account and hour and webhook and hour of stats).",
            self.deliveries.total,
            by_account.join(", "),
            self.seconds,
            self.batches.0,
            self.batches.1 as f64 / self.batches.0.max(1) as f64
        );
    }

    fn account_tables(&self, out: &mut String) {
        for account in self.deliveries.by_account.keys() {
            let title = format!("One account's keys: {}", self.label(account));
            let mine = |l: &FamilyLoad| l.scope.as_ref() == Some(account);
            self.class_table(out, &title, Class::Account, mine);
            let target = self.target_accounts.contains(account);
            let what = format!("Hottest key of account {}", self.label(account));
            let found = self.hottest(Class::Account, Some(account));
            self.hottest_line(out, &what, found, target.then_some(ACCOUNT_TARGET));
        }
    }

    /// The whole report as Markdown.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.intro(&mut out);
        let title = "Keys shared by all accounts";
        self.class_table(&mut out, title, Class::Shared, |_| true);
        let shared = self.hottest(Class::Shared, None);
        self.hottest_line(&mut out, "Hottest shared key", shared, Some(SHARED_TARGET));
        self.account_tables(&mut out);
        let title = "One webhook's keys (B's 100 webhooks: the worst of them; a deleted webhook's \
                     deliveries pay for their index entries twice)";
        self.class_table(&mut out, title, Class::Webhook, |l| self.shown_webhook(l));
        let webhook = self.hottest(Class::Webhook, None);
        let what = "Hottest webhook key";
        self.hottest_line(&mut out, what, webhook, Some(WEBHOOK_TARGET));
        self.entity_table(&mut out);
        self.refills_section(&mut out);
        self.scheduler_section(&mut out);
        self.calls_table(&mut out);
        for problem in &self.problems {
            let _ = writeln!(out, "\nPROBLEM: {problem}");
        }
        out
    }
}
