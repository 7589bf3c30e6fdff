//! Shared pieces of the HTML side: page rendering, CSRF, flash messages, error pages
//! response headers, and the count of requests in flight for a graceful stop.

pub mod csrf;
pub mod drain;
pub mod error_pages;
pub mod flash;
pub mod headers;
pub mod page;

pub use page::Page;
