//! Killing a deploy as a crash would: run-deploy and every process it started, at once.

/// The pids of `pid`'s descendants, read from /proc.
fn descendants(pid: i32) -> Vec<i32> {
    let parents: Vec<(i32, i32)> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|entry| {
            let child: i32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // `pid (name) state ppid ...`: the name may hold spaces, so read after `)`.
            let parent = stat.rsplit_once(") ")?.1.split(' ').nth(1)?.parse().ok()?;
            Some((child, parent))
        })
        .collect();
    let mut found = vec![pid];
    let mut index = 0;
    while index < found.len() {
        let parent = found[index];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        index += 1;
    }
    found.remove(0);
    found
}

/// Kills run-deploy and every process it started, at once, as a crash of the machine
/// would: stopped first so that it starts nothing more, then all killed.
pub fn kill_tree(child: &mut std::process::Child) {
    let pid = child.id() as i32;
    unsafe { libc::kill(pid, libc::SIGSTOP) };
    for descendant in descendants(pid) {
        unsafe { libc::kill(descendant, libc::SIGKILL) };
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A number from the clock, to vary how long after its point a deploy is killed; printed so
/// that a failing run can be repeated.
pub fn random_delay_ms() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    u64::from(nanos % 40)
}
