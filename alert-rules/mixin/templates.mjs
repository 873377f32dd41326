// Rule files whose expressions need no configuration (their thresholds are the exporter's own
// config, exported as series): kept as written in mixin/templates/, with audience, runbook_url and
// dashboard_url set from the config like every generated alert.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'templates');

/** The leading comment block of a YAML file, without the '# '. */
const headerOf = (text) =>
  text
    .split('\n')
    .filter((_, i, lines) => lines.slice(0, i + 1).every((l) => l.startsWith('#')))
    .map((l) => l.replace(/^# ?/, ''))
    .join('\n');

export function template(file) {
  const rulesText = readFileSync(join(DIR, file), 'utf8');
  const testText = readFileSync(join(DIR, 'tests', file.replace(/\.yml$/, '.test.yml')), 'utf8');
  const tests = parse(testText);
  return {
    file,
    header: headerOf(rulesText),
    testHeader: headerOf(testText),
    ruleFiles: tests.rule_files.map((f) => f.replace(/^\.\.\//, '')),
    evalOrder: tests.group_eval_order,
    groups: () => parse(rulesText).groups,
    tests: () => tests.tests,
  };
}
