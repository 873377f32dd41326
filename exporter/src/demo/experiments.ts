import { ACTIVATION_EVENT } from './catalog';
import { Random } from './random';
import { DAY_MS } from './time';

export interface DemoExperiment {
  id: string;
  name: string;
  hypothesis: string;
  successEvent: string;
  status: 'draft' | 'running' | 'concluded';
  startedMs: number | null;
  concludedMs: number | null;
  winner: string | null;
  variants: readonly string[];
  /** Activation multiplier per variant: the real effect built into the data. */
  activationLift: Readonly<Record<string, number>>;
}

export interface ExperimentAssignment {
  experimentId: string;
  userId: string;
  variant: string;
  assignedMs: number;
}

/** Four experiments on new sign-ups (one with a real lift, on activation) and one draft. */
export function demoExperiments(nowMs: number): DemoExperiment[] {
  const daysAgo = (d: number) => nowMs - d * DAY_MS;
  return [
    {
      id: 'exp_onboarding_checklist',
      name: 'Onboarding checklist',
      hypothesis: 'A guided checklist gets more new users to their first workflow.',
      successEvent: ACTIVATION_EVENT,
      status: 'concluded',
      startedMs: daysAgo(130),
      concludedMs: daysAgo(70),
      winner: 'treatment',
      variants: ['control', 'treatment'],
      activationLift: { control: 1, treatment: 1.35 },
    },
    {
      id: 'exp_dark_mode',
      name: 'Dark mode by default',
      hypothesis: 'Dark mode by default increases dashboard usage.',
      successEvent: 'dashboard.viewed',
      status: 'concluded',
      startedMs: daysAgo(240),
      concludedMs: daysAgo(200),
      winner: null,
      variants: ['control', 'treatment'],
      activationLift: {},
    },
    {
      id: 'exp_pricing_page_v2',
      name: 'Pricing page v2',
      hypothesis: 'A simpler pricing page makes more users look at billing.',
      successEvent: 'billing.viewed',
      status: 'running',
      startedMs: daysAgo(35),
      concludedMs: null,
      winner: null,
      variants: ['control', 'treatment'],
      activationLift: {},
    },
    {
      id: 'exp_ai_report_summary',
      name: 'AI report summary',
      hypothesis: 'An AI summary on reports increases exports.',
      successEvent: 'report.exported',
      status: 'running',
      startedMs: daysAgo(21),
      concludedMs: null,
      winner: null,
      variants: ['control', 'summary_short', 'summary_long'],
      activationLift: {},
    },
    {
      id: 'exp_sso_nudge',
      name: 'SSO nudge for admins',
      hypothesis: 'Admins nudged towards SSO configure it more often.',
      successEvent: 'sso.configured',
      status: 'draft',
      startedMs: null,
      concludedMs: null,
      winner: null,
      variants: ['control', 'treatment'],
      activationLift: {},
    },
  ];
}

/**
 * Assigns a user who signs up while experiments run (90% of them are eligible) and returns the
 * product of the activation multipliers of the variants they got.
 */
export function assignExperiments(
  r: Random,
  experiments: readonly DemoExperiment[],
  userId: string,
  createdMs: number,
  nowMs: number,
  out: ExperimentAssignment[],
): number {
  let lift = 1;
  for (const e of experiments) {
    if (e.startedMs === null || createdMs < e.startedMs || createdMs >= (e.concludedMs ?? nowMs)) continue;
    if (!r.chance(0.9)) continue;
    const variant = r.pick(e.variants);
    const assignedMs = Math.min(nowMs, createdMs + r.int(5, 600) * 1000);
    out.push({ experimentId: e.id, userId, variant, assignedMs });
    lift *= e.activationLift[variant] ?? 1;
  }
  return lift;
}
