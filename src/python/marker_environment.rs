//! Environment markers (PEP 508: `python_version < "3.11" and sys_platform == "win32"`)
//! evaluated for the interpreter an env is built with, so that the install step counts
//! only the locked packages that apply there: a Windows-only package is neither added nor
//! kept. A marker this module cannot decide (`platform_release`, a clause it cannot read)
//! is left to the installer, which evaluates it again in any case.

use super::discover::Interpreter;
use super::marker::EnvMarker;
use pep440_rs::{Version, VersionSpecifier};
use std::str::FromStr;

/// The values markers are compared with, for one interpreter on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerEnvironment {
    /// `3.11`.
    python_version: String,
    /// `3.11.7`.
    python_full_version: String,
    /// `CPython`.
    implementation: String,
    /// `linux-x86_64`: the interpreter's platform tag.
    platform: String,
}

impl MarkerEnvironment {
    /// The values for `interpreter`.
    pub fn of_interpreter(interpreter: &Interpreter) -> MarkerEnvironment {
        MarkerEnvironment::new(
            interpreter.version.major,
            interpreter.version.minor,
            interpreter.version.patch,
            &interpreter.implementation,
            &interpreter.platform,
        )
    }

    /// The values for the interpreter an env's marker records.
    pub fn of_env(marker: &EnvMarker) -> MarkerEnvironment {
        MarkerEnvironment::new(
            marker.version.major,
            marker.version.minor,
            marker.version.patch,
            &marker.implementation,
            &marker.platform,
        )
    }

    fn new(
        major: u32,
        minor: u32,
        patch: u32,
        implementation: &str,
        platform: &str,
    ) -> MarkerEnvironment {
        MarkerEnvironment {
            python_version: format!("{major}.{minor}"),
            python_full_version: format!("{major}.{minor}.{patch}"),
            implementation: implementation.to_string(),
            platform: platform.to_string(),
        }
    }

    /// The value of the marker variable `name`, when known.
    fn value(&self, name: &str) -> Option<String> {
        let os = self.platform.split('-').next().unwrap_or("");
        let (sys_platform, system, os_name) = match os {
            "win32" | "win" => ("win32", "Windows", "nt"),
            "macosx" | "darwin" => ("darwin", "Darwin", "posix"),
            "linux" => ("linux", "Linux", "posix"),
            _ => return self.version_value(name),
        };
        Some(match name {
            "sys_platform" => sys_platform.to_string(),
            "platform_system" => system.to_string(),
            "os_name" => os_name.to_string(),
            "platform_machine" => self.platform.rsplit('-').next()?.to_string(),
            _ => return self.version_value(name),
        })
    }

    /// The values that do not depend on the platform.
    fn version_value(&self, name: &str) -> Option<String> {
        Some(match name {
            "python_version" => self.python_version.clone(),
            "python_full_version" | "implementation_version" => self.python_full_version.clone(),
            "implementation_name" => self.implementation.to_ascii_lowercase(),
            "platform_python_implementation" => self.implementation.clone(),
            _ => return None,
        })
    }

    /// Whether `marker` holds here: `None` when it cannot be decided.
    pub fn evaluate(&self, marker: &str) -> Option<bool> {
        let tokens = tokenize(marker)?;
        let mut parser = Parser {
            tokens: &tokens,
            at: 0,
            environment: self,
        };
        let value = parser.or()?;
        (parser.at == tokens.len()).then_some(value)?
    }
}

/// A marker's words: names, quoted strings, operators and parentheses.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Name(String),
    Text(String),
    Operator(String),
    Open,
    Close,
}

fn tokenize(marker: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = marker.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '(' | ')' => {
                chars.next();
                tokens.push(if c == '(' { Token::Open } else { Token::Close });
            }
            '"' | '\'' => {
                chars.next();
                let text: String = chars.by_ref().take_while(|&next| next != c).collect();
                tokens.push(Token::Text(text));
            }
            '<' | '>' | '=' | '!' | '~' => {
                let mut op = String::new();
                while let Some(&next) = chars.peek().filter(|n| "<>=!~".contains(**n)) {
                    op.push(next);
                    chars.next();
                }
                tokens.push(Token::Operator(op));
            }
            c if c.is_ascii_alphanumeric() || c == '_' || c == '.' => {
                let mut word = String::new();
                while let Some(&next) = chars
                    .peek()
                    .filter(|n| n.is_ascii_alphanumeric() || **n == '_' || **n == '.')
                {
                    word.push(next);
                    chars.next();
                }
                tokens.push(Token::Name(word));
            }
            _ => return None,
        }
    }
    Some(tokens)
}

/// Evaluates while it reads, three-valued: `Some(None)` is "cannot be decided".
struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    environment: &'a MarkerEnvironment,
}

impl Parser<'_> {
    fn peek_name(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Name(name)) if name == word)
    }

    /// `and_expr ("or" and_expr)*`.
    fn or(&mut self) -> Option<Option<bool>> {
        let mut value = self.and()?;
        while self.peek_name("or") {
            self.at += 1;
            let right = self.and()?;
            value = match (value, right) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            };
        }
        Some(value)
    }

    /// `atom ("and" atom)*`.
    fn and(&mut self) -> Option<Option<bool>> {
        let mut value = self.atom()?;
        while self.peek_name("and") {
            self.at += 1;
            let right = self.atom()?;
            value = match (value, right) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
        }
        Some(value)
    }

    /// `"(" or ")"` or `value op value`.
    fn atom(&mut self) -> Option<Option<bool>> {
        if self.tokens.get(self.at) == Some(&Token::Open) {
            self.at += 1;
            let value = self.or()?;
            if self.tokens.get(self.at) != Some(&Token::Close) {
                return None;
            }
            self.at += 1;
            return Some(value);
        }
        let left = self.tokens.get(self.at)?.clone();
        self.at += 1;
        let op = match self.tokens.get(self.at)? {
            Token::Operator(op) => op.clone(),
            Token::Name(word) if word == "in" => "in".to_string(),
            Token::Name(word) if word == "not" => {
                self.at += 1;
                if !self.peek_name("in") {
                    return None;
                }
                "not in".to_string()
            }
            _ => return None,
        };
        self.at += 1;
        let right = self.tokens.get(self.at)?.clone();
        self.at += 1;
        Some(self.compare(&left, &op, &right))
    }

    /// One comparison; `None` when a side is unknown.
    fn compare(&self, left: &Token, op: &str, right: &Token) -> Option<bool> {
        // `extra == "x"`: no extras are installed from a lock's main set.
        let is_extra = |token: &Token| matches!(token, Token::Name(name) if name == "extra");
        if is_extra(left) || is_extra(right) {
            return Some(op == "!=" || op == "not in");
        }
        let side = |token: &Token| match token {
            Token::Text(text) => Some((text.clone(), false)),
            Token::Name(name) => Some((self.environment.value(name)?, true)),
            _ => None,
        };
        let ((left_value, left_is_var), (right_value, right_is_var)) = (side(left)?, side(right)?);
        let versioned =
            |token: &Token| matches!(token, Token::Name(name) if name.ends_with("_version"));
        match op {
            "in" => return Some(right_value.contains(&left_value)),
            "not in" => return Some(!right_value.contains(&left_value)),
            _ => {}
        }
        if (versioned(left) || versioned(right)) && left_is_var != right_is_var {
            // The variable on the left: `"3.11" <= python_version` is `python_version >= "3.11"`.
            let (variable, op, wanted) = if left_is_var {
                (left_value, op.to_string(), right_value)
            } else {
                let flipped = match op {
                    "<" => ">",
                    "<=" => ">=",
                    ">" => "<",
                    ">=" => "<=",
                    other => other,
                };
                (right_value, flipped.to_string(), left_value)
            };
            let version = Version::from_str(&variable).ok()?;
            let specifier = VersionSpecifier::from_str(&format!("{op}{wanted}")).ok()?;
            return Some(specifier.contains(&version));
        }
        match op {
            "==" | "===" => Some(left_value == right_value),
            "!=" => Some(left_value != right_value),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linux_311() -> MarkerEnvironment {
        MarkerEnvironment::new(3, 11, 7, "CPython", "linux-x86_64")
    }

    #[test]
    fn markers_from_locks_are_decided_for_the_interpreter() {
        let here = linux_311();
        let cases = [
            ("python_version >= \"3.11\"", Some(true)),
            ("python_version < '3.11'", Some(false)),
            ("'3.12' > python_version", Some(true)),
            ("python_full_version >= \"3.11.8\"", Some(false)),
            ("python_version >= \"3.11\" and sys_platform == \"win32\"", Some(false)),
            ("sys_platform == 'win32' or platform_system == \"Linux\"", Some(true)),
            ("(os_name == \"nt\" or implementation_name == 'pypy') and python_version >= \"3.8\"", Some(false)),
            ("platform_python_implementation == 'CPython'", Some(true)),
            ("platform_machine in 'x86_64 amd64'", Some(true)),
            ("platform_machine not in 'x86_64 amd64'", Some(false)),
            ("extra == 'socks'", Some(false)),
            ("platform_release >= '5'", None),
            ("platform_release >= '5' and sys_platform == 'win32'", Some(false)),
            ("platform_release >= '5' or sys_platform == 'linux'", Some(true)),
            ("python_version ~= '3.8'", Some(true)),
            ("python_version ==", None),
            ("sys_platform == 'linux' junk", None),
        ];
        for (marker, expected) in cases {
            assert_eq!(here.evaluate(marker), expected, "{marker}");
        }
    }
}
