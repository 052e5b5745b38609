import { setOldestOut } from './oldest-out';

describe('setOldestOut', () => {
  it('keeps the map to its capacity by dropping the entry set longest ago', () => {
    const map = new Map<string, number>();
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) setOldestOut(map, 3, key, i);
    expect([...map]).toEqual([['b', 1], ['c', 2], ['d', 3]]);
  });

  it('counts a key set again as new, so it outlives the keys set before it', () => {
    const map = new Map([['a', 0], ['b', 1], ['c', 2]]);
    setOldestOut(map, 3, 'a', 9);
    setOldestOut(map, 3, 'd', 3);
    expect([...map]).toEqual([['c', 2], ['a', 9], ['d', 3]]);
  });
});
