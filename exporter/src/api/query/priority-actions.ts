import { priorityActions as contract } from '@saasmon/contract';
import { priorityActions, readAlignment } from '../../summary/priority-actions';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Priority actions (summary/priority-actions.ts): the alignment KPIs that cost the score the most
// points, largest first, each with its recommended action.

export const priorityActionsQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const alignment = await readAlignment(db, now, config);
    const rows = priorityActions(alignment, config, q.limit ?? config.priorityActions.topN);
    const frame = frameFromRows('priority_actions', rows, [
      { name: 'rank', type: 'number', value: (r) => r.rank },
      { name: 'kpi', type: 'string', value: (r) => r.kpi },
      { name: 'actual', type: 'number', value: (r) => r.actual },
      { name: 'target', type: 'number', value: (r) => r.target },
      { name: 'direction', type: 'string', value: (r) => r.direction },
      { name: 'score', type: 'number', value: (r) => r.score, config: { min: 0, max: 100 } },
      { name: 'effective_weight', type: 'number', value: (r) => r.effectiveWeight, config: { unit: 'percentunit' } },
      { name: 'weighted_gap', type: 'number', value: (r) => r.weightedGap, config: { decimals: 1 } },
      { name: 'action', type: 'string', value: (r) => r.action },
    ]);
    frame.meta = { custom: { alignmentScore: alignment.score ?? null, asOf: now.getTime() } };
    return { frames: [frame] };
  },
});
