import { DemoExperiment, demoExperiments } from './experiments';
import { ScaleProfile, HISTORY_DAYS } from './scales';
import { generateTenants, TenantModel } from './tenants';
import { DAY_MS, startOfDay } from './time';
import { generateUsers, UsersAndAssignments } from './users';

/** Everything but the high-volume rows (events, backups...), which are streamed from it. */
export interface DemoModel extends UsersAndAssignments {
  seed: number;
  nowMs: number;
  startMs: number;
  tenants: TenantModel[];
  experiments: DemoExperiment[];
}

export function buildModel(profile: ScaleProfile, seed: number, nowMs: number): DemoModel {
  const startMs = startOfDay(nowMs - HISTORY_DAYS * DAY_MS);
  const tenants = generateTenants(seed, profile.tenants, startMs, nowMs);
  const experiments = demoExperiments(nowMs);
  const { users, assignments } = generateUsers(seed, tenants, profile.users, experiments, nowMs);
  return { seed, nowMs, startMs, tenants, experiments, users, assignments };
}
