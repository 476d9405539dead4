/** Composition root of the long-running processes (filled in by the foundation work). */
export interface ServiceSelection {
  server: boolean;
  worker: boolean;
  scheduler: boolean;
}

export async function runServices(selection: ServiceSelection): Promise<void> {
  process.stderr.write(`loom: starting ${JSON.stringify(selection)} (not wired yet)\n`);
}
