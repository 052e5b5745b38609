import { randomBytes } from 'node:crypto';
import type { RecordedEvent } from '../event-store/event-store.port';
import { RecentlyOpened } from './recently-opened';

const read = (id: string, stream = 'child-1'): RecordedEvent =>
  ({ id, stream, type: 'ChildRegistered', data: { sealed: true } }) as unknown as RecordedEvent;

describe('RecentlyOpened', () => {
  const key = randomBytes(32);

  it('serves what the same key opened, in the same stream and event', () => {
    const opened = new RecentlyOpened();
    const data = { firstName: 'Zephyrine' };
    opened.remember(read('e1'), key, data);
    expect(opened.dataOf(read('e1'), key)).toBe(data);
    expect(opened.dataOf(read('e1', 'child-2'), key)).toBeUndefined();
    expect(opened.dataOf(read('e2'), key)).toBeUndefined();
  });

  it('serves nothing to another key object, even with the same bytes: a key read afresh opens afresh', () => {
    const opened = new RecentlyOpened();
    opened.remember(read('e1'), key, { firstName: 'Zephyrine' });
    expect(opened.dataOf(read('e1'), Buffer.from(key))).toBeUndefined();
  });

  it('forgets the oldest first once full', () => {
    const opened = new RecentlyOpened(2);
    opened.remember(read('e1'), key, 1);
    opened.remember(read('e2'), key, 2);
    opened.remember(read('e1'), key, 'again');
    opened.remember(read('e3'), key, 3);
    expect([opened.dataOf(read('e1'), key), opened.dataOf(read('e2'), key), opened.dataOf(read('e3'), key)]).toEqual(['again', undefined, 3]);
  });
});
