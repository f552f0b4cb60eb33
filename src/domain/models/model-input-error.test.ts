import { describe, expect, it } from 'vitest';
import { ModelInputError } from './model-input-error.js';

describe('ModelInputError', () => {
  it('carries a code and the location it names, and is an Error', () => {
    const error = new ModelInputError('Line 4 is short.', { line: 4 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ModelInputError');
    expect(error.code).toBe('model_input');
    expect(error.location).toEqual({ line: 4 });
  });
});
