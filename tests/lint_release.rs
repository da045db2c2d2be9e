//! A run that releases file texts (`Input::release_text`, what `tlsgen lint` does without
//! `--fix`) reports exactly what a run that keeps them reports, in every format; a cross-file
//! finding in a released file is placed by reading the file again; a file that changed before
//! the report was written is reported without a quote, never with wrong lines. A file both named
//! and met on a walk is linted once.

use std::path::{Path, PathBuf};

use tlsgen::lint::{self, output, Input, Settings};

const CASES: &[&str] = &[
    "tests/fixtures/influxdb/INFLUX012_influxdb-meta-tls-mismatch/fail",
    "tests/fixtures/telegraf/TGF008_telegraf-https-to-plaintext-influxdb/fail",
    "tests/fixtures/influxdb/INFLUX011_influxdb-unknown-key/fail",
    // Two drop-ins of one unit: a shared group, linted after every file.
    "tests/fixtures/etcd/ETCD011_initial-cluster-mismatch/fail",
    "tests/fixtures_messy",
];

fn run(paths: &[PathBuf], release_text: bool) -> lint::Report {
    let input = Input {
        paths: paths.to_vec(),
        release_text,
        ..Input::default()
    };
    lint::lint(&input, &Settings::default()).expect("the fixtures lint")
}

fn render(report: &lint::Report, format: output::Format) -> String {
    let mut out = Vec::new();
    output::write(report, format, false, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn released_and_kept_texts_give_the_same_report_in_every_format() {
    for case in CASES {
        let path = root().join(case);
        assert!(path.exists(), "{case} is missing");
        let kept = run(std::slice::from_ref(&path), false);
        let released = run(std::slice::from_ref(&path), true);
        assert!(!kept.findings.is_empty(), "{case}: no findings to compare");
        for id in 0..released.sources.len() {
            let f = released.sources.get(id);
            if f.origin().is_some() {
                assert!(f.is_released(), "{}: text still held", f.path);
                assert!(f.text.is_empty());
            }
        }
        for format in [
            output::Format::Human,
            output::Format::Short,
            output::Format::Json,
            output::Format::Sarif,
            output::Format::Github,
        ] {
            assert_eq!(
                render(&kept, format),
                render(&released, format),
                "{case}: {format:?} differs when texts are released"
            );
        }
    }
}

/// The cross-file rules report into files whose texts were released after their own rules ran:
/// their findings still carry the right line and column.
#[test]
fn cross_file_findings_in_released_files_are_placed() {
    let case = root().join(CASES[0]);
    let released = run(std::slice::from_ref(&case), true);
    let cross: Vec<_> = released
        .findings
        .iter()
        .filter(|f| f.rule.code == "INFLUX012")
        .collect();
    assert!(!cross.is_empty(), "INFLUX012 fixture gives no INFLUX012");
    for f in cross {
        let file = released.sources.get(f.span.file);
        let text = std::fs::read_to_string(file.origin().unwrap()).unwrap();
        let pos = f.pos.expect("settled findings have a position");
        let before = &text[..f.span.start];
        assert_eq!(pos.line, before.matches('\n').count() + 1);
        assert!(!text[f.span.start..f.span.end].is_empty());
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

#[test]
fn a_file_changed_before_the_report_is_written_is_not_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join(CASES[2]), tmp.path());
    let report = run(&[tmp.path().to_path_buf()], true);
    assert!(!report.findings.is_empty());
    let file = report.sources.get(report.findings[0].span.file);
    let origin = file.origin().unwrap().to_path_buf();
    let old = std::fs::read_to_string(&origin).unwrap();
    std::fs::write(&origin, format!("# edited meanwhile\n{old}")).unwrap();
    let human = render(&report, output::Format::Human);
    // The place as text (the positions found by the run), no quote of the edited file.
    let first = &report.findings[0];
    let pos = first.pos.unwrap();
    let place = format!("{}:{}:{}:", file.path, pos.line, pos.column);
    assert!(human.contains(&place), "{human}");
    assert!(!human.contains("edited meanwhile"), "{human}");
}

#[test]
fn a_file_named_and_walked_is_linted_once_as_named() {
    let dir = root().join(CASES[2]);
    let file = dir.join("influxdb.conf");
    assert!(file.exists());
    let both = run(&[dir.clone(), file.clone()], true);
    let one = run(std::slice::from_ref(&dir), true);
    assert_eq!(both.files, one.files);
    assert_eq!(
        render(&both, output::Format::Json),
        render(&one, output::Format::Json)
    );
}

/// A tree large enough for the parallel walk, with files over the large-file size (64 KB): they
/// are linted first and one at a time, then the rest; the report is the same on 1 and 2 threads
/// and places the large files' findings on their lines.
#[test]
fn large_files_linted_first_are_reported_in_path_order_on_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let plugin = "[[inputs.cpu]]\n  ## Whether to report per-cpu stats or not\n  percpu = true\n\n";
    let insecure = "[[outputs.influxdb]]\n  urls = [\"https://influxdb.example.com:8086\"]\n  insecure_skip_verify = true\n";
    let large = format!("{}{insecure}", plugin.repeat(1_500));
    assert!(large.len() > 64 * 1024);
    for h in 0..300 {
        let dir = tmp.path().join(format!("h{h:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        let text = if h % 150 == 7 {
            large.clone()
        } else {
            insecure.to_string()
        };
        std::fs::write(dir.join("telegraf.conf"), text).unwrap();
    }
    let lint_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| run(&[tmp.path().to_path_buf()], true))
    };
    let one = lint_on(1);
    let two = lint_on(2);
    assert_eq!(one.files, 300);
    let json = render(&two, output::Format::Json);
    assert_eq!(render(&one, output::Format::Json), json);
    let tgf002: Vec<_> = two
        .findings
        .iter()
        .filter(|f| f.rule.code == "TGF002")
        .collect();
    assert_eq!(tgf002.len(), 300, "one TGF002 per file");
    let paths: Vec<&str> = tgf002
        .iter()
        .map(|f| two.sources.get(f.span.file).path.as_str())
        .collect();
    assert!(
        paths.windows(2).all(|w| w[0] < w[1]),
        "findings in path order"
    );
    let large_line = large.lines().count();
    for f in &tgf002 {
        let path = &two.sources.get(f.span.file).path;
        let expected = if path.contains("h007") || path.contains("h157") {
            large_line
        } else {
            3
        };
        assert_eq!(f.pos.unwrap().line, expected, "{path}");
    }
}
