import { mrrForecast as contract } from '@saasmon/contract';
import { backtest, BACKTEST_ORIGINS, FIT_MONTHS, forecastMrr, WINDOW_MONTHS } from '../../domain/forecast';
import { moneyToNumber, sumMoney } from '../../domain/money';
import { readTenantMrr } from '../../reads/revenue';
import { Queryable } from '../../db/pool';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// MRR forecast (docs/metrics.md "MRR forecast"): month-end MRR of the last complete months (as
// saasmon_mrr counts it, from readTenantMrr), projected `months` ahead with 80% and 95%
// prediction intervals by the chosen model (trend by default, or drift on the monthly
// movements), and the 1-month-ahead backtest of the last 6 months.

/** Month-end instants (UTC month starts), oldest first, the last one the start of now's month. */
export function monthEnds(now: Date, count: number): Date[] {
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (count - 1 - i), 1)));
}

/** Company MRR at each instant, as numbers of the currency. */
export async function readMrrSeries(db: Queryable, instants: readonly Date[]): Promise<number[]> {
  const tenants = await readTenantMrr(db, instants);
  return instants.map((_, i) => moneyToNumber(sumMoney(tenants.map((t) => t.mrr[i] ?? 0n))));
}

interface Row {
  time: number;
  mrr?: number;
  fitted?: number;
  forecast?: number;
  lower80?: number;
  upper80?: number;
  lower95?: number;
  upper95?: number;
}

export const mrrForecastQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const window = WINDOW_MONTHS[q.model];
    const instants = monthEnds(now, window + BACKTEST_ORIGINS);
    const series = await readMrrSeries(db, instants);
    const fc = forecastMrr(q.model, series.slice(-window), q.months);
    // The chart shows the last 12 month-ends (the drift model reads one more, for 12 movements).
    const shown = series.slice(-FIT_MONTHS);
    const fitted = fc?.fitted.slice(-FIT_MONTHS);
    const past: Row[] = shown.map((mrr, x) => ({
      time: (instants[instants.length - FIT_MONTHS + x] as Date).getTime(),
      mrr,
      fitted: fitted?.[x],
    }));
    const last = instants[instants.length - 1] as Date;
    const future: Row[] = (fc?.points ?? []).map((p) => ({
      time: Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + p.ahead, 1),
      forecast: p.point,
      lower80: p.lower80,
      upper80: p.upper80,
      lower95: p.lower95,
      upper95: p.upper95,
    }));
    const bt = backtest(series, BACKTEST_ORIGINS, q.model);
    const money = { unit: `currency${config.currency}` };
    const forecast = frameFromRows(
      'mrr_forecast',
      [...past, ...future],
      [
        { name: 'time', type: 'time', value: (r) => r.time },
        { name: 'mrr', type: 'number', value: (r) => r.mrr, config: money },
        { name: 'fitted', type: 'number', value: (r) => r.fitted, config: money },
        { name: 'forecast', type: 'number', value: (r) => r.forecast, config: money },
        { name: 'lower_80', type: 'number', value: (r) => r.lower80, config: money },
        { name: 'upper_80', type: 'number', value: (r) => r.upper80, config: money },
        { name: 'lower_95', type: 'number', value: (r) => r.lower95, config: money },
        { name: 'upper_95', type: 'number', value: (r) => r.upper95, config: money },
      ],
    );
    forecast.meta = {
      custom: {
        model: q.model,
        monthlyGrowth: fc ? fc.monthlyGrowth : null,
        residualStandardError: fc ? fc.sigma : null,
        monthsFitted: fc ? fc.n : 0,
        backtestMape: bt.mape ?? null,
      },
      ...(fc ? {} : { notices: [{ severity: 'info' as const, text: 'fewer than 6 of the last 12 month-ends have MRR: no forecast' }] }),
    };
    const backtestFrame = frameFromRows('mrr_forecast_backtest', bt.points, [
      { name: 'time', type: 'time', value: (p) => (instants[p.index] as Date).getTime() },
      { name: 'actual', type: 'number', value: (p) => p.actual, config: money },
      { name: 'predicted', type: 'number', value: (p) => p.predicted, config: money },
      { name: 'ape', type: 'number', value: (p) => p.ape, config: { unit: 'percentunit' } },
    ]);
    return { frames: [forecast, backtestFrame] };
  },
});
