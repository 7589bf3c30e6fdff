//! Shared pieces of the HTML side: page rendering, CSRF, flash messages, error pages
//! and response headers.

pub mod csrf;
pub mod error_pages;
pub mod flash;
pub mod headers;
pub mod page;

pub use page::Page;
