{{- define "probant.labels" -}}
app.kubernetes.io/name: probant
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "probant.env" -}}
envFrom:
  - secretRef:
      name: {{ .Values.existingSecret }}
env:
  - name: PROBANT_TRUSTED_PROXIES
    value: {{ join "," .Values.trustedProxies | quote }}
{{- range $name, $value := .Values.env }}
  - name: {{ $name }}
    value: {{ $value | quote }}
{{- end }}
{{- range $name, $value := .Values.limits }}
  - name: {{ $name }}
    value: {{ $value | quote }}
{{- end }}
{{- end -}}
