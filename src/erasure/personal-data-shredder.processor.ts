import type { RecordedEvent } from '../event-store/event-store.port';
import type { Processor } from '../event-store/subscriptions/consumer';
import type { ChildDataKeys } from './child-data-keys';
import { PERSONAL_DATA_ERASED } from './erase-read-models';

/**
 * Destroys the key of every child whose erasure is recorded. The endpoint destroys it at once;
 * this makes sure a crash between "erasure stored" and "key destroyed" cannot leave the key alive,
 * and destroying twice is harmless.
 */
export class PersonalDataShredder implements Processor {
  readonly kind = 'processor';
  readonly name = 'personal-data-shredder';

  constructor(private readonly keys: ChildDataKeys) {}

  async handle(events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === PERSONAL_DATA_ERASED) await this.keys.destroy(event.stream.slice('child-'.length));
    }
  }
}
