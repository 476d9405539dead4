/**
 * Parses the text of a policy file. Every problem (YAML syntax, unknown key, bad pattern) becomes one
 * `LoomError('config_invalid')` naming the file and the places, so an operator can fix it in one go.
 */
import { parse, YAMLError } from 'yaml';
import { LoomError } from '../errors/index.js';
import { policyDocumentSchema, type Policy } from './policy-schema.js';

/** Parses and validates policy YAML. `source` names the file in error messages. */
export function parsePolicy(text: string, source: string): Policy {
  let document: unknown;
  try {
    // Aliases are capped so a "billion laughs" file cannot exhaust memory.
    document = parse(text, { maxAliasCount: 50, prettyErrors: true });
  } catch (error) {
    const detail = error instanceof YAMLError ? error.message : 'unreadable YAML';
    throw new LoomError('config_invalid', `policy file ${source}: ${detail}`, { cause: error });
  }
  const parsed = policyDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`,
    );
    throw new LoomError('config_invalid', `policy file ${source}: ${issues.join('; ')}`, {
      details: { issues },
    });
  }
  return { slackRules: parsed.data.slack?.rules ?? [] };
}
