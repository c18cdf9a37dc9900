//! gitleaks patterns are Go (RE2) regexes; the engine's are Rust's. The
//! two agree on almost everything; this translates what they spell
//! differently, and counts capture groups (a rule's `group`).

/// Go (RE2) syntax that Rust's regex spells differently: a `{` that does
/// not start a repetition (`{n}`, `{n,}`, `{n,m}`) and a stray `}` are
/// literals in Go, errors here; inside a class `[` is a literal in Go and
/// `&&` / `~~` have no set meaning.
pub(super) fn go_to_rust(re: &str) -> String {
    let b: Vec<char> = re.chars().collect();
    let mut out = String::with_capacity(re.len() + 8);
    let mut i = 0;
    let mut class = false;
    while i < b.len() {
        let c = b[i];
        match c {
            '\\' => {
                out.push(c);
                if let Some(&n) = b.get(i + 1) {
                    out.push(n);
                }
                i += 2;
                continue;
            }
            '[' if class => {
                if b.get(i + 1) == Some(&':') {
                    // [:alpha:]
                    while i < b.len() {
                        out.push(b[i]);
                        if b[i] == ']' && i > 0 && b[i - 1] == ':' {
                            break;
                        }
                        i += 1;
                    }
                } else {
                    out.push_str("\\[");
                }
            }
            '&' | '~' if class && b.get(i + 1) == Some(&c) => {
                out.push('\\');
                out.push(c);
            }
            '[' => {
                class = true;
                out.push(c);
                if b.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if b.get(i + 1) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            ']' if class => {
                class = false;
                out.push(c);
            }
            '{' if !class => {
                let rest: String = b[i + 1..].iter().take_while(|&&c| c != '}').collect();
                let valid = i + 1 + rest.len() < b.len() && {
                    let (lo, hi) = rest.split_once(',').unwrap_or((&rest, "0"));
                    !lo.is_empty()
                        && lo.chars().all(|c| c.is_ascii_digit())
                        && hi.chars().all(|c| c.is_ascii_digit())
                };
                if valid {
                    out.push('{');
                    out.push_str(&rest);
                    out.push('}');
                    i += rest.len() + 2;
                    continue;
                }
                out.push_str("\\{");
            }
            '}' if !class => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Explicit capture groups in a pattern (0 when it does not parse: the
/// engine then reports the pattern).
pub(super) fn capture_groups(regex: &str) -> usize {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(regex)
        .map_or(0, |h| h.properties().explicit_captures_len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_that_are_not_repetitions_become_literals() {
        assert_eq!(go_to_rust(r"^\$(?:\d+|{\d+})$"), r"^\$(?:\d+|\{\d+\})$");
        assert_eq!(go_to_rust(r"a{2,}b{1,3}[{}\]]{0}"), r"a{2,}b{1,3}[{}\]]{0}");
        assert_eq!(go_to_rust(r"x{,2}"), r"x\{,2\}");
        assert_eq!(go_to_rust(r"a{b}"), r"a\{b\}");
        assert_eq!(go_to_rust(r"a{2"), r"a\{2");
        assert_eq!(go_to_rust(r"}"), r"\}");
    }

    #[test]
    fn classes_keep_posix_names_and_escape_what_rust_reads_as_set_syntax() {
        assert_eq!(go_to_rust(r"[[:alpha:][]x"), r"[[:alpha:]\[]x");
        assert_eq!(go_to_rust(r"[]a]"), r"[\]a]");
        assert_eq!(go_to_rust(r"[^]a]"), r"[^\]a]");
        assert_eq!(go_to_rust(r"[a&&b~~c]"), r"[a\&&b\~~c]");
        // Outside a class `&&` and `~~` are plain text in both.
        assert_eq!(go_to_rust(r"a&&b"), r"a&&b");
        // Escapes pass through untouched, inside a class too.
        assert_eq!(go_to_rust(r"\{[\[]\}"), r"\{[\[]\}");
    }

    #[test]
    fn every_translation_compiles_in_rust() {
        for go in [
            r"^\$(?:\d+|{\d+})$",
            r"[[:alpha:][]x{,2}",
            r"[]a][^]b]",
            r"[a&&b~~c]{3}",
            r"(?i)key\s*=\s*([a-z0-9]{32})",
        ] {
            let rust = go_to_rust(go);
            regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(&rust)
                .unwrap_or_else(|e| panic!("{go} -> {rust}: {e}"));
        }
    }

    #[test]
    fn capture_groups_counts_explicit_groups_only() {
        assert_eq!(capture_groups(r"(?i)key=([a-z]{4})(?:x)"), 1);
        assert_eq!(capture_groups(r"(a)(b(c))"), 3);
        assert_eq!(capture_groups(r"(?P<n>a)"), 1);
        // Look-around does not parse: 0, and the engine reports the pattern.
        assert_eq!(capture_groups(r"a(?=b)"), 0);
    }
}
