//! The `changeready` binary: parses the command line and hands over to the library.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    changeready::cli::run().await
}
