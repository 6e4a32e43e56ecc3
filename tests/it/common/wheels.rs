//! Test support: pure-Python wheels built on the spot, so tests install real packages with
//! `pip install --no-index --find-links DIR` and never reach the network.
//!
//! Use from a test file with `#[path = "common/wheels.rs"] mod wheels;`.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// A folder of wheels for `--find-links`.
pub struct WheelHouse {
    dir: PathBuf,
    /// The temporary folder the house owns, if it made one.
    _temporary: Option<tempfile::TempDir>,
}

impl WheelHouse {
    /// An empty wheel house in a fresh temporary folder.
    pub fn new() -> Self {
        let temporary = tempfile::tempdir().expect("create wheel house");
        WheelHouse {
            dir: temporary.path().to_path_buf(),
            _temporary: Some(temporary),
        }
    }

    /// An empty wheel house in `dir` (created), which lives as long as its owner keeps it.
    pub fn in_folder(dir: PathBuf) -> Self {
        std::fs::create_dir_all(&dir).expect("create wheel house");
        WheelHouse {
            dir,
            _temporary: None,
        }
    }

    /// The folder to pass as `--find-links` (or PIP_FIND_LINKS).
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Adds `name==version` whose module (`name` with `-` as `_`) holds
    /// `VERSION = "<version>"`, depending on `requires` (Requires-Dist lines).
    pub fn add(&self, name: &str, version: &str, requires: &[&str]) -> PathBuf {
        let module = name.replace('-', "_").to_lowercase();
        let init = format!("VERSION = \"{version}\"\n");
        build_wheel(
            self.path(),
            name,
            version,
            requires,
            &[(format!("{module}/__init__.py"), init)],
        )
    }
}

impl Default for WheelHouse {
    fn default() -> Self {
        Self::new()
    }
}

/// Writes `<name>-<version>-py3-none-any.whl` into `dir` with the given files plus
/// METADATA, WHEEL and RECORD (with real sha256 hashes), and returns its path.
pub fn build_wheel(
    dir: &Path,
    name: &str,
    version: &str,
    requires: &[&str],
    files: &[(String, String)],
) -> PathBuf {
    build_tagged_wheel(dir, "py3", name, version, requires, files)
}

/// As [`build_wheel`], for the Python tag `python` (`py2.py3` for code that also runs on
/// Python 2.7, which installs no `py3` wheel).
pub fn build_tagged_wheel(
    dir: &Path,
    python: &str,
    name: &str,
    version: &str,
    requires: &[&str],
    files: &[(String, String)],
) -> PathBuf {
    let dist = name.replace('-', "_");
    let info = format!("{dist}-{version}.dist-info");
    let mut metadata = format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
    for requirement in requires {
        metadata.push_str(&format!("Requires-Dist: {requirement}\n"));
    }
    let tags: String = python
        .split('.')
        .map(|tag| format!("Tag: {tag}-none-any\n"))
        .collect();
    let wheel = format!(
        "Wheel-Version: 1.0\nGenerator: deploy-script-tests\nRoot-Is-Purelib: true\n{tags}"
    );
    let mut entries: Vec<(String, String)> = files.to_vec();
    entries.push((format!("{info}/METADATA"), metadata));
    entries.push((format!("{info}/WHEEL"), wheel));
    let mut record = String::new();
    for (path, content) in &entries {
        let hash = base64_url(&sha256(content.as_bytes()));
        record.push_str(&format!("{path},sha256={hash},{}\n", content.len()));
    }
    record.push_str(&format!("{info}/RECORD,,\n"));
    entries.push((format!("{info}/RECORD"), record));

    let path = dir.join(format!("{dist}-{version}-{python}-none-any.whl"));
    let file = std::fs::File::create(&path).expect("create wheel");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in &entries {
        zip.start_file(name.as_str(), options).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("finish wheel");
    path
}

/// The sha256 of the file at `path` in hex, as a requirements file's `--hash=sha256:`
/// and a lock file's hashes write it.
pub fn file_sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("read the wheel");
    sha256(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// URL-safe base64 without padding, as wheel RECORD files want.
fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// SHA-256 (FIPS 180-4), enough for RECORD hashes without another dependency.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let choice = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let majority = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(majority);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (state, value) in h.iter_mut().zip(v) {
            *state = state.wrapping_add(value);
        }
    }
    let mut digest = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        digest[4 * i..4 * i + 4].copy_from_slice(&word.to_be_bytes());
    }
    digest
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_and_base64_match_known_values() {
        // The RECORD hash of an empty file, as pip writes it.
        assert_eq!(
            super::base64_url(&super::sha256(b"")),
            "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
        );
        assert_eq!(
            super::base64_url(&super::sha256(b"abc")),
            "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"
        );
    }
}
