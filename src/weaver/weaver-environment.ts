/**
 * The only environment a weaver agent gets. It is written out here, never derived from the worker's
 * own environment, so provider keys and GitHub tokens the worker holds cannot leak into it.
 */
import { defaultToolPath } from '../tools/tool-environment.js';

/** PATH, HOME and LANG, and nothing else. */
export function weaverEnvironment(home: string): Record<string, string> {
  return { PATH: defaultToolPath(), HOME: home, LANG: 'C.UTF-8' };
}
