//! Initiative pages: list, create, show and edit, survey wording.

pub mod index;
pub mod show;
pub mod survey;
