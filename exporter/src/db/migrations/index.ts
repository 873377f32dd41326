import * as contractTables from './001-contract-tables';
import * as eventPartitions from './002-event-partitions';
import * as eventRollups from './003-event-rollups';
import * as userActivityBitmaps from './004-user-activity-bitmaps';
import * as eventTimelines from './005-event-timelines';
import * as timelineTenants from './006-timeline-tenants';
import * as userDaysFirstAtIndex from './007-user-days-first-at-index';
import * as erasedUsersAndTimeOrder from './008-erased-users-and-time-order';
import * as reportDeliveries from './011-report-deliveries';
import * as integrations from './014-integrations';

export interface Migration {
  version: string;
  sql: string;
}

/** In order; a version, once released, is never edited: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: '001-contract-tables', sql: contractTables.sql },
  { version: '002-event-partitions', sql: eventPartitions.sql },
  { version: '003-event-rollups', sql: eventRollups.sql },
  { version: '004-user-activity-bitmaps', sql: userActivityBitmaps.sql },
  { version: '005-event-timelines', sql: eventTimelines.sql },
  { version: '006-timeline-tenants', sql: timelineTenants.sql },
  { version: '007-user-days-first-at-index', sql: userDaysFirstAtIndex.sql },
  { version: '008-erased-users-and-time-order', sql: erasedUsersAndTimeOrder.sql },
  { version: '011-report-deliveries', sql: reportDeliveries.sql },
  { version: '014-integrations', sql: integrations.sql },
];
