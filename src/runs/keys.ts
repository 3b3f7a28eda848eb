/**
 * Every Redis key dirsync writes outside BullMQ, in one place. The tenant id is a hash tag so
 * that a tenant's keys stay in one slot of a Redis Cluster.
 */
const PREFIX = 'dirsync';

export const keys = {
  runIndex: (tenant: string) => `${PREFIX}:{${tenant}}:runs`,
  run: (tenant: string, runId: string) => `${PREFIX}:{${tenant}}:run:${runId}`,
  runCounts: (tenant: string, runId: string) => `${PREFIX}:{${tenant}}:run:${runId}:counts`,
  runFailures: (tenant: string, runId: string) => `${PREFIX}:{${tenant}}:run:${runId}:failures`,
  runPlan: (tenant: string, runId: string) => `${PREFIX}:{${tenant}}:run:${runId}:plan`,
  events: (tenant: string) => `${PREFIX}:{${tenant}}:events`,
  cursor: (tenant: string) => `${PREFIX}:{${tenant}}:cursor`,
  snapshot: (tenant: string) => `${PREFIX}:{${tenant}}:snapshot`,
  ownedUsers: (tenant: string) => `${PREFIX}:{${tenant}}:owned:users`,
  ownedGroups: (tenant: string) => `${PREFIX}:{${tenant}}:owned:groups`,
  userLinks: (tenant: string) => `${PREFIX}:{${tenant}}:links:users`,
  groupLinks: (tenant: string) => `${PREFIX}:{${tenant}}:links:groups`,
  /** Objects whose last op failed: the next incremental run plans them again. */
  retry: (tenant: string) => `${PREFIX}:{${tenant}}:retry`,
  /** The run lease: at most one run of the tenant at a time. */
  lock: (tenant: string) => `${PREFIX}:{${tenant}}:lock`,
  /** The short lease held while deciding about the tenant's runs (trigger or follow-up). */
  triggerMutex: (tenant: string) => `${PREFIX}:{${tenant}}:triggerMutex`,
  pendingOps: (tenant: string) => `${PREFIX}:{${tenant}}:pending-ops`,
  /** The tenant's budget of platform requests (see OpPacer). */
  pace: (tenant: string) => `${PREFIX}:{${tenant}}:pace`,
  /** Set once a batch job's outcomes are recorded: a batch run again after a crash records nothing twice. */
  batchRecorded: (tenant: string, jobId: string) => `${PREFIX}:{${tenant}}:batch-recorded:${jobId}`,
  /** The run id of the one follow-up run waiting for the tenant's current run to end. */
  followUp: (tenant: string) => `${PREFIX}:{${tenant}}:followUp`,
  /** Set once per held run, by the first approval. */
  approval: (tenant: string, runId: string) => `${PREFIX}:{${tenant}}:approval:${runId}`,
  /** One scheduled tick, so a tick delivered twice starts at most one run. */
  tick: (tenant: string, tickId: string) => `${PREFIX}:{${tenant}}:tick:${tickId}`,
  quarantineResetAt: (tenant: string) => `${PREFIX}:{${tenant}}:quarantine:resetAt`,
  skippedTriggers: (tenant: string) => `${PREFIX}:{${tenant}}:skippedTriggers`,
  tally: (tenant: string) => `${PREFIX}:{${tenant}}:metrics`,
  tallied: (tenant: string) => `${PREFIX}:{${tenant}}:metrics:tallied`,
  /** A dashboard session, by the digest of its cookie. */
  session: (digest: string) => `${PREFIX}:{api}:session:${digest}`,
  /** The session keys opened with one token (by its digest), to end them all at once. */
  tokenSessions: (tokenDigest: string) => `${PREFIX}:{api}:token-sessions:${tokenDigest}`,
  /** The admin API's audit log: one stream entry per write request. */
  audit: () => `${PREFIX}:api:audit`,
};
