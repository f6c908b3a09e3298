{{/* Labels every object carries; "name" is the service. */}}
{{- define "reconmesh.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: reconmesh
{{- end -}}

{{/* The Secret key holding a service's own AMQP URI (its own bus user); a service without one fails the render. */}}
{{- define "reconmesh.rabbitmqUriKey" -}}
{{- required (printf "rabbitmq.uriKeys.%s: the key of %s's own AMQP URI" .name .name) (index .root.Values.rabbitmq.uriKeys .name) -}}
{{- end -}}

{{/* The TriggerAuthentication through which KEDA reads a service's queues as that service's user. */}}
{{- define "reconmesh.triggerAuthenticationName" -}}
{{- printf "%s-rabbitmq" . -}}
{{- end -}}

{{/* The image of a service: <registry>reconmesh/<name>:<tag>. */}}
{{- define "reconmesh.image" -}}
{{- $root := .root -}}
{{- printf "%sreconmesh/%s:%s" $root.Values.image.registry .name (default $root.Chart.AppVersion $root.Values.image.tag) -}}
{{- end -}}

{{/*
One workload: Deployment + Service + PodDisruptionBudget + NetworkPolicy + its autoscaler (KEDA ScaledObject on its queues, or an HPA
on CPU). Called with (dict "root" $ "name" "<service>"); the service's values are .Values.services.<service>.
*/}}
{{- define "reconmesh.workload" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $svc := index $root.Values.services $name -}}
{{- if $svc.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "reconmesh.labels" (dict "name" $name) | nindent 4 }}
    app.kubernetes.io/component: {{ $svc.component }}
  {{- if eq $svc.autoscaling.kind "none" }}
  annotations:
    reconmesh.io/autoscaling-exempt: {{ $svc.autoscaling.exemptReason | quote }}
  {{- end }}
spec:
  replicas: {{ $svc.replicas }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ $name }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "reconmesh.labels" (dict "name" $name) | nindent 8 }}
        app.kubernetes.io/component: {{ $svc.component }}
      annotations:
        # Helm only: restart the pods when the ConfigMap changes (with plain manifests: kubectl rollout restart).
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
    spec:
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: 45
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ $name }}
          image: {{ include "reconmesh.image" (dict "root" $root "name" $name) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $root.Values.config.httpPort }}
              protocol: TCP
            {{- if $svc.webhooks }}
            - name: webhooks
              containerPort: {{ $root.Values.config.webhookPort }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: reconmesh-config
            {{- if $svc.connections }}
            - secretRef:
                name: {{ $root.Values.connections.existingSecret }}
                optional: {{ $root.Values.connections.optional }}
            {{- end }}
          env:
            {{- if has "postgres" $svc.secretSettings }}
            - name: ReconMesh__Postgres
              valueFrom:
                secretKeyRef:
                  name: {{ $root.Values.postgres.existingSecret }}
                  key: {{ $root.Values.postgres.connectionStringKey }}
            {{- end }}
            {{- if has "rabbitmq" $svc.secretSettings }}
            - name: ReconMesh__RabbitMq
              valueFrom:
                secretKeyRef:
                  name: {{ $root.Values.rabbitmq.existingSecret }}
                  key: {{ include "reconmesh.rabbitmqUriKey" (dict "root" $root "name" $name) }}
            {{- end }}
            {{- if $svc.connections }}
            - name: ReconMesh__SettingsDirectory
              value: /etc/reconmesh/secrets
            {{- end }}
            {{- if has "platformWebhook" $svc.secretSettings }}
            - name: ReconMesh__Platform__WebhookSecret
              valueFrom:
                secretKeyRef:
                  name: {{ $root.Values.platformWebhook.existingSecret }}
                  key: {{ $root.Values.platformWebhook.secretKey }}
                  optional: {{ $root.Values.platformWebhook.optional }}
            {{- end }}
            {{- range $svc.env }}
            - name: {{ .name }}
              value: {{ .value | quote }}
            {{- end }}
            {{- if has "consoleKeyRing" $svc.secretSettings }}
            - name: ReconMesh__Console__KeyRing__Postgres
              valueFrom:
                secretKeyRef:
                  name: {{ $root.Values.postgres.existingSecret }}
                  key: {{ $root.Values.postgres.connectionStringKey }}
            - name: ReconMesh__Console__KeyRing__CertificateFile
              value: /etc/reconmesh/console-keyring/tls.crt
            - name: ReconMesh__Console__KeyRing__CertificateKeyFile
              value: /etc/reconmesh/console-keyring/tls.key
            {{- end }}
            {{- if has "consoleOidc" $svc.secretSettings }}
            - name: ReconMesh__Console__Oidc__ClientId
              valueFrom:
                secretKeyRef:
                  name: {{ $root.Values.console.oidc.existingSecret }}
                  key: {{ $root.Values.console.oidc.idKey }}
                  optional: {{ $root.Values.console.oidc.optional }}
            - name: ReconMesh__Console__Oidc__ClientSecret
              valueFrom:
                secretKeyRef:
                  name: {{ $root.Values.console.oidc.existingSecret }}
                  key: {{ $root.Values.console.oidc.secretKey }}
                  optional: {{ $root.Values.console.oidc.optional }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          resources:
            {{- toYaml (default $root.Values.defaultResources $svc.resources) | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $svc.connections }}
            - name: integration-secrets
              mountPath: /etc/reconmesh/secrets
              readOnly: true
            {{- end }}
            {{- if has "consoleKeyRing" $svc.secretSettings }}
            - name: keyring-certificate
              mountPath: /etc/reconmesh/console-keyring
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- if $svc.connections }}
        # Credentials of connections added through the API, one file per setting; the kubelet refreshes the files
        # when the Secret changes, and the services re-read them, so a secret added or rotated needs no restart.
        - name: integration-secrets
          secret:
            secretName: {{ $root.Values.integrationSecrets.existingSecret }}
            optional: true
        {{- end }}
        {{- if has "consoleKeyRing" $svc.secretSettings }}
        # Not optional: without it the console's key ring would be stored unprotected.
        - name: keyring-certificate
          secret:
            secretName: {{ $root.Values.console.keyRing.existingSecret }}
        {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "reconmesh.labels" (dict "name" $name) | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: {{ $name }}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
    {{- if $svc.webhooks }}
    - name: webhooks
      port: {{ $root.Values.config.webhookPort }}
      targetPort: webhooks
      protocol: TCP
    {{- end }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "reconmesh.labels" (dict "name" $name) | nindent 4 }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ $name }}
{{- if and $root.Values.networkPolicy.enabled $svc.networkPolicy }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $name }}
  labels:
    {{- include "reconmesh.labels" (dict "name" $name) | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ $name }}
  policyTypes:
    - Ingress
  ingress:
    - from:
        {{- toYaml $root.Values.networkPolicy.apiFrom | nindent 8 }}
        {{- if $svc.peopleFacing }}
        {{- toYaml $root.Values.networkPolicy.webhooksFrom | nindent 8 }}
        {{- end }}
      ports:
        - port: http
          protocol: TCP
    {{- if $svc.webhooks }}
    - from:
        {{- toYaml $root.Values.networkPolicy.webhooksFrom | nindent 8 }}
      ports:
        - port: webhooks
          protocol: TCP
    {{- end }}
{{- end }}
{{- if eq $svc.autoscaling.kind "keda" }}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ $name }}
  labels:
    {{- include "reconmesh.labels" (dict "name" $name) | nindent 4 }}
spec:
  scaleTargetRef:
    name: {{ $name }}
  minReplicaCount: {{ $svc.autoscaling.minReplicas }}
  maxReplicaCount: {{ $svc.autoscaling.maxReplicas }}
  pollingInterval: {{ $root.Values.keda.pollingInterval }}
  cooldownPeriod: {{ $root.Values.keda.cooldownPeriod }}
  triggers:
    {{- range $svc.queues }}
    - type: rabbitmq
      metadata:
        protocol: amqp
        mode: QueueLength
        queueName: {{ . }}
        value: {{ $root.Values.keda.queueLength | quote }}
      authenticationRef:
        name: {{ include "reconmesh.triggerAuthenticationName" $name }}
    {{- end }}
{{- else if eq $svc.autoscaling.kind "hpa" }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  labels:
    {{- include "reconmesh.labels" (dict "name" $name) | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicas: {{ $svc.autoscaling.minReplicas }}
  maxReplicas: {{ $svc.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $svc.autoscaling.cpuUtilization }}
{{- end }}
{{- end }}
{{- end -}}
