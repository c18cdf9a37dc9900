//! `${VAR}` and `${VAR:-default}` from the environment, before parsing.

use super::*;

/// Replaces `${VAR}` and `${VAR:-default}`; `$$` is a literal `$`. Values
/// may not contain newlines (they would move the line numbers errors
/// report) and an unset variable with no default is an error.
pub fn interpolate(
    text: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<String, ConfigError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        let Some(body) = after.strip_prefix('{') else {
            out.push('$');
            rest = after;
            continue;
        };
        let line = text[..text.len() - rest.len() + i].matches('\n').count() + 1;
        let end = body
            .find('}')
            .ok_or_else(|| err(format!("line {line}: `${{` without a closing `}}`")))?;
        let expr = &body[..end];
        let (name, default) = match expr.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (expr, None),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(err(format!(
                "line {line}: `${{{expr}}}` is not a variable name"
            )));
        }
        let value = match (lookup(name), default) {
            (Some(v), _) => v,
            (None, Some(d)) => d.to_owned(),
            (None, None) => {
                return Err(err(format!(
                    "line {line}: environment variable {name} is not set"
                )))
            }
        };
        if value.contains('\n') {
            return Err(err(format!(
                "line {line}: environment variable {name} holds a newline"
            )));
        }
        out.push_str(&value);
        rest = &body[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
