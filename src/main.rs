#[cfg(target_arch = "wasm32")]
fn main() {
    carer_plan::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "Carer Support Plan is a web app: build it with `trunk build` (see README.md); \
         `cargo test` runs the native tests."
    );
}
