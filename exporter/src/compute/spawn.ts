import { ChildProcess, fork, spawn } from 'node:child_process';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a module of this package. Built code runs the .js file; under Jest
 * (sources are .ts, compiled by swc in memory) the worker registers the same swc compilation for
 * .ts files before loading the module, so tests run the real worker, not a stand-in.
 */
export function spawnModuleWorker(file: string, workerData: unknown): Worker {
  if (extname(file) !== '.ts') return new Worker(file, { workerData });
  return new Worker(tsBootstrap(file), { eval: true, workerData });
}

/**
 * Starts a child process on a module of this package, with an IPC channel that carries structured
 * clones (and socket handles). Under Jest the same swc registration as for workers loads the .ts.
 * `ownSession`: the child starts a session of its own (setsid), hence a scheduling group of its
 * own where the kernel groups by session (see compute/priorities.ts); it still ends with its
 * parent through the IPC channel, as every such module does.
 */
export function spawnModuleProcess(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { ownSession?: boolean } = {},
): ChildProcess {
  const stdio: Array<'ignore' | 'inherit' | 'ipc'> = ['ignore', 'inherit', 'inherit', 'ipc'];
  const detached = options.ownSession ?? false;
  if (extname(file) !== '.ts') return fork(file, [], { env, stdio, serialization: 'advanced', detached });
  return spawn(process.execPath, ['-e', tsBootstrap(file)], { env, stdio, serialization: 'advanced', detached });
}

function tsBootstrap(file: string): string {
  return `
    const fs = require('node:fs');
    const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
    require.extensions['.ts'] = (module, filename) => {
      const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
        filename, swcrc: false, sourceMaps: 'inline',
        jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
        module: { type: 'commonjs' },
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(file)});
  `;
}
