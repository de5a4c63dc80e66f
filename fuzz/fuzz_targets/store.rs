//! The store loader on arbitrary bytes: never a panic; whatever loads survives save → load.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promise::store::StoreFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = std::path::Path::new("open.toml");
    if let Ok(file) = StoreFile::parse(path, text) {
        let again = StoreFile::parse(path, &file.to_toml().expect("a loaded store saves"))
            .expect("a saved store loads");
        assert_eq!(again, file);
    }
});
