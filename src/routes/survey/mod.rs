//! The answering page behind the emailed link, `GET/POST /s/{token}`: no login.

pub mod answer;
