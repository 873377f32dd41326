import { equalSplitChiSquare, twoProportionZTest } from '../../domain/stats';
import { readExperiment, readVariantCounts } from '../../reads/experiment';
import { HttpError } from '../errors';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { experiment as contract } from '@saasmon/contract';

// Experiment result (docs/metrics.md, "Experiment"): per variant, assigned users and
// users with the success event after their assignment; lift and two-proportion z-test p-value vs
// the control; sample ratio mismatch flagged when the equal-split chi-square p < 0.001.

const SRM_P_THRESHOLD = 0.001;

export const experimentQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const exp = await readExperiment(db, q.experiment);
    if (!exp) throw new HttpError(404, `experiment: no experiment with id "${q.experiment}"`);
    const rows = await readVariantCounts(db, exp, now);
    const control = rows.find((r) => r.variant === q.control);
    const srm = equalSplitChiSquare(rows.map((r) => r.assigned));
    const results = rows.map((r) => {
      const rate = r.assigned > 0 ? r.converted / r.assigned : undefined;
      const controlRate = control && control.assigned > 0 ? control.converted / control.assigned : undefined;
      const isControl = r.variant === q.control;
      const test =
        control && !isControl
          ? twoProportionZTest({ n: control.assigned, x: control.converted }, { n: r.assigned, x: r.converted })
          : undefined;
      return {
        ...r,
        rate,
        lift: !isControl && rate !== undefined && controlRate ? rate / controlRate - 1 : undefined,
        pValue: test?.pValue,
        isControl,
      };
    });
    const notices = [];
    if (!control) notices.push({ severity: 'warning' as const, text: `no variant named "${q.control}": lift and p-values need a control` });
    if (srm && srm.pValue < SRM_P_THRESHOLD) {
      notices.push({
        severity: 'warning' as const,
        text: `sample ratio mismatch (chi-square p = ${srm.pValue.toExponential(2)}): check the assignment`,
      });
    }
    const frame = frameFromRows(`experiment ${exp.id}`, results, [
      { name: 'variant', type: 'string', value: (r) => r.variant },
      { name: 'assigned', type: 'number', value: (r) => r.assigned },
      { name: 'converted', type: 'number', value: (r) => r.converted },
      { name: 'rate', type: 'number', value: (r) => r.rate, config: { unit: 'percentunit' } },
      { name: 'lift', type: 'number', value: (r) => r.lift, config: { unit: 'percentunit' } },
      { name: 'p_value', type: 'number', value: (r) => r.pValue },
      { name: 'srm', type: 'boolean', value: () => (srm ? srm.pValue < SRM_P_THRESHOLD : false) },
    ]);
    frame.meta = { ...(notices.length ? { notices } : {}), custom: { srmPValue: srm?.pValue ?? null, successEvent: exp.successEvent } };
    return { frames: [frame] };
  },
});
