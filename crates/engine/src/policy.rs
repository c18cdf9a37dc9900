//! Which rules a scanner is built from, and with what settings: the one
//! policy the CLI (`--rules`, `--disable`, `--hash-key-file`...), the
//! forwarder (`[rules]`) and the tracing layer share, so that the same
//! deployment gives the same findings and the same `hash` tokens
//! wherever a value is redacted.
//!
//! The rules: the embedded pack (unless `default_rules` is off), then each
//! path (a rule with a default rule's id replaces it), then `disable`,
//! then `enable` (opt-in rules). The `hash` key: `hash_key_file`, else the
//! `LOGSCRUB_HASH_KEY` environment variable, else one random key per
//! process (tokens then correlate within the process only; the caller is
//! told, so it can warn). The shipped pack with no key and the default
//! settings is compiled once per process and shared.

use std::path::PathBuf;

use crate::error::{Error, ErrorKind};
use crate::rules::{OperatorKind, RuleEntry, Rules};
use crate::scanner::DEFAULT_MAX_EVENT_BYTES;
use crate::Scanner;

/// The environment variable that keys the `hash` operator when no key
/// file is given.
pub const HASH_KEY_ENV: &str = "LOGSCRUB_HASH_KEY";

/// A rule set and the scanner settings. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Policy {
    /// Start from the embedded pack.
    pub default_rules: bool,
    /// Rule files or folders added after it.
    pub paths: Vec<PathBuf>,
    /// Rule ids turned off.
    pub disable: Vec<String>,
    /// Opt-in rule ids turned on.
    pub enable: Vec<String>,
    /// A file holding the `hash` key (trimmed).
    pub hash_key_file: Option<PathBuf>,
    /// Events longer than this become the `oversize-event` placeholder.
    pub max_event_bytes: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            default_rules: true,
            paths: Vec::new(),
            disable: Vec::new(),
            enable: Vec::new(),
            hash_key_file: None,
            max_event_bytes: DEFAULT_MAX_EVENT_BYTES,
        }
    }
}

/// Where a scanner's `hash` key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashKeySource {
    /// `hash_key_file`.
    File,
    /// The `LOGSCRUB_HASH_KEY` environment variable.
    Env,
    /// No key was given and a rule uses `hash`: a random key for this
    /// process, so tokens do not match other processes (worth a warning).
    Random,
    /// No key was given and no rule uses `hash`.
    Unused,
}

impl Policy {
    /// Loads the rules the policy names.
    pub fn load(&self) -> Result<Rules, Error> {
        let mut extra = Rules::empty();
        for p in &self.paths {
            extra.add_path(p)?;
        }
        let mut rules = if self.default_rules {
            Rules::embedded()
        } else {
            Rules::empty()
        };
        let overriding: std::collections::HashSet<String> =
            extra.entries().iter().map(|e| e.id().to_string()).collect();
        rules.retain(|e| !overriding.contains(e.id()));
        for e in extra.entries() {
            rules.push(e.clone());
        }
        rules.disable(&self.disable)?;
        rules.enable(&self.enable)?;
        if rules.entries().is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                "no rules loaded: add rule paths or keep the default rules",
            ));
        }
        Ok(rules)
    }

    /// Compiles `rules` (loaded by [`Policy::load`]) with the policy's key
    /// and size limit; says where the key came from.
    pub fn compile(&self, rules: &Rules) -> Result<(Scanner, HashKeySource), Error> {
        let key = self.hash_key()?;
        let hashing = uses_hash(rules);
        let shipped = self.default_rules
            && self.paths.is_empty()
            && self.disable.is_empty()
            && self.enable.is_empty();
        if shipped && key.is_none() && !hashing {
            // Compiled once per process; the size limit is not part of it.
            let s = Scanner::embedded().with_max_event_bytes(self.max_event_bytes);
            return Ok((s, HashKeySource::Unused));
        }
        let mut b = Scanner::builder().max_event_bytes(self.max_event_bytes);
        let source = match key {
            Some((k, source)) => {
                b = b.hash_key(k);
                source
            }
            None if hashing => {
                b = b.hash_key(process_key()?);
                HashKeySource::Random
            }
            None => HashKeySource::Unused,
        };
        Ok((b.build(rules)?, source))
    }

    /// [`Policy::load`] then [`Policy::compile`].
    pub fn scanner(&self) -> Result<(Scanner, HashKeySource), Error> {
        self.compile(&self.load()?)
    }

    /// The key from the file, else the environment.
    fn hash_key(&self) -> Result<Option<(Vec<u8>, HashKeySource)>, Error> {
        if let Some(path) = &self.hash_key_file {
            let key = std::fs::read(path).map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    format!("cannot read hash key file {}", path.display()),
                )
                .with_source(e)
            })?;
            let key = key.trim_ascii().to_vec();
            if key.is_empty() {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("hash key file {} is empty", path.display()),
                ));
            }
            return Ok(Some((key, HashKeySource::File)));
        }
        Ok(std::env::var_os(HASH_KEY_ENV)
            .filter(|k| !k.is_empty())
            .map(|k| (k.into_encoded_bytes(), HashKeySource::Env)))
    }
}

/// One random key for the whole process: a reload, a second layer or a
/// second scanner must give the same tokens as the first.
fn process_key() -> Result<Vec<u8>, Error> {
    static KEY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    if let Some(k) = KEY.get() {
        return Ok(k.clone());
    }
    let fresh = crate::scanner::random_hash_key()?;
    Ok(KEY.get_or_init(|| fresh).clone())
}

fn uses_hash(rules: &Rules) -> bool {
    rules.entries().iter().any(|e| match e {
        RuleEntry::Pattern(r, _) => r.operator == OperatorKind::Hash,
        RuleEntry::Field(f, _) => f.operator == OperatorKind::Hash,
    })
}
