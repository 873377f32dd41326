import { forEachYielding } from './yielding';

it('visits every item in order, giving the event loop a turn between slices', async () => {
  const seen: string[] = [];
  // Scheduled before validation starts: it runs after the first slice, not after the whole batch.
  setImmediate(() => seen.push('other work'));
  await forEachYielding([1, 2, 3, 4, 5], (item, index) => seen.push(`${index}:${item}`), 2);
  expect(seen).toEqual(['0:1', '1:2', 'other work', '2:3', '3:4', '4:5']);
});

it('yields nowhere inside a slice, so a small batch is validated in one go', async () => {
  const seen: string[] = [];
  setImmediate(() => seen.push('other work'));
  await forEachYielding(['a', 'b'], (item) => seen.push(item));
  seen.push('done');
  expect(seen).toEqual(['a', 'b', 'done']);
});
