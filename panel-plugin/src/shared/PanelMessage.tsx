import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

interface Props {
  /** What is wrong, in one line: "No data", "Unsupported data". */
  title: string;
  /** What the panel expects, so the user knows which query to write. */
  detail: string;
}

/** The panel's answer to empty or wrongly shaped data: a clear message, never a blank panel. */
export function PanelMessage({ title, detail }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.wrap} role="status" data-testid="panel-message">
      <div className={styles.title}>{title}</div>
      <div className={styles.detail}>{detail}</div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    textAlign: 'center',
    padding: theme.spacing(2),
    gap: theme.spacing(1),
  }),
  title: css({ fontSize: theme.typography.h5.fontSize, color: theme.colors.text.primary }),
  detail: css({ color: theme.colors.text.secondary, maxWidth: 480 }),
});
