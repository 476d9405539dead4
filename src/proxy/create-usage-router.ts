/**
 * `GET /api/usage`: who spent what through the proxy, from the usage events the proxy metered.
 * Query: `since` / `until` (a duration back from now such as `7d`, or an ISO date; default the last
 * 30 days), `by` (`subject`, `model` or `job`; default `subject`), `subject`. An admin token reads
 * everyone's; any other token only its own subject's (naming another subject is 403).
 */
import { Router } from 'express';
import { LoomError } from '../errors/index.js';
import { principalOf, requireBearer, type AuthenticateBearer } from '../threads/index.js';
import { parseUsageReportQuery, usageReportAnswer, type UsageReporter } from './usage-report.js';

export interface UsageRouterDeps {
  usage: UsageReporter;
  authenticate: AuthenticateBearer;
  now?: () => Date;
}

export function createUsageRouter(deps: UsageRouterDeps): Router {
  const router = Router();
  router.use(requireBearer(deps.authenticate));
  router.get('/', async (req, res) => {
    const principal = principalOf(res);
    const query = parseUsageReportQuery(req.query, (deps.now ?? (() => new Date()))());
    if (principal.role !== 'admin' && query.subject !== undefined && query.subject !== principal.subject) {
      throw new LoomError('forbidden', "only an admin token reads another subject's usage");
    }
    const subject = principal.role === 'admin' ? query.subject : principal.subject;
    const scoped = Object.assign({}, query, { subject });
    res.json(usageReportAnswer(scoped, await deps.usage.report(scoped)));
  });
  return router;
}
