//! In-process hot paths of `tlsgen lint` and `tlsgen render`: parse per syntax, the whole
//! pipeline (detect, parse, view, every rule, suppressions) per kind of file, a mixed corpus of
//! 1,000 files on disk with 1 and 2 threads, and the render of a model of 1,000 hosts.
//!
//! `cargo bench --bench lint`; whole-process timings and the peers are in `scripts/bench.sh`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tlsgen::lint::{self, parse, Input, Settings};
use tlsgen_dev::corpus::{self, CorpusKind};

const SEED: u64 = 1;

fn parse_per_syntax(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for kind in [
        CorpusKind::Influxdb,
        CorpusKind::Telegraf,
        CorpusKind::EtcdPod,
        CorpusKind::EtcdDropin,
        CorpusKind::EtcdEnv,
        CorpusKind::Elastic,
    ] {
        let f = corpus::file(SEED, &[kind], 0);
        g.throughput(Throughput::Bytes(f.text.len() as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(kind.name()),
            &f.text,
            |b, text| {
                b.iter(|| match kind {
                    CorpusKind::Influxdb | CorpusKind::Telegraf => {
                        black_box(parse::toml::parse(text).is_ok());
                    }
                    CorpusKind::EtcdPod => {
                        black_box(parse::yaml::parse(text, false).map(|d| d.len()).ok());
                    }
                    CorpusKind::Elastic => {
                        black_box(parse::yaml::parse(text, true).map(|d| d.len()).ok());
                    }
                    CorpusKind::EtcdDropin => {
                        black_box(parse::systemd::parse(text));
                    }
                    _ => {
                        black_box(parse::envfile::parse(text).map(|e| e.len()).ok());
                    }
                })
            },
        );
    }
    g.finish();
}

/// One file through the whole engine (as stdin, so no I/O), per kind.
fn lint_per_kind(c: &mut Criterion) {
    let settings = Settings::default();
    let mut g = c.benchmark_group("lint_one");
    for kind in CorpusKind::ALL {
        // A secure and an insecure file of the kind, alternating.
        let files: Vec<_> = corpus::generate(SEED, &[kind], 8).collect();
        g.throughput(Throughput::Elements(1));
        g.bench_function(kind.name(), |b| {
            let mut i = 0;
            b.iter(|| {
                let f = &files[i % files.len()];
                i += 1;
                let input = Input {
                    stdin: Some((f.path.clone(), f.text.clone())),
                    ..Input::default()
                };
                black_box(lint::lint(&input, &settings).map(|r| r.findings.len()).ok())
            })
        });
    }
    g.finish();
}

/// 1,000 mixed files written to a temp dir, linted with 1 and 2 threads.
fn lint_corpus(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let n = 1000;
    for f in corpus::generate(SEED, &CorpusKind::ALL, n) {
        let p = dir.path().join(&f.path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, &f.text).expect("write");
    }
    let settings = Settings::default();
    let input = Input {
        paths: vec![dir.path().to_path_buf()],
        ..Input::default()
    };
    let mut g = c.benchmark_group("lint_corpus_1000");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        g.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| {
                pool.install(|| black_box(lint::lint(&input, &settings).map(|r| r.files).ok()))
            })
        });
    }
    g.finish();
}

/// Load and render a generated model of 1,000 hosts.
fn render_hosts(c: &mut Criterion) {
    let model = corpus::cluster_model(1000);
    let templates = tlsgen::render::Templates::load(None).expect("built-in templates");
    let mut g = c.benchmark_group("render");
    g.sample_size(10);
    g.bench_function("hosts_1000", |b| {
        b.iter(|| {
            let loaded = tlsgen::model::load_str("cluster.yaml", &model).expect("valid model");
            let artifacts = tlsgen::render::render(
                &loaded.cluster,
                "cluster.yaml",
                &templates,
                &tlsgen::render::Selection::default(),
            )
            .expect("renders");
            black_box(artifacts.len())
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    parse_per_syntax,
    lint_per_kind,
    lint_corpus,
    render_hosts
);
criterion_main!(benches);
