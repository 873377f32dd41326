import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { PriorityActionRow } from './alignmentData';
import { kpiTitle } from './kpis';

/** The recommended actions for the largest KPI gaps, in the exporter's rank order. */
export function PriorityActions({ actions }: { actions: PriorityActionRow[] }) {
  const styles = useStyles2(getStyles);
  return (
    <section className={styles.wrap} aria-label="Priority actions" data-testid="alignment-actions">
      <div className={styles.title}>Priority actions</div>
      <ol className={styles.list}>
        {actions.map((a) => (
          <li key={a.kpi} data-testid="alignment-action" data-kpi={a.kpi}>
            <strong>{kpiTitle(a.kpi)}</strong>: {a.action}
          </li>
        ))}
      </ol>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ marginTop: theme.spacing(1), fontSize: theme.typography.bodySmall.fontSize }),
  title: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium }),
  list: css({ margin: 0, paddingLeft: theme.spacing(2.5), li: { marginTop: theme.spacing(0.5) } }),
});
