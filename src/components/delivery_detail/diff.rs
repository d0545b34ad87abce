//! A line diff of two texts (longest common subsequence), for comparing two attempts'
//! responses. Pure; host-tested.

/// One line of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    Same(String),
    /// Only in the first text.
    Removed(String),
    /// Only in the second text.
    Added(String),
}

/// More lines than this on either side are not compared line by line (the table would
/// cost too much); the caller says so.
pub const MAX_LINES: usize = 2000;

/// The lines of `a` and `b` in order, each marked as shared or on one side only; `None`
/// when either has more than [`MAX_LINES`] lines.
pub fn lines(a: &str, b: &str) -> Option<Vec<Line>> {
    let x: Vec<&str> = a.lines().collect();
    let y: Vec<&str> = b.lines().collect();
    if x.len() > MAX_LINES || y.len() > MAX_LINES {
        return None;
    }
    // lcs[i][j]: length of the common subsequence of x[i..] and y[j..].
    let (n, m) = (x.len(), y.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if x[i] == y[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n.max(m));
    while i < n && j < m {
        if x[i] == y[j] {
            out.push(Line::Same(x[i].to_string()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(Line::Removed(x[i].to_string()));
            i += 1;
        } else {
            out.push(Line::Added(y[j].to_string()));
            j += 1;
        }
    }
    out.extend(x[i..].iter().map(|l| Line::Removed(l.to_string())));
    out.extend(y[j..].iter().map(|l| Line::Added(l.to_string())));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_what_changed() {
        let d = lines("a\nb\nc\nd", "a\nc\nd\ne").unwrap();
        assert_eq!(
            d,
            vec![
                Line::Same("a".into()),
                Line::Removed("b".into()),
                Line::Same("c".into()),
                Line::Same("d".into()),
                Line::Added("e".into()),
            ]
        );
        assert!(lines("x", "x")
            .unwrap()
            .iter()
            .all(|l| matches!(l, Line::Same(_))));
        assert_eq!(lines("", "new").unwrap(), vec![Line::Added("new".into())]);
        let big = "l\n".repeat(MAX_LINES + 1);
        assert_eq!(lines(&big, "x"), None);
    }

    #[test]
    fn every_line_of_both_sides_is_kept() {
        let a = "{\n  \"status\": \"error\",\n  \"code\": 500\n}";
        let b = "{\n  \"status\": \"ok\"\n}";
        let d = lines(a, b).unwrap();
        let left: Vec<&str> = d
            .iter()
            .filter_map(|l| match l {
                Line::Same(s) | Line::Removed(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let right: Vec<&str> = d
            .iter()
            .filter_map(|l| match l {
                Line::Same(s) | Line::Added(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(left, a.lines().collect::<Vec<_>>());
        assert_eq!(right, b.lines().collect::<Vec<_>>());
    }
}
