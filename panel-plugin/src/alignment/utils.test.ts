import { createDataFrame, FieldType } from '@grafana/data';
import { alignmentSeriesFrames } from '../testing/fixtures';
import { readAlignment } from './alignmentData';
import { kpiTitle } from './kpis';
import { statusOf } from './types';
import { formatChange, formatKpiNumber, formatScore, priorityKpi, sortKpis } from './utils';

const kpis = () => {
  const reading = readAlignment(alignmentSeriesFrames());
  if (!reading.ok) {
    throw new Error('fixture');
  }
  return reading.model.kpis;
};

describe('sortKpis', () => {
  it('by gap puts the KPI that costs the score most first, zero gaps by name', () => {
    expect(sortKpis(kpis(), 'gap').map((k) => k.kpi)).toEqual([
      'mrr_growth_30d',
      'ltv_cac',
      'd7_retention',
      'viral_coefficient',
      'account_activation_rate',
      'activation_rate',
      'customer_churn_30d',
      'd30_retention',
    ]);
    expect(priorityKpi(kpis())).toBe('mrr_growth_30d');
  });

  it('by score, weight and name', () => {
    expect(
      sortKpis(kpis(), 'score')
        .map((k) => k.kpi)
        .slice(0, 3),
    ).toEqual(['mrr_growth_30d', 'viral_coefficient', 'ltv_cac']);
    expect(sortKpis(kpis(), 'weight')[0].kpi).toBe('d7_retention');
    expect(sortKpis(kpis(), 'name').map((k) => kpiTitle(k.kpi))[0]).toBe('Activation rate');
  });

  it('has no priority when every KPI meets its target', () => {
    const met = kpis().map((k) => ({ ...k, gap: 0 }));
    expect(priorityKpi(met)).toBeUndefined();
  });
});

describe('formatting', () => {
  const field = (config = {}) => createDataFrame({ fields: [{ name: 'v', type: FieldType.number, values: [], config }] }).fields[0];

  it('shows ratios as percent and LTV:CAC as a multiple unless the field sets a unit', () => {
    expect(formatKpiNumber(field(), 'd7_retention', 0.19)).toBe('19%');
    expect(formatKpiNumber(field(), 'ltv_cac', 2.6)).toBe('2.6×');
    expect(formatKpiNumber(field({ unit: 'percent', decimals: 1 }), 'd7_retention', 19)).toBe('19.0%');
    expect(formatKpiNumber(field(), 'new_kpi', 3)).toBe('3');
  });

  it('shows scores as whole points unless decimals are set, changes signed', () => {
    expect(formatScore(field(), 77.45)).toBe('77');
    expect(formatScore(field({ decimals: 1 }), 77.45)).toBe('77.5');
    expect(formatChange(7.45)).toBe('+7.5');
    expect(formatChange(-0.04)).toBe('0.0');
    expect(formatChange(-2)).toBe('-2.0');
  });

  it('names known KPIs and title-cases unknown ones', () => {
    expect(kpiTitle('ltv_cac')).toBe('LTV:CAC');
    expect(kpiTitle('nps_90d')).toBe('Nps 90d');
  });
});

describe('statusOf', () => {
  it('uses the bands: on track from 80, at risk from 50', () => {
    const bands = { onTrackFrom: 80, atRiskFrom: 50 };
    expect([statusOf(80, bands), statusOf(79.9, bands), statusOf(50, bands), statusOf(49.9, bands)]).toEqual([
      'on_track',
      'at_risk',
      'at_risk',
      'off_track',
    ]);
  });
});
