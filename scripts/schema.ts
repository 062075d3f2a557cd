// Writes schema/review.schema.json from the zod contract in src/report/schema.ts.
import { writeFileSync } from "node:fs";
import { reviewJsonSchema } from "../src/report/schema.js";

writeFileSync("schema/review.schema.json", `${JSON.stringify(reviewJsonSchema(), null, 2)}\n`);
