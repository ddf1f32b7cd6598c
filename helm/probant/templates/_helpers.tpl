{{- define "probant.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "probant.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "probant.labels" -}}
{{ include "probant.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- end -}}

{{- define "probant.image" -}}
{{ printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) | quote }}
{{- end -}}

{{- define "probant.secretName" -}}
{{- if .Values.secrets.externalSecret.enabled -}}
{{ include "probant.fullname" . }}-env
{{- else -}}
{{ required "secrets.existingSecret (or secrets.externalSecret.enabled) is required" .Values.secrets.existingSecret }}
{{- end -}}
{{- end -}}

{{- define "probant.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ .Values.serviceAccount.name | default (include "probant.fullname" .) }}
{{- else -}}
{{ .Values.serviceAccount.name | default "default" }}
{{- end -}}
{{- end -}}

{{/* The environment every container shares: the Secret, plain settings, derived ones. */}}
{{- define "probant.env" -}}
envFrom:
  - secretRef:
      name: {{ include "probant.secretName" . }}
env:
{{- range $name, $value := .Values.env }}
  - name: {{ $name }}
    value: {{ $value | quote }}
{{- end }}
  - name: PROBANT_DATA_DIR
    value: {{ .Values.volumes.data.mountPath | quote }}
  - name: PROBANT_TRUSTED_PROXIES
    value: {{ .Values.trustedProxies | quote }}
{{- with .Values.push.vapidKeySecret }}
{{- if .name }}
  - name: PROBANT_VAPID_PRIVATE_KEY
    valueFrom:
      secretKeyRef:
        name: {{ .name | quote }}
        key: {{ .key | quote }}
{{- end }}
{{- end }}
{{- with .Values.push.subject }}
  - name: PROBANT_VAPID_SUBJECT
    value: {{ . | quote }}
{{- end }}
{{- with .Values.tracing.otlpEndpoint }}
  - name: OTEL_EXPORTER_OTLP_ENDPOINT
    value: {{ . | quote }}
  - name: OTEL_SERVICE_NAME
    value: {{ $.Values.tracing.serviceName | quote }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The migration hook runs before the chart's ServiceAccount exists: it uses the default one. */}}
{{- define "probant.podSpecCommon" -}}
automountServiceAccountToken: false
securityContext: {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .Values.volumes.tmp.sizeLimit }}
  - name: data
    emptyDir:
      sizeLimit: {{ .Values.volumes.data.sizeLimit }}
{{- with .Values.signing.secretName }}
  - name: signing
    secret:
      secretName: {{ . }}
      defaultMode: 0400
{{- end }}
{{- end -}}

{{- define "probant.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  - name: data
    mountPath: {{ .Values.volumes.data.mountPath }}
{{- if .Values.signing.secretName }}
  - name: signing
    mountPath: {{ .Values.signing.mountPath }}
    readOnly: true
{{- end }}
{{- end -}}

{{- define "probant.container" -}}
image: {{ include "probant.image" . }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
securityContext: {{- toYaml .Values.containerSecurityContext | nindent 2 }}
{{ include "probant.env" . }}
{{ include "probant.volumeMounts" . }}
{{- end -}}

{{- define "probant.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
