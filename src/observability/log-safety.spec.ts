import { withoutQuotedValues } from './log-safety';

describe('log messages', () => {
  it('lose the quoted values that errors echo from input', () => {
    expect(withoutQuotedValues('invalid input syntax for type uuid: "Amy Rowe"')).toBe('invalid input syntax for type uuid: "…"');
    expect(withoutQuotedValues(`Unexpected token 'A', "Amy Rowe" is not valid JSON`)).toBe(`Unexpected token 'A', "…" is not valid JSON`);
    expect(withoutQuotedValues('consumer child-summary failed, retrying: timeout')).toBe('consumer child-summary failed, retrying: timeout');
  });
});
