//! Engine integration tests (one test binary: see STYLE.md).

mod fakes;

mod contexts;
mod errors;
mod operators;
mod properties;
