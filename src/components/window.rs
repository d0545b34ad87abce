//! The arithmetic of a windowed list, in one place for the delivery table and the bulk
//! results: which rows of `n` to put in the DOM for a scroll position, so 100,000 rows
//! scroll like 100. Pure, host-tested.

/// How a list is windowed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// Each row's height in px (the CSS must say the same).
    pub row_height: f64,
    /// Rows rendered above and below the visible ones, so a fast scroll shows no gap.
    pub overscan: usize,
    /// Up to this many rows are all rendered (no window needed; tests read every row).
    pub full_below: usize,
    /// Rows counted as visible at most, whatever the screen height.
    pub max_visible: usize,
}

impl Window {
    /// Rows `[start, end)` of `n` to render when the list is scrolled to `scroll_top` px
    /// and shows `viewport` px of it.
    pub fn rows(&self, n: usize, scroll_top: f64, viewport: f64) -> (usize, usize) {
        if n <= self.full_below {
            return (0, n);
        }
        let h = self.row_height.max(1.0);
        let first = (scroll_top / h).floor().max(0.0) as usize;
        let visible = ((viewport / h).ceil() as usize).clamp(1, self.max_visible.max(1));
        let start = first.saturating_sub(self.overscan).min(n);
        let end = first
            .saturating_add(visible)
            .saturating_add(self.overscan)
            .min(n);
        (start.min(end), end)
    }

    /// Whether a list of `n` rows is windowed at all.
    pub fn windows(&self, n: usize) -> bool {
        n > self.full_below
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Window = Window {
        row_height: 32.0,
        overscan: 20,
        full_below: 150,
        max_visible: 100,
    };

    #[test]
    fn small_lists_render_whole() {
        assert_eq!(W.rows(150, 9_999.0, 500.0), (0, 150));
        assert!(!W.windows(150) && W.windows(151));
    }

    #[test]
    fn the_window_follows_the_scroll_and_stays_in_bounds() {
        assert_eq!(W.rows(100_000, 0.0, 640.0), (0, 40));
        assert_eq!(W.rows(100_000, 3200.0, 640.0), (80, 140));
        assert_eq!(W.rows(1_000, 1e9, 640.0), (1000, 1000));
        assert_eq!(W.rows(1_000, -50.0, 640.0), (0, 40));
        let (a, b) = W.rows(100_000, 0.0, 1e9);
        assert!(b - a <= 120, "the visible part is bounded: {a}..{b}");
        assert_eq!(W.rows(1_000, f64::NAN, f64::NAN), (0, 21));
    }
}
