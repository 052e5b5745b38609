import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LOGS_DIR, PERSONAL_VALUES_PREFIX, type PersonalValue } from './support/captured-logs';

/**
 * Runs after all the other suites (`npm test` runs it in a second jest run; the usual testMatch
 * does not pick it up): every service they started logged at debug level into test-artifacts/logs,
 * and every personal value they sent through the test client was recorded there. None of those
 * values may be in any log: logs carry ids, never names, dates of birth or notes.
 */
const RESULTS = join('test-artifacts', 'jest-results.json');

/** Shorter values ("Amy", "CSE") would match unrelated words; they are not looked for. */
const SHORTEST_LOOKED_FOR = 4;

/** A longer value (a note pasted 40,000 times) is looked for by its beginning: a log that cut it would hold that. */
const LONGEST_LOOKED_FOR = 200;

/**
 * One lowercase word that the service's own code says (a route's segment, an enum value, a word of
 * a log message: "completed", "held") proves nothing when found in a log, and the suites send such
 * words as filler ("again" as a meeting's reason, "home" as where a child was found). A name, a
 * date of birth or a note of several words is never one, so it is always looked for.
 */
function serviceVocabulary(): Set<string> {
  const words = new Set<string>();
  for (const path of readdirSync('src', { recursive: true }) as string[]) {
    if (!path.endsWith('.ts') || path.endsWith('.spec.ts')) continue;
    for (const word of readFileSync(join('src', path), 'utf8').match(/[a-z]+/g) ?? []) words.add(word);
  }
  return words;
}

const WORD = /[\p{L}\p{N}_]+/gu;
const STARTS_WITH_WORD = /^[\p{L}\p{N}_]/u;
const ENDS_WITH_WORD = /[\p{L}\p{N}_]$/u;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface LogLine {
  file: string;
  number: number;
  /** The line's text as logged: the strings of a JSON line unescaped, a plain line as it is. */
  text: string;
}

interface SuiteRun {
  file: string;
  passed: number;
}

/** The end-to-end suites of the main run, with how many tests each passed. */
function endToEndSuitesOfTheRun(): SuiteRun[] {
  const results = JSON.parse(readFileSync(RESULTS, 'utf8')) as {
    testResults: { name: string; assertionResults: { status: string }[] }[];
  };
  return results.testResults
    .filter((suite) => /\.(e2e|browser)-spec\.ts$/.test(suite.name))
    .map((suite) => ({ file: basename(suite.name).replace(/\.ts$/, ''), passed: suite.assertionResults.filter((t) => t.status === 'passed').length }));
}

/** Every *.e2e-spec.ts under test/: the main run was the whole suite when all of them ran. */
function allEndToEndSuites(): string[] {
  return (readdirSync('test', { recursive: true }) as string[])
    .filter((path) => path.endsWith('.e2e-spec.ts'))
    .map((path) => basename(path).replace(/\.ts$/, ''));
}

const logFiles = (): string[] =>
  existsSync(LOGS_DIR) ? readdirSync(LOGS_DIR).filter((name) => name.endsWith('.log')).map((name) => join(LOGS_DIR, name)) : [];

/** `casework.e2e-spec-2.log` and `casework.e2e-spec-2.stderr.log` are casework.e2e-spec's. */
const suiteOf = (file: string) => basename(file).replace(/-\d+(\.stderr)?\.log$/, '');

function recordedValues(): PersonalValue[] {
  if (!existsSync(LOGS_DIR)) return [];
  return readdirSync(LOGS_DIR)
    .filter((name) => name.startsWith(PERSONAL_VALUES_PREFIX))
    .flatMap((name) => readFileSync(join(LOGS_DIR, name), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as PersonalValue));
}

const stringsOf = (node: unknown): string[] =>
  typeof node === 'string'
    ? [node]
    : Array.isArray(node)
      ? node.flatMap(stringsOf)
      : typeof node === 'object' && node !== null
        ? Object.entries(node).flatMap(([key, value]) => [key, ...stringsOf(value)])
        : [];

describe('after all the suites: the logs hold none of the personal data they sent', () => {
  let ran: SuiteRun[] = [];
  let wholeRun = false;
  let files: string[] = [];
  let values: PersonalValue[] = [];
  const lines: LogLine[] = [];
  const notJson: string[] = [];

  beforeAll(() => {
    if (!existsSync(RESULTS)) throw new Error(`no ${RESULTS}: run the suites first, through npm test (scripts/test.sh)`);
    const suites = endToEndSuitesOfTheRun();
    // A suite that passed a test has started the service; one that passed none may have failed before it.
    ran = suites.filter((suite) => suite.passed > 0);
    const inTheRun = new Set(suites.map((suite) => suite.file));
    wholeRun = allEndToEndSuites().every((suite) => inTheRun.has(suite));
    files = logFiles();
    values = recordedValues();
    for (const file of files) {
      // The service's stdout is its log, JSON lines only; stderr is Node's warnings and start-up refusals, in plain text.
      const plain = file.endsWith('.stderr.log');
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (!line.trim()) return;
          let text = line;
          if (!plain) {
            try {
              text = stringsOf(JSON.parse(line)).join('\n');
            } catch {
              notJson.push(`${file}:${index + 1}: ${line.slice(0, 200)}`);
            }
          }
          lines.push({ file, number: index + 1, text });
        });
    }
    console.log(
      `log check: ${files.length} log files from ${new Set(files.map(suiteOf)).size} suites, ${lines.length} lines; ` +
        `${values.length} personal values recorded (${new Set(values.map((v) => v.value)).size} distinct) from ${new Set(values.map((v) => v.suite)).size} suites; ` +
        `${ran.length} end-to-end suites passed tests, in ${wholeRun ? 'the whole run' : 'a subset'}`,
    );
  });

  it('has the logs of every end-to-end suite that ran', () => {
    if (ran.length === 0) {
      console.log('log check: no end-to-end suite ran (a subset of unit or integration specs): nothing to look in');
      return;
    }
    const logged = new Set(files.map(suiteOf));
    expect(ran.map((suite) => suite.file).filter((suite) => !logged.has(suite))).toEqual([]);
    expect(logged.size).toBeGreaterThanOrEqual(ran.length);
    expect(lines.length).toBeGreaterThan(0);
  });

  it('has the personal values the suites sent (any, for a subset; from most suites, for the whole run)', () => {
    if (!wholeRun) return;
    expect(new Set(values.map((value) => value.suite)).size).toBeGreaterThanOrEqual(10);
  });

  it('has logs made of JSON lines only', () => {
    expect(notJson.slice(0, 20)).toEqual([]);
  });

  it('finds no personal value the suites sent in any log', () => {
    const vocabulary = serviceVocabulary();
    const generic = (value: string) => /^[a-z]+$/.test(value) && vocabulary.has(value);
    const byValue = new Map<string, PersonalValue>();
    const skipped = { short: new Set<string>(), generic: new Set<string>() };
    for (const value of values) {
      const sought = value.value.slice(0, LONGEST_LOOKED_FOR);
      if (sought.length < SHORTEST_LOOKED_FOR) skipped.short.add(sought);
      else if (generic(sought)) skipped.generic.add(sought);
      else if (!byValue.has(sought)) byValue.set(sought, value);
    }
    console.log(
      `log check: looked for ${byValue.size} distinct values; not for ${skipped.short.size} shorter than ${SHORTEST_LOOKED_FOR} characters, ` +
        `nor ${skipped.generic.size} words of the service's own (${[...skipped.generic].sort().join(', ')})`,
    );
    // Found whole, case and all: "Amy" is not found in "Amyloid". Indexed by the value's first word, so each line is read once.
    const byFirstWord = new Map<string, { pattern: RegExp; origin: PersonalValue }[]>();
    for (const [value, origin] of byValue) {
      const first = value.match(WORD)?.[0];
      if (!first) continue; // punctuation alone is nobody's data
      const pattern = new RegExp(
        `${STARTS_WITH_WORD.test(value) ? '(?<![\\p{L}\\p{N}_])' : ''}${escapeRegExp(value)}${ENDS_WITH_WORD.test(value) && value === origin.value ? '(?![\\p{L}\\p{N}_])' : ''}`,
        'u',
      );
      byFirstWord.set(first, [...(byFirstWord.get(first) ?? []), { pattern, origin }]);
    }
    const leaks: string[] = [];
    for (const line of lines) {
      for (const word of new Set(line.text.match(WORD) ?? [])) {
        for (const { pattern, origin } of byFirstWord.get(word) ?? []) {
          if (pattern.test(line.text)) {
            leaks.push(`${line.file}:${line.number}: ${JSON.stringify(origin.value.slice(0, LONGEST_LOOKED_FOR))} (${origin.field} of ${origin.request}, sent by ${origin.suite})`);
          }
        }
      }
    }
    expect(leaks.slice(0, 30)).toEqual([]);
  });
});
