// The worker's activities, built from injected dependencies.
import type { ActivityDeps } from './deps';
import { createEmailActivities } from './email';
import { createInvestigationActivities } from './investigation';
import { createLedgerActivities } from './ledger';
import { createMonitoringActivities } from './monitoring';
import { createScanActivities } from './scan';
import { createTimelineActivities } from './timeline';

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types
export function createActivities(deps: ActivityDeps) {
  return {
    ...createTimelineActivities(deps),
    ...createInvestigationActivities(deps),
    ...createEmailActivities(deps),
    ...createMonitoringActivities(deps),
    ...createLedgerActivities(deps),
    ...createScanActivities(deps),
  };
}

export type { ActivityDeps };
