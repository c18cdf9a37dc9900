//! Broken rules are refused with file, line, column and rule id.

use logscrub_engine::{ErrorKind, Rules, Scanner};

fn build(text: &str) -> Result<Scanner, logscrub_engine::Error> {
    let mut rules = Rules::empty();
    rules.add_toml("team.toml", text)?;
    Scanner::new(&rules)
}

const GOOD_TAIL: &str = "description = \"d\"\ncategory = \"secret\"\n";

#[test]
fn unknown_keys_are_refused_with_their_position() {
    let e = build(&format!(
        "[[rule]]\nid = \"x\"\n{GOOD_TAIL}regex = 'abc'\nallow_regexp = ['x']\n"
    ))
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Parse);
    assert_eq!(e.file(), Some("team.toml"));
    assert_eq!(e.line(), Some(6));
    assert!(e.to_string().contains("allow_regexp"), "{e}");
}

#[test]
fn bad_toml_is_refused_with_line_and_column() {
    let e = build("[[rule]]\nid = \"x\n").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Parse);
    assert_eq!(e.line(), Some(2));
    assert!(e.column().is_some());
}

#[test]
fn look_around_and_backreferences_are_refused_at_load() {
    for pat in [r"(?<=key=)\w+", r"(\w)\1", r"foo(?!bar)"] {
        let text =
            format!("# header\n\n[[rule]]\nid = \"bad-pattern\"\n{GOOD_TAIL}regex = '''{pat}'''\n");
        let e = build(&text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Rule, "{pat}");
        assert_eq!(e.rule_id(), Some("bad-pattern"));
        assert_eq!(e.file(), Some("team.toml"));
        assert_eq!(e.line(), Some(3), "{pat}: {e}");
        assert!(e.to_string().contains("finite automaton"), "{e}");
    }
}

#[test]
fn patterns_beyond_size_limits_are_refused() {
    let e = build(&format!(
        "[[rule]]\nid = \"huge\"\n{GOOD_TAIL}regex = '''(?:[a-z]{{100}}){{1000}}'''\n"
    ))
    .unwrap_err();
    assert_eq!(e.rule_id(), Some("huge"));
}

#[test]
fn empty_matches_duplicates_and_bad_operators_are_refused() {
    let e = build(&format!(
        "[[rule]]\nid = \"empty\"\n{GOOD_TAIL}regex = 'a*'\n"
    ))
    .unwrap_err();
    assert!(e.to_string().contains("empty string"), "{e}");
    let e = build(&format!("[[rule]]\nid = \"d\"\n{GOOD_TAIL}regex = 'abc'\n[[rule]]\nid = \"d\"\n{GOOD_TAIL}regex = 'abd'\n")).unwrap_err();
    assert_eq!(e.line(), Some(6));
    assert!(e.to_string().contains("duplicate"));
    let e = build(&format!(
        "[[rule]]\nid = \"p\"\n{GOOD_TAIL}regex = 'abc'\noperator = \"partial\"\n"
    ))
    .unwrap_err();
    assert!(e.to_string().contains("keep_last"));
    let e = build(&format!(
        "[[rule]]\nid = \"g\"\n{GOOD_TAIL}regex = 'a(b)c'\ngroup = 2\n"
    ))
    .unwrap_err();
    assert!(e.to_string().contains("group 2"));
}

#[test]
fn disabling_an_unknown_rule_is_an_error() {
    let mut rules = Rules::embedded();
    let e = rules.disable(&["no-such-rule"]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}
