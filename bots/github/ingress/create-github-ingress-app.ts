/**
 * The Probot app of the ingress: it listens to the events that can carry a request and hands each
 * to `handleTriggerEvent`, and to pushes and installation changes, which may change chores
 * (`handleChoresEvent`: a `chores-sync` job). Every other event (ping, edits, ...) has no handler
 * and is acknowledged without a job.
 */
import type { Probot } from 'probot';
import { choresEventNames } from '../chores/decide-chores-sync.js';
import { handleChoresEvent } from '../chores/handle-chores-event.js';
import type { DeliveryOutcomes } from './delivery-outcomes.js';
import { handleTriggerEvent, type TriggerEventDependencies } from './handle-trigger-event.js';
import { triggerEventNames } from './trigger-candidate.js';

export interface GithubIngressAppDependencies extends TriggerEventDependencies {
  outcomes: DeliveryOutcomes;
}

/** A Probot app function (`probot.load(app)` or called directly with a Probot instance). */
export function createGithubIngressApp(deps: GithubIngressAppDependencies): (app: Probot) => void {
  return (app) => {
    app.on([...triggerEventNames], async (context) => {
      const payload = context.payload as object;
      const outcome = await handleTriggerEvent(deps, { id: context.id, name: context.name, payload });
      deps.outcomes.report(payload, outcome);
    });
    app.on([...choresEventNames], async (context) => {
      const payload = context.payload as object;
      const outcome = await handleChoresEvent(deps, { id: context.id, name: context.name, payload });
      deps.outcomes.report(payload, outcome);
    });
  };
}
