{{/* Names, labels and the settings shared by the templates. */}}

{{- define "vigil.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-wide name prefix, at most 40 characters so "<prefix>-webhook-dispatcher" fits in 63. */}}
{{- define "vigil.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "vigil.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The services: values key -> service name (the argument of `vigil service`, the component label). */}}
{{- define "vigil.services" -}}
controlApi: control-api
ingestWorker: ingest-worker
indexerStreams: indexer-streams
alertRouter: alert-router
wsGateway: ws-gateway
webhookDispatcher: webhook-dispatcher
{{- end -}}

{{/* Labels of every object; call with the root context. */}}
{{- define "vigil.labels" -}}
helm.sh/chart: {{ include "vigil.chart" . }}
app.kubernetes.io/name: {{ include "vigil.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vigil
{{- end -}}

{{/* Selector labels of one service: (dict "root" $ "name" "control-api"). */}}
{{- define "vigil.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vigil.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Labels of one service's objects: (dict "root" $ "name" "control-api"). */}}
{{- define "vigil.componentLabels" -}}
{{ include "vigil.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "vigil.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "vigil.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "vigil.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "vigil.secretName" -}}
{{- default (include "vigil.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/*
Fills in generated secrets once per render, so every template (the Secret and the checksum
annotations) sees the same values: a value given in values.yaml wins, then the value already in the
release's Secret (kept across upgrades), then a new random one.
*/}}
{{- define "vigil.ensureSecrets" -}}
{{- if not .Values.secrets.existingSecret -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "vigil.fullname" .) | default dict -}}
{{- $old := get $existing "data" | default dict -}}
{{- if not .Values.secrets.apiKeys -}}
{{- $_ := set .Values.secrets "apiKeys" (get $old "VIGIL_API_KEYS" | default "" | b64dec | default (printf "vigil_%s" (randAlphaNum 40))) -}}
{{- end -}}
{{- if not .Values.secrets.wsTicketSecret -}}
{{- $_ := set .Values.secrets "wsTicketSecret" (get $old "VIGIL_WS_TICKET_SECRET" | default "" | b64dec | default (randAlphaNum 48)) -}}
{{- end -}}
{{- if not .Values.secrets.secretsKeys -}}
{{- $_ := set .Values.secrets "secretsKeys" (get $old "VIGIL_SECRETS_KEYS" | default "" | b64dec | default (printf "chart=%s" (randAlphaNum 48))) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Retention in hours of each topic group: the catalogue's defaults (schemas' Topics). */}}
{{- define "vigil.retentionHours" -}}
media: {{ .Values.topics.retention.media | default "6h" | include "vigil.hours" }}
index: {{ .Values.topics.retention.index | default "7d" | include "vigil.hours" }}
alerts: {{ .Values.topics.retention.alerts | default "28d" | include "vigil.hours" }}
{{- end -}}

{{/* "6h" or "7d" -> hours; other forms are refused (the services also accept ms/s/m and ISO-8601, the chart does not). */}}
{{- define "vigil.hours" -}}
{{- $v := toString . -}}
{{- if regexMatch "^[0-9]+h$" $v -}}
{{- trimSuffix "h" $v -}}
{{- else if regexMatch "^[0-9]+d$" $v -}}
{{- mul (trimSuffix "d" $v | atoi) 24 -}}
{{- else -}}
{{- fail (printf "topics.retention values are whole hours or days, e.g. 6h or 7d (got %q)" $v) -}}
{{- end -}}
{{- end -}}

{{/*
Whether the services create missing topics themselves at start (VIGIL_TOPIC_BOOTSTRAP): only when
neither the topic Job nor Strimzi manages them.
*/}}
{{- define "vigil.servicesBootstrapTopics" -}}
{{- if or .Values.strimzi.enabled .Values.topics.job.enabled -}}false{{- else -}}true{{- end -}}
{{- end -}}

{{/* Settings every service and the topic Job share, as a YAML map of env name -> string. */}}
{{- define "vigil.commonEnv" -}}
VIGIL_KAFKA_BOOTSTRAP_SERVERS: {{ required "kafka.bootstrapServers is required" .Values.kafka.bootstrapServers | quote }}
VIGIL_TOPIC_PREFIX: {{ .Values.topics.prefix | quote }}
VIGIL_TOPIC_PARTITIONS: {{ .Values.topics.partitions | toString | quote }}
VIGIL_TOPIC_REPLICATION_FACTOR: {{ .Values.topics.replicationFactor | toString | quote }}
{{- with .Values.topics.retention.media }}
VIGIL_TOPIC_RETENTION_MEDIA: {{ printf "%sh" (include "vigil.hours" .) | quote }}
{{- end }}
{{- with .Values.topics.retention.index }}
VIGIL_TOPIC_RETENTION_INDEX: {{ printf "%sh" (include "vigil.hours" .) | quote }}
{{- end }}
{{- with .Values.topics.retention.alerts }}
VIGIL_TOPIC_RETENTION_ALERTS: {{ printf "%sh" (include "vigil.hours" .) | quote }}
{{- end }}
{{- range $property, $value := .Values.kafka.clientProperties }}
{{ printf "VIGIL_KAFKA_CLIENT_%s" ($property | upper | replace "." "_" | replace "-" "_") }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/*
The environment of one service held in its ConfigMap: common settings, the service's `config`
(empty values left out), then what the chart's volumes and ports fix. (dict "root" $ "key" "controlApi" "name" "control-api")
*/}}
{{- define "vigil.serviceEnv" -}}
{{- $root := .root -}}
{{- $svc := index $root.Values .key -}}
{{- $env := include "vigil.commonEnv" $root | fromYaml -}}
{{- range $k, $v := $svc.config -}}
{{- if not (kindIs "invalid" $v) -}}
{{- if ne (toString $v) "" -}}
{{- $_ := set $env $k (toString $v) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $_ := set $env "VIGIL_TOPIC_BOOTSTRAP" (include "vigil.servicesBootstrapTopics" $root) -}}
{{- $_ := set $env "VIGIL_HTTP_PORT" ($root.Values.httpPort | toString) -}}
{{- $_ := set $env "VIGIL_OPS_PORT" ($root.Values.opsPort | toString) -}}
{{- if eq .name "indexer-streams" -}}
{{- $_ := set $env "VIGIL_INDEXER_STATE_DIR" "/var/lib/vigil/state" -}}
{{- end -}}
{{- if eq .name "alert-router" -}}
{{- $_ := set $env "VIGIL_ALERT_ROUTER_STATE_DIR" "/var/lib/vigil/state" -}}
{{- end -}}
{{- toYaml $env -}}
{{- end -}}

{{/* Env entries reading the Kafka client credentials from the Secret named by .secret: (dict "root" $ "secret" "name"). */}}
{{- define "vigil.kafkaSecretEnv" -}}
{{- $secret := .secret -}}
{{- range $name, $_ := .root.Values.secrets.kafkaClient }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $name }}
{{- end }}
{{- end -}}

{{/* Volumes every pod mounts (the root file system is read-only). */}}
{{- define "vigil.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.volumes.tmpSizeLimit }}
- name: native-cache
  emptyDir:
    sizeLimit: {{ .Values.volumes.nativeCacheSizeLimit }}
{{- end -}}

{{- define "vigil.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: native-cache
  mountPath: /var/cache/vigil/javacpp
{{- end -}}

{{/* The data of the chart's Secret (base64); call after vigil.ensureSecrets. */}}
{{- define "vigil.secretData" -}}
VIGIL_API_KEYS: {{ .Values.secrets.apiKeys | b64enc | quote }}
VIGIL_WS_TICKET_SECRET: {{ .Values.secrets.wsTicketSecret | b64enc | quote }}
VIGIL_SECRETS_KEYS: {{ .Values.secrets.secretsKeys | b64enc | quote }}
{{- with .Values.secrets.openAiKey }}
VIGIL_MODEL_API_KEY: {{ . | b64enc | quote }}
{{- end }}
{{- range $name, $value := .Values.secrets.kafkaClient }}
{{- if not (hasPrefix "VIGIL_KAFKA_CLIENT_" $name) }}
{{- fail (printf "secrets.kafkaClient keys are env names starting with VIGIL_KAFKA_CLIENT_ (got %s)" $name) }}
{{- end }}
{{ $name }}: {{ $value | toString | b64enc | quote }}
{{- end }}
{{- end -}}

{{/*
Vigil's topics (schemas' Topics.ALL, in order): suffix after the prefix and retention group
(compact = compacted control topic). HelmChartTest checks this list against the catalogue.
*/}}
{{- define "vigil.topicCatalogue" -}}
- {suffix: rtstreams, group: compact}
- {suffix: rtstreams.status, group: compact}
- {suffix: indexes, group: compact}
- {suffix: events, group: compact}
- {suffix: alerts, group: compact}
- {suffix: media.frames, group: media}
- {suffix: media.audio, group: media}
- {suffix: recordings.segments, group: compact}
- {suffix: index.transcript, group: index}
- {suffix: index.scene, group: index}
- {suffix: index.audio, group: index}
- {suffix: alerts.fired, group: alerts}
- {suffix: alerts.judge, group: index}
- {suffix: webhooks.attempts, group: alerts}
- {suffix: webhooks.retry.5s, group: alerts}
- {suffix: webhooks.retry.30s, group: alerts}
- {suffix: webhooks.retry.2m, group: alerts}
- {suffix: webhooks.retry.10m, group: alerts}
- {suffix: webhooks.retry.1h, group: alerts}
- {suffix: webhooks.retry.6h, group: alerts}
- {suffix: webhooks.dead, group: alerts}
{{- end -}}
