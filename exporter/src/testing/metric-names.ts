/**
 * The metric names a PromQL expression or a rules file refers to: identifiers holding `saasmon_`,
 * outside quoted label values and globs (saasmon_dr_* in a comment). A name with a colon is a
 * recording rule's output, not an exporter metric (Prometheus' convention level:metric:operations).
 */
export function saasmonNamesIn(text: string): { metrics: string[]; recorded: string[] } {
  const unquoted = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const names = [...new Set([...unquoted.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?![a-zA-Z0-9_:*])/g)].map((m) => m[0]))].filter((n) =>
    n.includes('saasmon_'),
  );
  return { metrics: names.filter((n) => !n.includes(':')), recorded: names.filter((n) => n.includes(':')) };
}
