import { ChildSummaryProjection } from './children/child-summary.projection';
import { Consumer, Projection } from './event-store/subscriptions/consumer';

/** Every read model, by name: what the subscription runner feeds and `npm run rebuild` rebuilds. */
export const allProjections = (): Projection[] => [new ChildSummaryProjection()];

export const allConsumers = (): Consumer[] => [...allProjections()];
