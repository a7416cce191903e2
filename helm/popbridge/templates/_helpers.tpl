{{/*
Chart name, truncated to the 63 characters a DNS label allows.
*/}}
{{- define "popbridge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Prefix of every resource name: <release>-<chart>, or the release name alone when it already contains the chart name.
*/}}
{{- define "popbridge.fullname" -}}
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

{{/*
Name of one service's resources: <fullname>-<component>. Call with (dict "root" $ "component" "fetcher").
*/}}
{{- define "popbridge.componentName" -}}
{{- printf "%s-%s" (include "popbridge.fullname" .root | trunc 54 | trimSuffix "-") .component }}
{{- end }}

{{- define "popbridge.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every resource. The chart version lives here, never in selectors.
*/}}
{{- define "popbridge.labels" -}}
helm.sh/chart: {{ include "popbridge.chart" . }}
{{ include "popbridge.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: popbridge
{{- end }}

{{/*
Selector labels: stable across upgrades (no version), so Deployments can be upgraded in place.
*/}}
{{- define "popbridge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "popbridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels and selector labels of one service. Call with (dict "root" $ "component" "fetcher").
*/}}
{{- define "popbridge.componentLabels" -}}
{{ include "popbridge.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "popbridge.componentSelectorLabels" -}}
{{ include "popbridge.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "popbridge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "popbridge.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Credentials (Secret key -> value) the user set in values; YAML map, empty when secrets.existingSecret is used.
*/}}
{{- define "popbridge.givenCredentials" -}}
{{- if not .Values.secrets.existingSecret }}
{{- with .Values.secrets.encryptionKey }}
encryption-key: {{ . | quote }}
{{- end }}
{{- with .Values.secrets.adminPassword }}
admin-password: {{ . | quote }}
{{- end }}
{{- with .Values.secrets.viewerPassword }}
viewer-password: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Credential keys nobody set (generated once at install); YAML list.
*/}}
{{- define "popbridge.generatedCredentials" -}}
{{- if not .Values.secrets.existingSecret }}
{{- if not .Values.secrets.encryptionKey }}
- encryption-key
{{- end }}
{{- if not .Values.secrets.adminPassword }}
- admin-password
{{- end }}
{{- if not .Values.secrets.viewerPassword }}
- viewer-password
{{- end }}
{{- end }}
{{- end }}

{{/*
Secret holding one credential key. Call with (dict "root" $ "key" "encryption-key").
*/}}
{{- define "popbridge.credentialSecretName" -}}
{{- $fullname := include "popbridge.fullname" .root }}
{{- if .root.Values.secrets.existingSecret }}
{{- .root.Values.secrets.existingSecret }}
{{- else if has .key (include "popbridge.generatedCredentials" .root | fromYamlArray) }}
{{- printf "%s-generated" $fullname }}
{{- else }}
{{- $fullname }}
{{- end }}
{{- end }}

{{/*
Name of the Secret with the database password.
*/}}
{{- define "popbridge.dbSecretName" -}}
{{- default (include "popbridge.fullname" .) .Values.database.existingSecret }}
{{- end }}

{{- define "popbridge.dbSecretKey" -}}
{{- if .Values.database.existingSecret }}{{ .Values.database.passwordKey }}{{ else }}db-password{{ end }}
{{- end }}

{{/*
Fixed ports of each service (they are compiled into the images' application.properties).
*/}}
{{- define "popbridge.apiPort" -}}
{{- get (dict "fetcher" 8081 "router" 8082 "delivery" 8083) . }}
{{- end }}

{{- define "popbridge.managementPort" -}}
{{- get (dict "fetcher" 9081 "router" 9082 "delivery" 9083) . }}
{{- end }}

{{- define "popbridge.kafkaUsesTls" -}}
{{- if has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL") }}true{{ end }}
{{- end }}

{{- define "popbridge.kafkaUsesSasl" -}}
{{- if has .Values.kafka.securityProtocol (list "SASL_PLAINTEXT" "SASL_SSL") }}true{{ end }}
{{- end }}

{{/*
JAAS login module matching the SASL mechanism.
*/}}
{{- define "popbridge.kafkaLoginModule" -}}
{{- if eq .Values.kafka.sasl.mechanism "PLAIN" }}org.apache.kafka.common.security.plain.PlainLoginModule{{ else }}org.apache.kafka.common.security.scram.ScramLoginModule{{ end }}
{{- end }}

{{/*
Refuse combinations that cannot work, with a message that says what to change.
*/}}
{{- define "popbridge.validate" -}}
{{- range $component := list "router" "delivery" }}
{{- $v := index $.Values $component }}
{{- if and $v.autoscaling.enabled $v.keda.enabled }}
{{- fail (printf "%s: enable either autoscaling or keda, not both (both would fight over the replica count)" $component) }}
{{- end }}
{{- end }}
{{- if and (include "popbridge.kafkaUsesSasl" .) (or (not .Values.kafka.sasl.username) (not .Values.kafka.sasl.passwordSecret)) }}
{{- fail "kafka.securityProtocol uses SASL: set kafka.sasl.username and kafka.sasl.passwordSecret" }}
{{- end }}
{{- end }}
