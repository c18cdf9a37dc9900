//! The events the layer's cost is measured on (shared by `benches/layer.rs`
//! and `examples/layer_cost.rs`). Ids, path segments, latencies and the
//! planted e-mail differ from event to event; methods, regions, versions and
//! the message repeat, as in a service's logs. (The layer remembers short
//! values it found clean, so events that repeat every value would flatter
//! it.)

use std::cell::Cell;

thread_local! {
    static N: Cell<u64> = const { Cell::new(0) };
}

/// The next event number and a well-mixed hash of it (splitmix64): ids,
/// path segments and addresses differ from event to event as in a real
/// service, while methods, regions and messages repeat.
fn next() -> (u64, u64) {
    let n = N.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    let mut z = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (n, z ^ (z >> 31))
}

/// A UUID-shaped request id.
struct Id(u64);

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let h = self.0;
        write!(
            f,
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            h >> 32,
            (h >> 16) & 0xffff,
            h & 0xfff,
            (h >> 20) & 0xfff,
            h.rotate_left(17) & 0xffff_ffff_ffff
        )
    }
}

pub fn clean_event() {
    let (n, h) = next();
    tracing::info!(
        status = 200,
        method = "GET",
        path = %format_args!("/api/v1/users/{}", n % 100_000),
        latency_ms = (h % 5000) as f64 / 10.0,
        request_id = %Id(h),
        "request completed"
    );
}

pub fn secret_event() {
    let (n, h) = next();
    tracing::info!(
        status = 200,
        method = "GET",
        path = %format_args!("/api/v1/users/{}", n % 100_000),
        latency_ms = (h % 5000) as f64 / 10.0,
        user = %format_args!("user{}.example@example.com", h % 1_000_000),
        "request completed"
    );
}

pub fn numbers_event() {
    let (_, h) = next();
    tracing::info!(
        status = 200,
        bytes = h % 100_000,
        latency_ms = (h % 5000) as f64 / 10.0,
        retries = h % 3,
        cache_hit = h % 2 == 0,
        "request completed"
    );
}

pub fn ten_fields_event() {
    let (n, h) = next();
    tracing::info!(
        status = 200,
        method = "GET",
        path = %format_args!("/api/v1/users/{}", n % 100_000),
        latency_ms = (h % 5000) as f64 / 10.0,
        request_id = %Id(h),
        region = "eu-west-1",
        service = "accounts",
        version = "1.42.0",
        bytes = h % 100_000,
        cache_hit = h % 2 == 0,
        "request completed"
    );
}

/// The cases, by name.
pub const CASES: [(&str, fn()); 4] = [
    ("clean_5_fields", clean_event),
    ("one_secret", secret_event),
    ("numbers_only", numbers_event),
    ("clean_10_fields", ten_fields_event),
];
