/**
 * Who may ask Loom for what (LOOM_POLICY_FILE): a YAML file of allow and deny rules, deny by default,
 * an explicit deny beats an allow, and any failure denies. See specs/policy.md.
 */
export { policyActions, policyDocumentSchema, policyRuleSchema } from './policy-schema.js';
export type { Policy, PolicyAction, PolicyDocument, PolicyRule } from './policy-schema.js';
export {
  decidePolicy,
  defaultSlackPolicy,
  isWorkspaceListed,
  matchesRepository,
  ruleMatches,
} from './decide-policy.js';
export type { PolicyDecision, PolicyReason, PolicyRequest } from './decide-policy.js';
export { parsePolicy } from './parse-policy.js';
export { filePolicySource, staticPolicySource } from './policy-source.js';
export type { FilePolicySourceOptions, PolicySource } from './policy-source.js';
export { evaluatePolicy, evaluateWorkspace } from './evaluate-policy.js';
