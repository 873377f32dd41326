import { AGE_PLACEHOLDER, AnswerText } from '../../compute/engine';
import { AnswerCache, DataVersion, refreshDueAtAge } from './answer-cache';

// The cache's rules on a fake clock and a fake data version; the service-level behaviour (real
// ingest, compaction, the Age header) is in serving.test.ts.

const answer = (n: number): AnswerText => ({ fresh: `{"n":${n}}`, aged: `{"n":${n},"age":${AGE_PLACEHOLDER}}` });

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function setup(maxStaleMs: number) {
  let clock = 1_000_000;
  let version: DataVersion = { wal: '0/1', snapshotVersion: 1 };
  let versionReads = 0;
  let computed = 0;
  const cache = new AnswerCache({ enabled: true, maxBytes: 1 << 20, maxAgeMs: 60_000, maxStaleMs });
  const ask = (
    key = 'q',
    compute?: () => Promise<AnswerText>,
    readsSnapshots = false,
    background?: () => (() => Promise<AnswerText>) | undefined,
  ) =>
    cache.get(
      key,
      readsSnapshots,
      async () => {
        versionReads++;
        return version;
      },
      () => clock,
      compute ?? (async () => answer(++computed)),
      background,
    );
  return {
    ask,
    tick: (ms: number) => (clock += ms),
    write: (wal: string) => (version = { ...version, wal }),
    snapshot: () => (version = { ...version, snapshotVersion: version.snapshotVersion + 1 }),
    versionReads: () => versionReads,
    computed: () => computed,
  };
}

describe('answer cache without a staleness allowance', () => {
  it('shares an answer while the data version is the same, and recomputes once it moved', async () => {
    const c = setup(0);
    expect(await c.ask()).toEqual({ json: '{"n":1}', ageSeconds: 0, lookup: 'miss' });
    c.tick(2_000);
    expect(await c.ask()).toEqual({ json: '{"n":1,"age":2}', ageSeconds: 2, lookup: 'hit' });
    c.write('0/2');
    expect(await c.ask()).toMatchObject({ json: '{"n":2}', lookup: 'miss' });
    expect(c.versionReads()).toBe(3);
  });

  it('invalidates a snapshot-reading answer on a new collector snapshot only', async () => {
    const c = setup(0);
    await c.ask('th', undefined, true);
    await c.ask('other');
    c.snapshot();
    expect((await c.ask('th', undefined, true)).lookup).toBe('miss');
    expect((await c.ask('other')).lookup).toBe('hit');
  });

  it('joins a computation in flight only when it reads the same data version', async () => {
    const c = setup(0);
    const first = deferred<AnswerText>();
    const a = c.ask('q', () => first.promise);
    await new Promise((r) => setImmediate(r));
    const b = c.ask('q', () => Promise.resolve(answer(99)));
    await new Promise((r) => setImmediate(r));
    c.write('0/2');
    const late = c.ask('q', () => Promise.resolve(answer(7)));
    first.resolve(answer(1));
    expect((await a).json).toBe('{"n":1}');
    expect(await b).toMatchObject({ json: '{"n":1}', lookup: 'shared' });
    expect(await late).toMatchObject({ json: '{"n":7}', lookup: 'miss' });
  });

  it('never serves an answer older than maxAgeMs', async () => {
    const c = setup(0);
    await c.ask();
    c.tick(60_001);
    expect((await c.ask()).lookup).toBe('miss');
  });
});

describe('answer cache with maxStaleMs', () => {
  it('serves an answer at most that old without reading the data version, then recomputes', async () => {
    const c = setup(5_000);
    await c.ask();
    expect(c.versionReads()).toBe(1);
    c.write('0/2');
    c.snapshot();
    c.tick(5_000);
    expect(await c.ask()).toEqual({ json: '{"n":1,"age":5}', ageSeconds: 5, lookup: 'hit' });
    expect(await c.ask('th', undefined, true)).toMatchObject({ lookup: 'miss' });
    expect(c.versionReads()).toBe(2); // the hit asked nothing; the snapshot query's miss did
    c.tick(1);
    expect(await c.ask()).toMatchObject({ json: '{"n":3}', lookup: 'miss' });
  });

  it('joins a computation that started at most that long ago, though the data moved since', async () => {
    const c = setup(5_000);
    const first = deferred<AnswerText>();
    const a = c.ask('q', () => first.promise);
    await new Promise((r) => setImmediate(r));
    c.write('0/2');
    c.tick(4_000);
    const joined = c.ask('q', () => Promise.resolve(answer(98)));
    c.tick(1_001);
    const fresh = c.ask('q', () => Promise.resolve(answer(99)));
    expect(await fresh).toMatchObject({ json: '{"n":99}', lookup: 'miss' });
    first.resolve(answer(1));
    expect(await a).toMatchObject({ json: '{"n":1}', lookup: 'miss' });
    expect(await joined).toMatchObject({ json: '{"n":1}', lookup: 'shared' });
    // The older computation finished last: the newer answer stays.
    expect(await c.ask()).toMatchObject({ json: '{"n":99}', lookup: 'hit' });
  });

  it('computes an answer served past half its bound again in the background, once, on a free slot', async () => {
    const c = setup(5_000);
    await c.ask();
    const refresh = deferred<AnswerText>();
    let asked = 0;
    const background = () => {
      asked++;
      return () => refresh.promise;
    };
    c.tick(2_499);
    expect(await c.ask('q', undefined, false, background)).toMatchObject({ lookup: 'hit' });
    expect(asked).toBe(0);
    c.tick(1);
    expect(await c.ask('q', undefined, false, background)).toMatchObject({ json: '{"n":1,"age":2.5}', lookup: 'hit' });
    c.tick(100);
    await c.ask('q', undefined, false, background);
    expect(asked).toBe(1); // a newer answer is on its way
    refresh.resolve(answer(2));
    await new Promise((r) => setImmediate(r));
    c.tick(2_500); // 5.1 s after the first answer, 2.6 s after the refresh started
    expect(await c.ask()).toEqual({ json: '{"n":2,"age":2.6}', ageSeconds: 2.6, lookup: 'hit' });
    expect(c.versionReads()).toBe(1);
  });

  it('refreshes a slow answer early enough for the next one to land before it expires', async () => {
    expect(refreshDueAtAge(100, 5_000)).toBe(2_500); // fast: at half the bound
    expect(refreshDueAtAge(1_500, 5_000)).toBe(2_000); // 2 x 1.5 s before the bound
    expect(refreshDueAtAge(3_000, 5_000)).toBe(0); // slower than half the bound: whenever served
    const c = setup(1_000);
    // A first computation of 300 ms (real time): the next one is due at 1,000 - 2 x 300 = 400 ms.
    await c.ask('q', () => new Promise((r) => setTimeout(() => r(answer(1)), 300)));
    let asked = 0;
    const background = () => {
      asked++;
      return () => Promise.resolve(answer(2));
    };
    c.tick(100);
    await c.ask('q', undefined, false, background);
    expect(asked).toBe(0);
    c.tick(350); // before half the bound (500 ms), due for this computation's time
    await c.ask('q', undefined, false, background);
    expect(asked).toBe(1);
  });

  it('leaves the refresh when no slot is free', async () => {
    const c = setup(5_000);
    await c.ask();
    c.tick(3_000);
    await c.ask('q', undefined, false, () => undefined);
    c.write('0/2');
    c.tick(2_001);
    expect(await c.ask()).toMatchObject({ json: '{"n":2}', lookup: 'miss' });
  });
});
