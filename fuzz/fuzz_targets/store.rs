//! The store loader on arbitrary bytes: never a panic; whatever loads survives save → load,
//! and an in-place edit of it (as every writer does) says exactly the promises it was given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promise::store::{Doc, StoreFile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = std::path::Path::new("open.toml");
    if let Ok(file) = StoreFile::parse(path, text) {
        let again = StoreFile::parse(path, &file.to_toml().expect("a loaded store saves"))
            .expect("a saved store loads");
        assert_eq!(again, file);
        if let Ok(mut doc) = Doc::parse(path, text.to_string())
            && file.duplicate().is_none()
            && file.version <= 1
        {
            let half = &file.promises[..file.promises.len() / 2];
            let edited = doc.render(half).expect("a file that loads can be edited");
            let reread = StoreFile::parse(path, &edited).expect("an edited file loads");
            assert_eq!(reread.promises, half);
        }
    }
});
