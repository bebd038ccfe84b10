#!/usr/bin/env bash
# Where a fresh JVM's context switches are, by thread, over its whole life (both passes of FreshJvm's child).
#
#   benchmarks/scripts/switches-by-thread.sh JAR CONTENDER WORKLOAD WORKERS BUFFER JOBS [JVM options...]
#   e.g. benchmarks/scripts/switches-by-thread.sh benchmarks/target/benchmarks.jar workerpool nap 8 16 2000
#
# Runs one `FreshJvm$Child` under `perf record -e sched:sched_switch` (Linux; needs perf and its tracepoints) and
# prints, per group of threads, the switches per job (jobs of both passes):
#   S  the thread blocked: parked, slept, waited on a lock (voluntary);
#   R  it was still runnable: preempted, or a `Thread.yield()` that let another thread run.
# Groups: `java` is the main thread (the reader), `producer` the producer, `worker` the pool's workers (generated
# pools' `…-worker-N` and the JDK executors' `pool-N-thread-M`), `compiler` the JIT's threads, `other` the rest.
# For sleeping jobs (WORKLOAD nap) it also prints how far apart the second pool's workers' sleeps start, in
# microseconds modulo the 5 ms sleep, at five points of the measured pass: workers in phase wake together, and
# their reader and producer then wake once for several results.
set -euo pipefail
jar=$1 contender=$2 workload=$3 workers=$4 buffer=$5 jobs=$6
shift 6
java=${JAVA:-java}
data=$(mktemp)
trap 'rm -f "$data"' EXIT
perf record -q -e sched:sched_switch -o "$data" -- "$java" -Xms1g -Xmx1g -XX:+UseG1GC "$@" -cp "$jar" \
  'dev.workerpool.bench.FreshJvm$Child' "$contender" "$workload" "$workers" "$buffer" "$jobs" 28300 \
  | grep '^MEASURED' || true
perf script -i "$data" -F tid,time,trace 2>/dev/null | python3 -c '
import re, sys
jobs = 2 * int(sys.argv[1]); nap = sys.argv[2] == "nap"; workers = int(sys.argv[3])
count = {}; sleeps = {}
line = re.compile(r"\s*\d+\s+([\d.]+):\s+prev_comm=(.+?) prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+)")
for text in sys.stdin:
    m = line.match(text)
    if not m:
        continue
    time, name, tid, state = float(m.group(1)), m.group(2), int(m.group(3)), m.group(4)[0]
    if re.search(r"Pool-(w|$)|-wor|pool-\d+-thread", name):
        group = "worker"
        if state == "S":
            sleeps.setdefault(tid, []).append(time)
    elif "Compiler" in name:
        group = "compiler"
    elif name in ("java", "producer"):
        group = name
    else:
        group = "other"
    count[(group, state)] = count.get((group, state), 0) + 1
total = sum(count.values())
for group in ("java", "producer", "worker", "compiler", "other"):
    cells = ["%s %.2f" % (s, count.get((group, s), 0) / jobs) for s in ("S", "R") if (group, s) in count]
    print("%-9s %s" % (group, "  ".join(cells)))
print("all       %.2f per job" % (total / jobs))
if nap:
    second = sorted(sleeps)[-workers:]
    n = min(len(sleeps[t]) for t in second)
    for k in (n // 10, 3 * n // 10, n // 2, 7 * n // 10, 9 * n // 10):
        print("phases at sleep %3d: %s" % (k, sorted(int(sleeps[t][k] * 1e6) % 5000 for t in second)))
' "$jobs" "$workload" "$workers"
