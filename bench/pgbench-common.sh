# Shared by the pgbench comparisons under bench/pg-*/: connection options for the local PostgreSQL
# (PGHOST, PGPORT, PGUSER), the machine's busy CPU time, and a fresh database set up from a script.
# Source it after setting `db` (the database to recreate) and `here` (the comparison's directory).
pg=(-h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U "${PGUSER:-postgres}")
# busy CPU time of the machine so far, in clock ticks (all but idle and iowait)
busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
psql -q "${pg[@]}" -c "drop database if exists $db" -c "create database $db"
psql -q "${pg[@]}" -d "$db" -f "$here/setup.sql"
