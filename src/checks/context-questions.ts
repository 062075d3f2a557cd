import type { ContextInput } from "./context.js";

// Kept apart from the zod schema of ./context.ts: the CLI builds its options from these questions on every start,
// and the schema library is loaded only when a context is validated.

/** The clarifying questions a reviewer asks, one per context field, with the assumption made when unanswered. */
export const CONTEXT_QUESTIONS: Array<{ field: keyof ContextInput; question: string; assumption: string; why?: string }> = [
  { field: "stage", question: "What stage is the system at: prototype, MVP, production, or scaling?", assumption: "treated as heading for production: no severity lowered for a prototype" , why: "a prototype and a production system are held to different standards" },
  { field: "exposure", question: "Is the API public (internet-facing) or internal only?", assumption: "exposure unknown: public-API severity raises not applied" , why: "a public API needs rate limits, CORS and security headers that an internal one may skip" },
  { field: "users", question: "How many users does it serve, and how many at once?", assumption: "no scale-driven checks applied" , why: "user counts turn in-process state and single instances into limits, or not" },
  { field: "peak_rps", question: "What peak requests per second must it handle?", assumption: "no capacity figures computed" , why: "the peak load decides worker, pool and replica counts" },
  { field: "data_volume_gb", question: "How much data does it hold (GB) and how fast does it grow?", assumption: "no partitioning or archiving advice" , why: "data volume decides indexing, partitioning and backup advice" },
  { field: "latency_p99_ms", question: "What p99 latency must requests meet (ms)?", assumption: "no latency budget checked" , why: "a latency target turns every blocking call and N+1 query into a budget question" },
  { field: "availability_target", question: "What availability does it promise (99.9, 99.95...)?", assumption: "no redundancy requirement derived: single instances are not flagged for availability" , why: "an availability target decides whether single instances and missing health checks are acceptable" },
  { field: "compliance", question: "Which compliance regimes apply (GDPR, HIPAA, PCI-DSS, SOC 2)?", assumption: "no compliance controls checked" , why: "GDPR, HIPAA or PCI-DSS add controls on logging, encryption and retention" },
  { field: "team_size", question: "How many engineers work on it?", assumption: "recommendations not tuned to team size" , why: "a small team should not be handed a microservice migration" },
  { field: "team_experience", question: "How experienced is the team with this stack (junior, mixed, senior)?", assumption: "recommendations assume a mixed team" , why: "recommendations are pitched at what the team can run" },
  { field: "budget", question: "What is the infrastructure budget?", assumption: "no cost trade-offs weighed" , why: "managed services and extra replicas cost money" },
  { field: "timeline", question: "What is the timeline to the next milestone?", assumption: "next steps not fitted to a deadline" , why: "next steps are ordered to fit the time there is" },
  { field: "integrations", question: "Which external systems does it integrate with (payment, email, identity, partners)?", assumption: "only the integrations visible in the code are considered" , why: "each external system is a failure mode to time out, retry and monitor" },
];
