//! Counters, registered once per component, rendered as Prometheus text.
//!
//! Hand-written rather than a metrics crate: a few atomics per component
//! and one text renderer are all `/metrics` needs, and nothing here can
//! hold an event's content (labels are component names and rule ids).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

use logscrub_engine::Counts;

/// Counters of one source or sink.
#[derive(Debug)]
pub struct Component {
    /// `source` or `sink`.
    pub role: &'static str,
    /// The configured name.
    pub name: String,
    /// The `type`.
    pub kind: &'static str,
    /// Events received (sources) or taken from the queue (sinks).
    pub events_in: AtomicU64,
    /// Events sent on (sources) or delivered (sinks).
    pub events_out: AtomicU64,
    /// Events dropped: full queue with `drop_newest`, rejected by the
    /// destination, or given up after `retry_attempts`.
    pub events_dropped: AtomicU64,
    /// Encoded bytes delivered (sinks).
    pub bytes_out: AtomicU64,
    /// Failed attempts: requests, writes, rejected inputs.
    pub errors: AtomicU64,
    /// Events waiting in the sink's queue.
    pub queue_events: AtomicI64,
    /// Sum of successful request latencies, microseconds.
    pub latency_us_sum: AtomicU64,
    /// Number of successful requests.
    pub latency_count: AtomicU64,
    /// Last health check or request succeeded (sinks).
    pub healthy: AtomicBool,
    /// Lines replaced by a placeholder because they were too long.
    pub oversize: AtomicU64,
}

/// The rule set in force and its reloads.
#[derive(Debug, Default)]
pub struct RuleSet {
    /// Rules in force.
    pub loaded: AtomicU64,
    /// Reloads that swapped a new rule set in.
    pub reloads_ok: AtomicU64,
    /// Reloads refused (the previous rules stayed in force).
    pub reloads_failed: AtomicU64,
    /// The last reload was refused.
    pub last_reload_failed: AtomicBool,
}

/// Everything `/metrics` shows.
#[derive(Debug, Default)]
pub struct Metrics {
    components: Mutex<Vec<Arc<Component>>>,
    rules: Mutex<BTreeMap<String, u64>>,
    /// The rule set in force and its reloads.
    pub rule_set: RuleSet,
    /// `[api]` requests refused for a missing or wrong token (401).
    pub api_auth_failures: AtomicU64,
}

impl Metrics {
    /// Registers a component's counters.
    pub fn component(&self, role: &'static str, name: &str, kind: &'static str) -> Arc<Component> {
        let c = Arc::new(Component {
            role,
            name: name.to_owned(),
            kind,
            events_in: AtomicU64::new(0),
            events_out: AtomicU64::new(0),
            events_dropped: AtomicU64::new(0),
            bytes_out: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            queue_events: AtomicI64::new(0),
            latency_us_sum: AtomicU64::new(0),
            latency_count: AtomicU64::new(0),
            healthy: AtomicBool::new(true),
            oversize: AtomicU64::new(0),
        });
        self.components
            .lock()
            .expect("metrics lock")
            .push(c.clone());
        c
    }

    /// Adds per-rule redaction counts.
    pub fn add_redactions(&self, counts: &Counts) {
        let mut rules = self.rules.lock().expect("metrics lock");
        for (rule, n) in counts.iter() {
            match rules.get_mut(rule) {
                Some(v) => *v += n,
                None => {
                    rules.insert(rule.to_owned(), n);
                }
            }
        }
    }

    /// Redactions so far for one rule.
    pub fn redactions(&self, rule: &str) -> u64 {
        self.rules
            .lock()
            .expect("metrics lock")
            .get(rule)
            .copied()
            .unwrap_or(0)
    }

    /// The registered components.
    pub fn components(&self) -> Vec<Arc<Component>> {
        self.components.lock().expect("metrics lock").clone()
    }

    /// Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let comps = self.components();
        type Get = fn(&Component) -> f64;
        let series: &[(&str, &str, &str, Get)] = &[
            (
                "logscrub_events_in_total",
                "counter",
                "Events received by a component.",
                |c| c.events_in.load(Relaxed) as f64,
            ),
            (
                "logscrub_events_out_total",
                "counter",
                "Events sent on or delivered by a component.",
                |c| c.events_out.load(Relaxed) as f64,
            ),
            (
                "logscrub_events_dropped_total",
                "counter",
                "Events dropped and counted (full queue with drop_newest, rejected, given up).",
                |c| c.events_dropped.load(Relaxed) as f64,
            ),
            (
                "logscrub_bytes_out_total",
                "counter",
                "Encoded bytes delivered by a sink.",
                |c| c.bytes_out.load(Relaxed) as f64,
            ),
            (
                "logscrub_errors_total",
                "counter",
                "Failed requests, writes or inputs.",
                |c| c.errors.load(Relaxed) as f64,
            ),
            (
                "logscrub_queue_events",
                "gauge",
                "Events waiting in a sink's queue.",
                |c| c.queue_events.load(Relaxed) as f64,
            ),
            (
                "logscrub_request_latency_seconds_sum",
                "counter",
                "Total latency of successful sink requests.",
                |c| c.latency_us_sum.load(Relaxed) as f64 / 1e6,
            ),
            (
                "logscrub_request_latency_seconds_count",
                "counter",
                "Successful sink requests.",
                |c| c.latency_count.load(Relaxed) as f64,
            ),
            (
                "logscrub_sink_healthy",
                "gauge",
                "1 when the sink's last check or request succeeded.",
                |c| f64::from(u8::from(c.healthy.load(Relaxed))),
            ),
            (
                "logscrub_oversize_events_total",
                "counter",
                "Lines replaced by a placeholder for being too long.",
                |c| c.oversize.load(Relaxed) as f64,
            ),
        ];
        for (name, kind, help, get) in series {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for c in &comps {
                let sink_only = name.starts_with("logscrub_request")
                    || matches!(
                        *name,
                        "logscrub_queue_events"
                            | "logscrub_sink_healthy"
                            | "logscrub_bytes_out_total"
                    );
                if c.role == "source" && sink_only {
                    continue;
                }
                let _ = writeln!(
                    out,
                    "{name}{{component=\"{}\",role=\"{}\",type=\"{}\"}} {}",
                    label(&c.name),
                    c.role,
                    c.kind,
                    get(c)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP logscrub_redactions_total Values redacted, per rule.\n# TYPE logscrub_redactions_total counter"
        );
        for (rule, n) in self.rules.lock().expect("metrics lock").iter() {
            let _ = writeln!(
                out,
                "logscrub_redactions_total{{rule=\"{}\"}} {n}",
                label(rule)
            );
        }
        let r = &self.rule_set;
        let _ = writeln!(
            out,
            "# HELP logscrub_rules_reloads_total Rule reloads (SIGHUP, file change, POST /reload), by result.\n\
             # TYPE logscrub_rules_reloads_total counter\n\
             logscrub_rules_reloads_total{{result=\"ok\"}} {}\n\
             logscrub_rules_reloads_total{{result=\"failed\"}} {}\n\
             # HELP logscrub_rules_loaded Rules in force.\n\
             # TYPE logscrub_rules_loaded gauge\n\
             logscrub_rules_loaded {}\n\
             # HELP logscrub_rules_last_reload_failed 1 when the last reload was refused (the previous rules stay in force).\n\
             # TYPE logscrub_rules_last_reload_failed gauge\n\
             logscrub_rules_last_reload_failed {}",
            r.reloads_ok.load(Relaxed),
            r.reloads_failed.load(Relaxed),
            r.loaded.load(Relaxed),
            u8::from(r.last_reload_failed.load(Relaxed)),
        );
        let _ = writeln!(
            out,
            "# HELP logscrub_api_auth_failures_total API requests refused for a missing or wrong token.\n\
             # TYPE logscrub_api_auth_failures_total counter\n\
             logscrub_api_auth_failures_total {}",
            self.api_auth_failures.load(Relaxed)
        );
        out
    }
}

fn label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
