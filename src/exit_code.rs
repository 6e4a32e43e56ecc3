//! The exit codes of `run-deploy`, one documented scheme.
//!
//! A deploy script's own exit code is passed through unchanged: a script that ends with
//! `exit /b 1` makes `run-deploy` exit 1. Scripts use small codes (1, 2, ...) for their own
//! failures, so `run-deploy`'s own outcomes use the BSD `sysexits.h` range and the shell's
//! signal convention, which deploy scripts practically never use — except for usage errors,
//! which keep the 2 every command-line tool uses:
//!
//! | code | constant             | meaning                                                  |
//! |------|----------------------|----------------------------------------------------------|
//! | 0    | [`SUCCESS`]          | the script (and post-deployment actions) succeeded       |
//! | 1-63 | (passed through)     | the script's own exit code                               |
//! | 2    | [`USAGE`]            | bad command line (as clap and most Unix tools; `--check` promises it) |
//! | 65   | [`SCRIPT_INVALID`]   | the script does not parse or fails its check (`EX_DATAERR`) |
//! | 66   | [`SCRIPT_NOT_FOUND`] | the script or source folder does not exist (`EX_NOINPUT`) |
//! | 70   | [`INTERNAL`]         | `run-deploy` itself failed: a bug (`EX_SOFTWARE`)        |
//! | 74   | [`STATE_IO`]         | the state folder cannot be read or written (`EX_IOERR`)  |
//! | 75   | [`LOCK_HELD`]        | another deploy holds the lock and `--no-wait` was given (`EX_TEMPFAIL`) |
//! | 130  | [`INTERRUPTED_SIGINT`] | interrupted by SIGINT (Ctrl-C): 128 + 2                |
//! | 143  | [`INTERRUPTED_SIGTERM`] | interrupted by SIGTERM: 128 + 15                      |
//!
//! A script may still `exit /b 65` on purpose; the two cannot be told apart by the number
//! alone. The deployment record (`run-deploy log`) and the `--json` finish event say which
//! it was.

/// The script and every post-deployment action succeeded.
pub const SUCCESS: i32 = 0;
/// The command line was wrong. 2, as clap and most Unix tools use, and as `--check`
/// promises; a script's own `exit /b 2` is told apart by the deployment record.
pub const USAGE: i32 = 2;
/// The script does not parse, or its check found errors (`EX_DATAERR`).
pub const SCRIPT_INVALID: i32 = 65;
/// The script, or the source folder it should be in, does not exist (`EX_NOINPUT`).
pub const SCRIPT_NOT_FOUND: i32 = 66;
/// `run-deploy` itself failed in a way that is a bug (`EX_SOFTWARE`).
pub const INTERNAL: i32 = 70;
/// The deployment state folder could not be read or written (`EX_IOERR`).
pub const STATE_IO: i32 = 74;
/// Another deploy holds the lock and waiting was refused with `--no-wait` (`EX_TEMPFAIL`).
pub const LOCK_HELD: i32 = 75;
/// The deploy was interrupted by SIGINT (Ctrl-C).
pub const INTERRUPTED_SIGINT: i32 = interrupted_by(libc::SIGINT);
/// The deploy was interrupted by SIGTERM.
pub const INTERRUPTED_SIGTERM: i32 = interrupted_by(libc::SIGTERM);

/// The exit code for a deploy interrupted by `signal`: 128 + its number, as shells report it.
pub const fn interrupted_by(signal: i32) -> i32 {
    128 + signal
}

/// A short description of what `code` means when `run-deploy` itself chose it, or `None`
/// when it is a script's own code passed through.
pub fn describe(code: i32) -> Option<&'static str> {
    match code {
        SUCCESS => Some("success"),
        USAGE => Some("usage error"),
        SCRIPT_INVALID => Some("script does not parse or check"),
        SCRIPT_NOT_FOUND => Some("script not found"),
        INTERNAL => Some("internal error"),
        STATE_IO => Some("state folder error"),
        LOCK_HELD => Some("lock held by another deploy"),
        INTERRUPTED_SIGINT => Some("interrupted (SIGINT)"),
        INTERRUPTED_SIGTERM => Some("interrupted (SIGTERM)"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_codes_are_distinct_and_outside_small_script_codes() {
        let codes = [
            USAGE,
            SCRIPT_INVALID,
            SCRIPT_NOT_FOUND,
            INTERNAL,
            STATE_IO,
            LOCK_HELD,
            INTERRUPTED_SIGINT,
            INTERRUPTED_SIGTERM,
        ];
        let mut sorted = codes.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len());
        assert!(codes[1..].iter().all(|&code| code >= 64));
        assert_eq!((INTERRUPTED_SIGINT, INTERRUPTED_SIGTERM), (130, 143));
        assert_eq!(describe(1), None);
        assert_eq!(describe(LOCK_HELD), Some("lock held by another deploy"));
    }
}
