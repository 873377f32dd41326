import { BACKUP_LOCATIONS, INCIDENT_TITLES, SERVICES } from './catalog';
import { CopyRow } from './copy';
import { Random } from './random';
import { DAY_MS, HOUR_MS, iso, MINUTE_MS, startOfDay } from './time';

/**
 * Backups in two locations: a full backup every day over the whole history, incrementals every
 * hour for the last 90 days and WAL archives every 15 minutes for the last 7 days (what a
 * retention policy would keep), a weekly escrow export; about 1% failed in the past, and one
 * recent failure the demo raises on purpose: the incremental backup to eu-west-1 three hours before
 * `now` failed and the next one succeeded (SaasDrBackupFailed, a warning, for a day). A restore
 * test verifies one full backup a week. Every kind's newest success is within its age limit.
 */
export function* backupRows(seed: number, startMs: number, nowMs: number): Generator<CopyRow> {
  const r = Random.stream(seed, 'backups');
  const schedules = [
    { kind: 'full', everyMs: DAY_MS, fromMs: startOfDay(startMs), durationMs: 40 * MINUTE_MS, bytes: 80e9 },
    { kind: 'incremental', everyMs: HOUR_MS, fromMs: startOfDay(nowMs - 90 * DAY_MS), durationMs: 4 * MINUTE_MS, bytes: 2e9 },
    { kind: 'wal_archive', everyMs: 15 * MINUTE_MS, fromMs: startOfDay(nowMs - 7 * DAY_MS), durationMs: 20_000, bytes: 64e6 },
    { kind: 'escrow_export', everyMs: 7 * DAY_MS, fromMs: startOfDay(startMs), durationMs: 90 * MINUTE_MS, bytes: 60e9 },
  ] as const;
  let n = 0;
  for (const location of BACKUP_LOCATIONS) {
    for (const s of schedules) {
      const growth = (ms: number) => 0.5 + (0.5 * (ms - startMs)) / (nowMs - startMs);
      for (let started = s.fromMs; started <= nowMs; started += s.everyMs) {
        const duration = Math.round(s.durationMs * r.between(0.7, 1.4));
        const done = started + duration;
        const running = done > nowMs;
        const unlucky = r.chance(0.01);
        const failed = !running && ((unlucky && done <= nowMs - 2 * DAY_MS) || isDemoIncident(s.kind, location, started, nowMs));
        const status = running ? 'running' : failed ? 'failed' : 'succeeded';
        const verified =
          s.kind === 'full' && status === 'succeeded' && new Date(started).getUTCDay() === 0 && done + 6 * HOUR_MS <= nowMs
            ? iso(done + 6 * HOUR_MS)
            : null;
        const size = running || failed ? null : Math.round(s.bytes * growth(started) * r.between(0.9, 1.1));
        yield [`bk_${++n}`, s.kind, location, iso(started), running ? null : iso(done), status, size, verified];
      }
    }
  }
}

/** The one recent backup failure of the demo (see backupRows). */
function isDemoIncident(kind: string, location: string, startedMs: number, nowMs: number): boolean {
  return kind === 'incremental' && location === 'eu-west-1' && startedMs >= nowMs - 4 * HOUR_MS && startedMs < nowMs - 3 * HOUR_MS;
}

const DR_KINDS = ['full_failover', 'backup_restore', 'partial_recovery'] as const;
const DR_RTO_SECONDS = { full_failover: 1_500, backup_restore: 2_400, partial_recovery: 700 } as const;

/** One DR test of each kind about every month; most pass, the newest ones pass within the RTO. */
export function* drTestRows(seed: number, startMs: number, nowMs: number): Generator<CopyRow> {
  const r = Random.stream(seed, 'dr');
  let n = 0;
  for (const [k, kind] of DR_KINDS.entries()) {
    for (let at = startMs + (k + 1) * 5 * DAY_MS; at <= nowMs - DAY_MS; at += r.int(26, 34) * DAY_MS) {
      const newest = at + 34 * DAY_MS > nowMs - DAY_MS;
      const x = r.next();
      const result = newest || x < 0.82 ? 'pass' : x < 0.93 ? 'partial' : 'fail';
      const rto = Math.round(DR_RTO_SECONDS[kind] * (result === 'pass' ? r.between(0.7, 1.3) : r.between(1.5, 3)));
      const rpo = result === 'pass' ? r.int(5, 300) : r.int(300, 3_600);
      const notes = result === 'pass' ? null : result === 'partial' ? 'restored with manual steps' : 'failover aborted: replica behind';
      yield [`dr_${++n}`, kind, iso(at + 14 * HOUR_MS), rto, rpo, result, notes];
    }
  }
}

/** About one incident a week, mostly minor; the last day's are still open. */
export function* incidentRows(seed: number, startMs: number, nowMs: number): Generator<CopyRow> {
  const r = Random.stream(seed, 'incidents');
  let n = 0;
  for (let at = startMs + r.exponential(7 * DAY_MS); at <= nowMs; at += r.exponential(7 * DAY_MS)) {
    const started = Math.round(at);
    const severity = r.weighted({ minor: 70, major: 25, critical: 5 });
    const repairMs =
      Math.round(r.exponential(severity === 'minor' ? 3 * HOUR_MS : severity === 'major' ? 2 * HOUR_MS : HOUR_MS)) + 10 * MINUTE_MS;
    const resolved = started + repairMs <= nowMs ? started + repairMs : null;
    const status = resolved !== null ? 'resolved' : r.pick(['investigating', 'identified', 'monitoring']);
    const services = `{${[...new Set([r.pick(SERVICES), r.pick(SERVICES)])].slice(0, r.int(1, 2)).join(',')}}`;
    yield [`inc_${++n}`, r.pick(INCIDENT_TITLES), severity, status, services, iso(started), resolved === null ? null : iso(resolved)];
  }
  // Two incidents under way at `now`, so the open-incident panels have something to show.
  yield [`inc_${++n}`, 'Delayed notifications', 'minor', 'monitoring', '{notifications}', iso(nowMs - 50 * MINUTE_MS), null];
  yield [`inc_${++n}`, 'Elevated API latency', 'major', 'identified', '{api,db}', iso(nowMs - 25 * MINUTE_MS), null];
}

/** A minor release every week (Tuesday-ish), patches and hotfixes between; a few rolled back. */
export function* releaseRows(seed: number, startMs: number, nowMs: number): Generator<CopyRow> {
  const r = Random.stream(seed, 'releases');
  let [major, minor, patch] = [3, 0, 0];
  let n = 0;
  for (let week = startOfDay(startMs) + DAY_MS; week <= nowMs; week += 7 * DAY_MS) {
    const drops: Array<['major' | 'minor' | 'patch' | 'hotfix', number]> = [];
    if (r.chance(1 / 26)) drops.push(['major', week]);
    else drops.push(['minor', week]);
    if (r.chance(0.5)) drops.push(['patch', week + 2 * DAY_MS]);
    if (r.chance(0.15)) drops.push(['hotfix', week + 4 * DAY_MS]);
    for (const [kind, day] of drops) {
      const at = day + r.int(9, 17) * HOUR_MS + r.int(0, 59) * MINUTE_MS;
      if (at > nowMs) continue;
      if (kind === 'major') [major, minor, patch] = [major + 1, 0, 0];
      else if (kind === 'minor') [minor, patch] = [minor + 1, 0];
      else patch++;
      const rolledBack = r.chance(0.05) ? at + r.int(10, 120) * MINUTE_MS : null;
      yield [
        `rel_${++n}`,
        `${major}.${minor}.${patch}`,
        kind,
        iso(at),
        rolledBack !== null && rolledBack <= nowMs ? iso(rolledBack) : null,
      ];
    }
  }
}
