import { DataFrame, Field, FieldType } from '@grafana/data';
import { cellText, fieldByName, finiteNumber, lastNumber, timePoints } from '../shared/fieldValues';

/** One number of a KPI with the field it came from (its unit, decimals, thresholds). */
export interface FieldNumber {
  value: number;
  field: Field;
}

export interface KpiRow {
  kpi: string;
  value?: FieldNumber;
  target?: FieldNumber;
  weight?: number;
  score?: FieldNumber;
  /** Change of the KPI score over the queried range (range queries only). */
  scoreChange?: number;
  /** The KPI's weight among the KPIs that have a score (the exporter renormalises the same way), 0..1. */
  share?: number;
  /** Points of the overall score this KPI costs: share * (100 - score). The priority action is the largest. */
  gap?: number;
}

export interface ScoreTrend {
  points: Array<{ time: number; value: number }>;
  /** Newest minus oldest value over the queried range. */
  change: number;
}

export interface AlignmentModel {
  score?: FieldNumber;
  /** 'series' when saasmon_alignment_score was queried, 'computed' when derived from the KPI rows. */
  scoreSource: 'series' | 'computed';
  trend?: ScoreTrend;
  kpis: KpiRow[];
  /** Recommended actions in rank order, when the query returned them (the priority_actions query type). */
  actions: PriorityActionRow[];
}

export interface PriorityActionRow {
  kpi: string;
  action: string;
}

export type AlignmentReading = { ok: true; model: AlignmentModel } | { ok: false; title: string; detail: string };

type Part = 'value' | 'target' | 'weight' | 'score';
const PARTS: readonly Part[] = ['value', 'target', 'weight', 'score'];

const KPI_METRIC = /alignment_kpi_(value|target|weight|score)$/;
const SCORE_METRIC = /alignment_score$/;

export const EXPECTED_DATA =
  'Query saasmon_alignment_score and saasmon_alignment_kpi_score, _value, _target and _weight (time series or ' +
  'table format), or a table with the columns kpi, value, target, weight and score.';

/** A part's number; `series` is its frame when it is a time series of its own (the trend source). */
type KpiParts = Partial<Record<Part, { field: Field; value: number; series?: DataFrame }>>;

interface Collected {
  score?: { field: Field; frame: DataFrame };
  parts: Map<string, KpiParts>;
  actions: PriorityActionRow[];
}

/**
 * Reads the alignment score and its KPI breakdown from whatever shape the query returned:
 * Prometheus series (one frame per series, labels on the value field), Prometheus table format
 * (columns __name__, kpi, Value), or a plain table (kpi, value, target, weight, score).
 */
export function readAlignment(frames: DataFrame[]): AlignmentReading {
  if (frames.every((f) => f.length === 0 || f.fields.length === 0)) {
    return { ok: false, title: 'No data', detail: EXPECTED_DATA };
  }
  const collected: Collected = { parts: new Map(), actions: [] };
  for (const frame of frames) {
    collectFrame(frame, collected);
  }
  if (!collected.score && collected.parts.size === 0) {
    return { ok: false, title: 'No alignment data in this query', detail: EXPECTED_DATA };
  }

  const kpis = [...collected.parts.entries()].map(([kpi, parts]) => toKpiRow(kpi, parts));
  weighKpis(kpis);

  let score: FieldNumber | undefined;
  let trend: ScoreTrend | undefined;
  if (collected.score) {
    const { field, frame } = collected.score;
    const value = lastNumber(field);
    score = value === undefined ? undefined : { value, field };
    const points = timePoints(frame, field);
    if (points.length > 1) {
      trend = { points, change: points[points.length - 1].value - points[0].value };
    }
  } else {
    score = computedScore(kpis);
  }
  return {
    ok: true,
    model: { score, scoreSource: collected.score ? 'series' : 'computed', trend, kpis, actions: collected.actions },
  };
}

function collectFrame(frame: DataFrame, out: Collected) {
  const kpiField = fieldByName(frame, 'kpi');
  const nameField = fieldByName(frame, '__name__');
  if (kpiField && kpiField.type === FieldType.string) {
    collectActions(frame, kpiField, out);
    if (nameField) {
      collectPromTable(frame, kpiField, nameField, out);
    } else {
      collectKpiTable(frame, kpiField, out);
    }
    return;
  }
  if (nameField) {
    // Table format of the overall score: no kpi column.
    const valueField = frame.fields.find((f) => f.type === FieldType.number);
    const isScore = frame.length > 0 && SCORE_METRIC.test(String(nameField.values[0]));
    if (valueField && isScore) {
      out.score = { field: valueField, frame };
    }
    return;
  }
  for (const field of frame.fields) {
    if (field.type !== FieldType.number) {
      continue;
    }
    const kpi = field.labels?.kpi;
    const metric = metricName(field, frame);
    const part = metric?.match(KPI_METRIC)?.[1] as Part | undefined;
    if (kpi && part) {
      addPart(out, kpi, part, field, lastNumber(field), frame);
    } else if (!kpi && metric && (SCORE_METRIC.test(metric) || metric === 'score')) {
      out.score = { field, frame };
    }
  }
}

/** Prometheus instant queries in table format: one row per series, the metric in __name__. */
function collectPromTable(frame: DataFrame, kpiField: Field, nameField: Field, out: Collected) {
  const valueField = frame.fields.find((f) => f.type === FieldType.number);
  if (!valueField) {
    return;
  }
  for (let i = 0; i < frame.length; i++) {
    const kpi = cellText(kpiField.values[i]);
    const part = cellText(nameField.values[i])?.match(KPI_METRIC)?.[1] as Part | undefined;
    if (kpi && part) {
      addPart(out, kpi, part, valueField, finiteNumber(valueField.values[i]));
    }
  }
}

/** A string column `action` beside `kpi` (the exporter's priority_actions answer), in row order. */
function collectActions(frame: DataFrame, kpiField: Field, out: Collected) {
  const actionField = fieldByName(frame, 'action');
  if (!actionField || actionField.type !== FieldType.string) {
    return;
  }
  for (let i = 0; i < frame.length; i++) {
    const kpi = cellText(kpiField.values[i]);
    const action = cellText(actionField.values[i]);
    if (kpi && action) {
      out.actions.push({ kpi, action });
    }
  }
}

/** A table with one row per KPI and the columns value, target, weight, score. */
function collectKpiTable(frame: DataFrame, kpiField: Field, out: Collected) {
  const columns = PARTS.map((part) => [part, fieldByName(frame, part)] as const).filter(
    (c): c is readonly [Part, Field] => c[1] !== undefined && c[1].type === FieldType.number,
  );
  for (let i = 0; i < frame.length; i++) {
    const kpi = cellText(kpiField.values[i]);
    if (!kpi) {
      continue;
    }
    if (!out.parts.has(kpi)) {
      out.parts.set(kpi, {});
    }
    for (const [part, field] of columns) {
      addPart(out, kpi, part, field, finiteNumber(field.values[i]));
    }
  }
}

function addPart(out: Collected, kpi: string, part: Part, field: Field, value: number | undefined, series?: DataFrame) {
  const parts = out.parts.get(kpi) ?? {};
  if (value !== undefined) {
    parts[part] = { field, value, series };
  }
  out.parts.set(kpi, parts);
}

/** The metric a series stands for: its __name__ label, else what the datasource named it. */
function metricName(field: Field, frame: DataFrame): string | undefined {
  return field.labels?.__name__ || field.config.displayNameFromDS || frame.name || field.name;
}

function toKpiRow(kpi: string, parts: KpiParts): KpiRow {
  const row: KpiRow = { kpi };
  if (parts.value) {
    row.value = { value: parts.value.value, field: parts.value.field };
  }
  if (parts.target) {
    row.target = { value: parts.target.value, field: parts.target.field };
  }
  if (parts.weight) {
    row.weight = parts.weight.value;
  }
  if (parts.score) {
    row.score = { value: parts.score.value, field: parts.score.field };
    const points = parts.score.series ? timePoints(parts.score.series, parts.score.field) : [];
    if (points.length > 1) {
      row.scoreChange = points[points.length - 1].value - points[0].value;
    }
  }
  return row;
}

/**
 * Shares and gaps: like the exporter, a KPI without a score is left out and the remaining weights
 * are renormalised. Without weights every scored KPI counts the same.
 */
function weighKpis(kpis: KpiRow[]) {
  const scored = kpis.filter((k) => k.score !== undefined);
  const hasWeights = scored.some((k) => (k.weight ?? 0) > 0);
  const total = scored.reduce((sum, k) => sum + (hasWeights ? (k.weight ?? 0) : 1), 0);
  if (total <= 0) {
    return;
  }
  for (const k of scored) {
    k.share = (hasWeights ? (k.weight ?? 0) : 1) / total;
    k.gap = k.share * (100 - k.score!.value);
  }
}

/** The weighted mean of the KPI scores, for queries that did not ask for the overall score. */
function computedScore(kpis: KpiRow[]): FieldNumber | undefined {
  const scored = kpis.filter((k) => k.score !== undefined && k.share !== undefined);
  if (scored.length === 0) {
    return undefined;
  }
  const value = scored.reduce((sum, k) => sum + k.share! * k.score!.value, 0);
  return { value, field: scored[0].score!.field };
}
