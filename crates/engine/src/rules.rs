//! The rule file format and loading.
//!
//! Rule files are TOML with `[[rule]]` (pattern rules) and `[[field]]`
//! (key-name rules) blocks; `rules/README.md` is the user's reference. Every
//! struct refuses unknown keys: a misspelt `allow_regex` would otherwise be
//! ignored and a rule silently weaker than its author meant.
//!
//! Loading only parses and remembers where each rule came from; compiling
//! (and refusing rules that cannot compile) is [`crate::Scanner`]'s job, so
//! `rules lint` can look at a pack that would not compile.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{line_col, Error, ErrorKind};

include!(concat!(env!("OUT_DIR"), "/default_rules.rs"));

/// Whether a rule protects personal data or a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Personal data (emails, card numbers, national ids...).
    Pii,
    /// Credentials (tokens, keys, passwords...).
    Secret,
}

/// How bad a leak of what the rule finds would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Low.
    Low,
    /// Medium (the default).
    #[default]
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// A cheap check run on each candidate a pattern finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidatorKind {
    /// Luhn checksum over the digits.
    Luhn,
    /// Bitcoin address: base58check (version 0x00 / 0x05 / testnet) or
    /// bech32 / bech32m (`bc1`, `tb1`) with a valid checksum.
    BitcoinAddress,
    /// GitHub-style token checksum: the last 6 base62 characters of a
    /// 36-character body are the CRC32 of the 30 before them.
    Crc32Base62,
    /// IBAN: known country, its length, mod-97.
    Iban,
    /// US social security number ranges.
    UsSsn,
    /// UK national insurance number prefixes and suffix.
    UkNino,
    /// A public (not private, loopback, ...) IPv4 address.
    Ipv4Public,
    /// A global IPv6 address.
    Ipv6Public,
    /// A JWT whose header decodes to JSON with `alg`.
    Jwt,
    /// A JWT written in base64 again (`ZXlK...`, as Kubernetes secrets and
    /// config files carry tokens): decodes to a [`ValidatorKind::Jwt`].
    JwtBase64,
    /// Vehicle identification number: 17 characters, no I/O/Q, at least
    /// one letter, ISO 3779 / 49 CFR 565 position-9 check digit.
    Vin,
    /// US ABA routing number: 9 digits, Federal Reserve prefix, 3-7-1 mod 10.
    AbaRouting,
    /// India Aadhaar: 12 digits, first 2-9, Verhoeff check digit.
    Aadhaar,
    /// Poland PESEL: weights 1-3-7-9, valid month code and day.
    Pesel,
    /// Netherlands BSN: 9 digits, 11-proof.
    NlBsn,
    /// Spain DNI / NIE: mod-23 check letter.
    EsDni,
    /// Brazil CPF: two mod-11 check digits.
    BrCpf,
    /// Brazil CNPJ: two weighted mod-11 check digits.
    BrCnpj,
    /// China resident identity number: birth date, ISO 7064 MOD 11-2.
    CnRic,
    /// Germany Steuer-IdNr: ISO 7064 MOD 11,10 and the digit-repetition rule.
    DeSteuerId,
    /// France NIR: 97 - (n mod 97) key, Corsica 2A/2B.
    FrNir,
    /// Turkey TC Kimlik No: two check digits.
    TrTckn,
    /// Italy codice fiscale: shape, month letter, day, omocodia, mod-26 check letter.
    ItCodiceFiscale,
    /// Sweden personnummer / samordningsnummer: date (day + 60), Luhn.
    SePersonnummer,
    /// Finland HETU: date, century sign, mod-31 check character.
    FiHetu,
    /// Denmark CPR: a date that exists, century from the 7th digit (no mod 11).
    DkCpr,
    /// Belgium national register / bis number: date fields, 97 - mod 97 (2000+ with a leading 2).
    BeNrn,
    /// Norway fødselsnummer / D-number: date (day or month + 40), two mod-11 digits.
    NoFnr,
    /// Portugal NIF / NIPC: issued prefix, mod-11 check digit.
    PtNif,
    /// Ireland PPS number: mod-23 check letter, optional W / T / X / A-I second letter.
    IePpsn,
    /// Switzerland AHV / AVS number: 756 prefix, EAN-13 check digit.
    ChAhv,
    /// UK NHS number: mod-11 check digit (10 never issued).
    UkNhs,
    /// Korea resident / foreigner registration number: date, gender digit, check digit before Oct 2020.
    KrRrn,
    /// Singapore NRIC / FIN: S/T/F/G/M prefix, weights 2765432, check letter per prefix.
    SgNric,
    /// South Africa identity number: date, citizenship 0-2, Luhn.
    ZaId,
    /// Canada social insurance number: 9 digits, first not 0 or 8, Luhn.
    CaSin,
    /// Australia tax file number: 8-9 digits, weighted mod 11.
    AuTfn,
    /// Australian business number: 11 digits, first minus 1, weighted mod 89.
    AuAbn,
    /// Australia Medicare card number: first 2-6, weighted mod-10 9th digit.
    AuMedicare,
    /// US ITIN: 9XX, group 50-65 / 70-88 / 90-92 / 94-99.
    UsItin,
    /// India PAN: AAAPA1234A with a known holder-type letter.
    InPan,
    /// Mexico CURP: date, sex, state, consonants, check digit.
    MxCurp,
    /// Chile RUT / RUN: mod-11 check character 0-9 / K.
    ClRut,
    /// Japan My Number: 12 digits, weighted mod-11 check digit.
    JpMyNumber,
    /// Hong Kong identity card: 1-2 letters, 6 digits, mod-11 check (0-9 / A).
    HkId,
    /// Israel Teudat Zehut: 9 digits, Luhn-style check.
    IlTeudatZehut,
}

impl ValidatorKind {
    /// The name rule files spell it with (`Crc32Base62` -> `crc32_base62`),
    /// derived so that a new validator needs no edit here.
    pub fn name(self) -> String {
        let mut out = String::new();
        for (i, c) in format!("{self:?}").chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// How a finding is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorKind {
    /// `[REDACTED:<id>]`.
    #[default]
    Mask,
    /// Keep the last `keep_last` characters.
    Partial,
    /// Keyed HMAC-SHA256 token.
    Hash,
    /// Remove the value (JSON: the member).
    Drop,
}

/// How far an unquoted text value runs for a field rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueExtent {
    /// To whitespace or a delimiter.
    #[default]
    Token,
    /// To the end of the line.
    Line,
}

fn default_distance() -> usize {
    80
}

/// A `[[rule]]` block as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Unique id, `[a-z0-9-]+`.
    pub id: String,
    /// What the rule finds.
    pub description: String,
    /// pii or secret.
    pub category: Category,
    /// How bad a leak is.
    #[serde(default)]
    pub severity: Severity,
    /// Where the format is documented.
    #[serde(default)]
    pub reference: Option<String>,
    /// The pattern (ASCII semantics, bytes).
    pub regex: String,
    /// Capture group that is the sensitive part (0: whole match).
    #[serde(default)]
    pub group: usize,
    /// Case-insensitive literals, one of which must be near a match.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Keywords that count only written in exactly this case (`/Users/`,
    /// where `/users/` is a REST path), for a pattern that matches only
    /// that case: the many lines with the other case then cost nothing.
    #[serde(default)]
    pub exact_keywords: Vec<String>,
    /// How near, in bytes.
    #[serde(default = "default_distance")]
    pub keyword_distance: usize,
    /// A check on each candidate.
    #[serde(default)]
    pub validator: Option<ValidatorKind>,
    /// Minimum Shannon entropy (bits per byte) of the sensitive part.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// Values never redacted.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Patterns of values never redacted (matched against the whole value).
    #[serde(default)]
    pub allow_regex: Vec<String>,
    /// How a finding is replaced.
    #[serde(default)]
    pub operator: OperatorKind,
    /// Characters kept by `partial`.
    #[serde(default)]
    pub keep_last: Option<usize>,
    /// Literal that ends a block continuing over following lines.
    #[serde(default)]
    pub multiline_end: Option<String>,
    /// Texts this rule must find something in.
    #[serde(default)]
    pub must_redact: Vec<String>,
    /// Texts this rule must find nothing in.
    #[serde(default)]
    pub must_keep: Vec<String>,
    /// `false`: an opt-in rule (private IP addresses), compiled only when a
    /// deployment enables it by id; `rules test` and `lint` check it anyway.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// `false`: a numeric value is taken as the rule finds it, without the
    /// context checks that tell a personal number from a timestamp, an id
    /// or a version (for rules whose own label says what the number is).
    #[serde(default = "yes")]
    pub number_checks: bool,
    /// `true`: the format has no keyword or literal to gate on (card
    /// numbers, IBANs, IP addresses), so the rule runs on every line, and
    /// its author says so; `rules lint` then does not warn about it.
    #[serde(default)]
    pub every_line: bool,
}

fn yes() -> bool {
    true
}

/// A `[[field]]` block as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Unique id.
    pub id: String,
    /// What the rule protects.
    pub description: String,
    /// pii or secret.
    pub category: Category,
    /// How bad a leak is.
    #[serde(default)]
    pub severity: Severity,
    /// Where the convention is documented.
    #[serde(default)]
    pub reference: Option<String>,
    /// Key names whose values are redacted.
    pub names: Vec<String>,
    /// Whole keys never matched.
    #[serde(default)]
    pub except: Vec<String>,
    /// Names that match wherever they stand in a key as whole words, not
    /// only at its end: `ssn` then matches `ssn_raw` and `taxpayer_ssn_v2`.
    #[serde(default)]
    pub anywhere: Vec<String>,
    /// Words that, after a name matched by `anywhere`, make the key
    /// describe the value instead of holding it (`token_count`,
    /// `password_policy`, `ssn_verified`).
    #[serde(default)]
    pub metadata_words: Vec<String>,
    /// Values shorter than this many bytes are left alone (`sid:1` is a
    /// server number, not a session id). Default 1.
    #[serde(default)]
    pub min_length: usize,
    /// `false`: an object or array under the key is not taken whole, only
    /// a string or number is (`"user": {"id": 42}` describes a user).
    #[serde(default = "yes")]
    pub nested: bool,
    /// Patterns of values never taken (matched against the whole value):
    /// `system:serviceaccount:.*` is a workload, not a person.
    #[serde(default)]
    pub allow_regex: Vec<String>,
    /// A pattern the whole value must match to be taken (a user name holds
    /// a letter: `user=0` is a numeric uid). Default: any value.
    #[serde(default)]
    pub value_regex: Option<String>,
    /// How a value is replaced.
    #[serde(default)]
    pub operator: OperatorKind,
    /// Characters kept by `partial`.
    #[serde(default)]
    pub keep_last: Option<usize>,
    /// How far an unquoted text value runs.
    #[serde(default)]
    pub value: ValueExtent,
    /// Texts this rule must find something in.
    #[serde(default)]
    pub must_redact: Vec<String>,
    /// Texts this rule must find nothing in.
    #[serde(default)]
    pub must_keep: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    #[serde(default)]
    rule: Vec<Spanned<RuleDef>>,
    #[serde(default)]
    field: Vec<Spanned<FieldDef>>,
}

/// Where a rule was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// File name (`embedded:<name>` for the default pack).
    pub file: Arc<str>,
    /// 1-based line of the rule's block.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A rule of either kind, with its origin.
#[derive(Debug, Clone)]
pub enum RuleEntry {
    /// A pattern rule.
    Pattern(RuleDef, Origin),
    /// A key-name rule.
    Field(FieldDef, Origin),
}

impl RuleEntry {
    /// The rule's id.
    pub fn id(&self) -> &str {
        match self {
            RuleEntry::Pattern(r, _) => &r.id,
            RuleEntry::Field(f, _) => &f.id,
        }
    }
    /// Whether the scanner compiles it: false for an opt-in rule not
    /// enabled.
    pub fn enabled(&self) -> bool {
        match self {
            RuleEntry::Pattern(r, _) => r.enabled,
            RuleEntry::Field(..) => true,
        }
    }
    /// Where the rule was written.
    pub fn origin(&self) -> &Origin {
        match self {
            RuleEntry::Pattern(_, o) | RuleEntry::Field(_, o) => o,
        }
    }
    /// Texts the rule must find something in.
    pub fn must_redact(&self) -> &[String] {
        match self {
            RuleEntry::Pattern(r, _) => &r.must_redact,
            RuleEntry::Field(f, _) => &f.must_redact,
        }
    }
    /// Texts the rule must find nothing in.
    pub fn must_keep(&self) -> &[String] {
        match self {
            RuleEntry::Pattern(r, _) => &r.must_keep,
            RuleEntry::Field(f, _) => &f.must_keep,
        }
    }
}

/// A loaded, not yet compiled, set of rules in load order.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    entries: Vec<RuleEntry>,
}

impl Rules {
    /// No rules.
    pub fn empty() -> Self {
        Rules::default()
    }

    /// The default pack embedded from the workspace's `rules/` folder.
    /// Parsed and checked once per process (every pattern is parsed and
    /// its automaton built, which is most of the cost); later calls clone.
    pub fn embedded() -> Self {
        static EMBEDDED: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                let mut rules = Rules::empty();
                for (name, text) in DEFAULT_RULE_FILES {
                    // The build fails if the embedded pack does not parse (see
                    // the `embedded_pack_loads` test), so this cannot fail at
                    // run time.
                    rules
                        .add_toml(&format!("embedded:{name}"), text)
                        .expect("embedded rule pack parses");
                }
                rules
            })
            .clone()
    }

    /// Names and contents of the embedded rule files.
    pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
        DEFAULT_RULE_FILES
    }

    /// Parses one rule file's text and appends its rules.
    pub fn add_toml(&mut self, file: &str, text: &str) -> Result<&mut Self, Error> {
        let def: FileDef = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            Error::new(ErrorKind::Parse, e.message().trim().to_string()).at(file, line, col)
        })?;
        let origin = |span: std::ops::Range<usize>| {
            let (line, column) = line_col(text, span.start);
            Origin {
                file: Arc::from(file),
                line,
                column,
            }
        };
        let mut entries: Vec<(usize, RuleEntry)> = Vec::new();
        for r in def.rule {
            let start = r.span().start;
            let o = origin(r.span());
            entries.push((start, RuleEntry::Pattern(r.into_inner(), o)));
        }
        for f in def.field {
            let start = f.span().start;
            let o = origin(f.span());
            entries.push((start, RuleEntry::Field(f.into_inner(), o)));
        }
        entries.sort_by_key(|(s, _)| *s);
        self.entries.extend(entries.into_iter().map(|(_, e)| e));
        Ok(self)
    }

    /// Loads a rule file, or every `*.toml` in a folder (sorted by name).
    pub fn add_path(&mut self, path: impl AsRef<Path>) -> Result<&mut Self, Error> {
        let path = path.as_ref();
        let io_err = |e: std::io::Error| {
            Error::new(ErrorKind::Io, "cannot read rules")
                .in_file(&path.display().to_string())
                .with_source(e)
        };
        let meta = std::fs::metadata(path).map_err(io_err)?;
        if meta.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)
                .map_err(io_err)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for f in files {
                self.add_path(&f)?;
            }
        } else {
            let text = std::fs::read_to_string(path).map_err(io_err)?;
            self.add_toml(&path.display().to_string(), &text)?;
        }
        Ok(self)
    }

    /// Every rule in load order.
    pub fn entries(&self) -> &[RuleEntry] {
        &self.entries
    }

    /// Removes the rules with these ids; an id that names no rule is an
    /// error (a typo would otherwise leave a rule on that the user meant off,
    /// or hide that the rule they meant has been renamed).
    pub fn disable<S: AsRef<str>>(&mut self, ids: &[S]) -> Result<&mut Self, Error> {
        for id in ids {
            let id = id.as_ref();
            let before = self.entries.len();
            self.entries.retain(|e| e.id() != id);
            if self.entries.len() == before {
                return Err(
                    Error::new(ErrorKind::Config, "no rule with this id to disable").rule(id),
                );
            }
        }
        Ok(self)
    }

    /// Turns on opt-in rules (`enabled = false`) by id; an id that names no
    /// rule is an error, as for [`Rules::disable`].
    pub fn enable<S: AsRef<str>>(&mut self, ids: &[S]) -> Result<&mut Self, Error> {
        for id in ids {
            let id = id.as_ref();
            let mut found = false;
            for e in self.entries.iter_mut().filter(|e| e.id() == id) {
                found = true;
                if let RuleEntry::Pattern(d, _) = e {
                    d.enabled = true;
                }
            }
            if !found {
                return Err(
                    Error::new(ErrorKind::Config, "no rule with this id to enable").rule(id),
                );
            }
        }
        Ok(self)
    }

    /// Turns on every opt-in rule (for the rule tools, which check them all).
    pub fn enable_all(&mut self) -> &mut Self {
        for e in &mut self.entries {
            if let RuleEntry::Pattern(d, _) = e {
                d.enabled = true;
            }
        }
        self
    }

    /// Appends one rule.
    pub fn push(&mut self, entry: RuleEntry) -> &mut Self {
        self.entries.push(entry);
        self
    }

    /// Keeps only the rules for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&RuleEntry) -> bool) -> &mut Self {
        self.entries.retain(keep);
        self
    }

    /// Replaces earlier rules with later ones of the same id: a deployment's
    /// own file can override one default rule without forking the pack.
    pub fn override_duplicates(&mut self) -> &mut Self {
        let mut seen = std::collections::HashSet::new();
        let mut keep = vec![false; self.entries.len()];
        for (i, e) in self.entries.iter().enumerate().rev() {
            if seen.insert(e.id().to_string()) {
                keep[i] = true;
            }
        }
        let mut it = keep.into_iter();
        self.entries.retain(|_| it.next().unwrap_or(false));
        self
    }
}
