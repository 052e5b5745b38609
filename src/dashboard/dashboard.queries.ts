import { Inject, Injectable } from '@nestjs/common';
import { Configuration } from '../config/configuration';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { EscalationRuntime } from '../escalation/escalation.runtime';
import type { Actor } from '../event-store/event-store.port';
import { ukMonthOf, ukYearOf } from './breakdowns';
import { districtComparison } from './district-comparison';
import { dashboardScope } from './district-scope';
import { openEpisodes } from './open-episodes.queries';
import { openStrategyMeetings } from './open-meetings.queries';
import { overdueWork } from './overdue-work.queries';
import { repeatChildren } from './repeat-children.queries';
import { summaryCounts } from './summary-counts.queries';

/** The dashboard's views, each in the caller's district scope. */
@Injectable()
export class DashboardQueries {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly escalation: EscalationRuntime,
    private readonly config: Configuration,
  ) {}

  openEpisodes(actor: Actor, now: Date) {
    return openEpisodes(this.db, this.escalation.policy, dashboardScope(actor), now);
  }

  overdueWork(actor: Actor, now: Date) {
    return overdueWork(this.db, this.escalation.policy, dashboardScope(actor), now);
  }

  repeatChildren(actor: Actor, now: Date) {
    return repeatChildren(this.db, this.escalation.policy, dashboardScope(actor), now);
  }

  strategyMeetings(actor: Actor) {
    return openStrategyMeetings(this.db, dashboardScope(actor));
  }

  comparison(year: number) {
    return districtComparison(this.db, this.config.districts, year);
  }

  currentYear = (now: Date): number => ukYearOf(now.toISOString());

  /** Episodes per UK month and district, oldest month first, months with none included. */
  async episodesOverTime(months: number, now: Date) {
    const wanted: string[] = [];
    const [year, month] = ukMonthOf(now.toISOString()).split('-').map(Number);
    for (let back = months - 1; back >= 0; back--) {
      const date = new Date(Date.UTC(year, month - 1 - back, 1));
      wanted.push(date.toISOString().slice(0, 7));
    }
    const rows = await this.db.query<{ month: string; district: string; episodes: number }>(
      'SELECT month, district, episodes FROM rm_dash_monthly WHERE month >= $1 AND month <= $2',
      [wanted[0], wanted[wanted.length - 1]],
    );
    const districts = [...new Set([...this.config.districts, ...rows.map((row) => row.district)])];
    // By key, not searched for each cell: nationally 172 districts × 12 months over as many rows.
    const counted = new Map(rows.map((row) => [`${row.district}\u0000${row.month}`, row.episodes]));
    return {
      months: wanted,
      districts: districts.map((district) => ({
        district,
        episodes: wanted.map((m) => counted.get(`${district}\u0000${m}`) ?? 0),
      })),
    };
  }

  /** Figures without names or notes: what an LSCB lead may read, and the page's headline. Exact, counted in SQL. */
  async summary(actor: Actor, now: Date) {
    const scope = dashboardScope(actor);
    return { district: scope, ...(await summaryCounts(this.db, this.escalation.policy, scope, now)) };
  }
}
