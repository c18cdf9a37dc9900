//! What several sinks share: HTTP plumbing ([`http`]) and the delivery
//! loop with its retries ([`retry`]).

pub mod http;
pub mod retry;
