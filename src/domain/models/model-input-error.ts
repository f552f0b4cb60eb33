// The error a model raises when the data it is given cannot be modelled (a missing column, a
// one-class target, a malformed line): the message says what to fix, naming the column or line.

/** Where in the input the problem sits, for callers that point at it (a CLI, an API response). */
export interface ModelInputLocation {
  column?: string;
  line?: number;
}

/** Thrown for problems a user can fix in their data or options; anything else is a bug. */
export class ModelInputError extends Error {
  readonly code = 'model_input';
  readonly location: ModelInputLocation;

  constructor(message: string, location: ModelInputLocation = {}) {
    super(message);
    this.name = 'ModelInputError';
    this.location = location;
  }
}
