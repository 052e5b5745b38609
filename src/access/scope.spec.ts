import { scopeOf, sees } from './scope';

describe('district scope', () => {
  const home = { district: 'Sheffield', tie: 'local-authority' as const };
  const visiting = { district: 'Sheffield', tie: 'episode' as const };
  const elsewhere = { district: 'Doncaster', tie: 'local-authority' as const };

  it('lets the auditor and the admin see every child', () => {
    for (const role of ['auditor', 'admin']) {
      expect(scopeOf({ userId: 'u', role, district: null })).toEqual({ kind: 'force' });
      expect(sees(scopeOf({ userId: 'u', role, district: 'Sheffield' }), [elsewhere])).toBe(true);
    }
  });

  it("lets a district's staff see its children and those with an episode there", () => {
    const officer = scopeOf({ userId: 'u', role: 'officer', district: 'Sheffield' });
    expect(sees(officer, [home])).toBe(true);
    expect(sees(officer, [elsewhere, visiting])).toBe(true);
    expect(sees(officer, [elsewhere])).toBe(false);
    expect(sees(officer, [])).toBe(false);
  });

  it("lets the LSCB lead see only its own authority's children", () => {
    const lead = scopeOf({ userId: 'u', role: 'lscb-lead', district: 'Sheffield' });
    expect(sees(lead, [home])).toBe(true);
    expect(sees(lead, [elsewhere, visiting])).toBe(false);
  });

  it('refuses a district role whose token names no district', () => {
    expect(() => scopeOf({ userId: 'u', role: 'coordinator', district: null })).toThrow(/names none/);
  });
});
