export { createEmulatorClock, type EmulatorClock } from './clock.js';
export {
  OKTA_USER_STATUSES,
  type OktaDirectory,
  type OktaUserStatus,
  type SeedApp,
  type SeedGroup,
  type SeedUser,
} from './directory.js';
export { type GenerateOptions, generateOktaOrg } from './generate.js';
export type { OAuthClientRegistration } from './oauth.js';
export type { EmulatedOrg, NewUser } from './org.js';
export { DEFAULT_RATE_LIMITS, type RateLimitBucket } from './rateLimits.js';
export { type OktaEmulator, type OktaEmulatorOptions, startOktaEmulator } from './server.js';
