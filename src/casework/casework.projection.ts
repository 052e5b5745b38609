import type { SqlExecutor } from '../database/sql-database';
import type { ReadFilter, RecordedEvent } from '../event-store/event-store.port';
import type { Projection } from '../event-store/subscriptions/consumer';
import { returnWorkReadModel } from '../return-work/return-work.projection';
import { safeguardingPlansReadModel } from '../safeguarding-plans/safeguarding-plans.projection';
import { strategyMeetingsReadModel } from '../strategy-meetings/strategy-meetings.projection';
import { warningNoticesReadModel } from '../warning-notices/warning-notices.projection';
import type { CaseworkReadModel } from './casework-read-model';

/** The casework after a return, as the lists people work from: every slice's read model, fed by one consumer. */
export class CaseworkProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'casework';
  readonly reads: ReadFilter;

  constructor(
    private readonly readModels: readonly CaseworkReadModel[] = [
      returnWorkReadModel,
      safeguardingPlansReadModel,
      strategyMeetingsReadModel,
      warningNoticesReadModel,
    ],
  ) {
    const union = (pick: (reads: ReadFilter) => readonly string[] | undefined) => [...new Set(readModels.flatMap(({ reads }) => pick(reads) ?? reads.types))];
    this.reads = { types: union((reads) => reads.types), personalDataOf: union((reads) => reads.personalDataOf) };
  }

  async migrate(db: SqlExecutor): Promise<void> {
    for (const readModel of this.readModels) await readModel.migrate(db);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ${this.readModels.flatMap((readModel) => readModel.tables).join(', ')}`);
  }

  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    for (const readModel of this.readModels) await readModel.erasePersonalData(childId, tx);
  }

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const readModel of this.readModels) await readModel.apply(events, tx);
  }
}
