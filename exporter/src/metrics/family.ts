/**
 * What a collector produces: plain metric families, no registry, no timers. A family whose value
 * is undefined for some label set simply has no sample there (absent, never 0 or NaN).
 */
export type MetricType = 'gauge' | 'counter';
export type Labels<L extends string = string> = Readonly<Record<L, string>>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  labelNames: readonly string[];
  samples: Sample[];
}

export interface MetricDescriptor<L extends string = never> {
  name: string;
  help: string;
  type: MetricType;
  labelNames: readonly L[];
}

const NAME = /^saasmon_[a-z0-9_]+$/;

function describe<L extends string>(type: MetricType, name: string, help: string, labelNames: readonly L[]): MetricDescriptor<L> {
  if (!NAME.test(name)) throw new Error(`metric name must be saasmon_ snake case: ${name}`);
  if (type === 'counter' && !name.endsWith('_total')) throw new Error(`counter must end in _total: ${name}`);
  return { name, help, type, labelNames };
}

export function gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) {
  return describe('gauge', name, help, labelNames);
}

export function counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) {
  return describe('counter', name, help, labelNames);
}

export type SampleInput<L extends string> = { labels?: Labels<L>; value: number | undefined };

/** Builds a family; samples whose value is undefined or NaN are left out on purpose. */
export function family<L extends string>(
  desc: MetricDescriptor<L>,
  samples: ReadonlyArray<SampleInput<L>> | number | undefined,
): MetricFamily {
  const list: ReadonlyArray<SampleInput<L>> = typeof samples === 'number' || samples === undefined ? [{ value: samples }] : samples;
  return {
    name: desc.name,
    help: desc.help,
    type: desc.type,
    labelNames: desc.labelNames,
    samples: list
      .filter((s): s is { labels?: Labels<L>; value: number } => s.value !== undefined && !Number.isNaN(s.value))
      .map((s) => ({ labels: (s.labels ?? {}) as Labels, value: s.value })),
  };
}
