//! Integration tests of the forwarder.
