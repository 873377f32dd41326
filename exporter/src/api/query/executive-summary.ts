import { executiveSummary as contract } from '@saasmon/contract';
import { SUMMARY_STATUSES } from '../../summary/status';
import { readExecutiveSummary } from '../../summary/executive-summary';
import { Frame, frameFromRows } from './frames';
import { defineQuery } from './registry';

// The founder's morning check (summary/executive-summary.ts): one row per figure with its status,
// and the alerts firing in Alertmanager. A figure whose source failed has a null value and says why.

/** Numeric status for panels that color by value: 0 healthy, 1 warning, 2 critical. */
const level = (s: string | undefined) => (s === undefined ? undefined : SUMMARY_STATUSES.indexOf(s as (typeof SUMMARY_STATUSES)[number]));

export const executiveSummaryQuery = defineQuery({
  ...contract,
  async run(_q, { db, now, config }) {
    const s = await readExecutiveSummary(db, now, config);
    const unit = (u: string) =>
      u === 'currency' ? `currency${s.currency}` : u === 'ratio' ? 'percentunit' : u === 'seconds' ? 's' : undefined;
    const figures: Frame = frameFromRows('executive_summary', s.figures, [
      { name: 'key', type: 'string', value: (f) => f.key },
      { name: 'group', type: 'string', value: (f) => f.group },
      { name: 'figure', type: 'string', value: (f) => f.label },
      { name: 'value', type: 'number', value: (f) => f.value },
      { name: 'unit', type: 'string', value: (f) => unit(f.unit) ?? f.unit },
      { name: 'status', type: 'string', value: (f) => f.status },
      { name: 'level', type: 'number', value: (f) => level(f.status), config: { min: 0, max: 2 } },
      { name: 'detail', type: 'string', value: (f) => f.error ?? f.note },
      { name: 'metric', type: 'string', value: (f) => f.metric },
    ]);
    figures.meta = {
      custom: { status: s.status ?? null, asOf: s.at.getTime(), currency: s.currency, alerts: s.alerts.state },
      notices: [
        ...s.figures.filter((f) => f.error).map((f) => ({ severity: 'warning' as const, text: `${f.label}: ${f.error}` })),
        ...(s.alerts.state === 'error' ? [{ severity: 'warning' as const, text: `Alerts: ${s.alerts.error}` }] : []),
      ],
    };
    const alerts = s.alerts.state === 'ok' ? s.alerts.alerts : [];
    const alertFrame = frameFromRows('firing_alerts', alerts, [
      { name: 'alertname', type: 'string', value: (a) => a.alertname },
      { name: 'severity', type: 'string', value: (a) => a.severity },
      { name: 'summary', type: 'string', value: (a) => a.summary },
      { name: 'since', type: 'time', value: (a) => Date.parse(a.startsAt) },
    ]);
    return { frames: [figures, alertFrame] };
  },
});
