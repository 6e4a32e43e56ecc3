//! The `~` modifiers of batch parameters and FOR variables (`%~dp0`, `%%~nxf`, `%~z1`,
//! `%~$PATH:1`).

use super::strip_quotes;
use std::path::Path;

/// Applies `~` modifiers (`f d p n x s a t z`, `$VAR:`) to a value naming a path.
/// Without letters the value only loses its quotes.
pub fn path_modifiers(
    value: &str,
    modifiers: &str,
    cwd: &Path,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> String {
    let bare = strip_quotes(value);
    let (letters, search) = match modifiers.find('$') {
        Some(at) => (
            &modifiers[..at],
            Some(modifiers[at + 1..].trim_end_matches(':')),
        ),
        None => (modifiers, None),
    };
    let letters = letters.to_ascii_lowercase();
    if letters.is_empty() && search.is_none() {
        return bare.to_string();
    }
    if bare.is_empty() {
        return String::new();
    }
    let forward = bare.replace('\\', "/");
    let mut full = if Path::new(&forward).is_absolute() {
        std::path::PathBuf::from(&forward)
    } else {
        cwd.join(&forward)
    };
    if let Some(variable) = search {
        let list = lookup(variable).unwrap_or_default();
        let found = list
            .split([';', ':'])
            .filter(|dir| !dir.is_empty())
            .map(|dir| Path::new(dir).join(&forward))
            .find(|candidate| candidate.exists());
        match found {
            Some(found) => full = found,
            None => return String::new(),
        }
    }
    let full = normalize(&full);
    let meta = std::fs::metadata(&full).ok();
    let name = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, extension) = match name.rfind('.') {
        Some(at) if at > 0 => (name[..at].to_string(), name[at..].to_string()),
        _ => (name.clone(), String::new()),
    };
    let mut folder = full
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !folder.ends_with('/') {
        folder.push('/');
    }
    // `%~$PATH:1` alone names the full path found; `f` (and `s` alone) the full path.
    let everything = letters.is_empty()
        || letters.contains('f')
        || letters.contains('s') && !letters.contains(['d', 'p', 'n', 'x']);
    let wants_path = letters.is_empty() || letters.contains(['f', 'd', 'p', 'n', 'x', 's']);
    let mut parts = Vec::new();
    if letters.contains('a') {
        parts.push(match &meta {
            Some(meta) if meta.is_dir() => "d--------".to_string(),
            Some(_) => "--a------".to_string(),
            None => String::new(),
        });
    }
    if letters.contains('t') {
        parts.push(
            meta.as_ref()
                .and_then(|m| m.modified().ok())
                .map(format_time)
                .unwrap_or_default(),
        );
    }
    if letters.contains('z') {
        parts.push(
            meta.as_ref()
                .filter(|m| m.is_file())
                .map(|m| m.len().to_string())
                .unwrap_or_default(),
        );
    }
    let mut path = String::new();
    if everything {
        path = full.to_string_lossy().into_owned();
    } else {
        if letters.contains('p') {
            path.push_str(&folder);
        }
        if letters.contains('n') {
            path.push_str(&stem);
        }
        if letters.contains('x') {
            path.push_str(&extension);
        }
    }
    if wants_path {
        parts.push(path);
    }
    parts.retain(|part| !part.is_empty());
    parts.join(" ")
}

/// `path` with `.` and `..` components resolved textually.
pub fn normalize(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn format_time(time: std::time::SystemTime) -> String {
    let time = time::OffsetDateTime::from(time);
    format!(
        "{:02}/{:02}/{:04} {:02}:{:02}",
        time.month() as u8,
        time.day(),
        time.year(),
        time.hour(),
        time.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_pick_parts_of_a_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.py"), "12345").unwrap();
        let none = |_: &str| None;
        let apply = |modifiers: &str| path_modifiers("\"app.py\"", modifiers, dir.path(), &none);
        let folder = format!("{}/", dir.path().display());
        assert_eq!(apply(""), "app.py");
        assert_eq!(apply("dp"), folder);
        assert_eq!(apply("nx"), "app.py");
        assert_eq!(apply("n"), "app");
        assert_eq!(apply("x"), ".py");
        assert_eq!(apply("z"), "5");
        assert_eq!(apply("f"), format!("{folder}app.py"));
        assert_eq!(apply("a"), "--a------");
        let path = |name: &str| (name == "PATH").then(|| dir.path().display().to_string());
        assert_eq!(
            path_modifiers("app.py", "$PATH:", Path::new("/"), &path),
            format!("{folder}app.py")
        );
    }
}
