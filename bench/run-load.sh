#!/usr/bin/env bash
# The load benchmark in one command: installs wrk (Debian) and the Portkey peer (npm) when missing, builds
# Spillway and the benchmark in Release, publishes the Native AOT binary, runs every target on loopback, and prints
# one table.
# Extra arguments go to the benchmark (--duration 5..10, --probes N, --only ID,...). It ends by itself in a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${SPILLWAY_BENCH_OUT:-$(mktemp -d /tmp/spillway-bench.XXXXXX)}"
mkdir -p "$out"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else
    echo "run-load.sh: wrk is missing (Debian: sudo apt-get install wrk)" >&2
    exit 2
  fi
fi

# Portkey is the peer when node and the npm registry are there; without them the table says it was left out.
peers=()
portkey=bench/peers/node_modules/@portkey-ai/gateway/build/start-server.js
if command -v node >/dev/null && command -v npm >/dev/null; then
  if [ ! -f "$portkey" ]; then
    # --ignore-scripts: the gateway's postinstall runs patch-package, and the published package ships no patches.
    (cd bench/peers && timeout 300 npm ci --no-audit --no-fund --ignore-scripts >/dev/null) ||
      echo "run-load.sh: npm ci failed (registry unreachable?); Portkey is left out" >&2
  fi
  peers=(--peers bench/peers)
else
  echo "run-load.sh: node or npm is missing; Portkey is left out" >&2
fi

echo "run-load.sh: building into $out" >&2
dotnet build src/Spillway -c Release -o "$out/spillway" -nologo -v quiet >/dev/null
dotnet build bench/Spillway.Bench.Load -c Release -o "$out/load" -nologo -v quiet >/dev/null

# The release artifact beside the JIT build: the Native AOT binary (needs clang and zlib, README "Install"). Not
# published (minutes of every core) when --only selects no native target.
native=()
publish_native=1
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[i]}" = "--only" ] && [[ "${args[i + 1]:-}" != *native* ]]; then
    publish_native=0
  fi
done
if [ "$publish_native" -eq 1 ]; then
  echo "run-load.sh: publishing the Native AOT binary into $out/native" >&2
  if dotnet publish src/Spillway -c Release -o "$out/native" -nologo -v quiet >"$out/publish.log" 2>&1; then
    native=(--spillway-native "$out/native/spillway")
  else
    echo "run-load.sh: the Native AOT publish failed (see $out/publish.log); its rows are left out" >&2
  fi
fi

# The benchmark stops itself after 15 minutes at most; this is the backstop if it cannot.
timeout --kill-after=30 1200 "$out/load/Spillway.Bench.Load" \
  --spillway "$out/spillway/spillway" "${native[@]}" "${peers[@]}" --work "$out/work" --out "$out/results.md" "$@"
echo "run-load.sh: table saved to $out/results.md; raw wrk output and process logs in $out/work" >&2
