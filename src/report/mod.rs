//! What the person or program watching a deploy sees: human and JSON views of the same
//! events, and secret masking at the sink.

pub mod mask;
