//! The writer thread: group commit of the chunks sources send (one
//! AES-GCM record per block, one write and one sync per group), segment
//! rotation by size, age and key version, and room on disk (`max_size`).

use super::*;

/// A segment is closed (sealed) past this size.
pub(super) const SEGMENT_BYTES: u64 = 8 << 20;

pub(super) struct Writer {
    id: u64,
    file: File,
    header: Header,
    cipher: Aes256Gcm,
    index: u64,
    bytes: u64,
    opened: Instant,
}

pub(super) fn new_segment(shared: &Shared, ring: &Keyring, id: u64) -> std::io::Result<Writer> {
    use aes_gcm::aead::rand_core::RngCore;
    let (version, key) = ring
        .current()
        .ok_or_else(|| std::io::Error::other("keyring has no key version"))?;
    let mut salt = [0u8; 32];
    aes_gcm::aead::OsRng.fill_bytes(&mut salt);
    let header = Header {
        id,
        ring: ring.name().to_owned(),
        version,
        salt,
    };
    let path = seg_path(&shared.dir, id);
    let mut file = std::fs::OpenOptions::new()
        .create_new(true)
        .append(true)
        .open(&path)?;
    let h = header.encode();
    file.write_all(&h)?;
    let cipher = header.cipher(&key);
    let mut st = shared.lock();
    st.segs.insert(
        id,
        SegInfo {
            bytes: h.len() as u64,
            sealed: false,
            created: SystemTime::now(),
        },
    );
    st.total += h.len() as u64;
    drop(st);
    Ok(Writer {
        id,
        file,
        header,
        cipher,
        index: 0,
        bytes: h.len() as u64,
        opened: Instant::now(),
    })
}

pub(super) fn seal(shared: &Shared, w: &mut Writer) {
    let _ = w.file.sync_all();
    if let Some(s) = shared.lock().segs.get_mut(&w.id) {
        s.sealed = true;
    }
    shared.data.notify_all();
}

pub(super) fn write_loop(
    rx: Receiver<Pending>,
    shared: Arc<Shared>,
    ring: Arc<Keyring>,
    config: BufferConfig,
    mut next_id: u64,
) {
    let roll_age = config
        .retention_secs
        .map_or(Duration::from_secs(3600), |r| {
            Duration::from_secs((r / 2).max(1))
        });
    let mut writer: Option<Writer> = None;
    let mut buf = Vec::new();
    let mut plain = Vec::new();
    loop {
        let first = match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(c) => c,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                // Idle: a segment past its age is sealed anyway, so
                // retention can delete it.
                if writer
                    .as_ref()
                    .is_some_and(|w| w.opened.elapsed() >= roll_age)
                {
                    if let Some(mut w) = writer.take() {
                        seal(&shared, &mut w);
                    }
                }
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut chunks = vec![first];
        // Group commit: everything queued goes in one write and one sync.
        while chunks.len() < 64 {
            match rx.try_recv() {
                Ok(c) => chunks.push(c),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        let rotated = ring.refresh_if_due();
        buf.clear();
        let mut kept = Vec::new();
        let mut claims = Vec::new();
        let mut dones = Vec::new();
        for Pending { chunk, claim, done } in chunks {
            dones.extend(done);
            // Room: estimate by the plaintext size (ciphertext adds 16 per record).
            let est: u64 = chunk
                .events
                .iter()
                .map(|e| (e.message.len() + chunk.source.len() + 11 + REC_HEAD + 16) as u64)
                .sum();
            if !wait_for_room(&shared, &config, est) {
                shared
                    .counters
                    .events_dropped
                    .fetch_add(chunk.events.len() as u64, Relaxed);
                claim.settle(Status::Rejected);
                continue;
            }
            kept.push(chunk);
            claims.push(claim);
        }
        if kept.is_empty() {
            // Dropped for want of room (`drop_newest`): counted, and the
            // sender is not kept waiting.
            for d in dones {
                let _ = d.send(true);
            }
            continue;
        }
        let need_new = match &writer {
            None => true,
            Some(w) => {
                w.bytes >= SEGMENT_BYTES
                    || w.opened.elapsed() >= roll_age
                    || (rotated && ring.current().is_some_and(|(v, _)| v != w.header.version))
            }
        };
        if need_new {
            if let Some(mut w) = writer.take() {
                seal(&shared, &mut w);
            }
            match new_segment(&shared, &ring, next_id) {
                Ok(w) => {
                    next_id += 1;
                    writer = Some(w);
                }
                Err(e) => {
                    // Not on disk: errored, so a file source re-reads them
                    // after a restart (its checkpoint stays behind them)
                    // and an HTTP client is told to send them again.
                    tracing::error!(error = %e, "cannot create a buffer segment; events are not acknowledged");
                    shared.counters.errors.fetch_add(1, Relaxed);
                    settle(claims, Status::Errored);
                    for d in dones {
                        let _ = d.send(false);
                    }
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            }
        }
        let w = writer.as_mut().expect("opened above");
        // One record per chunk (a block of events): one AES-GCM pass and
        // one frame per few hundred events, not per event.
        for chunk in &kept {
            let mut events = chunk.events.iter().peekable();
            while events.peek().is_some() {
                plain.clear();
                start_block(&chunk.source, &mut plain);
                let empty = plain.len();
                while let Some(ev) = events.peek() {
                    if plain.len() > empty && plain.len() + ev.message.len() > BLOCK_BYTES {
                        break;
                    }
                    encode_event(ev, &mut plain);
                    events.next();
                }
                w.cipher
                    .encrypt_in_place(&nonce(w.index).into(), &aad(w.id, w.index), &mut plain)
                    .expect("AES-GCM encryption of a bounded payload");
                let mut h = crc32fast::Hasher::new();
                h.update(&w.index.to_le_bytes());
                h.update(&(plain.len() as u32).to_le_bytes());
                h.update(&plain);
                buf.extend_from_slice(REC_MAGIC);
                buf.extend_from_slice(&w.index.to_le_bytes());
                buf.extend_from_slice(&(plain.len() as u32).to_le_bytes());
                buf.extend_from_slice(&h.finalize().to_le_bytes());
                buf.extend_from_slice(&plain);
                w.index += 1;
            }
        }
        let res = w.file.write_all(&buf).and_then(|()| {
            if shared.sync {
                w.file.sync_data()
            } else {
                Ok(())
            }
        });
        if let Err(e) = res {
            // Not on disk: errored (see above).
            tracing::error!(error = %e, "cannot write the disk buffer; events are not acknowledged");
            shared.counters.errors.fetch_add(1, Relaxed);
            settle(claims, Status::Errored);
            for d in dones {
                let _ = d.send(false);
            }
            continue;
        }
        w.bytes += buf.len() as u64;
        {
            let mut st = shared.lock();
            if let Some(s) = st.segs.get_mut(&w.id) {
                s.bytes = w.bytes;
            }
            st.total += buf.len() as u64;
        }
        shared.data.notify_all();
        // Written (and synced): delivered as far as the sources are
        // concerned, and senders waiting for durability hear so.
        settle(claims, Status::Delivered);
        for d in dones {
            let _ = d.send(true);
        }
    }
    if let Some(mut w) = writer.take() {
        seal(&shared, &mut w);
    }
    shared.lock().writer_closed = true;
    shared.data.notify_all();
}

pub(super) fn settle(claims: Vec<Claim>, status: Status) {
    for c in claims {
        c.settle(status);
    }
}

/// Waits for room for `est` bytes (`block`), or says there is none
/// (`drop_newest`).
pub(super) fn wait_for_room(shared: &Shared, config: &BufferConfig, est: u64) -> bool {
    let mut st = shared.lock();
    loop {
        // Always let one chunk in when the buffer is empty, whatever its size.
        if st.total + est <= config.max_size || st.total == 0 {
            return true;
        }
        if config.when_full == WhenFull::DropNewest {
            return false;
        }
        st = shared
            .space
            .wait_timeout(st, Duration::from_millis(200))
            .unwrap_or_else(|p| p.into_inner())
            .0;
    }
}
