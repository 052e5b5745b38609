import { ConfigurationError, loadConfiguration } from './configuration';

describe('loadConfiguration: DATABASE_POOL_SIZE', () => {
  it('defaults to a pool of 10', () => {
    expect(loadConfiguration({}).DATABASE_POOL_SIZE).toBe(10);
  });

  it('takes a whole number of connections', () => {
    expect(loadConfiguration({ DATABASE_POOL_SIZE: '25' }).DATABASE_POOL_SIZE).toBe(25);
  });

  it.each(['0', '-3', '2.5', 'many', '501'])('refuses %s, naming the variable and the value', (value) => {
    expect(() => loadConfiguration({ DATABASE_POOL_SIZE: value })).toThrow(ConfigurationError);
    expect(() => loadConfiguration({ DATABASE_POOL_SIZE: value })).toThrow(`DATABASE_POOL_SIZE="${value}"`);
  });
});
