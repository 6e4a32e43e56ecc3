//! Variables: case-insensitive names, the SETLOCAL/ENDLOCAL stack, and the read-time
//! views that let `%VAR%` see a value as it was when its line or block was read.

use std::collections::HashMap;
use std::path::PathBuf;

/// A variable: its name as first written, and its value.
#[derive(Clone, Debug)]
struct Entry {
    name: String,
    value: String,
}

/// What SETLOCAL saves and ENDLOCAL restores.
#[derive(Clone, Debug)]
pub struct Saved {
    map: HashMap<String, Entry>,
    /// The current folder when SETLOCAL ran.
    pub dir: PathBuf,
    /// Delayed expansion when SETLOCAL ran.
    pub delayed: bool,
    /// The CALL depth SETLOCAL ran at: ENDLOCAL only ends its own frame's scopes.
    pub depth: usize,
}

/// The values that `%...%` reads for a line being run: the values when it was read.
#[derive(Debug, Default)]
struct ReadView {
    /// Old values of names changed since the line was read (`None`: it was undefined).
    before: HashMap<String, Option<String>>,
    /// ERRORLEVEL when the line was read.
    errorlevel: i32,
}

/// The interpreter's variables.
#[derive(Debug, Default)]
pub struct Variables {
    map: HashMap<String, Entry>,
    scopes: Vec<Saved>,
    views: Vec<ReadView>,
}

/// The longest value a variable holds, as in Windows.
const MAX_VALUE_CHARS: usize = 32767;

fn key(name: &str) -> String {
    name.to_uppercase()
}

impl Variables {
    /// Variables holding `env`.
    pub fn from_env<'a>(env: impl IntoIterator<Item = (&'a String, &'a String)>) -> Variables {
        let mut variables = Variables::default();
        for (name, value) in env {
            variables.map.insert(
                key(name),
                Entry {
                    name: name.clone(),
                    value: value.clone(),
                },
            );
        }
        variables
    }

    /// The current value of `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(&key(name)).map(|entry| entry.value.as_str())
    }

    /// The value `name` had when the innermost line being run was read.
    pub fn get_read_time(&self, name: &str) -> Option<String> {
        let key = key(name);
        match self.views.last().and_then(|view| view.before.get(&key)) {
            Some(before) => before.clone(),
            None => self.map.get(&key).map(|entry| entry.value.clone()),
        }
    }

    /// ERRORLEVEL when the innermost line being run was read.
    pub fn read_time_errorlevel(&self) -> Option<i32> {
        self.views.last().map(|view| view.errorlevel)
    }

    /// Sets `name` to `value`; an empty value removes it, as in cmd. Values are cut to
    /// cmd's limit of 32767 characters, so no script can grow one without bound.
    pub fn set(&mut self, name: &str, value: &str) {
        let value = match value.char_indices().nth(MAX_VALUE_CHARS) {
            Some((cut, _)) => &value[..cut],
            None => value,
        };
        let key = key(name);
        self.remember(&key);
        if value.is_empty() {
            self.map.remove(&key);
            return;
        }
        match self.map.get_mut(&key) {
            Some(entry) => entry.value = value.to_string(),
            None => {
                self.map.insert(
                    key,
                    Entry {
                        name: name.to_string(),
                        value: value.to_string(),
                    },
                );
            }
        }
    }

    fn remember(&mut self, key: &str) {
        if self.views.is_empty() {
            return;
        }
        let old = self.map.get(key).map(|entry| entry.value.clone());
        for view in &mut self.views {
            view.before
                .entry(key.to_string())
                .or_insert_with(|| old.clone());
        }
    }

    /// Starts reading a line: `%...%` now sees the values as they are now.
    pub fn begin_read(&mut self, errorlevel: i32) {
        self.views.push(ReadView {
            before: HashMap::new(),
            errorlevel,
        });
    }

    /// Ends the line started by the matching [`Variables::begin_read`].
    pub fn end_read(&mut self) {
        self.views.pop();
    }

    /// Every variable, sorted by name as `SET` lists them.
    pub fn sorted(&self) -> Vec<(&str, &str)> {
        let mut all: Vec<(&str, &str)> = self
            .map
            .values()
            .map(|entry| (entry.name.as_str(), entry.value.as_str()))
            .collect();
        all.sort_by_key(|(name, _)| name.to_uppercase());
        all
    }

    /// Every variable, for a child's environment.
    pub fn environment(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map
            .values()
            .map(|entry| (entry.name.as_str(), entry.value.as_str()))
    }

    /// SETLOCAL: saves the variables with the folder and expansion mode.
    pub fn setlocal(&mut self, dir: PathBuf, delayed: bool, depth: usize) {
        self.scopes.push(Saved {
            map: self.map.clone(),
            dir,
            delayed,
            depth,
        });
    }

    /// ENDLOCAL: restores the innermost scope of frame `depth`, if it has one, and returns
    /// what it saved so the caller restores the folder and expansion mode.
    pub fn endlocal(&mut self, depth: usize) -> Option<Saved> {
        if self.scopes.last()?.depth != depth {
            return None;
        }
        let saved = self.scopes.pop()?;
        let keys: Vec<String> = self.map.keys().chain(saved.map.keys()).cloned().collect();
        for key in keys {
            let changed = match (self.map.get(&key), saved.map.get(&key)) {
                (Some(now), Some(then)) => now.value != then.value,
                (None, None) => false,
                _ => true,
            };
            if changed {
                self.remember(&key);
            }
        }
        self.map = saved.map.clone();
        Some(saved)
    }

    /// How many SETLOCAL scopes are open.
    pub fn scope_count(&self) -> usize {
        self.scopes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive_and_scopes_restore() {
        let mut variables = Variables::default();
        variables.set("Path", "a");
        assert_eq!(variables.get("PATH"), Some("a"));
        variables.setlocal(PathBuf::from("/"), false, 0);
        variables.set("path", "b");
        variables.set("NEW", "x");
        assert_eq!(variables.endlocal(1).map(|s| s.depth), None);
        assert!(variables.endlocal(0).is_some());
        assert_eq!(variables.get("path"), Some("a"));
        assert_eq!(variables.get("new"), None);
        assert_eq!(variables.sorted(), vec![("Path", "a")]);
    }

    #[test]
    fn read_time_view_keeps_old_values() {
        let mut variables = Variables::default();
        variables.set("X", "old");
        variables.begin_read(0);
        variables.set("X", "new");
        variables.set("Y", "made");
        assert_eq!(variables.get_read_time("x").as_deref(), Some("old"));
        assert_eq!(variables.get_read_time("y"), None);
        variables.end_read();
        assert_eq!(variables.get_read_time("x").as_deref(), Some("new"));
    }
}
