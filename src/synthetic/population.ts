import type { Gender, PlacementType, RiskGrade } from '../child-case/child-case.events';

/**
 * Who the synthetic force's children are (weights of age, gender, ethnicity, placement, risk) and
 * the words people write about them: the population the history generator draws from.
 */
export const AGE_WEIGHTS = { 10: 3, 11: 4, 12: 6, 13: 10, 14: 18, 15: 22, 16: 20, 17: 12 } as const;
export const GENDERS: Record<Gender, number> = { female: 52, male: 46, other: 1, unknown: 1 };
export const ETHNICITIES = {
  'White British': 72,
  'White other': 4,
  'Mixed or multiple ethnic groups': 6,
  'Asian or Asian British': 7,
  'Black, Black British, Caribbean or African': 6,
  'Other ethnic group': 2,
  'Not stated': 3,
} as const;
export const PLACEMENTS: Record<Exclude<PlacementType, 'home'>, number> = { foster: 55, 'childrens-home': 35, other: 10 };
export const GRADES: Record<RiskGrade, number> = { high: 8, medium: 50, low: 30, 'no-apparent-risk': 12 };
export const FIRST_NAMES = ['Amelia', 'Olivia', 'Isla', 'Ava', 'Mia', 'Jack', 'Noah', 'Leo', 'Harry', 'Oscar', 'Aisha', 'Zara', 'Kai', 'Tyler', 'Chloe', 'Ellie', 'Liam', 'Mason', 'Ruby', 'Jayden'];
export const LAST_NAMES = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Khan', 'Walker', 'Wright', 'Hussain', 'Green', 'Hall', 'Wood', 'Clarke', 'Ali', 'Hughes', 'Evans'];
export const PLACES = ['the town centre', 'the bus station', 'a friend\'s address', 'the retail park', 'the railway station', 'the park by the river', 'a takeaway on the high street', 'an address in a neighbouring district'];
export const PUSH = ['conflict at home', 'placement breakdown', 'boundaries', 'bullying', 'bereavement'];
export const PULL = ['friends', 'boyfriend or girlfriend', 'older associates', 'family elsewhere', 'substance use'];
export const AGENCIES = ['police', "children's social care", 'health', 'education'];
