import React from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { displayValue } from '../shared/display';
import { KpiRow } from './alignmentData';
import { kpiTitle } from './kpis';
import { KpiColumn } from './types';
import { formatChange, formatKpiNumber, formatScore } from './utils';

interface Props {
  kpis: KpiRow[];
  columns: KpiColumn[];
  priority?: string;
}

const HEADERS: Record<KpiColumn, string> = {
  value: 'Value',
  target: 'Target',
  weight: 'Weight',
  score: 'Score',
  gap: 'Gap',
};

const HEADER_TITLES: Record<KpiColumn, string> = {
  value: 'The KPI now',
  target: 'The KPI target (config)',
  weight: 'Share of the overall score, among KPIs with data',
  score: 'KPI score 0-100: value against target',
  gap: 'Points of the overall score lost to this KPI (weight x (100 - score))',
};

/** One row per KPI: value, target, weight, score as a bar, and the points it costs the overall score. */
export function KpiBreakdown({ kpis, columns, priority }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  return (
    <table className={styles.table} data-testid="alignment-kpis">
      <thead>
        <tr>
          <th className={styles.th}>KPI</th>
          {columns.map((c) => (
            <th key={c} className={cx(styles.th, c !== 'score' && styles.num)} title={HEADER_TITLES[c]}>
              {HEADERS[c]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {kpis.map((k) => {
          const missing = k.score === undefined;
          return (
            <tr key={k.kpi} className={cx(missing && styles.missing)} data-testid="alignment-kpi-row" data-kpi={k.kpi}>
              <td className={styles.td}>
                <span className={styles.name}>{kpiTitle(k.kpi)}</span>
                {k.kpi === priority && (
                  <span className={styles.badge} title="The KPI that costs the overall score most">
                    Priority
                  </span>
                )}
              </td>
              {columns.map((c) => (
                <td key={c} className={cx(styles.td, c !== 'score' && styles.num)}>
                  {renderCell(c, k, theme, styles)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function renderCell(column: KpiColumn, k: KpiRow, theme: GrafanaTheme2, styles: ReturnType<typeof getStyles>) {
  switch (column) {
    case 'value':
      return k.value ? formatKpiNumber(k.value.field, k.kpi, k.value.value) : '–';
    case 'target':
      return k.target ? formatKpiNumber(k.target.field, k.kpi, k.target.value) : '–';
    case 'weight':
      return k.share !== undefined ? `${Math.round(k.share * 1000) / 10}%` : '–';
    case 'gap':
      return k.gap !== undefined ? `${k.gap > 0 ? '−' : ''}${k.gap.toFixed(1)} pts` : '–';
    case 'score': {
      if (!k.score) {
        return <span className={styles.noData}>no data</span>;
      }
      const { field, value } = k.score;
      const min = field.config.min ?? 0;
      const max = field.config.max ?? 100;
      const pct = max > min ? Math.min(100, Math.max(0, ((value - min) / (max - min)) * 100)) : 0;
      const color = displayValue(field, value, theme).color ?? theme.colors.primary.main;
      return (
        <div className={styles.scoreCell}>
          <div className={styles.bar} role="meter" aria-valuenow={value} aria-valuemin={min} aria-valuemax={max}>
            <div className={styles.barFill} style={{ width: `${pct}%`, background: color }} />
          </div>
          <span className={styles.scoreText}>{formatScore(field, value)}</span>
          {k.scoreChange !== undefined && Math.abs(k.scoreChange) >= 0.05 && (
            <span
              className={styles.change}
              style={{ color: k.scoreChange > 0 ? theme.colors.success.text : theme.colors.error.text }}
              title="Change over the time range"
            >
              {formatChange(k.scoreChange)}
            </span>
          )}
        </div>
      );
    }
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
  }),
  th: css({
    textAlign: 'left',
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightMedium,
    padding: theme.spacing(0.5, 1),
    borderBottom: `1px solid ${theme.colors.border.medium}`,
    whiteSpace: 'nowrap',
  }),
  td: css({
    padding: theme.spacing(0.5, 1),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    color: theme.colors.text.primary,
    whiteSpace: 'nowrap',
  }),
  num: css({ textAlign: 'right' }),
  name: css({ whiteSpace: 'normal' }),
  missing: css({ color: theme.colors.text.disabled, '& td': { color: theme.colors.text.disabled } }),
  noData: css({ color: theme.colors.text.disabled, fontStyle: 'italic' }),
  badge: css({
    marginLeft: theme.spacing(1),
    padding: theme.spacing(0, 0.5),
    borderRadius: theme.shape.radius.default,
    border: `1px solid ${theme.colors.warning.border}`,
    color: theme.colors.warning.text,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  scoreCell: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), minWidth: 120 }),
  bar: css({
    flex: 1,
    height: 8,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    overflow: 'hidden',
  }),
  barFill: css({ height: '100%' }),
  scoreText: css({ minWidth: 28, textAlign: 'right' }),
  change: css({ minWidth: 32, textAlign: 'right', fontSize: theme.typography.bodySmall.fontSize }),
});
