import * as contractTables from './001-contract-tables';
import * as eventPartitions from './002-event-partitions';
import * as eventRollups from './003-event-rollups';
import * as userActivityBitmaps from './004-user-activity-bitmaps';
import * as eventTimelines from './005-event-timelines';
import * as timelineTenants from './006-timeline-tenants';
import * as userDaysFirstAtIndex from './007-user-days-first-at-index';
import * as erasedUsersAndTimeOrder from './008-erased-users-and-time-order';
import * as reportDeliveries from './011-report-deliveries';
import * as aiTelemetry from './012-ai-telemetry';
import * as integrations from './014-integrations';
import * as trackingWaiting from './014-tracking-waiting';
import * as userDaysCoveringIndex from './015-user-days-covering-index';
import * as userActivityFirstAt from './016-user-activity-first-at';

export interface Migration {
  version: string;
  /** Tables, indexes, views, data changes; never a saasmon function or trigger (see db/functions.ts). */
  sql: string;
  /** A data change that needs the functions (a rebuild): run once, after db/functions.ts is applied. */
  afterFunctions?: string;
}

/** In order; a version, once released, is never edited: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: '001-contract-tables', sql: contractTables.sql },
  { version: '002-event-partitions', sql: eventPartitions.sql, afterFunctions: eventPartitions.afterFunctions },
  { version: '003-event-rollups', sql: eventRollups.sql, afterFunctions: eventRollups.afterFunctions },
  { version: '004-user-activity-bitmaps', sql: userActivityBitmaps.sql, afterFunctions: userActivityBitmaps.afterFunctions },
  { version: '005-event-timelines', sql: eventTimelines.sql, afterFunctions: eventTimelines.afterFunctions },
  { version: '006-timeline-tenants', sql: timelineTenants.sql },
  { version: '007-user-days-first-at-index', sql: userDaysFirstAtIndex.sql },
  { version: '008-erased-users-and-time-order', sql: erasedUsersAndTimeOrder.sql },
  { version: '011-report-deliveries', sql: reportDeliveries.sql },
  { version: '012-ai-telemetry', sql: aiTelemetry.sql },
  { version: '014-integrations', sql: integrations.sql },
  { version: '014-tracking-waiting', sql: trackingWaiting.sql },
  { version: '015-user-days-covering-index', sql: userDaysCoveringIndex.sql },
  { version: '016-user-activity-first-at', sql: userActivityFirstAt.sql, afterFunctions: userActivityFirstAt.afterFunctions },
];
