//! A service's layer keys `hash` tokens as the CLI and the forwarder do:
//! from `LOGSCRUB_HASH_KEY` (or a key file), through the engine's
//! `Policy`, so the same value gives the same token wherever it was
//! redacted and an auditor can join them.

#[path = "capture.rs"]
mod capture;

use logscrub_engine::{Format, HashKeySource, Policy, Scanner};
use tracing_subscriber::prelude::*;

use capture::Capture;

const RULES: &str = "[[rule]]\nid = \"email\"\ndescription = \"emails, hashed for correlation\"\ncategory = \"pii\"\nregex = '''[a-z]+@example\\.com'''\nkeywords = [\"@\"]\noperator = \"hash\"\n";

fn token(scanner: &Scanner) -> String {
    String::from_utf8(scanner.redact(b"jo@example.com", Format::Text).into_owned()).unwrap()
}

#[test]
fn the_layer_hashes_with_the_deployment_key_as_the_cli_and_the_forwarder_do() {
    let dir = std::env::temp_dir().join(format!("logscrub-hash-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rules = dir.join("hash.toml");
    std::fs::write(&rules, RULES).unwrap();
    // This test binary runs alone in its process: the variable reaches no
    // other test.
    std::env::set_var("LOGSCRUB_HASH_KEY", "k1");
    let policy = Policy {
        default_rules: false,
        paths: vec![rules.clone()],
        ..Policy::default()
    };
    let out = Capture::default();
    let layer = logscrub_tracing::layer()
        .with_policy(&policy)
        .unwrap()
        .json()
        .with_writer(out.clone());
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        tracing::info!(user = "jo@example.com", "login");
    });
    let text = out.text();
    assert!(!text.contains("jo@example.com"), "{text}");

    // What the CLI and the forwarder compile from the same policy.
    let (shared, source) = policy.scanner().unwrap();
    assert_eq!(source, HashKeySource::Env);
    let want = token(&shared);
    assert!(want.starts_with("[HASH:email:"), "{want}");
    assert!(text.contains(&want), "layer: {text}\nwant: {want}");
    // ... which is the token of the key "k1" itself, not of a random one.
    let mut loaded = logscrub_engine::Rules::empty();
    loaded.add_path(&rules).unwrap();
    let k1 = Scanner::builder()
        .hash_key(b"k1".to_vec())
        .build(&loaded)
        .unwrap();
    let k2 = Scanner::builder()
        .hash_key(b"k2".to_vec())
        .build(&loaded)
        .unwrap();
    assert_eq!(token(&k1), want);
    assert_ne!(token(&k2), want);

    // A key file wins over the variable, and says so.
    let key = dir.join("key");
    std::fs::write(&key, "k2\n").unwrap();
    let with_file = Policy {
        hash_key_file: Some(key),
        ..policy.clone()
    };
    let (s, source) = with_file.scanner().unwrap();
    assert_eq!(source, HashKeySource::File);
    assert_eq!(token(&s), token(&k2));
    std::fs::remove_dir_all(&dir).unwrap();
}
