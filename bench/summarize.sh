#!/usr/bin/env bash
# Summarises the RESULT lines bench/run.sh collected: median [min–max] of each metric, per
# scenario, over the rounds. Usage: bench/summarize.sh RESULTS_FILE
set -euo pipefail
[[ $# -eq 1 && -f $1 ]] || { echo "usage: $0 RESULTS_FILE" >&2; exit 2; }

awk '
function wanted(mode, key) {
    if (mode == "ready") return key ~ /^(log_ready_ms|serving_ms|host_reported_ms)$/
    if (mode == "e2e") return key ~ /^(orders_per_s|ttf_p50_ms|ttf_p99_ms|ttf_max_ms|hist_p50_ms|hist_p99_ms|post_rps|post_p99_ms|host_cpu_s_per_1000|broker_cpu_s_per_1000|host_hwm_mb|other_cores)$/ || key ~ /^step_.*_p50_ms$/
    if (mode == "http") return key ~ /^(rps|p50_ms|p99_ms|body_bytes|host_cpu_us_per_req|driver_cpu_us_per_req|host_rss_mb|idle|idle_failed|idle_open_after|host_rss_before_idle_mb)$/
    if (mode == "broker") return key ~ /^(msgs_per_s|publish_per_s|broker_cpu_s)$/
    if (mode == "fsync") return key ~ /^(syncs_per_s|sync_p50_ms|sync_p99_ms|grow_syncs_per_s|grow_sync_p50_ms)$/
    if (mode == "syncs") return key ~ /^(syncs|syncs_per_order)$/
    if (mode == "durability") return key ~ /^(full_over_normal|post_full_over_normal)$/
    if (mode == "round") return key == "round_hwm_mb"
    if (mode == "stop") return key == "stop_ms"
    return 0
}
/^RESULT / {
    delete f
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    group = f["mode"]
    if ("name" in f) group = group " " f["name"]
    if ("connections" in f) group = group " x" f["connections"]
    if (!(group in seen)) { seen[group] = 1; groups[++ngroups] = group }
    if (f["ok"] != 1) failed[group]++
    runs[group]++
    for (i = 2; i <= NF; i++) {
        split($i, kv, "=")
        if (!wanted(f["mode"], kv[1])) continue
        id = group SUBSEP kv[1]
        if (!(id in count)) keys[group, ++nkeys[group]] = kv[1]
        values[id, ++count[id]] = kv[2] + 0
    }
}
END {
    for (g = 1; g <= ngroups; g++) {
        group = groups[g]
        printf "%s (%d run%s%s)\n", group, runs[group], runs[group] == 1 ? "" : "s", \
            failed[group] ? ", " failed[group] " FAILED" : ""
        for (k = 1; k <= nkeys[group]; k++) {
            key = keys[group, k]; id = group SUBSEP key; n = count[id]
            for (i = 1; i <= n; i++) v[i] = values[id, i]
            for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
            median = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            printf "    %-28s %12.2f  [%.2f – %.2f]\n", key, median, v[1], v[n]
        }
    }
}' "$1"
