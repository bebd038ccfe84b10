#!/usr/bin/env bash
# What each CPU ran during a fresh JVM's measured pass, as shares of that pass (Linux; needs perf and its
# sched_switch tracepoint, recorded system-wide).
#
#   benchmarks/scripts/cpu-shares.sh JAR CONTENDER WORKLOAD WORKERS BUFFER JOBS [JVM options...]
#   e.g. benchmarks/scripts/cpu-shares.sh benchmarks/target/benchmarks.jar workerpool burn 2 16 20000
#
# Runs one `FreshJvm$Child` (both passes; its pass times are printed) under `perf record -a -e sched:sched_switch`
# and prints, per CPU, the share of the measured pass it spent running: the pool's workers (generated pools'
# `…Pool-worker-N`, the JDK executors' `pool-N-thread-M`), the producer, the reader (the child's main thread,
# `java`), the JIT's compiler threads, anything else, and nothing (idle). The measured pass is told by its threads:
# it runs from the first to the last switch of the second pool's workers, which are new threads. For a pool of
# CPU-bound jobs, what is not `worker` is what the pool's parallel efficiency loses on that CPU.
set -euo pipefail
jar=$1 contender=$2 workload=$3 workers=$4 buffer=$5 jobs=$6
shift 6
java=${JAVA:-java}
data=$(mktemp)
trap 'rm -f "$data"' EXIT
perf record -q -a -e sched:sched_switch -o "$data" -- "$java" -Xms1g -Xmx1g -XX:+UseG1GC "$@" -cp "$jar" \
  'dev.workerpool.bench.FreshJvm$Child' "$contender" "$workload" "$workers" "$buffer" "$jobs" 28300 \
  | grep -E '^(WARM-UP|MEASURED)' || true
perf script -i "$data" -F cpu,time,trace 2>/dev/null | python3 -c '
import re, sys
workers = int(sys.argv[1])
line = re.compile(r"\[(\d+)\]\s+([\d.]+):\s+prev_comm=(.+?) prev_pid=(\d+) .*next_comm=(.+?) next_pid=(\d+)")
def kind(name):
    if re.search(r"Pool-(w|$)|-wor|pool-\d+-thread", name):
        return "worker"
    if name in ("java", "producer"):
        return "reader" if name == "java" else name
    if "Compiler" in name:
        return "compiler"
    return "idle" if name.startswith("swapper") else "other"
events, first, last = [], {}, {}
for text in sys.stdin:
    m = line.search(text)
    if not m:
        continue
    time, cpu, prev, prev_tid, nxt, next_tid = float(m.group(2)), int(m.group(1)), m.group(3), m.group(4), \
        m.group(5), m.group(6)
    events.append((time, cpu, kind(nxt)))
    for name, tid in ((prev, prev_tid), (nxt, next_tid)):
        if kind(name) == "worker":
            first.setdefault(tid, time)
            last[tid] = time
second = sorted(first, key=first.get)[-workers:]
if not second:
    sys.exit("no worker threads found")
start, end = min(first[t] for t in second), max(last[t] for t in second)
running, since, share = {}, {}, {}
for time, cpu, what in sorted(events):
    if cpu in running:
        s, e = max(since[cpu], start), min(time, end)
        if e > s:
            share[(cpu, running[cpu])] = share.get((cpu, running[cpu]), 0) + e - s
    running[cpu], since[cpu] = what, time
kinds = ("worker", "producer", "reader", "compiler", "other", "idle")
print("measured pass: %.0f ms" % ((end - start) * 1e3))
for cpu in sorted({c for c, _ in share}):
    print("cpu %-3d %s" % (cpu, "  ".join("%s %4.1f%%" % (k, 100 * share.get((cpu, k), 0) / (end - start))
                                        for k in kinds)))
' "$workers"
