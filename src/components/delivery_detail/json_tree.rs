//! A JSON document as a tree for display, read from the text as sent: numbers keep their
//! exact text (`1.10`, a 23-digit integer), object keys keep their order. Written by hand
//! (about 150 lines) because serde_json's `Value` rounds numbers through f64 unless its
//! `arbitrary_precision` feature is on, and that feature breaks the `flatten` the vendor
//! wire types rely on.

/// One node. Containers hold their children in document order.
#[derive(Clone, Debug, PartialEq)]
pub enum JNode {
    Null,
    Bool(bool),
    /// The number exactly as written.
    Num(String),
    Str(String),
    Arr(Vec<JNode>),
    Obj(Vec<(String, JNode)>),
}

/// Deeper than this is shown as text rather than as a tree (the parser recurses, and the
/// browser gives wasm a small stack).
pub const MAX_DEPTH: usize = 256;

impl JNode {
    /// Reads a JSON text. `Err` says why (and where) it is not JSON.
    pub fn parse(text: &str) -> Result<JNode, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
            text,
        };
        p.ws();
        let v = p.value(0)?;
        p.ws();
        if p.i < p.s.len() {
            return Err(format!(
                "unexpected text after the JSON value at byte {}",
                p.i
            ));
        }
        Ok(v)
    }

    /// From an already-decoded value (numbers as serde_json kept them).
    pub fn from_value(v: &serde_json::Value) -> JNode {
        use serde_json::Value;
        match v {
            Value::Null => JNode::Null,
            Value::Bool(b) => JNode::Bool(*b),
            Value::Number(n) => JNode::Num(n.to_string()),
            Value::String(s) => JNode::Str(s.clone()),
            Value::Array(a) => JNode::Arr(a.iter().map(JNode::from_value).collect()),
            Value::Object(o) => JNode::Obj(
                o.iter()
                    .map(|(k, v)| (k.clone(), JNode::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// How many nodes the tree holds (itself included).
    pub fn count(&self) -> usize {
        match self {
            JNode::Arr(a) => a.iter().map(JNode::count).sum::<usize>().saturating_add(1),
            JNode::Obj(o) => o
                .iter()
                .map(|(_, v)| v.count())
                .sum::<usize>()
                .saturating_add(1),
            _ => 1,
        }
    }

    /// A scalar as shown (strings quoted, numbers exactly as sent).
    pub fn scalar_text(&self) -> String {
        match self {
            JNode::Null => "null".into(),
            JNode::Bool(b) => b.to_string(),
            JNode::Num(n) => n.clone(),
            JNode::Str(s) => serde_json::to_string(s).unwrap_or_default(),
            JNode::Arr(a) => format!("[{} item(s)]", a.len()),
            JNode::Obj(o) => format!("{{{} key(s)}}", o.len()),
        }
    }

    /// The JSON text of this node, numbers as sent.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        let pad = |n: usize| "  ".repeat(n);
        match self {
            JNode::Arr(a) if !a.is_empty() => {
                out.push_str("[\n");
                for (i, v) in a.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    v.write(out, indent + 1);
                    out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push(']');
            }
            JNode::Obj(o) if !o.is_empty() => {
                out.push_str("{\n");
                for (i, (k, v)) in o.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    out.push_str(&serde_json::to_string(k).unwrap_or_default());
                    out.push_str(": ");
                    v.write(out, indent + 1);
                    out.push_str(if i + 1 < o.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push('}');
            }
            JNode::Arr(_) => out.push_str("[]"),
            JNode::Obj(_) => out.push_str("{}"),
            other => out.push_str(&other.scalar_text()),
        }
    }
}

/// The path of a child: `$.name`, `$["odd key"]`, `$[3]`.
pub fn child_path(parent: &str, key: Result<&str, usize>) -> String {
    match key {
        Err(i) => format!("{parent}[{i}]"),
        Ok(k)
            if !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !k.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            format!("{parent}.{k}")
        }
        Ok(k) => format!("{parent}[{}]", serde_json::to_string(k).unwrap_or_default()),
    }
}

/// Paths of the nodes whose key or scalar value contains `q` (lowercase), and of all their
/// ancestors (to open), at most `limit` matches.
pub fn search(
    root: &JNode,
    q: &str,
    limit: usize,
) -> (Vec<String>, std::collections::HashSet<String>) {
    let mut hits = Vec::new();
    let mut open = std::collections::HashSet::new();
    let mut stack: Vec<(&JNode, String, Vec<String>, Option<String>)> =
        vec![(root, "$".to_string(), vec![], None)];
    while let Some((node, path, ancestors, key)) = stack.pop() {
        if hits.len() >= limit {
            break;
        }
        let key_hit = key.as_deref().is_some_and(|k| k.to_lowercase().contains(q));
        let val_hit = match node {
            JNode::Arr(_) | JNode::Obj(_) => false,
            JNode::Str(s) => s.to_lowercase().contains(q),
            other => other.scalar_text().to_lowercase().contains(q),
        };
        if key_hit || val_hit {
            open.extend(ancestors.iter().cloned());
            hits.push(path.clone());
        }
        let mut next = ancestors.clone();
        next.push(path.clone());
        match node {
            JNode::Arr(a) => {
                for (i, v) in a.iter().enumerate().rev() {
                    stack.push((v, child_path(&path, Err(i)), next.clone(), None));
                }
            }
            JNode::Obj(o) => {
                for (k, v) in o.iter().rev() {
                    stack.push((v, child_path(&path, Ok(k)), next.clone(), Some(k.clone())));
                }
            }
            _ => {}
        }
    }
    (hits, open)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        if self.i >= self.s.len() {
            return Err(format!("unexpected end of the text ({what})"));
        }
        Err(format!("{what} at byte {}", self.i))
    }

    fn value(&mut self, depth: usize) -> Result<JNode, String> {
        if depth > MAX_DEPTH {
            return self.err("nested too deep");
        }
        match self.s.get(self.i) {
            None => self.err("unexpected end"),
            Some(b'n') => self.word("null", JNode::Null),
            Some(b't') => self.word("true", JNode::Bool(true)),
            Some(b'f') => self.word("false", JNode::Bool(false)),
            Some(b'"') => self.string().map(JNode::Str),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(JNode::Arr(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(JNode::Arr(items));
                        }
                        _ => return self.err("expected “,” or “]”"),
                    }
                }
            }
            Some(b'{') => {
                self.i += 1;
                let mut fields = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(JNode::Obj(fields));
                }
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&b'"') {
                        return self.err("expected a key");
                    }
                    let k = self.string()?;
                    self.ws();
                    if self.s.get(self.i) != Some(&b':') {
                        return self.err("expected “:”");
                    }
                    self.i += 1;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    fields.push((k, v));
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(JNode::Obj(fields));
                        }
                        _ => return self.err("expected “,” or “}”"),
                    }
                }
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = self.i;
                self.i += 1;
                while self.s.get(self.i).is_some_and(|c| {
                    c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')
                }) {
                    self.i += 1;
                }
                let raw = &self.text[start..self.i];
                // Validate with serde_json's own grammar, but keep the text.
                match serde_json::from_str::<serde_json::Number>(raw) {
                    Ok(_) => Ok(JNode::Num(raw.to_string())),
                    Err(_) => self.err("not a number"),
                }
            }
            Some(_) => self.err("unexpected character"),
        }
    }

    fn word(&mut self, w: &str, v: JNode) -> Result<JNode, String> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(v)
        } else {
            self.err("unexpected word")
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let start = self.i;
        self.i += 1;
        while let Some(c) = self.s.get(self.i) {
            match c {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return serde_json::from_str(&self.text[start..self.i])
                        .map_err(|e| format!("bad string at byte {start}: {e}"));
                }
                _ => self.i += 1,
            }
        }
        self.err("unterminated string")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_exact_text() {
        let t = r#"{"big": 12345678901234567890123, "price": 1.10, "neg": -0.0, "e": 1E+2, "list": [1, 2.50]}"#;
        let n = JNode::parse(t).unwrap();
        let JNode::Obj(f) = &n else { panic!() };
        assert_eq!(f[0].1, JNode::Num("12345678901234567890123".into()));
        assert_eq!(f[1].1, JNode::Num("1.10".into()));
        assert_eq!(f[3].1, JNode::Num("1E+2".into()));
        // Round trip: the text of every number is what was sent.
        let again = JNode::parse(&n.to_json()).unwrap();
        assert_eq!(again, n);
        assert!(n.to_json().contains("12345678901234567890123") && n.to_json().contains("1.10"));
    }

    #[test]
    fn order_strings_and_errors() {
        let n = JNode::parse(r#"{"z": "a\"b\u00e9", "a": [true, null, {}], "": []}"#).unwrap();
        let JNode::Obj(f) = &n else { panic!() };
        assert_eq!(
            f.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["z", "a", ""]
        );
        assert_eq!(f[0].1, JNode::Str("a\"bé".into()));
        assert_eq!(n.count(), 7);
        for bad in ["{", "[1,]", "{\"a\" 1}", "01x", "\"open", "[1] 2", "nul"] {
            assert!(JNode::parse(bad).is_err(), "{bad}");
        }
        let deep = format!("{}1{}", "[".repeat(3000), "]".repeat(3000));
        assert!(JNode::parse(&deep).unwrap_err().contains("too deep"));
    }

    #[test]
    fn paths_and_search() {
        assert_eq!(child_path("$", Ok("name")), "$.name");
        assert_eq!(child_path("$.a", Err(3)), "$.a[3]");
        assert_eq!(child_path("$", Ok("odd key")), "$[\"odd key\"]");
        assert_eq!(child_path("$", Ok("9lives")), "$[\"9lives\"]");
        let n =
            JNode::parse(r#"{"variables": {"name": "Ada", "tier": "gold"}, "list": ["x", "ADA"]}"#)
                .unwrap();
        let (hits, open) = search(&n, "ada", 100);
        assert_eq!(hits, ["$.variables.name", "$.list[1]"]);
        assert!(open.contains("$.variables") && open.contains("$.list") && open.contains("$"));
    }
}
