import { ReadSideIndexes } from '../database/read-side-indexes';
import type { SqlExecutor } from '../database/sql-database';
import type { FieldHolding, ReadFilter, RecordedEvent } from '../event-store/event-store.port';
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
  readonly readSideIndexes: ReadSideIndexes;

  constructor(
    private readonly readModels: readonly CaseworkReadModel[] = [
      returnWorkReadModel,
      safeguardingPlansReadModel,
      strategyMeetingsReadModel,
      warningNoticesReadModel,
    ],
  ) {
    this.reads = unionOf(readModels.map(({ reads }) => reads));
    this.readSideIndexes = ReadSideIndexes.of(...readModels.map(({ readSideIndexes }) => readSideIndexes));
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

/**
 * What several readers read, as one: a type narrowed (`where`) stays narrowed only if every reader
 * of it narrows it by the same field, to any of their values.
 */
export function unionOf(filters: readonly ReadFilter[]): ReadFilter {
  const union = (pick: (reads: ReadFilter) => readonly string[] | undefined) => [...new Set(filters.flatMap((reads) => pick(reads) ?? reads.types))];
  const types = union((reads) => reads.types);
  const where: Record<string, FieldHolding> = {};
  for (const type of types) {
    const holdings = filters.filter((reads) => reads.types.includes(type)).map((reads) => reads.where?.[type]);
    const [first] = holdings;
    if (first && holdings.every((holding) => holding?.field === first.field)) {
      where[type] = { field: first.field, values: [...new Set(holdings.flatMap((holding) => holding!.values))] };
    }
  }
  return { types, personalDataOf: union((reads) => reads.personalDataOf), ...(Object.keys(where).length > 0 && { where }) };
}
