//! `logscrub redact`: lines in, redacted lines out, in order, on all cores.
//!
//! A reader thread cuts the input into chunks of whole lines (about 1 MiB),
//! workers redact chunks in parallel, and the writer puts them back in
//! order. Channels are bounded, so memory stays flat whatever the input
//! size: a few chunks in flight plus at most one line of `--max-line-bytes`.
//! A line longer than that is never buffered whole: it is replaced by a
//! placeholder and skipped to its newline (fail closed, one output line).
//!
//! A PEM key with real newlines can open in one chunk and close in the
//! next; a worker starts each chunk with no open block, so when a chunk
//! ends inside a block the writer redacts the following chunk again,
//! sequentially, starting from that state.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use logscrub_engine::{BlockState, Counts, Format, Scanner};

use crate::{Failure, RedactArgs};

const CHUNK: usize = 256 << 10;

/// A chunk of whole lines: `data` holds lines each ended by `\n`, except
/// perhaps the very last line of the input.
struct Chunk {
    seq: u64,
    data: Vec<u8>,
    /// Placeholder lines the reader substituted for oversize lines.
    oversize: u64,
}

struct Done {
    seq: u64,
    input: Vec<u8>,
    output: Vec<u8>,
    counts: Counts,
    end: BlockState,
    oversize: u64,
}

pub(crate) fn run(args: RedactArgs) -> Result<(), Failure> {
    let scanner = args.rules.scanner(args.max_line_bytes)?;
    let format: Format = args.format.into();
    let mut inputs: Vec<Box<dyn Read + Send>> = Vec::new();
    if args.files.is_empty() {
        inputs.push(Box::new(io::stdin()));
    }
    for f in &args.files {
        if f.as_os_str() == "-" {
            inputs.push(Box::new(io::stdin()));
        } else {
            let file = File::open(f)
                .with_context(|| format!("cannot open {}", f.display()))
                .map_err(Failure::runtime)?;
            inputs.push(Box::new(file));
        }
    }
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            File::create(p)
                .with_context(|| format!("cannot create {}", p.display()))
                .map_err(Failure::runtime)?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 64);
    let stats = redact_streams(
        &scanner,
        format,
        inputs,
        &mut out,
        threads,
        args.max_line_bytes,
    )
    .map_err(Failure::runtime)?;
    out.flush()
        .context("cannot write output")
        .map_err(Failure::runtime)?;
    if args.stats {
        let mut rows: Vec<(&str, u64)> = stats.counts.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut err = io::stderr().lock();
        let _ = writeln!(
            err,
            "logscrub: {} lines, {} findings",
            stats.lines,
            stats.counts.total() + stats.oversize
        );
        for (id, n) in rows {
            let _ = writeln!(err, "{n:>10}  {id}");
        }
        if stats.oversize > 0 {
            let _ = writeln!(err, "{:>10}  oversize-event", stats.oversize);
        }
    }
    Ok(())
}

/// What a run saw.
pub(crate) struct Stats {
    pub(crate) lines: u64,
    pub(crate) counts: Counts,
    pub(crate) oversize: u64,
}

fn redact_chunk(
    scanner: &Scanner,
    format: Format,
    data: &[u8],
    start: BlockState,
    out: &mut Vec<u8>,
) -> (Counts, BlockState) {
    let mut r = scanner.lines(format);
    r.set_block_state(start);
    out.clear();
    out.reserve(data.len() + data.len() / 16);
    let mut rest = data;
    while !rest.is_empty() {
        let (line, nl, next) = match memchr::memchr(b'\n', rest) {
            Some(p) => (&rest[..p], true, &rest[p + 1..]),
            None => (rest, false, &rest[rest.len()..]),
        };
        out.extend_from_slice(&r.redact(line));
        if nl {
            out.push(b'\n');
        }
        rest = next;
    }
    (r.counts(), r.block_state())
}

fn redact_streams(
    scanner: &Scanner,
    format: Format,
    inputs: Vec<Box<dyn Read + Send>>,
    out: &mut dyn Write,
    threads: usize,
    max_line: usize,
) -> anyhow::Result<Stats> {
    let (chunk_tx, chunk_rx) = sync_channel::<Chunk>(threads * 2);
    let (done_tx, done_rx) = sync_channel::<Done>(threads * 2);
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    std::thread::scope(|s| {
        let reader = s.spawn(move || read_chunks(inputs, chunk_tx, max_line));
        for _ in 0..threads {
            let rx = Arc::clone(&chunk_rx);
            let tx = done_tx.clone();
            let scanner = scanner.clone();
            s.spawn(move || worker(&scanner, format, &rx, &tx));
        }
        drop(done_tx);
        drop(chunk_rx);
        let written = write_in_order(scanner, format, done_rx, out);
        // If the writer failed, stop the pipeline: dropping the receiver makes
        // workers and the reader see closed channels and return.
        let read = reader
            .join()
            .map_err(|_| anyhow::anyhow!("reader thread panicked"))?;
        let stats = written?;
        read?;
        Ok(stats)
    })
}

fn worker(scanner: &Scanner, format: Format, rx: &Mutex<Receiver<Chunk>>, tx: &SyncSender<Done>) {
    loop {
        let chunk = {
            let Ok(guard) = rx.lock() else { return };
            match guard.recv() {
                Ok(c) => c,
                Err(_) => return,
            }
        };
        let mut output = Vec::new();
        let (counts, end) = redact_chunk(
            scanner,
            format,
            &chunk.data,
            BlockState::default(),
            &mut output,
        );
        let done = Done {
            seq: chunk.seq,
            input: chunk.data,
            output,
            counts,
            end,
            oversize: chunk.oversize,
        };
        if tx.send(done).is_err() {
            return;
        }
    }
}

fn write_in_order(
    scanner: &Scanner,
    format: Format,
    rx: Receiver<Done>,
    out: &mut dyn Write,
) -> anyhow::Result<Stats> {
    let mut pending: std::collections::BTreeMap<u64, Done> = std::collections::BTreeMap::new();
    let mut next = 0u64;
    let mut carry = BlockState::default();
    let mut stats = Stats {
        lines: 0,
        counts: Counts::default(),
        oversize: 0,
    };
    for done in rx {
        pending.insert(done.seq, done);
        while let Some(mut d) = pending.remove(&next) {
            if carry.is_open() {
                // The previous chunk ended inside a block: redo this one from there.
                let mut output = Vec::new();
                let (counts, end) =
                    redact_chunk(scanner, format, &d.input, carry.clone(), &mut output);
                d.output = output;
                d.counts = counts;
                d.end = end;
            }
            out.write_all(&d.output).context("cannot write output")?;
            stats.lines += memchr::memchr_iter(b'\n', &d.input).count() as u64
                + u64::from(!d.input.is_empty() && !d.input.ends_with(b"\n"));
            stats.counts.merge(&d.counts);
            stats.oversize += d.oversize;
            carry = d.end;
            next += 1;
        }
    }
    Ok(stats)
}

/// Cuts the inputs into chunks of whole lines. Each input ends its last
/// line (a file without a final newline still gives separate lines).
fn read_chunks(
    inputs: Vec<Box<dyn Read + Send>>,
    tx: SyncSender<Chunk>,
    max_line: usize,
) -> anyhow::Result<()> {
    let placeholder = b"[REDACTED:oversize-event]";
    let mut seq = 0u64;
    let mut data: Vec<u8> = Vec::with_capacity(CHUNK + 4096);
    let mut oversize = 0u64;
    let n_inputs = inputs.len();
    let send = |data: &mut Vec<u8>, oversize: &mut u64, seq: &mut u64| -> bool {
        let chunk = Chunk {
            seq: *seq,
            data: std::mem::replace(data, Vec::with_capacity(CHUNK + 4096)),
            oversize: *oversize,
        };
        *seq += 1;
        *oversize = 0;
        tx.send(chunk).is_ok()
    };
    for (idx, input) in inputs.into_iter().enumerate() {
        let mut reader = BufReader::with_capacity(256 << 10, input);
        // Start of the current (incomplete) line in `data`, and whether it
        // has been found too long (then its bytes are skipped to the newline).
        let mut line_start = data.len();
        let mut skipping = false;
        loop {
            let buf = match reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e).context("cannot read input"),
            };
            if buf.is_empty() {
                break;
            }
            let (take, nl) = match memchr::memchr(b'\n', buf) {
                Some(p) => (p + 1, true),
                None => (buf.len(), false),
            };
            if skipping {
                if nl {
                    data.push(b'\n');
                    skipping = false;
                    line_start = data.len();
                }
            } else {
                data.extend_from_slice(&buf[..take]);
                let line_len = data.len() - line_start - usize::from(nl);
                if line_len > max_line {
                    data.truncate(line_start);
                    data.extend_from_slice(placeholder);
                    oversize += 1;
                    if nl {
                        data.push(b'\n');
                    } else {
                        skipping = true;
                    }
                }
                if nl {
                    line_start = data.len();
                }
            }
            reader.consume(take);
            if nl && data.len() >= CHUNK {
                if !send(&mut data, &mut oversize, &mut seq) {
                    return Ok(());
                }
                line_start = 0;
            }
        }
        // An input that does not end with a newline still ends its line,
        // unless it is the last input (then the output keeps that shape).
        let incomplete = data.len() > line_start || skipping;
        if incomplete && idx + 1 < n_inputs {
            data.push(b'\n');
        }
    }
    if !data.is_empty() || oversize > 0 {
        send(&mut data, &mut oversize, &mut seq);
    }
    Ok(())
}
