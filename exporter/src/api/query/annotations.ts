import { annotations as contract } from '@saasmon/contract';
import { AnnotationRow, readAnnotations } from '../../reads/annotations';
import { Frame, frameFromRows } from './frames';
import { defineQuery } from './registry';

// Releases, incidents, DR tests and experiments over [from, to) for Grafana annotations
// (docs/query-api.md "annotations"): one row each, with its start, its end (the start again for an
// instant, null while open), a title, a text and tags.

/** 5400 -> "1h 30m", 45 -> "45s": durations people read on a tooltip. */
export function humanDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const [d, h, m] = [Math.floor(seconds / 86_400), Math.floor((seconds % 86_400) / 3600), Math.floor((seconds % 3600) / 60)];
  return (
    [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', seconds < 3600 && seconds % 60 ? `${seconds % 60}s` : '']
      .filter(Boolean)
      .join(' ') || '0s'
  );
}

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/** Title, text and tags of one row. */
export function describeAnnotation(r: AnnotationRow): { title: string; text: string; tags: string[] } {
  switch (r.kind) {
    case 'release':
      return {
        title: `Release ${r.name}`,
        text: `${r.name} (${r.detail}) deployed${r.ended_early_at ? `; rolled back at ${iso(r.ended_early_at)}` : ''}`,
        tags: ['release', r.detail, ...(r.ended_early_at ? ['rolled_back'] : [])],
      };
    case 'incident': {
      const services = r.services ?? [];
      return {
        title: `Incident: ${r.name}`,
        text: `${r.detail} incident, ${r.notes ?? 'unknown status'}${r.end_at ? '' : ' (open)'}: ${r.name}${
          services.length ? `; services: ${services.join(', ')}` : ''
        }`,
        tags: ['incident', r.detail, ...services],
      };
    }
    case 'dr_test':
      return {
        title: `DR test: ${r.name} ${r.detail}`,
        text:
          `${r.name} ${r.detail}: recovery time ${humanDuration(r.recovery_time_seconds ?? 0)}, ` +
          `data loss ${humanDuration(r.data_loss_seconds ?? 0)}${r.notes ? `; ${r.notes}` : ''}`,
        tags: ['dr_test', r.name, r.detail],
      };
    case 'experiment': {
      const variants = r.variants ?? [];
      const parts = [
        `${r.name} (${r.detail}${r.end_at ? '' : ', open'})`,
        variants.length ? `variants: ${variants.join(', ')}` : 'no assignments yet',
        ...(r.winner ? [`winner: ${r.winner}`] : []),
        ...(r.notes ? [`hypothesis: ${r.notes}`] : []),
      ];
      return { title: `Experiment: ${r.name}`, text: parts.join('; '), tags: ['experiment', r.detail] };
    }
  }
}

export const annotationsQuery = defineQuery({
  ...contract,
  async run(q, { db }) {
    const { rows, truncated } = await readAnnotations(db, q);
    const described = rows.map((r) => ({ row: r, ...describeAnnotation(r) }));
    const frame: Frame = frameFromRows('annotations', described, [
      { name: 'time', type: 'time', value: (a) => a.row.start_at.getTime() },
      { name: 'timeEnd', type: 'time', value: (a) => a.row.end_at?.getTime() ?? null },
      { name: 'title', type: 'string', value: (a) => a.title },
      { name: 'text', type: 'string', value: (a) => a.text },
      { name: 'tags', type: 'other', value: (a) => a.tags },
      { name: 'kind', type: 'string', value: (a) => a.row.kind },
      { name: 'id', type: 'string', value: (a) => a.row.id },
    ]);
    const notices: Array<{ severity: 'info' | 'warning'; text: string }> = [];
    if (truncated)
      notices.push({ severity: 'warning', text: `More than ${q.limit} annotations in the range: the ${q.limit} newest are shown.` });
    if (q.services && q.kinds.some((k) => k !== 'incident')) {
      notices.push({
        severity: 'info',
        text: 'The services filter applies to incidents only: releases, DR tests and experiments have no service.',
      });
    }
    if (notices.length) frame.meta = { notices };
    return { frames: [frame] };
  },
});
