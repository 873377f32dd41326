import { Semaphore } from './semaphore';

it('hands out turns first come first served, waiting as long as it takes in run()', async () => {
  const turns = new Semaphore(1);
  const order: string[] = [];
  let release!: () => void;
  const first = turns.run(() => new Promise<void>((r) => (release = r)).then(() => void order.push('first')));
  const second = turns.run(async () => void order.push('second'));
  const third = turns.run(async () => void order.push('third'));
  await new Promise((r) => setTimeout(r, 50)); // longer than any finite wait would matter here
  expect(order).toEqual([]);
  release();
  await Promise.all([first, second, third]);
  expect(order).toEqual(['first', 'second', 'third']);
  expect(turns.idle).toBe(true);
});

it('refuses a turn after the timeout, and gives the turn back when fn throws', async () => {
  const turns = new Semaphore(1);
  const held = await turns.take(100);
  await expect(turns.take(10, () => new Error('busy'))).rejects.toThrow('busy');
  held();
  await expect(turns.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(turns.idle).toBe(true);
});
