//! The team tree.

pub mod index;
