import { Scale } from './scales';

export interface DemoResult {
  tenants: number;
  users: number;
  events: number;
  seconds: number;
}

export interface DemoOptions {
  scale: Scale;
  seed?: number;
  /** The generated history ends at this instant (default: now). */
  now?: Date;
}

/** Placeholder: the generator lands with issue 2. */
export async function loadDemoData(_url: string, _schema: string, _options: DemoOptions): Promise<DemoResult> {
  throw new Error('demo data generator not implemented yet');
}
