//! How times and durations are written in listings, logs and lock messages.

use time::OffsetDateTime;

/// A time as `2026-11-24 14:17:44 UTC`.
pub fn format_time(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A duration as `0.42s`, `12.3s`, `2m05s` or `1h02m`.
pub fn format_duration(duration: time::Duration) -> String {
    let seconds = duration.as_seconds_f64().max(0.0);
    if seconds < 10.0 {
        format!("{seconds:.2}s")
    } else if seconds < 60.0 {
        format!("{seconds:.1}s")
    } else if seconds < 3600.0 {
        let whole = seconds as u64;
        format!("{}m{:02}s", whole / 60, whole % 60)
    } else {
        let whole = seconds as u64;
        format!("{}h{:02}m", whole / 3600, whole % 3600 / 60)
    }
}
