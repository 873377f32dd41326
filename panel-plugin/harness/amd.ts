/**
 * A minimal AMD loader, the part of Grafana's SystemJS setup a plugin needs: each built
 * dist/<id>/module.js calls define([...deps], factory) with the externals of
 * .config/bundler/externals.ts; this hands it the harness's own copies of those modules.
 */
type Factory = (...deps: unknown[]) => unknown;

interface Pending {
  url: string;
  resolve: (exports: unknown) => void;
  reject: (error: Error) => void;
}

declare global {
  interface Window {
    define?: ((deps: string[], factory: Factory) => void) & { amd?: object };
  }
}

let pending: Pending | undefined;

export function installDefine(shared: Record<string, unknown>) {
  const define = (deps: string[], factory: Factory) => {
    const current = pending;
    if (!current) {
      throw new Error('define() called outside loadPluginModule');
    }
    try {
      const exports: Record<string, unknown> = {};
      const resolved = deps.map((dep) => {
        if (dep === 'exports') {
          return exports;
        }
        if (dep === 'module') {
          return { uri: current.url };
        }
        if (!(dep in shared)) {
          throw new Error(`the harness does not provide "${dep}" to plugins`);
        }
        return shared[dep];
      });
      const result = factory(...resolved);
      current.resolve(result ?? exports);
    } catch (e) {
      current.reject(e instanceof Error ? e : new Error(String(e)));
    }
  };
  define.amd = {};
  window.define = define;
}

/** Loads a built module.js with a script tag (as Grafana does) and returns its exports. */
export function loadPluginModule(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    pending = { url, resolve: (e) => resolve(e as Record<string, unknown>), reject };
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`cannot load ${url}`));
    document.head.appendChild(script);
  });
}
