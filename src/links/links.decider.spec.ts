import { CHILD_ID, registered, reported } from '../child-case/child-case.fixtures';
import { given } from '../child-stream/child-stream.given';
import {
  ESCALATION_ID,
  OTHER_CHILD,
  THIRD_CHILD,
  flagLink,
  linkEscalation,
  linkEscalationRaised,
  linked,
} from './links.fixtures';

describe('FlagLinkToOtherChildren', () => {
  const history = [registered(), reported()];

  it('flags the child whose mention made the link, and raises one escalation for the coordinator', () => {
    given(history).when(flagLink({ escalation: linkEscalation() })).thenEmits([linked(), linkEscalationRaised()]);
  });

  it('flags a child another child’s mention linked, without an escalation of its own', () => {
    const namedBy = { childId: OTHER_CHILD, episodeId: 'episode-9', eventId: 'event-9' };
    given(history).when(flagLink({ namedBy })).thenEmits([linked({ namedBy })]);
  });

  it('with the child named for its profile, the escalation has no episode', () => {
    const namedBy = { childId: CHILD_ID, episodeId: null, eventId: 'event-registered' };
    given(history)
      .when(flagLink({ namedBy, escalation: linkEscalation() }))
      .thenEmits([linked({ namedBy }), linkEscalationRaised({ episodeId: null, cause: 'event-registered' })]);
  });

  it('does nothing when the same link is flagged again (a replay, a redelivery)', () => {
    given([...history, linked(), linkEscalationRaised()]).when(flagLink({ escalation: linkEscalation() })).thenNothing();
  });

  it('flags only the children new to a link when a third child joins it', () => {
    given([...history, linked()])
      .when(flagLink({ otherChildren: [OTHER_CHILD, THIRD_CHILD, THIRD_CHILD] }))
      .thenEmits([linked({ otherChildren: [THIRD_CHILD] })]);
  });

  it('keeps links through different people or places apart', () => {
    given([...history, linked()])
      .when(flagLink({ kind: 'place', key: 'postcode:S1 2AB', display: '12 High St, S1 2AB' }))
      .thenEmits([linked({ kind: 'place', key: 'postcode:S1 2AB', display: '12 High St, S1 2AB' })]);
  });

  it('does not raise an escalation already raised', () => {
    given([...history, linkEscalationRaised()])
      .when(flagLink({ escalation: linkEscalation() }))
      .thenEmits([linked()]);
  });

  it('refuses a child who is not registered', () => {
    given([]).when(flagLink()).thenRefuses(`child ${CHILD_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses a link to no other child, or to the child itself', () => {
    given(history).when(flagLink({ otherChildren: [] })).thenRefuses('a link needs at least one other child', { kind: 'invalid', field: 'otherChildren' });
    given(history)
      .when(flagLink({ otherChildren: [OTHER_CHILD, CHILD_ID] }))
      .thenRefuses('a child is not linked to itself', { kind: 'invalid', field: 'otherChildren' });
  });

  it('refuses a link without a key', () => {
    given(history).when(flagLink({ key: ' ' })).thenRefuses('key is required', { kind: 'invalid', field: 'key' });
  });

  it('raises the escalation for the child’s own local authority', () => {
    const rotherham = registered({ profile: { localAuthority: 'Rotherham' } });
    given([rotherham, reported()])
      .when(flagLink({ escalation: linkEscalation({ escalationId: `${ESCALATION_ID}-r` }) }))
      .thenEmits([linked(), linkEscalationRaised({ escalationId: `${ESCALATION_ID}-r`, district: 'Rotherham' })]);
  });
});
