//! Work spread over the machine's cores (wasm-opt runs, compression), results in order.

use anyhow::Result;
use std::sync::Mutex;

/// `f` of every item, run on as many threads as there are cores; the first error wins.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> Result<R> + Sync) -> Result<Vec<R>> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = Mutex::new(0usize);
    let results: Vec<Mutex<Option<Result<R>>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..threads.min(items.len()) {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap();
                    *n += 1;
                    *n - 1
                };
                let Some(item) = items.get(i) else { return };
                *results[i].lock().unwrap() = Some(f(item));
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap().expect("every item was run"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_and_errors_surface() {
        let items: Vec<u32> = (0..20).collect();
        assert_eq!(
            super::map(&items, |i| Ok(i * 2)).unwrap(),
            (0..20).map(|i| i * 2).collect::<Vec<_>>()
        );
        let e = super::map(&items, |i| {
            if *i == 7 {
                anyhow::bail!("seven")
            } else {
                Ok(*i)
            }
        });
        assert_eq!(e.unwrap_err().to_string(), "seven");
    }
}
