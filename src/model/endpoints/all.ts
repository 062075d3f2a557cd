import { compareCodeUnits } from "../../core/diagnostics.js";
import type { ProjectIndex } from "../../python/project-index.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { Endpoint } from "../types.js";
import { aiohttpEndpoints } from "./aiohttp.js";
import { djangoEndpoints } from "./django.js";
import { fastapiEndpoints } from "./fastapi.js";
import { flaskEndpoints } from "./flask.js";
import { litestarEndpoints } from "./litestar.js";
import { pyramidEndpoints } from "./pyramid.js";
import { starletteEndpoints } from "./starlette.js";

/** Endpoints of every framework, one per (method, path), sorted by path then method. */
export function allEndpoints(index: ProjectIndex, files: WorkspaceFile[]): { endpoints: Endpoint[]; appFiles: string[] } {
  const found = [fastapiEndpoints(index), flaskEndpoints(index, files), djangoEndpoints(index), { endpoints: starletteEndpoints(index), appFiles: [] }, aiohttpEndpoints(index), pyramidEndpoints(index, files), litestarEndpoints(index, files)];
  const byKey = new Map<string, Endpoint>();
  for (const { endpoints } of found) for (const e of endpoints) if (!byKey.has(`${e.method} ${e.path}`)) byKey.set(`${e.method} ${e.path}`, e);
  return {
    endpoints: [...byKey.values()].sort((a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.method, b.method)),
    appFiles: [...new Set(found.flatMap((f) => f.appFiles))].sort(compareCodeUnits),
  };
}
