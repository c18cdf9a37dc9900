//! Entry points for the fuzz targets in `fuzz/` (not an API): the parsers
//! that take bytes from outside, reached without a network or a disk.

/// The `http` source's body parser: how many events, or why not.
pub fn http_body(data: &[u8]) -> Result<usize, String> {
    crate::sources::http::parse(data).map(|p| p.len())
}

/// The disk buffer's segment reader: the header, the frames after it and
/// every block decoder, on bytes as they might lie on disk (damaged,
/// torn, or written by someone else). Returns how many frames were read.
pub fn buffer_segment(data: &[u8]) -> usize {
    crate::buffer::fuzz_segment(data)
}
