//! `tlsgen-corpus`: write a deterministic, seeded corpus of files for the lint benchmarks
//! (`scripts/bench.sh`), or a `cluster.yaml` of many hosts for the render benchmark.
//!
//! ```text
//! tlsgen-corpus --out DIR [--count N] [--seed S] [--kinds all|toml|etcd-pod|...]
//! tlsgen-corpus --model HOSTS > cluster.yaml
//! ```
//! Part of the dev-only `tlsgen-dev` crate: `cargo corpus ARGS` (an alias in `.cargo/config.toml`)
//! builds it in release mode and runs it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use tlsgen_dev::corpus::{self, CorpusKind};

const USAGE: &str = "usage: tlsgen-corpus --out DIR [--count N] [--seed S] [--kinds LIST]\n       tlsgen-corpus --model HOSTS\n\
LIST: comma-separated kinds (all, toml, influxdb, influxdb-meta, telegraf, etcd-pod, etcd-dropin, etcd-env, etcdctl, encryption, elastic)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut out: Option<PathBuf> = None;
    let mut count = 1000usize;
    let mut seed = 1u64;
    let mut kinds: Vec<CorpusKind> = CorpusKind::ALL.to_vec();
    let mut model: Option<usize> = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--count" => {
                count = value("--count")?
                    .parse()
                    .map_err(|e| format!("--count: {e}"))?
            }
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--model" => {
                model = Some(
                    value("--model")?
                        .parse()
                        .map_err(|e| format!("--model: {e}"))?,
                )
            }
            "--kinds" => {
                kinds.clear();
                for k in value("--kinds")?.split(',') {
                    kinds.extend(
                        CorpusKind::parse_list(k.trim()).ok_or(format!("unknown kind `{k}`"))?,
                    );
                }
                kinds.sort();
                kinds.dedup();
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if let Some(hosts) = model {
        let mut stdout = std::io::stdout().lock();
        return stdout
            .write_all(corpus::cluster_model(hosts).as_bytes())
            .map_err(|e| format!("cannot write the model: {e}"));
    }
    let out = out.ok_or("--out is required")?;
    let mut bytes = 0usize;
    for f in corpus::generate(seed, &kinds, count) {
        let path = out.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, &f.text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        bytes += f.text.len();
    }
    eprintln!(
        "wrote {count} files ({:.1} MB) under {}",
        bytes as f64 / 1e6,
        out.display()
    );
    Ok(())
}
