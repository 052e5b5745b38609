import { ChildDistrictsProjection } from './access/child-districts';
import { CaseworkProjection } from './casework/casework.projection';
import { StreamDirectoryProjection } from './child-stream/stream-directory';
import { ChildSummaryProjection } from './children/child-summary.projection';
import { DashboardProjection } from './dashboard/dashboard.projection';
import { EscalationsProjection } from './escalation/escalations.projection';
import type { EscalationPolicy } from './escalation/policy/escalation-policy';
import type { Projection } from './event-store/subscriptions/consumer';
import { LinksProjection } from './links/links.projection';

/**
 * Every read model, by name: what the subscription runner feeds and `npm run rebuild` rebuilds.
 * The dashboard keeps when children are within the repeat-without-plan window, so it takes the policy.
 */
export const allProjections = (policy: EscalationPolicy): Projection[] => [
  new ChildSummaryProjection(),
  new EscalationsProjection(),
  new CaseworkProjection(),
  new LinksProjection(),
  new DashboardProjection(policy.repeatWithoutPlan),
  new ChildDistrictsProjection(),
  new StreamDirectoryProjection(),
];
