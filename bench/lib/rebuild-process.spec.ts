import { rebuildNodeOptions } from './rebuild-process';

const withRebuildScript = (rebuild: string) => JSON.stringify({ scripts: { rebuild } });

describe('the options a rebuild runs node with', () => {
  it("are those of package.json's rebuild script", () => {
    expect(rebuildNodeOptions()).toEqual(['--max-semi-space-size=64']);
  });

  it('are every option before the script, and none where it has none', () => {
    expect(rebuildNodeOptions(withRebuildScript('npm run -s build && node --a=1 --b dist/rebuild.cli.js'))).toEqual(['--a=1', '--b']);
    expect(rebuildNodeOptions(withRebuildScript('npm run -s build && node dist/rebuild.cli.js'))).toEqual([]);
  });

  it('refuse a script that does not start node on dist/, rather than measure another runtime', () => {
    expect(() => rebuildNodeOptions(withRebuildScript('tsx src/rebuild.cli.ts'))).toThrow('does not start node on dist/');
  });
});
