import { compareCodeUnits } from "../core/diagnostics.js";
import type { ProjectIndex } from "../python/project-index.js";
import { AWS_SERVICES, DRIVER_STORES, EXTERNAL_SDKS, IMAGE_TECHNOLOGIES, parseConnectionUrl } from "./infrastructure.js";
import type { Component, ComposeService, Connection, Evidence, ProcfileEntry, Technology } from "./types.js";

const WORKER_COMMAND = /\b(celery\b.*\bworker|rq\s+worker|rqworker|dramatiq|arq\s|huey_consumer|taskiq\s+worker|faust\s.*worker)\b/;
const SCHEDULER_COMMAND = /\b(celery\b.*\bbeat|rqscheduler|cron|apscheduler|taskiq\s+scheduler)\b/;

export interface Topology {
  components: Component[];
  connections: Connection[];
}

/**
 * Components (deployable services, workers, schedulers, data stores, proxies, external services)
 * and who connects to what: from compose services and their environment URLs and depends_on,
 * Procfile processes, drivers and SDKs imported by the code.
 */
export function buildTopology(input: { project: string; compose: ComposeService[]; procfile: ProcfileEntry[]; technologies: Technology[]; appFiles: string[]; index: ProjectIndex }): Topology {
  const components = new Map<string, Component>();
  const connections = new Map<string, Connection>();
  const add = (c: Component) => {
    const existing = components.get(c.name);
    if (!existing) {
      components.set(c.name, c);
      return;
    }
    // the same service in several compose files (override, deploy): the most specific reading wins
    if (existing.kind === "service" && c.kind !== "service") existing.kind = c.kind;
    existing.technology ??= c.technology;
    existing.evidence.push(...c.evidence.filter((e) => !existing.evidence.some((x) => x.file === e.file && x.line === e.line)));
  };
  const connect = (from: string, to: string, via: string, evidence: Evidence) => {
    const key = `${from}\0${to}`;
    if (from === to || connections.has(key)) return;
    connections.set(key, { from, to, via, evidence: [evidence] });
  };

  const appServices: string[] = [];
  for (const s of input.compose) {
    const image = s.image?.toLowerCase() ?? "";
    const known = image ? IMAGE_TECHNOLOGIES.find((t) => t.pattern.test(image)) : undefined;
    const command = s.command ?? "";
    const kind: Component["kind"] = known ? known.role : WORKER_COMMAND.test(command) ? "worker" : SCHEDULER_COMMAND.test(command) ? "scheduler" : "service";
    add({ name: s.name, kind, technology: known?.name ?? null, evidence: [{ file: s.file, line: s.line, snippet: s.image ? `image: ${s.image}` : "build" }] });
    if (!known && !appServices.includes(s.name)) appServices.push(s.name);
  }
  // the application's own service first: built here, and named like one
  const score = (name: string) => (input.compose.some((s) => s.name === name && s.build) ? 0 : 2) + (/^(api|app|backend|web|server|django|flask|fastapi)$/i.test(name) ? 0 : 1);
  appServices.sort((a, b) => score(a) - score(b) || compareCodeUnits(a, b));
  for (const name of [...appServices]) if (components.get(name)?.kind !== "service" && components.get(name)?.kind !== "worker" && components.get(name)?.kind !== "scheduler") appServices.splice(appServices.indexOf(name), 1);
  const serviceNames = new Set(input.compose.map((s) => s.name.toLowerCase()));
  for (const s of input.compose) {
    for (const variable of s.environment) {
      const evidence = { file: s.file, line: variable.line, snippet: `${variable.key}=${variable.value}` };
      // `POSTGRES_SERVER: db`, `REDIS_HOST: redis`: a host setting naming another service
      const plain = variable.value.trim().toLowerCase();
      if (/(HOST|SERVER|ADDR|ADDRESS)$/i.test(variable.key) && serviceNames.has(plain)) {
        connect(s.name, input.compose.find((c) => c.name.toLowerCase() === plain)?.name ?? plain, variable.key, evidence);
        continue;
      }
      const url = parseConnectionUrl(variable.value);
      if (!url) continue;
      if (serviceNames.has(url.host)) connect(s.name, input.compose.find((c) => c.name.toLowerCase() === url.host)?.name ?? url.host, variable.key, evidence);
      else if (url.host && /^https?$/.test(url.scheme) && !/^(localhost|127\.|0\.0\.0\.0)/.test(url.host)) {
        add({ name: url.host, kind: "external", technology: null, evidence: [evidence] });
        connect(s.name, url.host, variable.key, evidence);
      }
    }
    for (const target of s.dependsOn) connect(s.name, target, "depends_on", { file: s.file, line: s.line, snippet: `depends_on: ${target}` });
  }

  for (const p of input.procfile) {
    const kind: Component["kind"] = p.process === "web" ? "service" : SCHEDULER_COMMAND.test(p.command) ? "scheduler" : WORKER_COMMAND.test(p.command) || p.process.includes("worker") ? "worker" : "service";
    const name = `${p.process} (Procfile)`;
    add({ name, kind, technology: null, evidence: [{ file: p.file, line: p.line, snippet: `${p.process}: ${p.command}` }] });
    appServices.push(name);
  }

  // without deployment files the code itself is the one service
  if (appServices.length === 0) {
    const name = input.project;
    add({ name, kind: "service", technology: input.technologies.find((t) => t.category === "web-framework")?.name ?? null, evidence: [{ file: input.appFiles[0] ?? input.index.sortedFunctions()[0]?.file ?? ".", line: null }] });
    appServices.push(name);
  }
  // without compose, data stores are known from the drivers the code imports and from configuration
  if (input.compose.length === 0) {
    const stores = new Map<string, { category: Technology["category"]; evidence: Evidence }>();
    for (const mod of [...input.index.modules.values()].sort((a, b) => compareCodeUnits(a.file, b.file))) {
      for (const imp of mod.facts.imports) {
        const store = DRIVER_STORES[imp.module.split(".")[0] ?? ""];
        if (store && !stores.has(store.name)) stores.set(store.name, { category: store.category, evidence: { file: mod.file, line: imp.line, snippet: `import ${imp.module}` } });
      }
    }
    for (const tech of input.technologies) {
      if (!tech.package && (tech.category === "database" || tech.category === "cache" || tech.category === "queue" || tech.category === "search") && !stores.has(tech.name) && tech.evidence[0]) {
        stores.set(tech.name, { category: tech.category, evidence: tech.evidence[0] });
      }
    }
    for (const [storeName, store] of stores) {
      add({ name: storeName, kind: "datastore", technology: storeName, evidence: [store.evidence] });
      for (const app of appServices) connect(app, storeName, "driver", store.evidence);
    }
  }

  // external services the code talks to through SDKs: from every application service
  for (const mod of [...input.index.modules.values()].sort((a, b) => compareCodeUnits(a.file, b.file))) {
    for (const imp of mod.facts.imports) {
      const sdk = EXTERNAL_SDKS.find((s) => imp.module === s.prefix || imp.module.startsWith(`${s.prefix}.`));
      if (!sdk) continue;
      const evidence = { file: mod.file, line: imp.line, snippet: `import ${imp.module}` };
      add({ name: sdk.name, kind: "external", technology: sdk.name, evidence: [evidence] });
      if (appServices[0]) connect(appServices[0], sdk.name, "SDK", evidence);
    }
    for (const call of mod.facts.calls) {
      const resolved = call.qualified ? input.index.resolve(call.qualified, mod.name) : "";
      if (resolved !== "boto3.client" && resolved !== "boto3.resource" && resolved !== "boto3.session.Session.client") continue;
      const service = call.args.find((a) => a.name === null || a.name === "service_name");
      const name = typeof service?.value === "string" ? (AWS_SERVICES[service.value] ?? `AWS ${service.value}`) : null;
      if (!name) continue;
      const evidence = { file: mod.file, line: call.line, snippet: call.snippet };
      add({ name, kind: "external", technology: name, evidence: [evidence] });
      if (appServices[0]) connect(appServices[0], name, "boto3", evidence);
    }
  }

  // which deployable services share each data store (ARCH002 reads this)
  for (const c of components.values()) {
    if (c.kind !== "datastore") continue;
    const users = [...connections.values()].filter((x) => x.to === c.name && components.get(x.from)?.kind !== "datastore").map((x) => x.from);
    if (users.length) c.usedBy = [...new Set(users)].sort(compareCodeUnits);
  }
  const order: Record<Component["kind"], number> = { service: 0, worker: 1, scheduler: 2, proxy: 3, datastore: 4, external: 5 };
  return {
    components: [...components.values()].sort((a, b) => order[a.kind] - order[b.kind] || compareCodeUnits(a.name, b.name)),
    connections: [...connections.values()].sort((a, b) => compareCodeUnits(a.from, b.from) || compareCodeUnits(a.to, b.to)),
  };
}
