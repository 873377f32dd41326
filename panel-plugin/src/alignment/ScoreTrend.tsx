import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { ScoreTrend as Trend } from './alignmentData';
import { formatChange } from './utils';

interface Props {
  trend: Trend;
  color: string;
  width: number;
}

const HEIGHT = 28;

/** The score's change over the queried range, with a sparkline of the series. */
export function ScoreTrend({ trend, color, width }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const changeColor =
    trend.change > 0 ? theme.colors.success.text : trend.change < 0 ? theme.colors.error.text : theme.colors.text.secondary;
  const arrow = trend.change > 0 ? '▲' : trend.change < 0 ? '▼' : '■';
  return (
    <div className={styles.wrap} data-testid="alignment-trend">
      <span className={styles.change} style={{ color: changeColor }}>
        {arrow} {formatChange(trend.change)}
      </span>
      <span className={styles.label}>over the time range</span>
      {width > 60 && (
        <div className={styles.sparkRow}>
          <svg width={width} height={HEIGHT} className={styles.spark} aria-hidden="true">
            <path d={sparkPath(trend.points, width, HEIGHT)} stroke={color} strokeWidth={1.5} fill="none" />
          </svg>
        </div>
      )}
    </div>
  );
}

function sparkPath(points: Trend['points'], width: number, height: number): string {
  const t0 = points[0].time;
  const t1 = points[points.length - 1].time;
  const values = points.map((p) => p.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const x = (t: number) => (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (width - 2) + 1);
  const y = (v: number) => (hi === lo ? height / 2 : height - 2 - ((v - lo) / (hi - lo)) * (height - 4));
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${x(p.time).toFixed(1)} ${y(p.value).toFixed(1)}`).join(' ');
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    justifyContent: 'center',
    columnGap: theme.spacing(1),
  }),
  change: css({ fontWeight: theme.typography.fontWeightMedium }),
  label: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  spark: css({ display: 'block', margin: '0 auto' }),
  sparkRow: css({ flexBasis: '100%', display: 'flex', justifyContent: 'center' }),
});
