//! Engine throughput (MB/s, single thread, whole default pack):
//! (a) clean-majority mixed logs (2% of lines carry sensitive data),
//! (b) dense mixed logs (50%), (c) JSON events (2%) — generated here, at
//! least 50 MB each — and text nobody here wrote or tuned the rules on:
//! (d) the eight Loghub systems of `../shared/realworld/loghub` repeated to
//! 50 MB, (e) `scripts/servicelogs.py bench-corpus` service logs (2%), made
//! by the script when python3 is at hand. Each corpus first prints the
//! share of its lines that reach verification (pass the gate).
//! Run: `cargo bench --bench engine`; `benches/speed.sh` times the CLI on
//! the same kinds of text against ripgrep. Targets and results:
//! BENCHMARKS.md.
//! With `LOGSCRUB_BENCH_DUMP=DIR` the corpora are also written to DIR, so
//! `logscrub redact` can be timed on exactly the same bytes. With
//! `LOGSCRUB_BENCH_BASELINE=DIR` each corpus is also run with the rule files
//! in DIR instead of the default pack (`benches/pack_growth.sh` puts the
//! pack of an older commit there): the cost of the rules added since, with
//! the same engine, on the same corpora, in the same run.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use logscrub_engine::{Format, Scanner};

#[path = "../crates/engine/tests/fakes.rs"]
mod fakes;

use fakes::{Rng, FAMILIES};

const CORPUS_BYTES: usize = 50 << 20;

fn hex(rng: &mut Rng, n: usize) -> String {
    rng.chars("0123456789abcdef", n)
}

fn uuid(rng: &mut Rng) -> String {
    format!(
        "{}-{}-4{}-a{}-{}",
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 3),
        hex(rng, 3),
        hex(rng, 12)
    )
}

/// One log line of a random format; `secret` is planted when given.
fn line(rng: &mut Rng, json_only: bool, secret: Option<String>) -> String {
    let ts = format!(
        "2026-11-29T03:{:02}:{:02}.{:03}Z",
        rng.below(60),
        rng.below(60),
        rng.below(1000)
    );
    let id = 10_000 + rng.below(90_000);
    let kind = if json_only { 3 } else { rng.below(4) };
    let note = secret.unwrap_or_else(|| format!("plan-{}", rng.below(9)));
    match kind {
        0 => format!(
            "{ts} INFO  [worker-{}] request completed method=GET path=/api/v1/users/{id} status=200 duration_ms={} request_id={} note={note}",
            rng.below(16),
            rng.below(900),
            uuid(rng)
        ),
        1 => format!(
            "ts={ts} level=debug msg=\"cache hit\" key=user:{id} ttl=300 trace_id={} span_id={} detail=\"{note}\"",
            hex(rng, 32),
            hex(rng, 16)
        ),
        2 => format!(
            "10.0.{}.{} - - [29/Nov/2026:03:49:50 +0000] \"GET /static/app.{}.js?ref={} HTTP/1.1\" 200 {} \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\"",
            rng.below(255),
            rng.below(255),
            hex(rng, 8),
            note.replace(' ', "%20"),
            rng.below(100_000)
        ),
        _ => format!(
            "{{\"ts\":\"{ts}\",\"level\":\"info\",\"service\":\"checkout\",\"msg\":\"order placed\",\"order_id\":{id},\"items\":{},\"latency_ms\":{}.{},\"trace_id\":\"{}\",\"user\":{{\"id\":{id},\"plan\":\"pro\",\"note\":{}}}}}",
            rng.below(9),
            rng.below(100),
            rng.below(10),
            hex(rng, 32),
            serde_json::to_string(&note).unwrap()
        ),
    }
}

/// A corpus of at least [`CORPUS_BYTES`]; `dirty` in percent.
pub fn corpus(seed: u64, dirty: u64, json_only: bool) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut lines = Vec::new();
    let mut size = 0;
    while size < CORPUS_BYTES {
        let secret = (rng.below(100) < dirty).then(|| {
            let (_, gen) = FAMILIES[rng.below(FAMILIES.len() as u64) as usize];
            gen(&mut rng)
        });
        let l = line(&mut rng, json_only, secret);
        size += l.len() + 1;
        lines.push(l);
    }
    lines
}

/// The eight shared Loghub samples, repeated to [`CORPUS_BYTES`].
fn loghub() -> Option<Vec<String>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/realworld/loghub");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    files.sort();
    let mut one = Vec::new();
    for f in files {
        let text = std::fs::read(f).ok()?;
        one.extend(String::from_utf8_lossy(&text).lines().map(str::to_owned));
    }
    let size: usize = one.iter().map(|l| l.len() + 1).sum();
    if size == 0 {
        return None;
    }
    let times = CORPUS_BYTES.div_ceil(size);
    Some(std::iter::repeat_n(one, times).flatten().collect())
}

/// `scripts/servicelogs.py bench-corpus` output of [`CORPUS_BYTES`], or
/// `None` without python3.
fn service_logs() -> Option<Vec<String>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = std::path::Path::new(root).join("target/bench-service.log");
    if !out.exists() {
        let ok = std::process::Command::new("python3")
            .arg(format!("{root}/scripts/servicelogs.py"))
            .args(["bench-corpus", "--size-mb", "50", "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("e_service_logs_2pct: skipped (python3 scripts/servicelogs.py failed)");
            return None;
        }
    }
    let text = std::fs::read(&out).ok()?;
    Some(
        String::from_utf8_lossy(&text)
            .lines()
            .map(str::to_owned)
            .collect(),
    )
}

fn bench(c: &mut Criterion) {
    let scanner = Scanner::embedded();
    let baseline = std::env::var_os("LOGSCRUB_BENCH_BASELINE").map(|dir| {
        let mut rules = logscrub_engine::Rules::empty();
        rules.add_path(&dir).expect("baseline rule files load");
        Scanner::new(&rules).expect("baseline rules compile")
    });
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(20));
    let mut corpora: Vec<(&str, Vec<String>)> = vec![
        ("a_clean_majority_2pct", corpus(42, 2, false)),
        ("b_dense_50pct", corpus(42, 50, false)),
        ("c_json_events_2pct", corpus(42, 2, true)),
    ];
    if let Some(lines) = loghub() {
        corpora.push(("d_loghub8", lines));
    }
    if let Some(lines) = service_logs() {
        corpora.push(("e_service_logs_2pct", lines));
    }
    for (name, lines) in corpora {
        let verified = lines
            .iter()
            .filter(|l| scanner.gate_reason(l.as_bytes()).is_some())
            .count();
        eprintln!(
            "{name}: {} lines, {:.1}% reach verification",
            lines.len(),
            100.0 * verified as f64 / lines.len() as f64
        );
        if let Some(dir) = std::env::var_os("LOGSCRUB_BENCH_DUMP") {
            // The same corpus as a file, to time `logscrub redact` on it.
            let path = std::path::Path::new(&dir).join(format!("{name}.log"));
            std::fs::write(&path, lines.join("\n") + "\n").expect("write corpus");
        }
        let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        let run = |s: &Scanner| {
            let mut r = s.lines(Format::Auto);
            let mut out = 0usize;
            for l in &lines {
                out += r.redact(l.as_bytes()).len();
            }
            out
        };
        if let Some(base) = &baseline {
            g.bench_function(format!("{name}/baseline_pack"), |b| b.iter(|| run(base)));
        }
        g.bench_function(name, |b| b.iter(|| run(&scanner)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
