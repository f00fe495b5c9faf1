#!/usr/bin/env bash
# More than one server, on this machine's loopback (docs/deployment.md, "More than one
# server"): a PostgreSQL primary and a streaming replica made with pg_basebackup, Redis,
# two gunicorns behind nginx, two RQ workers. Loads a city, then runs the deadline burst
# and a read load through nginx at the same time, kills (SIGKILL) one gunicorn and one
# worker half-way, and checks that no report was lost or duplicated, that every queued task
# ran, and that the reads went on. Prints a summary; exits 0 only if every check passed.
# Everything it starts lives under var/multi-server/ and is stopped when it exits.
#
#   scripts/multi_server.sh          1,000 reports, 50 clients, a gunicorn and a worker killed
#   scripts/multi_server.sh --ci     200 reports, 20 clients, a gunicorn killed (about 90 s)
#   scripts/multi_server.sh --scale 100000
#                                    the load at a province's scale (make bench-load): N
#                                    projects on the primary (bench/scale_load.py fill), then
#                                    through nginx a trivial page and the dashboard alone (wrk),
#                                    the dashboard's first read after a change, and the
#                                    deadline burst (1,000 reports, 50 clients) under a read
#                                    load; nothing killed; results in bench/results/<date>.md
#
# Needs: PostgreSQL 15's binaries (/usr/lib/postgresql/15/bin), redis-server, nginx, the
# "multi" extra in .venv (make multi-server installs both), wrk for --scale. Runs as root
# (the clusters run as the postgres user) or as postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT_DIR="$PWD"

MODE=full
REPORTS=1000
CLIENTS=50
TASKS=300
KILL_WORKER=1
APP_PROCESSES=2
SCALE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --ci) MODE=ci; REPORTS=200; CLIENTS=20; TASKS=60; KILL_WORKER=0; APP_PROCESSES=1 ;;
        --scale)
            [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "--scale needs a number of projects" >&2; exit 2; }
            MODE=scale; SCALE=$2; shift ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (--ci, --scale N, --help)" >&2; exit 2 ;;
    esac
    shift
done

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PY="$ROOT_DIR/.venv/bin/python"
BASE="$ROOT_DIR/var/multi-server"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
STARTED=$SECONDS
declare -a PIDS=()
declare -a CLUSTERS=()
declare -A TIMES=()

say() { printf '[%3d s] %s\n' "$((SECONDS - STARTED))" "$*"; }
fail() { echo "multi-server: $*" >&2; exit 1; }
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
phase() { TIMES[$1]=$((SECONDS - ${2})); }

[ -x "$PGBIN/initdb" ] || fail "no PostgreSQL 15 at $PGBIN (Debian: apt-get install postgresql-15)"
command -v redis-server >/dev/null || fail "redis-server is missing (Debian: apt-get install redis-server)"
[ -x "$NGINX" ] || fail "nginx is missing (make multi-server installs nginx-light)"
[ "$MODE" != scale ] || command -v wrk >/dev/null || fail "wrk is missing (make bench-load installs it; Debian: apt-get install wrk)"
"$PY" -c 'import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) for m in ("django_tasks_rq", "django_rq", "rq", "redis")))' || fail 'the "multi" extra is missing: .venv/bin/pip install -e ".[multi]" (make multi-server does)'

running() {  # running PID: alive, and not a zombie (killed, not yet reaped); no fork
    local stat
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    [ "${stat:0:1}" != Z ]
}

teardown() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    local children=() pid
    # Redis last: a request still being served when the load stopped must not find the
    # cache gone (an error in the log that is no failure of the site).
    stop_all() {
        children=()
        for pid in "$@"; do
            children+=($(pgrep -P "$pid" 2>/dev/null))  # gunicorn's workers, a worker's horse
            kill -TERM "$pid" 2>/dev/null
        done
        for _ in $(seq 20); do  # two seconds for all of them, then SIGKILL
            local alive=0
            for pid in "$@"; do running "$pid" && alive=1; done
            [ "$alive" = 0 ] && break
            sleep 0.1
        done
        for pid in "$@" "${children[@]}"; do
            running "$pid" && kill -KILL "$pid" 2>/dev/null
        done
    }
    local others=()
    for pid in "${PIDS[@]}"; do [ "$pid" = "${REDIS_PID:-}" ] || others+=("$pid"); done
    stop_all "${others[@]}"
    [ -z "${REDIS_PID:-}" ] || stop_all "$REDIS_PID"
    for cluster in "${CLUSTERS[@]}"; do
        as_postgres "$PGBIN/pg_ctl" -D "$cluster" -m immediate -w stop >/dev/null 2>&1
    done
    # The clusters' and the files' directories, several at once: one after the other, their
    # thousands of files took 10 s to unlink on this machine.
    for dir in "$BASE"/primary/base/* "$BASE"/replica/base/* "$BASE/primary" "$BASE/replica" \
        "$BASE/media"; do
        rm -rf "$dir" &
    done
    wait
    say "stopped everything (logs in var/multi-server/log)"
    exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT TERM

free_ports() {  # free_ports N: N ports free on loopback now
    "$PY" - "$1" <<'EOF'
import socket, sys
sockets = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    sockets.append(s)
print(" ".join(str(s.getsockname()[1]) for s in sockets))
EOF
}

wait_http() {  # wait_http URL SECONDS
    for _ in $(seq $(($2 * 5))); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}

rm -rf "$BASE"
mkdir -p "$BASE/log" "$BASE/run" "$BASE/media" "$BASE/nginx/tmp"
chmod 777 "$BASE/run" "$BASE/log"
[ "$(id -u)" = 0 ] && chown postgres "$BASE"
read -r PG_PRIMARY PG_REPLICA REDIS_PORT APP1 APP2 LB SINK <<<"$(free_ports 7)"
say "mode $MODE: primary :$PG_PRIMARY, replica :$PG_REPLICA, redis :$REDIS_PORT, gunicorn :$APP1 :$APP2, nginx :$LB"

# ------------------------------------------------------------------ PostgreSQL: primary and replica
t=$SECONDS
as_postgres "$PGBIN/initdb" -D "$BASE/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$BASE/log/initdb.log"
cat >>"$BASE/primary/postgresql.conf" <<EOF
port = $PG_PRIMARY
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BASE/run'
wal_level = replica
max_wal_senders = 4
hot_standby = on
max_connections = 100
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
CLUSTERS+=("$BASE/primary")
as_postgres "$PGBIN/pg_ctl" -D "$BASE/primary" -l "$BASE/log/primary.log" -w start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PRIMARY" -U postgres tiaodu
# The replica: a base backup of the primary that streams from it (-R writes the standby
# settings: primary_conninfo and standby.signal).
as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PRIMARY" -U postgres -D "$BASE/replica" -R -X stream -c fast
echo "port = $PG_REPLICA" >>"$BASE/replica/postgresql.conf"
CLUSTERS+=("$BASE/replica")
as_postgres "$PGBIN/pg_ctl" -D "$BASE/replica" -l "$BASE/log/replica.log" -w start >/dev/null
for _ in $(seq 50); do
    state=$("$PGBIN/psql" -h 127.0.0.1 -p "$PG_PRIMARY" -U postgres -Atc "select state from pg_stat_replication" 2>/dev/null || true)
    [ "$state" = streaming ] && break
    sleep 0.2
done
[ "$state" = streaming ] || fail "the replica is not streaming (pg_stat_replication: '${state}')"
in_recovery=$("$PGBIN/psql" -h 127.0.0.1 -p "$PG_REPLICA" -U postgres -Atc "select pg_is_in_recovery()")
[ "$in_recovery" = t ] || fail "the replica is not in recovery"
phase clusters "$t"
say "primary and replica up; pg_stat_replication: $state"

# ------------------------------------------------------------------ Redis
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$BASE/run" --logfile "$BASE/log/redis.log" &
REDIS_PID=$!
PIDS+=($!)
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PRIMARY/tiaodu"
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$PG_REPLICA/tiaodu"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export TIAODU_RQ_URL="redis://127.0.0.1:$REDIS_PORT/1"
export TIAODU_TASKS_BACKEND=rq
export TIAODU_MEDIA_ROOT="$BASE/media"
export TIAODU_DEBUG=0
export TIAODU_ALLOWED_HOSTS=127.0.0.1,localhost
export TIAODU_CONN_MAX_AGE=60
export TIAODU_TRUST_X_REAL_IP=1
export TIAODU_TOTP_REQUIRED_ROLES=
# The load is not a test of the API's rate limits (now counted in Redis, for both servers).
export TIAODU_API_TOKEN_RATE=
export TIAODU_API_SESSION_RATE=
export DJANGO_SETTINGS_MODULE=tiaodu.settings

# ------------------------------------------------------------------ schema and data
t=$SECONDS
"$PY" manage.py migrate --noinput -v0
phase migrate "$t"
say "migrated the primary"
if [ "$MODE" = scale ]; then
    UPTIME_START=$(cut -d' ' -f1 /proc/loadavg)
    say "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); filling $SCALE projects"
    t=$SECONDS
    "$PY" bench/scale_load.py fill --projects "$SCALE" >"$BASE/log/fill.log" 2>&1 \
        || { tail -n 20 "$BASE/log/fill.log" >&2; fail "the fill failed"; }
    phase fill "$t"
    say "filled: $(tr '\n' ' ' <"$BASE/log/fill.log")"
fi
# ------------------------------------------------------------------ app servers, workers, nginx
# They boot while the city is loaded (two cores: the boot is most of their start).
t=$SECONDS
GUNICORN="$ROOT_DIR/.venv/bin/gunicorn"
for port in "$APP1" "$APP2"; do
    "$GUNICORN" tiaodu.wsgi -b "127.0.0.1:$port" -w "$APP_PROCESSES" --threads 4 --log-level warning \
        --error-logfile "$BASE/log/gunicorn-$port.log" &
    PIDS+=($!)
    disown $!  # its death by SIGKILL below is expected: no "Killed" line from bash
done
GUNICORN1=${PIDS[-2]}
for n in 1 2; do
    "$PY" manage.py rqworker default --with-scheduler --name "multi-server-worker-$n" \
        >"$BASE/log/worker-$n.log" 2>&1 &
    PIDS+=($!)
    disown $!
done
WORKER1=${PIDS[-2]}
cat >"$BASE/nginx/nginx.conf" <<EOF
worker_processes 1;
user root;
error_log $BASE/log/nginx-error.log warn;
pid $BASE/run/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $BASE/nginx/tmp/body;
    proxy_temp_path $BASE/nginx/tmp/proxy;
    fastcgi_temp_path $BASE/nginx/tmp/fastcgi;
    uwsgi_temp_path $BASE/nginx/tmp/uwsgi;
    scgi_temp_path $BASE/nginx/tmp/scgi;
    client_max_body_size 50m;
    upstream tiaodu {
        server 127.0.0.1:$APP1 max_fails=1 fail_timeout=30s;
        server 127.0.0.1:$APP2 max_fails=1 fail_timeout=30s;
        keepalive 32;
        # Below gunicorn's --keep-alive (2 s): else nginx may send a request on a kept
        # connection that gunicorn is closing, and a POST is not sent again (a 502, and the
        # server marked failed for fail_timeout).
        keepalive_timeout 1s;
    }
    server {
        listen 127.0.0.1:$LB;
        location / {
            proxy_pass http://tiaodu;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Real-IP \$remote_addr;
            proxy_set_header X-Forwarded-Proto \$scheme;
            # A server that refuses the connection or does not answer: the request goes to
            # the other one. Only for requests that may be sent twice (GET, HEAD): a POST
            # that failed half-way is the client's to send again.
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 120s;
        }
    }
}
EOF
"$NGINX" -p "$BASE/nginx" -c "$BASE/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
t_setup=$SECONDS
"$PY" bench/multi_server_load.py setup --plan "$BASE/plan.json" --reports "$REPORTS" \
    --clients "$CLIENTS" --sink-port "$SINK" >"$BASE/log/setup.log" 2>&1 \
    || { tail -n 20 "$BASE/log/setup.log" >&2; fail "the setup failed"; }
phase setup "$t_setup"
say "loaded the city: $REPORTS draft reports with a photo each, $CLIENTS reporters"

t=$SECONDS
wait_http "http://127.0.0.1:$APP1/accounts/login/" 60 || fail "gunicorn :$APP1 did not answer"
wait_http "http://127.0.0.1:$APP2/accounts/login/" 60 || fail "gunicorn :$APP2 did not answer"
wait_http "http://127.0.0.1:$LB/accounts/login/" 20 || fail "nginx :$LB did not answer"
phase servers "$t"  # beyond the setup
say "two gunicorns behind nginx, two RQ workers"

# ------------------------------------------------------------------ the load
replica_reads() {
    "$PGBIN/psql" -h 127.0.0.1 -p "$PG_REPLICA" -U postgres -Atc \
        "select xact_commit from pg_stat_database where datname = 'tiaodu'"
}
replica_before=$(replica_reads)
kill_worker_args=()
if [ "$KILL_WORKER" = 1 ]; then
    kill_worker_args=(--kill-worker "$WORKER1" --kill-worker-name multi-server-worker-1)
fi
t=$SECONDS
status=0
if [ "$MODE" = scale ]; then
    say "at $SCALE projects: a trivial page and the dashboard alone, then the deadline burst ($REPORTS reports, $CLIENTS clients) under a read load, through nginx"
    "$PY" bench/scale_load.py measure --plan "$BASE/plan.json" --base-url "http://127.0.0.1:$LB" \
        --work "$BASE/run" --app-processes "$APP_PROCESSES" --uptime-start "$UPTIME_START" \
        || status=$?
else
    say "the deadline burst ($REPORTS reports, $CLIENTS clients), reads and $TASKS tasks through nginx"
    "$PY" bench/multi_server_load.py run --plan "$BASE/plan.json" --reports "$REPORTS" \
        --clients "$CLIENTS" --tasks "$TASKS" --sink-port "$SINK" --base-url "http://127.0.0.1:$LB" \
        --kill-app "$GUNICORN1" "${kill_worker_args[@]}" --result "$BASE/result.json" || status=$?
fi
phase load "$t"
replica_after=$(replica_reads)

# The replica holds what the primary holds, once it has replayed the burst.
primary_lsn=$("$PGBIN/psql" -h 127.0.0.1 -p "$PG_PRIMARY" -U postgres -Atc "select pg_current_wal_lsn()")
caught_up=no
for _ in $(seq 100); do
    behind=$("$PGBIN/psql" -h 127.0.0.1 -p "$PG_REPLICA" -U postgres -Atc \
        "select pg_wal_lsn_diff('$primary_lsn', pg_last_wal_replay_lsn()) > 0")
    [ "$behind" = f ] && { caught_up=yes; break; }
    sleep 0.1
done
count_sql="select count(*) from reporting_report where status = 'submitted'"
on_primary=$("$PGBIN/psql" -h 127.0.0.1 -p "$PG_PRIMARY" -U postgres -d tiaodu -Atc "$count_sql")
on_replica=$("$PGBIN/psql" -h 127.0.0.1 -p "$PG_REPLICA" -U postgres -d tiaodu -Atc "$count_sql")
served=$((replica_after - replica_before))
check() {  # check NAME OK DETAIL
    if [ "$2" = 1 ]; then echo "  ok      $1 ($3)"; else echo "  FAILED  $1 ($3)"; status=1; fi
}
check "the replica replayed the burst" "$([ "$caught_up" = yes ] && [ "$on_primary" = "$on_replica" ] && echo 1)" \
    "$on_replica submitted reports on the replica, $on_primary on the primary"
check "the replica served the heavy reads" "$([ "$served" -gt 0 ] && echo 1)" \
    "$served transactions on the replica during the load"

echo
echo "======== multi-server ($MODE) summary ========"
[ "$MODE" != scale ] || echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  clusters ${TIMES[clusters]} s · migrate ${TIMES[migrate]} s${TIMES[fill]:+ · fill ${TIMES[fill]} s} · setup ${TIMES[setup]} s · servers ${TIMES[servers]} s · load ${TIMES[load]} s · total $((SECONDS - STARTED)) s"
if [ "$status" = 0 ]; then echo "  all checks passed"; else echo "  SOME CHECKS FAILED"; fi
exit "$status"
