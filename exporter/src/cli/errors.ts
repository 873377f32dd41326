import { ConfigError } from '../config/load';

/** An error the operator can fix from its one-line message: printed without a stack, exit 2. */
export class UsageError extends ConfigError {}

interface SystemError extends Error {
  code?: string;
  address?: string;
  port?: number;
  errors?: unknown[];
}

function codeOf(err: unknown): string | undefined {
  const e = err as SystemError;
  if (typeof e?.code === 'string') return e.code;
  // Node's dual-stack connect reports one error per address tried.
  const first = Array.isArray(e?.errors) ? (e.errors[0] as SystemError | undefined) : undefined;
  return typeof first?.code === 'string' ? first.code : undefined;
}

function addressOf(err: unknown): string {
  const e = (Array.isArray((err as SystemError).errors) ? (err as SystemError).errors?.[0] : err) as SystemError;
  return e?.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : '';
}

/**
 * The one-line message for what the operator can fix (bad arguments, a port in use, a database
 * that is down or refuses the login), or undefined for a bug, which keeps its stack.
 * `command` names the CLI command for the pointer to its --help.
 */
export function describeFailure(err: unknown, command?: string): string | undefined {
  if (err instanceof ConfigError) return err.message;
  const code = codeOf(err);
  const message = (err as Error)?.message ?? String(err);
  const help = `see \`saasmon ${command ? `${command} ` : ''}--help\``;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const option = /option '([^']+)'/.exec(message)?.[1] ?? message;
      return `${command ?? 'saasmon'}: unknown option ${option} (${help})`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${command ?? 'saasmon'}: ${message.replace(/\.$/, '')} (${help})`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /argument '([^']+)'/.exec(message)?.[1] ?? message;
      return `${command ?? 'saasmon'}: unexpected argument ${arg} (${help})`;
    }
    case 'EADDRINUSE':
      return `port ${(err as SystemError).port ?? ''} on ${(err as SystemError).address ?? 'this host'} is in use: stop what holds it or choose another port (SAASMON_PORT or server.port)`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${addressOf(err)}: no such address on this host (server.host)`;
    case 'ECONNREFUSED':
      return `the database at ${addressOf(err) || 'DATABASE_URL'} refuses connections: is Postgres running there? (DATABASE_URL)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the database host in DATABASE_URL does not resolve: ${message}`;
    case 'ETIMEDOUT':
      return `the database at ${addressOf(err) || 'DATABASE_URL'} does not answer (connection timed out)`;
    case '28P01':
    case '28000':
      return `the database refused the login: ${message} (check the user and password in DATABASE_URL)`;
    case '3D000':
      return `${message} (create it, or fix the database name in DATABASE_URL)`;
    default:
      return undefined;
  }
}
