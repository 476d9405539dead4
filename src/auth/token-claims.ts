/**
 * The claims of a Loom proxy token. Registered claims (`iss`, `aud`, `sub`, `jti`, `iat`, `exp`) are
 * always present; the private ones scope what the bearer may do at the LLM proxy.
 */
import { z } from 'zod';

/** `user` and `admin` tokens come from `loom token create`; `job` tokens are minted by workers. */
export const tokenRoles = ['user', 'admin', 'job'] as const;
export type TokenRole = (typeof tokenRoles)[number];

export const defaultTokenIssuer = 'loom';
export const defaultTokenAudience = 'loom-proxy';

export const tokenClaimsSchema = z.object({
  iss: z.string().min(1),
  aud: z.string().min(1),
  sub: z.string().min(1),
  jti: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  nbf: z.number().int().optional(),
  role: z.enum(tokenRoles),
  /** The job this token was minted for (job tokens). */
  job: z.string().min(1).optional(),
  /** Spend ceiling in USD across every call made with this token (its `jti`). */
  budget_usd: z.number().nonnegative().optional(),
  /** Model allow-list: `claude-sonnet-4-6`, `anthropic/claude-sonnet-4-6`, or a prefix ending in `*`. */
  models: z.array(z.string().min(1)).optional(),
});

export type TokenClaims = z.output<typeof tokenClaimsSchema>;

/** Whether a token's model allow-list admits `provider/model` (no list: every model). */
export function isModelAllowed(
  claims: Pick<TokenClaims, 'models'>,
  provider: string,
  model: string,
): boolean {
  if (claims.models === undefined) return true;
  const qualified = `${provider}/${model}`;
  return claims.models.some((entry) => {
    if (entry.endsWith('*')) {
      const prefix = entry.slice(0, -1);
      return model.startsWith(prefix) || qualified.startsWith(prefix);
    }
    return entry === model || entry === qualified;
  });
}
