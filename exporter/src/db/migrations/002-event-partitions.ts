/**
 * Monthly partitions of events, made by saasmon_ensure_event_partitions (db/functions.ts). A month that already has rows in the DEFAULT partition (a load
 * that ran ahead of partition upkeep) gets them moved into its new partition in the same
 * transaction, so making a partition never fails and never loses a row.
 */
export const sql = `-- The partitions are made by saasmon_ensure_event_partitions (db/functions.ts).`;

/** The months around now get their partitions once the function exists. */
export const afterFunctions = `SELECT saasmon_ensure_event_partitions(now() - interval '3 months', now() + interval '3 months');`;
