// Where the demo company's customers are and what they are called: countries with their currency,
// languages, time zones and telephone codes, and the names people and companies there carry.

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
    code: 'US', currency: 'USD', languages: ['en'], phonePrefix: '+1', companySuffixes: ['Inc.', 'LLC', 'Corp.'],
    weight: 30, timezones: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'],
  },
  {
    code: 'GB', currency: 'GBP', languages: ['en'], phonePrefix: '+44', companySuffixes: ['Ltd', 'plc', 'Ltd'],
    weight: 18, timezones: ['Europe/London'],
  },
  {
    code: 'DE', currency: 'EUR', languages: ['de'], phonePrefix: '+49',
    companySuffixes: ['GmbH', 'AG', 'GmbH & Co. KG'], weight: 18, timezones: ['Europe/Berlin'],
  },
  {
    code: 'FR', currency: 'EUR', languages: ['fr'], phonePrefix: '+33', companySuffixes: ['SAS', 'SARL', 'SA'],
    weight: 10, timezones: ['Europe/Paris'],
  },
  {
    code: 'NL', currency: 'EUR', languages: ['nl', 'en'], phonePrefix: '+31', companySuffixes: ['B.V.', 'N.V.'],
    weight: 8, timezones: ['Europe/Amsterdam'],
  },
  {
    code: 'CH', currency: 'CHF', languages: ['de', 'fr'], phonePrefix: '+41', companySuffixes: ['AG', 'GmbH', 'SA'],
    weight: 8, timezones: ['Europe/Zurich'],
  },
  {
    code: 'AT', currency: 'EUR', languages: ['de'], phonePrefix: '+43', companySuffixes: ['GmbH', 'AG'],
    weight: 4, timezones: ['Europe/Vienna'],
  },
  {
    code: 'ES', currency: 'EUR', languages: ['es'], phonePrefix: '+34', companySuffixes: ['S.L.', 'S.A.'],
    weight: 4, timezones: ['Europe/Madrid'],
  },
];

/**
 * Hours from UTC in winter, for placing events in a person's working day. Summer time is left out on
 * purpose: an hour's shift changes nothing Tend decides, and the generator needs no time-zone data.
 */
export const utcOffsetHours: Readonly<Record<string, number>> = {
  'America/New_York': -5, 'America/Chicago': -6, 'America/Denver': -7, 'America/Los_Angeles': -8,
  'Europe/London': 0, 'Europe/Berlin': 1, 'Europe/Paris': 1, 'Europe/Amsterdam': 1, 'Europe/Zurich': 1,
  'Europe/Vienna': 1, 'Europe/Madrid': 1,
};

export interface NamePool {
  readonly given: readonly string[];
  readonly family: readonly string[];
}

/** Given names and family names by language. */
export const personNames: Readonly<Record<string, NamePool>> = {
  en: {
    given: [
      'Emma', 'Olivia', 'Ava', 'Sophia', 'Mia', 'Charlotte', 'Amelia', 'Harper', 'Grace', 'Chloe', 'Liam', 'Noah',
      'Oliver', 'James', 'Elijah', 'William', 'Henry', 'Lucas', 'Benjamin', 'Daniel', 'Samuel', 'Ethan', 'Hannah',
      'Zoe', 'Ruby', 'Isaac', 'Leo', 'Maya', 'Nora', 'Caleb',
    ],
    family: [
      'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Clark', 'Lewis',
      'Walker', 'Hall', 'Allen', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Carter',
      'Mitchell', 'Turner', 'Parker', 'Collins', 'Edwards', 'Morris', 'Murphy',
    ],
  },
  de: {
    given: [
      'Anna', 'Lena', 'Lea', 'Sophie', 'Marie', 'Laura', 'Julia', 'Katharina', 'Sabine', 'Petra', 'Lukas', 'Leon',
      'Felix', 'Jonas', 'Maximilian', 'Paul', 'Tobias', 'Stefan', 'Markus', 'Andreas', 'Thomas', 'Michael',
      'Claudia', 'Jana', 'Nina', 'Florian', 'Matthias', 'Daniela', 'Kai', 'Uwe',
    ],
    family: [
      'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
      'Koch', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger',
      'Hofmann', 'Hartmann', 'Lange', 'Werner', 'Krause', 'Lehmann', 'Huber', 'Maier', 'Keller', 'Vogel',
    ],
  },
  fr: {
    given: [
      'Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Julie', 'Claire', 'Élodie', 'Sophie', 'Amélie', 'Lucas', 'Hugo',
      'Louis', 'Gabriel', 'Arthur', 'Nicolas', 'Julien', 'Mathieu', 'Antoine', 'Pierre', 'Thomas', 'Maxime',
      'Céline', 'Aurélie', 'Émile', 'Théo', 'Margaux', 'Baptiste', 'Océane', 'Romain',
    ],
    family: [
      'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
      'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel',
      'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Faure',
    ],
  },
  nl: {
    given: [
      'Emma', 'Julia', 'Sophie', 'Tess', 'Fleur', 'Anouk', 'Lotte', 'Sanne', 'Femke', 'Iris', 'Daan', 'Sem', 'Lucas',
      'Bram', 'Thijs', 'Jesse', 'Ruben', 'Lars', 'Milan', 'Joris', 'Pieter', 'Sven', 'Noor', 'Eva', 'Maarten',
      'Wouter', 'Esther', 'Koen', 'Marloes', 'Niels',
    ],
    family: [
      'de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer',
      'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer',
      'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'Willems',
    ],
  },
  es: {
    given: [
      'Lucía', 'María', 'Paula', 'Sofía', 'Carmen', 'Laura', 'Marta', 'Elena', 'Sara', 'Ana', 'Hugo', 'Pablo',
      'Alejandro', 'Daniel', 'Javier', 'Diego', 'Carlos', 'Sergio', 'Adrián', 'Manuel', 'David', 'Álvaro', 'Irene',
      'Nuria', 'Raúl', 'Iván', 'Cristina', 'Jorge', 'Alba', 'Rubén',
    ],
    family: [
      'García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín',
      'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Alonso', 'Gutiérrez',
      'Navarro', 'Torres', 'Domínguez', 'Vázquez', 'Ramos', 'Gil', 'Ramírez', 'Serrano', 'Blanco', 'Molina',
    ],
  },
};

/** The first part of a company name (a place, a founder, an image) and the line of business after it. */
export const companyWords: readonly string[] = [
  'Alder', 'Anchor', 'Apex', 'Aurora', 'Beacon', 'Birch', 'Blue Harbor', 'Bright', 'Cedar', 'Clearwater', 'Cobalt',
  'Copper', 'Crescent', 'Delta', 'Eastgate', 'Elm', 'Ember', 'Falcon', 'Fjord', 'Granite', 'Greenfield', 'Harbor',
  'Hawthorn', 'Highland', 'Horizon', 'Iron', 'Juniper', 'Keystone', 'Lakeside', 'Larch', 'Linden', 'Maple',
  'Meridian', 'Millbrook', 'Northwind', 'Oak', 'Orchard', 'Pinnacle', 'Polar', 'Quarry', 'Redwood', 'Ridge',
  'Riverside', 'Sable', 'Silver', 'Spruce', 'Stone', 'Summit', 'Thistle', 'Tidewater', 'Timber', 'Union', 'Valley',
  'Vantage', 'Westbrook', 'Willow', 'Zenith', 'Bergmann', 'Lindqvist', 'Moreau',
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
  'Head of Operations', 'Finance Director', 'IT Manager', 'Operations Manager', 'Analyst', 'Team Lead',
  'Controller', 'Project Manager', 'Office Manager', 'Data Analyst', 'Account Administrator', 'Specialist',
];

/** What the product does, as features the people use. */
export const features: readonly string[] = [
  'dashboards', 'reports', 'exports', 'forecasts', 'alerts', 'integrations', 'sharing', 'budgets',
];

/** What tickets are about. */
export const ticketProblems: readonly string[] = [
  'login', 'billing', 'data import', 'integration', 'performance', 'permissions', 'report totals', 'export',
];
