//! `rules explain`: which rules match a text, where, and the redacted
//! text (never the matched values).

use super::*;

pub(super) fn rank(scanner: &Scanner, id: &str) -> usize {
    scanner
        .rule_ids()
        .position(|r| r == id)
        .unwrap_or(usize::MAX)
}

pub(crate) fn explain(args: &RuleArgs, text: &str) -> Result<(), Failure> {
    let scanner = args.scanner(logscrub_engine::scanner::DEFAULT_MAX_EVENT_BYTES)?;
    let input = if text == "-" {
        let mut s = Vec::new();
        std::io::stdin()
            .read_to_end(&mut s)
            .map_err(Failure::runtime)?;
        s
    } else {
        text.as_bytes().to_vec()
    };
    let mut r = scanner.lines(Format::Auto);
    for (n, line) in input.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let explained = scanner.explain(line);
        let redacted = r.redact(line);
        if explained.is_empty() && matches!(redacted, std::borrow::Cow::Borrowed(_)) {
            match scanner.gate_reason(line) {
                None => println!(
                    "line {}: no findings (no rule's keyword, key name or shape occurs in it)",
                    n + 1
                ),
                Some(_) => println!(
                    "line {}: no findings (a keyword or shape occurs, but no rule's pattern matches)",
                    n + 1
                ),
            }
            continue;
        }
        println!("line {}:", n + 1);
        for e in &explained {
            println!(
                "  {:<9} {:<32} bytes {}..{}: {}",
                if e.redacted { "redacted" } else { "kept" },
                e.rule,
                e.start,
                e.end,
                e.reason
            );
        }
        if explained.iter().all(|e| !e.redacted) && matches!(redacted, std::borrow::Cow::Owned(_)) {
            println!("  (redacted as a JSON document: a key names the value, or a string inside it holds a finding)");
        }
        println!("  => {}", String::from_utf8_lossy(&redacted));
    }
    Ok(())
}

// ---------------------------------------------------------------- list
