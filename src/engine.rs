//! The engine worker's entry point: a second WebAssembly module of this
//! crate, started by the page as a Web Worker (`src/web/engine/`). Today it
//! derives the passphrase keys of share files and backups, so the page never
//! waits on Argon2; the protocol it speaks is `web::engine::protocol`.

#[cfg(target_arch = "wasm32")]
fn main() {
    carer_plan::web::engine::serve();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "The engine is a Web Worker of the web app: build it with `trunk build` (see README.md)."
    );
}
