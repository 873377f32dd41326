import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { lowerGroupPriority, lowerPriority } from './priorities';

// A sleeping child in a session of its own (hence, under autogroup, a scheduling group of its own).
function sleeper() {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  return { pid: child.pid as number, stop: () => child.kill('SIGKILL') };
}

it('lowers a process by the given nice, and never raises one', () => {
  const s = sleeper();
  try {
    lowerPriority(s.pid, 7);
    expect(getPriority(s.pid)).toBe(Math.min(19, getPriority(0) + 7));
    lowerPriority(s.pid, 0);
    expect(getPriority(s.pid)).toBe(Math.min(19, getPriority(0) + 7));
  } finally {
    s.stop();
  }
});

it("lowers a session's scheduling group, not the groups of others", () => {
  if (!existsSync('/proc/self/autogroup')) return; // a kernel without autogroup: nothing to lower
  const s = sleeper();
  const group = (p: number | 'self') => readFileSync(`/proc/${p}/autogroup`, 'utf8').trim();
  const ours = group('self');
  try {
    lowerGroupPriority(s.pid, 10);
    expect(group(s.pid)).toMatch(/ nice 10$/);
    expect(group('self')).toBe(ours);
    expect(getPriority(s.pid)).toBe(getPriority(0)); // the process's own nice is its group's business
  } finally {
    s.stop();
  }
});
