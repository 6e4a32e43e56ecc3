//! What the person or program watching a deploy sees: human and JSON views of the same
//! events, and secret masking at the sink.

pub mod event;
pub mod human;
pub mod json;
pub mod mask;
pub mod output;
pub mod reporter;
