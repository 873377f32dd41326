import { createDataFrame, FieldType } from '@grafana/data';
import { alignmentPromTableFrames, alignmentSeriesFrames, alignmentTableFrame, KPI_SCORE, KPIS } from '../testing/fixtures';
import { AlignmentModel, readAlignment } from './alignmentData';

function model(frames: Parameters<typeof readAlignment>[0]): AlignmentModel {
  const reading = readAlignment(frames);
  if (!reading.ok) {
    throw new Error(`expected a model, got ${reading.title}`);
  }
  return reading.model;
}

describe('readAlignment', () => {
  it('reads Prometheus series: the score series, its trend, and every KPI part by its kpi label', () => {
    const m = model(alignmentSeriesFrames());
    expect(m.scoreSource).toBe('series');
    expect(m.score?.value).toBeCloseTo(KPI_SCORE, 10);
    // The range starts at 70 and ends at 77.45.
    expect(m.trend?.change).toBeCloseTo(7.45, 10);
    expect(m.trend?.points).toHaveLength(7 * 24);
    expect(m.kpis.map((k) => k.kpi).sort()).toEqual(KPIS.map((k) => k.kpi).sort());
    const ltv = m.kpis.find((k) => k.kpi === 'ltv_cac')!;
    expect([ltv.value?.value, ltv.target?.value, ltv.weight, ltv.score?.value]).toEqual([2.6, 4, 0.15, 65]);
  });

  it('gives each KPI its share of the weight and the points it costs: share x (100 - score)', () => {
    const m = model(alignmentSeriesFrames());
    const gap = (kpi: string) => m.kpis.find((k) => k.kpi === kpi)!.gap;
    expect(gap('mrr_growth_30d')).toBeCloseTo(0.1 * 60, 10);
    expect(gap('ltv_cac')).toBeCloseTo(0.15 * 35, 10);
    expect(gap('d7_retention')).toBeCloseTo(0.2 * 24, 10);
    expect(gap('d30_retention')).toBe(0);
    // The gaps add up to what the score misses of 100.
    expect(m.kpis.reduce((s, k) => s + k.gap!, 0)).toBeCloseTo(100 - KPI_SCORE, 10);
  });

  it('has no trend for an instant score', () => {
    expect(model(alignmentSeriesFrames({ scorePoints: 1 })).trend).toBeUndefined();
  });

  it('reads the KPI parts from Prometheus table format and computes the score when it was not queried', () => {
    const m = model(alignmentPromTableFrames());
    expect(m.scoreSource).toBe('computed');
    expect(m.score?.value).toBeCloseTo(KPI_SCORE, 10);
    expect(m.kpis).toHaveLength(KPIS.length);
    // One row per KPI is not a time series: no per-KPI change.
    expect(m.kpis.filter((k) => k.scoreChange !== undefined)).toEqual([]);
  });

  it('gives a KPI a score change when its score is a range query', () => {
    const range = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1, 2, 3] },
        {
          name: 'Value',
          type: FieldType.number,
          values: [50, null, 44],
          labels: { __name__: 'saasmon_alignment_kpi_score', kpi: 'ltv_cac' },
        },
      ],
    });
    const m = model([range]);
    expect(m.kpis).toEqual([expect.objectContaining({ kpi: 'ltv_cac', scoreChange: -6 })]);
    expect(m.kpis[0].score?.value).toBe(44);
  });

  it('reads a table of KPI rows; a KPI without a score is left out and the other weights renormalised', () => {
    const rows = KPIS.map((k) => (k.kpi === 'viral_coefficient' ? { ...k, value: null, score: null } : k));
    const m = model([alignmentTableFrame(rows)]);
    // (77.45 - 0.05 * 40) / 0.95
    expect(m.score?.value).toBeCloseTo(75.45 / 0.95, 10);
    const viral = m.kpis.find((k) => k.kpi === 'viral_coefficient')!;
    expect(viral.score).toBeUndefined();
    expect(viral.share).toBeUndefined();
    expect(m.kpis.find((k) => k.kpi === 'd7_retention')!.share).toBeCloseTo(0.2 / 0.95, 10);
  });

  it('finds the score by its legend when the __name__ label is gone (e.g. an aggregation)', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1, 2] },
        { name: 'Value', type: FieldType.number, values: [60, 64], config: { displayNameFromDS: 'score' } },
      ],
    });
    const m = model([frame]);
    expect(m.score?.value).toBe(64);
    expect(m.trend?.change).toBe(4);
  });

  it('says "No data" for empty frames and explains the expected shape for other data', () => {
    expect(readAlignment([])).toMatchObject({ ok: false, title: 'No data' });
    expect(readAlignment([createDataFrame({ fields: [] })])).toMatchObject({ ok: false, title: 'No data' });
    const other = createDataFrame({ fields: [{ name: 'cpu', type: FieldType.number, values: [0.4] }] });
    const reading = readAlignment([other]);
    expect(reading).toMatchObject({ ok: false, title: 'No alignment data in this query' });
    expect(!reading.ok && reading.detail).toContain('saasmon_alignment_kpi_score');
  });
});
