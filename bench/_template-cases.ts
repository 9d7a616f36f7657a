/** The templates and data rendered by bench/template.ts (and by bench/go/ for the Go comparison). */

export interface BenchCase {
  name: string;
  helm: boolean;
  template: string;
  data: unknown;
}

// a) Seed 004: Sveltos cross-cluster service discovery (EventTrigger template on a Service).
const sveltosEvent = `kind: Service
apiVersion: v1
metadata:
  name: external-{{ .Resource.metadata.name }}
  namespace: external
spec:
  selector: {}
  ports:
    {{ range $port := .Resource.spec.ports }}
    - port: {{ $port.port }}
      protocol: {{ $port.protocol }}
      targetPort: {{ $port.targetPort }}
    {{ end }}
---
kind: Endpoints
apiVersion: v1
metadata:
  name: external-{{ .Resource.metadata.name }}
  namespace: external
subsets:
- addresses:
  - ip: {{ (index .Resource.status.loadBalancer.ingress 0).ip }}
  ports:
    {{ range $port := .Resource.spec.ports }}
    - port: {{ $port.port }}
    {{ end }}
`;

const service = {
  Resource: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'my-service', namespace: 'default', labels: { app: 'products' } },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'products', department: 'sales' },
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 50001 },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 50002 },
        { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 9090 },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '34.28.104.11' }] } },
  },
};

// b) A Helm chart's Deployment with the usual _helpers.tpl idioms.
const helpers = `{{- define "app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "app.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}
{{- define "app.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "app.selectorLabels" -}}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
{{- define "app.labels" -}}
helm.sh/chart: {{ include "app.chart" . }}
{{ include "app.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
{{- define "app.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "app.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}
`;

const deployment = `${helpers}apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "app.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      labels:
        {{- include "app.labels" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      serviceAccountName: {{ include "app.serviceAccountName" . }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .Chart.Name }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.service.port }}
              protocol: TCP
          env:
            {{- range $k, $v := .Values.env }}
            - name: {{ $k | upper | quote }}
              value: {{ $v | quote }}
            {{- end }}
          livenessProbe:
            {{- toYaml .Values.livenessProbe | nindent 12 }}
          readinessProbe:
            {{- toYaml .Values.readinessProbe | nindent 12 }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          {{- with .Values.volumeMounts }}
          volumeMounts:
            {{- toYaml . | nindent 12 }}
          {{- end }}
      {{- with .Values.volumes }}
      volumes:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
`;

const helmData = {
  Chart: { Name: 'webapp', Version: '1.4.2', AppVersion: '2.7.0' },
  Release: { Name: 'prod', Namespace: 'web', Service: 'Helm' },
  Values: {
    replicaCount: 3,
    image: { repository: 'ghcr.io/example/webapp', pullPolicy: 'IfNotPresent', tag: '' },
    imagePullSecrets: [{ name: 'regcred' }],
    nameOverride: '',
    fullnameOverride: '',
    serviceAccount: { create: true, name: '' },
    podAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
    podLabels: { tier: 'frontend' },
    podSecurityContext: { fsGroup: 2000, runAsNonRoot: true },
    securityContext: { capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsUser: 1000 },
    service: { type: 'ClusterIP', port: 8080 },
    env: { log_level: 'info', region: 'eu-west-1', feature_x: 'on', cache_ttl: '300' },
    livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 10 },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
    resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    autoscaling: { enabled: false },
    volumes: [{ name: 'cache', emptyDir: { sizeLimit: '1Gi' } }],
    volumeMounts: [{ name: 'cache', mountPath: '/var/cache/app' }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'webapp' } },
              topologyKey: 'kubernetes.io/hostname',
            },
          },
        ],
      },
    },
  },
};

// c) A range over 1,000 items (e.g. one ConfigMap entry per cluster).
const range1000 = `apiVersion: v1
kind: ConfigMap
metadata:
  name: clusters
data:
{{- range $i, $c := .clusters }}
  {{ $c.name }}: "{{ $c.namespace }}/{{ $c.region }}{{ if $c.ready }} ready{{ end }} #{{ $i }}"
{{- end }}
`;

const clusters = Array.from({ length: 1000 }, (_, i) => ({
  name: `cluster-${i}`,
  namespace: `ns-${i % 17}`,
  region: ['eu-west-1', 'us-east-1', 'ap-south-1'][i % 3],
  ready: i % 5 !== 0,
}));

export const BENCH_CASES: BenchCase[] = [
  { name: 'sveltos-event-service', helm: false, template: sveltosEvent, data: service },
  { name: 'helm-deployment', helm: true, template: deployment, data: helmData },
  { name: 'range-1000', helm: false, template: range1000, data: { clusters } },
];
