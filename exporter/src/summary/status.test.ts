import { parseConfig } from '../config/load';
import { bandStatus, worstStatus } from './status';

const t = parseConfig({}).summary.thresholds;

it('follows the playbook table, each middle band holding both edges', () => {
  expect([0.11, 0.1, 0.05, 0.0499].map((v) => bandStatus(v, t.mrrGrowth))).toEqual(['healthy', 'warning', 'warning', 'critical']);
  expect([0.029, 0.03, 0.05, 0.051].map((v) => bandStatus(v, t.customerChurn))).toEqual(['healthy', 'warning', 'warning', 'critical']);
  expect([0.9995, 0.999, 0.995, 0.99].map((v) => bandStatus(v, t.uptime))).toEqual(['healthy', 'warning', 'warning', 'critical']);
  expect([0.004, 0.005, 0.01, 0.02].map((v) => bandStatus(v, t.errorRatio))).toEqual(['healthy', 'warning', 'warning', 'critical']);
  expect([0.199, 0.2, 0.5, 0.501].map((v) => bandStatus(v, t.p99LatencySeconds))).toEqual(['healthy', 'warning', 'warning', 'critical']);
});

it('takes thresholds from config and refuses inverted ones', () => {
  const c = parseConfig({ summary: { thresholds: { mrrGrowth: { healthy: 0.2, warning: 0.1 } } } });
  expect(bandStatus(0.15, c.summary.thresholds.mrrGrowth)).toBe('warning');
  expect(() => parseConfig({ summary: { thresholds: { customerChurn: { healthy: 0.1, warning: 0.05 } } } })).toThrow(
    /summary\.thresholds\.customerChurn: healthy must be <= warning/,
  );
});

it('the overall status is the worst one present', () => {
  expect(worstStatus(['healthy', undefined, 'warning'])).toBe('warning');
  expect(worstStatus(['critical', 'healthy'])).toBe('critical');
  expect(worstStatus([undefined])).toBeUndefined();
});
