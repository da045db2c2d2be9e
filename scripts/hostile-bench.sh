#!/usr/bin/env bash
# Benchmark lint on hostile 5 MB and 50 MB inputs (long lines, many keys) and print the time of each,
# so super-linear behaviour shows as a ratio far above 10. A benchmark, not a test: it asserts
# nothing and is not part of CI. Inputs are generated under a temp directory and removed.
#
#   scripts/hostile-bench.sh [SIZE_MB...]     (default: 5 50)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ "${#sizes[@]}" -gt 0 ] || sizes=(5 50)
cargo build --release --quiet
bin=target/release/tlsgen
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Lift the 10 MiB size cap (max-file-size) so the big inputs are linted, not skipped.
printf '[lint]\nmax-file-size = 1000000000\n' >"$tmp/tlsgen.toml"

# gen NAME MB: write $tmp/NAME-MB.<ext> of about MB megabytes.
gen() {
  local name=$1 mb=$2 bytes=$(($2 * 1024 * 1024)) f
  case "$name" in
    toml-long-line) f=$tmp/$name-$mb.conf
      { printf '[http]\nhttps-certificate = "'; head -c "$bytes" /dev/zero | tr '\0' 'a'; printf '"\n'; } >"$f" ;;
    toml-many-keys) f=$tmp/$name-$mb.conf
      { printf '[http]\n'; seq 1 $((bytes / 16)) | sed 's/.*/k& = "v"/'; } >"$f" ;;
    toml-many-tables) f=$tmp/$name-$mb.conf
      seq 1 $((bytes / 40)) | sed 's/.*/[[outputs.influxdb]]\nurls = ["http:\/\/h&"]/' >"$f" ;;
    unit-long-line) f=$tmp/$name-$mb.conf
      { printf '[Service]\nEnvironment="ETCD_NAME='; head -c "$bytes" /dev/zero | tr '\0' 'a'; printf '"\n'; } >"$f" ;;
    unit-many-keys) f=$tmp/$name-$mb.conf
      { printf '[Service]\n'; seq 1 $((bytes / 32)) | sed 's/.*/Environment="ETCD_X&=1"/'; } >"$f" ;;
    unit-continuations) f=$tmp/$name-$mb.conf
      { printf '[Service]\nExecStart=/usr/bin/etcd'; seq 1 $((bytes / 16)) | sed 's/.*/ \\\n  --x&=1/' | tr -d '\n'; printf '\n'; } >"$f" ;;
    env-many-keys) f=$tmp/$name-$mb.env
      seq 1 $((bytes / 24)) | sed 's/.*/ETCD_X&="value"/' >"$f" ;;
    yaml-long-line) f=$tmp/$name-$mb.yaml
      { printf 'name: '; head -c "$bytes" /dev/zero | tr '\0' 'a'; printf '\n'; } >"$f" ;;
    yaml-many-keys) f=$tmp/$name-$mb.yaml
      seq 1 $((bytes / 16)) | sed 's/.*/k&: value/' >"$f" ;;
    json-long-string) f=$tmp/$name-$mb.json
      { printf '{"service": {"name": "'; head -c "$bytes" /dev/zero | tr '\0' 'a'; printf '"}}\n'; } >"$f" ;;
  esac
  printf '%s' "$f"
}

kind_of() {
  case "$1" in
    toml-many-tables) echo telegraf ;;
    toml-*) echo influxdb-data ;;
    unit-*) echo etcd-unit ;;
    env-*) echo etcd-env ;;
    yaml-*) echo etcd-yaml ;;
    json-*) echo dcos-elastic ;;
  esac
}

printf '%-20s %6s %10s %10s\n' input MB seconds MB/s
for name in toml-long-line toml-many-keys toml-many-tables unit-long-line unit-many-keys \
  unit-continuations env-many-keys yaml-long-line yaml-many-keys json-long-string; do
  for mb in "${sizes[@]}"; do
    f=$(gen "$name" "$mb")
    start=$(date +%s.%N)
    "$bin" lint --config "$tmp/tlsgen.toml" --kind "$(kind_of "$name")" --format short --fail-on never "$f" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    real=$(stat -c %s "$f")
    awk -v n="$name" -v b="$real" -v s="$start" -v e="$end" \
      'BEGIN { t = e - s; printf "%-20s %6.1f %10.2f %10.1f\n", n, b / 1048576, t, (b / 1048576) / (t > 0 ? t : 1e-9) }'
    rm -f "$f"
  done
done
