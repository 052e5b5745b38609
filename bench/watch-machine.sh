#!/usr/bin/env bash
# Where a long benchmark phase spends the machine, sampled every few seconds while it runs:
#   bash bench/watch-machine.sh [seconds between samples] [database] > samples.tsv
# Per interval: the machine's busy and I/O-wait share of all cores (/proc/stat), the cores used by
# node and by postgres processes, the database's buffer reads that missed PostgreSQL's cache (and
# went to the OS) against those that hit it, the WAL written and its full-page images per 100
# records. Stop it with Ctrl-C. The database defaults to the one with the most active backends.
set -euo pipefail
interval=${1:-10}
database=${2:-}
psql_=(psql -h 127.0.0.1 -U postgres -d postgres -AtX -F $'\t')
ticks=$(getconf CLK_TCK)

cpu_of() { # jiffies of every process whose command name is $1
  local total=0 pid fields
  for pid in $(pgrep -x "$1" || true); do
    fields=$(cut -d')' -f2 "/proc/$pid/stat" 2>/dev/null) || continue
    set -- $fields
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}
machine() { awk '/^cpu /{print $2+$3+$4+$7+$8, $6, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }
database_stats() {
  "${psql_[@]}" -c "SELECT blks_read, blks_hit FROM pg_stat_database WHERE datname = '$1'"
}
wal_stats() { "${psql_[@]}" -c 'SELECT wal_bytes, wal_fpi, wal_records FROM pg_stat_wal'; }

if [ -z "$database" ]; then
  database=$("${psql_[@]}" -c "SELECT datname FROM pg_stat_activity WHERE state = 'active' AND datname IS NOT NULL
                                  AND pid <> pg_backend_pid() GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
fi
[ -n "$database" ] || { echo "watch-machine: no database named and none active: name one" >&2; exit 2; }
echo "# database ${database}, every ${interval} s"
printf 'time\tbusy%%\tiowait%%\tnode cores\tpostgres cores\tblocks from OS/s\tblocks hit/s\tWAL MB/s\tfull-page images per 100 WAL records\n'
read -r busy0 wait0 all0 < <(machine)
node0=$(cpu_of node); pg0=$(cpu_of postgres)
IFS=$'\t' read -r read0 hit0 < <(database_stats "$database")
IFS=$'\t' read -r walb0 fpi0 recs0 < <(wal_stats)
while sleep "$interval"; do
  read -r busy1 wait1 all1 < <(machine)
  node1=$(cpu_of node); pg1=$(cpu_of postgres)
  IFS=$'\t' read -r read1 hit1 < <(database_stats "$database")
  IFS=$'\t' read -r walb1 fpi1 recs1 < <(wal_stats)
  awk -v t="$(date -u +%H:%M:%S)" -v b=$((busy1 - busy0)) -v w=$((wait1 - wait0)) -v a=$((all1 - all0)) \
      -v n=$((node1 - node0)) -v p=$((pg1 - pg0)) -v hz="$ticks" -v s="$interval" \
      -v r=$((read1 - read0)) -v h=$((hit1 - hit0)) -v wb="$walb0" -v wb1="$walb1" -v f=$((fpi1 - fpi0)) -v rc=$((recs1 - recs0)) \
      'BEGIN { printf "%s\t%.0f\t%.0f\t%.2f\t%.2f\t%.0f\t%.0f\t%.1f\t%.0f\n", t, 100*b/a, 100*w/a, n/hz/s, p/hz/s, r/s, h/s, (wb1-wb)/1048576/s, rc ? 100*f/rc : 0 }'
  busy0=$busy1 wait0=$wait1 all0=$all1 node0=$node1 pg0=$pg1 read0=$read1 hit0=$hit1 walb0=$walb1 fpi0=$fpi1 recs0=$recs1
done
