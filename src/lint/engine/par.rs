//! The one parallel map of the engine: no thread pool is started for a single item.

/// `items.map(f)` in parallel, or on the calling thread when there is at most one item (a run over
/// one file starts no thread pool).
pub(super) fn maybe_par<T: Send, R: Send>(
    items: Vec<T>,
    f: impl Fn(T) -> R + Sync + Send,
) -> Vec<R> {
    use rayon::prelude::*;
    if items.len() <= 1 {
        items.into_iter().map(f).collect()
    } else {
        items.into_par_iter().map(f).collect()
    }
}
