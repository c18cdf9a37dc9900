//! The compiled scanner: rules in, findings and redacted bytes out.
//!
//! # How a line is scanned
//! Detection is layered so that a clean line costs one Aho-Corasick pass
//! and one pass per gate automaton (two), and no allocation, and a line worth a look costs what its keywords and
//! shapes call for, not one pass per rule:
//!
//! 1. **The gate**: one Aho-Corasick pass finds every keyword and
//!    field-name literal (`ghp_`, `AKIA`, `password`..., field names only
//!    where a key can end) and markers of text already redacted; when it
//!    finds none, lazy DFAs (regex-automata's hybrid engine, `Gates`)
//!    holding every keyword-less rule (cards, IBAN, phone numbers, IP
//!    addresses) and every escape the decoder undoes (`%40`, `\u0040`,
//!    `#012`) are asked "is there anything at all?". On the Loghub sample
//!    about half of the lines end here, on generated clean-majority logs
//!    98%. The literals found are kept for step 2 (`Inner::gate_check`):
//!    the pass is not repeated.
//! 2. For the rest, **one overlapping pass** of the gate's automata says
//!    which keyword-less rules match, and each literal found yields its
//!    rules: a field name followed by `=` or `:` yields its value; a
//!    keyword yields the rules it qualifies, each with the **windows** of
//!    the line where a match could lie (a match must come within the
//!    rule's keyword distance of a keyword, and a pattern's longest match
//!    is known, so a rule never scans the whole of a long line for one
//!    keyword). Keyword rules that share most of their keywords (the
//!    twenty national phone rules answer to `phone`, `tel`, `mobile`...)
//!    form a keyword group (`keyword_groups`): one pass of the group's
//!    automaton over their windows says which of them can match at all.
//! 3. Only the rules that can match then run on their windows, with
//!    capture groups, and each candidate goes through its checks: the
//!    keyword distance, the number's context for personal data
//!    (`context.rs`: a timestamp, an id, a version is not a phone
//!    number), placeholders for credentials (`placeholder.rs`),
//!    allow lists, the validator (Luhn, mod-97, ranges) and entropy.
//!    Escaped text is also scanned decoded. `rules explain` runs the same
//!    path with a trace (`Inner::scan_traced`) that records each
//!    candidate's verdict; a plain scan builds no reason strings.
//!
//! A rule's own regex is compiled on first use (`LazyRegex`); the build
//! checks everything that can fail, so a bad rule is still refused when
//! the rules load. Per-stage costs and what limits them: BENCHMARKS.md,
//! "Engine speed on real logs (issue 12)".
//!
//! Every pattern compiles to a finite automaton under explicit size limits
//! (no look-around, no backreferences), so the scan is linear in the input
//! whatever the rules say. The lazy DFAs are told never to give up when
//! their cache fills (they clear it and go on): the alternative, falling
//! back to an NFA simulation, was measured 3x slower on token-dense logs.
//!
//! # Overlaps
//! Findings of all rules are merged: overlapping spans become one redaction
//! covering all of them (no fragment of a secret survives), named after the
//! earliest-starting, then longest, then first-loaded rule. That order is
//! total, so the output does not depend on how the search happened to run.

use std::borrow::Cow;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind as AcMatchKind};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{hybrid, meta};
use regex_automata::{Anchored, Input, MatchKind, PatternSet};

use crate::context;
use crate::decode;
use crate::error::{Error, ErrorKind};
use crate::fields::{self, NameSet};
use crate::placeholder;
use crate::rules::{OperatorKind, RuleEntry, Rules, ValidatorKind, ValueExtent};
use crate::validate;

/// NFA size limit for one rule's pattern.
const RULE_NFA_LIMIT: usize = 4 << 20;
/// NFA size limit for the gate (the keyword-less rules and the escapes).
const COMBINED_NFA_LIMIT: usize = 32 << 20;
/// Lazy DFA cache of the gate, per search thread.
const GATE_CACHE: usize = 32 << 20;
/// How many lazy DFAs share the gate's patterns; see [`Gates`].
const GATE_PARTS: usize = 2;
/// Lazy DFA cache per search thread.
const DFA_CACHE: usize = 16 << 20;
/// Default largest event scanned; larger ones become a placeholder.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 4 << 20;
/// How deep JSON may nest (containers, and JSON inside JSON strings).
pub(crate) const MAX_JSON_DEPTH: usize = 256;

pub(crate) const OVERSIZE_ID: &str = "oversize-event";

/// How a finding is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Mask,
    Partial(usize),
    Hash,
    Drop,
}

impl Op {
    fn new(kind: OperatorKind, keep_last: Option<usize>) -> Result<Op, String> {
        Ok(match (kind, keep_last) {
            (OperatorKind::Mask, None) => Op::Mask,
            (OperatorKind::Hash, None) => Op::Hash,
            (OperatorKind::Drop, None) => Op::Drop,
            (OperatorKind::Partial, Some(n)) if (1..=8).contains(&n) => Op::Partial(n),
            (OperatorKind::Partial, _) => {
                return Err("operator `partial` needs `keep_last` between 1 and 8".into())
            }
            (_, Some(_)) => return Err("`keep_last` only goes with operator `partial`".into()),
        })
    }
}

/// A rule's regex, compiled on first use.
///
/// Building regex-automata's meta engine for every rule of the pack (a
/// forward and a reverse automaton, literal prefilters, a one-pass DFA)
/// was most of a scanner's start-up: about 0.2 s for the 378 rules, paid
/// by every `logscrub redact` run although a given log wakes a few dozen
/// rules. The build checks what can fail (the pattern parses, its
/// automaton fits the size limit, the group exists); the full engine is
/// made by the first line that needs it and shared by every thread.
#[derive(Debug)]
struct LazyRegex {
    src: String,
    cell: std::sync::OnceLock<meta::Regex>,
}

impl LazyRegex {
    fn get(&self) -> &meta::Regex {
        self.cell.get_or_init(|| {
            // The build checked the forward automaton against half the
            // limit, so this does not fail; if it ever did, a regex
            // without the limit, and failing that one matching the whole
            // text, redact too much rather than let the line through.
            build_regex(
                &[self.src.as_str()],
                MatchKind::LeftmostFirst,
                RULE_NFA_LIMIT,
            )
            .ok()
            .or_else(|| {
                meta::Regex::builder()
                    .syntax(syntax_config())
                    .build(&self.src)
                    .ok()
            })
            .or_else(|| meta::Regex::new(r"(?s:.+)").ok())
            .expect("a regex matching any text compiles")
        })
    }
}

#[derive(Debug)]
struct PatternRule {
    regex: LazyRegex,
    group: usize,
    gated: bool,
    /// Personal data (never a placeholder).
    pii: bool,
    /// A numeric candidate is checked against its context.
    number_checks: bool,
    distance: usize,
    validator: Option<ValidatorKind>,
    min_entropy: Option<f64>,
    allow: Vec<Vec<u8>>,
    allow_regex: Option<meta::Regex>,
    multiline_end: Option<Vec<u8>>,
    /// The longest match the pattern can make (`None`: unbounded). With the
    /// keyword distance it bounds where around a keyword a match can lie.
    max_len: Option<usize>,
    /// The keyword group this rule belongs to and its pattern index in the
    /// group's automaton; see [`keyword_groups`].
    kw_group: Option<(usize, usize)>,
}

#[derive(Debug)]
struct FieldRule {
    names: NameSet,
    extent: ValueExtent,
    min_length: usize,
    value_regex: Option<meta::Regex>,
    allow_regex: Option<meta::Regex>,
    nested: bool,
    /// A credential: placeholders of every kind are left alone (for
    /// personal data only references and bare words are).
    secret: bool,
}

/// What an Aho-Corasick literal stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Keyword(usize),
    /// A field rule's name; `true`: it may stand anywhere in a key, so the
    /// key need not end after it.
    Field(usize, bool),
    Marker,
}

/// Compiled rules. See the [module docs](self).
#[derive(Debug)]
pub(crate) struct Inner {
    /// Unique per compiled scanner (per-thread caches are keyed by it).
    id: u64,
    pub(crate) ids: Vec<Arc<str>>,
    ops: Vec<Op>,
    patterns: Vec<PatternRule>,
    fields: Vec<FieldRule>,
    ac: Literals,
    ac_targets: Vec<Vec<Target>>,
    /// The keyword-less rules, in the order of their patterns in `gate`
    /// (the escapes the decoder undoes follow them there).
    combined_rules: Vec<usize>,
    /// Keyword groups' automata; see [`keyword_groups`].
    groups: Vec<Gate>,
    /// Whether a keyword-less rule anchors on the start or end of its text:
    /// then a JSON string can match where the whole line does not, and the
    /// whole-line prefilter is off for JSON.
    combined_anchored: bool,
    /// Matches wherever the slow path could find anything; see [`Inner::may_match`].
    gate: Gates,
    /// The gate's pattern sources, for diagnostics.
    pub(crate) gate_src: Vec<String>,
    /// The literals of `ac`, for diagnostics.
    ac_pats: Vec<String>,
    /// Per literal of `ac`: only field names use it (the gate then wants
    /// the end of a key after it).
    ac_field_only: Vec<bool>,
    /// Per literal: it counts only in the case it is written in
    /// (`exact_keywords`).
    ac_exact: Vec<bool>,
    hash_key: HashKey,
    /// Block rules and their end literals.
    pub(crate) multiline: Vec<(usize, Vec<u8>)>,
    pub(crate) oversize: usize,
}

/// What [`Inner::gate_check`] learned about a text, for
/// [`Inner::scan_with`]: the literals it found, as `(literal, start,
/// end)`, and how far it got through the gate's parts (see [`GateSeen`]).
#[derive(Debug)]
pub(crate) struct LiteralHits(Vec<(usize, usize, usize)>, GateSeen);

/// The gate parts a check already ran: the parts before `first` do not
/// match the text, and part `first` matches it if `matches`. (A literal
/// lets a text through before any part runs: `first` 0, `matches` false.)
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct GateSeen {
    first: usize,
    matches: bool,
}

/// One finding: which rule, where. Never the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Hit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) rule: usize,
}

/// What `rules explain` learns about one candidate: which rule, where, and
/// whether it was redacted or set aside and why. Never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Trace {
    pub(crate) rule: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// `true`: redacted.
    pub(crate) found: bool,
    pub(crate) why: String,
}

/// A multi-line block (a PEM key with real newlines) that is still open at
/// the end of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenBlock {
    pub(crate) rule: usize,
    pub(crate) end: Vec<u8>,
}

/// Key material for the `hash` operator: `Debug` never shows it, so a
/// scanner, a builder or a layer printed with `{:?}` cannot leak it.
#[derive(Clone)]
struct HashKey(Vec<u8>);

/// Every keyword, field name and marker of the rules (ASCII case
/// insensitive), found in one overlapping Aho-Corasick pass.
///
/// Measured once on the Loghub sample with a scratch probe (not kept; the
/// 4-byte variant is commit 2900767), 1,623 literals: the full DFA
/// (8.6 MB) ran at 563 ns per line; automata of the literals' first 2, 3,
/// 4 or 6 bytes, with each hit then compared in full, were smaller (0.4 to
/// 3.4 MB) but slower (700 to 930 ns: short prefixes hit often), and
/// contiguous NFAs took twice as long. The pass
/// costs about 4 ns per byte whatever its size, which is why the scanner
/// runs it once per line and keeps what it finds ([`Inner::gate_check`]).
#[derive(Debug)]
struct Literals {
    ac: AhoCorasick,
}

impl Literals {
    fn new(pats: &[String]) -> Result<Literals, aho_corasick::BuildError> {
        let build = |kind| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(AcMatchKind::Standard)
                .kind(kind)
                .build(pats)
        };
        let ac = build(Some(AhoCorasickKind::DFA)).or_else(|_| build(None))?;
        Ok(Literals { ac })
    }

    /// Calls `f(literal, start, end)` for each occurrence of a literal in
    /// `text` until `f` returns `true`; returns whether one did.
    fn find(&self, text: &[u8], mut f: impl FnMut(usize, usize, usize) -> bool) -> bool {
        self.ac
            .find_overlapping_iter(text)
            .any(|m| f(m.pattern().as_usize(), m.start(), m.end()))
    }

    /// Every occurrence, as `(literal, start, end)`, in the order the
    /// automaton reports them (by end).
    fn find_all(&self, text: &[u8]) -> Vec<(usize, usize, usize)> {
        self.ac
            .find_overlapping_iter(text)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }
}

impl std::fmt::Debug for HashKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("**REDACTED**")
    }
}

/// Builds a [`crate::Scanner`] with explicit settings.
#[derive(Debug, Clone)]
pub struct ScannerBuilder {
    hash_key: Option<HashKey>,
    max_event: usize,
}

impl Default for ScannerBuilder {
    fn default() -> Self {
        ScannerBuilder {
            hash_key: None,
            max_event: DEFAULT_MAX_EVENT_BYTES,
        }
    }
}

impl ScannerBuilder {
    /// The key for the `hash` operator. Without one, a random key is made
    /// for this process: tokens still correlate within a run, not across.
    pub fn hash_key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.hash_key = Some(HashKey(key.into()));
        self
    }

    /// Events (lines, JSON documents) larger than this are replaced by a
    /// placeholder instead of being scanned. Default 4 MiB.
    pub fn max_event_bytes(mut self, n: usize) -> Self {
        self.max_event = n.max(1);
        self
    }

    /// Compiles `rules`. Refuses, with file, line and rule id: duplicate ids,
    /// patterns that do not compile to a finite automaton within the size
    /// limits (look-around, backreferences, huge repetitions), patterns that
    /// can match the empty string, bad operator settings.
    pub fn build(self, rules: &Rules) -> Result<crate::Scanner, Error> {
        let max_event = self.max_event;
        let inner = compile(rules, self)?;
        Ok(crate::Scanner {
            inner: Arc::new(inner),
            max_event,
        })
    }
}

fn syntax_config() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

#[allow(clippy::result_large_err)] // regex-automata's own error type; built once per rule
fn build_regex(
    patterns: &[&str],
    kind: MatchKind,
    limit: usize,
) -> Result<meta::Regex, regex_automata::meta::BuildError> {
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .match_kind(kind)
                .utf8_empty(false)
                .nfa_size_limit(Some(limit))
                .onepass_size_limit(Some(1 << 20))
                .dfa_size_limit(Some(1 << 20))
                .hybrid_cache_capacity(DFA_CACHE),
        )
        .syntax(syntax_config())
        .build_many(patterns)
}

/// One regex matching any of `patterns` against a whole value (each
/// anchored at both ends), or `None` for no patterns: a rule's
/// `allow_regex` and a field rule's `value_regex`.
#[allow(clippy::result_large_err)] // regex-automata's own error type; built once per rule
fn whole_value_regex(
    patterns: &[String],
) -> Result<Option<meta::Regex>, regex_automata::meta::BuildError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let anchored: Vec<String> = patterns.iter().map(|p| format!("^(?:{p})$")).collect();
    let refs: Vec<&str> = anchored.iter().map(String::as_str).collect();
    build_regex(&refs, MatchKind::LeftmostFirst, RULE_NFA_LIMIT).map(Some)
}

type CacheFn = Box<dyn Fn() -> hybrid::dfa::Cache + Send + Sync>;

/// A multi-pattern forward lazy DFA asked only "is there a match?" (the
/// gate) or "which patterns match?" (the keyword-less rules).
///
/// Built directly on regex-automata's hybrid DFA rather than the meta
/// engine so it can be told never to give up: the meta engine abandons a
/// lazy DFA whose cache keeps filling (dense random tokens against hundreds
/// of literals do that) and falls back to a much slower NFA simulation.
/// Here a full cache is just cleared and the search goes on, still linear
/// in the input. If the DFA does report an error, the gate says "maybe":
/// the slow path then decides, so nothing is missed.
struct Gate {
    dfa: Arc<hybrid::dfa::DFA>,
    caches: Pool<hybrid::dfa::Cache, CacheFn>,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate")
            .field("patterns", &self.dfa.pattern_len())
            .finish()
    }
}

impl Gate {
    #[allow(clippy::result_large_err)] // regex-automata's error type; built once
    fn new(patterns: &[&str], cache: usize) -> Result<Gate, hybrid::BuildError> {
        let dfa = hybrid::dfa::DFA::builder()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(MatchKind::All)
                    .cache_capacity(cache)
                    .minimum_cache_clear_count(None)
                    .skip_cache_capacity_check(true),
            )
            .syntax(syntax_config())
            .thompson(
                regex_automata::nfa::thompson::Config::new()
                    .nfa_size_limit(Some(COMBINED_NFA_LIMIT)),
            )
            .build_many(patterns)?;
        let dfa = Arc::new(dfa);
        let for_pool = Arc::clone(&dfa);
        let create: CacheFn = Box::new(move || for_pool.create_cache());
        Ok(Gate {
            dfa,
            caches: Pool::new(create),
        })
    }

    /// The first gate pattern that matches `text` (for diagnostics).
    pub(crate) fn first_pattern(&self, text: &[u8]) -> Option<usize> {
        let mut cache = self.caches.get();
        let input = Input::new(text).earliest(true);
        self.dfa
            .try_search_fwd(&mut cache, &input)
            .ok()
            .flatten()
            .map(|m| m.pattern().as_usize())
    }

    /// Which patterns match anywhere in `text` (one overlapping pass). If
    /// the DFA fails, every pattern is reported: the rules then decide.
    fn which(&self, text: &[u8], set: &mut PatternSet) {
        self.which_in(text, 0, text.len(), set)
    }

    /// [`Gate::which`] for matches within `text[start..end]` (look-around
    /// still sees the bytes outside).
    fn which_in(&self, text: &[u8], start: usize, end: usize, set: &mut PatternSet) {
        let mut cache = self.caches.get();
        let input = Input::new(text).span(start..end);
        if self
            .dfa
            .try_which_overlapping_matches(&mut cache, &input, set)
            .is_err()
        {
            for p in 0..self.dfa.pattern_len() {
                let _ = set.try_insert(regex_automata::PatternID::new_unchecked(p));
            }
        }
    }

    fn is_match(&self, text: &[u8]) -> bool {
        let mut cache = self.caches.get();
        let input = Input::new(text).earliest(true);
        !matches!(self.dfa.try_search_fwd(&mut cache, &input), Ok(None))
    }

    /// Flags each region of `text` (region `r` is `starts[r]..starts[r +
    /// 1]`) in which a match of this gate ends, searching region by region
    /// so that every region that would match on its own is flagged (see
    /// [`Inner::flag_texts`]). Regions already flagged are not searched.
    fn flag_regions(&self, text: &[u8], starts: &[usize], flagged: &mut [bool]) {
        let mut cache = self.caches.get();
        let region = |i: usize| starts.partition_point(|&s| s <= i).saturating_sub(1);
        let mut r = 0;
        while r < flagged.len() {
            if flagged[r] {
                r += 1;
                continue;
            }
            let at = starts[r];
            let input = Input::new(text).span(at..text.len()).earliest(true);
            match self.dfa.try_search_fwd(&mut cache, &input) {
                Ok(None) => return,
                Ok(Some(m)) => {
                    let hit = region(m.offset().saturating_sub(1).max(at));
                    flagged[hit] = true;
                    r = hit + 1;
                }
                Err(_) => {
                    flagged.fill(true);
                    return;
                }
            }
        }
    }
}

/// The gate's patterns (the keyword-less rules and the escapes), spread
/// over [`GATE_PARTS`] lazy DFAs.
///
/// A lazy DFA state is a set of NFA states, one per way the patterns could
/// still match. With every card, phone, address and IBAN pattern in one
/// automaton, a line of random tokens (hex ids, base64) keeps meeting new
/// combinations of their counters, and building those states, not
/// scanning, became most of the gate's cost on service logs. Each part
/// holds a share of the patterns balanced by NFA size (largest first, each
/// to the lightest part); a line costs one pass per part.
#[derive(Debug)]
struct Gates {
    /// Each part's automaton and the gate-wide index of each of its patterns.
    parts: Vec<(Gate, Vec<usize>)>,
    len: usize,
}

impl Gates {
    #[allow(clippy::result_large_err)] // regex-automata's error type; built once
    fn new(patterns: &[&str]) -> Result<Gates, hybrid::BuildError> {
        let size = |p: &str| {
            regex_automata::nfa::thompson::NFA::compiler()
                .syntax(syntax_config())
                .build(p)
                .map_or(usize::MAX, |n| n.states().len())
        };
        let mut order: Vec<(usize, usize)> = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (size(p), i))
            .collect();
        order.sort_unstable_by(|a, b| b.cmp(a));
        let k = GATE_PARTS.clamp(1, patterns.len().max(1));
        let mut bins: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); k];
        for (n, i) in order {
            let lightest = bins
                .iter_mut()
                .min_by_key(|b| b.0)
                .expect("at least one part");
            lightest.0 = lightest.0.saturating_add(n);
            lightest.1.push(i);
        }
        let mut parts = Vec::new();
        for (_, mut members) in bins {
            if members.is_empty() {
                continue;
            }
            members.sort_unstable();
            let srcs: Vec<&str> = members.iter().map(|&i| patterns[i]).collect();
            parts.push((Gate::new(&srcs, GATE_CACHE)?, members));
        }
        Ok(Gates {
            parts,
            len: patterns.len(),
        })
    }

    fn pattern_len(&self) -> usize {
        self.len
    }

    fn is_match(&self, text: &[u8]) -> bool {
        self.parts.iter().any(|(g, _)| g.is_match(text))
    }

    /// The first part that matches `text`, if any.
    fn first_match(&self, text: &[u8]) -> Option<usize> {
        self.parts.iter().position(|(g, _)| g.is_match(text))
    }

    /// The first gate pattern (by its gate-wide index) that matches `text`.
    fn first_pattern(&self, text: &[u8]) -> Option<usize> {
        self.parts
            .iter()
            .find_map(|(g, idx)| g.first_pattern(text).map(|p| idx[p]))
    }

    /// [`Gate::flag_regions`] for every part.
    fn flag_regions(&self, text: &[u8], starts: &[usize], flagged: &mut [bool]) {
        for (g, _) in &self.parts {
            g.flag_regions(text, starts, flagged);
        }
    }

    /// Which patterns match anywhere in `text`, by gate-wide index.
    ///
    /// A part is first asked whether it matches at all (a forward search
    /// that stops at the first match): most texts that get here do because
    /// of a keyword, and then no part matches, and the overlapping search
    /// and the walk over its pattern set (together a third of the cost of a
    /// short field value) are skipped.
    /// Parts the gate check already ran are not asked again (`seen`).
    fn which(&self, text: &[u8], seen: GateSeen, set: &mut PatternSet) {
        for (i, (g, idx)) in self.parts.iter().enumerate() {
            let known = i == seen.first && seen.matches;
            if i < seen.first || !(known || g.is_match(text)) {
                continue;
            }
            let mut part = PatternSet::new(g.dfa.pattern_len());
            g.which(text, &mut part);
            for p in part.iter() {
                let _ = set.try_insert(regex_automata::PatternID::new_unchecked(idx[p.as_usize()]));
            }
        }
    }
}

/// Parses a rule pattern the way the engine compiles it (bytes, ASCII).
#[allow(clippy::result_large_err)] // regex-syntax's own error type; parsed once per rule
fn parse_pattern(pattern: &str) -> Result<regex_syntax::hir::Hir, regex_syntax::Error> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
}

fn hir_uses_text_anchors(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::Look;
    let looks = hir.properties().look_set();
    [
        Look::Start,
        Look::End,
        Look::StartLF,
        Look::EndLF,
        Look::StartCRLF,
        Look::EndCRLF,
    ]
    .into_iter()
    .any(|l| looks.contains(l))
}

/// Whether every match of `pattern` starts with a literal of 3 or more
/// bytes: such a rule is cheap even without keywords. `rules lint` warns
/// about rules that have neither.
pub fn has_literal_anchor(pattern: &str) -> bool {
    use regex_syntax::hir::literal::Extractor;
    let Ok(hir) = parse_pattern(pattern) else {
        return false;
    };
    let seq = Extractor::new().extract(&hir);
    seq.literals()
        .is_some_and(|lits| !lits.is_empty() && lits.iter().all(|l| l.len() >= 3))
}

/// A random key for the `hash` operator: what a builder given no key
/// uses. A caller that builds scanners more than once in a run (the
/// forwarder reloading its rules) makes one and passes it to every build,
/// so a value hashes to the same token before and after a reload.
///
/// 32 bytes from the operating system's CSPRNG (`getrandom`); an error if
/// it cannot be read (then no key is better than a guessable one).
pub fn random_hash_key() -> Result<Vec<u8>, Error> {
    let mut key = vec![0u8; 32];
    getrandom::getrandom(&mut key).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read the operating system's random source for the hash key: {e}"),
        )
    })?;
    Ok(key)
}

fn compile(rules: &Rules, b: ScannerBuilder) -> Result<Inner, Error> {
    let mut seen = std::collections::HashMap::new();
    for e in rules.entries() {
        if let Some(prev) = seen.insert(e.id().to_string(), e.origin().clone()) {
            let o = e.origin();
            return Err(Error::new(
                ErrorKind::Rule,
                format!("duplicate rule id (first defined at {prev})"),
            )
            .at(&o.file, o.line, o.column)
            .rule(e.id()));
        }
    }
    let mut ids = Vec::new();
    let mut ops = Vec::new();
    let mut patterns = Vec::new();
    let mut fields_ = Vec::new();
    let mut literals: Vec<(String, Target)> = Vec::new();
    // Literals pushed from `exact_keywords` (one entry per push).
    let mut exact_literals: Vec<String> = Vec::new();
    let mut combined_src: Vec<String> = Vec::new();
    let mut combined_rules = Vec::new();
    let mut combined_anchored = false;
    // Per pattern rule: its lower-cased keywords (grouping below).
    let mut pattern_keywords: Vec<Vec<String>> = Vec::new();
    // Pattern rules first, then field rules, so indexes are stable.
    let pattern_entries = rules
        .entries()
        .iter()
        .filter(|e| matches!(e, RuleEntry::Pattern(..)) && e.enabled());
    let field_entries = rules
        .entries()
        .iter()
        .filter(|e| matches!(e, RuleEntry::Field(..)));
    for entry in pattern_entries.chain(field_entries) {
        let o = entry.origin();
        let err = |kind: ErrorKind, msg: String| {
            Error::new(kind, msg)
                .at(&o.file, o.line, o.column)
                .rule(entry.id())
        };
        let id = entry.id();
        if id.is_empty()
            || !id
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        {
            return Err(err(
                ErrorKind::Rule,
                "rule id must be non-empty and use only a-z, 0-9 and -".into(),
            ));
        }
        match entry {
            RuleEntry::Pattern(r, _) => {
                let idx = patterns.len();
                let op = Op::new(r.operator, r.keep_last).map_err(|m| err(ErrorKind::Rule, m))?;
                let compile_err = "pattern does not compile to a finite automaton within limits (no look-around, no backreferences)";
                let hir = parse_pattern(&r.regex)
                    .map_err(|e| err(ErrorKind::Rule, compile_err.into()).with_source(e))?;
                if hir.properties().minimum_len() == Some(0) {
                    return Err(err(
                        ErrorKind::Rule,
                        "pattern can match the empty string".into(),
                    ));
                }
                // The forward automaton within half the size limit: the
                // engine built from it on first use then fits the limit.
                let nfa = regex_automata::nfa::thompson::Compiler::new()
                    .configure(
                        regex_automata::nfa::thompson::Config::new()
                            .nfa_size_limit(Some(RULE_NFA_LIMIT / 2)),
                    )
                    .build_from_hir(&hir)
                    .map_err(|e| err(ErrorKind::Rule, compile_err.into()).with_source(e))?;
                if r.group >= nfa.group_info().group_len(regex_automata::PatternID::ZERO) {
                    return Err(err(
                        ErrorKind::Rule,
                        format!("group {} does not exist in the pattern", r.group),
                    ));
                }
                let allow_regex = whole_value_regex(&r.allow_regex).map_err(|e| {
                    err(ErrorKind::Rule, "allow_regex does not compile".into()).with_source(e)
                })?;
                if r.min_entropy.is_some_and(|m| !(0.0..=8.0).contains(&m)) {
                    return Err(err(
                        ErrorKind::Rule,
                        "min_entropy must be between 0 and 8 bits per byte".into(),
                    ));
                }
                let gated = !r.keywords.is_empty() || !r.exact_keywords.is_empty();
                for k in r.keywords.iter().chain(&r.exact_keywords) {
                    if k.is_empty() {
                        return Err(err(ErrorKind::Rule, "empty keyword".into()));
                    }
                }
                for k in &r.keywords {
                    literals.push((k.to_ascii_lowercase(), Target::Keyword(idx)));
                }
                for k in &r.exact_keywords {
                    exact_literals.push(k.clone());
                    literals.push((k.clone(), Target::Keyword(idx)));
                }
                pattern_keywords.push(
                    r.keywords
                        .iter()
                        .chain(&r.exact_keywords)
                        .map(|k| k.to_ascii_lowercase())
                        .collect(),
                );
                if !gated {
                    combined_anchored |= hir_uses_text_anchors(&hir);
                    combined_src.push(r.regex.clone());
                    combined_rules.push(idx);
                }
                patterns.push(PatternRule {
                    regex: LazyRegex {
                        src: r.regex.clone(),
                        cell: std::sync::OnceLock::new(),
                    },
                    group: r.group,
                    gated,
                    pii: r.category == crate::rules::Category::Pii,
                    number_checks: r.category == crate::rules::Category::Pii && r.number_checks,
                    distance: r.keyword_distance,
                    validator: r.validator,
                    min_entropy: r.min_entropy,
                    allow: r.allow.iter().map(|a| a.as_bytes().to_vec()).collect(),
                    allow_regex,
                    multiline_end: r
                        .multiline_end
                        .as_ref()
                        .filter(|s| !s.is_empty())
                        .map(|s| s.as_bytes().to_vec()),
                    max_len: hir.properties().maximum_len(),
                    kw_group: None,
                });
                ids.push(Arc::from(id));
                ops.push(op);
            }
            RuleEntry::Field(f, _) => {
                let idx = fields_.len();
                let op = Op::new(f.operator, f.keep_last).map_err(|m| err(ErrorKind::Rule, m))?;
                if f.names.is_empty()
                    || f.names
                        .iter()
                        .any(|n| fields::normalize(n.as_bytes()).is_empty())
                {
                    return Err(err(
                        ErrorKind::Rule,
                        "field rule needs non-empty `names`".into(),
                    ));
                }
                for n in &f.names {
                    for s in fields::trigger_spellings(n) {
                        literals.push((s, Target::Field(idx, false)));
                    }
                }
                for n in &f.anywhere {
                    for s in fields::spellings(n) {
                        literals.push((s, Target::Field(idx, true)));
                    }
                }
                let value_regex = whole_value_regex(f.value_regex.as_slice()).map_err(|e| {
                    err(ErrorKind::Rule, "value_regex does not compile".into()).with_source(e)
                })?;
                let allow_regex = whole_value_regex(&f.allow_regex).map_err(|e| {
                    err(ErrorKind::Rule, "allow_regex does not compile".into()).with_source(e)
                })?;
                fields_.push(FieldRule {
                    allow_regex,
                    value_regex,
                    nested: f.nested,
                    names: NameSet::with_anywhere(
                        &f.names,
                        &f.except,
                        &f.anywhere,
                        &f.metadata_words,
                    ),
                    extent: f.value,
                    min_length: f.min_length,
                    secret: f.category == crate::rules::Category::Secret,
                });
                ids.push(Arc::from(id));
                ops.push(op);
            }
        }
    }
    literals.push(("[redacted:".into(), Target::Marker));
    literals.push(("[hash:".into(), Target::Marker));
    // One automaton entry per distinct literal; a literal can serve several rules.
    literals.sort_by(|a, b| a.0.cmp(&b.0));
    let mut ac_pats: Vec<String> = Vec::new();
    let mut ac_targets: Vec<Vec<Target>> = Vec::new();
    // How many (literal, target) pairs name each entry (for `ac_exact`).
    let mut ac_uses: Vec<usize> = Vec::new();
    for (lit, t) in literals {
        if ac_pats.last() == Some(&lit) {
            let ts = ac_targets.last_mut().expect("parallel vectors");
            if !ts.contains(&t) {
                ts.push(t);
            }
            *ac_uses.last_mut().expect("parallel vectors") += 1;
        } else {
            ac_pats.push(lit);
            ac_targets.push(vec![t]);
            ac_uses.push(1);
        }
    }
    let ac = Literals::new(&ac_pats).map_err(|e| {
        Error::new(
            ErrorKind::Rule,
            "keywords do not fit in the literal automaton",
        )
        .with_source(e)
    })?;
    let ac_field_only: Vec<bool> = ac_targets
        .iter()
        .map(|ts| ts.iter().all(|t| matches!(t, Target::Field(_, false))))
        .collect();
    // A literal counts only in its own case when every use of it is an
    // `exact_keywords` entry (a keyword or field name elsewhere with the
    // same spelling wants it in any case).
    let ac_exact: Vec<bool> = ac_pats
        .iter()
        .zip(&ac_uses)
        .map(|(p, &uses)| {
            let exact = exact_literals.iter().filter(|e| *e == p).count();
            exact > 0 && exact == uses
        })
        .collect();
    // The gate: two automata that together match wherever the slow path
    // could find anything. A line neither matches is clean after one pass
    // of each. Every literal (rule keywords, field names) is in the
    // Aho-Corasick DFA above; every keyword-less rule and every escape the
    // decoder undoes is in one lazy DFA. In a single lazy DFA, hundreds of
    // case-insensitive literals times the keyword-less rules' patterns make
    // a product of states that random tokens keep extending, and building
    // states then costs more than the scan: with the pack of 360 rules,
    // dense logs ran 14x slower that way. The price is a second pass over
    // clean lines (BENCHMARKS.md, "Rule pack (issue 3)"). A field name only
    // counts where a key can end after it (`literal_hit`).
    let mut gate_src: Vec<String> = combined_src.clone();
    gate_src.extend(decode::TRIGGERS.iter().map(|t| t.to_string()));
    let gate_refs: Vec<&str> = gate_src.iter().map(String::as_str).collect();
    let gate = Gates::new(&gate_refs).map_err(|e| {
        Error::new(
            ErrorKind::Rule,
            "the rules do not fit together in one automaton; give some of them keywords",
        )
        .with_source(e)
    })?;
    let groups = keyword_groups(&pattern_keywords, &mut patterns);
    let multiline: Vec<(usize, Vec<u8>)> = patterns
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.multiline_end.clone().map(|e| (i, e)))
        .collect();
    let oversize = ids.len();
    ids.push(Arc::from(OVERSIZE_ID));
    ops.push(Op::Mask);
    let hash_key = match b.hash_key {
        Some(k) if !k.0.is_empty() => k,
        _ => HashKey(random_hash_key()?),
    };
    Ok(Inner {
        id: NEXT_SCANNER_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        ids,
        ops,
        patterns,
        fields: fields_,
        ac,
        ac_targets,
        combined_rules,
        groups,
        combined_anchored,
        gate,
        gate_src,
        ac_field_only,
        ac_exact,
        ac_pats,
        hash_key,
        multiline,
        oversize,
    })
}

/// Keys up to this long have their field-rule verdict remembered.
const KEY_CACHE_KEY_LEN: usize = 64;
/// How many key verdicts a thread remembers before it starts afresh.
const KEY_CACHE_ENTRIES: usize = 4096;

/// Per key: its field rule, and whether keyword rules take it as context.
/// Hashed with foldhash (randomly seeded per process, so keys an attacker
/// writes into JSON events cannot be chosen to collide; SipHash cost more
/// than the lookup it guards on a tracing event's five fields).
type KeyCache = (
    u64,
    std::collections::HashMap<Box<[u8]>, (Option<usize>, bool), foldhash::fast::RandomState>,
);

thread_local! {
    /// Per thread: the scanner id and, for each key seen, its field rule.
    static KEY_CACHE: std::cell::RefCell<KeyCache> = std::cell::RefCell::new((0, Default::default()));
}

/// Values up to this long may be remembered as clean
/// ([`CleanValues`]).
pub(crate) const CLEAN_VALUE_LEN: usize = 48;
/// Slots of a thread's [`CleanValues`].
const CLEAN_VALUE_SLOTS: usize = 1024;

/// Short field values a scan of this thread found clean, remembered so that
/// the next event with the same value does not scan it again.
///
/// A service's events repeat most of their values (methods, routes, status
/// words, regions, versions, static messages), and the scan of a short
/// value costs about 8 ns a byte (the literal pass and the gate), more than
/// the rest of formatting the event. The table is direct-mapped: a value's
/// hash picks one slot, which keeps the value's bytes, and a look-up
/// compares them, so a hash collision can only miss, never pass a value
/// that was not scanned. Only values whose scan found nothing are written,
/// so the table never holds what a rule takes for sensitive; a value that
/// is unique per event (an id) just overwrites a slot. Cleared when another
/// scanner (a reload) uses the thread's table. 1,024 slots of 49 bytes:
/// about 50 KB per thread that redacts fields.
pub(crate) struct CleanValues {
    scanner: u64,
    /// Buffers [`Inner::flag_texts`] reuses.
    pub(crate) scratch: Scratch,
    hasher: foldhash::fast::RandomState,
    /// Length (`u8::MAX`: empty) and bytes.
    slots: Box<[(u8, [u8; CLEAN_VALUE_LEN])]>,
}

impl CleanValues {
    fn new() -> Self {
        CleanValues {
            scanner: 0,
            scratch: Scratch::default(),
            hasher: Default::default(),
            slots: vec![(u8::MAX, [0; CLEAN_VALUE_LEN]); CLEAN_VALUE_SLOTS].into_boxed_slice(),
        }
    }

    fn slot(&self, v: &[u8]) -> usize {
        use std::hash::BuildHasher;
        (self.hasher.hash_one(v) as usize) % CLEAN_VALUE_SLOTS
    }

    /// Whether `v` is remembered as clean.
    pub(crate) fn contains(&self, v: &[u8]) -> bool {
        if v.len() > CLEAN_VALUE_LEN {
            return false;
        }
        let (len, bytes) = &self.slots[self.slot(v)];
        usize::from(*len) == v.len() && &bytes[..v.len()] == v
    }

    /// Remembers `v`, which a scan found clean (a longer one is not kept).
    pub(crate) fn insert(&mut self, v: &[u8]) {
        if v.len() > CLEAN_VALUE_LEN {
            return;
        }
        let i = self.slot(v);
        let slot = &mut self.slots[i];
        slot.0 = v.len() as u8;
        slot.1[..v.len()].copy_from_slice(v);
    }
}

/// The joined texts of [`Inner::flag_texts`], where each starts, and
/// which are flagged: kept per thread so an event allocates none of them.
#[derive(Default)]
pub(crate) struct Scratch {
    buf: Vec<u8>,
    starts: Vec<usize>,
    flagged: Vec<bool>,
}

thread_local! {
    static CLEAN_VALUES: std::cell::RefCell<CleanValues> = std::cell::RefCell::new(CleanValues::new());
}

/// Ids of compiled scanners (0 is never one).
static NEXT_SCANNER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Largest number of rules in one keyword group's automaton: beyond it the
/// product of their states costs more than the separate passes it saves.
const GROUP_MAX: usize = 32;
/// Lazy DFA cache of one keyword group, per search thread.
const GROUP_CACHE: usize = 8 << 20;

/// Keyword groups: keyword rules that share most of their keywords (the
/// twenty-odd national phone-number rules all answer to `phone`, `tel`,
/// `mobile`...), each group compiled into one automaton of at most
/// [`GROUP_MAX`] patterns. When a line holds one of their keywords, one
/// pass of it over the windows around the keywords says which of the rules
/// can match at all; only those then run with their own regex (without it
/// a line mentioning a phone paid for every phone rule's own pass).
/// Records each rule's place in `kw_group`. A group whose automaton cannot
/// be built is left out: its rules then run on their own, as a rule with
/// no fellow does.
fn keyword_groups(keywords: &[Vec<String>], patterns: &mut [PatternRule]) -> Vec<Gate> {
    // Union-find over rules, joined through their keywords.
    let mut parent: Vec<usize> = (0..keywords.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    // Two rules join when most of the keywords of the one with fewer are
    // also the other's: the phone rules of different countries do, a
    // phone rule and a password rule sharing `pin` do not (their union
    // would run on every line holding either kind of word). Unbounded
    // patterns stay alone: in a shared automaton their states multiply.
    let sets: Vec<std::collections::HashSet<&str>> = keywords
        .iter()
        .zip(patterns.iter())
        .map(|(kws, p)| {
            if p.max_len.is_some() {
                kws.iter().map(String::as_str).collect()
            } else {
                Default::default()
            }
        })
        .collect();
    for i in 0..sets.len() {
        for j in 0..i {
            let (a, b) = (&sets[i], &sets[j]);
            let small = a.len().min(b.len());
            if small == 0 {
                continue;
            }
            let shared = a.intersection(b).count();
            if shared * 2 > small {
                let (x, y) = (root(&mut parent, i), root(&mut parent, j));
                parent[x.max(y)] = x.min(y);
            }
        }
    }
    let mut members: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, set) in sets.iter().enumerate() {
        if !set.is_empty() {
            let r = root(&mut parent, i);
            members.entry(r).or_default().push(i);
        }
    }
    let mut groups = Vec::new();
    for rules in members.values().filter(|m| m.len() > 1) {
        for chunk in rules.chunks(GROUP_MAX) {
            let refs: Vec<&str> = chunk
                .iter()
                .map(|&r| patterns[r].regex.src.as_str())
                .collect();
            let Ok(dfa) = Gate::new(&refs, GROUP_CACHE) else {
                continue;
            };
            for (k, &r) in chunk.iter().enumerate() {
                patterns[r].kw_group = Some((groups.len(), k));
            }
            groups.push(dfa);
        }
    }
    groups
}

/// The most bytes between a label and the value it names.
const LABEL_GAP: usize = 12;

/// Whether the keyword at `ks..ke` labels the value starting at `s`: it
/// ends at most [`LABEL_GAP`] bytes before the value with nothing but
/// punctuation, spaces and one short word between (`RRN is `, `Steuer-ID: `,
/// `IdNr. `), or it is the enclosing key's (a context keyword spans the
/// whole text).
fn labels(text: &[u8], ks: usize, ke: usize, s: usize) -> bool {
    if ks == 0 && ke == text.len() {
        return true;
    }
    if ke > s || s - ke > LABEL_GAP {
        return false;
    }
    let (mut words, mut len) = (0, 0);
    for &b in &text[ke..s] {
        if b.is_ascii_digit() {
            return false;
        }
        if b.is_ascii_alphabetic() {
            if len == 0 {
                words += 1;
            }
            len += 1;
            if words > 1 || len > 3 {
                return false;
            }
        } else {
            len = 0;
        }
    }
    true
}

/// Sorts `w` and joins windows that overlap or touch.
fn merge_windows(w: &mut Vec<(usize, usize)>) {
    w.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(w.len());
    for &(s, e) in w.iter() {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    *w = out;
}

impl Inner {
    /// Index of the first field rule in `ids`.
    fn field_base(&self) -> usize {
        self.patterns.len()
    }

    pub(crate) fn op(&self, rule: usize) -> Op {
        self.ops[rule]
    }

    /// Whether field rule `rule` takes `value` whole: long enough for its
    /// `min_length` and not a placeholder (pattern rules always do).
    pub(crate) fn field_takes(&self, rule: usize, value: &[u8]) -> bool {
        let Some(f) = self.field_rule(rule) else {
            return true;
        };
        value.len() >= f.min_length
            && f.value_regex.as_ref().is_none_or(|re| re.is_match(value))
            && !f.allow_regex.as_ref().is_some_and(|re| re.is_match(value))
            && !if f.secret {
                placeholder::is_placeholder(value)
            } else {
                placeholder::is_reference_or_word(value)
            }
    }

    /// Whether field rule `rule` takes a whole object or array.
    pub(crate) fn field_takes_nested(&self, rule: usize) -> bool {
        self.field_rule(rule).is_none_or(|f| f.nested)
    }

    /// The field rule with index `rule` in `ids` (`None` for pattern rules).
    fn field_rule(&self, rule: usize) -> Option<&FieldRule> {
        rule.checked_sub(self.field_base())
            .and_then(|i| self.fields.get(i))
    }

    /// Whether a key (as written) names a sensitive value; returns the rule.
    pub(crate) fn field_for_key(&self, key: &[u8]) -> Option<usize> {
        if self.fields.is_empty() {
            return None;
        }
        self.key_verdict(key).0
    }

    /// Whether keyword rules take `key` (a field name) as context: see
    /// [`Inner::context_rules`].
    pub(crate) fn key_has_context(&self, key: &[u8]) -> bool {
        if key.len() > KEY_CACHE_KEY_LEN {
            return !self.context_rules(key).is_empty();
        }
        self.key_verdict(key).1
    }

    /// A key's field rule and whether it is context. JSON events and
    /// tracing callsites repeat a handful of keys (`ts`, `level`, `msg`,
    /// `trace_id`) on every event, and the verdict over every field rule
    /// cost about a microsecond a key: each thread remembers it, per
    /// scanner (a reload makes a new one, with a new id).
    fn key_verdict(&self, key: &[u8]) -> (Option<usize>, bool) {
        let uncached = || {
            (
                self.field_for_key_uncached(key),
                !self.context_rules(key).is_empty(),
            )
        };
        if key.len() > KEY_CACHE_KEY_LEN {
            return uncached();
        }
        KEY_CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.0 != self.id {
                c.0 = self.id;
                c.1.clear();
            }
            if let Some(&v) = c.1.get(key) {
                return v;
            }
            let v = uncached();
            if c.1.len() >= KEY_CACHE_ENTRIES {
                c.1.clear();
            }
            c.1.insert(key.into(), v);
            v
        })
    }

    fn field_for_key_uncached(&self, key: &[u8]) -> Option<usize> {
        // Normalized once, compared with every rule.
        let k = fields::NormalizedKey::new(key)?;
        self.fields
            .iter()
            .position(|f| f.names.matches_key(&k))
            .map(|i| i + self.field_base())
    }

    /// Which gate pattern lets `text` through, if any (diagnostics).
    pub(crate) fn gate_reason(&self, text: &[u8]) -> Option<&str> {
        if let Some(p) = self.literal_hit(text) {
            return Some(self.ac_pats[p].as_str());
        }
        self.gate
            .first_pattern(text)
            .map(|p| self.gate_src[p].as_str())
    }

    /// Whether anything in `text` could be redacted: one pass of the
    /// literal automaton (every keyword and field name) and, when it finds
    /// none, one of the gate automaton (every keyword-less rule and every
    /// escape the decoder undoes). `false` is certain; `true` means "look
    /// closer" (the rules that can match).
    pub(crate) fn may_match(&self, text: &[u8]) -> bool {
        self.literal_hit(text).is_some() || self.gate.is_match(text)
    }

    /// [`Inner::may_match`] for a text about to be scanned: `None` when it
    /// is clean, else the literals found, which [`Inner::scan_with`] then
    /// uses instead of searching again (the literal pass is the costliest
    /// of the first stage, about 4 ns per byte).
    pub(crate) fn gate_check(&self, text: &[u8]) -> Option<LiteralHits> {
        let lits = self.ac.find_all(text);
        let hit = lits
            .iter()
            .any(|&(p, _, end)| self.literal_counts(text, p, end));
        if hit {
            return Some(LiteralHits(lits, GateSeen::default()));
        }
        let first = self.gate.first_match(text)?;
        Some(LiteralHits(
            lits,
            GateSeen {
                first,
                matches: true,
            },
        ))
    }

    /// Which of `texts` [`Inner::gate_check`] could let through, decided by
    /// one literal pass and one gate pass over all of them joined by `\n`
    /// instead of one of each per text: for the short values of one event
    /// (a tracing event's fields) the fixed cost of starting each pass, not
    /// the bytes, is most of what a value costs. A text flagged `false`
    /// would be cleared by the gate on its own:
    /// - a literal in it is found in the joined text too (the literal pass
    ///   reports overlapping matches), and a field name at its end is
    ///   followed by `\n` there, which counts as the end of a key as the end
    ///   of the text does;
    /// - a gate match in it is found by a search started at its own start
    ///   (regions are searched in order, each from its start, until one
    ///   matches), and the `\n` around it looks to `\b` as the edges of the
    ///   text do.
    ///
    /// A match across two texts only flags more. `None` when a gate pattern
    /// is anchored to the text's start or end: the caller checks each text
    /// alone.
    pub(crate) fn flag_texts<'t, 's>(
        &self,
        texts: impl Iterator<Item = &'t [u8]>,
        scratch: &'s mut Scratch,
    ) -> Option<&'s [bool]> {
        if self.combined_anchored {
            return None;
        }
        let Scratch {
            buf,
            starts,
            flagged,
        } = scratch;
        buf.clear();
        starts.clear();
        for t in texts {
            starts.push(buf.len());
            buf.extend_from_slice(t);
            buf.push(b'\n');
        }
        let n = starts.len();
        starts.push(buf.len());
        let region = |i: usize| starts.partition_point(|&s| s <= i).saturating_sub(1);
        flagged.clear();
        flagged.resize(n, false);
        self.ac.find(buf, |p, start, end| {
            if self.literal_counts(buf, p, end) {
                for f in &mut flagged[region(start)..=region(end.saturating_sub(1).max(start))] {
                    *f = true;
                }
            }
            false
        });
        self.gate.flag_regions(buf, starts, flagged);
        Some(flagged)
    }

    /// Runs `f` on this thread's [`CleanValues`] for this scanner.
    pub(crate) fn with_clean_values<R>(&self, f: impl FnOnce(&mut CleanValues) -> R) -> R {
        CLEAN_VALUES.with(|c| {
            let mut c = c.borrow_mut();
            if c.scanner != self.id {
                c.slots.iter_mut().for_each(|s| s.0 = u8::MAX);
                c.scanner = self.id;
            }
            f(&mut c)
        })
    }

    /// A key's field rule and whether it is context for keyword rules, in
    /// one look-up ([`Inner::field_for_key`], [`Inner::key_has_context`]).
    pub(crate) fn key_info(&self, key: &[u8]) -> (Option<usize>, bool) {
        let (rule, ctx) = self.key_verdict(key);
        (rule.filter(|_| !self.fields.is_empty()), ctx)
    }

    /// The first keyword, or field name where a key can end, in `text`.
    fn literal_hit(&self, text: &[u8]) -> Option<usize> {
        let mut hit = None;
        self.ac.find(text, |p, _, end| {
            if self.literal_counts(text, p, end) {
                hit = Some(p);
            }
            hit.is_some()
        });
        hit
    }

    /// Whether literal `p` ending at `end` lets a text through the gate: a
    /// keyword always, a field name only where a key can end (a field name
    /// inside a longer word, `pan` in `span_id`, does not count).
    fn literal_counts(&self, text: &[u8], p: usize, end: usize) -> bool {
        (!self.ac_field_only[p]
            || !matches!(text.get(end), Some(&b) if b.is_ascii_alphanumeric() || b == b'_'))
            && self.literal_case_fits(text, p, end)
    }

    /// Whether literal `p`, found ending at `end`, is written in the case
    /// it must be (only `exact_keywords` care).
    fn literal_case_fits(&self, text: &[u8], p: usize, end: usize) -> bool {
        !self.ac_exact[p] || {
            let lit = self.ac_pats[p].as_bytes();
            end.checked_sub(lit.len())
                .is_some_and(|s| &text[s..end] == lit)
        }
    }

    /// Whether [`Inner::may_match`] on a whole JSON line speaks for every
    /// string in it.
    pub(crate) fn json_prefilter_ok(&self) -> bool {
        !self.combined_anchored
    }

    /// Finds everything in `text`, including what escapes hide. Hits are
    /// distinct, sorted, and not yet merged.
    pub(crate) fn scan(&self, text: &[u8], hits: &mut Vec<Hit>, open: &mut Option<OpenBlock>) {
        self.scan_in_context(text, &[], hits, open)
    }

    /// [`Inner::scan`] of a text that [`Inner::gate_check`] let through.
    pub(crate) fn scan_with(
        &self,
        text: &[u8],
        lits: LiteralHits,
        hits: &mut Vec<Hit>,
        open: &mut Option<OpenBlock>,
    ) {
        self.scan_traced(text, &[], Some(lits), hits, open, None)
    }

    /// Rules whose keywords occur in `context` (a JSON key): they count as
    /// near anything in the value, as `"SecretAccessKey": "..."` reads.
    pub(crate) fn context_rules(&self, context: &[u8]) -> Vec<usize> {
        let mut out = Vec::new();
        for (p, _, _) in self.ac.find_all(context) {
            for &t in &self.ac_targets[p] {
                if let Target::Keyword(r) = t {
                    if !out.contains(&r) {
                        out.push(r);
                    }
                }
            }
        }
        out
    }

    /// [`Inner::scan`] with keyword rules made near by a surrounding context.
    pub(crate) fn scan_in_context(
        &self,
        text: &[u8],
        ctx: &[usize],
        hits: &mut Vec<Hit>,
        open: &mut Option<OpenBlock>,
    ) {
        self.scan_traced(text, ctx, None, hits, open, None)
    }

    /// [`Inner::scan_in_context`], with the literals the gate found (or
    /// `None`: search them) and recording every candidate's verdict in
    /// `trace` (spans of decoded views mapped back to `text`).
    pub(crate) fn scan_traced(
        &self,
        text: &[u8],
        ctx: &[usize],
        lits: Option<LiteralHits>,
        hits: &mut Vec<Hit>,
        open: &mut Option<OpenBlock>,
        mut trace: Option<&mut Vec<Trace>>,
    ) {
        let mut markers: Vec<(usize, usize)> = Vec::new();
        self.scan_raw(
            text,
            ctx,
            lits,
            hits,
            &mut markers,
            open,
            trace.as_deref_mut(),
        );
        let views = decode::views(text);
        for plus in [false, true] {
            // The escapes view, then (if `+` could stand for a space) one
            // that also reads `+` as a space.
            let wanted = if plus { views.plus } else { views.escapes };
            if !wanted {
                continue;
            }
            let view = decode::decode(text, plus);
            let mut dhits = Vec::new();
            let mut dmarkers = Vec::new();
            let mut dopen = None;
            let mut dtrace = trace.as_ref().map(|_| Vec::new());
            self.scan_raw(
                &view.bytes,
                ctx,
                None,
                &mut dhits,
                &mut dmarkers,
                &mut dopen,
                dtrace.as_mut(),
            );
            if let (Some(t), Some(dt)) = (trace.as_deref_mut(), dtrace) {
                for mut x in dt {
                    let (s, e) = view.original(x.start, x.end);
                    x.start = s;
                    x.end = e;
                    x.why = format!("{} (in the text with its escapes decoded)", x.why);
                    t.push(x);
                }
            }
            for h in dhits {
                let (s, e) = view.original(h.start, h.end);
                hits.push(Hit {
                    start: s,
                    end: e,
                    rule: h.rule,
                });
            }
            for (s, e) in dmarkers {
                markers.push(view.original(s, e));
            }
            if open.is_none() {
                *open = dopen;
            }
        }
        if hits.is_empty() {
            return;
        }
        if !markers.is_empty() {
            // Text already redacted is never redacted again: drop what lies
            // inside a marker, trim what overlaps one.
            let mut kept = Vec::with_capacity(hits.len());
            for mut h in hits.drain(..) {
                for &(ms, me) in &markers {
                    if h.start >= ms && h.end <= me {
                        h.end = h.start;
                        break;
                    }
                    if h.start < ms && h.end > ms && h.end <= me {
                        h.end = ms;
                    } else if h.start >= ms && h.start < me && h.end > me {
                        h.start = me;
                    }
                }
                if h.end > h.start {
                    kept.push(h);
                }
            }
            *hits = kept;
        }
        hits.sort_unstable();
        hits.dedup();
    }

    #[allow(clippy::too_many_arguments)]
    fn scan_raw(
        &self,
        text: &[u8],
        ctx: &[usize],
        lits: Option<LiteralHits>,
        hits: &mut Vec<Hit>,
        markers: &mut Vec<(usize, usize)>,
        open: &mut Option<OpenBlock>,
        mut trace: Option<&mut Vec<Trace>>,
    ) {
        // Keyword hits of gated rules: (rule, start, end). A context keyword
        // spans the whole text.
        let mut kw: Vec<(usize, usize, usize)> = ctx.iter().map(|&r| (r, 0, text.len())).collect();
        let mut keys_done: Vec<usize> = Vec::new();
        let (lits, seen) = lits.map_or_else(
            || (self.ac.find_all(text), GateSeen::default()),
            |l| (l.0, l.1),
        );
        for (p, m_start, m_end) in lits {
            if !self.literal_case_fits(text, p, m_end) {
                continue;
            }
            for &t in &self.ac_targets[p] {
                match t {
                    Target::Keyword(r) => kw.push((r, m_start, m_end)),
                    Target::Marker => {
                        let end = memchr::memchr(b']', &text[m_end..])
                            .map_or(text.len(), |q| m_end + q + 1);
                        markers.push((m_start, end));
                    }
                    Target::Field(f, anywhere) => {
                        // A key matches by its suffix, so the name must end
                        // the key token: one byte rejects `span_id` for
                        // `pan` and `inside` for `sid`, without allocating.
                        if !anywhere
                            && text.get(m_end).is_some_and(|&b| {
                                fields::is_key_byte(b) && !matches!(b, b'.' | b'-')
                            })
                        {
                            continue;
                        }
                        let (ks, ke) = fields::key_around(text, m_start, m_end);
                        if ke != m_end && !anywhere {
                            continue;
                        }
                        if keys_done.contains(&ks) {
                            continue;
                        }
                        let rule = &self.fields[f];
                        if !rule.names.matches(&text[ks..ke]) {
                            continue;
                        }
                        keys_done.push(ks);
                        let value = fields::value_after_key(text, ks, ke, rule.extent);
                        let taken = value.filter(|&(vs, ve)| {
                            self.field_takes(self.field_base() + f, &text[vs..ve])
                        });
                        if let (Some(t), Some((vs, ve))) = (trace.as_deref_mut(), value) {
                            t.push(Trace {
                                rule: self.field_base() + f,
                                start: vs,
                                end: ve,
                                found: taken.is_some(),
                                why: if taken.is_some() {
                                    format!("the value of key `{}`", String::from_utf8_lossy(&text[ks..ke]))
                                } else {
                                    "under a sensitive key, but a placeholder, too short or excluded by the rule's value patterns".into()
                                },
                            });
                        }
                        if let Some((vs, ve)) = taken {
                            hits.push(Hit {
                                start: vs,
                                end: ve,
                                rule: self.field_base() + f,
                            });
                        }
                    }
                }
            }
        }
        // Each candidate rule with the windows of `text` it runs on.
        let whole = [(0, text.len())];
        let mut candidates: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
        if !self.combined_rules.is_empty() {
            // Only lines the gate let through get here, so ask straight away
            // which keyword-less rules match (one pass) rather than first
            // whether any does. The gate's own automaton answers: it holds
            // these rules, so the states it built deciding that the line is
            // worth a look serve again (a second automaton of the same
            // rules built its own, and on logs of random tokens building
            // states is most of a lazy DFA's cost).
            let mut set = PatternSet::new(self.gate.pattern_len());
            self.gate.which(text, seen, &mut set);
            candidates.extend(
                set.iter()
                    .filter_map(|p| self.combined_rules.get(p.as_usize()))
                    .map(|&r| (r, whole.to_vec())),
            );
        }
        // A keyword rule's match lies within its distance of a keyword, so
        // it runs only on the windows around its keywords.
        kw.sort_unstable();
        let mut i = 0;
        while i < kw.len() {
            let r = kw[i].0;
            let rule = &self.patterns[r];
            let reach = rule
                .max_len
                .map_or(usize::MAX, |m| m.saturating_add(rule.distance));
            let mut w = Vec::new();
            while i < kw.len() && kw[i].0 == r {
                let (_, ks, ke) = kw[i];
                w.push((
                    ks.saturating_sub(reach),
                    ke.saturating_add(reach).min(text.len()),
                ));
                i += 1;
            }
            merge_windows(&mut w);
            candidates.push((r, w));
        }
        // Rules of one keyword group: one pass of the group's automaton over
        // the union of their windows says which can match at all.
        let mut group_windows: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
        for (r, w) in &candidates {
            if let Some((g, _)) = self.patterns[*r].kw_group {
                match group_windows.iter_mut().find(|(g2, _)| *g2 == g) {
                    Some((_, all)) => all.extend_from_slice(w),
                    None => group_windows.push((g, w.clone())),
                }
            }
        }
        let group_sets: Vec<(usize, PatternSet)> = group_windows
            .into_iter()
            .map(|(g, mut span)| {
                merge_windows(&mut span);
                let dfa = &self.groups[g];
                let mut set = PatternSet::new(dfa.dfa.pattern_len());
                for (s, e) in span {
                    dfa.which_in(text, s, e, &mut set);
                }
                (g, set)
            })
            .collect();
        candidates.retain(|(r, _)| match self.patterns[*r].kw_group {
            None => true,
            Some((g, k)) => group_sets.iter().any(|(g2, set)| {
                *g2 == g && set.contains(regex_automata::PatternID::new_unchecked(k))
            }),
        });
        candidates.sort_unstable_by_key(|c| c.0);
        for (r, w) in candidates {
            self.run_rule(r, text, &kw, &w, hits, open, trace.as_deref_mut());
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn run_rule(
        &self,
        r: usize,
        text: &[u8],
        kw: &[(usize, usize, usize)],
        windows: &[(usize, usize)],
        hits: &mut Vec<Hit>,
        open: &mut Option<OpenBlock>,
        mut trace: Option<&mut Vec<Trace>>,
    ) {
        let rule = &self.patterns[r];
        let regex = rule.regex.get();
        // Reasons are only written for `rules explain`: the closures that
        // make them run when a trace is asked for, so a scan pays nothing.
        let mut note = |s: usize, e: usize, found: bool, why: &dyn Fn() -> String| {
            if let Some(t) = trace.as_deref_mut() {
                t.push(Trace {
                    rule: r,
                    start: s,
                    end: e,
                    found,
                    why: why(),
                });
            }
        };
        let mut consider = |ms: usize, me: usize, s: usize, e: usize| {
            // An IBAN pattern may run on into the next word; fit it to its
            // country's length first.
            let e = if rule.validator == Some(ValidatorKind::Iban) && e > s {
                match validate::iban_fit(&text[s..e]) {
                    Some(n) => s + n,
                    None => {
                        note(s, e, false, &|| "no IBAN length fits its country".into());
                        return;
                    }
                }
            } else {
                e
            };
            // The keyword that qualifies a gated rule's match: (start, end).
            let mut keyword = None;
            // Whether that keyword labels the value (see [`labels`]).
            let mut labelled = false;
            if rule.gated {
                let lo = ms.saturating_sub(rule.distance);
                let hi = me.saturating_add(rule.distance);
                let mut near = kw
                    .iter()
                    .filter(|&&(kr, ks, ke)| kr == r && ke > lo && ks < hi);
                let first = near.clone().next();
                let label = near.find(|&&(_, ks, ke)| labels(text, ks, ke, s));
                labelled = label.is_some();
                match label.or(first) {
                    Some(&(_, ks, ke)) => keyword = Some((ks, ke)),
                    None => {
                        note(s, e, false, &|| {
                            format!(
                                "its pattern matches, but none of its keywords is within {} bytes",
                                rule.distance
                            )
                        });
                        return;
                    }
                }
            }
            // An empty group finds nothing to redact, but can still open a
            // block: `-----BEGIN ... KEY-----` alone on its line. A blank
            // one (the newline a JSON string ends with) is taken as it is:
            // it is how a JSON line says that its block rule fired.
            if e > s {
                let value = &text[s..e];
                let blank = value.iter().all(u8::is_ascii_whitespace);
                if !blank && rule.number_checks && context::is_numeric(value) {
                    if let Some(v) = context::number_veto(text, s, e, rule.gated) {
                        note(s, e, false, &|| {
                            format!("its pattern matches, but the number is {}", v.as_str())
                        });
                        return;
                    }
                }
                if let Err(why) = self.verdict(rule, value, labelled) {
                    if !blank {
                        note(s, e, false, &|| format!("its pattern matches, but {why}"));
                        return;
                    }
                }
                note(s, e, true, &|| {
                    let because = match keyword {
                        Some((ks, ke)) if ke - ks < text.len() || ks > 0 => format!(
                            "its pattern, with keyword `{}` within {} bytes",
                            String::from_utf8_lossy(&text[ks..ke]),
                            rule.distance
                        ),
                        Some(_) => "its pattern, with a keyword in the enclosing key".into(),
                        None => "its pattern (a rule that runs on every line)".to_string(),
                    };
                    match rule.validator {
                        Some(v) if labelled => format!(
                            "{because}; the keyword labels the value, and validator {} passes its shape",
                            v.name()
                        ),
                        Some(v) => format!("{because}; validator {} passes", v.name()),
                        None => because,
                    }
                });
                hits.push(Hit {
                    start: s,
                    end: e,
                    rule: r,
                });
            }
            if let Some(end) = &rule.multiline_end {
                let rest = &text[me..];
                let at_eol = rest.iter().all(|b| b.is_ascii_whitespace());
                if at_eol && memchr::memmem::find(&text[ms..me], end).is_none() {
                    *open = Some(OpenBlock {
                        rule: r,
                        end: end.clone(),
                    });
                }
            }
        };
        for &(ws, we) in windows {
            let input = Input::new(text).span(ws..we);
            if rule.group == 0 {
                for m in regex.find_iter(input) {
                    consider(m.start(), m.end(), m.start(), m.end());
                }
            } else {
                for caps in regex.captures_iter(input) {
                    let (Some(m), Some(g)) = (caps.get_match(), caps.get_group(rule.group)) else {
                        continue;
                    };
                    consider(m.start(), m.end(), g.start, g.end);
                }
            }
        }
    }

    /// Whether a pattern rule keeps `value`; `Err` says why not.
    /// `labelled`: one of the rule's keywords names the value (see
    /// [`labels`]), so its validator asks only for the shape.
    fn verdict(
        &self,
        rule: &PatternRule,
        value: &[u8],
        labelled: bool,
    ) -> Result<(), &'static str> {
        if rule.allow.iter().any(|a| a.as_slice() == value) {
            return Err("the value is on the rule's allow list");
        }
        if !rule.pii && placeholder::is_placeholder(value) {
            return Err("the value is a placeholder, a reference or a mask");
        }
        if let Some(re) = &rule.allow_regex {
            if re.is_match(Input::new(value).anchored(Anchored::Yes)) {
                return Err("the value matches the rule's allow_regex");
            }
        }
        if let Some(v) = rule.validator {
            let ok = if labelled {
                validate::check_labelled(v, value)
            } else {
                validate::check(v, value)
            };
            if !ok {
                return Err("its validator rejects the value");
            }
        }
        if let Some(min) = rule.min_entropy {
            if validate::entropy(value) < min {
                return Err("the value's entropy is below the rule's min_entropy");
            }
        }
        Ok(())
    }

    /// The replacement for `value` found by `rule`.
    pub(crate) fn replacement(&self, rule: usize, value: &[u8], out: &mut Vec<u8>) {
        let id = &self.ids[rule];
        match self.ops[rule] {
            Op::Mask => {
                out.extend_from_slice(b"[REDACTED:");
                out.extend_from_slice(id.as_bytes());
                out.push(b']');
            }
            Op::Partial(n) => {
                let tail: Vec<u8> = value
                    .iter()
                    .rev()
                    .filter(|b| b.is_ascii_alphanumeric())
                    .take(n)
                    .copied()
                    .collect();
                out.extend_from_slice(b"[REDACTED:");
                out.extend_from_slice(id.as_bytes());
                out.extend_from_slice(":\u{2026}".as_bytes());
                out.extend(tail.iter().rev());
                out.push(b']');
            }
            Op::Hash => {
                use hmac::{Mac, SimpleHmac};
                let mut mac = <SimpleHmac<sha2::Sha256> as Mac>::new_from_slice(&self.hash_key.0)
                    .expect("HMAC takes any key length");
                mac.update(value);
                let tag = mac.finalize().into_bytes();
                out.extend_from_slice(b"[HASH:");
                out.extend_from_slice(id.as_bytes());
                out.push(b':');
                for b in &tag[..8] {
                    out.extend_from_slice(format!("{b:02x}").as_bytes());
                }
                out.push(b']');
            }
            Op::Drop => {}
        }
    }

    /// Merges sorted hits into disjoint redactions named by their first hit.
    pub(crate) fn merge(hits: &[Hit]) -> Vec<Hit> {
        let mut out: Vec<Hit> = Vec::new();
        // Sorted by start; for equal starts, the longest first so it names the group.
        let mut sorted = hits.to_vec();
        sorted.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a.rule.cmp(&b.rule))
        });
        for h in sorted {
            match out.last_mut() {
                Some(last) if h.start < last.end => last.end = last.end.max(h.end),
                _ => out.push(h),
            }
        }
        out
    }

    /// Applies merged redactions to `text`.
    pub(crate) fn apply<'a>(&self, text: &'a [u8], merged: &[Hit]) -> Cow<'a, [u8]> {
        if merged.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = Vec::with_capacity(text.len() + 32 * merged.len());
        let mut at = 0;
        for h in merged {
            out.extend_from_slice(&text[at..h.start]);
            self.replacement(h.rule, &text[h.start..h.end], &mut out);
            at = h.end;
        }
        out.extend_from_slice(&text[at..]);
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn inner() -> &'static Inner {
        static S: std::sync::OnceLock<crate::Scanner> = std::sync::OnceLock::new();
        &S.get_or_init(crate::Scanner::embedded).inner
    }

    fn slow_path_finds(text: &[u8]) -> bool {
        let mut hits = Vec::new();
        let mut open = None;
        inner().scan(text, &mut hits, &mut open);
        !hits.is_empty() || open.is_some()
    }

    #[test]
    fn gate_passes_what_the_slow_path_finds() {
        for t in [
            "password=x",
            "a%40b.com",
            "ghp_",
            "token: abc",
            "4111 1111 1111 1111",
            "x\\u0040y",
            "key#012x",
        ] {
            assert!(inner().may_match(t.as_bytes()), "{t}");
        }
        assert!(
            !inner().may_match(b"2026-11-29 INFO all good span_id=abc"),
            "{:?}",
            inner().gate_reason(b"2026-11-29 INFO all good span_id=abc")
        );
    }

    #[test]
    fn a_label_next_to_a_number_relaxes_its_check_digit_only() {
        let s = crate::Scanner::embedded();
        let red = |t: &str| s.redact_str(t, crate::Format::Auto).into_owned();
        // 960121-1234567: a real date and sex digit, a wrong check digit.
        for labelled in [
            "His RRN is 960121-1234567",
            "rrn=960121-1234567",
            r#"{"rrn":"960121-1234567"}"#,
        ] {
            assert!(!red(labelled).contains("1234567"), "{labelled}");
        }
        // The keyword is near but does not name the value: the check digit
        // still decides.
        let near = "rrn lookup for member 960121-1234567 done";
        assert_eq!(red(near), near);
        // A label does not make an impossible shape a number (month 13).
        let bad = "rrn=961321-1234567";
        assert_eq!(red(bad), bad);
        // Steuer-ID: the label relaxes the digit-repetition rule, not the
        // ISO 7064 check digit.
        assert!(red("Steuer-ID: 12345678903").contains("REDACTED"));
        assert_eq!(red("Steuer-ID: 12345678904"), "Steuer-ID: 12345678904");
        assert_eq!(
            red("steuer-id sync took 12345678903 ns"),
            "steuer-id sync took 12345678903 ns"
        );
    }

    #[test]
    fn exact_keywords_count_only_in_their_case() {
        let mut rules = crate::Rules::empty();
        rules
            .add_toml(
                "t.toml",
                r#"
[[rule]]
id = "exact"
description = "x"
category = "secret"
regex = 'ABC_[0-9]{4}|abc_[0-9]{4}'
exact_keywords = ["ABC_"]

[[rule]]
id = "shared"
description = "x"
category = "secret"
regex = 'xyz_[0-9]{4}'
keywords = ["xyz_"]
exact_keywords = ["xyz_"]
"#,
            )
            .unwrap();
        let s = crate::Scanner::new(&rules).unwrap();
        let red = |t: &str| s.redact_str(t, crate::Format::Text).into_owned();
        assert_eq!(red("k ABC_1234"), "k [REDACTED:exact]");
        // The other case is no keyword: the line is clean at the gate and
        // the rule is not tried, although its pattern would match.
        assert_eq!(s.gate_reason(b"k abc_1234"), None);
        assert_eq!(red("k abc_1234"), "k abc_1234");
        assert_eq!(
            s.redact_fields(&[("a", "abc_1234"), ("b", "x")])[0],
            "abc_1234"
        );
        // A literal that is also a plain keyword counts in any case.
        assert_eq!(red("k XYZ_1234 xyz_1234"), "k XYZ_1234 [REDACTED:shared]");
        assert!(s.gate_reason(b"k XYZ_1234").is_some());
    }

    #[test]
    fn random_hash_keys_are_32_fresh_bytes() {
        let a = random_hash_key().unwrap();
        let b = random_hash_key().unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    proptest! {
        /// The gate may say "look closer" too often, never too rarely.
        #[test]
        fn gate_never_hides_a_finding(s in "([a-zA-Z0-9 =:_%@./\\-\"{}\\\\]|password|token|ghp_|AKIA|xoxb-|eyJ|secret|%40|\\\\u0040|4111|-----BEGIN ){0,40}") {
            if !inner().may_match(s.as_bytes()) {
                prop_assert!(!slow_path_finds(s.as_bytes()), "gate hid a finding in {:?}", s);
            }
        }
    }
}

#[cfg(test)]
mod timing {
    use super::*;
    use std::time::{Duration, Instant};

    /// Where the slow path spends its time, on the lines of
    /// `$LOGSCRUB_TIMING_FILE` that pass the gate. Not a test of behaviour:
    /// `cargo test --release -p logscrub-engine timing -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn slow_path_breakdown() {
        let Some(path) = std::env::var_os("LOGSCRUB_TIMING_FILE") else {
            return;
        };
        let data = std::fs::read(path).unwrap();
        let s = crate::Scanner::embedded();
        let inner = &*s.inner;
        // The gate alone over every line: first pass (building its lazy-DFA
        // states) and second pass (warm).
        let mb = data.len() as f64 / 1e6;
        for pass in ["cold", "warm"] {
            let t = Instant::now();
            let n = data
                .split(|&b| b == b'\n')
                .filter(|l| inner.may_match(l))
                .count();
            println!(
                "gate {pass}: {:.0} MB/s, {n} lines pass",
                mb / t.elapsed().as_secs_f64()
            );
        }
        let lines: Vec<&[u8]> = data
            .split(|&b| b == b'\n')
            .filter(|l| inner.may_match(l))
            .collect();
        let (mut ac_t, mut comb_t, mut dec_t) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        let mut rule_t = vec![Duration::ZERO; inner.patterns.len()];
        let mut rule_n = vec![0usize; inner.patterns.len()];
        for _ in 0..3 {
            for l in &lines {
                let t = Instant::now();
                let mut kw = Vec::new();
                for (p, _, _) in inner.ac.find_all(l) {
                    for &t in &inner.ac_targets[p] {
                        if let Target::Keyword(r) = t {
                            kw.push(r);
                        }
                    }
                }
                ac_t += t.elapsed();
                let t = Instant::now();
                let re = &inner.gate;
                let mut set = PatternSet::new(re.pattern_len());
                re.which(l, GateSeen::default(), &mut set);
                let mut cands: Vec<usize> = set
                    .iter()
                    .filter_map(|p| inner.combined_rules.get(p.as_usize()).copied())
                    .collect();
                comb_t += t.elapsed();
                cands.extend(kw);
                cands.sort_unstable();
                cands.dedup();
                for r in cands {
                    let t = Instant::now();
                    let mut hits = Vec::new();
                    let mut open = None;
                    inner.run_rule(r, l, &[], &[(0, l.len())], &mut hits, &mut open, None);
                    rule_t[r] += t.elapsed();
                    rule_n[r] += 1;
                }
                let t = Instant::now();
                let _ = decode::views(l);
                dec_t += t.elapsed();
            }
        }
        let n = (lines.len() * 3) as u32;
        println!(
            "{} gate-passing lines; per line: ac {:?} combined {:?} decode-check {:?}",
            lines.len(),
            ac_t / n,
            comb_t / n,
            dec_t / n
        );
        let mut v: Vec<(usize, Duration, usize)> = (0..rule_t.len())
            .map(|r| (r, rule_t[r], rule_n[r]))
            .collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.1));
        for (r, t, c) in v.iter().take(15) {
            println!(
                "{:<32} total {:?} runs {} per-run {:?}",
                inner.ids[*r],
                *t / 3,
                c / 3,
                *t / (*c).max(1) as u32
            );
        }
    }
}
