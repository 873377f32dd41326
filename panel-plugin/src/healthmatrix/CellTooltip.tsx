import React from 'react';
import { css } from '@emotion/css';
import { Field, getFieldDisplayName, GrafanaTheme2, LinkModel } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { displayValue } from '../shared/display';
import { CellLook } from './cellLook';
import { Matrix, MatrixCell } from './matrixData';

interface Props {
  matrix: Matrix;
  rowKey: string;
  columnTitle: string;
  cell?: MatrixCell;
  look: CellLook;
  pinned: boolean;
  /** The cell's field has data links: shown when pinned, hinted at on hover. */
  hasLinks: boolean;
  links: Array<LinkModel<Field>>;
  left: number;
  top: number;
  onClose: () => void;
}

const MAX_EXTRA_FIELDS = 6;

/** Row, column and value of the hovered cell, the rest of its data row, and its data links once pinned. */
export function CellTooltip({ matrix, rowKey, columnTitle, cell, look, pinned, hasLinks, links, left, top, onClose }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const extras = cell ? otherFields(matrix, cell, theme) : [];
  return (
    <div className={styles.tooltip} style={{ left, top }} role="tooltip" data-testid="matrix-tooltip" data-pinned={pinned || undefined}>
      <div className={styles.header}>
        <span className={styles.row}>{rowKey}</span>
        {pinned && (
          <button type="button" className={styles.close} onClick={onClose} aria-label="Close">
            ×
          </button>
        )}
      </div>
      <div className={styles.line}>
        <span className={styles.swatch} style={{ background: look.background }} />
        <span className={styles.label}>{columnTitle}</span>
        <span className={styles.value}>{look.text || 'no value'}</span>
      </div>
      {extras.map(([name, text]) => (
        <div key={name} className={styles.line}>
          <span className={styles.swatchSpace} />
          <span className={styles.label}>{name}</span>
          <span className={styles.value}>{text}</span>
        </div>
      ))}
      {hasLinks &&
        (pinned ? (
          <div className={styles.links}>
            {links.map((link, i) => (
              <a
                key={i}
                className={styles.link}
                href={link.href}
                target={link.target}
                title={link.title}
                onClick={
                  link.onClick
                    ? (e) => {
                        e.preventDefault();
                        link.onClick!(e);
                      }
                    : undefined
                }
              >
                {link.title || link.href}
              </a>
            ))}
          </div>
        ) : (
          <div className={styles.hint}>Click for links</div>
        ))}
    </div>
  );
}

/** The other fields of the cell's data row (long form: e.g. a DR check's value next to its state). */
function otherFields(matrix: Matrix, cell: MatrixCell, theme: GrafanaTheme2): Array<[string, string]> {
  if (matrix.layout === 'wide') {
    return [];
  }
  const skip = new Set([matrix.used.row, matrix.used.column, cell.field.name]);
  return cell.frame.fields
    .filter((f) => !skip.has(f.name) && !f.labels?.__name__)
    .slice(0, MAX_EXTRA_FIELDS)
    .map((f) => {
      const dv = displayValue(f, f.values[cell.rowIndex], theme);
      return [getFieldDisplayName(f, cell.frame), `${dv.prefix ?? ''}${dv.text}${dv.suffix ?? ''}`];
    });
}

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({
    position: 'absolute',
    zIndex: theme.zIndex.tooltip,
    minWidth: 160,
    maxWidth: 320,
    padding: theme.spacing(1),
    background: theme.components.tooltip.background,
    color: theme.components.tooltip.text,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
    pointerEvents: 'auto',
  }),
  header: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: theme.spacing(0.5) }),
  row: css({ fontWeight: theme.typography.fontWeightMedium, overflow: 'hidden', textOverflow: 'ellipsis' }),
  close: css({
    background: 'none',
    border: 'none',
    color: 'inherit',
    cursor: 'pointer',
    fontSize: theme.typography.body.fontSize,
    lineHeight: 1,
  }),
  line: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  swatch: css({ width: 10, height: 10, borderRadius: 2, flex: 'none' }),
  swatchSpace: css({ width: 10, flex: 'none' }),
  label: css({ flex: 1, opacity: 0.8 }),
  value: css({ fontWeight: theme.typography.fontWeightMedium }),
  links: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(1),
    paddingTop: theme.spacing(0.5),
    borderTop: `1px solid ${theme.colors.border.weak}`,
  }),
  link: css({ color: theme.colors.text.link, '&:hover': { textDecoration: 'underline' } }),
  hint: css({ marginTop: theme.spacing(0.5), opacity: 0.7, fontStyle: 'italic' }),
});
