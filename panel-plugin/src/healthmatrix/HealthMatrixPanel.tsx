import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Pagination, useStyles2, useTheme2 } from '@grafana/ui';
import { PanelMessage } from '../shared/PanelMessage';
import { cellLook } from './cellLook';
import { CellTooltip } from './CellTooltip';
import { FOOTER_HEIGHT, gridLayout } from './layout';
import { readMatrix } from './matrixData';
import { GridRow, MatrixGrid } from './MatrixGrid';
import { defaultOptions, Options, RowSort } from './types';
import { pageOf, sortRows } from './utils';

type Props = PanelProps<Options>;

interface Hover {
  r: number;
  c: number;
  left: number;
  top: number;
  pinned: boolean;
}

const SORT_TEXT: Record<RowSort, string> = {
  worst: 'worst first',
  average: 'worst average first',
  name: 'by name',
  none: 'in query order',
};

const TOOLTIP_WIDTH = 260;

/** A grid of colored cells, rows x columns, for any table-shaped data. */
export function HealthMatrixPanel({ data, options: saved, width, height }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const options = useMemo(() => ({ ...defaultOptions, ...saved }), [saved]);
  const [page, setPage] = useState(1);
  const [hover, setHover] = useState<Hover | null>(null);
  const wrapRef = useRef<HTMLDivElement>(null);

  const reading = useMemo(() => readMatrix(data.series, options), [data.series, options]);
  const sorted = useMemo(
    () => (reading.ok ? sortRows(reading.matrix.rows, options.sortRows, options.higherIsBetter) : []),
    [reading, options.sortRows, options.higherIsBetter],
  );
  const current = pageOf(sorted, options.rowLimit, page);
  const gridRows: GridRow[] = useMemo(
    () => current.rows.map((row) => ({ key: row.key, looks: row.cells.map((cell) => cellLook(cell, theme, options.noDataColor)) })),
    // current.rows is a fresh slice each render; its identity follows sorted and the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [sorted, current.page, options.rowLimit, theme, options.noDataColor],
  );

  const unpin = useCallback(() => setHover(null), []);
  useEffect(() => {
    if (!hover?.pinned) {
      return undefined;
    }
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && unpin();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [hover?.pinned, unpin]);

  const cellAt = useCallback((target: EventTarget | null, clientX: number, clientY: number, pinned: boolean): Hover | null => {
    const el = (target as HTMLElement | null)?.closest?.('[data-c]') as HTMLElement | null;
    const wrap = wrapRef.current;
    if (!el || !wrap) {
      return null;
    }
    const box = wrap.getBoundingClientRect();
    const x = clientX - box.left;
    const y = clientY - box.top;
    return {
      r: Number(el.dataset.r),
      c: Number(el.dataset.c),
      left: x + 12 + TOOLTIP_WIDTH > box.width ? Math.max(0, x - 12 - TOOLTIP_WIDTH) : x + 12,
      top: Math.max(0, Math.min(y + 12, box.height - 120)),
      pinned,
    };
  }, []);

  const onMouseMove = useCallback(
    (e: React.MouseEvent) => {
      const next = cellAt(e.target, e.clientX, e.clientY, false);
      setHover((prev) => {
        if (prev?.pinned) {
          return prev;
        }
        if (!next) {
          return null;
        }
        return prev && prev.r === next.r && prev.c === next.c && Math.abs(prev.left - next.left) < 4 && Math.abs(prev.top - next.top) < 4
          ? prev
          : next;
      });
    },
    [cellAt],
  );
  const onMouseLeave = useCallback(() => setHover((prev) => (prev?.pinned ? prev : null)), []);
  const onClick = useCallback(
    (e: React.MouseEvent) => {
      const next = cellAt(e.target, e.clientX, e.clientY, true);
      setHover((prev) => (next && !(prev?.pinned && prev.r === next.r && prev.c === next.c) ? next : null));
    },
    [cellAt],
  );

  if (!reading.ok) {
    return <PanelMessage title={reading.title} detail={reading.detail} />;
  }
  const { matrix } = reading;
  if (matrix.rows.length === 0 || matrix.columns.length === 0) {
    return <PanelMessage title="No data" detail="The query returned no rows with a row and a column name." />;
  }

  const cut = current.pages > 1;
  const notes: string[] = [];
  if (cut) {
    notes.push(`Rows ${current.first}–${current.last} of ${sorted.length}, ${SORT_TEXT[options.sortRows]}`);
  }
  if (matrix.duplicates > 0) {
    notes.push(`${matrix.duplicates} repeated cell${matrix.duplicates > 1 ? 's' : ''}: the last value is shown`);
  }
  const footer = notes.length > 0 ? FOOTER_HEIGHT : 0;
  const layout = gridLayout({
    width,
    height: height - footer,
    rows: gridRows.map((r) => r.key),
    columns: matrix.columns.length,
    rowHeight: options.rowHeight,
    colWidth: options.colWidth,
    showValues: options.showValues,
  });

  const hovered = hover ? current.rows[hover.r] : undefined;
  const hoveredCell = hover && hovered ? hovered.cells[hover.c] : undefined;
  const links = hover?.pinned && hoveredCell ? (hoveredCell.field.getLinks?.({ valueRowIndex: hoveredCell.rowIndex }) ?? []) : [];
  const hasLinks = Boolean(hoveredCell?.field.config.links?.length);

  return (
    <div ref={wrapRef} className={styles.wrap} style={{ width, height }} data-testid="healthmatrix-panel">
      <div className={styles.scroll} onMouseMove={onMouseMove} onMouseLeave={onMouseLeave} onClick={onClick}>
        <MatrixGrid
          rowTitle={matrix.rowTitle}
          columns={matrix.columns}
          rows={gridRows}
          labelWidth={layout.labelWidth}
          colWidth={layout.colWidth}
          rowHeight={layout.rowHeight}
          headerHeight={layout.headerHeight}
          showValues={layout.showValues}
        />
      </div>
      {footer > 0 && (
        <div className={styles.footer} style={{ height: footer }}>
          <span className={styles.note} data-testid="matrix-note">
            {notes.join(' · ')}
          </span>
          {cut && (
            <Pagination
              currentPage={current.page}
              numberOfPages={current.pages}
              onNavigate={(p) => {
                setHover(null);
                setPage(p);
              }}
              showSmallVersion={width < 500}
            />
          )}
        </div>
      )}
      {hover && hovered && (
        <CellTooltip
          matrix={matrix}
          rowKey={hovered.key}
          columnTitle={matrix.columns[hover.c]?.title ?? ''}
          cell={hoveredCell}
          look={gridRows[hover.r].looks[hover.c]}
          pinned={hover.pinned}
          hasLinks={hasLinks}
          links={links}
          left={hover.left}
          top={hover.top}
          onClose={unpin}
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ position: 'relative', display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
  scroll: css({ flex: 1, minHeight: 0, overflow: 'auto' }),
  footer: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    paddingTop: theme.spacing(0.5),
    flex: 'none',
  }),
  note: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
});
