#!/bin/bash
# A/B of one GET between an older commit's server and this checkout's, in turn on one database.
#
#   bench/ab.sh <old-rev> '<path?query>' [rounds]
#
# Needs wrk and a database the regression guard filled (DATABASE_URL, default sm_side, made by
# bench/side_guard.py: its bench users sign in). Each round: 2 s of warm-up, then 8 s measured,
# c16, old server then new. The older commit is checked out in a temporary git worktree.
set -euo pipefail
OLD_REV=$1 PATH_QUERY=$2 ROUNDS=${3:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=$ROOT/.venv/bin/python
OLD=$(mktemp -d)
git -C "$ROOT" worktree add -q --detach "$OLD" "$OLD_REV"
export DATABASE_URL=${DATABASE_URL:-mysql://root:@127.0.0.1:3306/sm_side}
export SALESMAGNET_ENV=production LOG_LEVEL=WARNING HOST=127.0.0.1
JWT_SECRET=$("$PY" -c "import secrets; print(secrets.token_hex(32))")
export JWT_SECRET
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; git -C "$ROOT" worktree remove --force "$OLD"; }
trap cleanup EXIT
start() {  # dir port
  (cd "$1" && PORT=$2 exec "$PY" server.py > /dev/null 2>&1) &
  PIDS+=($!)
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$2/health" && return; sleep 0.2; done
  echo "server in $1 did not start" >&2; exit 1
}
start "$OLD" 8201
start "$ROOT" 8202
TOKEN=$(curl -s -X POST http://127.0.0.1:8202/api/auth/login -H 'content-type: application/json' \
  -d '{"email":"admin1.e1@example.com","password":"BenchPass123"}' \
  | "$PY" -c "import json, sys; print(json.load(sys.stdin)['data']['access_token'])")
for round in $(seq "$ROUNDS"); do
  for side in "8201 $OLD_REV" "8202 HEAD"; do
    set -- $side
    wrk -t2 -c16 -d2s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$1$PATH_QUERY" > /dev/null
    rate=$(wrk -t2 -c16 -d8s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$1$PATH_QUERY" | awk '/Requests\/sec/ {print $2}')
    echo "round $round  $2: $rate req/s"
  done
done
