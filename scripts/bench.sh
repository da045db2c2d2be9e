#!/usr/bin/env bash
# Whole-process benchmarks of `tlsgen lint` and `tlsgen render` (release build, hyperfine), with
# checkov and taplo run on the same generated corpus in the same run, and the ratios. On demand
# only: not part of scripts/test.sh or CI.
#
#   scripts/bench.sh            print the results table
#   scripts/bench.sh --write    also put the table into BENCHMARKS.md (between the bench markers)
#   scripts/bench.sh --quick    fewer runs, no 10,000-file peers (a smoke test of the script)
#
# Installs what is missing: hyperfine (Debian), checkov and taplo (PyPI, in a virtualenv under
# ~/.cache/tlsgen-bench so the system's Python packages are left alone). Everything else goes to a
# temp dir that is removed at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

write=0
quick=0
for a in "$@"; do
  case "$a" in
    --write) write=1 ;;
    --quick) quick=1 ;;
    *) echo "usage: scripts/bench.sh [--write] [--quick]" >&2; exit 2 ;;
  esac
done

# --- tools ---------------------------------------------------------------------------------------
if ! command -v hyperfine >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends hyperfine >/dev/null
fi
venv="${TLSGEN_BENCH_VENV:-$HOME/.cache/tlsgen-bench/venv}"
if [ ! -x "$venv/bin/checkov" ] || [ ! -x "$venv/bin/taplo" ]; then
  echo "installing checkov and taplo into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet checkov taplo
fi
checkov="$venv/bin/checkov"
taplo="$venv/bin/taplo"

cargo build --release --quiet --features corpus --bin tlsgen --bin tlsgen-corpus
tlsgen="$root/target/release/tlsgen"
corpus="$root/target/release/tlsgen-corpus"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed=1

# --- corpora -------------------------------------------------------------------------------------
# One mixed corpus per size (the same seed: the 1,000-file corpus is the first 1,000 files of the
# 10,000-file one). The peers get the TOML files and the static pods of the 10,000-file corpus.
"$corpus" --out "$tmp/m1" --count 1 --seed $seed 2>/dev/null
"$corpus" --out "$tmp/pod1" --count 1 --seed $seed --kinds etcd-pod 2>/dev/null
"$corpus" --out "$tmp/m1000" --count 1000 --seed $seed 2>/dev/null
"$corpus" --out "$tmp/m10000" --count 10000 --seed $seed 2>/dev/null
mkdir -p "$tmp/toml" "$tmp/pods"
cp -r "$tmp/m10000/influxdb" "$tmp/m10000/telegraf" "$tmp/toml/"
(cd "$tmp/m10000" && find kubernetes -path '*/manifests/etcd.yaml' -exec cp --parents -t "$tmp/pods/" {} +)
# taplo skips .conf files unless a config includes them (TOOLING.md).
printf 'include = ["**/*.conf"]\n' > "$tmp/toml/taplo.toml"
n_toml=$(find "$tmp/toml" -name '*.conf' | wc -l)
n_pods=$(find "$tmp/pods" -name '*.yaml' | wc -l)
"$corpus" --model 1000 > "$tmp/cluster.yaml"
# Let the corpora reach the disk first: the kernel's background writeback of files just written
# would otherwise run during the first timings and be counted against whichever tool runs then.
sync

runs=10
[ $quick -eq 1 ] && runs=3
hf() { # name, then hyperfine arguments; writes $tmp/<name>.json
  local name=$1; shift
  hyperfine --style none --export-json "$tmp/$name.json" "$@" >/dev/null 2>&1
}

# --- tlsgen --------------------------------------------------------------------------------------
# `-i`: lint exits 1 when it finds something, and about one file in four is insecure.
# One file named on the command line, as pre-commit passes it; and one directory holding one
# file (the walk's cost on top).
one_file=$(find "$tmp/m1" -type f | head -1)
one_pod_file=$(find "$tmp/pod1" -type f | head -1)
hf one -N -i --warmup 20 --runs 200 "$tlsgen lint --format short $one_file"
hf one_pod -N -i --warmup 20 --runs 200 "$tlsgen lint --format short $one_pod_file"
hf one_dir -N -i --warmup 20 --runs 200 "$tlsgen lint --format short $tmp/m1"
hf m1000 -i --warmup 2 --runs $runs "$tlsgen lint --format short $tmp/m1000"
hf m10000 -i --warmup 1 --runs $runs "$tlsgen lint --format short $tmp/m10000"
hf m10000_1t -i --warmup 1 --runs $runs "RAYON_NUM_THREADS=1 $tlsgen lint --format short $tmp/m10000"
hf render_list -i --warmup 1 --runs $runs "$tlsgen render $tmp/cluster.yaml --list"
# Each run renders into a new directory; they are removed after the runs (ext4 makes the first
# directory creations after a mass delete slow, which would time the file system, not tlsgen).
mkdir -p "$tmp/renders"
hf render -i --warmup 1 --runs $runs --cleanup "rm -rf $tmp/renders" "$tlsgen render $tmp/cluster.yaml -o \$(mktemp -d -p $tmp/renders)/out"
# The renders wrote and deleted about 14,000 files: flush that before the next timings (sync).
sync
# Peak memory varies by about 1 MB from run to run (which allocations two threads make at the
# same moment): 9 runs, the median and the largest are reported.
: > "$tmp/rss_all"
for _ in 1 2 3 4 5 6 7 8 9; do
  /usr/bin/time -f %M -o "$tmp/rss" "$tlsgen" lint --format short "$tmp/m10000" >/dev/null || true
  tail -1 "$tmp/rss" >> "$tmp/rss_all"
done
rss_kb=$(sort -n "$tmp/rss_all" | sed -n 5p)
rss_max_kb=$(sort -n "$tmp/rss_all" | tail -1)

# --- peers, same run -----------------------------------------------------------------------------
hf toml_tlsgen -i --warmup 1 --runs $runs "$tlsgen lint --format short $tmp/toml"
hf toml_taplo -i --warmup 1 --runs $runs "cd $tmp/toml && $taplo lint --no-schema"
hf pods_tlsgen -i --warmup 3 --runs $runs "$tlsgen lint --format short $tmp/pods"
checks=CKV_K8S_116,CKV_K8S_117,CKV_K8S_118,CKV_K8S_119,CKV_K8S_121
ck_runs=2
pods_ck="$tmp/pods"
if [ $quick -eq 1 ]; then
  # 100 pods only: checkov takes about 20 s per 1,000.
  mkdir -p "$tmp/pods100"
  (cd "$tmp/pods" && find kubernetes -name etcd.yaml | sort | head -100 | xargs cp --parents -t "$tmp/pods100")
  pods_ck="$tmp/pods100"
  ck_runs=1
fi
n_pods_ck=$(find "$pods_ck" -name '*.yaml' | wc -l)
hf pods_checkov -i --runs $ck_runs "$checkov -d $pods_ck --framework kubernetes --check $checks --skip-download --quiet --compact"
hf one_pod_checkov -i --runs $ck_runs "$checkov -f $tmp/pod1/kubernetes/h00000/manifests/etcd.yaml --framework kubernetes --check $checks --skip-download --quiet --compact"

# --- table ---------------------------------------------------------------------------------------
python3 - "$tmp" "$n_toml" "$n_pods" "$n_pods_ck" "$rss_kb" "$rss_max_kb" > "$tmp/table.md" <<'EOF'
import json, sys
tmp, n_toml, n_pods, n_pods_ck, rss_kb, rss_max_kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
def r(name):
    return json.load(open(f"{tmp}/{name}.json"))["results"][0]
def med(name): return r(name)["median"]
def mean(name): return r(name)["mean"]
rows = []
def row(what, files, name, target=""):
    m = med(name)
    rate = f"{files / m:,.0f}" if files else ""
    rows.append(f"| {what} | {files or ''} | {m * 1000:,.1f} ms | ±{r(name)['stddev'] * 1000:,.1f} | {rate} | {target} |")
row("tlsgen lint FILE, 1 file (influxdb.conf), whole process", 1, "one", "≤ 3 ms median")
row("tlsgen lint FILE, 1 file (etcd static pod), whole process", 1, "one_pod", "≤ 3 ms median")
row("tlsgen lint DIR, a directory holding 1 file, whole process", 1, "one_dir")
row("tlsgen lint, mixed corpus", 1000, "m1000")
row("tlsgen lint, mixed corpus", 10000, "m10000", "≥ 15,000 files/s")
row("tlsgen lint, mixed corpus, RAYON_NUM_THREADS=1", 10000, "m10000_1t")
row("tlsgen render --list, model of 1,000 hosts (render in memory)", 0, "render_list", "≤ 0.5 s")
row("tlsgen render, model of 1,000 hosts, 1,259 new files written", 0, "render", "≤ 0.5 s")
row("tlsgen lint, TOML files (influxdb, telegraf)", n_toml, "toml_tlsgen")
row("taplo lint, same TOML files", n_toml, "toml_taplo")
row("tlsgen lint, etcd static pods", n_pods, "pods_tlsgen")
row(f"checkov, etcd checks, static pods", n_pods_ck, "pods_checkov")
row("checkov, etcd checks, 1 static pod", 1, "one_pod_checkov")
toml_ratio = (n_toml / med("toml_tlsgen")) / (n_toml / med("toml_taplo"))
pod_ratio = (n_pods / med("pods_tlsgen")) / (n_pods_ck / med("pods_checkov"))
print("| run | files | median | stddev | files/s | target |")
print("|---|---:|---:|---:|---:|---|")
print("\n".join(rows))
print()
print(f"- TOML: tlsgen / taplo files per second = **{toml_ratio:,.1f}×** (target ≥ 4×)")
print(f"- etcd static pods: tlsgen / checkov files per second = **{pod_ratio:,.0f}×** (target ≥ 250×)")
print(f"- peak memory (max RSS), lint of 10,000 files: **{rss_kb / 1024:,.1f} MB** median of 9 runs, largest {rss_max_kb / 1024:,.1f} MB (target ≤ 20 MB)")
EOF

{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
  echo "$(uname -sr), $(rustc --version), load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Peers: $("$taplo" --version 2>/dev/null | head -1), checkov $("$checkov" --version 2>/dev/null | head -1), $(hyperfine --version)."
  echo
  cat "$tmp/table.md"
} > "$tmp/report.md"
cat "$tmp/report.md"

if [ $write -eq 1 ]; then
  python3 - "$root/BENCHMARKS.md" "$tmp/report.md" <<'EOF'
import sys
path, report = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
a, b = text.index(begin) + len(begin), text.index(end)
open(path, "w").write(text[:a] + "\n" + report + text[b:])
EOF
  echo "BENCHMARKS.md updated" >&2
fi
