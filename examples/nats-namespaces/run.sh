#!/bin/sh
# NATS login/logout namespaces (seed 003, steps 4-7) on a local fleet started with
# `npx flotilla up --nats`. Starts a local `nats-server -js` (user admin, password my-password)
# for the duration of the script unless NATS_URL names one that accepts those credentials.
# Env: STATE (default .flotilla), FLOTILLA (default "npx flotilla"), NATS_URL, NATS_PORT (for the
# local server; default a free port), TRIES (seconds to wait for each step, default 60).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
STATE=${STATE:-.flotilla}
FLOTILLA=${FLOTILLA:-npx flotilla}
TRIES=${TRIES:-60}
MGMT="$STATE/mgmt.kubeconfig"
[ -f "$MGMT" ] || { echo "no fleet in $STATE: start one with 'npx flotilla up --nats --state $STATE'" >&2; exit 1; }
mgmt() { kubectl --kubeconfig "$MGMT" "$@"; }
wait_for() { # wait_for WHAT COMMAND...: retries COMMAND once a second, at most TRIES times
  what=$1; shift; i=0
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -lt "$TRIES" ] || { echo "FAILED: $what" >&2; exit 1; }
    sleep 1
  done
  echo "ok: $what"
}

# The seed's step 3 deploys NATS in each production cluster; here a local nats-server does.
if [ -z "${NATS_URL:-}" ]; then
  command -v nats-server >/dev/null || { echo "nats-server is not on PATH: install it or set NATS_URL" >&2; exit 1; }
  NATS_PORT=${NATS_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
  mkdir -p "$STATE/nats"
  nats-server -js -a 127.0.0.1 -p "$NATS_PORT" --user admin --pass my-password -sd "$STATE/nats" \
    >"$STATE/nats-server.log" 2>&1 &
  NATS_PID=$!
  trap 'kill "$NATS_PID" 2>/dev/null || true' EXIT
  trap 'exit 1' INT TERM
  NATS_URL="nats://127.0.0.1:$NATS_PORT"
  wait_for "nats-server -js listening on $NATS_URL (log: $STATE/nats-server.log)" \
    grep -q "Server is ready" "$STATE/nats-server.log"
fi

PROD=$(mgmt get sveltoscluster -A -l env=production -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
[ -n "$PROD" ] || { echo "no cluster labelled env=production: flotilla up creates cluster-a with it" >&2; exit 1; }
echo "production clusters: $(echo $PROD)"

# Step 4: the Secret default/deploy-sveltos-nats-secret holds the Secret projectsveltos/sveltos-nats
# (the seed's, with the local URL) and the ClusterProfile deploys it to env=production clusters.
TMP=$(mktemp -d)
trap 'kill "${NATS_PID:-}" 2>/dev/null || true; rm -rf "$TMP"' EXIT
sed "s#nats://nats.nats.svc.cluster.local:4222#$NATS_URL#" "$HERE/sveltos-nats.json" >"$TMP/sveltos-nats.json"
kubectl create secret generic sveltos-nats --namespace projectsveltos \
  --from-file=sveltos-nats="$TMP/sveltos-nats.json" --dry-run=client -o yaml >"$TMP/sveltos-nats.yaml"
kubectl create secret generic deploy-sveltos-nats-secret --namespace default \
  --type=addons.projectsveltos.io/cluster-profile --from-file=sveltos-nats="$TMP/sveltos-nats.yaml" \
  --dry-run=client -o yaml | mgmt apply -f -
mgmt apply -f "$HERE/clusterprofile.yaml"
has_nats_secret() { kubectl --kubeconfig "$STATE/$1.kubeconfig" -n projectsveltos get secret sveltos-nats; }
for c in $PROD; do wait_for "Secret projectsveltos/sveltos-nats deployed in $c" has_nats_secret "$c"; done

# Step 5: the EventSource, the EventTrigger and the Namespace template.
mgmt apply -f "$HERE/events.yaml"

# Steps 6 and 7: publish the login, then the logout CloudEvent. Core NATS delivers only to who
# is subscribed at that moment, and the agents subscribe once the Secret reached them, so each
# event is published again every 5 s until its effect shows (agents drop repeats by id/source).
publish_until() { # publish_until FILE WHAT CHECK...
  file=$1; what=$2; shift 2; i=0
  while :; do
    $FLOTILLA cloudevent publish --server "$NATS_URL" --user admin --password my-password \
      --subject user-operation "$HERE/$file"
    j=0
    while [ "$j" -lt 5 ]; do
      if "$@" >/dev/null 2>&1; then echo "ok: $what"; return 0; fi
      j=$((j + 1)); sleep 1
    done
    i=$((i + 5))
    [ "$i" -lt "$TRIES" ] || { echo "FAILED: $what" >&2; exit 1; }
  done
}
namespaces() { # namespaces CLUSTER: prints the namespace mgianluc if it is there
  kubectl --kubeconfig "$STATE/$1.kubeconfig" get namespaces --field-selector metadata.name=mgianluc -o name
}
all_have() { for c in $PROD; do ns=$(namespaces "$c") && [ -n "$ns" ] || return 1; done; }
none_has() { for c in $PROD; do ns=$(namespaces "$c") && [ -z "$ns" ] || return 1; done; }
publish_until login.json "namespace mgianluc created in $(echo $PROD)" all_have
KUBECONFIG="$MGMT" $FLOTILLA show addons
publish_until logout.json "namespace mgianluc deleted in $(echo $PROD)" none_has
KUBECONFIG="$MGMT" $FLOTILLA show addons
echo "nats-namespaces: done"
