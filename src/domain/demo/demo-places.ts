// Where the demo company's customers are and what they are called: countries with their currency,
// languages, time zones and telephone codes, and what companies there are called and do.

export interface Country {
  readonly code: string;
  readonly currency: string;
  /** Languages spoken there, the most common first. */
  readonly languages: readonly string[];
  readonly timezones: readonly string[];
  readonly phonePrefix: string;
  /** Legal forms a company name ends with. */
  readonly companySuffixes: readonly string[];
  /** Share of the book, before normalising. */
  readonly weight: number;
}

export const countries: readonly Country[] = [
  {
    code: 'US',
    currency: 'USD',
    languages: ['en'],
    phonePrefix: '+1',
    companySuffixes: ['Inc.', 'LLC', 'Corp.'],
    weight: 30,
    timezones: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'],
  },
  {
    code: 'GB',
    currency: 'GBP',
    languages: ['en'],
    phonePrefix: '+44',
    companySuffixes: ['Ltd', 'plc', 'Ltd'],
    weight: 18,
    timezones: ['Europe/London'],
  },
  {
    code: 'DE',
    currency: 'EUR',
    languages: ['de'],
    phonePrefix: '+49',
    companySuffixes: ['GmbH', 'AG', 'GmbH & Co. KG'],
    weight: 18,
    timezones: ['Europe/Berlin'],
  },
  {
    code: 'FR',
    currency: 'EUR',
    languages: ['fr'],
    phonePrefix: '+33',
    companySuffixes: ['SAS', 'SARL', 'SA'],
    weight: 10,
    timezones: ['Europe/Paris'],
  },
  {
    code: 'NL',
    currency: 'EUR',
    languages: ['nl', 'en'],
    phonePrefix: '+31',
    companySuffixes: ['B.V.', 'N.V.'],
    weight: 8,
    timezones: ['Europe/Amsterdam'],
  },
  {
    code: 'CH',
    currency: 'CHF',
    languages: ['de', 'fr'],
    phonePrefix: '+41',
    companySuffixes: ['AG', 'GmbH', 'SA'],
    weight: 8,
    timezones: ['Europe/Zurich'],
  },
  {
    code: 'AT',
    currency: 'EUR',
    languages: ['de'],
    phonePrefix: '+43',
    companySuffixes: ['GmbH', 'AG'],
    weight: 4,
    timezones: ['Europe/Vienna'],
  },
  {
    code: 'ES',
    currency: 'EUR',
    languages: ['es'],
    phonePrefix: '+34',
    companySuffixes: ['S.L.', 'S.A.'],
    weight: 4,
    timezones: ['Europe/Madrid'],
  },
];

/**
 * Hours from UTC in winter, for placing events in a person's working day. Summer time is left out on
 * purpose: an hour's shift changes nothing Tend decides, and the generator needs no time-zone data.
 */
export const utcOffsetHours: Readonly<Record<string, number>> = {
  'America/New_York': -5,
  'America/Chicago': -6,
  'America/Denver': -7,
  'America/Los_Angeles': -8,
  'Europe/London': 0,
  'Europe/Berlin': 1,
  'Europe/Paris': 1,
  'Europe/Amsterdam': 1,
  'Europe/Zurich': 1,
  'Europe/Vienna': 1,
  'Europe/Madrid': 1,
};

/** The first part of a company name (a place, a founder, an image) and the line of business after it. */
export const companyWords: readonly string[] = [
  'Alder',
  'Anchor',
  'Apex',
  'Aurora',
  'Beacon',
  'Birch',
  'Blue Harbor',
  'Bright',
  'Cedar',
  'Clearwater',
  'Cobalt',
  'Copper',
  'Crescent',
  'Delta',
  'Eastgate',
  'Elm',
  'Ember',
  'Falcon',
  'Fjord',
  'Granite',
  'Greenfield',
  'Harbor',
  'Hawthorn',
  'Highland',
  'Horizon',
  'Iron',
  'Juniper',
  'Keystone',
  'Lakeside',
  'Larch',
  'Linden',
  'Maple',
  'Meridian',
  'Millbrook',
  'Northwind',
  'Oak',
  'Orchard',
  'Pinnacle',
  'Polar',
  'Quarry',
  'Redwood',
  'Ridge',
  'Riverside',
  'Sable',
  'Silver',
  'Spruce',
  'Stone',
  'Summit',
  'Thistle',
  'Tidewater',
  'Timber',
  'Union',
  'Valley',
  'Vantage',
  'Westbrook',
  'Willow',
  'Zenith',
  'Bergmann',
  'Lindqvist',
  'Moreau',
];

export const industries: readonly { readonly name: string; readonly words: readonly string[] }[] = [
  { name: 'logistics', words: ['Logistics', 'Freight', 'Transport', 'Shipping'] },
  { name: 'manufacturing', words: ['Industries', 'Manufacturing', 'Components', 'Tooling'] },
  { name: 'retail', words: ['Retail', 'Stores', 'Outfitters', 'Market'] },
  { name: 'health', words: ['Health', 'Clinics', 'Medical', 'Care'] },
  { name: 'finance', words: ['Capital', 'Finance', 'Partners', 'Advisors'] },
  { name: 'software', words: ['Software', 'Systems', 'Labs', 'Digital'] },
  { name: 'food', words: ['Foods', 'Bakeries', 'Dairy', 'Kitchens'] },
  { name: 'energy', words: ['Energy', 'Solar', 'Power', 'Utilities'] },
  { name: 'construction', words: ['Construction', 'Builders', 'Engineering', 'Structures'] },
  { name: 'education', words: ['Learning', 'Academy', 'Education', 'Schools'] },
];

/** Job titles of the people who use the product at a customer; the first ones are the decision makers. */
export const titles: readonly string[] = [
  'Head of Operations',
  'Finance Director',
  'IT Manager',
  'Operations Manager',
  'Analyst',
  'Team Lead',
  'Controller',
  'Project Manager',
  'Office Manager',
  'Data Analyst',
  'Account Administrator',
  'Specialist',
];

/** What the product does, as features the people use. */
export const features: readonly string[] = [
  'dashboards',
  'reports',
  'exports',
  'forecasts',
  'alerts',
  'integrations',
  'sharing',
  'budgets',
];

/** What tickets are about. */
export const ticketProblems: readonly string[] = [
  'login',
  'billing',
  'data import',
  'integration',
  'performance',
  'permissions',
  'report totals',
  'export',
];
