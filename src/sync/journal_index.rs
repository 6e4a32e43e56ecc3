//! The journal's index file: one record per line, the kind first, numbers next, the path
//! last (`%`, line breaks escaped as `%XX`), after a header line.

use super::error::SyncError;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The first line of every index.
pub(crate) const HEADER: &str = "deploy-sync-journal 1\n";

/// One line of the index: a change SYNC is about to make.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Record {
    /// An entry is placed at a path where there was none.
    New(PathBuf),
    /// The entry at a path is saved in a slot and replaced.
    Replace(u64, PathBuf),
    /// The entry at a path is moved into a slot.
    Delete(u64, PathBuf),
    /// A folder is created.
    Mkdir(PathBuf),
    /// An empty folder with these permission bits is removed.
    Rmdir(u32, PathBuf),
    /// The journal was committed: nothing to roll back.
    Commit,
}

impl Record {
    /// The record as one line, line break included.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut line = Vec::with_capacity(128);
        match self {
            Record::New(p) => push_fields(&mut line, "new", None, p),
            Record::Replace(n, p) => push_fields(&mut line, "replace", Some(n.to_string()), p),
            Record::Delete(n, p) => push_fields(&mut line, "delete", Some(n.to_string()), p),
            Record::Mkdir(p) => push_fields(&mut line, "mkdir", None, p),
            Record::Rmdir(mode, p) => push_fields(&mut line, "rmdir", Some(format!("{mode:o}")), p),
            Record::Commit => line.extend_from_slice(b"commit"),
        }
        line.push(b'\n');
        line
    }
}

/// Appends `kind [number] path`, the path's `%`, CR and LF escaped as `%XX`.
fn push_fields(line: &mut Vec<u8>, kind: &str, number: Option<String>, path: &Path) {
    line.extend_from_slice(kind.as_bytes());
    if let Some(number) = number {
        line.push(b' ');
        line.extend_from_slice(number.as_bytes());
    }
    line.push(b' ');
    for &byte in path.as_os_str().as_bytes() {
        match byte {
            b'%' | b'\n' | b'\r' => line.extend_from_slice(format!("%{byte:02X}").as_bytes()),
            _ => line.push(byte),
        }
    }
}

/// The path bytes of an escaped field; `None` when an escape is malformed.
fn unescape(bytes: &[u8]) -> Option<PathBuf> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(PathBuf::from(OsStr::from_bytes(&out)))
}

/// Reads the index; a last line without its line break (torn by a crash) is dropped.
pub(crate) fn read_records(index_path: &Path) -> Result<Vec<Record>, SyncError> {
    let bytes =
        std::fs::read(index_path).map_err(|e| SyncError::io("read journal", index_path, e))?;
    let damaged = |why: &str| SyncError::JournalDamaged(index_path.to_path_buf(), why.to_string());
    let body = bytes
        .strip_prefix(HEADER.as_bytes())
        .ok_or_else(|| damaged("it does not start with the journal header"))?;
    let complete = match body.iter().rposition(|&b| b == b'\n') {
        Some(end) => &body[..end],
        None => return Ok(Vec::new()),
    };
    let mut records = Vec::new();
    for line in complete.split(|&b| b == b'\n') {
        let mut fields = line.splitn(2, |&b| b == b' ');
        let kind = fields.next().unwrap_or_default();
        let rest = fields.next().unwrap_or_default();
        let numbered = || -> Option<(u64, PathBuf)> {
            let mut parts = rest.splitn(2, |&b| b == b' ');
            let number = std::str::from_utf8(parts.next()?).ok()?;
            Some((number.parse().ok()?, unescape(parts.next()?)?))
        };
        let record = match kind {
            b"new" => unescape(rest).map(Record::New),
            b"mkdir" => unescape(rest).map(Record::Mkdir),
            b"replace" => numbered().map(|(n, p)| Record::Replace(n, p)),
            b"delete" => numbered().map(|(n, p)| Record::Delete(n, p)),
            b"rmdir" => {
                let mut parts = rest.splitn(2, |&b| b == b' ');
                let mode = parts
                    .next()
                    .and_then(|m| u32::from_str_radix(std::str::from_utf8(m).ok()?, 8).ok());
                mode.zip(parts.next().and_then(unescape))
                    .map(|(m, p)| Record::Rmdir(m, p))
            }
            b"commit" => Some(Record::Commit),
            _ => None,
        };
        records.push(record.ok_or_else(|| {
            damaged(&format!(
                "unreadable record `{}`",
                String::from_utf8_lossy(line)
            ))
        })?);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_with_odd_paths_read_back_and_a_torn_last_line_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let records = [
            Record::New(PathBuf::from("/t/a b%c\nd")),
            Record::Replace(7, PathBuf::from("/t/x y")),
            Record::Rmdir(0o750, PathBuf::from("/t/dir")),
            Record::Commit,
        ];
        let mut bytes = HEADER.as_bytes().to_vec();
        records.iter().for_each(|r| bytes.extend(r.encode()));
        bytes.extend_from_slice(b"delete 3 /t/half-writ");
        let path = dir.path().join("index");
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(read_records(&path).unwrap(), records);
    }
}
