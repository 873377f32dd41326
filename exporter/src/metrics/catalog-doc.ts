import { CatalogEntry } from './catalog';

const HEADER = `# Metric catalog

Generated from the exporter's metric declarations (\`exporter/src/metrics/catalog.ts\`); do not edit
by hand. After changing a metric, run
\`UPDATE_DOCS=1 npx jest --config exporter/jest.config.js --rootDir exporter src/metrics/catalog\`.
What each number means, and how it is computed, is in [metrics.md](metrics.md).

Units follow the name: \`_seconds\` in seconds, \`_ratio\` a fraction (0.25 = 25%), money in the
unit of its \`currency\` label; the rest are counts, scores or 0/1 flags.
`;

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** docs/metric-catalog.md: one table per collector, in the catalog's order. */
export function catalogMarkdown(entries: readonly CatalogEntry[]): string {
  const collectors = [...new Set(entries.map((e) => e.collector))];
  const sections = collectors.map((c) => {
    const rows = entries
      .filter((e) => e.collector === c)
      .map((e) => `| \`${e.name}\` | ${e.type} | ${e.unit} | ${e.labels.join(', ')} | ${cell(e.help)} |`);
    return [`## ${c}`, '', '| metric | type | unit | labels | help |', '|---|---|---|---|---|', ...rows].join('\n');
  });
  return `${HEADER}\n${sections.join('\n\n')}\n`;
}
