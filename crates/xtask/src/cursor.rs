//! A strict reader of generated JavaScript: it knows the exact token sequence a generator
//! writes (wasm-split-cli's loader, Trunk's inline loader) and says where the text departs
//! from it. Whitespace between tokens is free; everything else must match. It is not a JS
//! parser: an input it does not know is an error, never a guess.

use anyhow::{bail, Result};

pub struct Cursor<'a> {
    /// What is read, for messages ("wasm-split-cli's loader").
    what: &'a str,
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(what: &'a str, text: &'a str) -> Self {
        Cursor { what, text, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// An error at the current place: the line and what is there.
    pub fn error<T>(&self, expected: &str) -> Result<T> {
        let rest = self.rest().trim_start();
        let at = self.text.len() - rest.len();
        let line = self.text[..at].matches('\n').count() + 1;
        let found: String = rest.chars().take(60).collect();
        bail!(
            "{} is not in the form this tool knows: expected {expected} at line {line}, found {found:?}",
            self.what
        )
    }

    pub fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.rest().is_empty()
    }

    /// Whether the next tokens are `tokens` (whitespace-separated), without reading them.
    pub fn peek(&mut self, tokens: &str) -> bool {
        let save = self.pos;
        let ok = self.eat(tokens);
        self.pos = save;
        ok
    }

    /// Reads `tokens` if they come next; whitespace may differ, nothing else.
    pub fn eat(&mut self, tokens: &str) -> bool {
        let save = self.pos;
        for token in tokens.split_whitespace() {
            self.skip_ws();
            if !self.rest().starts_with(token) {
                self.pos = save;
                return false;
            }
            self.pos += token.len();
        }
        true
    }

    /// Reads `tokens`, or fails saying they were expected.
    pub fn expect(&mut self, tokens: &str) -> Result<()> {
        if self.eat(tokens) {
            Ok(())
        } else {
            self.error(&format!("`{tokens}`"))
        }
    }

    /// A name: letters, digits, `_` and `$`.
    pub fn ident(&mut self) -> Result<&'a str> {
        self.skip_ws();
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(rest.len());
        if len == 0 || rest.starts_with(|c: char| c.is_ascii_digit()) {
            return self.error("a name");
        }
        self.pos += len;
        Ok(&rest[..len])
    }

    /// Names separated by commas (a trailing comma allowed) up to `close`, which is read.
    pub fn ident_list(&mut self, close: &str) -> Result<Vec<&'a str>> {
        let mut names = Vec::new();
        while !self.eat(close) {
            names.push(self.ident()?);
            if !self.eat(",") && !self.peek(close) {
                return self.error(&format!("`,` or `{close}`"));
            }
        }
        Ok(names)
    }

    /// A string literal in `'` or `"` without escapes (generated names never need one).
    pub fn string(&mut self) -> Result<&'a str> {
        self.skip_ws();
        let rest = self.rest();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return self.error("a string");
        };
        let Some(end) = rest[1..].find(quote) else {
            return self.error("the end of a string");
        };
        let value = &rest[1..1 + end];
        if value.contains(['\\', '\n']) {
            return self.error("a string without escapes");
        }
        self.pos += end + 2;
        Ok(value)
    }

    /// A `/* … */` comment's text, trimmed.
    pub fn comment(&mut self) -> Result<&'a str> {
        self.expect("/*")?;
        let rest = self.rest();
        let Some(end) = rest.find("*/") else {
            return self.error("`*/`");
        };
        self.pos += end + 2;
        Ok(rest[..end].trim())
    }

    /// Skips a `{ … }` block (the cursor must be at `{`), counting braces outside string
    /// literals; the generated runtime functions have no template literals or regexes,
    /// which would need a real parser.
    pub fn skip_block(&mut self) -> Result<()> {
        self.skip_ws();
        if !self.rest().starts_with('{') {
            return self.error("`{`");
        }
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        for (i, c) in self.rest().char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), '\\') => return self.error("a block without escaped strings"),
                (Some(_), _) => {}
                (None, '`') => return self.error("a block without template literals"),
                (None, '"' | '\'') => quote = Some(c),
                (None, '{') => depth += 1,
                (None, '}') => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += i + 1;
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        self.error("the end of a block")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_whatever_the_whitespace() {
        let mut c = Cursor::new("t", "import {initSync}\n  from \"./a.js\";");
        c.expect("import { initSync } from").unwrap();
        assert_eq!(c.string().unwrap(), "./a.js");
        c.expect(";").unwrap();
        assert!(c.at_end());
    }

    #[test]
    fn a_departure_is_an_error_that_says_where() {
        let mut c = Cursor::new("the loader", "let a = 1;\nlet b = 2;");
        c.expect("let a = 1;").unwrap();
        let e = c.expect("let b = 3;").unwrap_err().to_string();
        assert!(e.contains("the loader"), "{e}");
        assert!(e.contains("line 2"), "{e}");
        assert!(e.contains("`let b = 3;`"), "{e}");
    }

    #[test]
    fn lists_blocks_and_comments() {
        let mut c = Cursor::new("t", "{ a, b_1, $c, } /* x, y */ { if (a) { '}' } } z");
        c.expect("{").unwrap();
        assert_eq!(c.ident_list("}").unwrap(), ["a", "b_1", "$c"]);
        assert_eq!(c.comment().unwrap(), "x, y");
        c.skip_block().unwrap();
        assert_eq!(c.ident().unwrap(), "z");
        assert!(c.at_end());

        assert!(Cursor::new("t", "{ `${x}` }").skip_block().is_err());
        assert!(Cursor::new("t", "\"a\\\"b\"").string().is_err());
        assert!(Cursor::new("t", "a b }").ident_list("}").is_err());
    }
}
