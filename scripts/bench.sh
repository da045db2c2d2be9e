#!/usr/bin/env bash
# Whole-process benchmarks of `tlsgen lint` and `tlsgen render` (release build, hyperfine), with
# checkov and taplo run on the same generated corpus in the same run, and the ratios. On demand
# only: not part of scripts/test.sh or CI.
#
#   scripts/bench.sh            print the results table
#   scripts/bench.sh --write    also put the table into BENCHMARKS.md (between the bench markers)
#   scripts/bench.sh --quick    fewer runs, no 10,000-file peers (a smoke test of the script)
#
#   TLSGEN_BASELINE=/path/to/old/tlsgen scripts/bench.sh
#                               also time an older tlsgen binary in the same run, on the same
#                               files (one file, 10,000 files, peak memory), and print the ratios
#
# One file is measured against `file-len` (dev/src/bin/file-len.rs: reads the file and prints its
# length, built with the same release profile): the two, and the baseline when given, run in
# alternating hyperfine rounds, the order reversed every other round, so a change of machine
# state hits them alike. Peak memory is measured at 10,000 files and at 100,000 generated files.
#
# Installs what is missing: hyperfine (Debian), checkov and taplo (PyPI, in a virtualenv under
# ~/.cache/tlsgen-bench so the system's Python packages are left alone). Everything else goes to a
# temp dir that is removed at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

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

baseline="${TLSGEN_BASELINE:-}"
if [ -n "$baseline" ]; then
  baseline=$(realpath "$baseline")
  [ -x "$baseline" ] || { echo "TLSGEN_BASELINE: $baseline is not an executable" >&2; exit 2; }
fi

# The corpus generator and the one-file reference come from the dev-only crate (dev/); the
# workspace's release profile builds all three.
cargo build --release --quiet --bin tlsgen
cargo build --release --quiet --package tlsgen-dev --bin tlsgen-corpus --bin file-len
target_dir="${CARGO_TARGET_DIR:-$root/target}"
tlsgen="$target_dir/release/tlsgen"
corpus="$target_dir/release/tlsgen-corpus"
filelen="$target_dir/release/file-len"

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
# For the growth of peak memory with the number of files (20,000 with --quick).
n_big=100000
[ $quick -eq 1 ] && n_big=20000
"$corpus" --out "$tmp/mbig" --count $n_big --seed $seed 2>/dev/null
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
rounds=5
[ $quick -eq 1 ] && runs=3 && rounds=2
hf() { # name, then hyperfine arguments; writes $tmp/<name>.json
  local name=$1; shift
  hyperfine --style none --export-json "$tmp/$name.json" "$@" >/dev/null 2>&1
}
# rounds NAME N OPTIONS... ::: COMMANDS...: N hyperfine runs over the same commands, in reverse
# order every other round; writes $tmp/NAME.<i>.json (the table merges the rounds' times).
rounds() {
  local name=$1 n=$2 i j
  shift 2
  local opts=() cmds=() order
  while [ "$1" != ":::" ]; do opts+=("$1"); shift; done
  shift
  cmds=("$@")
  for ((i = 0; i < n; i++)); do
    order=()
    if ((i % 2)); then
      for ((j = ${#cmds[@]} - 1; j >= 0; j--)); do order+=("${cmds[j]}"); done
    else
      order=("${cmds[@]}")
    fi
    hf "$name.$i" "${opts[@]}" "${order[@]}"
  done
}
# The baseline's form of a command, when there is a baseline: `old "$tlsgen ..."`.
old() {
  [ -n "$baseline" ] && printf '%s\n' "${1/#"$tlsgen"/"$baseline"}"
  return 0
}

# --- tlsgen --------------------------------------------------------------------------------------
# `-i`: lint exits 1 when it finds something, and about one file in four is insecure.
# One file named on the command line, as pre-commit passes it; and one directory holding one
# file (the walk's cost on top).
one_file=$(find "$tmp/m1" -type f | head -1)
one_pod_file=$(find "$tmp/pod1" -type f | head -1)
# Each of the one-file runs: 200 timings in all per command (fewer with --quick), next to
# `file-len` on the same file and the baseline.
one_runs=$((200 / rounds))
[ $quick -eq 1 ] && one_runs=40
one_cmd="$tlsgen lint --format short $one_file"
one_pod_cmd="$tlsgen lint --format short $one_pod_file"
mapfile -t one_old < <(old "$one_cmd")
mapfile -t one_pod_old < <(old "$one_pod_cmd")
rounds one $rounds -N -i --warmup 10 --runs $one_runs ::: "$one_cmd" "$filelen $one_file" "${one_old[@]}"
rounds one_pod $rounds -N -i --warmup 10 --runs $one_runs ::: "$one_pod_cmd" "$filelen $one_pod_file" "${one_pod_old[@]}"
hf one_dir -N -i --warmup 20 --runs 200 "$tlsgen lint --format short $tmp/m1"
hf m1000 -i --warmup 2 --runs $runs "$tlsgen lint --format short $tmp/m1000"
m10000_cmd="$tlsgen lint --format short $tmp/m10000"
mapfile -t m10000_old < <(old "$m10000_cmd")
rounds m10000 2 -i --warmup 1 --runs $runs ::: "$m10000_cmd" "${m10000_old[@]}"
hf m10000_1t -i --warmup 1 --runs $runs "RAYON_NUM_THREADS=1 $tlsgen lint --format short $tmp/m10000"
hf render_list -i --warmup 1 --runs $runs "$tlsgen render $tmp/cluster.yaml --list"
# Each run renders into a new directory; they are removed after the runs (ext4 makes the first
# directory creations after a mass delete slow, which would time the file system, not tlsgen).
mkdir -p "$tmp/renders"
hf render -i --warmup 1 --runs $runs --cleanup "rm -rf $tmp/renders" "$tlsgen render $tmp/cluster.yaml -o \$(mktemp -d -p $tmp/renders)/out"
# The renders wrote and deleted about 14,000 files: flush that before the next timings (sync).
sync
# Peak memory varies by about 1 MB from run to run (which allocations two threads make at the
# same moment): 9 runs at 10,000 files and 5 at 100,000 (3 and 3 with --quick), the baseline's
# alternating with tlsgen's; the median and the largest are reported. `%e %M`: wall seconds, KB.
rss() { # name, runs, binary, directory: appends "seconds KB" lines to $tmp/rss_<name>
  local name=$1 n=$2 bin=$3 dir=$4 i
  for ((i = 0; i < n; i++)); do
    /usr/bin/time -f '%e %M' -o "$tmp/rss" "$bin" lint --format short "$dir" >/dev/null 2>&1 || true
    tail -1 "$tmp/rss" >> "$tmp/rss_$name"
  done
}
rss_runs=9
big_runs=5
[ $quick -eq 1 ] && rss_runs=3 && big_runs=3
: > "$tmp/rss_new10k"; : > "$tmp/rss_old10k"; : > "$tmp/rss_newbig"; : > "$tmp/rss_oldbig"
for ((k = 0; k < rss_runs; k++)); do
  rss new10k 1 "$tlsgen" "$tmp/m10000"
  [ -z "$baseline" ] || rss old10k 1 "$baseline" "$tmp/m10000"
done
sync
for ((k = 0; k < big_runs; k++)); do
  rss newbig 1 "$tlsgen" "$tmp/mbig"
  [ -z "$baseline" ] || rss oldbig 1 "$baseline" "$tmp/mbig"
done

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
python3 - "$tmp" "$n_toml" "$n_pods" "$n_pods_ck" "$n_big" "$tlsgen" "$filelen" "$baseline" > "$tmp/table.md" <<'EOF'
import glob, json, statistics, sys
tmp = sys.argv[1]
n_toml, n_pods, n_pods_ck, n_big = (int(a) for a in sys.argv[2:6])
tlsgen, filelen, baseline = sys.argv[6], sys.argv[7], sys.argv[8]

def times(name, program=tlsgen):
    """Every timing of `program`'s command in $tmp/NAME.json or the rounds $tmp/NAME.<i>.json."""
    files = glob.glob(f"{tmp}/{name}.json") + glob.glob(f"{tmp}/{name}.*.json")
    out = []
    for path in files:
        results = json.load(open(path))["results"]
        for res in results:
            # A run of one command (peers, `RAYON_NUM_THREADS=1 ...`) is named by its file alone.
            if (len(results) == 1 and program == tlsgen) or res["command"].split()[0] == program:
                out.extend(res["times"])
    if not out:
        sys.exit(f"no timings of {program} in {name}")
    return out
def med(name, program=tlsgen): return statistics.median(times(name, program))
def sd(name, program=tlsgen):
    t = times(name, program)
    return statistics.stdev(t) if len(t) > 1 else 0.0

rows = []
def row(what, files, name, target="", program=tlsgen):
    m = med(name, program)
    rate = f"{files / m:,.0f}" if files else ""
    rows.append(f"| {what} | {files or ''} | {m * 1000:,.1f} ms | ±{sd(name, program) * 1000:,.1f} | {rate} | {target} |")
row("tlsgen lint FILE, 1 file (influxdb.conf), whole process", 1, "one", "≤ 2.5× file-len")
row("file-len FILE, same file (reference)", 1, "one", program=filelen)
if baseline:
    row("baseline tlsgen lint FILE, same file", 1, "one", program=baseline)
row("tlsgen lint FILE, 1 file (etcd static pod), whole process", 1, "one_pod", "≤ 2.5× file-len")
row("file-len FILE, same pod (reference)", 1, "one_pod", program=filelen)
if baseline:
    row("baseline tlsgen lint FILE, same pod", 1, "one_pod", program=baseline)
row("tlsgen lint DIR, a directory holding 1 file, whole process", 1, "one_dir")
row("tlsgen lint, mixed corpus", 1000, "m1000")
row("tlsgen lint, mixed corpus", 10000, "m10000", "≥ 0.9× baseline")
if baseline:
    row("baseline tlsgen lint, mixed corpus", 10000, "m10000", program=baseline)
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
for name, what in (("one", "influxdb.conf"), ("one_pod", "an etcd static pod")):
    ratio = med(name) / med(name, filelen)
    line = f"- one file ({what}), whole process: tlsgen / file-len median = **{ratio:.2f}×** (target ≤ 2.5×)"
    if baseline:
        line += f"; baseline / file-len {med(name, baseline) / med(name, filelen):.2f}×"
    print(line)
if baseline:
    print(f"- mixed 10,000 files: tlsgen / baseline files per second = **{med('m10000', baseline) / med('m10000'):.2f}×** (target ≥ 0.9×)")
print(f"- TOML: tlsgen / taplo files per second = **{toml_ratio:,.1f}×** (target ≥ 4×)")
print(f"- etcd static pods: tlsgen / checkov files per second = **{pod_ratio:,.0f}×** (target ≥ 250×)")

def rss(name):
    """(median KB, largest KB, median seconds, runs) of $tmp/rss_NAME, or None when empty."""
    lines = [l.split() for l in open(f"{tmp}/rss_{name}") if l.strip()]
    if not lines:
        return None
    kb = [int(l[1]) for l in lines]
    return statistics.median(kb), max(kb), statistics.median(float(l[0]) for l in lines), len(kb)
def mb(kb): return f"{kb / 1024:,.1f} MB"
for who, prefix in (("tlsgen", "new"), ("baseline", "old")):
    small, big = rss(f"{prefix}10k"), rss(f"{prefix}big")
    if small is None or big is None:
        continue
    print(f"- {who}, peak memory (max RSS), lint of 10,000 files: **{mb(small[0])}** median of {small[3]} runs, largest {mb(small[1])}"
          + (" (target ≤ 48 MB)" if who == "tlsgen" else ""))
    print(f"- {who}, peak memory, lint of {n_big:,} files: **{mb(big[0])}** median of {big[3]} runs, largest {mb(big[1])}, "
          f"{n_big / big[2]:,.0f} files/s; {n_big:,} / 10,000 files = **{big[0] / small[0]:.2f}×**"
          + (" (target ≤ 1.5×)" if who == "tlsgen" else ""))
EOF

{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
  echo "$(uname -sr), $(rustc --version), load average before the run: $load_before."
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
