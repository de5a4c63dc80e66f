//! Which archive files are byte-for-byte what this program last wrote, so that closing a
//! promise can append to its year's file without parsing the whole history first.
//!
//! A note in `archive/.verified` records each file's length, modification time and inode right
//! after we wrote it. Any other writer (an editor, a sync tool, a restored backup) changes at
//! least one of them, and the file then gets the careful path: parsed, checked, rewritten. The
//! note is only a hint: missing, stale or unreadable, it costs speed, never safety.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

fn note_path(archive_file: &Path) -> PathBuf {
    archive_file.with_file_name(".verified")
}

fn stamp(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    Some(format!(
        "{} {} {} {}",
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ino()
    ))
}

fn name(path: &Path) -> Option<&str> {
    path.file_name()?.to_str()
}

/// True when `path` is exactly as this program last wrote it.
pub fn unchanged(path: &Path) -> bool {
    let (Some(name), Some(now)) = (name(path), stamp(path)) else {
        return false;
    };
    std::fs::read_to_string(note_path(path))
        .map(|note| {
            note.lines()
                .any(|line| line.split_once(' ') == Some((name, now.as_str())))
        })
        .unwrap_or(false)
}

/// Notes that `path` is as this program just wrote it.
pub fn record(path: &Path) {
    let (Some(name), Some(now)) = (name(path), stamp(path)) else {
        return;
    };
    let note = note_path(path);
    let mut lines: Vec<String> = std::fs::read_to_string(&note)
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.starts_with(&format!("{name} ")))
        .map(str::to_string)
        .collect();
    lines.push(format!("{name} {now}"));
    // A torn note only sends the next close down the careful path.
    let _ = std::fs::write(note, lines.join("\n") + "\n");
}
