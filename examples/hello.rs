//! The start-up floor for `bench/startup.sh`: a Rust program that does nothing but print, built
//! with the same profile and linker settings as `promise`, so the two differ only in what
//! `promise` itself costs before `main` and in it.
fn main() {
    println!("hello");
}
