import importCycle from "./architecture/import-cycle.js";
import godModule from "./architecture/god-module.js";
import sharedDatabase from "./architecture/shared-database.js";
import handlersQueryDatabase from "./architecture/handlers-query-database.js";
import projectLayout from "./code/project-layout.js";
import complexFunctions from "./code/complex-functions.js";
import scatteredEnvironmentReads from "./code/scattered-environment-reads.js";
import wildcardImports from "./code/wildcard-imports.js";
import mutableDefaultArguments from "./code/mutable-default-arguments.js";
import functionLevelImports from "./code/function-level-imports.js";
import architectureStyle from "./architecture/architecture-style.js";
import syncServiceCalls from "./architecture/sync-service-calls.js";
import twoWebFrameworks from "./architecture/two-web-frameworks.js";
import importContracts from "./architecture/import-contracts.js";
import logicInHandlers from "./architecture/logic-in-handlers.js";
import layerInversion from "./architecture/layer-inversion.js";
import dependencyDrift from "./code/dependency-drift.js";
import inProcessState from "./scalability/in-process-state.js";
import cpuHeavyInRequest from "./scalability/cpu-heavy-in-request.js";
import slowSideEffectsInRequest from "./scalability/slow-side-effects-in-request.js";
import clientPerRequest from "./scalability/client-per-request.js";
import noCachingLayer from "./scalability/no-caching-layer.js";
import wholeUploadInMemory from "./scalability/whole-upload-in-memory.js";
import noAutoscaling from "./scalability/no-autoscaling.js";
import ormObjectToTask from "./data/orm-object-to-task.js";
import migrationsAtStartup from "./deployment/migrations-at-startup.js";
import sessionsInProcess from "./data/sessions-in-process.js";
import processCache from "./data/process-cache.js";
import localFileStorage from "./data/local-file-storage.js";
import eagerTaskFallback from "./resilience/eager-task-fallback.js";
import errorWithoutTraceback from "./observability/error-without-traceback.js";
import noHealthProbes from "./deployment/no-health-probes.js";
import kubernetesHygiene from "./deployment/kubernetes-hygiene.js";
import terraformMisconfiguration from "./deployment/terraform-misconfiguration.js";
import noEnvironmentTemplate from "./deployment/no-environment-template.js";
import noRetryPolicy from "./resilience/no-retry-policy.js";
import noCircuitBreaker from "./resilience/no-circuit-breaker.js";
import retryLoopWithoutBackoff from "./resilience/retry-loop-without-backoff.js";
import fireAndForgetTask from "./resilience/fire-and-forget-task.js";
import datastoreClientTimeouts from "./resilience/datastore-client-timeouts.js";
import gracefulShutdown from "./resilience/graceful-shutdown.js";
import noTests from "./code/no-tests.js";
import moduleStateMutation from "./data/module-state-mutation.js";
import fkWithoutIndex from "./database/fk-without-index.js";
import modelsWithoutMigrations from "./database/models-without-migrations.js";
import syncDbInAsync from "./database/sync-db-in-async.js";
import containerRoot from "./deployment/container-root.js";
import healthEndpoint from "./observability/health-endpoint.js";
import unauthenticatedWrite from "./api/unauthenticated-write.js";
import unpaginatedCollection from "./api/unpaginated-collection.js";
import baseImage from "./deployment/base-image.js";
import unlockedDependencies from "./deployment/unlocked-dependencies.js";
import noErrorTracking from "./observability/no-error-tracking.js";
import naiveDatetime from "./data/naive-datetime.js";
import lowTypeCoverage from "./code/low-type-coverage.js";
import noDeploymentDefinition from "./deployment/no-deployment-definition.js";
import imageBuildHygiene from "./deployment/image-build-hygiene.js";
import ciQualityGates from "./deployment/ci-quality-gates.js";
import infrastructureNotAsCode from "./deployment/infrastructure-not-as-code.js";
import endOfLifeVersions from "./deployment/end-of-life-versions.js";
import noLinter from "./code/no-linter.js";
import hardcodedEnvironmentValues from "./code/hardcoded-environment-values.js";
import noTracing from "./observability/no-tracing.js";
import noRequestId from "./observability/no-request-id.js";
import unvalidatedMessagePayload from "./data/unvalidated-message-payload.js";
import printDiagnostics from "./observability/print-diagnostics.js";
import swallowedExceptions from "./observability/swallowed-exceptions.js";
import celeryTaskLimits from "./resilience/celery-task-limits.js";
import riskySecurityLibrary from "./security/risky-security-library.js";
import httpWithoutTimeout from "./resilience/http-without-timeout.js";
import blockingCallInAsync from "./scalability/blocking-call-in-async.js";
import productionServer from "./scalability/production-server.js";
import hardcodedSecret from "./security/hardcoded-secret.js";
import sqlInjection from "./security/sql-injection.js";
import tlsVerificationOff from "./security/tls-verification-off.js";
import debugMode from "./security/debug-mode.js";
import weakPasswordHashing from "./security/weak-password-hashing.js";
import jwtVerificationOff from "./security/jwt-verification-off.js";
import corsAnyOrigin from "./security/cors-any-origin.js";
import commandInjection from "./security/command-injection.js";
import evalInjection from "./security/eval-injection.js";
import ssrf from "./security/ssrf.js";
import pathTraversal from "./security/path-traversal.js";
import openRedirect from "./security/open-redirect.js";
import xss from "./security/xss.js";
import unsafeDeserialization from "./security/unsafe-deserialization.js";
import weakCryptography from "./security/weak-cryptography.js";
import xmlParsing from "./security/xml-parsing.js";
import sensitiveDataLogged from "./security/sensitive-data-logged.js";
import longLivedTokens from "./security/long-lived-tokens.js";
import assertForChecks from "./security/assert-for-checks.js";
import endpointInventory from "./api/endpoint-inventory.js";
import unvalidatedRequestBody from "./api/unvalidated-request-body.js";
import noApiVersioning from "./api/no-api-versioning.js";
import inconsistentNaming from "./api/inconsistent-naming.js";
import inconsistentErrors from "./api/inconsistent-errors.js";
import apiDocsExposure from "./api/api-docs-exposure.js";
import noIdempotency from "./api/no-idempotency.js";
import undeclaredResponseSchema from "./api/undeclared-response-schema.js";
import massAssignment from "./security/mass-assignment.js";
import csrfDisabled from "./security/csrf-disabled.js";
import djangoDeploySettings from "./security/django-deploy-settings.js";
import securityHeadersMissing from "./security/security-headers-missing.js";
import deploymentSecrets from "./security/deployment-secrets.js";
import dependencyScanningMissing from "./security/dependency-scanning-missing.js";
import debugToolingExposed from "./security/debug-tooling-exposed.js";
import nPlusOne from "./database/n-plus-one.js";
import connectionPooling from "./database/connection-pooling.js";
import sqliteInProduction from "./database/sqlite-in-production.js";
import noBackupEvidence from "./database/no-backup-evidence.js";
import databaseScaleAhead from "./database/database-scale-ahead.js";
import connectionBudget from "./database/connection-budget.js";
import noAuthentication from "./security/no-authentication.js";
import authorizationMissing from "./security/authorization-missing.js";
import complianceGaps from "./security/compliance-gaps.js";
import queryInLoop from "./database/query-in-loop.js";
import unboundedQuery from "./database/unbounded-query.js";
import cacheWithoutExpiry from "./database/cache-without-expiry.js";
import multiWriteWithoutTransaction from "./database/multi-write-without-transaction.js";
import graphqlLimits from "./api/graphql-limits.js";
import websocketWithoutAuth from "./api/websocket-without-auth.js";
import { ABSENT_CAPABILITIES } from "./absent-capabilities.js";
import documentSummary from "./documents/document-summary.js";
import unaddressedAreas from "./documents/unaddressed-areas.js";
import singlePointOfFailure from "./documents/single-point-of-failure.js";
import documentDrift from "./documents/drift.js";
import targetsWithoutMechanism from "./documents/targets-without-mechanism.js";
import vagueNumbers from "./documents/vague-numbers.js";
import diagramTextMismatch from "./documents/diagram-text-mismatch.js";
import { STRENGTHS } from "./strengths/strengths.js";
import type { Check } from "./types.js";

/** Every check archscope runs, in catalog order. */
export const CHECKS: readonly Check[] = [
  architectureStyle,
  sharedDatabase,
  importCycle,
  handlersQueryDatabase,
  godModule,
  syncServiceCalls,
  twoWebFrameworks,
  importContracts,
  logicInHandlers,
  layerInversion,
  modelsWithoutMigrations,
  nPlusOne,
  queryInLoop,
  fkWithoutIndex,
  connectionPooling,
  syncDbInAsync,
  unboundedQuery,
  sqliteInProduction,
  noBackupEvidence,
  cacheWithoutExpiry,
  multiWriteWithoutTransaction,
  databaseScaleAhead,
  connectionBudget,
  endpointInventory,
  unauthenticatedWrite,
  unpaginatedCollection,
  unvalidatedRequestBody,
  noApiVersioning,
  inconsistentNaming,
  inconsistentErrors,
  apiDocsExposure,
  graphqlLimits,
  noIdempotency,
  websocketWithoutAuth,
  undeclaredResponseSchema,
  hardcodedSecret,
  debugMode,
  sqlInjection,
  commandInjection,
  evalInjection,
  unsafeDeserialization,
  weakPasswordHashing,
  weakCryptography,
  jwtVerificationOff,
  tlsVerificationOff,
  corsAnyOrigin,
  csrfDisabled,
  xss,
  djangoDeploySettings,
  securityHeadersMissing,
  noAuthentication,
  authorizationMissing,
  deploymentSecrets,
  dependencyScanningMissing,
  ssrf,
  pathTraversal,
  openRedirect,
  xmlParsing,
  sensitiveDataLogged,
  massAssignment,
  longLivedTokens,
  debugToolingExposed,
  assertForChecks,
  complianceGaps,
  riskySecurityLibrary,
  blockingCallInAsync,
  cpuHeavyInRequest,
  slowSideEffectsInRequest,
  productionServer,
  inProcessState,
  clientPerRequest,
  noCachingLayer,
  wholeUploadInMemory,
  noAutoscaling,
  printDiagnostics,
  noErrorTracking,
  swallowedExceptions,
  errorWithoutTraceback,
  healthEndpoint,
  noTracing,
  noRequestId,
  noDeploymentDefinition,
  containerRoot,
  baseImage,
  imageBuildHygiene,
  noHealthProbes,
  ciQualityGates,
  kubernetesHygiene,
  terraformMisconfiguration,
  infrastructureNotAsCode,
  migrationsAtStartup,
  unlockedDependencies,
  noEnvironmentTemplate,
  endOfLifeVersions,
  projectLayout,
  lowTypeCoverage,
  noLinter,
  noTests,
  complexFunctions,
  scatteredEnvironmentReads,
  hardcodedEnvironmentValues,
  wildcardImports,
  dependencyDrift,
  mutableDefaultArguments,
  functionLevelImports,
  moduleStateMutation,
  sessionsInProcess,
  ormObjectToTask,
  processCache,
  localFileStorage,
  naiveDatetime,
  unvalidatedMessagePayload,
  httpWithoutTimeout,
  noRetryPolicy,
  noCircuitBreaker,
  retryLoopWithoutBackoff,
  celeryTaskLimits,
  fireAndForgetTask,
  datastoreClientTimeouts,
  gracefulShutdown,
  eagerTaskFallback,
  ...ABSENT_CAPABILITIES,
  documentSummary,
  unaddressedAreas,
  singlePointOfFailure,
  documentDrift,
  targetsWithoutMechanism,
  vagueNumbers,
  diagramTextMismatch,
  ...STRENGTHS,
];

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id.toUpperCase());
}
