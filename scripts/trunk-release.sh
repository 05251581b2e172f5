#!/usr/bin/env bash
# The release build, trimmed: `bash scripts/trunk-release.sh build` (or
# `serve`, and any further Trunk arguments) runs `trunk build --release`
# with the trims that make the first download smaller (BENCHMARKS.md,
# "Build trims"):
#
# * `--cfg erase_components`: Leptos erases each component's view type
#   (boxes it), so far less generic code is made;
# * the standard library compiled with the app, for size
#   (`-Zbuild-std=std,panic_abort`, `-Zbuild-std-features=optimize_for_size`),
#   and `-Cpanic=immediate-abort`: a panic stops the module at once, with no
#   message (the release build already aborts on a panic and says nothing
#   of where: `.cargo/config.toml`).
#
# They are set here, in Trunk's environment, and nowhere else: Trunk 0.21
# passes cargo no flags of its own, and native `cargo test`, the in-browser
# tests (`cargo test --target wasm32-unknown-unknown`) and cargo-fuzz must
# not see them (the standard library built with panics that abort would
# fail their harnesses). Cargo appends the target's RUSTFLAGS below to
# those in `.cargo/config.toml`. The flags are unstable: RUSTC_BOOTSTRAP
# lets this stable toolchain take them (cargo reads it from its own
# environment; `.cargo/config.toml`'s `[env]` reaches only rustc).
# `scripts/setup.sh` adds `rust-src` and fetches the standard library's own
# crates, since Trunk builds offline.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command="${1:?usage: scripts/trunk-release.sh build|serve [trunk arguments]}"
shift
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort"
exec trunk "$command" --release "$@"
