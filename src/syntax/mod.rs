//! From text to the AST: the pest grammar (grammar/deploy.pest) is read by [`parser`], the
//! only module that sees pest's pairs, into the plain tree of [`ast`].

pub mod ast;
pub mod parser;
