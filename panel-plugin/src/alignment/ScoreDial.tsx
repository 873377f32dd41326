import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { ScoreDisplay } from './types';

interface Props {
  /** 0..1 of the arc to fill. */
  fill: number;
  color: string;
  text: string;
  statusText: string;
  display: ScoreDisplay;
  size: number;
}

/** Angles in degrees, clockwise from 12 o'clock. */
const ARCS: Record<ScoreDisplay, { start: number; end: number }> = {
  ring: { start: 0, end: 359.99 },
  gauge: { start: -120, end: 120 },
};

function polar(cx: number, cy: number, r: number, degrees: number) {
  const rad = ((degrees - 90) * Math.PI) / 180;
  return { x: cx + r * Math.cos(rad), y: cy + r * Math.sin(rad) };
}

export function arcPath(cx: number, cy: number, r: number, start: number, end: number): string {
  const from = polar(cx, cy, r, start);
  const to = polar(cx, cy, r, end);
  const large = end - start > 180 ? 1 : 0;
  return `M ${from.x.toFixed(2)} ${from.y.toFixed(2)} A ${r} ${r} 0 ${large} 1 ${to.x.toFixed(2)} ${to.y.toFixed(2)}`;
}

/** The score as a ring or gauge: the arc's color comes from the score field's thresholds. */
export function ScoreDial({ fill, color, text, statusText, display, size }: Props) {
  const styles = useStyles2(getStyles);
  const stroke = Math.max(6, size * 0.09);
  const r = (size - stroke) / 2;
  const c = size / 2;
  const { start, end } = ARCS[display];
  const clamped = Math.min(1, Math.max(0, fill));
  const valueEnd = start + (end - start) * clamped;
  const fontSize = Math.max(14, size * 0.24);
  // A gauge's ends are at ±120°, r/2 below the centre: the picture is cut there, not left empty.
  const height = display === 'gauge' ? Math.min(size, Math.ceil(c + Math.max(r / 2 + stroke / 2, fontSize * 1.1))) : size;
  return (
    <svg
      className={styles.svg}
      width={size}
      height={height}
      viewBox={`0 0 ${size} ${height}`}
      role="img"
      aria-label={`Alignment score ${text}, ${statusText}`}
      data-testid="alignment-dial"
    >
      <path className={styles.track} d={arcPath(c, c, r, start, end)} strokeWidth={stroke} fill="none" strokeLinecap="round" />
      {clamped > 0 && <path d={arcPath(c, c, r, start, valueEnd)} stroke={color} strokeWidth={stroke} fill="none" strokeLinecap="round" />}
      <text x={c} y={c} className={styles.value} fontSize={fontSize} textAnchor="middle" dominantBaseline="central">
        {text}
      </text>
      <text
        x={c}
        y={c + fontSize * 0.85}
        fill={color}
        fontSize={Math.max(11, fontSize * 0.32)}
        textAnchor="middle"
        dominantBaseline="central"
        className={styles.status}
      >
        {statusText}
      </text>
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ display: 'block', flex: 'none' }),
  track: css({ stroke: theme.colors.background.secondary }),
  value: css({ fill: theme.colors.text.primary, fontWeight: theme.typography.fontWeightMedium }),
  status: css({ fontWeight: theme.typography.fontWeightMedium, textTransform: 'uppercase', letterSpacing: '0.04em' }),
});
