#!/bin/sh
# Cross-cluster service discovery (seed 004) on a local fleet started with `npx flotilla up`.
# Env: STATE (the fleet's state directory, default .flotilla), FLOTILLA (default "npx flotilla"),
# TRIES (seconds to wait for each step, default 60).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
STATE=${STATE:-.flotilla}
FLOTILLA=${FLOTILLA:-npx flotilla}
TRIES=${TRIES:-60}
MGMT="$STATE/mgmt.kubeconfig"
[ -f "$MGMT" ] || { echo "no fleet in $STATE: start one with 'npx flotilla up --state $STATE'" >&2; exit 1; }
mgmt() { kubectl --kubeconfig "$MGMT" "$@"; }
clusters() { mgmt get sveltoscluster -A -l "$1" -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'; }
wait_for() { # wait_for WHAT COMMAND...: retries COMMAND once a second, at most TRIES times
  what=$1; shift; i=0
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -lt "$TRIES" ] || { echo "FAILED: $what" >&2; exit 1; }
    sleep 1
  done
  echo "ok: $what"
}

# 1. The management cluster: the EventSource, the EventTrigger and its template ConfigMap.
mgmt apply -f "$HERE/eventsource.yaml" -f "$HERE/eventtrigger.yaml"

# 2. The clusters: the source (env=production, the seed's GKE cluster) and destination (dep=eng,
#    the seed's cluster-api cluster; created here when there is none).
PROD=$(clusters env=production | head -n 1)
[ -n "$PROD" ] || { echo "no cluster labelled env=production: flotilla up creates cluster-a with it" >&2; exit 1; }
[ -n "$(clusters dep=eng)" ] || $FLOTILLA cluster create eng-1 --labels dep=eng --state "$STATE"
ENG=$(clusters dep=eng)
echo "source cluster: $PROD; destination clusters: $(echo $ENG)"
for c in $ENG; do
  # The templated Service and Endpoints go to the namespace "external", as in the seed.
  kubectl --kubeconfig "$STATE/$c.kubeconfig" create namespace external --dry-run=client -o yaml |
    kubectl --kubeconfig "$STATE/$c.kubeconfig" apply -f -
done

# 3. The source cluster: the Deployment and the LoadBalancer Service. There is no cloud load
#    balancer here, so this script plays it: it writes the ingress IP into the Service's status.
P="$STATE/$PROD.kubeconfig"
kubectl --kubeconfig "$P" apply -f "$HERE/lb-service.yaml"
kubectl --kubeconfig "$P" patch service my-lb-service --subresource=status --type=merge \
  -p '{"status":{"loadBalancer":{"ingress":[{"ip":"34.172.32.172"}]}}}'

# 4. Every dep=eng cluster gets the selector-less Service and the Endpoints with that IP.
endpoints_ip() {
  [ "$(kubectl --kubeconfig "$1" -n external get endpoints external-my-lb-service \
    -o jsonpath='{.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}')" = "34.172.32.172:60000" ]
}
for c in $ENG; do
  E="$STATE/$c.kubeconfig"
  wait_for "Endpoints external/external-my-lb-service in $c points at 34.172.32.172:60000" endpoints_ip "$E"
  kubectl --kubeconfig "$E" -n external get service,endpoints external-my-lb-service
done
KUBECONFIG="$MGMT" $FLOTILLA show addons
echo "service-discovery: done"
