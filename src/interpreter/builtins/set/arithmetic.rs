//! `SET /A`: cmd's 32-bit integer expressions with assignment operators, evaluated by
//! precedence climbing. Variable names in the expression read their values as numbers.

use crate::interpreter::variables::Variables;

/// Why an expression failed, with cmd's message and ERRORLEVEL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithmeticError {
    /// `1 +`
    MissingOperand,
    /// `1 2`
    MissingOperator,
    /// `(1`
    UnbalancedParentheses,
    /// `08`
    InvalidNumber,
    /// `1/0`
    DivideByZero,
}

impl ArithmeticError {
    /// cmd's message.
    pub fn message(self) -> &'static str {
        match self {
            ArithmeticError::MissingOperand => "Missing operand.",
            ArithmeticError::MissingOperator => "Missing operator.",
            ArithmeticError::UnbalancedParentheses => "Unbalanced parenthesis.",
            ArithmeticError::InvalidNumber => {
                "Invalid number.  Numeric constants are either decimal (17), hexadecimal (0x11), or octal (021)."
            }
            ArithmeticError::DivideByZero => "Divide by zero error.",
        }
    }

    /// The ERRORLEVEL cmd leaves.
    pub fn code(self) -> i32 {
        match self {
            ArithmeticError::UnbalancedParentheses => 1073750988,
            ArithmeticError::MissingOperand => 1073750989,
            ArithmeticError::MissingOperator => 1073750990,
            ArithmeticError::InvalidNumber => 1073750991,
            ArithmeticError::DivideByZero => 1073750993,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(i32),
    Name(String),
    Op(&'static str),
    Open,
    Close,
}

const OPERATORS: [&str; 22] = [
    "<<=", ">>=", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "<<", ">>", "=", "*", "/", "%",
    "+", "-", "&", "^", "|", ",",
];

fn tokenize(text: &str) -> Result<Vec<Token>, ArithmeticError> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() || c == '"' {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '(' || c == ')' {
            tokens.push(if c == '(' { Token::Open } else { Token::Close });
            rest = &rest[1..];
            continue;
        }
        if c == '!' || c == '~' {
            tokens.push(Token::Op(if c == '!' { "!" } else { "~" }));
            rest = &rest[1..];
            continue;
        }
        if let Some(op) = OPERATORS.iter().find(|op| rest.starts_with(**op)) {
            tokens.push(Token::Op(op));
            rest = &rest[op.len()..];
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || "()!~=*/%+-&^|,<>\"".contains(c))
            .unwrap_or(rest.len());
        let word = &rest[..end.max(c.len_utf8())];
        rest = &rest[word.len()..];
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            let number = parse_number(word).ok_or(ArithmeticError::InvalidNumber)?;
            tokens.push(Token::Number(number as i32));
        } else {
            tokens.push(Token::Name(word.to_string()));
        }
    }
    Ok(tokens)
}

/// Parses a number as cmd does: decimal, `0x` hexadecimal or leading-`0` octal, with an
/// optional sign. Out-of-range values saturate to 32 bits.
pub fn parse_number(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() {
        return None;
    }
    let value = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().unwrap_or(i64::from(i32::MAX))
    } else {
        return None;
    };
    let value = value.min(i64::from(u32::MAX));
    Some(if negative { -value } else { value })
}

struct Evaluator<'v> {
    tokens: Vec<Token>,
    at: usize,
    vars: &'v mut Variables,
    depth: usize,
}

/// Deeper nesting than this is refused, so no expression can exhaust the stack.
const MAX_DEPTH: usize = 200;

/// Evaluates `expression`, assigning variables as it goes; returns the last value.
pub fn evaluate(expression: &str, vars: &mut Variables) -> Result<i32, ArithmeticError> {
    let tokens = tokenize(expression)?;
    if tokens.is_empty() {
        return Err(ArithmeticError::MissingOperand);
    }
    let mut evaluator = Evaluator {
        tokens,
        at: 0,
        vars,
        depth: 0,
    };
    let value = evaluator.comma()?;
    match evaluator.tokens.get(evaluator.at) {
        None => Ok(value),
        Some(Token::Close) => Err(ArithmeticError::UnbalancedParentheses),
        Some(_) => Err(ArithmeticError::MissingOperator),
    }
}

fn binding(op: &str) -> Option<u8> {
    Some(match op {
        "|" => 1,
        "^" => 2,
        "&" => 3,
        "<<" | ">>" => 4,
        "+" | "-" => 5,
        "*" | "/" | "%" => 6,
        _ => return None,
    })
}

fn apply(op: &str, left: i32, right: i32) -> Result<i32, ArithmeticError> {
    Ok(match op {
        "|" => left | right,
        "^" => left ^ right,
        "&" => left & right,
        "<<" => left.wrapping_shl(right as u32 & 31),
        ">>" => left.wrapping_shr(right as u32 & 31),
        "+" => left.wrapping_add(right),
        "-" => left.wrapping_sub(right),
        "*" => left.wrapping_mul(right),
        "/" | "%" if right == 0 => return Err(ArithmeticError::DivideByZero),
        "/" => left.wrapping_div(right),
        _ => left.wrapping_rem(right),
    })
}

impl Evaluator<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn comma(&mut self) -> Result<i32, ArithmeticError> {
        let mut value = self.assignment()?;
        while self.peek() == Some(&Token::Op(",")) {
            self.at += 1;
            value = self.assignment()?;
        }
        Ok(value)
    }

    fn assignment(&mut self) -> Result<i32, ArithmeticError> {
        if self.depth > MAX_DEPTH {
            return Err(ArithmeticError::UnbalancedParentheses);
        }
        if let (Some(Token::Name(name)), Some(Token::Op(op))) = (
            self.tokens.get(self.at).cloned(),
            self.tokens.get(self.at + 1).cloned(),
        ) {
            if op.ends_with('=') {
                self.at += 2;
                let right = self.assignment()?;
                let value = match op.strip_suffix('=').unwrap_or("") {
                    "" => right,
                    binary => apply(binary, self.variable(&name), right)?,
                };
                self.vars.set(&name, &value.to_string());
                return Ok(value);
            }
        }
        self.binary(1)
    }

    fn binary(&mut self, min: u8) -> Result<i32, ArithmeticError> {
        let mut left = self.unary()?;
        while let Some(Token::Op(op)) = self.peek().cloned() {
            let Some(power) = binding(op) else { break };
            if power < min {
                break;
            }
            self.at += 1;
            let right = self.binary(power + 1)?;
            left = apply(op, left, right)?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<i32, ArithmeticError> {
        self.depth += 1;
        let value = self.unary_inner();
        self.depth -= 1;
        value
    }

    fn unary_inner(&mut self) -> Result<i32, ArithmeticError> {
        if self.depth > MAX_DEPTH {
            return Err(ArithmeticError::UnbalancedParentheses);
        }
        match self.peek().cloned() {
            Some(Token::Op("-")) => {
                self.at += 1;
                Ok(self.unary()?.wrapping_neg())
            }
            Some(Token::Op("+")) => {
                self.at += 1;
                self.unary()
            }
            Some(Token::Op("!")) => {
                self.at += 1;
                Ok(i32::from(self.unary()? == 0))
            }
            Some(Token::Op("~")) => {
                self.at += 1;
                Ok(!self.unary()?)
            }
            Some(Token::Open) => {
                self.at += 1;
                let value = self.comma()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(ArithmeticError::UnbalancedParentheses);
                }
                self.at += 1;
                Ok(value)
            }
            Some(Token::Number(number)) => {
                self.at += 1;
                Ok(number)
            }
            Some(Token::Name(name)) => {
                self.at += 1;
                Ok(self.variable(&name))
            }
            Some(Token::Close) => Err(ArithmeticError::UnbalancedParentheses),
            _ => Err(ArithmeticError::MissingOperand),
        }
    }

    fn variable(&self, name: &str) -> i32 {
        self.vars
            .get(name)
            .and_then(|value| parse_number(value.trim()))
            .unwrap_or(0) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_with_precedence_and_assignments() {
        let mut vars = Variables::default();
        assert_eq!(evaluate("x=2+3*4", &mut vars), Ok(14));
        assert_eq!(vars.get("X"), Some("14"));
        assert_eq!(evaluate("x+=1, y=x<<1", &mut vars), Ok(30));
        assert_eq!(evaluate("(1+2)*-3 % 4", &mut vars), Ok(-1));
        assert_eq!(evaluate("0x10 + 010", &mut vars), Ok(24));
        assert_eq!(
            evaluate("1/0", &mut vars),
            Err(ArithmeticError::DivideByZero)
        );
        assert_eq!(
            evaluate("1 2", &mut vars),
            Err(ArithmeticError::MissingOperator)
        );
        assert_eq!(
            evaluate("1+", &mut vars),
            Err(ArithmeticError::MissingOperand)
        );
    }
}
