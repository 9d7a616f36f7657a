#!/bin/sh
# Database as a service (seed 002, steps 1-6) on a local fleet started with `npx flotilla up`.
# The seed's three clusters are embedded clusters here: the management cluster `mgmt`, and
# `service-cluster` and `workload-cluster` made with `flotilla cluster create` and registered with
# `flotilla register cluster` as the seed does. The chart repository is local (`flotilla repo
# serve`), and this script plays the CloudNativePG operator and the cloud: it writes the
# database's credentials Secret and its LoadBalancer Service with an ingress IP.
# Env: STATE (default .flotilla), FLOTILLA (default "npx flotilla"), REPO_PORT (default a free
# port), TRIES (seconds to wait for each step, default 60).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STATE=${STATE:-.flotilla}
FLOTILLA=${FLOTILLA:-npx flotilla}
TRIES=${TRIES:-60}
MGMT="$STATE/mgmt.kubeconfig"
[ -f "$MGMT" ] || { echo "no fleet in $STATE: start one with 'npx flotilla up --state $STATE'" >&2; exit 1; }
export KUBECONFIG="$MGMT" # flotilla register/show and kubectl talk to the management cluster
SVC="$STATE/service-cluster.kubeconfig"
WL="$STATE/workload-cluster.kubeconfig"
wait_for() { # wait_for WHAT COMMAND...: retries COMMAND once a second, at most TRIES times
  what=$1; shift; i=0
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -lt "$TRIES" ] || { echo "FAILED: $what" >&2; exit 1; }
    sleep 1
  done
  echo "ok: $what"
}
nonempty() { out=$("$@") && [ -n "$out" ]; }
# register NAME LABELS: an embedded cluster, registered like `sveltosctl register cluster`.
register() {
  kubectl get sveltoscluster -n "$1" "$1" >/dev/null 2>&1 && return 0
  [ -f "$STATE/$1.kubeconfig" ] || $FLOTILLA cluster create "$1" --state "$STATE"
  kubectl create namespace "$1" --dry-run=client -o yaml | kubectl apply -f -
  $FLOTILLA register cluster --namespace="$1" --cluster="$1" --kubeconfig="$STATE/$1.kubeconfig" --labels="$2"
}
ready() { [ "$(kubectl get sveltoscluster -n "$1" "$1" -o jsonpath='{.status.ready}')" = true ]; }

# Step 1: label the management cluster (flotilla up registered it as mgmt/mgmt). The seed's
# ClusterRole patch is not needed: flotilla's controllers may read and write ConfigMaps/Secrets.
kubectl label sveltoscluster -n mgmt mgmt type=mgmt --overwrite

# Step 2: the service cluster.
register service-cluster type=services
wait_for "SveltosCluster service-cluster/service-cluster ready" ready service-cluster
kubectl get sveltoscluster -A --show-labels

# Step 3: the CloudNativePG chart from a local Helm repository.
REPO_PORT=${REPO_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
$FLOTILLA repo serve "$ROOT/test/fixtures/charts/cloudnative-pg" --port "$REPO_PORT" >"$STATE/repo-serve.log" 2>&1 &
REPO_PID=$!
trap 'kill "$REPO_PID" 2>/dev/null || true' EXIT
trap 'exit 1' INT TERM
wait_for "chart repository http://127.0.0.1:$REPO_PORT (log: $STATE/repo-serve.log)" grep -qx ready "$STATE/repo-serve.log"
sed "s#http://127.0.0.1:8879#http://127.0.0.1:$REPO_PORT#" "$HERE/cloudnative-pg.yaml" | kubectl apply -f -
wait_for "CRD clusters.postgresql.cnpg.io installed in service-cluster by the cnpg chart" \
  kubectl --kubeconfig "$SVC" get crd clusters.postgresql.cnpg.io
wait_for "the cnpg operator Deployment in service-cluster/cnpg-system" \
  nonempty kubectl --kubeconfig "$SVC" -n cnpg-system get deployments -o name
$FLOTILLA show addons --cluster service-cluster

# Step 4: deploy a Postgres cluster for every SveltosCluster labelled postgres=required, and
# bring its credentials and address back to the management cluster.
kubectl apply -f "$HERE/auto-deploy-postgres-cluster.yaml" -f "$HERE/fetch-postgres-data.yaml"

# Step 5: the workload cluster asks for a database.
register workload-cluster postgres=required
wait_for "CNPG Cluster workload-cluster/cluster-workload-cluster in service-cluster" \
  kubectl --kubeconfig "$SVC" -n workload-cluster get clusters.postgresql.cnpg.io cluster-workload-cluster
# The operator's and the cloud's part, played here: the app credentials and the LoadBalancer IP.
kubectl --kubeconfig "$SVC" apply -f - <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: cluster-workload-cluster-app
  namespace: workload-cluster
  labels: { cnpg.io/reload: "true", cnpg.io/cluster: cluster-workload-cluster }
stringData: { username: app, password: example-password }
---
apiVersion: v1
kind: Service
metadata:
  name: cluster-rw-lb
  namespace: workload-cluster
  labels: { cnpg.io/isManaged: "true", cnpg.io/cluster: cluster-workload-cluster }
spec:
  type: LoadBalancer
  selector: { cnpg.io/cluster: cluster-workload-cluster, role: primary }
  ports: [{ name: postgres, protocol: TCP, port: 5432, targetPort: 5432 }]
YAML
kubectl --kubeconfig "$SVC" -n workload-cluster patch service cluster-rw-lb --subresource=status --type=merge \
  -p '{"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}}'
wait_for "Secret workload-cluster/pg-credentials in the management cluster" \
  kubectl get secret -n workload-cluster pg-credentials
lb_ip() { [ "$(kubectl get configmap -n workload-cluster pg-loadbalancer-data -o jsonpath='{.data.external-ip}')" = 203.0.113.10 ]; }
wait_for "ConfigMap workload-cluster/pg-loadbalancer-data says 203.0.113.10 in the management cluster" lb_ip
kubectl get secret -n workload-cluster
kubectl get configmap -n workload-cluster pg-loadbalancer-data -o yaml

# Step 6: a Job in the workload cluster that uses them (in namespace todo, created here).
kubectl apply -f "$HERE/job-to-create-table.yaml"
kubectl --kubeconfig "$WL" create namespace todo --dry-run=client -o yaml | kubectl --kubeconfig "$WL" apply -f -
kubectl label sveltoscluster -n workload-cluster workload-cluster type=app --overwrite
job_args() {
  kubectl --kubeconfig "$WL" -n todo get job todo-table -o jsonpath='{.spec.template.spec.containers[0].args}' |
    grep -q -- '--host=203.0.113.10'
}
wait_for "Job todo/todo-table in workload-cluster, connecting to 203.0.113.10:5432" job_args
kubectl get clustersummaries -A -o wide
# One generated ClusterProfile per event, never a duplicate.
for trigger in deploy-postgres-cluster credentials-secret cnpg-loadbalancer-data; do
  n=$(kubectl get clusterprofiles -l "eventtrigger.lib.projectsveltos.io/eventtriggername=$trigger" -o name | wc -l)
  [ "$n" -eq 1 ] || { echo "FAILED: $n generated ClusterProfiles for EventTrigger $trigger, expected 1" >&2; exit 1; }
  echo "ok: one generated ClusterProfile for EventTrigger $trigger"
done
$FLOTILLA show addons
echo "database-as-a-service: done"
