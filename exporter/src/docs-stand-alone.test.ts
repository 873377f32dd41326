import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The bundle's users have the repository only: no file may point at documents outside it (the
// planning notes the project was written from). Names are assembled so this file does not match.

const REPO = resolve(__dirname, '../..');
const OUTSIDE = [
  ['metric', 'definitions'].join('-'),
  ['style', 'examples'].join('-'),
  ['shared', 'data-contract'].join('/'),
  ['', 'work', 'shared'].join('/'),
];

it('no file of the repository cites documents outside it', () => {
  const files = execFileSync('git', ['ls-files'], { cwd: REPO, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && f !== 'package-lock.json' && !/\.(png|svg|jpg|ico|woff2?)$/.test(f));
  expect(files.length).toBeGreaterThan(100);
  const citing = files.filter((f) => {
    let text: string;
    try {
      text = readFileSync(join(REPO, f), 'utf8');
    } catch {
      return false; // deleted in the work tree
    }
    return OUTSIDE.some((o) => text.includes(o));
  });
  expect(citing).toEqual([]);
});
