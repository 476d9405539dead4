/**
 * The policy file (LOOM_POLICY_FILE) as a zod schema: who may ask Loom for what, on which repository.
 * Rules are strict objects, so a misspelt key (`user:` for `users:`) is an error instead of a rule
 * that silently matches everyone.
 */
import { z } from 'zod';

/** Actions a rule can name: `run` a task (also `stop`/`status`), `bind` a channel to a repository. */
export const policyActions = ['run', 'bind'] as const;
export type PolicyAction = (typeof policyActions)[number];

/** `*`, or a Slack id (workspace `T…`/`E…`, channel `C…`/`D…`/`G…`, user `U…`/`W…`). */
const slackIdPattern = z
  .string()
  .regex(/^(\*|[A-Z0-9]{2,40})$/, { message: 'must be "*" or a Slack id such as T0123ABCD' });

/** `*`, `owner/*` or `owner/name` (matched without regard to case, as GitHub does). */
const repositoryPattern = z.string().regex(/^(\*|[A-Za-z0-9_.-]+\/(\*|[A-Za-z0-9_.-]+))$/, {
  message: 'must be "*", "owner/*" or "owner/name"',
});

const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1);

/**
 * An allow rule must name its workspaces and repositories (use `"*"` to mean any), so leaving a field
 * out never opens Loom to another workspace or to every repository. Channels, users and actions
 * default to any.
 */
const allowRuleSchema = z.strictObject({
  effect: z.literal('allow'),
  workspaces: nonEmpty(slackIdPattern),
  repositories: nonEmpty(repositoryPattern),
  channels: nonEmpty(slackIdPattern).optional(),
  users: nonEmpty(slackIdPattern).optional(),
  actions: nonEmpty(z.enum(policyActions)).optional(),
});

/** A deny rule matches on every field it names; what it leaves out matches anything. */
const denyRuleSchema = z.strictObject({
  effect: z.literal('deny'),
  workspaces: nonEmpty(slackIdPattern).optional(),
  repositories: nonEmpty(repositoryPattern).optional(),
  channels: nonEmpty(slackIdPattern).optional(),
  users: nonEmpty(slackIdPattern).optional(),
  actions: nonEmpty(z.enum(policyActions)).optional(),
});

export const policyRuleSchema = z.discriminatedUnion('effect', [allowRuleSchema, denyRuleSchema]);

/**
 * The whole file. `slack.rules` is optional: a file without Slack rules denies every Slack request.
 * Other top-level sections are left to the components that read them.
 */
export const policyDocumentSchema = z.looseObject({
  version: z.literal(1),
  slack: z.strictObject({ rules: z.array(policyRuleSchema) }).optional(),
});

export type PolicyRule = z.output<typeof policyRuleSchema>;
export type PolicyDocument = z.output<typeof policyDocumentSchema>;

/** The policy as the engine uses it: the Slack rules in file order. */
export interface Policy {
  slackRules: readonly PolicyRule[];
}
