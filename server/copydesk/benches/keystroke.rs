//! Keystroke benchmark (filled in below).

fn main() {}
