/**
 * Every variable Loom reads is documented where a new user looks: `.env.example` (a line
 * `# NAME=` or `NAME=`) and the README's configuration table. Lower-case spellings of the proxy
 * variables are aliases, documented with their upper-case names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { environmentSchema } from './config-schema.js';

const root = new URL('../../', import.meta.url);
const variables = Object.keys(environmentSchema.shape).filter((name) => name === name.toUpperCase());

describe('documented configuration', () => {
  it('reads at least the variables of DESIGN §4', () => {
    expect(variables).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'REDIS_URL', 'LOOM_MODEL']));
  });

  it('lists every variable in .env.example', () => {
    const example = readFileSync(new URL('.env.example', root), 'utf8');
    const missing = variables.filter((name) => !new RegExp(`^(# )?${name}=`, 'm').test(example));
    expect(missing).toEqual([]);
  });

  it("lists every variable in the README's configuration table", () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const missing = variables.filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
