// Errors that users and callers can cause, each with a code from a closed list and a message that
// says what to fix. Anything else thrown is a bug and is reported as such.

export type TendErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_encoding'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'unavailable'
  | 'not_found'
  | 'conflict'
  | 'invalid_configuration'
  | 'invalid_file'
  | 'data_directory_in_use'
  | 'data_directory_damaged';

/** One thing wrong with a request: where (a field path, and the index in a batch) and what. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
  readonly index?: number;
}

/** Problems as one line of a message: "field what; field what". */
export function listProblems(problems: readonly FieldProblem[]): string {
  return problems.map((problem) => `${problem.field} ${problem.message}`).join('; ');
}

const statusByCode: Record<TendErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unsupported_encoding: 415,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  unavailable: 503,
  not_found: 404,
  conflict: 409,
  invalid_configuration: 500,
  invalid_file: 400,
  data_directory_in_use: 500,
  data_directory_damaged: 500,
};

export class TendError extends Error {
  readonly status: number;
  constructor(
    readonly code: TendErrorCode,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'TendError';
    this.status = statusByCode[code];
  }
}
