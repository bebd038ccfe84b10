#!/usr/bin/env bash
# Before/after A/B of a runtime change, in alternating fresh JVMs.
#
#   benchmarks/scripts/ab.sh BEFORE.jar AFTER.jar [PAIRS]
#
# Each jar is a benchmarks.jar built from one version (mvn -q -DskipTests -pl benchmarks -am package, then copy
# benchmarks/target/benchmarks.jar away). For each shape, PAIRS times (default 4), a JVM of BEFORE then a JVM of
# AFTER runs `Alternating` (2 warm-up rounds, then measured rounds); the script prints each JVM's medians and, per
# shape and contender, the median of the JVM medians and the ratio after / before (below 1: after is faster).
set -euo pipefail
before=$1
after=$2
pairs=${3:-4}
java=${JAVA:-java}
out=$(mktemp -d)
# shape: workers buffer contenders rounds jobs
shapes=(
  "3 10 workerpool,workerpool-ordered,workerpool-timed 6 1000000"
  "2 1024 workerpool,workerpool-timed 6 1000000"
  "8 0 workerpool 5 200000"
)
for shape in "${shapes[@]}"; do
  read -r w b contenders rounds jobs <<<"$shape"
  for ((i = 1; i <= pairs; i++)); do
    for side in before after; do
      jar=$before; [ "$side" = after ] && jar=$after
      "$java" -Xms1g -Xmx1g -cp "$jar" dev.workerpool.bench.Alternating "$w" "$b" "$contenders" "$rounds" square "$jobs" \
        | grep ' median ' | sed "s/^/$side /" | tee -a "$out/results"
    done
  done
done
echo
echo "median of the JVM medians, ns per job (after / before):"
awk '
  { side = $1; shape = $3 " x " $5; contender = $6; for (i = 7; i <= NF; i++) if ($i == "median") { v = $(i + 1); gsub(",", "", v) }
    key = shape "  " contender; vals[key, side] = vals[key, side] " " v; keys[key] = 1 }
  function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END { for (k in keys) { b = med(vals[k, "before"]); a = med(vals[k, "after"]); printf "%-36s before %7.0f  after %7.0f  ratio %.2f\n", k, b, a, a / b } }
' "$out/results" | sort
