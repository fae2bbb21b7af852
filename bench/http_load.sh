#!/usr/bin/env bash
# bench/http_load.sh — HTTP load over loopback against `greenloop serve` with wrk.
#
# Starts its own server on a free 127.0.0.1 port with a fresh SQLite database (demo data),
# signs in as the demo regulator, opens ACCOUNTS holding accounts and issues a large CEA-2024
# balance to each through the API, then runs wrk with keep-alive connections for DURATION
# seconds each:
#
#   health     GET  /api/v1/health        no auth; the HTTP floor (named baseline)
#   transfers  POST /api/v1/transfers     one transfer per request, regulator token; must be 201
#   batch      POST /api/v1/transfers     BATCH transfers per request (skipped when BATCH=0); must be
#                                          200 with "failed":0
#   orders     POST /api/v1/market/orders one limit order per request (skipped when ORDERS=0): the
#                                          exchange lists CEA-2024 (previous close 50.00 yuan) and opens
#                                          the day; sells at 50.00-50.09 from ACCOUNTS accounts of one
#                                          enterprise alternate with buys at 49.95-50.04 from ACCOUNTS
#                                          accounts of another, so about half of them trade; each must
#                                          be 201. Every order is frozen, matched, settled and durable
#                                          before its answer. The server's clock starts on a Monday at
#                                          10:00 Beijing time (--clock-start) so the session is open.
#   order batch POST /api/v1/market/orders ORDER_BATCH orders per request ({"orders":[…]}, skipped when
#                                          ORDER_BATCH=0 or ORDERS=0), the same stream; must be 200 with
#                                          "failed":0; every order of a batch is durable before the answer.
#
# and prints requests/s, transfers/s, p50/p99 latency (wrk's, per request), errors, and the ratio
# to the baseline. Afterwards it stops the server and runs `greenloop verify` on the database.
# Figures only: the script fails (exit 1) when a request was refused or the verifier finds a
# problem, never because of timing.
#
# Usage: bench/http_load.sh            (after building build/release)
# Environment: GREENLOOP_BIN (build/release/greenloop), DURATION (10), CONNECTIONS (32),
#   WRK_THREADS (1), SERVER_THREADS (64), ACCOUNTS (32), BATCH (100), ORDERS (1), ORDER_BATCH (50), WARMUP (2), KEEP (0),
#   PROFILE (a path: record the server with `perf record` during one run; PERF_ARGS, default -g, e.g. "--call-graph dwarf,16384 -F 300"),
#   PROFILE_RUN (which run PROFILE records: transfers (default), batch, orders or order_batch).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${GREENLOOP_BIN:-$ROOT/build/release/greenloop}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
WRK_THREADS="${WRK_THREADS:-1}"
SERVER_THREADS="${SERVER_THREADS:-64}"
ACCOUNTS="${ACCOUNTS:-32}"
BATCH="${BATCH:-100}"
ORDERS="${ORDERS:-1}"
ORDER_BATCH="${ORDER_BATCH:-50}"
WARMUP="${WARMUP:-2}"
KEEP="${KEEP:-0}"
PROFILE="${PROFILE:-}"
PROFILE_RUN="${PROFILE_RUN:-transfers}"

for tool in wrk curl jq python3; do
  command -v "$tool" >/dev/null || { echo "http_load: '$tool' is required" >&2; exit 2; }
done
[[ -x "$BIN" ]] || { echo "http_load: $BIN not found; build first (see docs/benchmarks.md)" >&2; exit 2; }
if (( CONNECTIONS > SERVER_THREADS )); then
  echo "http_load: CONNECTIONS ($CONNECTIONS) > SERVER_THREADS ($SERVER_THREADS): each keep-alive connection holds a server thread" >&2
  exit 2
fi

WORK="$(mktemp -d /tmp/greenloop-http-bench-XXXXXX)"
DB="sqlite:$WORK/http.db"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "$KEEP" == "1" ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"

echo "GreenLoop HTTP load benchmark (wrk, keep-alive, loopback)"
echo "  machine     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "  load avg    $(cut -d' ' -f1-3 /proc/loadavg) at start (other processes share the machine)"
echo "  server      $BIN serve --db $DB --host 127.0.0.1 --port $PORT --threads $SERVER_THREADS"
echo "  wrk         -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s --latency (server and wrk share the $(nproc) cores)"

"$BIN" demo --db "$DB" --json >"$WORK/demo.json"
GREENLOOP_CLOCK_START=2026-11-23T02:00:00Z \
  "$BIN" serve --db "$DB" --host 127.0.0.1 --port "$PORT" --threads "$SERVER_THREADS" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs "$BASE/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "http_load: server exited:" >&2; cat "$WORK/server.log" >&2; exit 2; }
  sleep 0.1
done
curl -fs "$BASE/api/v1/health" >/dev/null || { echo "http_load: server did not come up" >&2; exit 2; }

TOKEN="$(curl -fs -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"name":"regulator","password":"demo-regulator"}' | jq -r .token)"
[[ -n "$TOKEN" && "$TOKEN" != null ]] || { echo "http_load: login failed" >&2; exit 2; }
AUTH=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')

# Source accounts: holding accounts of one demo enterprise, each issued 10^12 CEA-2024 so that the
# run cannot exhaust them. The regulator may transfer from any account.
ORG="$(curl -fs "${AUTH[@]}" "$BASE/api/v1/organizations?kind=enterprise" | jq -r '.items[0].id')"
IDS=()
for i in $(seq 1 "$ACCOUNTS"); do
  id="$(curl -fs "${AUTH[@]}" -X POST "$BASE/api/v1/accounts" \
    -d "{\"org_id\":$ORG,\"kind\":\"holding\",\"name\":\"bench source $i\"}" | jq -r .id)"
  status="$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" -X POST "$BASE/api/v1/issuances" \
    -d "{\"instrument\":\"CEA-2024\",\"to_account\":$id,\"quantity\":1000000000000,\"memo\":\"benchmark opening balance\"}")"
  [[ "$status" == 201 ]] || { echo "http_load: issuance to account $id answered $status" >&2; exit 2; }
  IDS+=("$id")
done
ENTRIES_BEFORE="$(curl -fs "$BASE/api/v1/health" | jq -r .entries)"
echo "  fixtures    $ACCOUNTS holding accounts of organization $ORG (ids ${IDS[0]}..${IDS[-1]}), 10^12 CEA-2024 each; $ENTRIES_BEFORE entries"

login() {
  curl -fs -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"$2\"}" | jq -r .token
}
# Order fixtures: ACCOUNTS seller accounts of the demo power plant (10^9 CEA-2024 each), ACCOUNTS
# buyer accounts of the demo aluminium smelter (10^15 fen each), CEA-2024 listed and open.
if (( ORDERS > 0 )); then
  SELL_TOKEN="$(login ent-power demo-enterprise)"
  BUY_TOKEN="$(login ent-alu demo-enterprise)"
  EX_TOKEN="$(login exchange demo-exchange)"
  open_accounts() {  # TOKEN INSTRUMENT QUANTITY -> account ids of the token's organization
    local org
    org="$(curl -fs -H "Authorization: Bearer $1" "$BASE/api/v1/auth/me" | jq -r .user.org_id)"
    for i in $(seq 1 "$ACCOUNTS"); do
      local id
      id="$(curl -fs "${AUTH[@]}" -X POST "$BASE/api/v1/accounts" \
        -d "{\"org_id\":$org,\"kind\":\"holding\",\"name\":\"bench trader $i\"}" | jq -r .id)"
      curl -fs -o /dev/null "${AUTH[@]}" -X POST "$BASE/api/v1/issuances" \
        -d "{\"instrument\":\"$2\",\"to_account\":$id,\"quantity\":$3,\"memo\":\"benchmark opening balance\"}" \
        || { echo "http_load: issuance of $2 to account $id failed" >&2; exit 2; }
      echo "$id"
    done
  }
  SELLERS="$(open_accounts "$SELL_TOKEN" CEA-2024 1000000000 | paste -sd,)"
  BUYERS="$(open_accounts "$BUY_TOKEN" CNY 1000000000000000 | paste -sd,)"
  EX_AUTH=(-H "Authorization: Bearer $EX_TOKEN" -H 'Content-Type: application/json')
  curl -fs -o /dev/null "${EX_AUTH[@]}" -X POST "$BASE/api/v1/market/listings" \
    -d '{"instrument":"CEA-2024","prev_close_fen":5000,"fee_bps":0}' || { echo "http_load: listing failed" >&2; exit 2; }
  curl -fs -o /dev/null "${EX_AUTH[@]}" -X POST "$BASE/api/v1/market/listings/CEA-2024/state" \
    -d '{"state":"open"}' || { echo "http_load: opening the market failed" >&2; exit 2; }
  echo "  orders      CEA-2024 listed and open; sellers $SELLERS; buyers $BUYERS"
fi

# Shared Lua: per-thread error counts gathered in done(), one RESULT line for this script to parse.
lua_common() {
  cat <<EOF
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function done(summary, latency, requests)
  local errors, first = 0, ""
  for _, t in ipairs(threads) do
    errors = errors + t:get("errors")
    local f = t:get("first_error")
    if first == "" and f ~= nil and f ~= "" then first = f end
  end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, errors, e.connect + e.read + e.write + e.timeout))
  if first ~= "" then io.write("FIRST_ERROR " .. first .. "\n") end
end
EOF
}

cat >"$WORK/health.lua" <<EOF
$(lua_common)
function init(args) errors = 0; first_error = "" end
function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    if first_error == "" then first_error = status .. " " .. body end
  end
end
EOF

ACCOUNT_LIST="$(IFS=,; echo "${IDS[*]}")"
cat >"$WORK/transfer.lua" <<EOF
$(lua_common)
local accounts = {$ACCOUNT_LIST}
local n = #accounts
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $TOKEN"}
local k = 0
function init(args) errors = 0; first_error = ""; k = tid * 1000003 end
-- The k-th transfer: every account sends and receives, never to itself.
local function transfer(k)
  local from = accounts[(k % n) + 1]
  local to = accounts[((k + 1 + math.floor(k / n) % (n - 1)) % n) + 1]
  return string.format('{"from_account":%d,"to_account":%d,"instrument":"CEA-2024","quantity":%d}', from, to, 1 + k % 100)
end
function request()
  k = k + 1
  return wrk.format("POST", nil, headers, transfer(k))
end
function response(status, headers, body)
  if status ~= 201 then
    errors = errors + 1
    if first_error == "" then first_error = status .. " " .. body end
  end
end
EOF

cat >"$WORK/batch.lua" <<EOF
$(lua_common)
local accounts = {$ACCOUNT_LIST}
local n = #accounts
local batch = $BATCH
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $TOKEN"}
local k = 0
function init(args) errors = 0; first_error = ""; k = tid * 1000003 + 500000 end
local function transfer(k)
  local from = accounts[(k % n) + 1]
  local to = accounts[((k + 1 + math.floor(k / n) % (n - 1)) % n) + 1]
  return string.format('{"from_account":%d,"to_account":%d,"instrument":"CEA-2024","quantity":%d}', from, to, 1 + k % 100)
end
function request()
  local items = {}
  for i = 1, batch do
    k = k + 1
    items[i] = transfer(k)
  end
  return wrk.format("POST", nil, headers, '{"transfers":[' .. table.concat(items, ",") .. ']}')
end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"failed":0', 1, true) then
    errors = errors + 1
    if first_error == "" then first_error = status .. " " .. string.sub(body, 1, 300) end
  end
end
EOF

cat >"$WORK/orders.lua" <<EOF
$(lua_common)
local sellers = {${SELLERS:-0}}
local buyers = {${BUYERS:-0}}
local sell_headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer ${SELL_TOKEN:-}"}
local buy_headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer ${BUY_TOKEN:-}"}
local k = 0
function init(args) errors = 0; first_error = ""; k = tid * 1000003 end
-- The k-th order: sells at 5000-5009 fen and buys at 4995-5004 alternate, 1-10 t each.
function request()
  k = k + 1
  local quantity = 1 + k % 10
  if k % 2 == 0 then
    local body = string.format('{"instrument":"CEA-2024","account_id":%d,"side":"sell","price_fen":%d,"quantity":%d}',
      sellers[(k % #sellers) + 1], 5000 + (k * 7) % 10, quantity)
    return wrk.format("POST", nil, sell_headers, body)
  end
  local body = string.format('{"instrument":"CEA-2024","account_id":%d,"side":"buy","price_fen":%d,"quantity":%d}',
    buyers[(k % #buyers) + 1], 4995 + (k * 3) % 10, quantity)
  return wrk.format("POST", nil, buy_headers, body)
end
function response(status, headers, body)
  if status ~= 201 then
    errors = errors + 1
    if first_error == "" then first_error = status .. " " .. string.sub(body, 1, 300) end
  end
end
EOF

cat >"$WORK/order_batch.lua" <<EOF
$(lua_common)
local sellers = {${SELLERS:-0}}
local buyers = {${BUYERS:-0}}
local headers = {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer ${SELL_TOKEN:-}"},
                 {["Content-Type"] = "application/json", ["Authorization"] = "Bearer ${BUY_TOKEN:-}"}}
local k = 0
function init(args) errors = 0; first_error = ""; k = tid * 1000003 end
-- One organization's orders per request (a token trades only its own accounts): the stream of
-- orders.lua split by side, alternating sells and buys from one request to the next.
function request()
  k = k + 1
  local sell = k % 2 == 0
  local parts = {}
  for i = 1, ${ORDER_BATCH} do
    local j = k * ${ORDER_BATCH} + i
    local quantity = 1 + j % 10
    if sell then
      parts[i] = string.format('{"instrument":"CEA-2024","account_id":%d,"side":"sell","price_fen":%d,"quantity":%d}',
        sellers[(j % #sellers) + 1], 5000 + (j * 7) % 10, quantity)
    else
      parts[i] = string.format('{"instrument":"CEA-2024","account_id":%d,"side":"buy","price_fen":%d,"quantity":%d}',
        buyers[(j % #buyers) + 1], 4995 + (j * 3) % 10, quantity)
    end
  end
  return wrk.format("POST", nil, headers[sell and 1 or 2], '{"orders":[' .. table.concat(parts, ",") .. ']}')
end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"failed":0', 1, true) then
    errors = errors + 1
    if first_error == "" then first_error = status .. " " .. string.sub(body, 1, 300) end
  end
end
EOF

# run_wrk NAME LUA PATH DURATION -> sets R_REQ R_RPS R_P50 R_P90 R_P99 R_MAX R_ERR and the CPU figures;
# wrk's own report goes to \$WORK/wrk.log (kept with KEEP=1).
CLK_TCK="$(getconf CLK_TCK)"
server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
run_wrk() {
  local name="$1" lua="$2" path="$3" duration="$4"
  local out ticks_before ticks_after wrk_cpu
  ticks_before="$(server_cpu_ticks)"
  local TIMEFORMAT='%3U %3S'
  { time wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${duration}s" --latency -s "$lua" "$BASE$path" >"$WORK/wrk.out" 2>&1; } 2>"$WORK/wrk.time"
  ticks_after="$(server_cpu_ticks)"
  out="$(cat "$WORK/wrk.out")"
  echo "$out" >>"$WORK/wrk.log"
  wrk_cpu="$(awk '{print $1 + $2}' "$WORK/wrk.time")"
  local line
  line="$(grep '^RESULT' <<<"$out")" || { echo "http_load: wrk failed for $name:" >&2; echo "$out" >&2; exit 2; }
  field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<" ${line#RESULT }"; }
  local requests duration_us p50_us p90_us p99_us max_us errors socket_errors
  requests="$(field requests)"; duration_us="$(field duration_us)"
  p50_us="$(field p50_us)"; p90_us="$(field p90_us)"; p99_us="$(field p99_us)"; max_us="$(field max_us)"
  errors="$(field errors)"; socket_errors="$(field socket_errors)"
  R_REQ=$requests
  R_RPS=$(python3 -c "print(f'{$requests / ($duration_us / 1e6):.0f}')")
  R_P50=$(python3 -c "print(f'{$p50_us / 1e3:.2f}')")
  R_P90=$(python3 -c "print(f'{$p90_us / 1e3:.2f}')")
  R_P99=$(python3 -c "print(f'{$p99_us / 1e3:.2f}')")
  R_MAX=$(python3 -c "print(f'{$max_us / 1e3:.2f}')")
  R_ERR=$((errors + socket_errors))
  # CPU per request (server process + wrk), and what two otherwise idle cores could serve at that cost.
  R_SERVER_US=$(python3 -c "print(f'{($ticks_after - $ticks_before) / $CLK_TCK / max($requests, 1) * 1e6:.0f}')")
  R_WRK_US=$(python3 -c "print(f'{$wrk_cpu / max($requests, 1) * 1e6:.0f}')")
  R_CEILING=$(python3 -c "print(f'{$(nproc) * 1e6 / max($R_SERVER_US + $R_WRK_US, 1):.0f}')")
  if grep -q '^FIRST_ERROR' <<<"$out"; then grep '^FIRST_ERROR' <<<"$out" | head -1 | cut -c1-300 >&2; fi
}

report() {
  local name="$1" unit_per_request="$2"
  local tps
  tps=$(python3 -c "print(f'{$R_RPS * $unit_per_request:.0f}')")
  printf '  %-34s %8s req/s %9s transfers/s  p50 %7s ms  p90 %7s ms  p99 %7s ms  max %8s ms  errors %s\n' \
    "$name" "$R_RPS" "$tps" "$R_P50" "$R_P90" "$R_P99" "$R_MAX" "$R_ERR"
  printf '  %-34s CPU/request: server %s us + wrk %s us -> %s req/s if the %s cores were ours alone\n' \
    "" "$R_SERVER_US" "$R_WRK_US" "$R_CEILING" "$(nproc)"
}

# run_wrk, recorded by perf when the run is PROFILE_RUN.
run_wrk_profiled() {
  local perf_pid=""
  if [[ -n "$PROFILE" && "$1" == "$PROFILE_RUN" ]]; then
    perf record ${PERF_ARGS:--g} -q -o "$PROFILE" -p "$SERVER_PID" -- sleep "$4" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  run_wrk "$@"
  if [[ -n "$perf_pid" ]]; then wait "$perf_pid" || true; echo "  perf profile of the server during the $1 run: $PROFILE"; fi
}

echo
echo "results (each ${DURATION}s, $CONNECTIONS keep-alive connections; latency per request as wrk measures it)"
TOTAL_ERRORS=0
if (( WARMUP > 0 )); then run_wrk warmup "$WORK/health.lua" /api/v1/health "$WARMUP"; fi
run_wrk health "$WORK/health.lua" /api/v1/health "$DURATION"
HEALTH_RPS=$R_RPS
report "GET /health (baseline, HTTP floor)" 0
TOTAL_ERRORS=$((TOTAL_ERRORS + R_ERR))

if (( WARMUP > 0 )); then run_wrk warmup "$WORK/transfer.lua" /api/v1/transfers "$WARMUP"; fi
ENTRIES_START="$(curl -fs "$BASE/api/v1/health" | jq -r .entries)"
run_wrk_profiled transfers "$WORK/transfer.lua" /api/v1/transfers "$DURATION"
ENTRIES_END="$(curl -fs "$BASE/api/v1/health" | jq -r .entries)"
TRANSFER_RPS=$R_RPS
TRANSFER_P50=$R_P50
TRANSFER_P99=$R_P99
report "POST /transfers (1 per request)" 1
TOTAL_ERRORS=$((TOTAL_ERRORS + R_ERR))
TRANSFER_ERR=$R_ERR
TRANSFER_REQ=$R_REQ

if (( BATCH > 0 )); then
  run_wrk_profiled batch "$WORK/batch.lua" /api/v1/transfers "$DURATION"
  report "POST /transfers ($BATCH per request)" "$BATCH"
  TOTAL_ERRORS=$((TOTAL_ERRORS + R_ERR))
fi

if (( ORDERS > 0 )); then
  if (( WARMUP > 0 )); then run_wrk warmup "$WORK/orders.lua" /api/v1/market/orders "$WARMUP"; fi
  ORDER_ENTRIES_START="$(curl -fs "$BASE/api/v1/health" | jq -r .entries)"
  run_wrk_profiled orders "$WORK/orders.lua" /api/v1/market/orders "$DURATION"
  ORDER_ENTRIES_END="$(curl -fs "$BASE/api/v1/health" | jq -r .entries)"
  ORDER_RPS=$R_RPS; ORDER_P50=$R_P50; ORDER_P99=$R_P99; ORDER_ERR=$R_ERR; ORDER_REQ=$R_REQ
  report "POST /market/orders (1 order)" 1
  TOTAL_ERRORS=$((TOTAL_ERRORS + R_ERR))
  if (( ORDER_BATCH > 0 )); then
    run_wrk_profiled order_batch "$WORK/order_batch.lua" /api/v1/market/orders "$DURATION"
    OB_RPS=$(python3 -c "print(f'{$R_RPS * $ORDER_BATCH:.0f}')"); OB_P50=$R_P50; OB_P99=$R_P99; OB_ERR=$R_ERR
    report "POST /market/orders ($ORDER_BATCH per request)" "$ORDER_BATCH"
    TOTAL_ERRORS=$((TOTAL_ERRORS + R_ERR))
  fi
fi

echo
echo "  single transfers: $TRANSFER_RPS transfers/s, p50 $TRANSFER_P50 ms, p99 $TRANSFER_P99 ms, errors $TRANSFER_ERR"
echo "  ratio to the baseline (GET /health req/s): $(python3 -c "print(f'{$TRANSFER_RPS / $HEALTH_RPS:.2f}')")"
echo "  server-side: $((ENTRIES_END - ENTRIES_START)) entries written during the run; wrk counted $TRANSFER_REQ responses"
echo "  (the difference is requests in flight when wrk stopped)"
echo "  target: >= 10000 transfers/s with p99 <= 20 ms (single transfers)"
if (( ORDERS > 0 )); then
  echo "  orders: $ORDER_RPS orders/s, p50 $ORDER_P50 ms, p99 $ORDER_P99 ms, errors $ORDER_ERR;" \
    "ratio to the baseline $(python3 -c "print(f'{$ORDER_RPS / $HEALTH_RPS:.2f}')")"
  echo "  server-side: $((ORDER_ENTRIES_END - ORDER_ENTRIES_START)) entries (freezes and settlements) for $ORDER_REQ orders answered"
  if (( ORDER_BATCH > 0 )); then
    echo "  orders in batches of $ORDER_BATCH: $OB_RPS orders/s, p50 $OB_P50 ms, p99 $OB_P99 ms (per request), errors $OB_ERR;" \
      "ratio to the baseline $(python3 -c "print(f'{$OB_RPS / $HEALTH_RPS:.2f}')")"
  fi
  echo "  target: >= 20000 orders/s with p99 <= 20 ms"
fi

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
echo
VERIFY_STATUS=0
if VERIFY_OUT="$("$BIN" verify --db "$DB" 2>&1)"; then :; else VERIFY_STATUS=1; fi
echo "  verify: $VERIFY_OUT"
echo "  load avg    $(cut -d' ' -f1-3 /proc/loadavg) at end"
if (( TOTAL_ERRORS > 0 || VERIFY_STATUS != 0 )); then exit 1; fi
