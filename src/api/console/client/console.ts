import { askBeforeSubmit } from './confirmForms.js';
import { filterDiffRows } from './diffFilter.js';
import { followLiveRun } from './liveRun.js';
import { provisionOnDemand } from './provisionForm.js';
import { sortTables } from './sortableTables.js';
import { filterTenantRows } from './tenantFilter.js';

/**
 * The console's one entry script. Every page works without it: it sorts and filters tables, asks
 * before an irreversible action and follows a moving run. Each part looks for its own elements and
 * does nothing without them.
 */
sortTables(document);
filterTenantRows(document);
filterDiffRows(document);
askBeforeSubmit(document);
followLiveRun(document);
provisionOnDemand(document);
