import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** Where the compose stack's alert sink listens (provisioning/alertmanager/alert-sink.mjs). */
export const ALERT_SINK_URL = 'http://alert-sink:9099';
/** Where docker-compose.yml mounts alert-rules/ in the Alertmanager container. */
const RULES_MOUNT = '/etc/alertmanager/saasmon';

type Receiver = { name: string } & Record<string, unknown>;
interface AlertmanagerConfig {
  global?: Record<string, unknown>;
  templates?: string[];
  receivers: Receiver[];
  [key: string]: unknown;
}

/**
 * The demo stack's Alertmanager config, made from alert-rules/alertmanager.yml: the same routes,
 * timers, inhibitions and templates, but every receiver that notifies posts to the local alert
 * sink (`<sink>/<receiver>`) instead of PagerDuty, Slack, e-mail and a heartbeat service that the
 * demo has no credentials for. Written to provisioning/alertmanager/alertmanager.demo.yml.
 */
export function demoAlertmanagerConfig(repositoryConfigText: string): string {
  const config = parseYaml(repositoryConfigText) as AlertmanagerConfig;
  const { global = {}, templates = [], receivers, ...rest } = config;
  // Settings of the integrations the demo does not use (and their secret files) are dropped.
  const keptGlobal = Object.fromEntries(
    Object.entries(global).filter(([k]) => !/^(smtp_|slack_|pagerduty_|opsgenie_|victorops_|wechat_|telegram_|webex_)/.test(k)),
  );
  const demo = {
    ...(Object.keys(keptGlobal).length ? { global: keptGlobal } : {}),
    templates: templates.map((t) => (t.startsWith('/') ? t : `${RULES_MOUNT}/${t}`)),
    ...rest,
    receivers: receivers.map((r) => {
      const notifies = Object.keys(r).some((k) => k.endsWith('_configs'));
      return notifies ? { name: r.name, webhook_configs: [{ url: `${ALERT_SINK_URL}/${r.name}`, send_resolved: true }] } : { name: r.name };
    }),
  };
  return (
    '# GENERATED from alert-rules/alertmanager.yml by exporter/src/provisioning/alertmanager-demo.ts\n' +
    '# (UPDATE_PROVISIONING=1 npx jest ... provisioning regenerates it). The docker-compose demo: same\n' +
    '# routes and inhibitions, every receiver posts to the local alert sink (docker compose logs alert-sink).\n' +
    stringifyYaml(demo, { lineWidth: 0 })
  );
}
