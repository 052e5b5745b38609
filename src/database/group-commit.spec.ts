import { GroupCommit } from './group-commit';

/** A write that waits until released, recording the batches it was given. */
function heldWrite() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      releases.push(() => (items.includes(13) ? reject(new Error('unlucky batch')) : resolve(items.map((n) => `stored ${n}`))));
    });
  const releaseNext = async () => {
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, write, releaseNext };
}

describe('GroupCommit', () => {
  it('writes a lone item at once, and what arrives meanwhile together in the next statement', async () => {
    const { batches, write, releaseNext } = heldWrite();
    const group = new GroupCommit(write);
    const first = group.add(1);
    const later = [group.add(2), group.add(3), group.add(4)];
    expect(batches).toEqual([[1]]);
    await releaseNext();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await releaseNext();
    await expect(first).resolves.toBe('stored 1');
    await expect(Promise.all(later)).resolves.toEqual(['stored 2', 'stored 3', 'stored 4']);
  });

  it('fails only the items of the statement that failed', async () => {
    const { write, releaseNext } = heldWrite();
    const group = new GroupCommit(write);
    const first = group.add(1);
    const unlucky = [group.add(12), group.add(13)].map((added) => added.catch((error: Error) => `failed: ${error.message}`));
    await releaseNext();
    const after = group.add(14);
    await releaseNext();
    await releaseNext();
    await expect(first).resolves.toBe('stored 1');
    await expect(Promise.all(unlucky)).resolves.toEqual(['failed: unlucky batch', 'failed: unlucky batch']);
    await expect(after).resolves.toBe('stored 14');
  });

  it('puts no more than maxBatch items in one statement', async () => {
    const { batches, write, releaseNext } = heldWrite();
    const group = new GroupCommit(write, 2);
    const all = [1, 2, 3, 4, 5].map((n) => group.add(n));
    for (let i = 0; i < 3; i++) await releaseNext();
    await Promise.all(all);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });
});
