//! Integration tests of the `logscrub` binary (one test binary).

mod cli;
mod forward;
mod import;
mod keys;
mod rules_tools;
mod support;
