//! The benchmarks' busy disk: a background thread that writes a block and fsyncs it, over
//! and over, on the filesystem under test, as a server's disk is busy with the app's logs
//! or another job's writes. Every fsync of the program measured then waits its turn.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

/// A running background writer; [`BusyDisk::stop`] ends it.
pub struct BusyDisk {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<u64>,
}

impl BusyDisk {
    /// Starts writing 256 KiB blocks into a 16 MiB file in `dir`, each followed by an
    /// `fsync`, until stopped.
    pub fn start(dir: &Path) -> BusyDisk {
        const BLOCK: usize = 256 * 1024;
        let file = File::create(dir.join("busy-disk.bin")).expect("create the busy-disk file");
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut block = vec![0u8; BLOCK];
            let mut fsyncs = 0u64;
            while !stopping.load(Ordering::Relaxed) {
                block[0] = fsyncs as u8;
                let offset = (fsyncs % 64) * BLOCK as u64;
                file.write_all_at(&block, offset)
                    .and_then(|()| file.sync_data())
                    .expect("write the busy-disk file");
                fsyncs += 1;
            }
            fsyncs
        });
        // Let it get going before anything is measured.
        std::thread::sleep(std::time::Duration::from_millis(200));
        BusyDisk { stop, thread }
    }

    /// Stops the writer; returns how many fsyncs it made.
    pub fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("the busy-disk writer")
    }
}

/// The machine's load averages (1, 5 and 15 minutes) from /proc/loadavg.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "unknown".into())
}
