//! The console's entry point: trunk builds this binary to wasm and the page
//! calls `main` once loaded.

fn main() {
    cloudlink_web::start();
}
