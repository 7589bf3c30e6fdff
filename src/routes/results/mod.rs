//! Results pages: the heatmap with barriers, hotspots and trends, and the sponsor's
//! printable one-pager.

pub mod heatmap;
pub mod report;
pub mod show;
pub mod trend;
