import { askBeforeSubmit } from './confirmForms.js';
import { filterDiffRows } from './diffFilter.js';
import { provisionOnDemand } from './provisionForm.js';
import { sortTables } from './sortableTables.js';
import { filterTenantRows } from './tenantFilter.js';

/**
 * The console's one entry script. Every page works without it: it sorts and filters tables and asks
 * before an irreversible action. Each part looks for its own elements and does nothing without them.
 */
sortTables(document);
filterTenantRows(document);
filterDiffRows(document);
askBeforeSubmit(document);
provisionOnDemand(document);
