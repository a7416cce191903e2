#!/usr/bin/env bash
# The race: popbridge vs fetchmail on ../shared/lab (real Dovecot POP3 and Postfix as Exchange), same scenarios,
# same machine, one run. Needs root (the lab installs Debian packages and runs its own Dovecot/Postfix).
#   bench/race.sh                    10 x 500, 1 x 5,000 and catch-all 5,000 messages of 20 KB
#   N10=50 N1=500 NMD=500 bench/race.sh      a quick run
#   SKIP_FETCHMAIL=1 bench/race.sh           popbridge only (SKIP_LATENCY=1: no steady-load phase)
#   WARMUP=0 bench/race.sh                   time cold JVMs (default: untimed rounds of 10 x WARMUP=1000 messages
#                                            until the services' JIT compilers use < 5 % of the machine, at most
#                                            WARMUP_ROUNDS=8: the services run for days, so their steady state counts)
#   BENCH_JVM_OPTS="-XX:+UseSerialGC" bench/race.sh   extra JVM options for the three services (experiments, profiling)
set -euo pipefail
cd "$(dirname "$0")/.."
lab=../shared/lab
"$lab/up.sh" 20 >/dev/null
./mvnw -B -q install -DskipTests -pl local-stack,fetcher-service,router-service,delivery-service -am
exec java -Xmx512m -Dpopbridge.root="$PWD" -Dlab.src="$lab" \
  -Dn10="${N10:-500}" -Dn1="${N1:-5000}" -Dnmd="${NMD:-5000}" -Dsize.kb="${SIZE_KB:-20}" \
  -Dbench.jvm.options="${BENCH_JVM_OPTS:-}" -Dskip.fetchmail="${SKIP_FETCHMAIL:+true}" -Dskip.latency="${SKIP_LATENCY:+true}" -Dwarmup="${WARMUP:-1000}" -Dwarmup.rounds="${WARMUP_ROUNDS:-8}" \
  -cp "local-stack/target/classes:$(cat local-stack/target/launcher.classpath)" io.popbridge.stack.bench.LabRace
