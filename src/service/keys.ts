/**
 * Redis keys of the service's own state (follow-ups, quarantine, metrics tallies, dashboard
 * sessions), beside those of `runs/keys.ts` and with the same tenant hash tag.
 */
const PREFIX = 'dirsync';

export const serviceKeys = {
  /** The run id of the one follow-up run waiting for the tenant's current run to end. */
  followUp: (tenant: string) => `${PREFIX}:{${tenant}}:followUp`,
  triggerMutex: (tenant: string) => `${PREFIX}:{${tenant}}:triggerMutex`,
  /** Set once per held run, by the first approval. */
  approval: (tenant: string, runId: string) => `${PREFIX}:{${tenant}}:approval:${runId}`,
  /** One scheduled tick, so a tick delivered twice starts at most one run. */
  tick: (tenant: string, tickId: string) => `${PREFIX}:{${tenant}}:tick:${tickId}`,
  quarantineResetAt: (tenant: string) => `${PREFIX}:{${tenant}}:quarantine:resetAt`,
  skippedTriggers: (tenant: string) => `${PREFIX}:{${tenant}}:skippedTriggers`,
  tally: (tenant: string) => `${PREFIX}:{${tenant}}:metrics`,
  tallied: (tenant: string) => `${PREFIX}:{${tenant}}:metrics:tallied`,
  session: (digest: string) => `${PREFIX}:api:session:${digest}`,
  /** The session keys opened with one token (by its digest), to end them all at once. */
  tokenSessions: (tokenDigest: string) => `${PREFIX}:api:token-sessions:${tokenDigest}`,
  /** The admin API's audit log: one stream entry per write request. */
  audit: () => `${PREFIX}:api:audit`,
};
