/**
 * Helm benchmark. Prints one JSON object:
 *   render.templates / render.objects   size of the synthetic chart (50 templates, helpers, loops)
 *   render.msPerRender                  mean time to render it (values, dependencies, schema, engine, sort)
 *   install.chart                       the chart installed per cluster (test/fixtures/charts/umbrella)
 *   install.msPerCluster                mean wall time of one install (render + CRDs + apply + release Secret)
 *                                       measured sequentially on fresh clusters
 *   fleet.clusters / fleet.concurrency  installs of that chart into N clusters of the embedded API server
 *   fleet.installsPerSecond             completed installs per second across the fleet
 *   loadAverage1m                       machine load while measuring
 * Options: --clusters N (default 100), --concurrency N (default 8), --renders N (default 30).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startApiServer } from '../src/apiserver/index.js';
import { install } from '../src/helm/action/index.js';
import { type Chart, loadChart } from '../src/helm/chart/index.js';
import { renderChart } from '../src/helm/render/index.js';
import { KubeClient } from '../src/kube/index.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const clusters = arg('clusters', 100);
const concurrency = arg('concurrency', 8);
const renders = arg('renders', 30);

const enc = new TextEncoder();
const HELPERS = `{{- define "bench.fullname" -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "bench.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.extraLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}`;

function template(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "bench.fullname" . }}-${i}
  labels:
    {{- include "bench.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: c${i}
  template:
    metadata:
      labels:
        app: c${i}
    spec:
      containers:
        {{- range $n, $c := .Values.containers }}
        - name: {{ $n }}
          image: "{{ $.Values.image.repository }}:{{ $.Values.image.tag | default $.Chart.AppVersion }}"
          env:
            {{- range $k, $v := $c.env }}
            - name: {{ $k | upper }}
              value: {{ $v | quote }}
            {{- end }}
          resources: {{- toYaml $.Values.resources | nindent 12 }}
        {{- end }}
`;
}

function syntheticChart(n: number): Chart {
  const templates = [{ name: 'templates/_helpers.tpl', data: enc.encode(HELPERS) }];
  for (let i = 0; i < n; i++)
    templates.push({ name: `templates/t${String(i).padStart(2, '0')}.yaml`, data: enc.encode(template(i)) });
  return {
    metadata: { apiVersion: 'v2', name: 'bench', version: '1.0.0', appVersion: '2.0.0' },
    templates,
    values: {
      replicas: 2,
      image: { repository: 'registry.example.com/app', tag: '' },
      extraLabels: { team: 'platform' },
      containers: {
        web: { env: { mode: 'prod', port: 8080 } },
        sidecar: { env: { level: 'info' } },
      },
      resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
    },
    rawValues: '',
    files: [],
    crds: [],
    dependencies: [],
  };
}

const chart = syntheticChart(50);
const release = { name: 'bench', namespace: 'default' };
let objects = 0;
for (let i = 0; i < 3; i++) objects = (await renderChart(chart, { release })).manifests.length;
const t0 = performance.now();
for (let i = 0; i < renders; i++) await renderChart(chart, { release });
const msPerRender = (performance.now() - t0) / renders;

const umbrella = await loadChart('test/fixtures/charts/umbrella');
const names = Array.from({ length: clusters }, (_, i) => `c${i}`);
const server = await startApiServer({ memory: true, port: 0, clusters: names });
const clients = await Promise.all(
  names.map((n) => KubeClient.fromKubeconfig({ yaml: server.kubeconfig(n) }, { name: n })),
);
const installInto = (client: KubeClient) =>
  install({ client }, { releaseName: 'web', namespace: 'default', chart: umbrella });

// Sequential installs on the first few clusters: the latency of one install.
const seq = Math.min(5, clusters);
const s0 = performance.now();
for (let i = 0; i < seq; i++) await installInto(clients[i]);
const msPerCluster = (performance.now() - s0) / seq;

// The rest concurrently: throughput across the fleet.
const rest = clients.slice(seq);
const f0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(concurrency, rest.length) }, async () => {
    while (next < rest.length) await installInto(rest[next++]);
  }),
);
const fleetSeconds = (performance.now() - f0) / 1000;
for (const c of clients) c.close();
await server.stop();

console.log(
  JSON.stringify({
    bench: 'helm',
    render: { templates: 50, objects, msPerRender: Number(msPerRender.toFixed(2)) },
    install: { chart: 'umbrella (3 objects, 5 subcharts)', msPerCluster: Number(msPerCluster.toFixed(1)) },
    fleet: {
      clusters,
      concurrency,
      installs: rest.length,
      seconds: Number(fleetSeconds.toFixed(2)),
      installsPerSecond: rest.length > 0 ? Number((rest.length / fleetSeconds).toFixed(1)) : 0,
    },
    loadAverage1m: loadavg()[0],
  }),
);
