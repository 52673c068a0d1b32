//! The `cloudlink-proxy` binary.

use clap::Parser;

fn main() {
    let cli = match cloudlink_proxy::config::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime starts");
    let code = runtime.block_on(cloudlink_proxy::server::run(cli));
    std::process::exit(code);
}
