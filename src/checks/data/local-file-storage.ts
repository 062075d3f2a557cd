import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Evidence, SystemModel } from "../../model/types.js";
import type { CallFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { productionSettingsModules } from "../database/production-signals.js";
import { defineCheck } from "../define.js";
import { requestPath, shortName } from "../handlers.js";
import { countEvidence, deploymentInstances, ephemeralDiskPlatform, type Instances } from "../scalability/deployment-instances.js";
import type { CheckInput, Report } from "../types.js";

const FILE_FIELD = /(^|\.)(FileField|ImageField|ThumbnailerImageField|VersatileImageField|StdImageField)$/;
const FILESYSTEM_STORAGE = /^django\.core\.files\.storage\.(FileSystemStorage|filesystem\.FileSystemStorage)$/;
/** Calls that hand the file to object storage: staging on local disk before them is fine. */
const OBJECT_STORAGE_CALL = /(^|\.)(upload_fileobj|upload_file|put_object|upload_from_filename|upload_from_file|upload_blob|fput_object|put_file)$|(^|\.)default_storage\.save$/;
/** A temporary path: scratch space, not storage. */
const TEMPORARY = /tmp|temp|NamedTemporaryFile|mkstemp|SpooledTemporaryFile/i;
const WRITE_MODE = /^["'][wax]b?\+?["']$|^["'][rw]\+b?["']$/;

interface Instance {
  file: string;
  line: number;
  what: string;
}

/** Django: FileField/ImageField models stored with the default FileSystemStorage, unless a production setting names another backend. */
function djangoLocalUploads(model: SystemModel, index: ProjectIndex): { fields: Evidence[]; storage: string; mediaRoot: Evidence | null } | null {
  const modules = productionSettingsModules(index);
  if (!modules.length) return null;
  // django-storages installed: it is configured somewhere, often from the environment
  if (model.dependencies.some((d) => d.name === "django-storages" && !d.dev)) return null;
  let storage = "no DEFAULT_FILE_STORAGE or STORAGES setting, so Django's default FileSystemStorage";
  for (const m of modules) {
    for (const a of m.facts.assignments) {
      if (a.target === "DEFAULT_FILE_STORAGE") {
        if (typeof a.value !== "string" || !FILESYSTEM_STORAGE.test(a.value)) return null;
        storage = `DEFAULT_FILE_STORAGE = FileSystemStorage (${m.file}:${a.line})`;
      }
      if (a.target === "STORAGES") {
        const backend = /["']default["']\s*:\s*\{[^{}]*?["']BACKEND["']\s*:\s*["']([\w.]+)["']/.exec(a.text)?.[1];
        if (!backend || !FILESYSTEM_STORAGE.test(backend)) return null;
        storage = `STORAGES["default"] is FileSystemStorage (${m.file}:${a.line})`;
      }
    }
  }
  const fields: Evidence[] = [];
  for (const dm of model.dataModels) {
    if (dm.orm !== "django" || !isServiceCode(dm.file) || fileRole(dm.file) !== "application") continue;
    const cls = index.symbol(dm.name);
    const assignments = cls?.kind === "class" ? cls.fact.assignments : [];
    for (const f of dm.fields) {
      if (!f.type || !FILE_FIELD.test(f.type)) continue;
      // a field given its own storage (`storage=S3Storage()`, a callable) is not on the local disk
      const declared = assignments.find((a) => a.target === f.name);
      if (declared?.args?.some((x) => x.name === "storage")) continue;
      fields.push({ file: dm.file, line: f.line, snippet: `${dm.name.split(".").pop()}.${f.name} = ${f.type}` });
    }
  }
  if (!fields.length) return null;
  const media = modules.flatMap((m) => m.facts.assignments.filter((a) => a.target === "MEDIA_ROOT").map((a) => ({ file: m.file, line: a.line, snippet: `MEDIA_ROOT = ${a.text}`.slice(0, 120) })))[0] ?? null;
  return { fields, storage, mediaRoot: media };
}

/** Handlers (and what they call) that write an uploaded file (FastAPI `UploadFile`, Flask `request.files`) to a local path. */
function handlerLocalWrites(input: CheckInput): Instance[] {
  const { index } = input;
  const reachable = requestPath(input).reachable;
  const out: Instance[] = [];
  for (const id of [...reachable].sort()) {
    const fn = index.functions.get(id);
    if (!fn || !isServiceCode(fn.file) || fileRole(fn.file) !== "application") continue;
    const upload = uploadSource(index, fn);
    if (!upload) continue;
    const calls = index.callsIn(fn.id);
    // sent on to object storage, or written under a temporary directory (`with get_temporary_path() as tmp:`): staging, not storage
    if (calls.some(({ call, resolved }) => OBJECT_STORAGE_CALL.test(resolved ?? call.callee) || TEMPORARY.test(call.callee))) continue;
    const write = calls.find(({ call, resolved }) => isLocalWrite(call, resolved, upload.names));
    if (!write) continue;
    out.push({ file: fn.file, line: write.call.line, what: `${shortName(fn.id)}() writes ${upload.what} to the local disk (\`${write.call.snippet.slice(0, 90)}\`)` });
  }
  return out;
}

/** Where a function gets an uploaded file: an `UploadFile` parameter, or a name read from `request.files`. */
function uploadSource(index: ProjectIndex, fn: FunctionInfo): { what: string; names: string[] } | null {
  const params = fn.fact.params.filter((p) => /\bUploadFile\b/.test(p.annotation ?? "") || /(^|\.)UploadFile$/.test(p.annotationQualified ?? "")).map((p) => p.name);
  if (params.length) return { what: "an uploaded `UploadFile`", names: params };
  const flows = index.modules.get(fn.module)?.facts.flows.filter((f) => f.enclosing === fn.fact.qualname && f.sources?.some((s) => /^request\.files\b/.test(s))) ?? [];
  if (flows.length) return { what: "a file from `request.files`", names: flows.flatMap((f) => f.targets) };
  return null;
}

function isLocalWrite(call: CallFact, resolved: string | null, names: string[]): boolean {
  const args = call.args.map((a) => a.text).join(" ");
  if (TEMPORARY.test(args) || TEMPORARY.test(call.snippet)) return false;
  const name = resolved ?? call.callee;
  if (name === "open" || name === "io.open" || name === "aiofiles.open" || name === "aiofiles.threadpool.open") {
    const mode = call.args.find((a) => a.name === "mode") ?? call.args.filter((a) => a.name === null)[1];
    return mode !== undefined && WRITE_MODE.test(mode.text);
  }
  if (name === "shutil.copyfileobj") return call.args.some((a) => names.some((n) => a.text === `${n}.file` || a.text === n) || /UploadFile\.file$/.test(a.qualified ?? ""));
  // Werkzeug's FileStorage.save(path) on the uploaded file itself
  const receiver = call.callee.endsWith(".save") ? call.callee.slice(0, -".save".length) : null;
  return receiver !== null && names.includes(receiver) && call.args.length > 0;
}

/** Object storage clients the project uses somewhere (boto3, google-cloud-storage, minio...): where files may already go. */
function objectStorageElsewhere(model: SystemModel): Evidence | null {
  const tech = model.technologies.find((t) => t.category === "storage" && t.evidence.some((e) => e.file.endsWith(".py") && runsInProduction(fileRole(e.file))));
  return tech ? (tech.evidence.find((e) => e.file.endsWith(".py")) ?? null) : null;
}

/** What makes local files a problem here: several instances with their own disks, or a platform whose disk does not survive a restart. */
function why(instances: Instances | null, platform: Evidence | null): string | null {
  if (instances?.multiReplica) return `the deployment runs ${instances.summary}: each instance has its own disk, so a file written by one is missing on the others`;
  if (platform) return `the service runs on a platform whose instances have an ephemeral filesystem (${platform.snippet}, ${platform.file}${platform.line !== null ? `:${platform.line}` : ""}): files written there are lost at the next restart or deploy`;
  return null;
}

export default defineCheck({
  id: "DATA005",
  area: "data",
  title: "Uploaded files stored on local disk in a multi-instance deployment",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Files written to a container's or instance's own disk exist only there. Behind a load balancer with several replicas, a file uploaded through one is a 404 on the others; on platforms with an ephemeral filesystem (Heroku, Cloud Run, Render) and in containers without a volume they disappear at the next deploy or restart, and they are outside every backup of the database that points to them.",
  recommendation: "Store uploads in object storage shared by every instance: django-storages (S3, GCS, Azure) as the `default` storage backend, boto3/aioboto3 `upload_fileobj` or google-cloud-storage from FastAPI and Flask handlers (or presigned uploads straight from the client); where a shared filesystem is required, mount a ReadWriteMany volume (NFS, EFS, Filestore) at the media path on every replica.",
  example: { bad: '@app.post("/avatars")\nasync def upload(file: UploadFile):\n    with open(f"media/{file.filename}", "wb") as out:\n        shutil.copyfileobj(file.file, out)', good: '@app.post("/avatars")\nasync def upload(file: UploadFile, s3=Depends(get_s3)):\n    await s3.upload_fileobj(file.file, BUCKET, key)' },
  references: ["https://django-storages.readthedocs.io/en/latest/", "https://docs.djangoproject.com/en/stable/ref/settings/#storages", "https://devcenter.heroku.com/articles/active-storage-on-heroku", "https://12factor.net/backing-services"],
  effort: "M",
  libraries: ["django-storages", "boto3", "aioboto3", "google-cloud-storage"],
  run(input) {
    const { model, index, context } = input;
    const instances = deploymentInstances(model, index, context);
    const platform = ephemeralDiskPlatform(model);
    // several workers on one host share its disk (a compose volume included): only several instances, or a disk that does not last, matter
    const reason = why(instances, platform);
    if (!reason) return [];
    const counts = instances?.multiReplica ? countEvidence(instances) : platform ? [platform] : [];
    // volume mounts are not part of the model: a shared volume cannot be ruled out, so the replica case is said with low confidence
    const note = (path: string) => `, unless every instance mounts ${path} from a shared volume (a ReadWriteMany PersistentVolumeClaim, NFS, EFS); volume mounts are not read here`;
    const confidence = instances?.multiReplica ? { confidence: "low" as const } : {};
    const reports: Report[] = [];
    const django = djangoLocalUploads(model, index);
    if (django) {
      const first = django.fields[0] as Evidence;
      reports.push({
        message: `Django stores uploads on the local disk: ${django.fields.length} file field${django.fields.length === 1 ? "" : "s"} (${django.fields.slice(0, 3).map((f) => f.snippet).join(", ")}${django.fields.length > 3 ? ", ..." : ""}) and ${django.storage}${django.mediaRoot ? `, MEDIA_ROOT at ${django.mediaRoot.file}:${django.mediaRoot.line}` : ""}. ${reason[0]?.toUpperCase()}${reason.slice(1)}${instances?.multiReplica ? note("MEDIA_ROOT") : ""}.`,
        evidence: [first, ...(django.mediaRoot ? [django.mediaRoot] : []), ...counts],
        ...confidence,
      });
    }
    const elsewhere = objectStorageElsewhere(model);
    for (const w of handlerLocalWrites(input)) {
      reports.push({
        message: `${w.what}. ${reason[0]?.toUpperCase()}${reason.slice(1)}${instances?.multiReplica ? note("that path") : ""}.${elsewhere ? ` The project uses object storage elsewhere (${elsewhere.file}:${elsewhere.line}); this path does not.` : ""}`,
        evidence: [{ file: w.file, line: w.line }, ...counts],
        ...(elsewhere ? { severity: "low" as const } : {}),
        ...confidence,
      });
    }
    return reports;
  },
});
