//! Bookkeeping: saves the delivered position (`acked.json`), deletes
//! delivered segments, and deletes (and counts) undelivered ones past
//! `retention_secs`.

use super::*;

/// Persists the delivered position as it moves, deletes delivered
/// segments, and applies retention.
pub(super) async fn bookkeeping(shared: Arc<Shared>, ring: Arc<Keyring>, retention: Option<u64>) {
    loop {
        let _ = tokio::time::timeout(Duration::from_secs(1), shared.moved.notified()).await;
        let (sh, ring) = (shared.clone(), ring.clone());
        let _ = tokio::task::spawn_blocking(move || save_and_prune(&sh, &ring, retention)).await;
    }
}

/// One bookkeeping pass: saves `acked.json`, deletes the segments before
/// it, deletes (and counts) undelivered segments past retention.
pub(super) fn save_and_prune(sh: &Shared, ring: &Keyring, retention: Option<u64>) {
    let committed = sh.progress.lock().map_or(0, |p| p.committed());
    let (segment, index) = (committed >> 32, committed & u32::MAX as u64);
    let acked = Acked { segment, index };
    let path = sh.dir.join("acked.json");
    let tmp = sh.dir.join("acked.json.tmp");
    let ok = std::fs::write(&tmp, serde_json::to_vec(&acked).expect("plain data")).and_then(|()| {
        if sh.sync {
            File::open(&tmp)?.sync_all()?;
        }
        std::fs::rename(&tmp, &path)
    });
    if let Err(e) = ok {
        tracing::error!(error = %e, "cannot save the buffer's delivered position");
        return;
    }
    let done: Vec<u64> = sh.lock().segs.range(..segment).map(|(&id, _)| id).collect();
    for id in done {
        sh.delete(id);
    }
    if let Some(secs) = retention {
        let limit = SystemTime::now() - Duration::from_secs(secs);
        let old: Vec<u64> = sh
            .lock()
            .segs
            .iter()
            .filter(|(_, s)| s.sealed && s.created < limit)
            .map(|(&id, _)| id)
            .collect();
        for id in old {
            let n = count_events(&seg_path(&sh.dir, id), ring);
            tracing::warn!(
                segment = id,
                records = n,
                "buffer segment past retention: deleted undelivered"
            );
            sh.counters.events_dropped.fetch_add(n, Relaxed);
            sh.delete(id);
        }
    }
}

/// Events in a segment (decrypting its blocks; a block that cannot be
/// read counts as one).
pub(super) fn count_events(path: &Path, ring: &Keyring) -> u64 {
    let Ok(data) = std::fs::read(path) else {
        return 0;
    };
    let Some((h, len)) = Header::decode(&data) else {
        return 0;
    };
    let cipher = ring.get(h.version).map(|k| h.cipher(&k));
    frames(&data[len..], true)
        .0
        .into_iter()
        .map(|f| match f {
            Frame::Record { index, mut payload } => cipher
                .as_ref()
                .and_then(|c| {
                    c.decrypt_in_place(&nonce(index).into(), &aad(h.id, index), &mut payload)
                        .ok()?;
                    decode_block(&payload).map(|(_, e)| e.len() as u64)
                })
                .unwrap_or(1),
            Frame::Corrupt => 0,
        })
        .sum()
}
