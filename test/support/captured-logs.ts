import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PERSONAL_DATA } from '../../src/erasure/personal-data';

/**
 * Every service a suite starts logs at debug level into a file here, and every personal value a
 * suite sends is recorded here; after all the suites, test/logs-hold-no-personal-data.after-spec.ts
 * looks for the values in the logs. `npm test` empties the folder first.
 */
export const LOGS_DIR = join('test-artifacts', 'logs');

export const PERSONAL_VALUES_PREFIX = 'personal-values-';

/** The running suite's file name without `.ts` (`casework.e2e-spec`); none outside jest. */
function suiteName(): string | undefined {
  const testPath = typeof expect === 'undefined' ? undefined : expect.getState().testPath;
  return testPath ? basename(testPath).replace(/\.ts$/, '') : undefined;
}

/**
 * A new, empty log file for one service instance of the running suite, `<suite>-<n>.log` (claimed
 * by creating it, so two instances never share one); none outside jest.
 */
export function claimLogFile(suffix = '.log'): string | undefined {
  const suite = suiteName();
  if (!suite) return undefined;
  mkdirSync(LOGS_DIR, { recursive: true });
  for (let n = 1; ; n++) {
    const file = join(LOGS_DIR, `${suite}-${n}${suffix}`);
    try {
      closeSync(openSync(file, 'wx'));
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

type Tree = 'personal' | 'kept' | { readonly [field: string]: Tree };

/**
 * The field names that hold personal data in some event of the classification (`firstName`,
 * `circumstances`, `reporter`, `findings`...). The request bodies use the same names as the events
 * they become, so a body field of one of these names holds personal data, and so does every string
 * under it (as the classification encrypts them). A name personal in one event and kept in another
 * (`reason`, `outcome`) counts as personal: the check errs towards looking for more.
 */
export const PERSONAL_FIELD_NAMES: ReadonlySet<string> = new Set(
  Object.values(PERSONAL_DATA as unknown as Record<string, Tree>).flatMap(function personalNames(tree: Tree): string[] {
    if (typeof tree === 'string') return [];
    return Object.entries(tree).flatMap(([field, sub]) => (sub === 'personal' ? [field] : personalNames(sub)));
  }),
);

export interface PersonalValue {
  suite: string;
  request: string;
  /** Where in the body: `child.firstName`, `findings.pushFactors.0`. */
  field: string;
  value: string;
}

/** Appends the strings under the personal fields of a request body to this worker's record. */
export function recordPersonalValues(method: string, path: string, body: unknown): void {
  const suite = suiteName();
  if (!suite || body === undefined || body === null) return;
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return; // not JSON: a malformed-body test, with nothing classified in it
    }
  }
  const found: PersonalValue[] = [];
  const walk = (node: unknown, field: string, personal: boolean): void => {
    if (typeof node === 'string') {
      if (personal) found.push({ suite, request: `${method} ${path.split('?')[0]}`, field, value: node });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${field}.${index}`, personal));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) walk(value, field ? `${field}.${key}` : key, personal || PERSONAL_FIELD_NAMES.has(key));
    }
  };
  walk(parsed, '', false);
  if (found.length === 0) return;
  mkdirSync(LOGS_DIR, { recursive: true });
  appendFileSync(join(LOGS_DIR, `${PERSONAL_VALUES_PREFIX}${process.pid}.jsonl`), found.map((value) => JSON.stringify(value) + '\n').join(''));
}
