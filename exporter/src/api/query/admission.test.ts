import { QueryAdmission } from './admission';

describe('background slots (the answer warmer)', () => {
  it('are given only while another expensive slot stays free for people, and count against no token', async () => {
    const admission = new QueryAdmission(1, 2, 50);
    const warm = admission.tryBackground();
    expect(warm).toBeDefined();
    expect(admission.tryBackground()).toBeUndefined(); // the last slot is people's
    // A person's query still gets in, and the token limit (1) is untouched by the warmer.
    const person = await admission.admit('alice', false);
    expect(admission.tryBackground()).toBeUndefined();
    person();
    warm?.();
    expect(admission.tryBackground()).toBeDefined();
  });

  it('are refused while anyone waits for a slot', async () => {
    const admission = new QueryAdmission(5, 1, 10_000);
    const first = await admission.admit('a', false);
    const waiting = admission.admit('b', false);
    expect(admission.tryBackground()).toBeUndefined();
    first();
    (await waiting)();
    // With a single expensive slot, the warmer may take it when it is idle.
    const warm = admission.tryBackground();
    expect(warm).toBeDefined();
    warm?.();
  });
});
