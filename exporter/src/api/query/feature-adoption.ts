import { readFeatureAdoptionByPlan } from '../../reads/engagement';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { featureAdoption as contract } from '@saasmon/contract';

// Feature adoption matrix, features x plans: among tenants active in [from, to) (at least one
// event), the share that used the feature (an event of that name) in the same range. Plan is the
// tenant's current plan; the column "all" is every plan together. Features: the ones asked for,
// else the `top` names by number of tenants using them.

export const featureAdoptionQuery = defineQuery({
  ...contract,
  async run(q, { db, config }) {
    const cap = config.api.maxBreakdownGroups;
    const { rows: parsed, planCount } = await readFeatureAdoptionByPlan(db, q, cap);
    return {
      frames: [
        frameFromRows('feature_adoption', parsed, [
          { name: 'feature', type: 'string', value: (r) => r.feature },
          { name: 'plan', type: 'string', value: (r) => r.plan },
          {
            name: 'adoption',
            type: 'number',
            value: (r) => (r.active > 0 ? r.using / r.active : undefined),
            config: { unit: 'percentunit', min: 0, max: 1 },
          },
          { name: 'tenants_using', type: 'number', value: (r) => r.using },
          { name: 'active_tenants', type: 'number', value: (r) => r.active },
        ]),
      ].map((frame) =>
        planCount > cap
          ? {
              ...frame,
              meta: {
                notices: [
                  {
                    severity: 'warning' as const,
                    text: `${planCount} plans have active tenants; showing the ${cap} with the most (api.maxBreakdownGroups), and "all" over every plan. Filter with plans to see others.`,
                  },
                ],
              },
            }
          : frame,
      ),
    };
  },
});
