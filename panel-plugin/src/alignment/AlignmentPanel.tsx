import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { PanelMessage } from '../shared/PanelMessage';
import { displayValue } from '../shared/display';
import { EXPECTED_DATA, readAlignment } from './alignmentData';
import { KpiBreakdown } from './KpiBreakdown';
import { PriorityActions } from './PriorityActions';
import { ScoreDial } from './ScoreDial';
import { ScoreTrend } from './ScoreTrend';
import { defaultOptions, Options, STATUS_TEXT, statusOf } from './types';
import { formatScore, priorityKpi, sortKpis } from './utils';

type Props = PanelProps<Options>;

/** The operational alignment score as a ring or gauge, its status and trend, and the KPI breakdown. */
export function AlignmentPanel({ data, options: saved, width, height }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const options = { ...defaultOptions, ...saved };
  const reading = useMemo(() => readAlignment(data.series), [data.series]);
  const kpis = useMemo(() => (reading.ok ? sortKpis(reading.model.kpis, options.sortKpis) : []), [reading, options.sortKpis]);

  if (!reading.ok) {
    return <PanelMessage title={reading.title} detail={reading.detail} />;
  }
  const { score, trend } = reading.model;
  if (!score) {
    return <PanelMessage title="No alignment score" detail={`The query returned no score values. ${EXPECTED_DATA}`} />;
  }

  const showBreakdown = options.showBreakdown && kpis.length > 0;
  const horizontal =
    showBreakdown && (options.layout === 'horizontal' || (options.layout === 'auto' && width >= 1.6 * height && width >= 480));
  const trendHeight = options.showTrend && trend ? 52 : 0;
  const dialSize = Math.floor(
    Math.max(
      48,
      horizontal ? Math.min(height - trendHeight, width * 0.35) : Math.min(width, (showBreakdown ? height * 0.45 : height) - trendHeight),
    ),
  );

  const status = statusOf(score.value, options);
  const color = displayValue(score.field, score.value, theme).color ?? theme.colors.primary.main;
  const min = score.field.config.min ?? 0;
  const max = score.field.config.max ?? 100;
  const fill = max > min ? (score.value - min) / (max - min) : 0;

  return (
    <div
      className={styles.wrap}
      style={{ flexDirection: horizontal ? 'row' : 'column', width, height }}
      data-testid="alignment-panel"
      data-status={status}
    >
      <div className={styles.scoreBox}>
        <ScoreDial
          fill={fill}
          color={color}
          text={formatScore(score.field, score.value)}
          statusText={STATUS_TEXT[status]}
          display={options.scoreDisplay}
          size={dialSize}
        />
        {options.showTrend && trend && <ScoreTrend trend={trend} color={color} width={Math.min(dialSize, 200)} />}
        {reading.model.scoreSource === 'computed' && (
          <div className={styles.note} title="saasmon_alignment_score was not queried">
            computed from the KPI rows
          </div>
        )}
      </div>
      {showBreakdown && (
        <div className={styles.breakdown}>
          <KpiBreakdown kpis={kpis} columns={options.columns} priority={priorityKpi(kpis)} />
          {reading.model.actions.length > 0 && <PriorityActions actions={reading.model.actions} />}
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'flex', gap: theme.spacing(1), overflow: 'hidden' }),
  scoreBox: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(0.5),
    flex: 'none',
  }),
  breakdown: css({ flex: 1, minWidth: 0, minHeight: 0, overflow: 'auto' }),
  note: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
