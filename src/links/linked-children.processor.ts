import { FollowedEvents } from '../child-stream/followed-events';
import type { SqlDatabase } from '../database/sql-database';
import type { ExecuteChildStreamCommands } from '../escalation/escalation-policy.processor';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { readChildStream } from '../escalation/child-stream-reader';
import type { Processor } from '../event-store/subscriptions/consumer';
import type { Clock } from '../shared/clock';
import { type Mention, MENTIONING, mentionsOf } from './link-mentions';
import { type IndexedChild, linkJoinedBy, planLinkFlags } from './plan-link-flags';

const FOLLOWED = FollowedEvents.of(...MENTIONING.types, 'ChildPersonalDataErased');

/** Who flags links on the timeline: the machine, not a person. */
export const LINKS_ACTOR = { userId: 'system:linked-children', role: 'system', district: null };

/**
 * Links children who name the same person or place, and flags each of them. It keeps its own index
 * (`link_index`) and writes it before it reads it, never a read model that may lag behind it. The
 * index remembers the order in which children first named each key (`seq`, in the global order this
 * one consumer follows), so a replay after a crash or from zero plans the same flags with the same
 * command ids, and the child's stream makes a repeated flag a no-op.
 */
export class LinkedChildrenProcessor implements Processor {
  readonly kind = 'processor';
  readonly name = 'linked-children';
  private migrated: Promise<void> | null = null;

  constructor(
    private readonly db: SqlDatabase,
    private readonly store: EventStore,
    private readonly execute: ExecuteChildStreamCommands,
    private readonly rule: EscalationPolicy['linkedPeopleOrPlaces'],
    private readonly clock: Clock,
  ) {}

  async handle(events: RecordedEvent[]): Promise<void> {
    await (this.migrated ??= migrateLinkIndex(this.db).catch((error) => {
      this.migrated = null;
      throw error;
    }));
    for (const { event, recorded, childId } of FOLLOWED.in(events)) {
      // The index holds names and addresses: an erased child's go, and it links nobody from now on.
      if (event.type === 'ChildPersonalDataErased') {
        await this.db.query('DELETE FROM link_index WHERE child_id = $1', [childId]);
        continue;
      }
      for (const mention of mentionsOf(event)) await this.onMention(childId, recorded, mention);
    }
  }

  private async onMention(childId: string, event: RecordedEvent, mention: Mention): Promise<void> {
    await this.db.query(
      `INSERT INTO link_index (kind, key, child_id, first_event_id, first_stream_version, display) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (kind, key, child_id) DO NOTHING`,
      [mention.kind, mention.key, childId, event.id, event.streamVersion, mention.display],
    );
    const index = await this.db.query<IndexedChild>(
      `SELECT child_id AS "childId", first_event_id AS "firstEventId", first_stream_version AS "firstStreamVersion", display
         FROM link_index WHERE kind = $1 AND key = $2 ORDER BY seq LIMIT $3`,
      [mention.kind, mention.key, this.rule.maxChildren],
    );
    const joined = linkJoinedBy(index, { childId, eventId: event.id }, this.rule.maxChildren);
    if (!joined) return;
    const districts = new Map<string, string>();
    for (const child of [joined.joining, ...joined.earlier]) districts.set(child.childId, await this.districtAt(child));
    const flags = planLinkFlags(joined, mention, districts, this.rule, this.clock.now().toISOString());
    for (const { commandId, command } of flags) {
      await this.execute({ childId: command.childId }, [command], {
        actor: LINKS_ACTOR,
        commandId,
        correlationId: event.metadata.correlationId,
        causationId: event.id,
      });
    }
  }

  /** The child's local authority as its history stood at its first mention: the same on every replay. */
  private async districtAt(child: IndexedChild): Promise<string> {
    const view = await readChildStream(this.store, child.childId);
    return view.at(child.firstStreamVersion).childCase.profile?.localAuthority ?? 'unknown';
  }
}

async function migrateLinkIndex(db: SqlDatabase): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS link_index (
    kind            text NOT NULL,
    key             text NOT NULL,
    child_id        text NOT NULL,
    first_event_id  text NOT NULL,
    first_stream_version integer NOT NULL,
    display         text NOT NULL,
    seq             bigserial NOT NULL,
    PRIMARY KEY (kind, key, child_id)
  )`);
  await db.query('CREATE INDEX IF NOT EXISTS link_index_in_order ON link_index (kind, key, seq)');
}
