import React, { memo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { CellLook } from './cellLook';
import { MatrixColumn } from './matrixData';

export interface GridRow {
  key: string;
  looks: CellLook[];
}

interface Props {
  rowTitle: string;
  columns: MatrixColumn[];
  rows: GridRow[];
  labelWidth: number;
  colWidth: number;
  rowHeight: number;
  headerHeight: number;
  showValues: boolean;
}

/**
 * The cells. Memoised and free of per-cell handlers or tooltips: hover and click are handled once on
 * the container (data-r / data-c attributes), so 2,000 cells stay cheap to render and to hover.
 */
export const MatrixGrid = memo(function MatrixGrid({
  rowTitle,
  columns,
  rows,
  labelWidth,
  colWidth,
  rowHeight,
  headerHeight,
  showValues,
}: Props) {
  const styles = useStyles2(getStyles);
  const fontSize = Math.min(13, Math.max(10, rowHeight * 0.6));
  return (
    <div
      className={styles.grid}
      role="grid"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length + 1}
      style={{
        gridTemplateColumns: `${labelWidth}px repeat(${columns.length}, ${colWidth}px)`,
        gridTemplateRows: `${headerHeight}px`,
        gridAutoRows: `${rowHeight}px`,
        fontSize,
      }}
      data-testid="matrix-grid"
    >
      <div className={styles.corner} role="columnheader" title={rowTitle}>
        {rowTitle}
      </div>
      {columns.map((c) => (
        <div key={c.key} className={styles.colHeader} role="columnheader" title={c.title}>
          {c.title}
        </div>
      ))}
      {rows.map((row, r) => (
        <React.Fragment key={row.key}>
          <div className={styles.rowHeader} role="rowheader" title={row.key}>
            {row.key}
          </div>
          {row.looks.map((look, c) => (
            <div
              key={c}
              className={styles.cell}
              role="gridcell"
              data-r={r}
              data-c={c}
              data-empty={look.empty || undefined}
              aria-label={`${row.key}, ${columns[c].title}: ${look.text || 'no value'}`}
              style={{ background: look.background, color: look.color }}
            >
              {showValues ? look.text : null}
            </div>
          ))}
        </React.Fragment>
      ))}
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => {
  const header = {
    position: 'sticky' as const,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.primary,
    color: theme.colors.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap' as const,
    zIndex: 1,
  };
  return {
    grid: css({ display: 'grid', gap: 2, width: 'max-content', fontVariantNumeric: 'tabular-nums' }),
    corner: css({
      ...header,
      top: 0,
      left: 0,
      zIndex: 2,
      display: 'flex',
      alignItems: 'flex-end',
      fontWeight: theme.typography.fontWeightMedium,
    }),
    colHeader: css({
      ...header,
      top: 0,
      display: 'flex',
      alignItems: 'flex-end',
      justifyContent: 'center',
      padding: theme.spacing(0, 0.5),
    }),
    rowHeader: css({
      ...header,
      left: 0,
      color: theme.colors.text.primary,
      display: 'flex',
      alignItems: 'center',
      paddingRight: theme.spacing(1),
    }),
    cell: css({
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      overflow: 'hidden',
      whiteSpace: 'nowrap',
      borderRadius: theme.shape.radius.default,
      cursor: 'pointer',
      '&:hover': { outline: `2px solid ${theme.colors.text.primary}`, outlineOffset: -1 },
      '&[data-empty]': { border: `1px dashed ${theme.colors.border.medium}` },
    }),
  };
};
