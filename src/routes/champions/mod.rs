//! The champions page of a wave and its actions (practitioners and admins only).

pub mod actions;
pub mod page;
