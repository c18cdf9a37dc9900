//! `logscrub rules test|lint|explain|list|bench`: the security team's tools.
//!
//! Examples are fixtures the rule author wrote (fake by policy), so test and
//! lint output may quote them; `explain` prints rule ids and spans, and the
//! redacted text, never the matched values.
//!
//! One file per subcommand: `check` (test, lint), `explain`, `list`,
//! `bench`; the loading helpers they share are here.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use logscrub_engine::rules::{OperatorKind, ValidatorKind};
use logscrub_engine::{Category, Format, RuleEntry, Rules, Scanner, Severity};

use crate::{Failure, RuleArgs};

/// The default pack, or the given files and folders, as written.
fn load(paths: &[PathBuf]) -> Result<Rules, Failure> {
    if paths.is_empty() {
        return Ok(Rules::embedded());
    }
    let mut rules = Rules::empty();
    for p in paths {
        rules.add_path(p).map_err(Failure::config)?;
    }
    Ok(rules)
}

/// [`load`] with the opt-in rules turned on: test and lint check them too.
fn load_all(paths: &[PathBuf]) -> Result<Rules, Failure> {
    let mut rules = load(paths)?;
    rules.enable_all();
    Ok(rules)
}

fn one_line(s: &str) -> String {
    let s = s.replace('\n', "\\n");
    if s.chars().count() > 120 {
        format!("{}...", s.chars().take(117).collect::<String>())
    } else {
        s
    }
}

mod bench;
mod check;
mod explain;
mod list;

pub(crate) use bench::bench;
pub(crate) use check::{lint, test};
pub(crate) use explain::explain;
pub(crate) use list::list;
// Shared by two subcommands each.
use explain::rank;
use list::kind_name;
