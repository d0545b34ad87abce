//! Minifying the joined stylesheet: comments dropped, whitespace collapsed and removed
//! where CSS never needs it (around `{ } ; , >`, before `!`, after `:`), the last `;` of
//! a block dropped. Strings are copied as they are. The stylesheet is part of the first
//! load, and its comments explain the rules to the next engineer, not to the browser.
//!
//! Whitespace before `:` and around `+` `-` `~` `(` `)` stays: it can be meaningful (a
//! descendant pseudo-class, `calc(1px + 2px)`, `and (…)`).

/// `css` without comments and without the whitespace it does not need.
pub fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    // A space is written only when the next character needs it.
    let mut pending_space = false;
    let tight = |c: char| matches!(c, '{' | '}' | ';' | ',' | '>' | '!');
    // No space is needed after these.
    let opens = |c: char| tight(c) || c == ':';
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                pending_space = true;
            }
            '"' | '\'' => {
                if pending_space && !out.is_empty() && !out.ends_with(opens) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
                let mut escaped = false;
                for d in chars.by_ref() {
                    out.push(d);
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => pending_space = true,
            c => {
                if tight(c) {
                    if c == '}' && out.ends_with(';') {
                        out.pop();
                    }
                } else if pending_space && !out.is_empty() && !out.ends_with(opens) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_spare_whitespace_go() {
        let css = "/* vars */\n:root {\n  --a: 1px;\n}\n.a > .b, .c:hover {\n  margin: 0 auto ;\n  width: calc(100% - 8px);\n}\n";
        assert_eq!(
            minify(css),
            ":root{--a:1px}.a>.b,.c:hover{margin:0 auto;width:calc(100% - 8px)}"
        );
    }

    #[test]
    fn meaningful_spaces_and_strings_stay() {
        assert_eq!(minify(".a :hover { x: 1 }"), ".a :hover{x:1}");
        assert_eq!(
            minify(".n li + li::before { content: \"· ; { \"; }"),
            ".n li + li::before{content:\"· ; { \"}"
        );
        assert_eq!(
            minify("@media (max-width: 600px) and (hover: none) {\n .a { b: c !important; }\n}"),
            "@media (max-width:600px) and (hover:none){.a{b:c!important}}"
        );
        assert_eq!(
            minify("a { background: linear-gradient(red, blue) top / 100% 1px no-repeat; }"),
            "a{background:linear-gradient(red,blue) top / 100% 1px no-repeat}"
        );
    }
}
