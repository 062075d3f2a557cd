// Writes schema/*.schema.json (review, model, diff, rules) from the zod contracts in src/report/schema.ts.
import { writeFileSync } from "node:fs";
import { jsonSchemas } from "../src/report/schema.js";

for (const [file, schema] of Object.entries(jsonSchemas())) writeFileSync(`schema/${file}`, `${JSON.stringify(schema, null, 2)}\n`);
