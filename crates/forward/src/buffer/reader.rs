//! The reader thread: reads segments back in order as they grow, skips
//! what is damaged, decrypts and hands blocks to the sink, at most
//! `outstanding` blocks ahead of what is acknowledged.

use super::*;

pub(super) fn read_loop(
    shared: Arc<Shared>,
    ring: Arc<Keyring>,
    start: Acked,
    outstanding: usize,
    deliver: impl Fn(Arc<Chunk>) -> bool,
) {
    let mut seg = start.segment;
    let mut skip_below;
    'segments: loop {
        // The next segment at or after `seg`.
        let next = {
            let mut st = shared.lock();
            loop {
                if let Some((&id, _)) = st.segs.range(seg..).next() {
                    break Some(id);
                }
                if st.writer_closed || shared.stopping.load(Relaxed) {
                    break None;
                }
                st = shared
                    .data
                    .wait_timeout(st, Duration::from_millis(200))
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
        };
        let Some(id) = next else { return };
        // Only the segment the delivered position points into has records
        // to skip.
        skip_below = if id == start.segment { start.index } else { 0 };
        let path = seg_path(&shared.dir, id);
        let Ok(mut file) = File::open(&path) else {
            // Deleted meanwhile (retention): go on.
            seg = id + 1;
            continue;
        };
        let mut data = Vec::new();
        let mut header: Option<(Header, Option<Aes256Gcm>)> = None;
        let mut consumed = 0usize;
        let mut unreadable = 0u64;
        loop {
            if shared.stopping.load(Relaxed) {
                return;
            }
            let (sealed, size) = {
                let st = shared.lock();
                match st.segs.get(&id) {
                    Some(s) => (s.sealed, s.bytes),
                    None => (true, 0),
                }
            };
            // Read what has been written (the writer updates `bytes` after
            // each complete write).
            let have = data.len() as u64;
            if size > have {
                let mut more = vec![0u8; (size - have) as usize];
                if file.seek(SeekFrom::Start(have)).is_err() || file.read_exact(&mut more).is_err()
                {
                    more.clear();
                    let _ = file.seek(SeekFrom::Start(have));
                    let _ = file.read_to_end(&mut more);
                }
                data.extend_from_slice(&more);
            } else if sealed && size == 0 {
                // Gone from the accounting (deleted).
                seg = id + 1;
                continue 'segments;
            }
            if header.is_none() {
                match Header::decode(&data) {
                    Some((h, len)) => {
                        let cipher = ring.get(h.version).map(|k| h.cipher(&k));
                        if cipher.is_none() || h.ring != ring.name() || h.id != id {
                            tracing::warn!(segment = id, version = h.version, "buffer segment's key version is not available (shredded?): its records are unreadable and skipped");
                        }
                        consumed = len;
                        header = Some((h, cipher));
                    }
                    None if sealed => {
                        tracing::warn!(segment = id, "buffer segment header is damaged: the segment is unreadable and skipped");
                        shared.counters.errors.fetch_add(1, Relaxed);
                        finish_segment(&shared, id);
                        seg = id + 1;
                        continue 'segments;
                    }
                    None => {
                        wait_data(&shared);
                        continue;
                    }
                }
            }
            let (h, cipher) = header.as_ref().expect("decoded above");
            let (found, used) = frames(&data[consumed..], sealed);
            consumed += used;
            let mut blocks: Vec<(String, Vec<Event>, u64)> = Vec::new();
            let mut last_index = None;
            let mut corrupt = 0u64;
            for f in found {
                match f {
                    Frame::Corrupt => corrupt += 1,
                    Frame::Record { index, mut payload } => {
                        last_index = Some(index);
                        if index < skip_below {
                            continue;
                        }
                        let plain = cipher.as_ref().and_then(|c| {
                            c.decrypt_in_place(
                                &nonce(index).into(),
                                &aad(h.id, index),
                                &mut payload,
                            )
                            .ok()
                            .map(|()| payload)
                        });
                        match plain.as_deref().and_then(decode_block) {
                            Some((src, evs)) => blocks.push((src, evs, index)),
                            None => unreadable += 1,
                        }
                    }
                }
            }
            if corrupt > 0 {
                tracing::warn!(
                    segment = id,
                    damaged_spans = corrupt,
                    "skipped corrupt or torn buffer records"
                );
                // A damaged block's event count is inside it: only the
                // damage itself can be counted.
                shared.counters.errors.fetch_add(corrupt, Relaxed);
            }
            if let Some(i) = last_index {
                skip_below = skip_below.max(i + 1);
            }
            // Each block goes to the sink as one chunk, its ack marking the
            // records up to it delivered.
            for (src, events, index) in blocks {
                while shared.progress.lock().map_or(0, |p| p.in_flight()) >= outstanding {
                    if shared.stopping.load(Relaxed) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                let seq = shared
                    .progress
                    .lock()
                    .expect("progress")
                    .push(pos(id, index + 1));
                let chunk = Arc::new(Chunk {
                    source: Arc::from(src.as_str()),
                    events,
                    ack: Ack::progress(shared.progress.clone(), seq),
                });
                if !deliver(chunk) {
                    return;
                }
            }
            if sealed && consumed >= data.len() && (size as usize) <= data.len() {
                if unreadable > 0 {
                    tracing::warn!(segment = id, records = unreadable, "buffer records could not be decrypted (key version missing or data altered): skipped");
                    shared.counters.errors.fetch_add(unreadable, Relaxed);
                }
                finish_segment(&shared, id);
                seg = id + 1;
                continue 'segments;
            }
            wait_data(&shared);
        }
    }
}

/// Marks a segment read to its end: once everything before is delivered,
/// the committed position moves to the next segment and this one goes.
pub(super) fn finish_segment(shared: &Shared, id: u64) {
    let seq = shared
        .progress
        .lock()
        .expect("progress")
        .push(pos(id + 1, 0));
    drop(Ack::progress(shared.progress.clone(), seq));
}

pub(super) fn wait_data(shared: &Shared) {
    let st = shared.lock();
    let _ = shared
        .data
        .wait_timeout(st, Duration::from_millis(100))
        .unwrap_or_else(|p| p.into_inner());
}
