//! `rules bench`: what each rule costs on a sample, against a pass of the
//! whole pack.

use super::*;

/// Rules whose single-rule pass costs more than this many times the median
/// are flagged SLOW.
pub(super) const SLOW_FACTOR: f64 = 3.0;

/// A pass over a small sample repeats it until this many lines are
/// redacted, so a 20-line sample does not measure timer noise.
pub(super) const MIN_PASS_LINES: usize = 5_000;

/// The fastest of `passes` redaction passes over `lines`, as a stream
/// (`Format::Auto`, as `logscrub redact` does), per pass over the sample.
pub(super) fn best_pass(scanner: &Scanner, lines: &[&[u8]], passes: usize) -> Duration {
    let rounds = MIN_PASS_LINES.div_ceil(lines.len().max(1)).max(1);
    let mut best = Duration::MAX;
    for _ in 0..passes.max(1) {
        let mut r = scanner.lines(Format::Auto);
        let t = Instant::now();
        let mut n = 0usize;
        for _ in 0..rounds {
            for l in lines {
                n += r.redact(l).len();
            }
        }
        std::hint::black_box(n);
        best = best.min(t.elapsed() / rounds as u32);
    }
    best
}

pub(super) fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

pub(super) fn ns_per_line(lines: usize, d: Duration) -> f64 {
    d.as_nanos() as f64 / lines.max(1) as f64
}

pub(super) struct BenchRow {
    id: String,
    kind: &'static str,
    gate_lines: usize,
    hits: u64,
    time: Duration,
}

/// `rules bench`: the full scanner's throughput on a sample, and what each
/// rule costs there (a scanner of that rule alone), worst first.
pub(crate) fn bench(
    args: &RuleArgs,
    sample: &Path,
    top: usize,
    passes: usize,
) -> Result<(), Failure> {
    let started = Instant::now();
    let max = logscrub_engine::scanner::DEFAULT_MAX_EVENT_BYTES;
    let rules = args.policy(max).load().map_err(Failure::config)?;
    // A fixed key: `hash` rules need one, and its value costs nothing.
    let build = |r: &Rules| {
        Scanner::builder()
            .hash_key(b"logscrub-rules-bench".to_vec())
            .max_event_bytes(max)
            .build(r)
            .map_err(Failure::config)
    };
    let full = build(&rules)?;
    let data = std::fs::read(sample)
        .map_err(|e| Failure::config(anyhow::anyhow!("cannot read {}: {e}", sample.display())))?;
    let lines: Vec<&[u8]> = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(Failure::config(anyhow::anyhow!(
            "{}: no lines to measure",
            sample.display()
        )));
    }
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let n = lines.len();

    // The whole pack: throughput, redactions per rule, why lines pass the gate.
    let full_time = best_pass(&full, &lines, passes);
    let mut redactor = full.lines(Format::Auto);
    let mut reasons: std::collections::HashMap<&str, usize> = Default::default();
    let mut gated = 0usize;
    for l in &lines {
        redactor.redact(l);
        if let Some(r) = full.gate_reason(l) {
            gated += 1;
            *reasons.entry(r).or_default() += 1;
        }
    }
    let counts = redactor.counts();

    // Each rule alone. Lines that only an escape (`%41`, `\n`...) lets past
    // the gate are not the rule's doing: an empty scanner finds those.
    let base = build(&Rules::empty())?;
    let escaped: Vec<bool> = lines
        .iter()
        .map(|l| base.gate_reason(l).is_some())
        .collect();
    let base_time = best_pass(&base, &lines, passes);
    let mut rows = Vec::new();
    for e in rules.entries() {
        let mut one = Rules::empty();
        one.push(e.clone());
        let scanner = build(&one)?;
        let gate_lines = lines
            .iter()
            .zip(&escaped)
            .filter(|(l, esc)| !**esc && scanner.gate_reason(l).is_some())
            .count();
        rows.push(BenchRow {
            id: e.id().to_string(),
            kind: kind_name(e),
            gate_lines,
            hits: counts.get(e.id()),
            time: best_pass(&scanner, &lines, passes),
        });
    }
    rows.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| a.id.cmp(&b.id)));
    // The floor again, now that the caches are warm: the faster counts.
    let base_time = base_time.min(best_pass(&base, &lines, passes));
    // What a rule adds to the no-rules floor (JSON parsing, line handling).
    let extra = |r: &BenchRow| r.time.saturating_sub(base_time);
    let mut extras: Vec<Duration> = rows.iter().map(extra).collect();
    extras.sort();
    let median = extras[(extras.len() - 1) / 2];
    // Noise guard: a rule must also at least double the floor to be SLOW.
    let slow_limit = (median.as_secs_f64() * SLOW_FACTOR).max(base_time.as_secs_f64());
    let is_slow = |r: &BenchRow| extra(r).as_secs_f64() > slow_limit;

    println!(
        "sample {}: {n} lines, {bytes} bytes; {} rules; best of {} passes",
        sample.display(),
        rows.len(),
        passes.max(1)
    );
    println!(
        "full scanner: {:.1} MB/s, {:.0} ns/line; the gate lets {gated} of {n} lines through",
        mb_per_s(bytes, full_time),
        ns_per_line(n, full_time)
    );
    let mut reasons: Vec<(&str, usize)> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (r, c) in reasons.iter().take(5) {
        println!("  gate: {c:>7} lines  {}", one_line(r));
    }
    println!(
        "no rules: {:.0} ns/line (the floor each single-rule pass includes; EXTRA is a rule's cost above it)",
        ns_per_line(n, base_time)
    );
    println!();
    let id_w = rows
        .iter()
        .take(top)
        .map(|r| r.id.len())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "{:>4}  {:<id_w$}  {:<7}  {:>14}  {:>8}  {:>9}  {:>8}  {:>8}  FLAG",
        "RANK", "RULE", "KIND", "GATE LINES", "HITS", "NS/LINE", "EXTRA", "MB/S"
    );
    for (i, r) in rows.iter().take(top).enumerate() {
        let pct = 100.0 * r.gate_lines as f64 / n as f64;
        let row = format!(
            "{:>4}  {:<id_w$}  {:<7}  {:>14}  {:>8}  {:>9.0}  {:>8}  {:>8.1}  {}",
            i + 1,
            r.id,
            r.kind,
            format!("{} ({pct:.0}%)", r.gate_lines),
            r.hits,
            ns_per_line(n, r.time),
            format!("+{:.0}", ns_per_line(n, extra(r))),
            mb_per_s(bytes, r.time),
            if is_slow(r) { "SLOW" } else { "" }
        );
        println!("{}", row.trim_end());
    }
    let slow: Vec<&str> = rows
        .iter()
        .filter(|r| is_slow(r))
        .map(|r| r.id.as_str())
        .collect();
    println!(
        "total: {} rules ({} shown), full scanner {:.1} MB/s; median rule +{:.0} ns/line over the floor; {} SLOW (> {SLOW_FACTOR}x median and > the floor){}{}; measured in {:.1} s",
        rows.len(),
        rows.len().min(top),
        mb_per_s(bytes, full_time),
        ns_per_line(n, median),
        slow.len(),
        if slow.is_empty() { "" } else { ": " },
        slow.join(", "),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
