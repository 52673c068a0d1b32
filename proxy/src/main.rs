//! The `cloudlink-proxy` binary.

use clap::Parser;

/// mimalloc instead of glibc's malloc: every forwarded call allocates and frees many small
/// buffers (headers, bodies, futures), and glibc's malloc/free were the largest user-space
/// entry of its profile. Only the binary: tests and the library keep the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = match cloudlink_proxy::config::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    // Single-threaded: `server::run` serves on one such runtime per core (see
    // `server::serve_on_threads`), this thread's among them.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime starts");
    let code = runtime.block_on(cloudlink_proxy::server::run(cli));
    // Every line logged, the drain's last ones included, is on stdout before the exit.
    cloudlink_proxy::logwriter::flush();
    std::process::exit(code);
}
