//! Credentials in the configuration: [`Secret`] (never printed), read
//! from the config or from a `*_file`, and the sinks' HTTP [`Auth`].

use super::*;

/// A credential. `Debug` and `Display` print `**REDACTED**`; the value is
/// reached only through [`Secret::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("**REDACTED**")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("**REDACTED**")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// A credential given inline (`x = "..."`, usually `"${VAR}"`) or as a
/// file (`x_file = "/run/secrets/..."`, read at start-up, trailing
/// newline removed).
pub fn resolve_secret(
    what: &str,
    inline: &Option<Secret>,
    file: &Option<PathBuf>,
) -> anyhow::Result<Option<Secret>> {
    match (inline, file) {
        (Some(_), Some(_)) => anyhow::bail!("give {what} or {what}_file, not both"),
        (Some(s), None) => Ok(Some(s.clone())),
        (None, Some(p)) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("cannot read {what}_file {}: {e}", p.display()))?;
            let text = text.trim_end_matches(['\n', '\r']);
            if text.is_empty() {
                anyhow::bail!("{what}_file {} is empty", p.display());
            }
            Ok(Some(Secret(text.to_owned())))
        }
        (None, None) => Ok(None),
    }
}

/// HTTP authentication for sinks.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "strategy", rename_all = "snake_case", deny_unknown_fields)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// The token.
        token: Option<Secret>,
        /// A file holding the token.
        token_file: Option<PathBuf>,
    },
    /// `Authorization: Basic ...`.
    Basic {
        /// User name.
        user: String,
        /// Password.
        password: Option<Secret>,
        /// A file holding the password.
        password_file: Option<PathBuf>,
    },
}
