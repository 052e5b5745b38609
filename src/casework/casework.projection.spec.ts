import { CaseworkProjection, unionOf } from './casework.projection';

describe('what the casework projection reads for its read models together', () => {
  it('keeps a type narrowed when every reader of it narrows it by the same field, to all their values', () => {
    expect(
      unionOf([
        { types: ['A', 'E'], personalDataOf: ['A'], where: { E: { field: 'rule', values: ['x'] } } },
        { types: ['B', 'E'], where: { E: { field: 'rule', values: ['y', 'x'] } } },
      ]),
    ).toEqual({ types: ['A', 'E', 'B'], personalDataOf: ['A', 'B', 'E'], where: { E: { field: 'rule', values: ['x', 'y'] } } });
  });

  it('reads every event of a type that one reader follows whole, or that readers narrow by different fields', () => {
    expect(unionOf([{ types: ['E'], where: { E: { field: 'rule', values: ['x'] } } }, { types: ['E'] }])).toEqual({ types: ['E'], personalDataOf: ['E'] });
    expect(
      unionOf([
        { types: ['E'], where: { E: { field: 'rule', values: ['x'] } } },
        { types: ['E'], where: { E: { field: 'tier', values: ['1'] } } },
      ]),
    ).not.toHaveProperty('where');
  });

  it('reads of the escalations raised only those its lists mark: overdue interviews, meeting actions and warning notices', () => {
    expect(new CaseworkProjection().reads.where).toEqual({
      EscalationRaised: { field: 'rule', values: expect.arrayContaining(['return-interview-overdue', 'meeting-action-overdue', 'cawn-not-served']) },
    });
    expect(new CaseworkProjection().reads.where?.EscalationRaised.values).toHaveLength(3);
  });
});
