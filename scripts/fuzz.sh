#!/usr/bin/env bash
# Run every cargo-fuzz target of tlsgen for SECONDS each (default 10), on stable Rust.
#
#   scripts/fuzz.sh [SECONDS]
#
# Installs cargo-fuzz (cargo install --locked) when missing, seeds fuzz/corpus/<target>/ from the
# committed seeds (fuzz/seeds/<target>/) and the test fixtures and examples, builds all targets
# once, then runs each. Exits non-zero on the first crash and prints the artifact's path; a crash
# becomes a regression test in tests/hostile_regressions.rs (and a seed here).
#
# cargo-fuzz needs nightly features: RUSTC_BOOTSTRAP=1 enables them on the stable toolchain, so CI
# needs no nightly. The targets' checks also run on stable in `cargo test` (tests/prop_parsers.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
case "$seconds" in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
targets=(systemd_unit envfile toml yaml json model lint_any)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi

export RUSTC_BOOTSTRAP=1
# Without a sanitizer the build is faster; the targets are safe Rust, so a panic or a timeout is
# what a run can find, and both are caught without one.
fuzz_flags=(--sanitizer none)

# Seed corpora: committed hand-written seeds plus the fixtures, by file syntax.
seed() { # seed TARGET FILE...
  local target=$1 dir=fuzz/corpus/$1 f
  shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] || continue
    if [ "$target" = lint_any ]; then
      # The first byte picks the kind lint starts with; a newline keeps the file's own text intact.
      { printf '\n'; cat "$f"; } >"$dir/$(printf '%s' "$f" | tr '/' '_')"
    else
      cp "$f" "$dir/$(printf '%s' "$f" | tr '/' '_')"
    fi
  done
}
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  if [ -d "fuzz/seeds/$t" ]; then
    cp fuzz/seeds/"$t"/* "fuzz/corpus/$t/" 2>/dev/null || true
  fi
done
mapfile -t all_fixtures < <(find tests/fixtures tests/fixtures_merge examples tests/models -type f -size -64k 2>/dev/null | sort)
units=() envs=() tomls=() yamls=() jsons=() models=()
for f in "${all_fixtures[@]}"; do
  case "$f" in
    examples/*.yaml | tests/models/*) models+=("$f") ;;
  esac
  case "$f" in
    *.json) jsons+=("$f") ;;
    *.yaml | *.yml) yamls+=("$f") ;;
    *.service | *.service.d/*) units+=("$f") ;;
    *influxdb*.conf | *telegraf*.conf | *.toml) tomls+=("$f") ;;
    *.conf) units+=("$f") ;;
    *) envs+=("$f") ;;
  esac
done
seed systemd_unit "${units[@]}"
seed envfile "${envs[@]}"
seed toml "${tomls[@]}"
seed yaml "${yamls[@]}"
seed json "${jsons[@]}"
seed model "${models[@]}"
seed lint_any "${all_fixtures[@]}"

echo "fuzz: building ${#targets[@]} targets"
build_start=$SECONDS
(cd fuzz && cargo fuzz build "${fuzz_flags[@]}" 2>&1 | tail -n 3)
echo "fuzz: build took $((SECONDS - build_start)) s"

status=0
for t in "${targets[@]}"; do
  echo "fuzz: $t for ${seconds} s"
  log=$(mktemp)
  if ! (cd fuzz && cargo fuzz run "${fuzz_flags[@]}" "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1) >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    artifact=$(grep -o 'fuzz/artifacts/[^ ]*\|artifacts/[^ ]*' "$log" | tail -n 1 || true)
    echo "fuzz: $t FAILED; artifact: ${artifact:-see the log above}" >&2
    echo "fuzz: reproduce with: (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none $t ${artifact#fuzz/})" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^Done [0-9]+ runs' "$log" | tail -n 1 | sed "s/^/fuzz: $t: /"
  fi
  rm -f "$log"
done
exit "$status"
