import { CHILD_STREAM_SLICES } from '../child-stream/child-stream';
import { ERASED, isSealed, open, seal } from './field-encryption';
import { type FieldsOf, mapPersonalStrings, openedPathsOf, PERSONAL_DATA, personalPathsOf } from './personal-data';

type Tree = 'personal' | 'kept' | { [field: string]: Tree };

/** An event of `type` with every classified field filled with a string naming it. */
const sampleOf = (type: string, tree: Tree, path = ''): unknown =>
  typeof tree === 'string'
    ? `${type}:${path}`
    : Object.fromEntries(Object.entries(tree).map(([field, sub]) => [field, sampleOf(type, sub, path ? `${path}.${field}` : field)]));

const leavesOf = (tree: Tree, path = ''): [string, 'personal' | 'kept'][] =>
  typeof tree === 'string' ? [[path, tree]] : Object.entries(tree).flatMap(([field, sub]) => leavesOf(sub, path ? `${path}.${field}` : field));

const KEY = Buffer.alloc(32, 7);
const TYPES = Object.entries(PERSONAL_DATA) as [string, Tree][];

describe('the classification of personal data', () => {
  it('covers every event type of a child stream, and nothing else', () => {
    const streamTypes = Object.values(CHILD_STREAM_SLICES).flatMap((slice) => slice.eventTypes);
    expect(Object.keys(PERSONAL_DATA).sort()).toEqual([...streamTypes].sort());
  });

  it('makes an unclassified field a compile error', () => {
    interface WithNotes {
      type: 'Example';
      id: string;
      notes?: string;
    }
    // @ts-expect-error `notes` is not classified (checked by `tsc -p tsconfig.test.json`)
    const unclassified: FieldsOf<WithNotes> = { id: 'kept' };
    const classified: FieldsOf<WithNotes> = { id: 'kept', notes: 'personal' };
    expect([unclassified, classified]).toHaveLength(2);
  });

  it('names the child, the people around the child and what was said as personal', () => {
    expect(personalPathsOf('ChildRegistered')).toEqual([
      'profile.firstName',
      'profile.lastName',
      'profile.dateOfBirth',
      'profile.ethnicity',
      'profile.philomenaProfile',
    ]);
    expect(personalPathsOf('ChildReportedMissing')).toEqual(['lastSeenPlace', 'reporter', 'circumstances']);
    expect(personalPathsOf('EscalationRaised')).toEqual([]);
  });
});

describe.each(TYPES)('%s', (type, tree) => {
  const data = sampleOf(type, tree);
  const aad = (where: string) => `child-1/event-1/${where}`;
  const sealed = mapPersonalStrings(type, data, (value, where) => seal(KEY, value, aad(where)));

  it('is stored with every personal string sealed and every other field as it was', () => {
    const stored = JSON.stringify(sealed);
    for (const [path, classification] of leavesOf(tree)) {
      expect({ path, stored: stored.includes(`"${type}:${path}"`) }).toEqual({ path, stored: classification === 'kept' });
    }
  });

  it('reads back as it was with the key', () => {
    expect(mapPersonalStrings(type, sealed, (value, where) => (isSealed(value) ? open(KEY, value, aad(where)) : value))).toEqual(data);
  });

  it('reads as erased without it, keeping its shape and the rest', () => {
    const erased = mapPersonalStrings(type, sealed, () => ERASED) as Record<string, unknown>;
    const expected = sampleOf(type, tree) as Record<string, unknown>;
    for (const path of personalPathsOf(type)) setAt(expected, path, ERASED);
    expect(erased).toEqual(expected);
  });
});

describe('a sealed value', () => {
  it('opens only in its own place', () => {
    const sealed = seal(KEY, 'Amy', 'child-1/event-1/profile.firstName');
    expect(open(KEY, sealed, 'child-1/event-1/profile.firstName')).toBe('Amy');
    expect(() => open(KEY, sealed, 'child-2/event-1/profile.firstName')).toThrow();
    expect(() => open(Buffer.alloc(32, 8), sealed, 'child-1/event-1/profile.firstName')).toThrow();
  });

  it('differs each time the same value is sealed (a fresh IV)', () => {
    expect(seal(KEY, 'Amy', 'a')).not.toBe(seal(KEY, 'Amy', 'a'));
  });

  it('lists and objects are sealed string by string, numbers and booleans left as they are', () => {
    const data = { reporter: { name: 'Jo', phone: '0114 496 0000' }, profile: { philomenaProfile: { phones: ['07700 900123'] } } };
    const where: string[] = [];
    mapPersonalStrings('ChildReportedMissing', data, (value, at) => (where.push(at), value));
    mapPersonalStrings('ChildRegistered', data, (value, at) => (where.push(at), value));
    expect(where).toEqual(['reporter.name', 'reporter.phone', 'profile.philomenaProfile.phones.0']);
  });
});

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.');
  const parent = steps.slice(0, -1).reduce((node, step) => node[step] as Record<string, unknown>, target);
  parent[steps[steps.length - 1]] = value;
}

describe('what a filtered read opens', () => {
  it('opens every personal value of a type named alone, and of one named with paths only those under them', () => {
    const opened = openedPathsOf(['RiskAssessed', 'ChildReturned.where', 'ChildReturned.withWhom', 'ChildRegistered.profile.philomenaProfile.associates']);
    expect([...opened]).toEqual([
      ['RiskAssessed', null],
      ['ChildReturned', ['where', 'withWhom']],
      ['ChildRegistered', ['profile.philomenaProfile.associates']],
    ]);
    // The type alone wins over its paths, in either order.
    expect(openedPathsOf(['ChildReturned.where', 'ChildReturned']).get('ChildReturned')).toBeNull();
    expect(openedPathsOf(['ChildReturned', 'ChildReturned.where']).get('ChildReturned')).toBeNull();
  });

  it('refuses a path that holds no personal value: a kept field, a misspelt one, one of another type', () => {
    expect(() => openedPathsOf(['ChildReturned.returnedAt'])).toThrow("ChildReturned.returnedAt holds no personal value: ChildReturned's personal fields are where, withWhom, condition, foundBy");
    expect(() => openedPathsOf(['ChildReturned.wher'])).toThrow('holds no personal value');
    expect(() => openedPathsOf(['EscalationRaised.cause'])).toThrow("EscalationRaised's personal fields are none");
  });
});
