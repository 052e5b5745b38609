import { ChildDistrictsProjection } from './access/child-districts';
import { CaseworkProjection } from './casework/casework.projection';
import { ChildSummaryProjection } from './children/child-summary.projection';
import { DashboardProjection } from './dashboard/dashboard.projection';
import { EscalationsProjection } from './escalation/escalations.projection';
import type { Projection } from './event-store/subscriptions/consumer';
import { LinksProjection } from './links/links.projection';

/** Every read model, by name: what the subscription runner feeds and `npm run rebuild` rebuilds. */
export const allProjections = (): Projection[] => [
  new ChildSummaryProjection(),
  new EscalationsProjection(),
  new CaseworkProjection(),
  new LinksProjection(),
  new DashboardProjection(),
  new ChildDistrictsProjection(),
];
