import { screen, within } from '@testing-library/react';
import { createDataFrame, FieldType, ThresholdsMode } from '@grafana/data';
import { alignmentPromTableFrames, alignmentSeriesFrames, alignmentTableFrame, KPIS } from '../testing/fixtures';
import { renderPanel, RenderPanelArgs } from '../testing/render';
import { plugin } from './module';
import { Options } from './types';

function renderAlignmentPanel(overrides: Partial<RenderPanelArgs<Options>> = {}, frames = alignmentSeriesFrames()) {
  return renderPanel<Options>({ plugin, frames, width: 700, height: 500, ...overrides });
}

const rowKpis = () => screen.getAllByTestId('alignment-kpi-row').map((r) => r.getAttribute('data-kpi'));

describe('AlignmentPanel', () => {
  it('shows the score, its status from the bands, and the trend over the range', () => {
    renderAlignmentPanel();
    const dial = screen.getByTestId('alignment-dial');
    expect(dial).toHaveAccessibleName('Alignment score 77, At risk');
    expect(screen.getByTestId('alignment-panel')).toHaveAttribute('data-status', 'at_risk');
    expect(screen.getByTestId('alignment-trend')).toHaveTextContent('▲ +7.5over the time range');
  });

  it('colors the score from the field thresholds', () => {
    const { theme } = renderAlignmentPanel();
    const arcs = screen.getByTestId('alignment-dial').querySelectorAll('path');
    // 77 is at or above 50 (orange) and below 80 (green) in the default thresholds.
    expect(arcs[1]).toHaveAttribute('stroke', theme.visualization.getColorByName('orange'));
    const custom = {
      defaults: {
        thresholds: {
          mode: ThresholdsMode.Absolute,
          steps: [
            { value: -Infinity, color: 'purple' },
            { value: 70, color: 'blue' },
          ],
        },
      },
    };
    renderAlignmentPanel({ fieldConfig: custom });
    const second = screen.getAllByTestId('alignment-dial')[1].querySelectorAll('path');
    expect(second[1]).toHaveAttribute('stroke', theme.visualization.getColorByName('blue'));
  });

  it('lists the KPIs by weighted gap with the priority action first and marked', () => {
    renderAlignmentPanel();
    expect(rowKpis()).toEqual([
      'mrr_growth_30d',
      'ltv_cac',
      'd7_retention',
      'viral_coefficient',
      'account_activation_rate',
      'activation_rate',
      'customer_churn_30d',
      'd30_retention',
    ]);
    const first = screen.getAllByTestId('alignment-kpi-row')[0];
    expect(within(first).getByText('Priority')).toBeInTheDocument();
    expect(first).toHaveTextContent('MRR growth (30d)');
    expect(first).toHaveTextContent('6%');
    expect(first).toHaveTextContent('15%');
    expect(first).toHaveTextContent('10%');
    expect(first).toHaveTextContent('−6.0 pts');
    expect(within(first).getByRole('meter')).toHaveAttribute('aria-valuenow', '40');
  });

  it('moves with the band options: on track from 75', () => {
    renderAlignmentPanel({ options: { onTrackFrom: 75 } });
    expect(screen.getByTestId('alignment-dial')).toHaveAccessibleName('Alignment score 77, On track');
  });

  it('shows only the chosen columns and hides the breakdown when asked', () => {
    renderAlignmentPanel({ options: { columns: ['score'] } });
    const headers = within(screen.getByTestId('alignment-kpis'))
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['KPI', 'Score']);
    renderAlignmentPanel({ options: { showBreakdown: false } });
    expect(screen.getAllByTestId('alignment-panel')[1].querySelector('table')).toBeNull();
  });

  it('sorts by name when asked', () => {
    renderAlignmentPanel({ options: { sortKpis: 'name' } });
    expect(rowKpis()[0]).toBe('activation_rate');
  });

  it('works from Prometheus table format, computing the score from the KPI rows', () => {
    renderAlignmentPanel({}, alignmentPromTableFrames());
    expect(screen.getByTestId('alignment-dial')).toHaveAccessibleName('Alignment score 77, At risk');
    expect(screen.getByText('computed from the KPI rows')).toBeInTheDocument();
    expect(screen.queryByTestId('alignment-trend')).toBeNull();
  });

  it('puts a KPI without data last, greyed, marked "no data"', () => {
    const rows = KPIS.map((k) => (k.kpi === 'd7_retention' ? { ...k, value: null, score: null } : k));
    renderAlignmentPanel({}, [alignmentTableFrame(rows)]);
    const last = screen.getAllByTestId('alignment-kpi-row').at(-1)!;
    expect(last).toHaveAttribute('data-kpi', 'd7_retention');
    expect(last).toHaveTextContent('no data');
  });

  it('renders in the light theme too', () => {
    const { theme } = renderAlignmentPanel({ mode: 'light' });
    expect(theme.isLight).toBe(true);
    expect(screen.getByTestId('alignment-dial')).toHaveAccessibleName('Alignment score 77, At risk');
  });

  it('says so when there is no data or the wrong data, never a blank panel', () => {
    renderAlignmentPanel({}, []);
    expect(screen.getByTestId('panel-message')).toHaveTextContent('No data');
    const cpu = createDataFrame({ fields: [{ name: 'cpu', type: FieldType.number, values: [0.4] }] });
    renderAlignmentPanel({}, [cpu]);
    expect(screen.getAllByTestId('panel-message')[1]).toHaveTextContent('No alignment data in this query');
  });

  it('says so when the score series has only nulls', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1] },
        { name: 'Value', type: FieldType.number, values: [null], labels: { __name__: 'saasmon_alignment_score' } },
      ],
    });
    renderAlignmentPanel({}, [frame]);
    expect(screen.getByTestId('panel-message')).toHaveTextContent('No alignment score');
  });

  it('lists the priority actions of an exporter priority_actions answer in rank order, keeping the breakdown', () => {
    // The frame as the exporter's priority_actions query type answers it (rank, kpi, ..., action).
    const actions = createDataFrame({
      name: 'priority_actions',
      fields: [
        { name: 'rank', type: FieldType.number, values: [1, 2] },
        { name: 'kpi', type: FieldType.string, values: ['mrr_growth_30d', 'ltv_cac'] },
        { name: 'score', type: FieldType.number, values: [40, 65] },
        { name: 'weighted_gap', type: FieldType.number, values: [6.2, 5.1] },
        { name: 'action', type: FieldType.string, values: ['Run an upgrade campaign.', 'Pause the costliest channel.'] },
      ],
    });
    renderAlignmentPanel({}, [...alignmentSeriesFrames(), actions]);
    const items = screen.getAllByTestId('alignment-action');
    expect(items.map((i) => i.getAttribute('data-kpi'))).toEqual(['mrr_growth_30d', 'ltv_cac']);
    expect(items[0]).toHaveTextContent('MRR growth (30d): Run an upgrade campaign.');
    expect(items[1]).toHaveTextContent('LTV:CAC: Pause the costliest channel.');
    expect(screen.getByRole('region', { name: 'Priority actions' })).toBeInTheDocument();
    expect(rowKpis()).toHaveLength(8);
  });

  it('shows no actions section when the query has no actions', () => {
    renderAlignmentPanel();
    expect(screen.queryByTestId('alignment-actions')).not.toBeInTheDocument();
  });
});
