//! The benchmark corpus (`dev/src/corpus.rs`, `cargo corpus`, `scripts/bench.sh`) is
//! deterministic, and the parallel lint engine gives the same report with 1 and 2 threads.

use tlsgen::lint::{self, Input, Settings};
use tlsgen_dev::corpus::{self, CorpusKind};

fn write_corpus(dir: &std::path::Path, seed: u64, count: usize) {
    for f in corpus::generate(seed, &CorpusKind::ALL, count) {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().expect("a file has a parent")).expect("mkdir");
        std::fs::write(&p, &f.text).expect("write");
    }
}

#[test]
fn same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let a: Vec<_> = corpus::generate(42, &CorpusKind::ALL, 60).collect();
    let b: Vec<_> = corpus::generate(42, &CorpusKind::ALL, 60).collect();
    assert_eq!(a, b);
    let c: Vec<_> = corpus::generate(43, &CorpusKind::ALL, 60).collect();
    assert_ne!(a, c);
    // Every kind appears, secure and insecure files both, and paths are unique.
    for kind in CorpusKind::ALL {
        assert!(a.iter().any(|f| f.kind == kind), "{kind:?} missing");
    }
    assert!(a.iter().any(|f| f.insecure) && a.iter().any(|f| !f.insecure));
    let mut paths: Vec<&str> = a.iter().map(|f| f.path.as_str()).collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), a.len());
}

#[test]
fn linting_with_one_and_two_threads_gives_the_same_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_corpus(dir.path(), 7, 180);
    let settings = Settings::default();
    let input = Input {
        paths: vec![dir.path().to_path_buf()],
        ..Input::default()
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let report = pool
            .install(|| lint::lint(&input, &settings).ok())
            .expect("lint runs");
        let mut json = Vec::new();
        lint::output::write(&report, lint::output::Format::Json, false, &mut json)
            .expect("json output");
        (report.files, String::from_utf8(json).expect("utf-8"))
    };
    let (files1, one) = run(1);
    let (files2, two) = run(2);
    assert_eq!(files1, 180);
    assert_eq!(files2, 180);
    // The insecure files of the corpus do produce findings, so the comparison means something.
    assert!(one.matches("\"code\"").count() > 20, "{one}");
    assert_eq!(one, two);
}
