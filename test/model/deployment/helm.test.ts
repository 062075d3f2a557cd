import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { renderTemplate, UNKNOWN } from "../../../src/model/deployment/helm.js";

const chart = { name: "api", appVersion: "2.0.0" };

/** Renders, parses and resolves a template the way the Kubernetes reader does. */
function render(values: unknown, ...lines: string[]) {
  const rendered = renderTemplate(`${lines.join("\n")}\n`, { values, chart: values === UNKNOWN ? UNKNOWN : chart });
  return { rendered, data: rendered.resolve(parse(rendered.text)) as Record<string, unknown> };
}

describe("renderTemplate", () => {
  it("removes whole-line control actions as Helm's whitespace trimming does", () => {
    const { rendered, data } = render({ debug: false, port: 8000 }, "a: 1", "{{- if .Values.debug }}", "b: 2", "{{- end }}", "c: {{ .Values.port }}");
    assert.equal(rendered.text, "a: 1\nc: __tpl0__\n");
    assert.deepEqual(data, { a: 1, c: 8000 });
    assert.equal(rendered.originalLine(2), 5);
  });

  it("takes the else branch when the condition is known to be false, both when unknown", () => {
    const template = ["{{- if .Values.tls }}", "port: 443", "{{- else }}", "port: 80", "{{- end }}"];
    assert.deepEqual(render({ tls: false }, ...template).data, { port: 80 });
    assert.deepEqual(render({ tls: true }, ...template).data, { port: 443 });
    assert.deepEqual(render(UNKNOWN, "{{- if .Values.tls }}", "a: 1", "{{- else }}", "b: 2", "{{- end }}").data, { a: 1, b: 2 });
  });

  it("handles inline control actions: a range on the key's line renders its body once", () => {
    const { data } = render(UNKNOWN, "command: {{- range .Values.command }}", "  - {{ . | quote }} {{- end }}", "name: x");
    assert.deepEqual(data, { command: ["{{ . | quote }}"], name: "x" });
  });

  it("renders `with` blocks with their value as `.`, and skips them when the value is empty", () => {
    const template = ["spec:", "  {{- with .Values.securityContext }}", "  securityContext:", "    {{- toYaml . | nindent 4 }}", "  {{- end }}", "  x: 1"];
    assert.deepEqual(render({ securityContext: { runAsUser: 1000 } }, ...template).data, { spec: { securityContext: { runAsUser: 1000 }, x: 1 } });
    assert.deepEqual(render({ securityContext: {} }, ...template).data, { spec: { x: 1 } });
  });

  it("reads `with.Values.x` (no space) as `with .Values.x`", () => {
    assert.deepEqual(render({ a: { b: 1 } }, "{{- with.Values.a }}", "b: {{ .b }}", "{{- end }}").data, { b: 1 });
  });

  it("resolves defaults, Chart fields and quoting, and keeps unknown expressions as their template text", () => {
    const { data } = render(
      { image: { repository: "acme/api", tag: "" } },
      'image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
      "name: {{ .Chart.Name }}",
      'release: {{ .Release.Name | quote }}',
      'full: {{ include "api.fullname" . }}-worker',
    );
    assert.deepEqual(data, { image: "acme/api:2.0.0", name: "api", release: "{{ .Release.Name | quote }}", full: '{{ include "api.fullname" . }}-worker' });
  });

  it("puts unknown block content in a placeholder entry: a map key, or a list item where the siblings are items", () => {
    const { data } = render(
      UNKNOWN,
      "labels:",
      '  {{- include "api.labels" . | nindent 2 }}',
      "  team: core",
      "env:",
      '  {{- include "api.env" . | nindent 2 }}',
      "  - name: MODE",
      "    value: web",
      "volumes:",
      '  {{- include "api.volumes" . | nindent 2 }}',
    );
    assert.deepEqual(data, {
      labels: { '{{ include "api.labels" . | nindent 2 }}': null, team: "core" },
      env: ['{{ include "api.env" . | nindent 2 }}', { name: "MODE", value: "web" }],
      volumes: ['{{ include "api.volumes" . | nindent 2 }}'],
    });
  });

  it("takes `key: {{- include ... | indent N }}` to start the included text on a new line", () => {
    const { data } = render(UNKNOWN, "metadata:", "  labels:", '    {{- include "api.labels" . | indent 4 }}', "  name: api");
    assert.deepEqual(data, { metadata: { labels: { '{{ include "api.labels" . | indent 4 }}': null }, name: "api" } });
  });

  it("expands known values with toYaml and maps the expanded lines to the action's line", () => {
    const { rendered, data } = render({ resources: { requests: { cpu: "100m" }, limits: { memory: "1Gi" } } }, "resources:", "  {{- toYaml .Values.resources | nindent 2 }}", "after: 1");
    assert.deepEqual(data, { resources: { requests: { cpu: "100m" }, limits: { memory: "1Gi" } }, after: 1 });
    const lines = rendered.text.split("\n");
    assert.equal(rendered.originalLine(lines.indexOf("after: 1") + 1), 3);
    assert.equal(rendered.originalLine(lines.indexOf("  limits:") + 1), 2);
  });

  it("keeps unknown block content under its key even when the template's nindent is too shallow", () => {
    const { data } = render(UNKNOWN, "spec:", "  volumeMounts:", "  {{- with .Values.extraMounts }}", "  {{- toYaml . | nindent 0 }}", "  {{- end }}", "  name: api");
    assert.deepEqual(data, { spec: { volumeMounts: ["{{ toYaml . | nindent 0 }}"], name: "api" } });
  });

  it("skips `define` blocks and comments", () => {
    const { data } = render(UNKNOWN, '{{- define "x" }}', "hidden: true", "{{- end }}", "{{/* a comment */}}", "shown: true");
    assert.deepEqual(data, { shown: true });
  });
});
