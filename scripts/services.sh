#!/usr/bin/env bash
# Start (or stop) the storage servers that logscrub's integration tests need,
# on loopback only, without systemd. Safe to call repeatedly: when both
# servers already answer, it is a quick no-op.
#
#   bash scripts/services.sh          # = start: install if missing, start, wait until ready
#   bash scripts/services.sh stop     # stop both (by the pid files in the state dir)
#   bash scripts/services.sh status   # print what answers; exit 1 if a server is down
#
# Servers:
#   ClickHouse 18.16 (Debian package clickhouse-server), run as root with its own
#     config in $STATE/clickhouse: HTTP 127.0.0.1:8123, native 127.0.0.1:9000,
#     server timezone UTC. Users: `default` (no password) and `logscrub`
#     (password `logscrub`), both loopback-only.
#   Azurite (npm package azurite, blob service only) installed into
#     scripts/.azurite (gitignored): http://127.0.0.1:10000/devstoreaccount1
#
# State (data, logs, pid files): ${LOGSCRUB_SERVICES_DIR:-/tmp/logscrub-services}
# Tests read LOGSCRUB_CLICKHOUSE_URL (default http://127.0.0.1:8123) and
# LOGSCRUB_AZURITE_URL (default http://127.0.0.1:10000/devstoreaccount1);
# this script exports nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${LOGSCRUB_SERVICES_DIR:-/tmp/logscrub-services}"
HOST=127.0.0.1

CH_HTTP_PORT=8123
CH_TCP_PORT=9000
CH_INTERSERVER_PORT=9009
CH_DIR="$STATE/clickhouse"
CH_PID="$STATE/clickhouse.pid"

AZ_PORT=10000
AZ_PREFIX="$ROOT/scripts/.azurite"
# 3.35.0 is the newest azurite 3 whose package accepts Node < 21 (3.36 wants
# Node >= 21, 3.37 Node >= 22); Debian bookworm's own nodejs is 18.
AZ_VERSION=3.35.0
AZ_BIN="$AZ_PREFIX/node_modules/.bin/azurite-blob"
AZ_DIR="$STATE/azurite"
AZ_PID="$STATE/azurite.pid"
AZ_LOG="$STATE/azurite.log"

WAIT_SECS=60

export DEBIAN_FRONTEND=noninteractive

log() { printf 'services.sh: %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        log "apt-get update"
        apt-get update -qq </dev/null
        apt_updated=1
    fi
    log "apt-get install -y $*"
    apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

# pid from a pid file, only if that process is alive and its command line
# contains $2 (guards against a recycled pid)
live_pid() {
    local f="$1" want="$2" pid cmdline
    [ -s "$f" ] || return 1
    pid="$(cat "$f")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    [[ "$cmdline" == *"$want"* ]] || return 1
    printf '%s' "$pid"
}

ch_ready() {
    [ "$(curl -s --max-time 2 "http://$HOST:$CH_HTTP_PORT/ping" 2>/dev/null || true)" = "Ok." ]
}

az_ready() {
    local code
    code="$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' \
        "http://$HOST:$AZ_PORT/devstoreaccount1?comp=list" 2>/dev/null || true)"
    [ -n "$code" ] && [ "$code" != "000" ]
}

need_cmd_pkgs() {
    local pkgs=()
    command -v curl >/dev/null 2>&1 || pkgs+=(curl ca-certificates)
    command -v setsid >/dev/null 2>&1 || pkgs+=(util-linux)
    if [ "${#pkgs[@]}" -gt 0 ]; then apt_install "${pkgs[@]}"; fi
}

# ---------------------------------------------------------------- ClickHouse
ch_server_cmd() {
    # Debian's package ships /usr/sbin/clickhouse-server (no /usr/bin/clickhouse);
    # upstream packages ship the multi-call /usr/bin/clickhouse.
    if command -v clickhouse-server >/dev/null 2>&1; then
        echo "$(command -v clickhouse-server)"
    elif [ -x /usr/sbin/clickhouse-server ]; then
        echo /usr/sbin/clickhouse-server
    elif [ -x /usr/bin/clickhouse ]; then
        echo "/usr/bin/clickhouse server"
    else
        return 1
    fi
}

ch_write_config() {
    mkdir -p "$CH_DIR"/{data,tmp,log,user_files,format_schemas}
    cat >"$CH_DIR/config.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by scripts/services.sh; overwritten on every start. -->
<yandex>
    <logger>
        <level>information</level>
        <log>$CH_DIR/log/clickhouse-server.log</log>
        <errorlog>$CH_DIR/log/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>2</count>
    </logger>
    <listen_host>$HOST</listen_host>
    <http_port>$CH_HTTP_PORT</http_port>
    <tcp_port>$CH_TCP_PORT</tcp_port>
    <interserver_http_port>$CH_INTERSERVER_PORT</interserver_http_port>
    <max_connections>1024</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <path>$CH_DIR/data/</path>
    <tmp_path>$CH_DIR/tmp/</tmp_path>
    <user_files_path>$CH_DIR/user_files/</user_files_path>
    <format_schema_path>$CH_DIR/format_schemas/</format_schema_path>
    <users_config>$CH_DIR/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
</yandex>
EOF
    cat >"$CH_DIR/users.xml" <<'EOF'
<?xml version="1.0"?>
<!-- Written by scripts/services.sh; overwritten on every start. -->
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <use_uncompressed_cache>0</use_uncompressed_cache>
            <load_balancing>random</load_balancing>
        </default>
        <readonly>
            <readonly>1</readonly>
        </readonly>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
        <logscrub>
            <password>logscrub</password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </logscrub>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
EOF
}

ch_dump_logs() {
    local f
    for f in "$CH_DIR/stdout.log" "$CH_DIR/log/clickhouse-server.err.log" "$CH_DIR/log/clickhouse-server.log"; do
        if [ -f "$f" ]; then
            echo "----- tail -n 40 $f" >&2
            tail -n 40 "$f" >&2 || true
        fi
    done
}

start_clickhouse() {
    local cmd pid i
    if ch_ready; then
        echo "clickhouse: ready (already running) at http://$HOST:$CH_HTTP_PORT (native $HOST:$CH_TCP_PORT)"
        return 0
    fi
    if ! pid="$(live_pid "$CH_PID" clickhouse)"; then
        if ! cmd="$(ch_server_cmd)" || ! command -v clickhouse-client >/dev/null 2>&1; then
            apt_install clickhouse-server clickhouse-client
            cmd="$(ch_server_cmd)" || { log "clickhouse-server not found after install"; exit 1; }
        fi
        ch_write_config
        rm -f "$CH_DIR/stdout.log"
        log "starting clickhouse-server ($cmd) with $CH_DIR/config.xml"
        # setsid: own session, so the server outlives the caller's process group.
        # $cmd is unquoted on purpose ("/usr/bin/clickhouse server" is two words).
        # shellcheck disable=SC2086
        setsid nohup $cmd --config-file="$CH_DIR/config.xml" \
            >"$CH_DIR/stdout.log" 2>&1 </dev/null &
        pid=$!
        echo "$pid" >"$CH_PID"
    else
        log "clickhouse-server (pid $pid) is starting; waiting"
    fi
    for ((i = 0; i < WAIT_SECS * 2; i++)); do
        if ch_ready; then
            echo "clickhouse: ready at http://$HOST:$CH_HTTP_PORT (native $HOST:$CH_TCP_PORT; users default/'' and logscrub/logscrub; data in $CH_DIR)"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            log "clickhouse-server (pid $pid) exited before answering /ping"
            ch_dump_logs
            rm -f "$CH_PID"
            exit 1
        fi
        sleep 0.5
    done
    log "clickhouse-server did not answer http://$HOST:$CH_HTTP_PORT/ping within ${WAIT_SECS}s"
    ch_dump_logs
    exit 1
}

# ------------------------------------------------------------------- Azurite
start_azurite() {
    local pid i
    if az_ready; then
        echo "azurite: ready (already running) at http://$HOST:$AZ_PORT/devstoreaccount1 (blob)"
        return 0
    fi
    if ! pid="$(live_pid "$AZ_PID" azurite)"; then
        if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
            apt_install nodejs npm
        fi
        if [ ! -x "$AZ_BIN" ]; then
            log "npm install azurite@$AZ_VERSION into $AZ_PREFIX"
            mkdir -p "$AZ_PREFIX"
            npm install --no-audit --no-fund --loglevel=error \
                --prefix "$AZ_PREFIX" "azurite@$AZ_VERSION" </dev/null >&2
        fi
        mkdir -p "$AZ_DIR"
        log "starting azurite-blob"
        # --disableTelemetry: azurite otherwise phones home (Application
        # Insights); this machine has no network beyond package registries.
        setsid nohup "$AZ_BIN" --blobHost "$HOST" --blobPort "$AZ_PORT" \
            --location "$AZ_DIR" --skipApiVersionCheck --loose \
            --disableTelemetry --disableProductStyleUrl \
            >"$AZ_LOG" 2>&1 </dev/null &
        pid=$!
        echo "$pid" >"$AZ_PID"
    else
        log "azurite-blob (pid $pid) is starting; waiting"
    fi
    for ((i = 0; i < WAIT_SECS * 2; i++)); do
        if az_ready; then
            echo "azurite: ready at http://$HOST:$AZ_PORT/devstoreaccount1 (blob service; data in $AZ_DIR)"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            log "azurite-blob (pid $pid) exited before answering"
            tail -n 40 "$AZ_LOG" >&2 || true
            rm -f "$AZ_PID"
            exit 1
        fi
        sleep 0.5
    done
    log "azurite-blob did not answer on $HOST:$AZ_PORT within ${WAIT_SECS}s"
    tail -n 40 "$AZ_LOG" >&2 || true
    exit 1
}

# ---------------------------------------------------------------------- stop
stop_one() {
    local name="$1" pidfile="$2" pid i
    if ! pid="$(live_pid "$pidfile" "$name")"; then
        rm -f "$pidfile"
        echo "$name: not running (no live pid in $pidfile)"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) ignored SIGTERM for 30s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
    fi
    rm -f "$pidfile"
    echo "$name: stopped (pid $pid)"
}

case "${1:-start}" in
    start)
        mkdir -p "$STATE"
        need_cmd_pkgs
        start_clickhouse
        start_azurite
        ;;
    stop)
        stop_one clickhouse "$CH_PID"
        stop_one azurite "$AZ_PID"
        ;;
    status)
        rc=0
        if ch_ready; then echo "clickhouse: up at http://$HOST:$CH_HTTP_PORT"; else echo "clickhouse: down"; rc=1; fi
        if az_ready; then echo "azurite: up at http://$HOST:$AZ_PORT/devstoreaccount1"; else echo "azurite: down"; rc=1; fi
        exit "$rc"
        ;;
    *)
        echo "usage: $0 [start|stop|status]" >&2
        exit 2
        ;;
esac
