//! CPU-bound work over many records spread across the machine's cores.

/// The most threads [`map`] uses: scoring a book is a fraction of a second's work, which
/// more threads than this would spend starting up.
const MOST_THREADS: usize = 4;

/// Fewer items than this are mapped on the calling thread.
const SMALL: usize = 512;

/// `f` over `items`, in their order, on up to four threads (one chunk of the items each). A panic in `f` is raised again on the calling thread, as it would be if the
/// items were mapped there.
pub fn map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MOST_THREADS);
    if threads < 2 || items.len() < SMALL {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<U>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_mapped_once_in_its_order_whatever_the_count() {
        for n in [0, 1, SMALL - 1, SMALL, SMALL + 1, 4 * SMALL + 3, 10_007] {
            let items: Vec<u64> = (0..n as u64).collect();
            let out = map(&items, |x| x * 3 + 1);
            assert_eq!(
                out,
                items.iter().map(|x| x * 3 + 1).collect::<Vec<_>>(),
                "{n} items"
            );
        }
    }

    #[test]
    fn a_panic_in_a_worker_reaches_the_caller() {
        let items: Vec<usize> = (0..4 * SMALL).collect();
        let caught = std::panic::catch_unwind(|| {
            map(&items, |&x| {
                assert!(x != 3 * SMALL, "item {x}");
                x
            })
        });
        assert!(caught.is_err());
    }
}
